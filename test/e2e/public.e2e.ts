// Browser journeys on the public pages: a clean start page (no console errors, no CSP violations,
// GOV.UK Frontend started) and a keyboard user's first Tab landing on the skip link.
import { expect } from 'chai';
import { allProblems, browserSuite, watchedPage } from './browser';

describe('browser: public pages', function () {
  const suite = browserSuite();

  it('loads the home page with no console errors or CSP violations, and starts GOV.UK Frontend', async () => {
    const { page, problems } = await watchedPage(suite.context());
    const res = await page.goto(`${suite.app().baseUrl}/`, { waitUntil: 'load' });
    expect(res?.status()).to.equal(200);
    expect(res?.headers()['content-security-policy']).to.contain("script-src 'self'");
    await page.waitForFunction("document.body.classList.contains('govuk-frontend-supported')", undefined, { timeout: 5000 });
    // initAll() ran: each component module marks its root once it has started.
    await page.waitForSelector('[data-module="govuk-skip-link"][data-govuk-skip-link-init]', { state: 'attached', timeout: 5000 });
    expect(await page.locator('h1').innerText()).to.equal('Hire specialist co-operative suppliers');
    expect(await page.title()).to.equal('Hire specialist co-operative suppliers \u2013 Co-op Councils DPS');
    expect(await page.locator('.govuk-phase-banner').innerText()).to.contain('Beta');
    // The stylesheets arrived and apply: GOV.UK's header is the brand blue, and the footer is there.
    expect(await page.evaluate("getComputedStyle(document.querySelector('.govuk-header')).backgroundColor")).to.equal('rgb(29, 112, 184)');
    await page.locator('.govuk-footer').waitFor({ state: 'visible' });
    expect(allProblems(problems)).to.deep.equal([]);
  });

  it('fits a 375px phone screen without sideways scrolling', async () => {
    const { page, problems } = await watchedPage(await suite.reopen({ viewport: { width: 375, height: 800 }, isMobile: true }));
    await page.goto(`${suite.app().baseUrl}/`, { waitUntil: 'load' });
    expect(await page.evaluate('document.documentElement.scrollWidth')).to.equal(375);
    expect(allProblems(problems)).to.deep.equal([]);
  });

  it('reports a CSP violation when one happens (the watcher itself works)', async () => {
    const { page, problems } = await watchedPage(suite.context());
    await page.goto(`${suite.app().baseUrl}/`, { waitUntil: 'load' });
    // An inline script is what the CSP forbids; adding one from the page must be refused and reported.
    await page.evaluate("(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.appendChild(s); })()");
    await page.waitForTimeout(200);
    expect(await page.evaluate('window.__ran === true')).to.equal(false);
    expect(problems.cspViolations.join('\n')).to.contain('script-src');
    expect(problems.consoleErrors.join('\n')).to.contain('Content Security Policy');
  });

  it('takes a keyboard user to the skip link first, and the skip link to the main content', async () => {
    const { page, problems } = await watchedPage(suite.context());
    await page.goto(`${suite.app().baseUrl}/`, { waitUntil: 'load' });
    await page.waitForFunction("document.body.classList.contains('govuk-frontend-supported')", undefined, { timeout: 5000 });
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    expect(await focused.getAttribute('class')).to.contain('govuk-skip-link');
    expect(await focused.innerText()).to.equal('Skip to main content');
    // Visually hidden until focused: once focused it must be on screen for sighted keyboard users.
    const box = await focused.boundingBox();
    expect(box, 'the focused skip link has a box').to.not.equal(null);
    expect(box!.width).to.be.greaterThan(10);
    expect(box!.height).to.be.greaterThan(10);
    await page.keyboard.press('Enter');
    await page.waitForFunction("document.activeElement && document.activeElement.id === 'main-content'", undefined, { timeout: 5000 });
    expect(allProblems(problems)).to.deep.equal([]);
  });
});
