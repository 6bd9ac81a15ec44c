// CRUD through the official driver: inserts (ordered and unordered), reads, updates, deletes, findAndModify, counts.
import { expect } from 'chai';
import { MongoBulkWriteError } from 'mongodb';
import { expectCode, rejection, useTarget } from './helpers';

describe('conformance: CRUD', () => {
  const s = useTarget('crud');
  const coll = (name: string) => s.db.collection<any>(name);

  describe('insert', () => {
    it('insertOne assigns an ObjectId _id and stores the document', async () => {
      const r = await coll('ins1').insertOne({ a: 1 });
      expect(r.acknowledged).to.equal(true);
      expect(r.insertedId.constructor.name).to.equal('ObjectId');
      const found = await coll('ins1').findOne({ _id: r.insertedId });
      expect(found).to.deep.equal({ _id: r.insertedId, a: 1 });
    });

    it('insertOne with a duplicate _id fails with 11000 and keeps the first document', async () => {
      await coll('ins2').insertOne({ _id: 7, v: 'first' });
      const err = await expectCode(coll('ins2').insertOne({ _id: 7, v: 'second' }), 11000);
      expect(err.keyPattern).to.deep.equal({ _id: 1 });
      expect(err.keyValue).to.deep.equal({ _id: 7 });
      expect(await coll('ins2').find().toArray()).to.deep.equal([{ _id: 7, v: 'first' }]);
    });

    it('ordered insertMany stops at the first error', async () => {
      const err = await rejection(coll('ins3').insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }]));
      expect(err).to.be.instanceOf(MongoBulkWriteError);
      expect(err.code).to.equal(11000);
      expect(err.result.insertedCount).to.equal(2);
      expect(err.writeErrors).to.have.length(1);
      expect(err.writeErrors[0].index).to.equal(2);
      expect(err.writeErrors[0].code).to.equal(11000);
      const ids = (await coll('ins3').find().sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(ids).to.deep.equal([1, 2]);
    });

    it('unordered insertMany inserts every valid document and reports each failure', async () => {
      const err = await rejection(coll('ins4').insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }, { _id: 2 }, { _id: 3 }], { ordered: false }));
      expect(err).to.be.instanceOf(MongoBulkWriteError);
      expect(err.result.insertedCount).to.equal(3);
      expect(err.writeErrors.map((e: any) => e.index)).to.deep.equal([1, 3]);
      expect(await coll('ins4').countDocuments()).to.equal(3);
    });

    it('insertMany returns insertedIds by position', async () => {
      const r = await coll('ins5').insertMany([{ x: 1 }, { _id: 'b', x: 2 }]);
      expect(r.insertedCount).to.equal(2);
      expect(r.insertedIds[1]).to.equal('b');
      expect(await coll('ins5').countDocuments({ _id: r.insertedIds[0] })).to.equal(1);
    });
  });

  describe('find', () => {
    const docs = Array.from({ length: 10 }, (_, i) => ({ _id: i, n: i, group: i % 3, name: `n${9 - i}`, nested: { k: i * 10 } }));
    before(async () => {
      await coll('people').insertMany(docs);
    });

    it('filters with comparison, logical and dotted operators', async () => {
      expect(await coll('people').countDocuments({ n: { $gte: 3, $lt: 7 } })).to.equal(4);
      expect(await coll('people').countDocuments({ $or: [{ n: 0 }, { group: 2 }] })).to.equal(4);
      expect(await coll('people').countDocuments({ 'nested.k': { $in: [10, 20, 999] } })).to.equal(2);
      expect(await coll('people').countDocuments({ name: /^n[0-2]$/ })).to.equal(3);
      expect(await coll('people').countDocuments({ missing: { $exists: false } })).to.equal(10);
      expect(await coll('people').countDocuments({ missing: null })).to.equal(10);
    });

    it('sorts, skips and limits', async () => {
      const r = await coll('people').find({}, { sort: { group: 1, n: -1 }, skip: 2, limit: 3 }).toArray();
      expect(r.map((d) => d._id)).to.deep.equal([3, 0, 7]);
    });

    it('applies inclusion and exclusion projections', async () => {
      const inc = await coll('people').find({ _id: 4 }, { projection: { name: 1 } }).toArray();
      expect(inc).to.deep.equal([{ _id: 4, name: 'n5' }]);
      const noId = await coll('people').findOne({ _id: 4 }, { projection: { _id: 0, 'nested.k': 1 } });
      expect(noId).to.deep.equal({ nested: { k: 40 } });
      const exc = await coll('people').findOne({ _id: 4 }, { projection: { nested: 0, group: 0 } });
      expect(exc).to.deep.equal({ _id: 4, n: 4, name: 'n5' });
    });

    it('findOne returns null when nothing matches and the first match in sort order otherwise', async () => {
      expect(await coll('people').findOne({ n: 100 })).to.equal(null);
      const top = await coll('people').findOne({ group: 1 }, { sort: { n: -1 } });
      expect(top?._id).to.equal(7);
    });

    it('finds on a collection that does not exist as empty', async () => {
      expect(await coll('nothing_here').find({}).toArray()).to.deep.equal([]);
    });
  });

  describe('update, replace and delete', () => {
    beforeEach(async () => {
      await coll('upd').deleteMany({});
      await coll('upd').insertMany([{ _id: 1, n: 1, tag: 'a' }, { _id: 2, n: 2, tag: 'a' }, { _id: 3, n: 3, tag: 'b' }]);
    });

    it('updateOne reports matched and modified counts, and modifies one document', async () => {
      const r = await coll('upd').updateOne({ tag: 'a' }, { $set: { seen: true } });
      expect(r).to.include({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
      expect(await coll('upd').countDocuments({ seen: true })).to.equal(1);
    });

    it('an update that changes nothing is matched but not modified', async () => {
      const r = await coll('upd').updateOne({ _id: 1 }, { $set: { n: 1 } });
      expect(r.matchedCount).to.equal(1);
      expect(r.modifiedCount).to.equal(0);
    });

    it('updateMany modifies every match', async () => {
      const r = await coll('upd').updateMany({ tag: 'a' }, { $inc: { n: 10 } });
      expect(r.matchedCount).to.equal(2);
      expect(r.modifiedCount).to.equal(2);
      expect((await coll('upd').find().sort({ _id: 1 }).toArray()).map((d) => d.n)).to.deep.equal([11, 12, 3]);
    });

    it('replaceOne replaces the whole document but keeps _id', async () => {
      const r = await coll('upd').replaceOne({ _id: 2 }, { other: 'x' });
      expect(r.modifiedCount).to.equal(1);
      expect(await coll('upd').findOne({ _id: 2 })).to.deep.equal({ _id: 2, other: 'x' });
    });

    it('replaceOne refuses operators and a changed _id', async () => {
      await rejection(coll('upd').replaceOne({ _id: 2 }, { $set: { a: 1 } } as any));
      await expectCode(coll('upd').replaceOne({ _id: 2 }, { _id: 99, a: 1 }), 66);
      expect(await coll('upd').findOne({ _id: 2 })).to.deep.equal({ _id: 2, n: 2, tag: 'a' });
    });

    it('changing _id through $set fails with ImmutableField (66)', async () => {
      await expectCode(coll('upd').updateOne({ _id: 1 }, { $set: { _id: 5 } }), 66);
      expect(await coll('upd').countDocuments({ _id: 1 })).to.equal(1);
    });

    it('deleteOne and deleteMany report deletedCount', async () => {
      expect((await coll('upd').deleteOne({ tag: 'a' })).deletedCount).to.equal(1);
      expect((await coll('upd').deleteMany({})).deletedCount).to.equal(2);
      expect((await coll('upd').deleteOne({ _id: 1 })).deletedCount).to.equal(0);
    });
  });

  describe('findOneAnd*', () => {
    beforeEach(async () => {
      await coll('fam').deleteMany({});
      await coll('fam').insertMany([{ _id: 1, n: 1, q: 'x' }, { _id: 2, n: 2, q: 'x' }]);
    });

    it('findOneAndUpdate returns the document before or after the update', async () => {
      const before = await coll('fam').findOneAndUpdate({ _id: 1 }, { $inc: { n: 5 } });
      expect(before).to.deep.equal({ _id: 1, n: 1, q: 'x' });
      const after = await coll('fam').findOneAndUpdate({ _id: 1 }, { $inc: { n: 5 } }, { returnDocument: 'after' });
      expect(after).to.deep.equal({ _id: 1, n: 11, q: 'x' });
    });

    it('findOneAndUpdate honours sort and projection, and returns null on no match', async () => {
      const r = await coll('fam').findOneAndUpdate({ q: 'x' }, { $set: { hit: 1 } }, { sort: { n: -1 }, projection: { n: 1 }, returnDocument: 'after' });
      expect(r).to.deep.equal({ _id: 2, n: 2 });
      expect(await coll('fam').findOneAndUpdate({ q: 'none' }, { $set: { hit: 1 } })).to.equal(null);
    });

    it('findOneAndUpdate with includeResultMetadata reports upserts', async () => {
      const r = await coll('fam').findOneAndUpdate({ _id: 9 }, { $set: { n: 9 } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
      expect(r.value).to.deep.equal({ _id: 9, n: 9 });
      expect(r.lastErrorObject).to.deep.include({ n: 1, updatedExisting: false, upserted: 9 });
    });

    it('findOneAndReplace returns before or after', async () => {
      const before = await coll('fam').findOneAndReplace({ _id: 2 }, { z: 1 });
      expect(before).to.deep.equal({ _id: 2, n: 2, q: 'x' });
      const after = await coll('fam').findOneAndReplace({ _id: 2 }, { z: 2 }, { returnDocument: 'after' });
      expect(after).to.deep.equal({ _id: 2, z: 2 });
    });

    it('findOneAndDelete removes and returns the first match in sort order', async () => {
      const r = await coll('fam').findOneAndDelete({ q: 'x' }, { sort: { n: -1 } });
      expect(r).to.deep.equal({ _id: 2, n: 2, q: 'x' });
      expect(await coll('fam').countDocuments()).to.equal(1);
      expect(await coll('fam').findOneAndDelete({ q: 'none' })).to.equal(null);
    });
  });

  describe('counting and distinct', () => {
    before(async () => {
      await coll('cnt').insertMany([
        { k: 'a', tags: ['x', 'y'], v: 1 },
        { k: 'b', tags: ['y', 'z'], v: 2 },
        { k: 'a', tags: [], v: 3 },
        { k: 'c', v: null },
        { v: 1.5 },
      ]);
    });

    it('countDocuments counts matches, with skip and limit', async () => {
      expect(await coll('cnt').countDocuments()).to.equal(5);
      expect(await coll('cnt').countDocuments({ k: 'a' })).to.equal(2);
      expect(await coll('cnt').countDocuments({}, { skip: 1, limit: 2 })).to.equal(2);
      expect(await coll('cnt').countDocuments({}, { skip: 4 })).to.equal(1);
      expect(await coll('missing_coll').countDocuments()).to.equal(0);
    });

    it('estimatedDocumentCount counts the whole collection', async () => {
      expect(await coll('cnt').estimatedDocumentCount()).to.equal(5);
      expect(await coll('missing_coll').estimatedDocumentCount()).to.equal(0);
    });

    it('distinct flattens arrays and omits missing values', async () => {
      expect((await coll('cnt').distinct('k')).sort()).to.deep.equal(['a', 'b', 'c']);
      expect((await coll('cnt').distinct('tags')).sort()).to.deep.equal(['x', 'y', 'z']);
      expect((await coll('cnt').distinct('k', { v: { $gte: 2 } })).sort()).to.deep.equal(['a', 'b']);
      expect(await coll('missing_coll').distinct('k')).to.deep.equal([]);
    });

    it('distinct keeps null as a value', async () => {
      const values = await coll('cnt').distinct('v');
      expect(values).to.have.deep.members([1, 2, 3, null, 1.5]);
    });
  });
});
