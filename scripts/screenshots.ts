// `node dist/scripts/screenshots.js [folder]`: full-page PNGs of every page, at 1280px and 375px wide, for a
// person to look over. The app runs as in the browser journeys (in-memory database, ephemeral port), seeded
// with the demo data (lots, councils, one account per role). Default folder: /tmp/screens.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { seedDemoIfEmpty, DemoAccount } from '../server/services/demo';
import { totpCode } from '../server/auth/totp';
import { allProblems, launchBrowser, PageProblems, RunningApp, startApp, watchedPage } from '../test/e2e/browser';

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
    const demo = await seedDemoIfEmpty(app.clock);
    if (!demo) throw new Error('the database was not empty');
    const account = (role: string) => demo.accounts.find((a) => a.role === role)!;
    browser = await launchBrowser();

    const session = async (shots: Shot[], role?: string) => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
      const { page, problems } = await watchedPage(context);
      try {
        if (role) {
          const a = account(role);
          const codePage: Shot = { name: `${role}-two-factor`, go: async (p) => (await p.reload({ waitUntil: 'load' }))?.status() };
          await signIn(page, app, a, a.totpSecret ? () => capture(page, problems, codePage, app.baseUrl, out, results) : undefined);
        }
        for (const shot of shots) await capture(page, problems, shot, app.baseUrl, out, results);
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
    await session([
      { name: 'buyer-dashboard', go: visit('/buyer') },
      { name: 'buyer-account', go: visit('/account') },
    ], 'buyer');
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
    ], 'admin');
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
