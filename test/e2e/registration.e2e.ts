// Browser journeys for suppliers: register through the form, sign in, reach the dashboard, sign out;
// and a registration with mistakes, where the error summary takes focus and its links lead to the fields.
import { expect } from 'chai';
import { User } from '../../models/User';
import { uniqueEmail } from '../support/app';
import { allProblems, browserSuite, watchedPage } from './browser';

describe('browser: supplier registration and sign-in', function () {
  const suite = browserSuite();

  it('registers a supplier, signs in, lands on the dashboard and signs out', async () => {
    const { page, problems } = await watchedPage(suite.context());
    const email = uniqueEmail('e2e');
    const password = 'plum sandwich lighthouse';

    await page.goto(`${suite.app().baseUrl}/`);
    await page.getByRole('link', { name: 'Create a supplier account' }).click();
    await page.waitForURL(`${suite.app().baseUrl}/register`);
    expect(await page.locator('h1').innerText()).to.equal('Create a supplier account');

    await page.getByLabel('Organisation name').fill('Hebden Bridge Co-op');
    await page.getByLabel('Your full name').fill('Ada Lovelace');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password', { exact: true }).fill(password);
    await page.getByLabel('Confirm your password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL(`${suite.app().baseUrl}/register/check-your-email`);
    expect(await page.locator('h1').innerText()).to.equal('Check your email');
    expect(suite.app().mailer.sent.map((m) => m.to)).to.include(email);
    expect((await User.findOne({ email }).lean())?.role).to.equal('supplier');

    await page.getByRole('link', { name: 'Sign in', exact: true }).first().click();
    await page.waitForURL(`${suite.app().baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await page.waitForURL(`${suite.app().baseUrl}/supplier`);
    expect(await page.locator('h1').innerText()).to.equal('Your dashboard');
    expect(await page.locator('main').innerText()).to.contain('Hebden Bridge Co-op');
    expect(await page.locator('.app-account-bar').innerText()).to.contain('Signed in as Ada Lovelace');
    expect(await page.locator('.govuk-service-navigation').innerText()).to.contain('Dashboard');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${suite.app().baseUrl}/signed-out`);
    expect(await page.locator('.app-account-bar').count()).to.equal(0);
    // Signed out for real: the dashboard now sends the browser to sign in.
    await page.goto(`${suite.app().baseUrl}/supplier`);
    expect(new URL(page.url()).pathname).to.equal('/sign-in');
    expect(allProblems(problems)).to.deep.equal([]);
  });

  it('shows the error summary for a registration with mistakes, focuses it, and its links reach the fields', async () => {
    const { page, problems } = await watchedPage(suite.context());
    const email = uniqueEmail('e2e-bad');
    await page.goto(`${suite.app().baseUrl}/register`);
    await page.getByLabel('Your full name').fill('Bea');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password', { exact: true }).fill('plum sandwich lighthouse');
    await page.getByLabel('Confirm your password', { exact: true }).fill('plum sandwich lighthousf');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForLoadState('load');

    expect(await page.title()).to.match(/^Error: /);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.locator('.govuk-error-summary__title').innerText()).to.equal('There is a problem');
    const links = summary.locator('.govuk-error-summary__list a');
    const hrefs = await Promise.all((await links.all()).map((a) => a.getAttribute('href')));
    expect(hrefs).to.deep.equal(['#organisationName', '#confirmPassword']);
    // GOV.UK Frontend's error summary module moves focus to the summary so screen readers announce it.
    await page.waitForFunction("document.activeElement && document.activeElement.classList.contains('govuk-error-summary')", undefined, { timeout: 5000 });
    // Inline messages beside the fields, answers kept (but never the passwords).
    expect(await page.locator('#organisationName-error').innerText()).to.contain('Enter your organisation');
    expect(await page.getByLabel('Your full name').inputValue()).to.equal('Bea');
    expect(await page.getByLabel('Create a password', { exact: true }).inputValue()).to.equal('');
    // A summary link focuses its field.
    await links.first().click();
    await page.waitForFunction("document.activeElement && document.activeElement.id === 'organisationName'", undefined, { timeout: 5000 });
    expect(await User.exists({ email })).to.equal(null);
    // Chromium logs the page's own 400 status as a console error; that one is expected, nothing else is.
    const expected = `console: Failed to load resource: the server responded with a status of 400 (Bad Request) (${suite.app().baseUrl}/register)`;
    expect(allProblems(problems)).to.deep.equal([expected]);
  });
});
