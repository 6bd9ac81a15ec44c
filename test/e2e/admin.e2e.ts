// Browser journey for the network admin: sign in with a password and a TOTP code, then add a member council.
import { expect } from 'chai';
import { Organisation } from '../../models/Organisation';
import { totpCode } from '../../server/auth/totp';
import { createUser, TestUser } from '../support/app';
import { allProblems, browserSuite, signInWithPassword, watchedPage } from './browser';

describe('browser: network admin', function () {
  const suite = browserSuite();
  let admin: TestUser;

  before(async () => {
    admin = await createUser('admin');
  });

  it('signs in with a password and an authenticator code, and adds a member council', async () => {
    const { page, problems } = await watchedPage(suite.context());
    const name = `Rochdale Borough Council ${Date.now().toString(36)}`;

    await signInWithPassword(page, suite.app().baseUrl, admin.email, admin.password);

    // Password alone is not enough for an admin: the code page, with no admin navigation yet.
    await page.waitForURL(`${suite.app().baseUrl}/sign-in/two-factor`);
    expect(await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Councils', exact: true }).count()).to.equal(0);
    await page.goto(`${suite.app().baseUrl}/admin`);
    expect(new URL(page.url()).pathname).to.equal('/sign-in/two-factor');

    await page.getByLabel('Enter the code from your authenticator app').fill(totpCode(admin.totpSecret!, suite.app().clock.now()));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${suite.app().baseUrl}/admin`);

    await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Councils', exact: true }).click();
    await page.waitForURL(`${suite.app().baseUrl}/admin/councils`);
    await page.getByRole('button', { name: 'Add a member council' }).click();
    await page.waitForURL(`${suite.app().baseUrl}/admin/councils/new`);

    await page.getByLabel('Council name').fill(name);
    await page.getByLabel('Borough', { exact: true }).check();
    await page.getByLabel('England', { exact: true }).check();
    await page.getByLabel('Full member').check();
    await page.getByLabel('Active', { exact: true }).check();
    await page.getByRole('button', { name: 'Add council' }).click();

    await page.waitForURL(/\/admin\/councils\/[0-9a-f]{24}$/);
    expect(await page.locator('h1').innerText()).to.contain(name);
    expect(await page.locator('.govuk-notification-banner').innerText()).to.contain(`${name} added`);
    const saved = await Organisation.findOne({ name }).lean();
    expect(saved).to.include({ kind: 'council', councilType: 'borough', nation: 'England', membership: 'full', status: 'active' });

    await page.locator('.govuk-service-navigation').getByRole('link', { name: 'Councils', exact: true }).click();
    await page.waitForURL(`${suite.app().baseUrl}/admin/councils`);
    expect(await page.locator('main table').innerText()).to.contain(name);
    expect(allProblems(problems)).to.deep.equal([]);
  });
});
