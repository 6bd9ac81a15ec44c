// Uploads through the real middleware (security F17-F19, E16): type by content, size limits, zip bombs, path-like
// names, CSRF after multer, multipart refused outside the upload routes, and nothing stored when refused.
import { Writable } from 'node:stream';
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { StoredDocument } from '../../models/Document';
import { AuditEvent } from '../../models/AuditEvent';
import { createLogger } from '../../server/logger';
import { registerUploadRoute } from '../../server/middleware/uploads';
import { createUser, csrfFrom, signIn, testApp, TestApp, TestUser } from '../support/app';
import { mountTestUploads } from '../fixtures/uploadRouter';
import * as files from '../fixtures/files';

const FORM = '/test-uploads/form';
const POST = '/test-uploads/evidence';

async function gridFsCount(): Promise<number> {
  return mongoose.connection.db!.collection('documents.files').countDocuments({});
}

describe('documents: uploads through the real middleware', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    mountTestUploads(t.app);
  });

  async function supplier(): Promise<{ user: TestUser; agent: request.Agent; token: string }> {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    return { user, agent, token: await csrfFrom(agent, FORM) };
  }

  function post(agent: request.Agent, token: string | undefined, file: Buffer, name: string, title = 'My evidence') {
    const req = agent.post(POST);
    if (token !== undefined) req.field('_csrf', token);
    return req.field('title', title).attach('evidence', file, { filename: name, contentType: 'application/octet-stream' });
  }

  async function expectNothingStored(user: TestUser, gridBefore: number) {
    expect(await StoredDocument.countDocuments({ owner: user.organisation })).to.equal(0);
    expect(await gridFsCount()).to.equal(gridBefore);
  }

  it('stores an allowed file, found from its content, and redirects to its details', async () => {
    const { user, agent, token } = await supplier();
    const res = await post(agent, token, files.pdf('stored'), 'Safeguarding policy.pdf');
    expect(res.status).to.equal(303);
    const doc = await StoredDocument.findOne({ owner: user.organisation }).lean();
    expect(doc).to.include({ originalName: 'Safeguarding policy.pdf', contentType: 'application/pdf', extension: 'pdf', scanStatus: 'unscanned', purpose: 'test:evidence' });
    expect(String(doc!.uploadedBy)).to.equal(user.id);
    expect(res.headers.location).to.equal(`/documents/${doc!._id}/details`);
    expect(await AuditEvent.exists({ action: 'document.uploaded', targetId: String(doc!._id) })).to.not.equal(null);
  });

  it('refuses an HTML file renamed .pdf with 415, keeps the rest of the form, and stores nothing', async () => {
    const { user, agent, token } = await supplier();
    const grid = await gridFsCount();
    const res = await post(agent, token, files.html(), 'policy.pdf', 'Kept title');
    expect(res.status).to.equal(415);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#evidence"]').text()).to.contain('must be a PDF, Word (DOCX)');
    expect($('#evidence-error').text()).to.contain('must be a PDF');
    expect($('#title').val()).to.equal('Kept title');
    await expectNothingStored(user, grid);
  });

  it('refuses a PNG renamed .pdf with 415', async () => {
    const { user, agent, token } = await supplier();
    const grid = await gridFsCount();
    const res = await post(agent, token, files.png(), 'scan.pdf');
    expect(res.status).to.equal(415);
    expect(cheerio.load(res.text)('.govuk-error-summary').text()).to.contain('must end in .png');
    await expectNothingStored(user, grid);
  });

  it('refuses zip-bomb DOCX files: over 100 MB uncompressed, or over 2,000 entries', async () => {
    const { user, agent, token } = await supplier();
    const grid = await gridFsCount();
    const bomb = files.zipBombDocx();
    expect(bomb.length).to.be.below(1024 * 1024);
    const res = await post(agent, token, bomb, 'report.docx');
    expect(res.status).to.equal(400);
    expect(cheerio.load(res.text)('.govuk-error-summary').text()).to.contain('expands to too much data');
    const many = await post(agent, token, files.manyEntriesDocx(), 'report.docx');
    expect(many.status).to.equal(400);
    const liar = await post(agent, token, files.docx([{ name: 'word/big.bin', data: 'x', declaredSize: 0xfffffff0 }]), 'report.docx');
    expect(liar.status).to.equal(400);
    // an entry that claims to be small but expands to 5 MB is caught by inflating it with a capped output
    const understated = await post(agent, token, files.docx([{ name: 'word/media/a.bin', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 100 }]), 'report.docx');
    expect(understated.status).to.equal(400);
    await expectNothingStored(user, grid);
    // the same kinds of file, well formed, are accepted
    expect((await post(agent, token, files.docx(), 'report.docx')).status).to.equal(303);
  });

  it('answers 10 MB + 1 byte with 413 and stores nothing; exactly 10 MB is accepted', async () => {
    const { user, agent, token } = await supplier();
    const grid = await gridFsCount();
    const res = await post(agent, token, files.pdfOfSize(10 * 1024 * 1024 + 1), 'big.pdf');
    expect(res.status).to.equal(413);
    expect(cheerio.load(res.text)('h1').text()).to.contain('too large');
    await expectNothingStored(user, grid);
    const ok = await post(agent, token, files.pdfOfSize(10 * 1024 * 1024), 'ten.pdf');
    expect(ok.status).to.equal(303);
    expect((await StoredDocument.findOne({ owner: user.organisation }).lean())!.size).to.equal(10 * 1024 * 1024);
  });

  it('stores a path-like file name as display text only, under a random GridFS name', async () => {
    const { user, agent, token } = await supplier();
    const refused = await post(agent, token, files.pdf(), '../../views/x.pug');
    expect(refused.status).to.equal(415);
    const res = await post(agent, token, files.pdf('path'), '../../views/x.pdf');
    expect(res.status).to.equal(303);
    const doc = await StoredDocument.findOne({ owner: user.organisation }).lean();
    expect(doc!.originalName).to.equal('x.pdf');
    const stored = await mongoose.connection.db!.collection('documents.files').findOne({ _id: doc!.gridFsId });
    expect(stored!.filename).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const $ = cheerio.load((await agent.get(res.headers.location)).text);
    expect($('#document-name').text()).to.equal('x.pdf');
    expect((await agent.get('/public/x.pdf')).status).to.equal(404);
    expect((await agent.get('/views/x.pdf')).status).to.equal(404);
  });

  it('refuses a multipart POST without a CSRF token (or with a wrong one) with 403 and stores nothing', async () => {
    const { user, agent } = await supplier();
    const grid = await gridFsCount();
    expect((await post(agent, undefined, files.pdf(), 'a.pdf')).status).to.equal(403);
    expect((await post(agent, 'not-the-token', files.pdf(), 'a.pdf')).status).to.equal(403);
    // a token from another session does not do either
    const other = await supplier();
    expect((await post(agent, other.token, files.pdf(), 'a.pdf')).status).to.equal(403);
    await expectNothingStored(user, grid);
  });

  it('refuses a multipart POST to any route that is not a registered upload route with 403, even with a good token', async () => {
    const { agent, token } = await supplier();
    for (const path of ['/account/password', '/sign-out', '/test-uploads/form/x']) {
      const res = await agent.post(path).field('_csrf', token).attach('evidence', files.pdf(), 'a.pdf');
      expect(res.status, path).to.equal(403);
    }
    // the same token still works on the upload route, so the 403s were not CSRF failures
    expect((await post(agent, token, files.pdf(), 'a.pdf')).status).to.equal(303);
  });

  it('refuses an anonymous multipart POST before reading it', async () => {
    const anonymous = request.agent(t.app);
    const res = await anonymous.post(POST).field('_csrf', 'x').attach('evidence', files.pdf(), 'a.pdf');
    expect(res.status).to.equal(401);
  });

  it('answers malformed multipart bodies with 400 and stays up', async () => {
    const { agent, token } = await supplier();
    const boundary = 'XyZ123';
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc`;
    const res = await agent.post(POST).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(truncated);
    expect(res.status).to.equal(400);
    const noName = `--${boundary}\r\nContent-Disposition: form-data; name=""\r\n\r\nx\r\n--${boundary}--\r\n`;
    expect((await agent.post(POST).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(noName)).status).to.equal(400);
    const operator = await agent.post(POST).field('_csrf', token).field('title[$ne]', 'x').attach('evidence', files.pdf(), 'a.pdf');
    expect(operator.status).to.equal(400);
    const twoFiles = await agent.post(POST).field('_csrf', token).attach('evidence', files.pdf(), 'a.pdf').attach('evidence', files.pdf(), 'b.pdf');
    expect(twoFiles.status).to.equal(413);
    const otherField = await agent.post(POST).field('_csrf', token).attach('other', files.pdf(), 'a.pdf');
    expect(otherField.status).to.equal(400);
    expect((await agent.get(FORM)).status).to.equal(200);
  });

  it('answers the progress script\'s request (X-Upload-Progress: 1) with the redirect as JSON, and errors as the page', async () => {
    const { user, agent, token } = await supplier();
    const res = await post(agent, token, files.png(), 'diagram.png').set('X-Upload-Progress', '1');
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const doc = await StoredDocument.findOne({ owner: user.organisation }).lean();
    expect(res.body).to.deep.equal({ redirect: `/documents/${doc!._id}/details` });
    const refused = await post(agent, token, files.html(), 'diagram.png').set('X-Upload-Progress', '1');
    expect(refused.status).to.equal(415);
    expect(cheerio.load(refused.text)('.govuk-error-summary')).to.have.length(1);
  });

  it('scans uploads with the app\'s configured scanner (servicesOf(req).scanner): pending, then kept out when infected', async () => {
    const { user, agent, token } = await supplier();
    let answer!: (v: 'clean' | 'infected') => void;
    t.app.locals.deps.scanner = { scan: () => new Promise((resolve) => { answer = resolve; }) };
    try {
      const res = await post(agent, token, files.pdf(), 'policy.pdf');
      expect(res.status).to.equal(303);
      const doc = await StoredDocument.findOne({ owner: user.organisation }).lean();
      expect(doc!.scanStatus).to.equal('pending');
      expect((await agent.get(`/documents/${doc!._id}`)).status).to.equal(409);
      answer('infected');
      for (let i = 0; i < 50 && (await StoredDocument.findById(doc!._id).lean())!.scanStatus === 'pending'; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await StoredDocument.findById(doc!._id).lean())!.scanStatus).to.equal('infected');
      expect((await agent.get(`/documents/${doc!._id}`)).status).to.equal(409);
    } finally {
      t.app.locals.deps.scanner = undefined;
    }
  });

  it('asks for a file when none is chosen, keeping the form', async () => {
    const { agent, token } = await supplier();
    const res = await agent.post(POST).field('_csrf', token).field('title', 'Only a title');
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a[href="#evidence"]').text()).to.equal('Select a file');
    expect($('#title').val()).to.equal('Only a title');
  });

  it('marks the form for the progress script and loads it from a module, not inline', async () => {
    const { agent } = await supplier();
    const $ = cheerio.load((await agent.get(FORM)).text);
    expect($('form[data-upload-progress][enctype="multipart/form-data"]')).to.have.length(1);
    expect($('script:not([src])')).to.have.length(0);
    const app = await agent.get('/public/js/app.js');
    expect(app.text).to.contain('upload-progress.js');
    const script = await agent.get('/public/js/upload-progress.js');
    expect(script.status).to.equal(200);
    expect(script.text).to.contain('XMLHttpRequest');
  });
});

describe('documents: refused uploads are logged', function () {
  this.timeout(30_000);

  it('writes a security event with the user, the field and the reason, for content and size refusals', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
    const t = await testApp({}, createLogger('info', sink));
    mountTestUploads(t.app);
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    const token = await csrfFrom(agent, FORM);
    await agent.post(POST).field('_csrf', token).attach('evidence', files.html(), 'policy.pdf');
    await agent.post(POST).field('_csrf', token).attach('evidence', files.pdfOfSize(10 * 1024 * 1024 + 1), 'big.pdf');
    // a multipart POST that reached a registered path but no acceptUpload (here: an unknown sub-path 404s) is reported
    expect(lines.some((l) => l.includes('csrf.deferred.unchecked'))).to.equal(false);
    registerUploadRoute('/test-uploads-unwired/:x');
    const unwired = await agent.post('/test-uploads-unwired/y').field('_csrf', token).attach('evidence', files.pdf(), 'a.pdf');
    expect(unwired.status).to.equal(404);
    const events = lines.map((l) => JSON.parse(l));
    expect(events.find((e) => e.event === 'csrf.deferred.unchecked')).to.deep.include({ path: '/test-uploads-unwired/y', status: 404 });
    expect(events.find((e) => e.event === 'upload.refused')).to.deep.include({ field: 'evidence', code: 'type', status: 415, userId: user.id });
    expect(events.find((e) => e.event === 'upload.rejected')).to.deep.include({ code: 'LIMIT_FILE_SIZE', status: 413, userId: user.id });
    expect(lines.join('\n')).to.not.contain(token);
  });
});
