// `node dist/scripts/screenshots.js [folder]`: full-page PNGs of every page, at 1280px and 375px wide, for a
// person to look over. The app runs as in the browser journeys (in-memory database, ephemeral port), seeded
// with the demo data (lots, councils, one account per role). Default folder: /tmp/screens.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { seedDemoIfEmpty, DemoAccount } from '../server/services/demo';
import { totpCode } from '../server/auth/totp';
import { allProblems, launchBrowser, PageProblems, RunningApp, startApp, watchedPage } from '../test/e2e/browser';
import { Competition } from '../models/Competition';
import { Lot } from '../models/Lot';
import { User } from '../models/User';
import { signIn as agentSignIn, TestUser, TEST_MASTER_KEY } from '../test/support/app';
import { Keyring } from '../server/sealing/keyring';
import { applicationPath, requiredFiles, saveSection, sectionPath, startApplication, TestLot, validAnswers } from '../test/support/applications';
import * as files from '../test/fixtures/files';

const WIDTHS = [1280, 375];

interface Shot {
  name: string;
  /** Brings the page to the state to capture; returns the HTTP status of the page's own response. */
  go: (page: Page, base: string) => Promise<number | undefined>;
}

const visit = (path: string) => async (page: Page, base: string) => (await page.goto(base + path, { waitUntil: 'load' }))?.status();

/** Submits the form on `path` with the fields filled as given (by id), and returns the answer's status. */
const submitWith = (path: string, fields: Record<string, string>, button: string) => async (page: Page, base: string) => {
  await page.goto(base + path, { waitUntil: 'load' });
  for (const [id, value] of Object.entries(fields)) await page.locator(`#${id}`).fill(value);
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: button }).click()]);
  return res?.status();
};

/** A step between shots that changes the state (runs once, not per width). */
interface Step {
  step: string;
  run: (page: Page, base: string) => Promise<void>;
}

/** Opens `path`, then clicks `button` and waits for the page it leads to; returns that page's status. */
const pressOn = (path: string, button: string, before?: (page: Page) => Promise<void>) => async (page: Page, base: string) => {
  await page.goto(base + path, { waitUntil: 'load' });
  await before?.(page);
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: button, exact: true }).click()]);
  return res?.status();
};

interface Result { file: string; status: number | undefined; title?: string; problems: string[]; overflow: boolean; error?: string }

function clear(problems: PageProblems): void {
  problems.consoleErrors.length = 0;
  problems.pageErrors.length = 0;
  problems.cspViolations.length = 0;
}

/** The shot at each width: its status, what the page reported, and whether it is wider than the viewport. */
async function capture(page: Page, problems: PageProblems, shot: Shot, base: string, out: string, results: Result[]) {
  for (const width of WIDTHS) {
    const file = join(out, `${shot.name}-${width}.png`);
    clear(problems);
    try {
      await page.setViewportSize({ width, height: 800 });
      const status = await shot.go(page, base);
      await page.waitForTimeout(100);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth')) as boolean;
      await page.screenshot({ path: file, fullPage: true });
      results.push({ file, status, title: await page.title(), problems: allProblems(problems), overflow });
    } catch (err) {
      results.push({ file, status: undefined, problems: allProblems(problems), overflow: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
    }
  }
}

/** Signs in through the forms; for two-factor roles, captures the code page first, then enters the current code. */
async function signIn(page: Page, app: RunningApp, account: DemoAccount, beforeCode?: () => Promise<void>): Promise<void> {
  await page.goto(`${app.baseUrl}/sign-in`);
  await page.locator('#email').fill(account.email);
  await page.locator('#password').fill(account.password);
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign in' }).click()]);
  if (!account.totpSecret) return;
  if (new URL(page.url()).pathname !== '/sign-in/two-factor') throw new Error(`expected the two-factor page, got ${page.url()}`);
  await beforeCode?.();
  await page.locator('#code').fill(totpCode(account.totpSecret, app.clock.now()));
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continue' }).click()]);
  if (new URL(page.url()).pathname.startsWith('/sign-in')) throw new Error(`two-factor sign-in did not complete: ${page.url()}`);
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? '/tmp/screens';
  mkdirSync(out, { recursive: true });
  const app = await startApp();
  let browser: Browser | undefined;
  const results: Result[] = [];
  try {
    const demo = await seedDemoIfEmpty(app.clock, { keyring: new Keyring(TEST_MASTER_KEY), mailer: app.mailer, baseUrl: app.baseUrl });
    if (!demo) throw new Error('the database was not empty');
    const account = (role: string) => demo.accounts.find((a) => a.role === role)!;
    browser = await launchBrowser();

    const session = async (shots: Array<Shot | Step>, role?: string) => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
      const { page, problems } = await watchedPage(context);
      try {
        if (role) {
          const a = account(role);
          const codePage: Shot = { name: `${role}-two-factor`, go: async (p) => (await p.reload({ waitUntil: 'load' }))?.status() };
          await signIn(page, app, a, a.totpSecret ? () => capture(page, problems, codePage, app.baseUrl, out, results) : undefined);
        }
        for (const shot of shots) {
          if ('step' in shot) {
            clear(problems);
            await shot.run(page, app.baseUrl);
            const p = allProblems(problems);
            if (p.length) results.push({ file: `step: ${shot.step}`, status: undefined, problems: p, overflow: false });
          } else {
            await capture(page, problems, shot, app.baseUrl, out, results);
          }
        }
      } catch (err) {
        results.push({ file: `${role ?? 'public'} session`, status: undefined, problems: [], overflow: false, error: err instanceof Error ? err.message.split('\n')[0] : String(err) });
      } finally {
        await context.close();
      }
    };

    await session([
      { name: 'home', go: visit('/') },
      { name: 'sign-in', go: visit('/sign-in') },
      { name: 'sign-in-error', go: submitWith('/sign-in', {}, 'Sign in') },
      { name: 'register', go: visit('/register') },
      { name: 'register-error', go: submitWith('/register', { name: 'Bea', password: 'password', confirmPassword: 'password' }, 'Create account') },
      { name: 'register-done', go: visit('/register/check-your-email') },
      { name: 'password-reset', go: visit('/password-reset') },
      { name: 'signed-out', go: visit('/signed-out') },
      { name: 'accessibility', go: visit('/accessibility') },
      { name: 'privacy', go: visit('/privacy') },
      { name: 'cookies', go: visit('/cookies') },
      // Signed out, an unknown address asks for sign-in (everything after the public allow-list needs it).
      { name: 'unknown-signed-out', go: visit('/no-such-page') },
    ]);
    await session([
      { name: 'supplier-dashboard', go: visit('/supplier') },
      { name: 'supplier-account', go: visit('/account') },
      { name: 'supplier-forbidden', go: visit('/admin') },
      { name: 'not-found', go: visit('/no-such-page') },
    ], 'supplier');
    // The demo's competitions: open (with an answered question), closed with two sealed bids, and a draft.
    // (One session per role: a second two-factor sign-in in the same 30 seconds would reuse a code, which is refused.)
    const demoCompetition = async (title: RegExp) => String((await Competition.findOne({ title }).lean())!._id);
    const [open, closed, draft] = [await demoCompetition(/Community wealth/), await demoCompetition(/home care/), await demoCompetition(/councillors/)];
    await session([
      { name: 'buyer-dashboard', go: visit('/buyer') },
      { name: 'buyer-account', go: visit('/account') },
      { name: 'buyer-competitions', go: visit('/buyer/competitions') },
      { name: 'buyer-competition-draft', go: visit(`/buyer/competitions/${draft}`) },
      { name: 'buyer-competition-criteria', go: visit(`/buyer/competitions/${draft}/criteria`) },
      { name: 'buyer-competition-deadlines', go: visit(`/buyer/competitions/${draft}/deadlines`) },
      { name: 'buyer-competition-publish', go: visit(`/buyer/competitions/${draft}/publish`) },
      { name: 'buyer-competition-open', go: visit(`/buyer/competitions/${open}`) },
      { name: 'buyer-clarifications', go: visit(`/buyer/competitions/${open}/clarifications`) },
      { name: 'buyer-deadline-change', go: visit(`/buyer/competitions/${open}/deadline`) },
      { name: 'buyer-cancel', go: visit(`/buyer/competitions/${open}/cancel`) },
      { name: 'buyer-tender-box-sealed', go: visit(`/buyer/competitions/${open}/tender-box`) },
      { name: 'buyer-tender-box-closed', go: visit(`/buyer/competitions/${closed}/tender-box`) },
      { name: 'buyer-bids-refused', go: visit(`/buyer/competitions/${closed}/tender-box/bids`) },
    ], 'buyer');
    await session([
      { name: 'supplier-opportunities', go: visit('/supplier/opportunities') },
      { name: 'supplier-opportunity', go: visit(`/supplier/opportunities/${open}`) },
      { name: 'supplier-question', go: visit(`/supplier/opportunities/${open}/questions/new`) },
      { name: 'supplier-bid', go: visit(`/supplier/opportunities/${open}/bid`) },
      { name: 'supplier-bid-answers', go: visit(`/supplier/opportunities/${open}/bid/answers`) },
      { name: 'supplier-bid-price', go: visit(`/supplier/opportunities/${open}/bid/price`) },
      { name: 'supplier-bid-social-value', go: visit(`/supplier/opportunities/${open}/bid/social-value`) },
      { name: 'supplier-bid-closed', go: visit(`/supplier/opportunities/${closed}/bid`) },
      { name: 'supplier-notifications', go: visit('/notifications') },
    ], 'supplier');
    await session([
      { name: 'admin-dashboard', go: visit('/admin') },
      { name: 'admin-councils', go: visit('/admin/councils') },
      { name: 'admin-council-new', go: visit('/admin/councils/new') },
      { name: 'admin-council-new-error', go: submitWith('/admin/councils/new', {}, 'Add council') },
      {
        name: 'admin-council',
        go: async (page, base) => {
          await page.goto(`${base}/admin/councils`);
          const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main a[href^="/admin/councils/"]:not([href$="/new"])').first().click()]);
          return res?.status();
        },
      },
      { name: 'admin-lots', go: visit('/admin/lots') },
      { name: 'admin-lot-new', go: visit('/admin/lots/new') },
      { name: 'admin-outbox', go: visit('/admin/outbox') },
      { name: 'admin-competitions', go: visit('/admin/competitions') },
      { name: 'admin-settings', go: visit('/admin/settings') },
    ], 'admin');

    // --- The DPS application journey, vetting, admissions and the directory (issue 4).
    const supplierAccount = account('supplier');
    const supplierUser = await User.findOne({ email: supplierAccount.email }).lean();
    const testSupplier: TestUser = { email: supplierAccount.email, password: supplierAccount.password, id: String(supplierUser!._id), organisation: String(supplierUser!.organisation) };
    const demoLots: TestLot[] = (await Lot.find({}).sort({ number: 1 }).lean()).slice(0, 2).map((l) => ({ id: String(l._id), number: l.number, title: l.title }));
    // A second session for the demo supplier (supertest), to fill sections quickly between shots.
    const agent = await agentSignIn(app, testSupplier);
    let appId = '';
    let answers: ReturnType<typeof validAnswers> = {};
    const section = (key: string) => sectionPath(appId, key);
    const must = async (what: string, res: { status: number; text: string }) => {
      if (res.status !== 303) throw new Error(`${what} answered ${res.status}: ${res.text.slice(0, 500)}`);
    };
    const live = (name: string, path: () => string): Shot => ({ name, go: async (page, base) => (await page.goto(base + path(), { waitUntil: 'load' }))?.status() });

    await session([
      { name: 'supplier-applications-empty', go: visit('/supplier/applications') },
      {
        step: 'start an application, organisation completed, contacts begun',
        run: async () => {
          appId = await startApplication(agent);
          answers = validAnswers(demoLots, await requiredFiles(testSupplier), { organisation: { legalName: 'Co-operative Futures Limited', tradingName: 'Co-operative Futures' } });
          await must('organisation', await saveSection(agent, appId, 'organisation', answers.organisation));
          await must('contacts', await saveSection(agent, appId, 'contacts', { mainName: 'Mo Main' }, 'draft'));
        },
      },
      live('supplier-application-task-list', () => applicationPath(appId)),
      live('supplier-section-organisation', () => section('organisation')),
      { name: 'supplier-section-contacts-error', go: async (page, base) => pressOn(section('contacts'), 'Save and continue')(page, base) },
      live('supplier-section-lots', () => section('lots')),
      // a yes reveals the self-cleaning explanation
      { name: 'supplier-section-exclusion', go: async (page, base) => {
        const res = await page.goto(base + section('exclusion'), { waitUntil: 'load' });
        await page.locator('#poorPerformance').check();
        return res?.status();
      } },
      { name: 'supplier-section-exclusion-error', go: async (page, base) => pressOn(section('exclusion'), 'Save and continue', async (p) => {
        await p.locator('#corruption').check();
        await p.locator('#organisedCrime-2').check();
      })(page, base) },
      live('supplier-section-financial', () => section('financial')),
      // an HTML file named .pdf is refused by content, and the rest of the form is kept
      { name: 'supplier-section-financial-upload-error', go: async (page, base) => pressOn(section('financial'), 'Save as draft', async (p) => {
        await p.locator('#turnoverLastYear').fill('250000');
        await p.locator('#publicLiabilityCertificate').setInputFiles({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: files.html() });
      })(page, base) },
      {
        step: 'upload the financial certificates through the form',
        run: async (page, base) => {
          await page.goto(base + section('financial'), { waitUntil: 'load' });
          await page.locator('#turnoverLastYear').fill('250000');
          await page.locator('#turnoverYearBefore').fill('210000');
          await page.locator('#employersLiability').fill('5000000');
          await page.locator('#publicLiability').fill('5000000');
          await page.locator('#professionalIndemnity').fill('1000000');
          await page.locator('#publicLiabilityCertificate').setInputFiles({ name: 'Public liability certificate 2026.pdf', mimeType: 'application/pdf', buffer: files.pdf('public liability') });
          await page.locator('#professionalIndemnityCertificate').setInputFiles({ name: 'indemnity.png', mimeType: 'image/png', buffer: files.png() });
          await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Save and continue', exact: true }).click()]);
          if (new URL(page.url()).pathname !== applicationPath(appId)) throw new Error(`financial did not save: ${page.url()}`);
        },
      },
      live('supplier-section-financial-uploaded', () => section('financial')),
      {
        step: 'four case studies',
        run: async () => must('technical', await saveSection(agent, appId, 'technical', answers.technical)),
      },
      live('supplier-section-technical', () => section('technical')),
      live('supplier-section-values', () => section('values')),
      live('supplier-section-policies', () => section('policies')),
      live('supplier-section-declarations', () => section('declarations')),
      {
        step: 'every section completed',
        run: async () => {
          const { financial: _financial, ...rest } = answers;
          for (const [key, fields] of Object.entries(rest)) await must(key, await saveSection(agent, appId, key, fields));
        },
      },
      live('supplier-application-task-list-complete', () => applicationPath(appId)),
      live('supplier-check-answers', () => applicationPath(appId, '/check-answers')),
      {
        step: 'submit',
        run: async (page, base) => {
          await page.goto(base + applicationPath(appId, '/check-answers'), { waitUntil: 'load' });
          await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Accept and submit' }).click()]);
          if (!page.url().endsWith('/confirmation')) throw new Error(`submission failed: ${page.url()}`);
        },
      },
      live('supplier-application-confirmation', () => applicationPath(appId, '/confirmation')),
      live('supplier-application-submitted', () => applicationPath(appId)),
      live('supplier-applications-list', () => '/supplier/applications'),
    ], 'supplier');

    // the app's clock stands still: a later authenticator step, so the admin's second sign-in is not a replayed code
    app.clock.advance(31_000);
    const reasons = 'Strong case studies with councils, and clear evidence of democratic member control.';
    await session([
      { name: 'admin-applications-queue', go: visit('/admin/applications') },
      live('admin-application-review', () => `/admin/applications/${appId}`),
      live('admin-application-decision', () => `/admin/applications/${appId}/decision`),
      { name: 'admin-application-decision-error', go: async (page, base) => pressOn(`/admin/applications/${appId}/decision`, 'Continue')(page, base) },
      { name: 'admin-application-decision-confirm', go: async (page, base) => pressOn(`/admin/applications/${appId}/decision`, 'Continue', async (p) => {
        await p.locator(`input[name=lot][value="${demoLots[0].id}"]`).check();
        await p.locator('#outcome').check();
        await p.locator('#reasons').fill(reasons);
      })(page, base) },
      {
        step: 'admit to the first lot, reject the second',
        run: async (page, base) => {
          for (const [lot, outcome, text] of [[demoLots[0], 'admitted', reasons], [demoLots[1], 'rejected', 'The case studies for this lot are too small. Apply again with two contracts over £10,000.']] as const) {
            await page.goto(`${base}/admin/applications/${appId}/decision`, { waitUntil: 'load' });
            await page.locator(`input[name=lot][value="${lot.id}"]`).check();
            await page.locator(`input[name=outcome][value="${outcome}"]`).check();
            await page.locator('#reasons').fill(text);
            await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Continue', exact: true }).click()]);
            await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: /^Confirm: / }).click()]);
            if (new URL(page.url()).pathname !== `/admin/applications/${appId}`) throw new Error(`decision failed: ${page.url()}`);
          }
        },
      },
      live('admin-application-decided', () => `/admin/applications/${appId}`),
      { name: 'admin-applications-decided', go: visit('/admin/applications?status=decided') },
      { name: 'admin-admissions', go: visit('/admin/admissions') },
      live('admin-admissions-lot', () => `/admin/admissions/lots/${demoLots[0].id}`),
      {
        name: 'admin-admission',
        go: async (page, base) => {
          await page.goto(`${base}/admin/admissions/lots/${demoLots[0].id}`);
          const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#admissions a').first().click()]);
          return res?.status();
        },
      },
    ], 'admin');

    await session([
      live('supplier-application-decided', () => applicationPath(appId)),
      live('supplier-submitted-answers', () => applicationPath(appId, '/check-answers')),
    ], 'supplier');

    await session([
      { name: 'directory', go: visit('/suppliers') },
      { name: 'directory-search', go: visit('/suppliers?q=co-operative+futures') },
      { name: 'directory-no-results', go: visit('/suppliers?q=zzzz&nation=Wales') },
      {
        name: 'directory-profile',
        go: async (page, base) => {
          await page.goto(`${base}/suppliers`);
          const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('#results a').first().click()]);
          return res?.status();
        },
      },
    ]);
  } finally {
    await browser?.close();
    await app.close();
  }

  for (const r of results) {
    const notes = [r.error && `FAILED: ${r.error}`, r.overflow && 'wider than the viewport', ...r.problems].filter(Boolean).join('; ');
    console.log(`${String(r.status ?? '-').padEnd(4)} ${r.file}  "${r.title ?? ''}"${notes ? `  ${notes}` : ''}`);
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
