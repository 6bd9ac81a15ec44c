// Every update operator the app may use, positional updates with arrayFilters, and pipeline-style updates.
import { expect } from 'chai';
import { Binary, Timestamp } from 'mongodb';
import { expectCode, useTarget } from './helpers';

describe('conformance: update operators', () => {
  const s = useTarget('updops');
  const coll = () => s.db.collection<any>('ops');

  async function seed(doc: object): Promise<void> {
    await coll().deleteMany({});
    await coll().insertOne({ _id: 1, ...doc });
  }

  /** Inserts `doc` as _id 1, applies `update`, and returns the stored result without _id. */
  async function apply(doc: object, update: object, options: object = {}): Promise<any> {
    await seed(doc);
    await coll().updateOne({ _id: 1 }, update as any, options);
    const { _id, ...rest } = (await coll().findOne({ _id: 1 }))!;
    expect(_id).to.equal(1);
    return rest;
  }

  it('$set creates nested paths and replaces values', async () => {
    expect(await apply({ a: 1 }, { $set: { a: 2, 'b.c.d': 'x' } })).to.deep.equal({ a: 2, b: { c: { d: 'x' } } });
  });

  it('$set replaces binary data that differs in a single byte, and counts it as modified', async () => {
    // every one-bit change of the last byte, at the top level and nested (bytes that are not valid UTF-8 included)
    for (const last of [0x0d, 0x7f, 0xb1, 0xd4, 0xf3, 0xff]) {
      const before = Buffer.from([0x25, 0x50, 0x44, 0x46, 0xe2, 0x82, last]);
      const after = Buffer.from(before);
      after[after.length - 1] ^= 0x01;
      await seed({ data: new Binary(before), meta: { data: new Binary(before) } });
      const res = await coll().updateOne({ _id: 1 }, { $set: { data: new Binary(after), 'meta.data': new Binary(after) } });
      expect(res.modifiedCount, `last byte ${last}`).to.equal(1);
      const stored = (await coll().findOne({ _id: 1 }))!;
      expect(Buffer.from(stored.data.buffer).equals(after), `last byte ${last}`).to.equal(true);
      expect(Buffer.from(stored.meta.data.buffer).equals(after), `nested, last byte ${last}`).to.equal(true);
      // the same bytes again: matched, not modified
      expect((await coll().updateOne({ _id: 1 }, { $set: { data: new Binary(after) } })).modifiedCount).to.equal(0);
    }
  });

  it('$set keeps the position of a field it replaces', async () => {
    expect(Object.keys(await apply({ a: 1, b: 2, c: 3 }, { $set: { b: 20 } }))).to.deep.equal(['a', 'b', 'c']);
  });

  it('$set on an array element by index', async () => {
    expect(await apply({ arr: [1, 2, 3] }, { $set: { 'arr.1': 20 } })).to.deep.equal({ arr: [1, 20, 3] });
  });

  it('$unset removes fields, and ignores missing ones', async () => {
    expect(await apply({ a: 1, b: { c: 1, d: 2 } }, { $unset: { a: '', 'b.c': 1, nope: '' } })).to.deep.equal({ b: { d: 2 } });
  });

  it('$inc increments, creates missing fields, and accepts negatives and fractions', async () => {
    expect(await apply({ a: 1, b: 5 }, { $inc: { a: 2, b: -1.5, c: 3 } })).to.deep.equal({ a: 3, b: 3.5, c: 3 });
  });

  it('$inc on a non-numeric value fails with TypeMismatch (14) and changes nothing', async () => {
    await seed({ a: 'text', b: 1 });
    await expectCode(coll().updateOne({ _id: 1 }, { $inc: { a: 1, b: 1 } }), 14);
    expect(await coll().findOne({ _id: 1 })).to.deep.equal({ _id: 1, a: 'text', b: 1 });
  });

  it('array operators on a non-array fail (BadValue 2, $pop TypeMismatch 14) and change nothing', async () => {
    await seed({ a: 1, s: 'x' });
    await expectCode(coll().updateOne({ _id: 1 }, { $push: { a: 2 } } as any), 2);
    await expectCode(coll().updateOne({ _id: 1 }, { $addToSet: { s: 'y' } }), 2);
    await expectCode(coll().updateOne({ _id: 1 }, { $pop: { a: 1 } }), 14);
    await expectCode(coll().updateOne({ _id: 1 }, { $mul: { s: 2 } }), 14);
    expect(await coll().findOne({ _id: 1 })).to.deep.equal({ _id: 1, a: 1, s: 'x' });
  });

  it('$mul multiplies and sets a missing field to 0', async () => {
    expect(await apply({ a: 3 }, { $mul: { a: 4, z: 10 } })).to.deep.equal({ a: 12, z: 0 });
  });

  it('$min and $max keep the smaller or larger value, and set missing fields', async () => {
    expect(await apply({ lo: 5, hi: 5 }, { $min: { lo: 3, m: 1 }, $max: { hi: 3, n: 2 } })).to.deep.equal({ lo: 3, hi: 5, m: 1, n: 2 });
    const d1 = new Date('2020-01-01');
    const d2 = new Date('2021-01-01');
    expect(await apply({ when: d1 }, { $max: { when: d2 } })).to.deep.equal({ when: d2 });
  });

  it('$rename moves a field, including into a nested path', async () => {
    expect(await apply({ a: 1, b: 2 }, { $rename: { a: 'x', b: 'n.y' } })).to.deep.equal({ x: 1, n: { y: 2 } });
  });

  it('$push appends, and creates the array', async () => {
    expect(await apply({ arr: [1] }, { $push: { arr: 2, other: 'x' } })).to.deep.equal({ arr: [1, 2], other: ['x'] });
  });

  it('$push with $each, $sort and $slice', async () => {
    const r = await apply({ s: [{ v: 5 }, { v: 1 }] }, { $push: { s: { $each: [{ v: 3 }, { v: 9 }], $sort: { v: -1 }, $slice: 3 } } });
    expect(r).to.deep.equal({ s: [{ v: 9 }, { v: 5 }, { v: 3 }] });
    expect(await apply({ a: [1, 2, 3] }, { $push: { a: { $each: [4, 5], $slice: -2 } } })).to.deep.equal({ a: [4, 5] });
  });

  it('$push with $position inserts at an index', async () => {
    expect(await apply({ a: [1, 2, 3] }, { $push: { a: { $each: ['x', 'y'], $position: 1 } } })).to.deep.equal({ a: [1, 'x', 'y', 2, 3] });
    expect(await apply({ a: [1, 2] }, { $push: { a: { $each: [0], $position: 0 } } })).to.deep.equal({ a: [0, 1, 2] });
  });

  it('$addToSet adds only missing values, also with $each', async () => {
    expect(await apply({ t: ['a'] }, { $addToSet: { t: 'a' } })).to.deep.equal({ t: ['a'] });
    expect(await apply({ t: ['a'] }, { $addToSet: { t: { $each: ['b', 'a', 'c', 'b'] } } })).to.deep.equal({ t: ['a', 'b', 'c'] });
    expect(await apply({}, { $addToSet: { t: { k: 1 } } })).to.deep.equal({ t: [{ k: 1 }] });
  });

  it('$pull removes values and documents matching a condition', async () => {
    expect(await apply({ a: [1, 2, 3, 2] }, { $pull: { a: 2 } })).to.deep.equal({ a: [1, 3] });
    expect(await apply({ a: [1, 5, 8] }, { $pull: { a: { $gte: 5 } } })).to.deep.equal({ a: [1] });
    const r = await apply({ items: [{ k: 'x', n: 1 }, { k: 'y', n: 2 }] }, { $pull: { items: { k: 'x' } } });
    expect(r).to.deep.equal({ items: [{ k: 'y', n: 2 }] });
  });

  it('$pullAll removes every listed value', async () => {
    expect(await apply({ a: [1, 2, 3, 1, 4] }, { $pullAll: { a: [1, 4] } })).to.deep.equal({ a: [2, 3] });
  });

  it('$pop removes the last or the first element', async () => {
    expect(await apply({ a: [1, 2, 3] }, { $pop: { a: 1 } })).to.deep.equal({ a: [1, 2] });
    expect(await apply({ a: [1, 2, 3] }, { $pop: { a: -1 } })).to.deep.equal({ a: [2, 3] });
  });

  it('$currentDate sets a Date or a Timestamp', async () => {
    const t0 = Date.now() - 5_000;
    const r = await apply({}, { $currentDate: { d: true, t: { $type: 'timestamp' }, e: { $type: 'date' } } });
    expect(r.d).to.be.instanceOf(Date);
    expect(r.e).to.be.instanceOf(Date);
    expect(r.d.getTime()).to.be.greaterThan(t0);
    expect(r.t).to.be.instanceOf(Timestamp);
    expect(r.t.getHighBits() * 1000).to.be.greaterThan(t0 - 1000);
  });

  it('$setOnInsert is ignored when the update matches an existing document', async () => {
    expect(await apply({ a: 1 }, { $set: { b: 2 }, $setOnInsert: { c: 3 } }, { upsert: true })).to.deep.equal({ a: 1, b: 2 });
  });

  it('conflicting paths in one update fail with ConflictingUpdateOperators (40)', async () => {
    await seed({ a: 1 });
    await expectCode(coll().updateOne({ _id: 1 }, { $set: { a: 2 }, $inc: { a: 1 } }), 40);
    await expectCode(coll().updateOne({ _id: 1 }, { $set: { 'n.x': 2, n: {} } }), 40);
  });

  describe('positional updates', () => {
    const base = { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5 }, { sku: 'c', qty: 9 }] };

    it('$ updates the first array element the filter matched', async () => {
      await coll().deleteMany({});
      await coll().insertOne({ _id: 1, ...base });
      await coll().updateOne({ _id: 1, 'items.sku': 'b' }, { $set: { 'items.$.qty': 50 } });
      const d = await coll().findOne({ _id: 1 });
      expect(d!.items.map((i: any) => i.qty)).to.deep.equal([1, 50, 9]);
    });

    it('$[] updates every element', async () => {
      const r = await apply(base, { $inc: { 'items.$[].qty': 1 } });
      expect(r.items.map((i: any) => i.qty)).to.deep.equal([2, 6, 10]);
    });

    it('$[id] updates the elements matching arrayFilters', async () => {
      const r = await apply(base, { $set: { 'items.$[big].flag': true } }, { arrayFilters: [{ 'big.qty': { $gte: 5 } }] });
      expect(r.items).to.deep.equal([{ sku: 'a', qty: 1 }, { sku: 'b', qty: 5, flag: true }, { sku: 'c', qty: 9, flag: true }]);
    });

    it('$[id] on scalar arrays and nested arrays', async () => {
      expect(await apply({ g: [1, 7, 3, 9] }, { $set: { 'g.$[x]': 0 } }, { arrayFilters: [{ x: { $gt: 5 } }] })).to.deep.equal({ g: [1, 0, 3, 0] });
      const r = await apply({ m: [{ r: [1, 2] }, { r: [3] }] }, { $inc: { 'm.$[].r.$[v]': 10 } }, { arrayFilters: [{ v: { $gte: 2 } }] });
      expect(r).to.deep.equal({ m: [{ r: [1, 12] }, { r: [13] }] });
    });
  });

  describe('pipeline-style updates', () => {
    it('computes fields from other fields', async () => {
      const r = await apply({ a: 2, b: 3, old: 1 }, [{ $set: { total: { $add: ['$a', '$b'] } } }, { $unset: 'old' }]);
      expect(r).to.deep.equal({ a: 2, b: 3, total: 5 });
    });

    it('applies to every document with updateMany, using each document\'s own values', async () => {
      await coll().deleteMany({});
      await coll().insertMany([{ _id: 1, p: 2, q: 5 }, { _id: 2, p: 10, q: 1 }]);
      const r = await coll().updateMany({}, [{ $set: { m: { $max: ['$p', '$q'] }, s: { $concat: ['id-', { $toString: '$_id' }] } } }]);
      expect(r.modifiedCount).to.equal(2);
      expect(await coll().find().sort({ _id: 1 }).toArray()).to.deep.equal([
        { _id: 1, p: 2, q: 5, m: 5, s: 'id-1' },
        { _id: 2, p: 10, q: 1, m: 10, s: 'id-2' },
      ]);
    });

    it('$replaceWith keeps _id', async () => {
      expect(await apply({ inner: { z: 1 } }, [{ $replaceWith: '$inner' }])).to.deep.equal({ z: 1 });
    });
  });
});
