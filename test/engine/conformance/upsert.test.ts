// Upserts: the inserted document is seeded from the filter's equality fields, as mongod does.
import { expect } from 'chai';
import { expectCode, useTarget } from './helpers';

describe('conformance: upserts', () => {
  const s = useTarget('upsert');
  const coll = () => s.db.collection<any>('up');

  beforeEach(async () => {
    await coll().deleteMany({});
  });

  async function upsert(filter: object, update: object): Promise<any> {
    const r = await coll().updateOne(filter, update as any, { upsert: true });
    expect(r.upsertedCount).to.equal(1);
    expect(r.matchedCount).to.equal(0);
    const { _id, ...rest } = (await coll().findOne({ _id: r.upsertedId }))!;
    expect(_id).to.deep.equal(r.upsertedId);
    return rest;
  }

  it('copies equality fields, skips other conditions, and applies the update', async () => {
    expect(await upsert({ email: 'a@x.io', n: { $gt: 3 }, tag: { $in: ['p', 'q'] } }, { $set: { name: 'A' } })).to.deep.equal({ email: 'a@x.io', name: 'A' });
  });

  it('seeds from $eq and from inside $and', async () => {
    expect(await upsert({ $and: [{ a: 1 }, { b: { $eq: 2 } }], c: { $eq: 'c' } }, { $inc: { n: 1 } })).to.deep.equal({ a: 1, b: 2, c: 'c', n: 1 });
  });

  it('seeds dotted filter fields as nested documents', async () => {
    expect(await upsert({ 'profile.handle': 'h' }, { $set: { 'profile.age': 3 } })).to.deep.equal({ profile: { handle: 'h', age: 3 } });
  });

  it('applies $setOnInsert only when inserting', async () => {
    const update = { $setOnInsert: { created: 1 }, $inc: { hits: 1 } };
    await coll().updateOne({ key: 'k' }, update, { upsert: true });
    await coll().updateOne({ key: 'k' }, update, { upsert: true });
    const docs = await coll().find({}, { projection: { _id: 0 } }).toArray();
    expect(docs).to.deep.equal([{ key: 'k', created: 1, hits: 2 }]);
  });

  it('takes _id from the filter', async () => {
    const r = await coll().updateOne({ _id: 'sid-1' }, { $set: { v: 1 } }, { upsert: true });
    expect(r.upsertedId).to.equal('sid-1');
  });

  it('accepts an unchanged _id inside $set, as connect-mongo sends it', async () => {
    const expires = new Date(Date.now() + 60_000);
    for (const session of ['s1', 's2']) {
      await coll().updateOne({ _id: 'sess' }, { $set: { _id: 'sess', session, expires } }, { upsert: true });
    }
    expect(await coll().find().toArray()).to.deep.equal([{ _id: 'sess', session: 's2', expires }]);
  });

  it('refuses a changed _id inside $set on an existing document', async () => {
    await coll().insertOne({ _id: 'a' });
    await expectCode(coll().updateOne({ _id: 'a' }, { $set: { _id: 'b' } }, { upsert: true }), 66);
  });

  it('replaceOne with upsert takes _id from the filter and the rest from the replacement', async () => {
    const r = await coll().replaceOne({ _id: 5, ignored: 'x' }, { v: 'r' }, { upsert: true });
    expect(r.upsertedId).to.equal(5);
    expect(await coll().findOne({ _id: 5 })).to.deep.equal({ _id: 5, v: 'r' });
  });

  it('pipeline updates upsert from the filter seed', async () => {
    expect(await upsert({ k: 7 }, [{ $set: { d: { $multiply: ['$k', 2] } } }])).to.deep.equal({ k: 7, d: 14 });
  });

  it('updateMany with upsert inserts one document when nothing matches', async () => {
    const r = await coll().updateMany({ g: 'none' }, { $set: { v: 1 } }, { upsert: true });
    expect(r.upsertedCount).to.equal(1);
    expect(await coll().countDocuments({ g: 'none', v: 1 })).to.equal(1);
  });

  it('an upsert that matches updates instead of inserting', async () => {
    await coll().insertOne({ _id: 1, email: 'e' });
    const r = await coll().updateOne({ email: 'e' }, { $set: { v: 2 } }, { upsert: true });
    expect(r).to.include({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
    expect(await coll().countDocuments()).to.equal(1);
  });
});
