// Bad bytes on the socket: random, truncated and mutated messages close at most their own connection.
import { Socket, connect } from 'node:net';
import { expect } from 'chai';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { EmbeddedMongo, startEmbeddedMongo } from '../../server/embedded-mongo';

/** Small seeded PRNG so a failing run can be replayed (the seed is printed). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function opMsg(body: object, requestId = 1): Buffer {
  const doc = Buffer.from(serialize(body));
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + doc.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(2013, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, doc]);
}

/** Sends bytes on a fresh connection and waits until the server replies, closes, or goes quiet. */
function send(port: number, bytes: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const done = () => {
      socket.destroy();
      resolve();
    };
    socket.on('error', done);
    socket.on('close', done);
    socket.on('data', done);
    socket.setTimeout(100, done);
    socket.write(bytes, () => socket.end());
  });
}

describe('engine wire fuzzing', function () {
  this.timeout(60_000);
  const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1e9);
  const rand = mulberry32(seed);
  let engine: EmbeddedMongo;
  let client: MongoClient;
  let protocolErrors = 0;

  before(async () => {
    console.log(`      fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
    engine = await startEmbeddedMongo({ onProtocolError: () => protocolErrors++ });
    client = new MongoClient(engine.uri);
    await client.db('fuzz').collection('c').insertMany([{ a: 1 }, { a: 2 }]);
  });
  after(async () => {
    await client.close();
    await engine.stop();
  });

  async function stillServes(): Promise<void> {
    expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
    expect(await client.db('fuzz').collection('c').countDocuments()).to.equal(2);
  }

  const randomBytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));

  it('survives random byte streams', async () => {
    for (let i = 0; i < 150; i++) await send(engine.port, randomBytes(1 + Math.floor(rand() * 400)));
    await stillServes();
    expect(protocolErrors).to.be.greaterThan(0);
  });

  it('survives truncated messages and lying lengths', async () => {
    const valid = opMsg({ find: 'c', filter: {}, $db: 'fuzz' });
    for (let cut = 1; cut < valid.length; cut += 3) await send(engine.port, valid.subarray(0, cut));
    const lengths = [-1, 0, 15, 17, 0x7fffffff, 48_000_001];
    for (const len of lengths) {
      const m = Buffer.from(valid);
      m.writeInt32LE(len, 0);
      await send(engine.port, m);
    }
    // A header claiming a bigger document than the section holds.
    const lying = Buffer.from(valid);
    lying.writeInt32LE(lying.readInt32LE(21) + 100, 21);
    await send(engine.port, lying);
    await stillServes();
  });

  it('survives mutated valid commands', async () => {
    const commands = [
      { find: 'c', filter: { a: { $gt: 0 } }, sort: { a: -1 }, $db: 'fuzz' },
      { insert: 'other', documents: [{ x: 1, y: [1, 2, { z: 'q' }] }], $db: 'fuzz' },
      { update: 'other', updates: [{ q: { x: 1 }, u: { $set: { y: 2 } }, upsert: true }], $db: 'fuzz' },
      { aggregate: 'c', pipeline: [{ $group: { _id: '$a', n: { $sum: 1 } } }], cursor: {}, $db: 'fuzz' },
    ];
    for (let i = 0; i < 400; i++) {
      const m = opMsg(commands[i % commands.length], i);
      const flips = 1 + Math.floor(rand() * 4);
      for (let f = 0; f < flips; f++) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
      await send(engine.port, m);
    }
    await stillServes();
  });

  it('answers an unknown command with CommandNotFound and a bad opCode by closing', async () => {
    const err = await client.db('admin').command({ noSuchThing: 1 }).catch((e) => e);
    expect(err.code).to.equal(59);
    const m = opMsg({ ping: 1, $db: 'admin' });
    m.writeInt32LE(9999, 12);
    await send(engine.port, m);
    await stillServes();
  });
});
