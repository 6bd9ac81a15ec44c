// The DPS application journey in a browser, through the real pages only: an admin opens two lots; a supplier
// registers, signs in, fills every section of the task list (uploading real PDF and PNG files through the file
// inputs), checks the answers, agrees the declarations and submits; an admin signs in with a password and an
// authenticator code, opens the application from the vetting queue and admits it to both lots with reasons; the
// supplier sees the decisions; and the supplier appears in the public directory with a public profile.
// The only direct database write is the admin user; the database is otherwise only read, to check results.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, crc32 } from 'node:zlib';
import { expect } from 'chai';
import { BrowserContext, Locator, Page } from 'playwright-core';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { StoredDocument } from '../../models/Document';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { totpCode } from '../../server/auth/totp';
import { EXCLUSION_GROUNDS, PRINCIPLES } from '../../server/domain/applicationQuestions';
import { createUser, TestUser, uniqueEmail } from '../support/app';
import { allProblems, browserSuite, PageProblems, signInWithPassword, watchedPage } from './browser';

/** A small but well-formed one-page PDF, its cross-reference offsets computed. */
function minimalPdf(title: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null, // the content stream, below
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const content = `BT /F1 12 Tf 10 50 Td (${title.replace(/[()\\]/g, '')}) Tj ET`;
  objects[3] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

/** A valid 1x1 RGB PNG: signature, IHDR, one IDAT and IEND, each chunk with its CRC. */
function onePixelPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed) >>> 0);
    return Buffer.concat([len, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, deflate, no filter, no interlace
  const scanline = Buffer.from([0, 0x1d, 0x70, 0xb8]); // filter byte, then one GOV.UK-blue pixel
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr), chunk('IDAT', deflateSync(scanline)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('browser: supplier application, vetting and the directory', function () {
  this.timeout(180_000);
  const suite = browserSuite();
  let admin: TestUser;
  let dir: string;
  const file: Record<string, string> = {};
  const problems: PageProblems[] = [];

  before(async () => {
    admin = await createUser('admin');
    dir = mkdtempSync(join(tmpdir(), 'dps-e2e-'));
    for (const name of ['public-liability.pdf', 'equality-policy.pdf', 'safeguarding-policy.pdf', 'environmental-policy.pdf', 'modern-slavery-statement.pdf', 'data-protection-policy.pdf', 'employers-liability.pdf']) {
      file[name] = join(dir, name);
      writeFileSync(file[name], minimalPdf(name));
    }
    file['indemnity-certificate.png'] = join(dir, 'indemnity-certificate.png');
    writeFileSync(file['indemnity-certificate.png'], onePixelPng());
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const base = () => suite.app().baseUrl;

  async function watched(context: BrowserContext): Promise<Page> {
    const w = await watchedPage(context);
    problems.push(w.problems);
    return w.page;
  }

  async function navigate(page: Page, click: () => Promise<void>): Promise<void> {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), click()]);
  }

  async function press(page: Page, name: string): Promise<void> {
    await navigate(page, () => page.getByRole('button', { name, exact: true }).click());
  }

  async function adminSignIn(page: Page): Promise<void> {
    await signInWithPassword(page, base(), admin.email, admin.password);
    expect(new URL(page.url()).pathname).to.equal('/sign-in/two-factor');
    await page.getByLabel('Enter the code from your authenticator app').fill(totpCode(admin.totpSecret!, suite.app().clock.now()));
    await press(page, 'Continue');
    expect(new URL(page.url()).pathname).to.equal('/admin');
  }

  /** The task list's status text for a section. */
  async function taskStatus(page: Page, title: string): Promise<string> {
    const row = page.locator('.govuk-task-list__item').filter({ has: page.getByText(title, { exact: true }) });
    return (await row.locator('.govuk-task-list__status').innerText()).trim();
  }

  /** Saves a section with "Save and continue" and checks the task list now shows it completed. */
  async function saveAndContinue(page: Page, title: string): Promise<void> {
    await press(page, 'Save and continue');
    const errors = await page.locator('.govuk-error-summary').count() ? await page.locator('.govuk-error-summary').innerText() : '';
    expect(errors, `${title} did not save`).to.equal('');
    expect(await page.locator('.govuk-notification-banner').innerText()).to.contain(`${title}: saved and marked as completed`);
    expect(await taskStatus(page, title)).to.equal('Completed');
  }

  async function openSection(page: Page, title: string): Promise<void> {
    await navigate(page, () => page.locator('.govuk-task-list').getByRole('link', { name: title, exact: true }).click());
    expect(await page.locator('h1').innerText()).to.equal(title);
  }

  async function fillCaseStudy(page: Page, n: number, lot: number): Promise<void> {
    const cs: Locator = page.getByRole('group', { name: `Case study ${n}`, exact: true });
    await cs.getByLabel('Lot number this case study is for').fill(String(lot));
    await cs.getByLabel('Client', { exact: true }).fill(`Kirklees Council (${n})`);
    for (const [group, [d, m, y]] of [['Start date', ['1', '4', '2024']], ['End date', ['31', '3', '2025']]] as const) {
      const date = cs.getByRole('group', { name: group, exact: true });
      await date.getByLabel('Day').fill(d);
      await date.getByLabel('Month').fill(m);
      await date.getByLabel('Year').fill(y);
    }
    await cs.getByLabel('Contract value').fill('24,500');
    await cs.getByLabel('What you did').fill('Ran a citizens\u2019 assembly on the local food economy and co-wrote the council\u2019s food strategy with residents.');
    await cs.getByLabel('The outcome').fill('Twelve community food hubs opened, run by a new consumer co-operative.');
    await cs.getByLabel('Referee: name and email address').fill(`Jo Referee, jo${n}@kirklees.example.gov.uk`);
  }

  it('applies with uploads, is admitted by an admin, sees the decision, and appears in the directory', async () => {
    const stamp = Date.now().toString(36);
    const orgName = `Calder Valley Research Co-op ${stamp}`;
    const legalName = `Calder Valley Research Co-operative Limited ${stamp}`;
    const email = uniqueEmail('apply');
    const password = 'damson kettle harbour';
    const lots = [{ number: 61, title: `Community research ${stamp}` }, { number: 62, title: `Service prototypes ${stamp}` }];

    // --- Set-up through the admin pages: two open lots.
    const adminContext = suite.context();
    const adminPage = await watched(adminContext);
    await adminSignIn(adminPage);
    for (const lot of lots) {
      await adminPage.goto(`${base()}/admin/lots`);
      await navigate(adminPage, () => adminPage.getByRole('button', { name: 'Add a lot' }).click());
      await adminPage.getByLabel('Lot number').fill(String(lot.number));
      await adminPage.getByLabel('Title').fill(lot.title);
      await adminPage.getByLabel('Description').fill(`Work of ${lot.title}.`);
      await adminPage.getByRole('group', { name: 'Can suppliers apply to this lot?' }).getByLabel('Yes', { exact: true }).check();
      await press(adminPage, 'Add lot');
      expect(await adminPage.locator('.govuk-notification-banner').innerText()).to.contain(`Lot ${lot.number} saved`);
    }
    const lotLabel = (l: { number: number; title: string }) => `Lot ${l.number}: ${l.title}`;

    // --- The supplier, timed from opening /register to the confirmation page.
    const supplierContext = await suite.context().browser()!.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await watched(supplierContext);
      const started = performance.now();
      await page.goto(`${base()}/register`);
      await page.getByLabel('Organisation name').fill(orgName);
      await page.getByLabel('Your full name').fill('Grace Hopper');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Create a password', { exact: true }).fill(password);
      await page.getByLabel('Confirm your password', { exact: true }).fill(password);
      await press(page, 'Create account');
      expect(new URL(page.url()).pathname).to.equal('/register/check-your-email');

      await signInWithPassword(page, base(), email, password);
      expect(new URL(page.url()).pathname).to.equal('/supplier');

      // From the dashboard to a new application's task list.
      await navigate(page, () => page.getByRole('button', { name: 'Apply to join the DPS' }).click());
      expect(await page.locator('h1').innerText()).to.equal('Your applications');
      await press(page, 'Start a new application');
      expect(new URL(page.url()).pathname).to.match(/^\/supplier\/applications\/[0-9a-f]{24}$/);
      const applicationPath = new URL(page.url()).pathname;
      const applicationId = applicationPath.split('/').pop()!;
      expect(await page.locator('h1').innerText()).to.equal('Apply to join the DPS');
      expect(await page.locator('#progress').innerText()).to.equal('You have completed 0 of 9 sections.');
      expect(await taskStatus(page, 'Organisation details')).to.equal('Not yet started');
      expect(await taskStatus(page, 'Check your answers and submit')).to.equal('Cannot start yet');

      // 1. Organisation: text, radios, an address and the directory description.
      await openSection(page, 'Organisation details');
      await page.getByLabel('Legal name').fill(legalName);
      await page.getByLabel('Trading name, if different').fill(orgName);
      await page.getByRole('group', { name: 'Legal form' }).getByLabel('Co-operative society', { exact: true }).check();
      await page.getByRole('group', { name: 'Where is the organisation registered?' }).getByLabel('FCA mutuals register').check();
      await page.getByLabel('Registration number').fill('RS009876');
      await page.getByLabel('Registered address').fill('4 Market Street, Hebden Bridge, HX7 6AA');
      await page.getByRole('group', { name: 'Nation', exact: true }).getByLabel('England', { exact: true }).check();
      await page.getByRole('group', { name: 'Region', exact: true }).getByLabel('Yorkshire and the Humber').check();
      await page.getByRole('group', { name: 'Size', exact: true }).getByLabel('Micro', { exact: true }).check();
      await page.getByRole('group', { name: /^Is the organisation a voluntary/ }).getByLabel('Yes', { exact: true }).check();
      await page.getByLabel('Website').fill('https://calder-research.example.coop');
      await page.getByLabel('Short description for the supplier directory').fill(`Participatory research and food-economy policy with councils in the Pennines (${stamp}).`);
      await saveAndContinue(page, 'Organisation details');

      // 2. Contacts.
      await openSection(page, 'Contacts');
      await page.getByLabel('Main contact: full name').fill('Grace Hopper');
      await page.getByLabel('Main contact: email address').fill(email);
      await page.getByLabel('Main contact: telephone number').fill('01422 555 0100');
      await page.getByLabel('Bid contact: full name').fill('Alan Turing');
      await page.getByLabel('Bid contact: email address').fill(`bids-${email}`);
      await saveAndContinue(page, 'Contacts');

      // 3. Lots, with a statement for each.
      await openSection(page, 'Lots');
      for (const lot of lots) {
        await page.getByLabel(lotLabel(lot), { exact: true }).check();
        await page.getByLabel(`Why you are suited to lot ${lot.number}: ${lot.title}`).fill(`We have done ${lot.title.toLowerCase()} work for six councils since 2019.`);
      }
      await saveAndContinue(page, 'Lots');

      // 4. Exclusion grounds: no to all but one discretionary ground, whose yes reveals the self-cleaning explanation.
      await openSection(page, 'Exclusion grounds');
      for (const g of EXCLUSION_GROUNDS) {
        const group = page.getByRole('group', { name: g.label, exact: true });
        if (g.name === 'poorPerformance') {
          await group.getByLabel('Yes', { exact: true }).check();
          const explain = group.getByLabel('What has the organisation done to put this right?');
          await explain.waitFor({ state: 'visible' });
          await explain.fill('A 2022 contract ended early after a key worker left; we now keep two trained people on every contract.');
        } else {
          await group.getByLabel('No', { exact: true }).check();
        }
      }
      await saveAndContinue(page, 'Exclusion grounds');

      // 5. Economic and financial standing: amounts and three certificates, uploaded through the file inputs.
      await openSection(page, 'Economic and financial standing');
      await page.getByLabel('Turnover in your last financial year').fill('185000');
      await page.getByLabel('Turnover in the year before').fill('£162,400.50');
      await page.getByLabel('Employer\u2019s liability insurance cover').fill('5000000');
      await page.getByLabel('Employer\u2019s liability certificate').setInputFiles(file['employers-liability.pdf']);
      await page.getByLabel('Public liability insurance cover').fill('5000000');
      await page.getByLabel('Public liability certificate').setInputFiles(file['public-liability.pdf']);
      await page.getByLabel('Professional indemnity insurance cover').fill('1000000');
      await page.getByLabel('Professional indemnity certificate').setInputFiles(file['indemnity-certificate.png']);
      await saveAndContinue(page, 'Economic and financial standing');

      // 6. Technical ability: two case studies per lot, each added with "Add a case study".
      await openSection(page, 'Technical ability');
      await press(page, 'Add a case study');
      for (let n = 1; n <= 4; n++) {
        await fillCaseStudy(page, n, lots[n <= 2 ? 0 : 1].number);
        if (n < 4) await press(page, 'Add another case study');
      }
      expect(await page.locator('.app-repeat-item').count()).to.equal(4);
      await saveAndContinue(page, 'Technical ability');

      // 7. Values and principles: a statement on each principle and on the values.
      await openSection(page, 'Values and principles');
      for (const p of PRINCIPLES) await page.getByLabel(p.title, { exact: true }).fill(`${p.title}: our members decide this together at the annual meeting and in monthly circles.`);
      await page.getByLabel('Co-operative values', { exact: true }).fill('Self-help and solidarity: we share work, pay and learning equally.');
      await saveAndContinue(page, 'Values and principles');

      // 8. Policies and evidence: five required files and one further (a PNG).
      await openSection(page, 'Policies and evidence');
      await page.getByLabel('Equality and diversity policy').setInputFiles(file['equality-policy.pdf']);
      await page.getByLabel('Safeguarding policy').setInputFiles(file['safeguarding-policy.pdf']);
      await page.getByLabel('Environmental policy').setInputFiles(file['environmental-policy.pdf']);
      await page.getByLabel('Modern slavery statement').setInputFiles(file['modern-slavery-statement.pdf']);
      await page.getByLabel('Data protection policy').setInputFiles(file['data-protection-policy.pdf']);
      await page.getByLabel('Any further evidence').setInputFiles(file['indemnity-certificate.png']);
      await saveAndContinue(page, 'Policies and evidence');

      // 9. Declarations.
      await openSection(page, 'Declarations');
      await page.getByLabel(/I confirm the answers in this application are true/).check();
      await page.getByLabel(/I agree that the network may use this information/).check();
      await page.getByLabel(/I understand that joining the DPS is free/).check();
      await saveAndContinue(page, 'Declarations');
      expect(await page.locator('#progress').innerText()).to.equal('You have completed 9 of 9 sections.');

      // Check your answers, then submit.
      await navigate(page, () => page.getByRole('link', { name: 'Check your answers and submit' }).click());
      expect(await page.locator('h1').innerText()).to.equal('Check your answers before submitting your application');
      const answers = await page.locator('main').innerText();
      for (const expected of [legalName, 'Co-operative society', lotLabel(lots[0]), lotLabel(lots[1]), '£162,400.50', 'public-liability.pdf', 'indemnity-certificate.png', 'Jo Referee, jo4@kirklees.example.gov.uk', 'Yes. A 2022 contract ended early']) {
        expect(answers).to.contain(expected);
      }
      expect(await page.locator('#problems').count()).to.equal(0);
      await press(page, 'Accept and submit');
      expect(new URL(page.url()).pathname).to.equal(`${applicationPath}/confirmation`);
      const panel = await page.locator('.govuk-panel').innerText();
      const elapsed = performance.now() - started;
      console.log(`      time to complete an application in the browser (register to confirmation): ${(elapsed / 1000).toFixed(1)} s`);

      expect(panel).to.contain('Application submitted');
      const reference = /Your reference number\s+(\S+)/.exec(panel)?.[1];
      expect(reference).to.be.a('string');
      const saved = await Application.findById(applicationId).lean();
      expect(saved).to.include({ status: 'submitted', reference });
      expect(await page.locator('#received').innerText()).to.match(/^We received your application on \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}:\d{2}[ap]m \(UK time\)\.$/);
      const supplierUser = await User.findOne({ email }).lean();
      const organisation = String(supplierUser!.organisation);
      // the uploads are real stored files with their names, types and sizes
      const docs = await StoredDocument.find({ owner: organisation }).lean();
      expect(docs.map((d) => d.originalName).sort()).to.include.members(['public-liability.pdf', 'indemnity-certificate.png', 'equality-policy.pdf', 'data-protection-policy.pdf']);
      expect(docs.find((d) => d.originalName === 'indemnity-certificate.png')).to.include({ contentType: 'image/png', size: onePixelPng().length });
      expect(docs.find((d) => d.originalName === 'public-liability.pdf')).to.include({ contentType: 'application/pdf', size: minimalPdf('public-liability.pdf').length });
      expect(suite.app().mailer.sent.some((m) => m.to === email && m.text.includes(reference!))).to.equal(true);

      // --- An admin signs in afresh (a later authenticator step), finds the application in the queue and admits it.
      await adminContext.close();
      suite.app().clock.advance(31_000);
      const vettingContext = await suite.reopen({ viewport: { width: 1280, height: 800 } });
      const vet = await watched(vettingContext);
      await adminSignIn(vet);
      await navigate(vet, () => vet.locator('.govuk-service-navigation').getByRole('link', { name: 'Applications', exact: true }).click());
      expect(await vet.locator('h1').innerText()).to.equal('Applications');
      const row = vet.locator('#queue tbody tr').filter({ hasText: reference! });
      expect(await row.innerText()).to.contain('Awaiting decision');
      expect(await row.innerText()).to.contain('10 working days left');
      await navigate(vet, () => row.getByRole('link', { name: reference! }).click());
      expect(await vet.locator('h1').innerText()).to.equal(legalName);
      const review = await vet.locator('main').innerText();
      for (const expected of ['public-liability.pdf', 'indemnity-certificate.png', 'Kirklees Council (3)', 'Yes. A 2022 contract ended early']) expect(review).to.contain(expected);

      for (const lot of lots) {
        await navigate(vet, () => vet.getByRole('button', { name: 'Decide a lot' }).click());
        await vet.getByRole('group', { name: 'Which lot are you deciding?' }).getByLabel(lotLabel(lot)).check();
        await vet.getByLabel('Admit the supplier to this lot').check();
        await vet.getByLabel('Reasons', { exact: true }).fill(`Strong case studies for lot ${lot.number}, and the self-cleaning on the ended contract is adequate.`);
        await press(vet, 'Continue');
        expect(await vet.locator('h1').innerText()).to.equal('Confirm the decision');
        expect(await vet.locator('main .govuk-summary-list').innerText()).to.contain(lotLabel(lot));
        await press(vet, 'Confirm: admit');
        expect(await vet.locator('.govuk-notification-banner').innerText()).to.contain(`${lotLabel(lot)}: supplier admitted`);
      }
      expect(await vet.locator('main table').first().innerText()).to.contain('Admitted');
      expect((await Application.findById(applicationId).lean())?.status).to.equal('decided');
      const lotIds = await Promise.all(lots.map(async (l) => String((await Lot.findOne({ number: l.number }).lean())!._id)));
      const admissions = await Admission.find({ supplier: organisation }).lean();
      expect(admissions.map((a) => String(a.lot)).sort()).to.deep.equal(lotIds.sort());
      expect(admissions.every((a) => a.status === 'active')).to.equal(true);
      // the admissions page counts it
      await navigate(vet, () => vet.locator('.govuk-service-navigation').getByRole('link', { name: 'Admissions', exact: true }).click());
      expect(await vet.locator('main table').innerText()).to.contain(lotLabel(lots[0]));

      // --- The supplier's application page shows the decision per lot, with the reasons.
      await page.goto(`${base()}${applicationPath}`);
      expect(await page.locator('h1').innerText()).to.equal(reference);
      expect(await page.locator('.govuk-summary-list').first().innerText()).to.contain('Decided');
      const decisions = page.locator('.app-decision');
      expect(await decisions.count()).to.equal(2);
      for (const lot of lots) {
        const d = await decisions.filter({ hasText: lotLabel(lot) }).innerText();
        expect(d).to.contain('Admitted');
        expect(d).to.contain(`Strong case studies for lot ${lot.number}`);
      }
      expect(suite.app().mailer.sent.filter((m) => m.to === email).length).to.be.greaterThan(1);

      // --- The public directory, signed out: search by name, then the public profile.
      const publicContext = await suite.context().browser()!.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const pub = await watched(publicContext);
        await pub.goto(`${base()}/suppliers`);
        await pub.getByLabel('Search by name or description').fill(orgName);
        await press(pub, 'Search');
        expect(new URL(pub.url()).searchParams.get('q')).to.equal(orgName);
        expect(await pub.locator('#results-count').innerText()).to.equal('1 supplier found');
        const result = pub.locator('#results .app-directory__result');
        expect(await result.innerText()).to.contain('Co-operative society');
        await navigate(pub, () => result.getByRole('link', { name: orgName }).click());
        expect(new URL(pub.url()).pathname).to.equal(`/suppliers/${organisation}`);
        expect(await pub.locator('h1').innerText()).to.equal(orgName);
        expect(await pub.locator('#description').innerText()).to.contain('Participatory research and food-economy policy');
        expect(await pub.locator('#lots').innerText()).to.contain(lotLabel(lots[1]));
        expect(await pub.locator('#website').innerText()).to.equal('https://calder-research.example.coop/');
        expect(await pub.locator('main').innerText()).to.not.contain(email);
        expect((await Organisation.findById(organisation).lean())?.name).to.equal(orgName);
      } finally {
        await publicContext.close();
      }
    } finally {
      await supplierContext.close();
    }
    expect(problems.flatMap(allProblems)).to.deep.equal([]);
  });
});
