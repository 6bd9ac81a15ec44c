// Browser journeys' harness: the real app on an ephemeral port over the embedded in-memory database,
// driven by Debian's chromium through playwright-core (no browser download: `npx playwright install` cannot work here).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { totpCode } from '../../server/auth/totp';
import { Server } from 'node:http';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { testApp, TestApp } from '../support/app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags that make chromium run headless, as root, on a machine with a closed network. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface RunningApp extends TestApp {
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the app (testApp(): own clock and mailer, shared in-memory database) on 127.0.0.1, port 0. */
export async function startApp(): Promise<RunningApp> {
  const t = await testApp();
  const server: Server = await new Promise((resolve, reject) => {
    const s = t.app.listen(0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const { port } = server.address() as AddressInfo;
  return {
    ...t,
    baseUrl: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** What a page reported that a user should never cause: console errors, uncaught exceptions, CSP violations. */
export interface PageProblems {
  consoleErrors: string[];
  pageErrors: string[];
  cspViolations: string[];
}

/**
 * A new page that records its problems. CSP violations come two ways: chromium logs each as a console error
 * ("Refused to ..."), and the document's `securitypolicyviolation` event, caught by a script playwright injects
 * through the DevTools protocol (which the page's CSP does not govern).
 */
export async function watchedPage(context: BrowserContext): Promise<{ page: Page; problems: PageProblems }> {
  const problems: PageProblems = { consoleErrors: [], pageErrors: [], cspViolations: [] };
  await context.exposeBinding('__reportCspViolation', (_source, text: string) => {
    problems.cspViolations.push(text);
  });
  // A string, not a function: this project compiles without the DOM library.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    window.__reportCspViolation(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
  });`);
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.consoleErrors.push(`${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => problems.pageErrors.push(err.message));
  return { page, problems };
}

/** Every problem a page recorded, flattened, for one assertion with a readable failure. */
export function allProblems(p: PageProblems): string[] {
  return [...p.consoleErrors.map((e) => `console: ${e}`), ...p.pageErrors.map((e) => `pageerror: ${e}`), ...p.cspViolations.map((e) => `csp: ${e}`)];
}

/** A journey suite's shared set-up: the app and chromium for the suite, a fresh 1280px context per test. */
export function browserSuite(): {
  app: () => RunningApp;
  context: () => BrowserContext;
  /** replaces this test's context with one of other options (a phone's viewport, say) */
  reopen: (options: Parameters<Browser['newContext']>[0]) => Promise<BrowserContext>;
  /** another context for this test (a second person with their own cookies), closed after the test */
  another: () => Promise<BrowserContext>;
} {
  let app: RunningApp;
  let browser: Browser;
  let context: BrowserContext;
  let extra: BrowserContext[] = [];
  before(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });
  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });
  afterEach(async () => {
    await context.close();
    await Promise.all(extra.map((c) => c.close()));
    extra = [];
  });
  return {
    app: () => app,
    context: () => context,
    reopen: async (options) => {
      await context.close();
      context = await browser.newContext(options);
      return context;
    },
    another: async () => {
      const c = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      extra.push(c);
      return c;
    },
  };
}

/** Signs in through the sign-in form with a password and waits for the next page (the two-factor page for buyers and admins). */
export async function signInWithPassword(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name: 'Sign in', exact: true }).click()]);
}

/**
 * Helpers a multi-person journey shares: screenshots into E2E_SCREENSHOTS (when set), visiting a page that must
 * answer 200, pressing a button and waiting for the next page, and a signed-in page per person in its own context
 * (buyers and admins complete two-factor with a current code from the app's clock). `sessions` collects every
 * page's problems for one check at the end.
 */
export function journey(suite: ReturnType<typeof browserSuite>) {
  const shots = process.env.E2E_SCREENSHOTS;
  if (shots) mkdirSync(shots, { recursive: true });
  const sessions: Array<{ page: Page; problems: PageProblems }> = [];
  const base = () => suite.app().baseUrl;
  const click = async (page: Page, name: string | RegExp) => {
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.getByRole('button', { name }).first().click()]);
  };
  return {
    base,
    sessions,
    click,
    shot: async (page: Page, name: string) => {
      if (shots) await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
    },
    go: async (page: Page, path: string) => {
      const res = await page.goto(base() + path);
      expect(res?.status(), path).to.equal(200);
    },
    session: async (user: { email: string; password: string; totpSecret?: string }): Promise<Page> => {
      const watched = await watchedPage(await suite.another());
      sessions.push(watched);
      const { page } = watched;
      await signInWithPassword(page, base(), user.email, user.password);
      if (user.totpSecret) {
        await page.getByLabel('Enter the code from your authenticator app').fill(totpCode(user.totpSecret, suite.app().clock.now()));
        await click(page, 'Continue');
      }
      return page;
    },
  };
}
