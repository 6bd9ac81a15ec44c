// Tender documents on a draft: upload (typed from content, CSRF checked after parsing), list, download, preview,
// remove after confirming; refused files shown in the error summary; another council's draft is a 404.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { Competition } from '../../models/Competition';
import { StoredDocument } from '../../models/Document';
import { createUser, csrfFrom, resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';
import { html, pdf } from '../fixtures/files';

describe('Drafting a competition: documents', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  async function upload(agent: request.Agent, id: string, file?: { data: Buffer; name: string }, token?: string) {
    const path = `/buyer/competitions/${id}/documents`;
    const req = agent.post(path).field('_csrf', token ?? (await csrfFrom(agent, path)));
    return file ? req.attach('document', file.data, file.name) : req.field('other', 'x');
  }

  it('uploads a document, lists it with its type and size, serves it to the buyer and shows it in the preview', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const res = await upload(agent, f.id, { data: pdf('specification'), name: 'Specification.pdf' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/buyer/competitions/${f.id}/documents`);
    const c = (await Competition.findById(f.id).lean())!;
    expect(c.documents).to.have.length(1);
    const doc = (await StoredDocument.findById(c.documents[0]).lean())!;
    expect(doc).to.include({ originalName: 'Specification.pdf', contentType: 'application/pdf', purpose: 'competition' });
    expect(String(doc.owner)).to.equal(f.buyer.organisation);

    const $ = cheerio.load((await agent.get(res.headers.location)).text);
    expect($('.govuk-notification-banner--success').text()).to.contain('Specification.pdf uploaded');
    const row = $('table tbody tr').first().find('td').map((_i, el) => $(el).text().trim()).get();
    expect(row[0]).to.equal('Specification.pdf');
    expect(row[1]).to.contain('PDF');
    expect(row[2]).to.match(/bytes|KB/);
    expect($('table tbody tr a').first().attr('href')).to.equal(`/documents/${doc._id}`);
    expect((await agent.get(`/documents/${doc._id}`)).status).to.equal(200);

    const overview = cheerio.load((await agent.get(`/buyer/competitions/${f.id}`)).text);
    expect(overview('.govuk-task-list__item').last().find('.govuk-task-list__status').text().trim()).to.equal('Completed');
    const preview = cheerio.load((await agent.get(`/buyer/competitions/${f.id}/preview`)).text);
    expect(preview('.app-competition-documents a').text()).to.equal('Specification.pdf');
  });

  it('refuses a file whose content is not an allowed type, or no file, with the error summary (400, nothing stored)', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const before = await StoredDocument.countDocuments({});
    const bad = await upload(agent, f.id, { data: html(), name: 'spec.pdf' });
    expect(bad.status).to.equal(400);
    const $ = cheerio.load(bad.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#document"]').text()).to.contain('could not be uploaded');
    expect($('#document-error').text()).to.contain('could not be uploaded');
    const none = await upload(agent, f.id);
    expect(none.status).to.equal(400);
    expect(cheerio.load(none.text)('.govuk-error-summary a[href="#document"]').text()).to.contain('Select a file to upload');
    expect(await StoredDocument.countDocuments({})).to.equal(before);
    expect((await Competition.findById(f.id).lean())!.documents).to.have.length(0);
  });

  it('refuses an upload without the CSRF token (403, nothing stored)', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const before = await StoredDocument.countDocuments({});
    const res = await upload(agent, f.id, { data: pdf(), name: 'a.pdf' }, 'not-the-token');
    expect(res.status).to.equal(403);
    expect(await StoredDocument.countDocuments({})).to.equal(before);
  });

  it('removes a document after confirming, deleting the stored file', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    await upload(agent, f.id, { data: pdf(), name: 'Old.pdf' });
    const docId = String((await Competition.findById(f.id).lean())!.documents[0]);
    const path = `/buyer/competitions/${f.id}/documents/${docId}/remove`;
    const confirm = cheerio.load((await agent.get(path)).text);
    expect(confirm('h1').text()).to.equal('Remove Old.pdf?');
    const token = confirm('form[action="' + path + '"] input[name=_csrf]').val() as string;
    const res = await agent.post(path).type('form').send({ _csrf: token });
    expect(res.status).to.equal(303);
    expect((await Competition.findById(f.id).lean())!.documents).to.have.length(0);
    expect((await StoredDocument.findById(docId).lean())!.deletedAt).to.be.an.instanceOf(Date);
    expect((await agent.get(path)).status).to.equal(404);
  });

  it('another council\u2019s buyer cannot upload to the draft (404, nothing stored)', async () => {
    const f = await competitionFixture(t, { publish: false });
    const other = await signIn(t, await createUser('buyer'));
    const before = await StoredDocument.countDocuments({});
    const token = await csrfFrom(other, '/buyer/competitions/new');
    const res = await upload(other, f.id, { data: pdf(), name: 'x.pdf' }, token);
    expect(res.status).to.equal(404);
    expect(await StoredDocument.countDocuments({})).to.equal(before);
  });
});
