// The public supplier directory (issue 4): who is listed, search, filters, pages, bad queries,
// output encoding (security D14) and whitelisted fields only (security C13).
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { safeWebsite } from '../../routes/directory';
import { resetDatabase, testApp, TestApp } from '../support/app';

let counter = 0;
const run = Date.now().toString(36);
/** A word no other test's data contains, to search for. */
function token(prefix = 'zq'): string {
  return `${prefix}${run}x${counter++}`;
}

interface SupplierSpec {
  name: string;
  profile?: Record<string, unknown>;
  /** lot id -> admission status */
  admissions?: Array<{ lot: Types.ObjectId; status: 'active' | 'suspended' | 'removed'; reason?: string }>;
}

const baseProfile = {
  legalForm: 'co-operative-society', registrationScheme: 'fca-mutuals', registrationNumber: 'RS001234',
  nation: 'England', region: 'North West', size: 'small', vcse: true, description: 'Community research and evaluation.',
};

async function createSupplier(spec: SupplierSpec): Promise<string> {
  const org = await Organisation.create({ kind: 'supplier', name: spec.name, profile: { legalName: spec.name, ...baseProfile, ...spec.profile } });
  for (const a of spec.admissions ?? []) {
    await Admission.create({
      supplier: org._id, lot: a.lot, application: new Types.ObjectId(), status: a.status, admittedAt: new Date(),
      history: a.status === 'active' ? [] : [{ status: a.status, reason: a.reason ?? 'Reason on record', at: new Date() }],
    });
  }
  return String(org._id);
}

async function createLot(title: string): Promise<{ id: Types.ObjectId; number: number }> {
  const last = await Lot.findOne({}).sort({ number: -1 }).lean();
  const number = (last?.number ?? 0) + 1;
  const lot = await Lot.create({ number, title, description: `${title} work.`, active: true });
  return { id: lot._id, number };
}

/** The supplier names listed on a directory page, in order. */
function names($: cheerio.CheerioAPI): string[] {
  return $('#results > li h3 a').map((_i, el) => $(el).text().trim()).get();
}

describe('public supplier directory', function () {
  this.timeout(30_000);
  let t: TestApp;
  let anon: request.Agent;
  let lotA: { id: Types.ObjectId; number: number };
  let lotB: { id: Types.ObjectId; number: number };

  before(async () => {
    t = await testApp();
    await resetDatabase();
    anon = request.agent(t.app);
    lotA = await createLot('Policy development and research');
    lotB = await createLot('Evaluation and social value measurement');
  });

  async function page(path: string): Promise<cheerio.CheerioAPI> {
    const res = await anon.get(path);
    expect(res.status, `${path} -> ${res.status}`).to.equal(200);
    return cheerio.load(res.text);
  }

  it('is public: anyone reaches it from the navigation and the home page, without signing in', async () => {
    const home = await page('/');
    expect(home('#directory-link').attr('href')).to.equal('/suppliers');
    const $ = await page('/suppliers');
    expect($('head title').text()).to.equal('Supplier directory – Co-op Councils DPS');
    expect($('h1').text()).to.equal('Supplier directory');
    const nav = $('.govuk-service-navigation a[href="/suppliers"]');
    expect(nav.text().trim()).to.equal('Supplier directory');
    expect(nav.attr('aria-current')).to.equal('true');
    // a GET search form: a text input and the filters
    expect($('form[method=get][action="/suppliers"] input#q[name=q]')).to.have.length(1);
    for (const f of ['lot', 'legalForm', 'nation', 'size', 'vcse']) expect($(`select#${f}[name=${f}]`), f).to.have.length(1);
    expect($(`select#lot option[value="${lotA.number}"]`).text()).to.equal(`Lot ${lotA.number}: Policy development and research`);
  });

  it('lists only suppliers with an active admission, each with only its active lots', async () => {
    const word = token();
    const active = await createSupplier({ name: `Active ${word}`, admissions: [{ lot: lotA.id, status: 'active' }] });
    const suspended = await createSupplier({ name: `Suspended ${word}`, admissions: [{ lot: lotA.id, status: 'suspended' }] });
    const removed = await createSupplier({ name: `Removed ${word}`, admissions: [{ lot: lotA.id, status: 'removed' }] });
    const none = await createSupplier({ name: `Unadmitted ${word}` });
    const mixed = await createSupplier({ name: `Mixed ${word}`, admissions: [{ lot: lotA.id, status: 'removed' }, { lot: lotB.id, status: 'active' }] });
    // an organisation that is not a supplier is never listed, even with an admission
    const council = await Organisation.create({ kind: 'council', name: `Council ${word}`, councilType: 'unitary', nation: 'England', membership: 'full' });
    await Admission.create({ supplier: council._id, lot: lotA.id, application: new Types.ObjectId(), status: 'active', admittedAt: new Date() });

    const $ = await page(`/suppliers?q=${word}`);
    expect($('#results-count').text()).to.equal('2 suppliers found');
    expect(names($)).to.deep.equal([`Active ${word}`, `Mixed ${word}`]);
    const mixedItem = $('#results > li').eq(1);
    expect(mixedItem.find('.app-directory__lots li').map((_i, el) => $(el).text()).get()).to.deep.equal([`Lot ${lotB.number}: Evaluation and social value measurement`]);
    expect(mixedItem.find('h3 a').attr('href')).to.equal(`/suppliers/${mixed}`);

    expect((await anon.get(`/suppliers/${active}`)).status).to.equal(200);
    expect((await anon.get(`/suppliers/${mixed}`)).status).to.equal(200);
    for (const id of [suspended, removed, none, String(council._id)]) {
      expect((await anon.get(`/suppliers/${id}`)).status, id).to.equal(404);
    }

    // suspension takes a supplier out of the directory at once
    await Admission.updateOne({ supplier: active }, { $set: { status: 'suspended' } });
    expect(names(await page(`/suppliers?q=${word}`))).to.deep.equal([`Mixed ${word}`]);
    expect((await anon.get(`/suppliers/${active}`)).status).to.equal(404);
  });

  it('searches names and descriptions, case-insensitively, every word counting', async () => {
    const word = token();
    await createSupplier({ name: `Riverside Housing Co-op ${word}`, profile: { description: 'Community-led housing and asset transfer.' }, admissions: [{ lot: lotA.id, status: 'active' }] });
    await createSupplier({ name: `Northern Evaluators ${word}`, profile: { description: 'Social value measurement for councils.' }, admissions: [{ lot: lotA.id, status: 'active' }] });
    await createSupplier({ name: `Oak Trading ${word}`, profile: { tradingName: 'Acorn Labs', description: 'Prototypes.' }, admissions: [{ lot: lotA.id, status: 'active' }] });

    expect(names(await page(`/suppliers?q=${encodeURIComponent(`riverside ${word}`)}`))).to.deep.equal([`Riverside Housing Co-op ${word}`]);
    expect(names(await page(`/suppliers?q=${encodeURIComponent(`SOCIAL VALUE ${word}`)}`))).to.deep.equal([`Northern Evaluators ${word}`]);
    expect(names(await page(`/suppliers?q=${encodeURIComponent(`asset ${word}`)}`))).to.deep.equal([`Riverside Housing Co-op ${word}`]);
    expect(names(await page(`/suppliers?q=${encodeURIComponent(`acorn ${word}`)}`))).to.deep.equal([`Oak Trading ${word}`]);
    // both words must match somewhere
    expect(names(await page(`/suppliers?q=${encodeURIComponent(`riverside measurement ${word}`)}`))).to.deep.equal([]);
    // search text is trimmed, and kept in the box
    const $ = await page(`/suppliers?q=${encodeURIComponent(`   northern ${word}   `)}`);
    expect(names($)).to.deep.equal([`Northern Evaluators ${word}`]);
    expect($('#q').val()).to.equal(`northern ${word}`);
  });

  it('treats search text as text, never as a pattern', async () => {
    const word = token();
    await createSupplier({ name: `Bracket (North) Ltd ${word}`, admissions: [{ lot: lotA.id, status: 'active' }] });
    await createSupplier({ name: `Plain North Ltd ${word}`, admissions: [{ lot: lotA.id, status: 'active' }] });
    expect(names(await page(`/suppliers?q=${encodeURIComponent(`(North) ${word}`)}`))).to.deep.equal([`Bracket (North) Ltd ${word}`]);
    for (const q of ['.*', '^', '[a-z]+', '((', 'N.rth', '\\w', 'a|b']) {
      const $ = await page(`/suppliers?q=${encodeURIComponent(`${q} ${word}`)}`);
      expect(names($), q).to.deep.equal([]);
    }
  });

  it('filters by lot, legal form, nation, size and VCSE, and the filters combine with search', async () => {
    const word = token();
    await createSupplier({ name: `Alpha ${word}`, profile: { legalForm: 'co-operative-society', nation: 'Scotland', size: 'micro', vcse: true }, admissions: [{ lot: lotA.id, status: 'active' }] });
    await createSupplier({ name: `Beta ${word}`, profile: { legalForm: 'cic', nation: 'Wales', size: 'medium', vcse: false }, admissions: [{ lot: lotB.id, status: 'active' }] });
    await createSupplier({ name: `Gamma ${word}`, profile: { legalForm: 'cic', nation: 'Scotland', size: 'large', vcse: false }, admissions: [{ lot: lotA.id, status: 'active' }, { lot: lotB.id, status: 'active' }] });
    // admitted to lot B once, but suspended there: the lot B filter leaves it out
    await createSupplier({ name: `Delta ${word}`, profile: { legalForm: 'charity', nation: 'Northern Ireland', size: 'small', vcse: true }, admissions: [{ lot: lotA.id, status: 'active' }, { lot: lotB.id, status: 'suspended' }] });

    const cases: Array<[string, string[]]> = [
      [`lot=${lotA.number}`, ['Alpha', 'Delta', 'Gamma']],
      [`lot=${lotB.number}`, ['Beta', 'Gamma']],
      ['legalForm=cic', ['Beta', 'Gamma']],
      ['legalForm=charity', ['Delta']],
      ['nation=Scotland', ['Alpha', 'Gamma']],
      ['nation=Northern+Ireland', ['Delta']],
      ['size=micro', ['Alpha']],
      ['size=large', ['Gamma']],
      ['vcse=yes', ['Alpha', 'Delta']],
      ['vcse=no', ['Beta', 'Gamma']],
      [`legalForm=cic&nation=Scotland&lot=${lotB.number}`, ['Gamma']],
      ['legalForm=cic&vcse=yes', []],
      // an empty select ("All ...") is no filter
      ['lot=&legalForm=&nation=&size=&vcse=', ['Alpha', 'Beta', 'Delta', 'Gamma']],
    ];
    for (const [filters, expected] of cases) {
      const $ = await page(`/suppliers?q=${word}&${filters}`);
      expect(names($), filters).to.deep.equal(expected.map((n) => `${n} ${word}`));
      expect($('#results-count').text(), filters).to.equal(expected.length === 1 ? '1 supplier found' : `${expected.length} suppliers found`);
    }
    // the chosen filters stay selected, and there is a way to clear them
    const $ = await page(`/suppliers?q=${word}&legalForm=cic&nation=Scotland&size=large&vcse=no&lot=${lotA.number}`);
    expect($('#legalForm').val()).to.equal('cic');
    expect($('#nation').val()).to.equal('Scotland');
    expect($('#size').val()).to.equal('large');
    expect($('#vcse').val()).to.equal('no');
    expect($('#lot').val()).to.equal(String(lotA.number));
    expect($('#clear-filters').attr('href')).to.equal('/suppliers');
  });

  it('shows each result with its legal form, nation, size, VCSE tag and lots', async () => {
    const word = token();
    await createSupplier({ name: `Shown ${word}`, profile: { legalForm: 'community-benefit-society', nation: 'Wales', size: 'micro', vcse: true, description: `Shown description ${word}.` }, admissions: [{ lot: lotB.id, status: 'active' }, { lot: lotA.id, status: 'active' }] });
    await createSupplier({ name: `Untagged ${word}`, profile: { vcse: false }, admissions: [{ lot: lotA.id, status: 'active' }] });
    const $ = await page(`/suppliers?q=${word}`);
    const item = $('#results > li').first();
    const facts = item.find('.govuk-summary-list__row').map((_i, el) => `${$(el).find('dt').text().trim()}: ${$(el).find('dd').text().trim()}`).get();
    expect(facts).to.deep.equal(['Legal form: Community benefit society', 'Nation: Wales', 'Size: Micro']);
    expect(item.find('.govuk-tag').text().trim()).to.equal('VCSE');
    expect(item.find('.app-directory__description').text()).to.equal(`Shown description ${word}.`);
    expect(item.find('.app-directory__lots li').map((_i, el) => $(el).text()).get()).to.deep.equal([
      `Lot ${lotA.number}: Policy development and research`, `Lot ${lotB.number}: Evaluation and social value measurement`,
    ]);
    expect($('#results > li').eq(1).find('.govuk-tag')).to.have.length(0);
  });

  it('pages 20 at a time, sorted by name, the page links keeping the search and filters', async () => {
    const word = token();
    // created out of order, so the sort is the directory's, not insertion order
    const order = Array.from({ length: 23 }, (_v, i) => i).sort((a, b) => ((a * 7) % 23) - ((b * 7) % 23));
    for (const i of order) {
      await createSupplier({ name: `Paged ${String(i).padStart(2, '0')} ${word}`, profile: { nation: 'Wales' }, admissions: [{ lot: lotA.id, status: 'active' }] });
    }
    const first = await page(`/suppliers?q=${word}&nation=Wales`);
    expect(first('#results-count').text()).to.equal('23 suppliers found');
    expect(names(first)).to.deep.equal(Array.from({ length: 20 }, (_v, i) => `Paged ${String(i).padStart(2, '0')} ${word}`));
    const next = first('.govuk-pagination__next a').attr('href');
    expect(next).to.equal(`/suppliers?q=${word}&nation=Wales&page=2`);
    expect(first('.govuk-pagination__item--current').text().trim()).to.equal('1');

    const second = await page(next!);
    expect(names(second)).to.deep.equal([20, 21, 22].map((i) => `Paged ${i} ${word}`));
    expect(second('#results-count').text()).to.equal('23 suppliers found');
    expect(second('.govuk-pagination__prev a').attr('href')).to.equal(`/suppliers?q=${word}&nation=Wales`);
    expect(second('.govuk-pagination__next')).to.have.length(0);
    expect(second('#nation').val()).to.equal('Wales');

    // a page past the last is not found; one page needs no pagination
    expect((await anon.get(`/suppliers?q=${word}&nation=Wales&page=3`)).status).to.equal(404);
    const single = await page(`/suppliers?q=${encodeURIComponent(`paged 05 ${word}`)}`);
    expect(names(single)).to.deep.equal([`Paged 05 ${word}`]);
    expect(single('.govuk-pagination')).to.have.length(0);
  });

  it('reads each page with one query for admissions and one for lots, however many suppliers it shows', async () => {
    const word = token();
    for (let i = 0; i < 20; i++) {
      await createSupplier({ name: `Counted ${String(i).padStart(2, '0')} ${word}`, admissions: [{ lot: lotA.id, status: 'active' }, { lot: lotB.id, status: 'active' }] });
    }
    const calls: string[] = [];
    mongoose.set('debug', (collection: string, method: string) => { calls.push(`${collection}.${method}`); });
    try {
      const $ = await page(`/suppliers?q=${word}`);
      expect(names($)).to.have.length(20);
      expect($('#results > li').first().find('.app-directory__lots li')).to.have.length(2);
    } finally {
      mongoose.set('debug', false);
    }
    const admissions = calls.filter((c) => c.startsWith('admissions.'));
    const lots = calls.filter((c) => c.startsWith('lots.'));
    // admissions: the listed suppliers (distinct) and the page's lots (find); lots: the filter's choices and the page's lots
    expect(admissions, calls.join(', ')).to.have.length(2);
    expect(lots, calls.join(', ')).to.have.length(2);
  });

  it('shows an empty state with advice', async () => {
    const word = token();
    const $ = await page(`/suppliers?q=${word}&size=micro`);
    expect($('#results-count').text()).to.equal('0 suppliers found');
    expect($('#results')).to.have.length(0);
    expect($('#no-results').text()).to.contain('No suppliers match your search and filters');
    expect($('#no-results').text()).to.contain('removing some filters');
    expect($('#no-results a').attr('href')).to.equal('/suppliers');
  });

  it('answers a repeated parameter or an unknown filter value with 400', async () => {
    const bad = [
      '/suppliers?q=a&q=b', `/suppliers?lot=${lotA.number}&lot=${lotB.number}`, '/suppliers?nation=Wales&nation=Scotland',
      '/suppliers?legalForm=cic&legalForm=cic', '/suppliers?vcse=yes&vcse=no', '/suppliers?size=micro&size=small', '/suppliers?page=1&page=2',
      '/suppliers?lot=99', '/suppliers?lot=abc', `/suppliers?lot=${lotA.id}`, '/suppliers?legalForm=plc', '/suppliers?nation=Atlantis',
      '/suppliers?nation=england', '/suppliers?size=huge', '/suppliers?vcse=maybe', '/suppliers?vcse=true',
      '/suppliers?page=0', '/suppliers?page=-1', '/suppliers?page=abc', '/suppliers?page=1.5',
    ];
    for (const path of bad) {
      const res = await anon.get(path);
      expect(res.status, path).to.equal(400);
      expect(cheerio.load(res.text)('h1').text(), path).to.equal('There is a problem with your request');
    }
    // operator-shaped parameters are only unknown names: ignored, never a query
    expect((await anon.get('/suppliers?q[$ne]=x&nation[$gt]=')).status).to.equal(200);
  });

  it('refuses search text over 100 characters with an error message, and accepts 100', async () => {
    const long = await anon.get(`/suppliers?q=${'a'.repeat(101)}`);
    expect(long.status).to.equal(400);
    const $ = cheerio.load(long.text);
    expect($('head title').text()).to.match(/^Error: Supplier directory/);
    expect($('.govuk-error-summary a[href="#q"]').text()).to.equal('Search text must be 100 characters or fewer');
    expect($('#q-error').text()).to.contain('Search text must be 100 characters or fewer');
    expect($('#results')).to.have.length(0);
    const ok = await anon.get(`/suppliers?q=${'a'.repeat(100)}`);
    expect(ok.status).to.equal(200);
    // trimmed before it is measured
    expect((await anon.get(`/suppliers?q=${encodeURIComponent(`  ${'a'.repeat(100)}  `)}`)).status).to.equal(200);
  });

  it('shows a public profile with the whitelisted fields and active lots only', async () => {
    const word = token();
    const id = await createSupplier({
      name: `Profiled Co-operative ${word}`,
      profile: {
        tradingName: 'Profiled', legalForm: 'co-operative-society', registrationScheme: 'fca-mutuals', registrationNumber: 'RS009999',
        nation: 'Scotland', region: 'Scotland', size: 'micro', vcse: true, website: 'https://profiled.example.coop/about', description: `We do research ${word}.`,
      },
      admissions: [{ lot: lotA.id, status: 'active' }, { lot: lotB.id, status: 'removed' }],
    });
    const $ = await page(`/suppliers/${id}`);
    expect($('head title').text()).to.equal(`Profiled Co-operative ${word} – Co-op Councils DPS`);
    expect($('h1').text()).to.equal(`Profiled Co-operative ${word}`);
    const rows = $('.govuk-summary-list__row').map((_i, el) => `${$(el).find('dt').text().trim()}: ${$(el).find('dd').text().trim()}`).get();
    expect(rows).to.deep.equal([
      'Trading name: Profiled', 'Legal form: Co-operative society', 'Registered with: FCA mutuals register', 'Registration number: RS009999',
      'Nation: Scotland', 'Region: Scotland', 'Size: Micro', 'Voluntary, community or social enterprise (VCSE): Yes',
    ]);
    expect($('#description').text()).to.equal(`We do research ${word}.`);
    expect($('#website a').attr('href')).to.equal('https://profiled.example.coop/about');
    expect($('#lots li').map((_i, el) => $(el).text()).get()).to.deep.equal([`Lot ${lotA.number}: Policy development and research`]);
    expect($('.govuk-breadcrumbs a[href="/suppliers"]').text()).to.equal('Supplier directory');
  });

  it('answers 404 for a malformed or unknown profile id', async () => {
    for (const id of ['not-an-id', '0123456789abcdef0123456', '0123456789abcdef012345678', 'zzzzzzzzzzzzzzzzzzzzzzzz', String(new Types.ObjectId()), '%24ne']) {
      expect((await anon.get(`/suppliers/${id}`)).status, id).to.equal(404);
    }
    expect((await anon.get(`/suppliers/${String(lotA.id)}`)).status).to.equal(404);
  });

  it('escapes stored markup and never links a javascript: website', async () => {
    const word = token();
    const id = await createSupplier({
      name: `<script>alert(1)</script> ${word}`,
      profile: { tradingName: '"><img src=x onerror=alert(1)>', description: `<b>bold</b> "><img src=x onerror=alert(2)> ${word}`, website: 'javascript:alert(1)' },
      admissions: [{ lot: lotA.id, status: 'active' }],
    });
    const other = await createSupplier({ name: `Spaced URL ${word}`, profile: { website: ' JaVaScRiPt:alert(3)' }, admissions: [{ lot: lotA.id, status: 'active' }] });
    for (const path of [`/suppliers?q=${word}`, `/suppliers/${id}`, `/suppliers/${other}`]) {
      const res = await anon.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.not.contain('<script>alert(1)</script>');
      expect(res.text, path).to.not.contain('<img src=x');
      expect(res.text, path).to.not.contain('<b>bold</b>');
      const $ = cheerio.load(res.text);
      expect($('img'), path).to.have.length(0);
      expect($('b'), path).to.have.length(0);
      // the only script is the layout's own module
      expect($('script').map((_i, el) => $(el).attr('src')).get(), path).to.deep.equal(['/public/js/app.js']);
      expect($('a[href]').filter((_i, el) => /^\s*javascript:/i.test($(el).attr('href')!)), path).to.have.length(0);
    }
    const list = await page(`/suppliers?q=${word}`);
    expect(list('#results > li h3 a').first().text()).to.equal(`<script>alert(1)</script> ${word}`);
    const profile = await page(`/suppliers/${id}`);
    expect(profile('h1').text()).to.equal(`<script>alert(1)</script> ${word}`);
    expect(profile('#website a')).to.have.length(0);
    expect(profile('#website').text()).to.equal('javascript:alert(1)');
    expect(profile('#description').text()).to.equal(`<b>bold</b> "><img src=x onerror=alert(2)> ${word}`);
  });

  it('links a website only when it is an absolute http(s) address', () => {
    expect(safeWebsite('https://example.coop')).to.equal('https://example.coop/');
    expect(safeWebsite(' http://example.org/a?b=c ')).to.equal('http://example.org/a?b=c');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', '\tjavascript:alert(1)', 'java\nscript:alert(1)', 'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)', '//evil.example', 'example.coop', 'https://exa mple.coop', 'ftp://example.org', '', undefined]) {
      expect(safeWebsite(bad), String(bad)).to.equal(undefined);
    }
  });

  it('never shows contacts, e-mails, telephone numbers, application answers, scores or removal reasons', async () => {
    const word = token();
    const S = {
      email: `sentinel-email-${word}@example.org`, phone: `07700 9${counter}0 SENTINEL-PHONE-${word}`, contact: `SENTINEL-CONTACT-${word}`,
      address: `SENTINEL-ADDRESS-${word}`, answer: `SENTINEL-ANSWER-${word}`, score: `SENTINEL-SCORE-${word}`, reason: `SENTINEL-REASON-${word}`,
      clarification: `SENTINEL-CLARIFICATION-${word}`, decision: `SENTINEL-DECISION-${word}`, userName: `SENTINEL-USER-${word}`,
    };
    const id = await createSupplier({
      name: `Private Parts ${word}`,
      admissions: [{ lot: lotA.id, status: 'active' }, { lot: lotB.id, status: 'removed', reason: S.reason }],
    });
    // fields a later change might add to the organisation, written past the schema: the directory must not read them
    await Organisation.collection.updateOne({ _id: new Types.ObjectId(id) }, {
      $set: { 'profile.mainEmail': S.email, 'profile.mainPhone': S.phone, 'profile.registeredAddress': S.address, 'profile.mainName': S.contact, contactEmail: S.email, notes: S.reason },
    });
    const user = await User.create({ email: S.email, name: S.userName, role: 'supplier', organisation: id, passwordHash: 'x' });
    const reviewer = new Types.ObjectId();
    await Application.create({
      supplier: id, createdBy: user._id, status: 'decided', reference: `APP-${word}`, submittedAt: new Date(), lots: [lotA.id, lotB.id],
      answers: {
        organisation: { registeredAddress: S.address },
        contacts: { mainName: S.contact, mainEmail: S.email, mainPhone: S.phone, bidName: S.contact, bidEmail: S.email },
        exclusion: { insolvency: 'yes', insolvencyExplain: S.answer },
        values: { 'concern-for-community': S.answer },
      },
      snapshot: { contacts: { mainEmail: S.email, mainPhone: S.phone }, values: { values: S.answer } },
      reviews: [{ reviewer, scores: { values: { score: 4, comment: S.score } }, submittedAt: new Date() }],
      clarifications: [{ question: S.clarification, askedBy: reviewer, askedAt: new Date(), answer: S.clarification }],
      decisions: [
        { lot: lotA.id, outcome: 'admitted', reasons: S.decision, decidedBy: reviewer, decidedAt: new Date() },
        { lot: lotB.id, outcome: 'admitted', reasons: S.decision, decidedBy: reviewer, decidedAt: new Date() },
      ],
    });

    const pages = [`/suppliers?q=${word}`, `/suppliers/${id}`, `/suppliers?q=${encodeURIComponent(`private ${word}`)}&lot=${lotA.number}`];
    for (const path of pages) {
      const res = await anon.get(path);
      expect(res.status, path).to.equal(200);
      expect(res.text, path).to.contain(`Private Parts ${word}`);
      for (const [what, sentinel] of Object.entries(S)) expect(res.text, `${what} on ${path}`).to.not.contain(sentinel);
      expect(res.text, path).to.not.match(/SENTINEL/);
      expect(res.text, path).to.not.contain(`APP-${word}`);
    }
    // searching for private text finds nothing: only the name and the public description are searched
    for (const sentinel of [S.email, S.answer, S.address, S.reason]) {
      expect(names(await page(`/suppliers?q=${encodeURIComponent(sentinel)}`)), sentinel).to.deep.equal([]);
    }
  });
});
