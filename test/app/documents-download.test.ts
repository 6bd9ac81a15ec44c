// Downloads and the documents service (security C11, F19-F21): owner-only access, safe headers, virus-scan states,
// quotas, and no orphan GridFS files.
import { expect } from 'chai';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { StoredDocument } from '../../models/Document';
import { Application } from '../../models/Application';
import { AuditEvent } from '../../models/AuditEvent';
import {
  bucket, deleteDocument, LIMITS, openDownload, sanitiseFileName, Scanner, storeUpload, sweepOrphanFiles, UploadRefused,
} from '../../server/services/documents';
import { createUser, signIn, testApp, TestApp, TestUser } from '../support/app';
import * as files from '../fixtures/files';

async function gridFsCount(): Promise<number> {
  return mongoose.connection.db!.collection('documents.files').countDocuments({});
}

/** Parses `attachment; filename="..."; filename*=UTF-8''...` strictly (RFC 6266 / RFC 8187); throws on anything else. */
function parseAttachment(header: unknown): { type: string; filename: string; filenameStar: string } {
  if (typeof header !== 'string') throw new Error('no Content-Disposition');
  const m = /^(attachment); filename="((?:[^"\\\r\n]|\\[\x20-\x7e])*)"; filename\*=UTF-8''([A-Za-z0-9%!#$&+^_`|~.-]+)$/.exec(header);
  if (!m) throw new Error(`malformed Content-Disposition: ${header}`);
  return { type: m[1], filename: m[2].replace(/\\(.)/g, '$1'), filenameStar: decodeURIComponent(m[3]) };
}

function binary(res: request.Response, cb: (err: Error | null, body: Buffer) => void) {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

describe('documents: download, access and scanning', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
  });

  async function store(user: TestUser, name: string, buffer: Buffer, scanner?: Scanner, application?: string) {
    return storeUpload(t.clock, { owner: user.organisation, uploadedBy: user.id, purpose: 'policy:safeguarding', application, file: { buffer, originalname: name, size: buffer.length } }, scanner);
  }

  it('serves the owner the bytes as an attachment with the stored type, nosniff and no-store', async () => {
    const user = await createUser('supplier');
    const bytes = files.pdf('download me');
    const doc = await store(user, 'Safeguarding policy.pdf', bytes);
    const agent = await signIn(t, user);
    const res = await agent.get(`/documents/${doc.id}`).buffer(true).parse(binary);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.equal('no-store');
    expect(res.headers['content-length']).to.equal(String(bytes.length));
    expect(res.headers['content-disposition']).to.equal('attachment; filename="Safeguarding policy.pdf"');
    expect(Buffer.compare(res.body as Buffer, bytes)).to.equal(0);
    expect(res.headers['content-security-policy']).to.contain("default-src 'self'");
  });

  it('gives one well-formed attachment header for a name with a quote, CRLF, U+202E and emoji', async () => {
    const user = await createUser('supplier');
    const doc = await store(user, 'bad"name\r\nSet-Cookie: x=1\u202Egpj.🎉report.pdf', files.pdf());
    expect(doc.originalName).to.equal('bad"nameSet-Cookie: x=1gpj.🎉report.pdf');
    const agent = await signIn(t, user);
    const res = await agent.get(`/documents/${doc.id}`);
    expect(res.status).to.equal(200);
    const raw = res.headers['content-disposition'];
    expect(raw).to.be.a('string');
    expect(raw).to.not.match(/[\r\n\u202E]/);
    expect(res.headers['set-cookie'] ?? []).to.satisfy((c: string[]) => c.every((v) => !v.startsWith('x=1')));
    const parsed = parseAttachment(raw);
    expect(parsed.type).to.equal('attachment');
    expect(parsed.filenameStar).to.equal('bad"nameSet-Cookie: x=1gpj.🎉report.pdf');
    // the ISO-8859-1 fallback for old clients has the emoji (two UTF-16 units) replaced, and the quote escaped
    expect(parsed.filename).to.equal('bad"nameSet-Cookie: x=1gpj.??report.pdf');
  });

  it('answers 404 for another organisation\'s document, a buyer, a malformed or unknown id; an admin may download', async () => {
    const owner = await createUser('supplier');
    const doc = await store(owner, 'policy.pdf', files.pdf());
    const other = await signIn(t, await createUser('supplier'));
    for (const path of [`/documents/${doc.id}`, `/documents/${doc.id}/details`]) {
      expect((await other.get(path)).status, path).to.equal(404);
    }
    const buyer = await signIn(t, await createUser('buyer'));
    expect((await buyer.get(`/documents/${doc.id}`)).status).to.equal(404);
    const colleague = await signIn(t, await createUser('supplier', { organisation: owner.organisation }));
    expect((await colleague.get(`/documents/${doc.id}`)).status).to.equal(200);
    for (const bad of ['not-an-id', '0123456789abcdef0123456g', new Types.ObjectId().toHexString(), "{'$ne':1}"]) {
      expect((await colleague.get(`/documents/${encodeURIComponent(bad)}`)).status, bad).to.equal(404);
    }
    const admin = await signIn(t, await createUser('admin'));
    expect((await admin.get(`/documents/${doc.id}`)).status).to.equal(200);
    expect((await admin.get(`/documents/${doc.id}/details`)).status).to.equal(200);
    const anonymous = await request(t.app).get(`/documents/${doc.id}`);
    expect(anonymous.status).to.equal(302);
    expect(anonymous.headers.location).to.equal('/sign-in');
  });

  it('serves an unscanned file and says it is unscanned', async () => {
    t.clock.set('2026-03-02T09:30:00Z');
    const user = await createUser('supplier');
    const doc = await store(user, 'policy.pdf', files.pdf());
    expect(doc.scanStatus).to.equal('unscanned');
    expect(await doc.scanned).to.equal('unscanned');
    // times come from the injected clock
    expect(doc.uploadedAt.toISOString()).to.equal(t.clock.now().toISOString());
    const agent = await signIn(t, user);
    const $ = cheerio.load((await agent.get(`/documents/${doc.id}/details`)).text);
    expect($('#scan-notice').text()).to.contain('has not been scanned for viruses');
    expect($('#document-details').text()).to.contain('Not scanned');
    expect($('#download').attr('href')).to.equal(`/documents/${doc.id}`);
    expect((await agent.get(`/documents/${doc.id}`)).status).to.equal(200);
  });

  it('holds a file while the scanner has not answered (409), then serves it once clean', async () => {
    const user = await createUser('supplier');
    let answer!: (v: 'clean' | 'infected') => void;
    const scanner: Scanner = { scan: () => new Promise((resolve) => { answer = resolve; }) };
    const doc = await store(user, 'policy.pdf', files.pdf(), scanner);
    expect(doc.scanStatus).to.equal('pending');
    const agent = await signIn(t, user);
    const held = await agent.get(`/documents/${doc.id}`);
    expect(held.status).to.equal(409);
    expect(held.headers['content-disposition']).to.equal(undefined);
    expect(cheerio.load(held.text)('#scan-reason').text()).to.contain('being scanned');
    expect(cheerio.load((await agent.get(`/documents/${doc.id}/details`)).text)('#download')).to.have.length(0);
    answer('clean');
    expect(await doc.scanned).to.equal('clean');
    expect((await agent.get(`/documents/${doc.id}`)).status).to.equal(200);
    expect(await AuditEvent.exists({ action: 'document.scan.clean', targetId: doc.id })).to.not.equal(null);
  });

  it('keeps an infected file, and one whose scan failed, out of download (fail closed)', async () => {
    const user = await createUser('supplier');
    const eicar = Buffer.concat([files.pdf(), Buffer.from('X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*')]);
    const infected = await store(user, 'eicar.pdf', eicar, { scan: async (b) => (b.includes('EICAR') ? 'infected' : 'clean') });
    expect(await infected.scanned).to.equal('infected');
    const broken = await store(user, 'policy.pdf', files.pdf(), { scan: async () => { throw new Error('clamd is down'); } });
    expect(await broken.scanned).to.equal('error');
    const agent = await signIn(t, user);
    const res = await agent.get(`/documents/${infected.id}`);
    expect(res.status).to.equal(409);
    expect(cheerio.load(res.text)('#scan-reason').text()).to.contain('virus was found');
    const err = await agent.get(`/documents/${broken.id}`);
    expect(err.status).to.equal(409);
    expect(cheerio.load(err.text)('#scan-reason').text()).to.contain('did not finish');
    const admin = await signIn(t, await createUser('admin'));
    expect((await admin.get(`/documents/${infected.id}`)).status).to.equal(409);
    try {
      await openDownload(infected.id, { _id: user.id, role: 'supplier', organisation: user.organisation });
      expect.fail('downloaded an infected file');
    } catch (e: any) {
      expect(e.status).to.equal(409);
    }
  });

  it('leaves no GridFS file when the record cannot be written', async () => {
    const user = await createUser('supplier');
    const before = await gridFsCount();
    const original = StoredDocument.create.bind(StoredDocument);
    (StoredDocument as any).create = async () => { throw new Error('write failed'); };
    try {
      await store(user, 'policy.pdf', files.pdf());
      expect.fail('stored');
    } catch (e: any) {
      expect(e.message).to.equal('write failed');
    } finally {
      (StoredDocument as any).create = original;
    }
    expect(await gridFsCount()).to.equal(before);
    expect(await mongoose.connection.db!.collection('documents.chunks').countDocuments({ files_id: { $nin: await mongoose.connection.db!.collection('documents.files').distinct('_id') } })).to.equal(0);
    expect(await StoredDocument.countDocuments({ owner: user.organisation })).to.equal(0);
  });

  it('sweeps GridFS files that no record refers to, once they are old enough, and keeps the rest', async () => {
    const user = await createUser('supplier');
    const kept = await store(user, 'kept.pdf', files.pdf());
    const orphanId = await new Promise<unknown>((resolve, reject) => {
      const up = bucket().openUploadStream('orphan-from-a-crash', { metadata: { storedAt: t.clock.now() } });
      up.once('finish', () => resolve(up.id)).once('error', reject).end(files.pdf());
    });
    const filesColl = mongoose.connection.db!.collection('documents.files');
    expect(await sweepOrphanFiles(t.clock)).to.equal(0);
    expect(await filesColl.countDocuments({ _id: orphanId as any })).to.equal(1);
    t.clock.advance(2 * 60 * 60 * 1000);
    expect(await sweepOrphanFiles(t.clock)).to.be.at.least(1);
    expect(await filesColl.countDocuments({ _id: orphanId as any })).to.equal(0);
    expect(await mongoose.connection.db!.collection('documents.chunks').countDocuments({ files_id: orphanId as any })).to.equal(0);
    const agent = await signIn(t, user);
    expect((await agent.get(`/documents/${kept.id}`)).status).to.equal(200);
  });

  it('enforces the per-application and per-organisation totals with 413', async () => {
    const user = await createUser('supplier');
    const application = String((await Application.create({ supplier: user.organisation, createdBy: user.id }))._id);
    const filler = (size: number, app?: string) => StoredDocument.create({
      owner: user.organisation, uploadedBy: user.id, purpose: 'filler', application: app, originalName: 'f.pdf',
      contentType: 'application/pdf', extension: 'pdf', size, sha256: 'x', gridFsId: new Types.ObjectId(), scanStatus: 'unscanned',
    });
    await filler(LIMITS.applicationBytes - 100, application);
    const refuse = async (p: Promise<unknown>, status: number, text: RegExp) => {
      try {
        await p;
        expect.fail('accepted');
      } catch (e) {
        expect(e).to.be.instanceOf(UploadRefused);
        expect((e as UploadRefused).status).to.equal(status);
        expect((e as UploadRefused).message).to.match(text);
      }
    };
    await refuse(store(user, 'a.pdf', files.pdfOfSize(200), undefined, application), 413, /one application must add up to less than 60MB/);
    expect((await store(user, 'a.pdf', files.pdfOfSize(100), undefined, application)).size).to.equal(100);
    await filler(LIMITS.organisationBytes - LIMITS.applicationBytes - 50);
    await refuse(store(user, 'b.pdf', files.pdfOfSize(100)), 413, /used its 500MB/);
  });

  it('deletes a document: the bytes go, the record is marked, and it answers 404; a submitted application\'s stay', async () => {
    const user = await createUser('supplier');
    const me = { _id: user.id, role: 'supplier', organisation: user.organisation };
    const doc = await store(user, 'policy.pdf', files.pdf());
    const stranger = await createUser('supplier');
    try {
      await deleteDocument(t.clock, doc.id, { _id: stranger.id, role: 'supplier', organisation: stranger.organisation });
      expect.fail('deleted');
    } catch (e: any) {
      expect(e.status).to.equal(404);
    }
    const admin = await createUser('admin');
    try {
      await deleteDocument(t.clock, doc.id, { _id: admin.id, role: 'admin', organisation: admin.organisation });
      expect.fail('an admin deleted a supplier\'s document');
    } catch (e: any) {
      expect(e.status).to.equal(404);
    }
    const gridFsId = (await StoredDocument.findById(doc.id).lean())!.gridFsId;
    expect(await deleteDocument(t.clock, doc.id, me)).to.equal('deleted');
    expect(await mongoose.connection.db!.collection('documents.files').countDocuments({ _id: gridFsId })).to.equal(0);
    expect((await StoredDocument.findById(doc.id).lean())!.deletedAt).to.be.instanceOf(Date);
    expect(await AuditEvent.exists({ action: 'document.deleted', targetId: doc.id })).to.not.equal(null);
    const agent = await signIn(t, user);
    expect((await agent.get(`/documents/${doc.id}`)).status).to.equal(404);

    const submitted = await Application.create({ supplier: user.organisation, createdBy: user.id, status: 'submitted' });
    const kept = await store(user, 'kept.pdf', files.pdf(), undefined, String(submitted._id));
    expect(await deleteDocument(t.clock, kept.id, me)).to.equal('locked');
    expect((await agent.get(`/documents/${kept.id}`)).status).to.equal(200);
  });

  it('sanitises display names: no paths, controls or bidi overrides; Unicode kept; at most 255 characters', () => {
    expect(sanitiseFileName('../../views/x.pug')).to.equal('x.pug');
    expect(sanitiseFileName('..\\..\\windows\\evil.pdf')).to.equal('evil.pdf');
    expect(sanitiseFileName('a\u0000b\u0007c\u202Ed\u2066e.pdf')).to.equal('abcde.pdf');
    expect(sanitiseFileName('Café – Ŵales 🏴󠁧󠁢󠁷󠁬󠁳󠁿.pdf')).to.equal('Café – Ŵales 🏴󠁧󠁢󠁷󠁬󠁳󠁿.pdf');
    expect(sanitiseFileName('👩\u200d💻 notes.pdf')).to.equal('👩\u200d💻 notes.pdf');
    expect(sanitiseFileName('')).to.equal('file');
    expect(sanitiseFileName('...hidden.pdf')).to.equal('hidden.pdf');
    const long = sanitiseFileName('é'.repeat(400) + '.pdf');
    expect(Array.from(long)).to.have.length(255);
    expect(long.endsWith('.pdf')).to.equal(true);
  });
});
