// `npm run bench:engine`: the embedded engine's speed through mongoose, server in-process, on a temp data dir.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ObjectId } from 'bson';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../server/embedded-mongo';
import { encodeRecord } from '../server/embedded-mongo/journal';

async function time(label: string, fn: () => Promise<unknown>, per?: number): Promise<void> {
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const each = per ? `  (${((ms * 1000) / per).toFixed(0)} µs each)` : '';
  console.log(`${label.padEnd(62)} ${ms.toFixed(0).padStart(7)} ms${each}`);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const engine = await startEmbeddedMongo({ dataDir });
  await mongoose.connect(engine.uri + 'bench');
  const User = mongoose.model('User', new mongoose.Schema({ email: { type: String, unique: true }, group: Number, n: Number }));
  const Item = mongoose.model('Item', new mongoose.Schema({ group: { type: Number, index: true }, n: { type: Number, index: true }, label: String }));
  await User.init();
  await Item.init();

  await time('10,000 sequential Model.create (unique index on email)', async () => {
    for (let i = 0; i < 10_000; i++) await User.create({ email: `user${i}@example.org`, group: i % 50, n: i });
  }, 10_000);
  await time('10,000 documents by insertMany (batches of 1,000)', async () => {
    for (let b = 0; b < 10; b++) {
      await Item.insertMany(Array.from({ length: 1000 }, (_, i) => ({ group: (b * 1000 + i) % 100, n: b * 1000 + i, label: `item ${b * 1000 + i}` })));
    }
  }, 10_000);
  await time('1,000 indexed findOne by email over 10,000', async () => {
    for (let i = 0; i < 1000; i++) await User.findOne({ email: `user${(i * 7) % 10_000}@example.org` }).lean();
  }, 1000);
  await time('1,000 findById over 10,000', async () => {
    const ids = (await User.find({}, { _id: 1 }).limit(1000).lean()).map((d) => d._id);
    for (const id of ids) await User.findById(id).lean();
  }, 1000);
  await time('1,000 find({group}).sort({n:-1}).limit(20) over 10,000 (indexed)', async () => {
    for (let i = 0; i < 1000; i++) await Item.find({ group: i % 100 }).sort({ n: -1 }).limit(20).lean();
  }, 1000);
  await time('1,000 find({n:{$gte}}).sort({n:1}).limit(20) over 10,000', async () => {
    for (let i = 0; i < 1000; i++) await Item.find({ n: { $gte: (i * 9) % 10_000 } }).sort({ n: 1 }).limit(20).lean();
  }, 1000);
  await time('100 countDocuments over 10,000', async () => {
    for (let i = 0; i < 100; i++) await Item.countDocuments({ group: i % 100 });
  }, 100);
  await mongoose.disconnect();
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });

  // Replay: a journal of 100,000 single-document insert records, as 100,000 acknowledged writes leave it.
  const replayDir = mkdtempSync(join(tmpdir(), 'engine-replay-'));
  const records: Buffer[] = [
    encodeRecord({ ops: [{ o: 'cc', ns: 'bench.bids', opts: {} }, { o: 'ci', ns: 'bench.bids', spec: { v: 2, key: { competition: 1, supplier: 1 }, name: 'competition_1_supplier_1', unique: true } }] }),
  ];
  for (let i = 0; i < 100_000; i++) {
    records.push(encodeRecord({ ops: [{ o: 'put', ns: 'bench.bids', d: { _id: new ObjectId(), competition: i % 2000, supplier: i, price: i * 10, receivedAt: new Date(), answers: ['a'.repeat(100), 'b'.repeat(100)] } }] }));
  }
  writeFileSync(join(replayDir, 'journal.bin'), Buffer.concat(records));
  const t0 = performance.now();
  const replayed = await startEmbeddedMongo({ dataDir: replayDir });
  const total = performance.now() - t0;
  console.log(`${'journal replay of 100,000 records (start-up incl. compaction)'.padEnd(62)} ${total.toFixed(0).padStart(7)} ms  (replay ${replayed.startup.replayMs} ms, compaction ${replayed.startup.compactMs} ms)`);
  await replayed.stop();
  const t1 = performance.now();
  const reopened = await startEmbeddedMongo({ dataDir: replayDir });
  console.log(`${'restart from the compacted snapshot (100,000 documents)'.padEnd(62)} ${(performance.now() - t1).toFixed(0).padStart(7)} ms`);
  await reopened.stop();
  rmSync(replayDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
