// Index use: equality, range and sort on an indexed field read a few documents, not the whole collection.
// Runs through the driver's explain, so it also holds against a real MongoDB (MONGODB_URI).
import { expect } from 'chai';
import { Collection, Document } from 'mongodb';
import { startTarget, Target, uniqueDbName } from './harness';

function stages(plan: unknown, out: string[] = []): string[] {
  if (Array.isArray(plan)) plan.forEach((p) => stages(p, out));
  else if (plan && typeof plan === 'object') {
    for (const [k, v] of Object.entries(plan)) {
      if (k === 'stage' && typeof v === 'string') out.push(v);
      else stages(v, out);
    }
  }
  return out;
}

describe('engine: query plans', function () {
  this.timeout(30_000);
  let target: Target;
  let items: Collection<Document>;

  before(async () => {
    target = await startTarget();
    items = target.client.db(uniqueDbName('plans')).collection('items');
    await items.insertMany(Array.from({ length: 5000 }, (_, i) => ({ n: i, group: i % 50, tags: [`t${i % 7}`, `u${i % 11}`], label: `item ${i}` })));
    await items.createIndex({ n: 1 });
    await items.createIndex({ group: 1, n: -1 });
    await items.createIndex({ tags: 1 });
  });
  after(async () => target.stop());

  async function explain(filter: Document, sort?: Document, limit?: number) {
    let cursor = items.find(filter);
    if (sort) cursor = cursor.sort(sort);
    if (limit) cursor = cursor.limit(limit);
    const e = await cursor.explain('executionStats');
    return { stages: stages(e.queryPlanner.winningPlan), examined: e.executionStats.totalDocsExamined as number, returned: e.executionStats.nReturned as number };
  }

  it('uses an index for a range and reads only the documents in it', async () => {
    const e = await explain({ n: { $gte: 100, $lt: 150 } });
    expect(e.stages).to.include('IXSCAN');
    expect(e.returned).to.equal(50);
    expect(e.examined).to.be.at.most(60);
    const docs = await items.find({ n: { $gte: 100, $lt: 150 } }).toArray();
    expect(docs.map((d) => d.n)).to.have.members(Array.from({ length: 50 }, (_, i) => 100 + i));
  });

  it('reads a sort with a limit from the index in order, stopping early', async () => {
    const e = await explain({}, { n: -1 }, 20);
    expect(e.stages).to.include('IXSCAN');
    expect(e.examined).to.be.at.most(25);
    const docs = await items.find({}).sort({ n: -1 }).limit(20).toArray();
    expect(docs.map((d) => d.n)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 4999 - i));
  });

  it('combines a range with the sort of the same index', async () => {
    const docs = await items.find({ n: { $gt: 4000 } }).sort({ n: 1 }).limit(5).toArray();
    expect(docs.map((d) => d.n)).to.deep.equal([4001, 4002, 4003, 4004, 4005]);
    const e = await explain({ n: { $gt: 4000 } }, { n: 1 }, 5);
    expect(e.examined).to.be.at.most(10);
  });

  it('uses the first field of a compound index for equality, and sorts by the rest', async () => {
    const e = await explain({ group: 7 }, { n: -1 }, 10);
    expect(e.stages).to.include('IXSCAN');
    expect(e.examined).to.be.at.most(15);
    const docs = await items.find({ group: 7 }).sort({ n: -1 }).limit(3).toArray();
    expect(docs.map((d) => d.n)).to.deep.equal([4957, 4907, 4857]);
  });

  it('answers multikey equality and ranges correctly from the index', async () => {
    expect(await items.countDocuments({ tags: 't3' })).to.equal(Math.ceil((5000 - 3) / 7));
    const e = await explain({ tags: 't3' });
    expect(e.stages).to.include('IXSCAN');
    expect(e.examined).to.be.below(1000);
    // One element may meet the lower bound and another the upper: still a match.
    await items.insertOne({ n: -1, group: -1, tags: ['a', 'z'] });
    const both = await items.find({ tags: { $gt: 'y', $lt: 'b' } }).toArray();
    expect(both.map((d) => d.n)).to.deep.equal([-1]);
    await items.deleteOne({ n: -1 });
  });

  it('keeps index order right through updates and deletes', async () => {
    await items.updateOne({ n: 10 }, { $set: { n: 100000 } });
    await items.deleteOne({ n: 4999 });
    const top = await items.find({}).sort({ n: -1 }).limit(2).toArray();
    expect(top.map((d) => d.n)).to.deep.equal([100000, 4998]);
    const low = await items.find({ n: { $lt: 12 } }).sort({ n: 1 }).toArray();
    expect(low.map((d) => d.n)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11]);
  });

  it('still scans a collection when no index helps', async () => {
    const e = await explain({ label: 'item 42' });
    expect(e.stages).to.include('COLLSCAN');
  });
});
