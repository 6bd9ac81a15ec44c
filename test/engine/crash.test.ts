// Durability: acknowledged writes survive kill -9, torn journal tails are dropped, one process per data directory.
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';

const writer = join(__dirname, 'fixtures', 'crash-writer.js');

/** Runs the writer until it has acknowledged `acks` writes, then kills it with SIGKILL. */
function runAndKill(dataDir: string, mode: 'insert' | 'txn', acks: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [writer, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: number[] = [];
    let out = '';
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('ack ')) acked.push(Number(line.slice(4)));
        if (acked.length >= acks && !child.killed) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited with ${code}: ${err}`));
    });
  });
}

describe('engine durability', function () {
  this.timeout(60_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-crash-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  async function reopen<T>(fn: (client: MongoClient) => Promise<T>): Promise<T> {
    const engine = await startEmbeddedMongo({ dataDir });
    const client = new MongoClient(engine.uri);
    try {
      await client.connect();
      return await fn(client);
    } finally {
      await client.close();
      await engine.stop();
    }
  }

  it('keeps every acknowledged insert after kill -9, twice over', async () => {
    const first = await runAndKill(dataDir, 'insert', 300);
    const second = await runAndKill(dataDir, 'insert', 300);
    await reopen(async (client) => {
      const docs = await client.db('crash').collection('items').find({}, { projection: { seq: 1, payload: 1 } }).toArray();
      const stored = new Set(docs.map((d) => d.seq));
      for (const n of [...first, ...second]) expect(stored.has(n), `acknowledged insert ${n} lost`).to.equal(true);
      for (const d of docs) expect(d.payload).to.have.length(200 + (d.seq % 500));
      // The unique index was rebuilt from the journal and still holds.
      const err = await client.db('crash').collection('items').insertOne({ seq: first[0] }).catch((e) => e);
      expect(err.code).to.equal(11000);
    });
  });

  it('never leaves half a transaction after kill -9', async () => {
    const acked = await runAndKill(dataDir, 'txn', 100);
    await reopen(async (client) => {
      const pairs = await client.db('crash').collection('pairs').find().toArray();
      const halves = new Map<number, number>();
      for (const p of pairs) halves.set(p.pair, (halves.get(p.pair) ?? 0) + 1);
      for (const [pair, count] of halves) expect(count, `transaction ${pair} half-applied`).to.equal(2);
      for (const n of acked) expect(halves.get(n), `acknowledged transaction ${n} lost`).to.equal(2);
    });
  });

  it('drops a torn last journal record and carries on', async () => {
    await reopen(async (client) => {
      await client.db('t').collection('c').insertMany([{ _id: 1 as any, v: 'a' }, { _id: 2 as any, v: 'b' }]);
    });
    // The engine compacts on start, so write one more record and leave it in the journal.
    const engine = await startEmbeddedMongo({ dataDir });
    const client = new MongoClient(engine.uri);
    await client.connect();
    await client.db('t').collection('c').insertOne({ _id: 3 as any, v: 'c' });
    await client.close();
    await engine.stop();
    const journal = join(dataDir, 'journal.bin');
    const before = statSync(journal).size;
    expect(before).to.be.greaterThan(0);
    // Half a record: a length header promising more bytes than follow.
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(500, 0);
    appendFileSync(journal, torn);
    await reopen(async (c) => {
      const docs = await c.db('t').collection('c').find().sort({ _id: 1 }).toArray();
      expect(docs.map((d) => d.v)).to.deep.equal(['a', 'b', 'c']);
      await c.db('t').collection('c').insertOne({ _id: 4 as any, v: 'd' });
    });
    await reopen(async (c) => {
      expect(await c.db('t').collection('c').countDocuments()).to.equal(4);
    });
  });

  it('ignores a record whose checksum does not match', async () => {
    await reopen(async (client) => {
      await client.db('t').collection('c').insertOne({ _id: 1 as any });
    });
    const engine = await startEmbeddedMongo({ dataDir });
    const client = new MongoClient(engine.uri);
    await client.connect();
    await client.db('t').collection('c').insertOne({ _id: 2 as any });
    await client.close();
    await engine.stop();
    // Corrupt the last payload byte but keep the length intact.
    const journal = join(dataDir, 'journal.bin');
    const size = statSync(journal).size;
    const fd = openSync(journal, 'r+');
    writeSync(fd, Buffer.from([0xff]), 0, 1, size - 2);
    closeSync(fd);
    await reopen(async (c) => {
      const ids = (await c.db('t').collection('c').find().toArray()).map((d) => d._id);
      expect(ids).to.deep.equal([1]);
    });
  });

  it('refuses a second engine on the same data directory', async () => {
    const engine = await startEmbeddedMongo({ dataDir });
    try {
      const err = await startEmbeddedMongo({ dataDir }).catch((e) => e);
      expect(err).to.be.instanceOf(Error);
      expect(err.message).to.match(/in use/);
    } finally {
      await engine.stop();
    }
    expect(existsSync(join(dataDir, 'mongod.lock'))).to.equal(false);
  });
});
