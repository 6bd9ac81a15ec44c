// Browser check of the upload progress script (public/js/upload-progress.js) on the test-only upload form: the file's
// name and size once chosen, the upload sent with XMLHttpRequest (no page load), the server's answer shown in place,
// and no console errors or CSP violations.
import { expect } from 'chai';
import { StoredDocument } from '../../models/Document';
import { createUser, TestUser } from '../support/app';
import { mountTestUploads } from '../fixtures/uploadRouter';
import * as files from '../fixtures/files';
import { allProblems, browserSuite, signInWithPassword, watchedPage } from './browser';

describe('browser: upload with progress', function () {
  const suite = browserSuite();
  let supplier: TestUser;

  before(async () => {
    mountTestUploads(suite.app().app);
    supplier = await createUser('supplier');
  });

  it('shows the chosen file, uploads it without a page load, then shows the server\'s page; errors keep the form', async () => {
    const { page, problems } = await watchedPage(suite.context());
    const base = suite.app().baseUrl;
    await signInWithPassword(page, base, supplier.email, supplier.password);
    expect(page.url()).to.equal(`${base}/supplier`);

    await page.goto(`${base}/test-uploads/form`);
    await page.evaluate('window.__samePage = true');
    // a refused file: the form comes back in place with the error, the title kept
    await page.getByLabel('Title').fill('Safeguarding');
    await page.getByLabel('Evidence').setInputFiles({ name: 'policy.pdf', mimeType: 'application/pdf', buffer: files.html() });
    expect(await page.locator('.app-upload-progress__label').innerText()).to.match(/^Selected policy\.pdf \(\d+ bytes\)$/);
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.locator('.govuk-error-summary').innerText()).to.contain('must be a PDF');
    expect(await page.getByLabel('Title').inputValue()).to.equal('Safeguarding');
    expect(await page.title()).to.match(/^Error: /);
    expect(await page.evaluate('window.__samePage')).to.equal(true);
    expect(new URL(page.url()).pathname).to.equal('/test-uploads/form');

    // an accepted file: the details page replaces the form, and the address follows the redirect
    await page.getByLabel('Evidence').setInputFiles({ name: 'Safeguarding policy.pdf', mimeType: 'application/pdf', buffer: files.pdfOfSize(2 * 1024 * 1024) });
    expect(await page.locator('.app-upload-progress__label').innerText()).to.equal('Selected Safeguarding policy.pdf (2.0 MB)');
    const answer = page.waitForResponse((r) => r.url().endsWith('/test-uploads/evidence'));
    await page.getByRole('button', { name: 'Upload' }).click();
    // the script's request gets the redirect as JSON and then navigates there itself
    const response = await answer;
    expect(response.status()).to.equal(200);
    expect(response.headers()['content-type']).to.match(/^application\/json/);
    await page.waitForURL(/\/documents\/[0-9a-f]{24}\/details$/);
    expect(await page.locator('h1').innerText()).to.equal('Safeguarding policy.pdf');
    expect(await page.locator('#scan-notice').innerText()).to.contain('not been scanned');
    const id = /documents\/([0-9a-f]{24})/.exec(page.url())![1];
    expect(await StoredDocument.findById(id).lean()).to.include({ originalName: 'Safeguarding policy.pdf', size: 2 * 1024 * 1024 });
    // chromium logs the refused upload's 415 answer to the console; that one is expected
    const expected = /^console: Failed to load resource: the server responded with a status of 415 .*\/test-uploads\/evidence\)$/;
    expect(allProblems(problems).filter((p) => !expected.test(p))).to.deep.equal([]);
  });

  it('posts the form normally without JavaScript', async () => {
    const context = await suite.reopen({ javaScriptEnabled: false });
    const { page, problems } = await watchedPage(context);
    const base = suite.app().baseUrl;
    await signInWithPassword(page, base, supplier.email, supplier.password);
    expect(page.url()).to.equal(`${base}/supplier`);
    await page.goto(`${base}/test-uploads/form`);
    await page.getByLabel('Evidence').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: files.pdf() });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.waitForURL(/\/documents\/[0-9a-f]{24}\/details$/);
    expect(await page.locator('h1').innerText()).to.equal('plan.pdf');
    expect(allProblems(problems)).to.deep.equal([]);
  });
});
