// Sealed at rest (security.md J31): a sentinel in a bid's answers, price breakdown, commitments and attachment (bytes
// and file name) is absent from a raw read of the database and from the engine's bytes on disk; the same searches
// find a plain control, so they would catch a leak. Opening fails with another competition's key, a tampered byte,
// or a sealed version moved to another bid.
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BSON, GridFSBucket } from 'mongodb';
import mongoose from 'mongoose';
import request from 'supertest';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { bidAad } from '../../server/domain/bidContent';
import { Sealed } from '../../server/sealing/keyring';
import { sealingOf } from '../../server/services/bids';
import { readBidFile } from '../../server/services/bidFiles';
import { CompetitionRecord } from '../../server/services/competitions';
import { resetDatabase, submit, testApp, TestApp, TestUser } from '../support/app';
import { submitBidThroughRoutes } from '../support/bids';
import { testKeyring } from '../support/competitions';
import { tenderBoxFixture } from '../support/sealedBids';

const SENTINEL = 'ZEBRA-SENTINEL-8841';

/** Each document of a collection, read with the raw driver, as BSON bytes and as JSON text. */
async function rawForms(collection: string): Promise<Array<{ bson: Buffer; json: string }>> {
  const docs = await mongoose.connection.db!.collection(collection).find({}).toArray();
  return docs.map((d) => ({ bson: Buffer.from(BSON.serialize(d)), json: JSON.stringify(d) }));
}

/** Whether a promise rejects (chai has no promise assertions here). */
const rejects = (p: Promise<unknown>) => p.then(() => false, () => true);

async function containsSentinel(collection: string, text = SENTINEL): Promise<{ docs: number; hits: number }> {
  const forms = await rawForms(collection);
  return { docs: forms.length, hits: forms.filter((f) => f.bson.includes(Buffer.from(text, 'utf8')) || f.json.includes(text)).length };
}

describe('sealed at rest: a raw read of the database', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('finds no sentinel in any bids document, bidfiles.files or bidfiles.chunks; the same search finds plaintext', async () => {
    const { bids } = await tenderBoxFixture(t, SENTINEL);
    expect(bids[0].fileName).to.contain(SENTINEL);
    expect(bids[0].fileBytes!.toString()).to.contain(SENTINEL);
    for (const collection of ['bids', 'bidfiles.files', 'bidfiles.chunks']) {
      const { docs, hits } = await containsSentinel(collection);
      expect(docs, `${collection} has documents`).to.be.greaterThan(0);
      expect(hits, `plaintext in ${collection}`).to.equal(0);
    }
    // controls: the same bytes stored in the clear, and the competition's own (public) title, are found
    await new Promise<void>((resolve, reject) => {
      const upload = new GridFSBucket(mongoose.connection.db!, { bucketName: 'controlfiles' }).openUploadStream(bids[0].fileName!);
      upload.once('finish', () => resolve()).once('error', reject).end(bids[0].fileBytes);
    });
    expect((await containsSentinel('controlfiles.chunks')).hits).to.equal(1);
    expect((await containsSentinel('controlfiles.files')).hits).to.equal(1);
    expect((await containsSentinel('competitions', 'Community wealth building strategy')).hits).to.be.greaterThan(0);
  });

  it('opening fails with another competition\u2019s key, a tampered byte, or a version moved to another bid', async () => {
    const a = await tenderBoxFixture(t, SENTINEL);
    const b = await tenderBoxFixture(t, SENTINEL);
    const keyring = testKeyring();
    const ca = (await Competition.findById(a.fx.id).lean()) as CompetitionRecord;
    const cb = (await Competition.findById(b.fx.id).lean()) as CompetitionRecord;
    const bid = (await Bid.findById(a.bids[0].bidId).lean())!;
    const sealed = bid.versions[0].sealed as Sealed;
    const aad = bidAad(a.bids[0].bidId, 1);
    // the right key opens it (so the failures below are the key's, the byte's and the binding's)
    expect(keyring.openJson<any>(sealingOf(ca), aad, sealed).answers).to.deep.equal(a.bids[0].content.answers);
    expect(() => keyring.openJson(sealingOf(cb), aad, sealed)).to.throw();
    expect(() => keyring.openJson({ id: String(ca._id), wrappedKey: cb.sealing!.wrappedKey as Sealed }, aad, sealed)).to.throw();
    const data = Buffer.from(sealed.data, 'base64');
    data[5] ^= 0x01;
    expect(() => keyring.openJson(sealingOf(ca), aad, { ...sealed, data: data.toString('base64') })).to.throw();
    expect(() => keyring.openJson(sealingOf(ca), bidAad(a.bids[1].bidId, 1), sealed)).to.throw();

    // an attachment: opens as stored, not once one byte of its chunk is changed
    const ref = a.bids[0].content.attachments[0];
    expect(Buffer.compare(await readBidFile(keyring, ca, a.bids[0].bidId, ref), a.bids[0].fileBytes!)).to.equal(0);
    expect(await rejects(readBidFile(keyring, cb, a.bids[0].bidId, ref)), 'another competition\u2019s key').to.equal(true);
    const chunks = mongoose.connection.db!.collection('bidfiles.chunks');
    const chunk = (await chunks.findOne({ files_id: new mongoose.Types.ObjectId(ref.file) }))!;
    const bytes = Buffer.from(chunk.data.buffer);
    bytes[bytes.length - 1] ^= 0x01;
    await chunks.updateOne({ _id: chunk._id }, { $set: { data: new BSON.Binary(bytes) } });
    expect(await rejects(readBidFile(keyring, ca, a.bids[0].bidId, ref)), 'a tampered chunk').to.equal(true);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[], env: NodeJS.ProcessEnv, until?: RegExp): { child: ChildProcess; output: () => string; ready: Promise<void>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      if (until?.test(out)) resolve();
    });
    child.stderr!.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => (until ? reject(new Error(`exited early (${code}): ${out}`)) : resolve()));
  });
  return { child, output: () => out, ready, exited };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('sealed at rest: the bytes on disk', function () {
  this.timeout(90_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sealed-at-rest-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a bid written by the services and one submitted to the real app over HTTP leave no plaintext in DATA_DIR', async () => {
    const marker = `TITLE-MARK-${randomBytes(4).toString('hex')}`;
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, BID_MASTER_KEY: randomBytes(32).toString('base64'), LOG_LEVEL: 'silent', SEED_DEMO: 'never', SCHEDULER: 'off', NODE_ENV: 'development' };
    delete env.MONGODB_URI;

    // 1. a competition published through the real services and one sealed bid with an attachment, on the engine in DATA_DIR
    const support = join(__dirname, '..', 'support', 'sealedBids.js');
    const seed = run(['-e', `require(${JSON.stringify(support)}).seedForDisk(${JSON.stringify(dataDir)}, ${JSON.stringify(SENTINEL)}, ${JSON.stringify(marker)}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`], env);
    expect(await seed.exited, seed.output()).to.equal(0);
    const seeded = JSON.parse(seed.output().trim().split('\n').pop()!) as { competition: string; supplier: TestUser };

    // 2. the real app on that DATA_DIR: the other invited supplier submits a bid through the pages
    const port = await freePort();
    const app = run([join(__dirname, '..', '..', 'server', 'index.js')], { ...env, PORT: String(port) }, /running at/);
    try {
      await app.ready;
      const agent = request.agent(`http://127.0.0.1:${port}`);
      expect((await submit(agent, '/sign-in', { email: seeded.supplier.email, password: seeded.supplier.password })).status).to.equal(303);
      const submitted = await submitBidThroughRoutes(undefined as unknown as TestApp, seeded.supplier, seeded.competition, {
        agent, answers: [`First answer ${SENTINEL}`, `Second answer ${SENTINEL}`], price: '12000',
        breakdown: [{ item: `Workshops ${SENTINEL}`, amount: '12000' }],
        attachment: { name: `plan-${SENTINEL}.pdf`, bytes: Buffer.from(`%PDF-1.4\n% ${SENTINEL}\n%%EOF\n`) },
      });
      expect(submitted.version).to.equal(1);
    } finally {
      app.child.kill('SIGTERM');
    }
    expect(await app.exited).to.equal(0);

    // 3. every byte under DATA_DIR: no sentinel; the competition's title (stored in clear) is there
    const files = filesUnder(dataDir);
    const dbFiles = files.filter((f) => f.startsWith(join(dataDir, 'db')));
    expect(dbFiles.length, 'engine files').to.be.greaterThan(0);
    const leaks = files.filter((f) => readFileSync(f).includes(Buffer.from(SENTINEL, 'utf8')));
    expect(leaks, 'files holding plaintext').to.deep.equal([]);
    expect(dbFiles.some((f) => readFileSync(f).includes(Buffer.from(marker, 'utf8'))), 'the clear-text control is found on disk').to.equal(true);
  });
});
