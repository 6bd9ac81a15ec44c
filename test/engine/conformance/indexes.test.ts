// Indexes: unique and compound unique errors, sparse, partial, TTL, createIndex conflicts, listIndexes, dropIndex.
import { expect } from 'chai';
import { ObjectId } from 'mongodb';
import { expectCode, useTarget } from './helpers';

describe('conformance: indexes', () => {
  const s = useTarget('indexes');
  const coll = (name: string) => s.db.collection<any>(name);

  describe('unique', () => {
    it('a duplicate insert fails with 11000, keyPattern, keyValue and mongod\'s errmsg', async () => {
      const c = coll('users');
      expect(await c.createIndex({ email: 1 }, { unique: true })).to.equal('email_1');
      await c.insertOne({ email: 'a@x.io' });
      const err = await expectCode(c.insertOne({ email: 'a@x.io' }), 11000);
      expect(err.keyPattern).to.deep.equal({ email: 1 });
      expect(err.keyValue).to.deep.equal({ email: 'a@x.io' });
      expect(err.errmsg).to.equal(`E11000 duplicate key error collection: ${s.db.databaseName}.users index: email_1 dup key: { email: "a@x.io" }`);
      expect(await c.countDocuments()).to.equal(1);
    });

    it('a compound unique index conflicts only on the whole key', async () => {
      const c = coll('handles');
      await c.createIndex({ org: 1, handle: 1 }, { unique: true });
      await c.insertMany([{ org: 'o', handle: 'h' }, { org: 'o', handle: 'i' }, { org: 'p', handle: 'h' }]);
      const err = await expectCode(c.insertOne({ org: 'o', handle: 'h' }), 11000);
      expect(err.keyPattern).to.deep.equal({ org: 1, handle: 1 });
      expect(err.keyValue).to.deep.equal({ org: 'o', handle: 'h' });
      expect(err.errmsg).to.match(/index: org_1_handle_1 dup key: \{ org: "o", handle: "h" \}$/);
    });

    it('an update that would duplicate a key fails and leaves the document as it was', async () => {
      const c = coll('users');
      await c.insertOne({ email: 'b@x.io', n: 1 });
      await expectCode(c.updateOne({ email: 'b@x.io' }, { $set: { email: 'a@x.io', n: 2 } }), 11000);
      expect(await c.findOne({ email: 'b@x.io' }, { projection: { _id: 0 } })).to.deep.equal({ email: 'b@x.io', n: 1 });
      const fam = await expectCode(c.findOneAndUpdate({ email: 'b@x.io' }, { $set: { email: 'a@x.io' } }), 11000);
      expect(fam.keyValue).to.deep.equal({ email: 'a@x.io' });
    });

    it('errmsg prints key values as mongod does (ObjectId, Date, numbers, nested paths)', async () => {
      const c = coll('typed');
      await c.createIndex({ ref: 1, at: 1, 'p.n': 1 }, { unique: true });
      const ref = new ObjectId();
      const at = new Date(1700000000000);
      await c.insertOne({ ref, at, p: { n: 5 } });
      const err = await expectCode(c.insertOne({ ref, at, p: { n: 5 } }), 11000);
      expect(err.errmsg).to.match(new RegExp(`index: ref_1_at_1_p.n_1 dup key: \\{ ref: ObjectId\\('${ref.toHexString()}'\\), at: new Date\\(1700000000000\\), p.n: 5 \\}$`));
      expect(err.keyValue).to.deep.equal({ ref, at, 'p.n': 5 });
      const idErr = await expectCode(c.insertOne({ _id: ref }).then(() => c.insertOne({ _id: ref })), 11000);
      expect(idErr.errmsg).to.match(new RegExp(`index: _id_ dup key: \\{ _id: ObjectId\\('${ref.toHexString()}'\\) \\}$`));
    });

    it('a missing field counts as null in a non-sparse unique index', async () => {
      const c = coll('nulls');
      await c.createIndex({ code: 1 }, { unique: true });
      await c.insertOne({ other: 1 });
      const err = await expectCode(c.insertOne({ other: 2 }), 11000);
      expect(err.keyValue).to.deep.equal({ code: null });
      expect(err.errmsg).to.match(/dup key: \{ code: null \}$/);
    });

    it('creating a unique index over duplicates fails and creates nothing', async () => {
      const c = coll('predup');
      await c.insertMany([{ k: 1 }, { k: 1 }]);
      await expectCode(c.createIndex({ k: 1 }, { unique: true }), 11000);
      expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    });

    it('unique values inside arrays are checked per element across documents', async () => {
      const c = coll('multikey');
      await c.createIndex({ tags: 1 }, { unique: true });
      await c.insertOne({ tags: ['a', 'b'] });
      await c.insertOne({ tags: ['c', 'c'] });
      await expectCode(c.insertOne({ tags: ['x', 'b'] }), 11000);
    });
  });

  it('a sparse unique index ignores documents without the field', async () => {
    const c = coll('sparse');
    await c.createIndex({ nick: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ a: 1 }, { a: 2 }, { nick: 'n' }]);
    await expectCode(c.insertOne({ nick: 'n' }), 11000);
    expect(await c.countDocuments()).to.equal(3);
  });

  it('a partial unique index applies only to documents matching its filter', async () => {
    const c = coll('partial');
    await c.createIndex({ slug: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await c.insertMany([{ slug: 's', active: false }, { slug: 's', active: false }, { slug: 's', active: true }]);
    await expectCode(c.insertOne({ slug: 's', active: true }), 11000);
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'slug_1');
    expect(spec?.partialFilterExpression).to.deep.equal({ active: true });
    expect(await c.countDocuments({ slug: 's' })).to.equal(3);
  });

  it('a TTL index removes expired documents', async function () {
    const c = coll('ttl');
    await c.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
    await c.insertMany([
      { _id: 'old', at: new Date(Date.now() - 60_000) },
      { _id: 'new', at: new Date(Date.now() + 3_600_000) },
      { _id: 'none' },
      { _id: 'text', at: 'not a date' },
    ]);
    // The embedded target runs its TTL monitor every 200 ms, mongod every 60 s.
    const deadline = Date.now() + (s.target.embedded ? 5_000 : 130_000);
    this.timeout(deadline - Date.now() + 5_000);
    while (Date.now() < deadline && (await c.countDocuments({ _id: 'old' })) > 0) await new Promise((r) => setTimeout(r, 100));
    expect((await c.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).to.deep.equal(['new', 'none', 'text']);
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'at_1');
    expect(spec?.expireAfterSeconds).to.equal(1);
  });

  describe('createIndex', () => {
    it('creating the same index twice is a no-op', async () => {
      const c = coll('same');
      expect(await c.createIndex({ a: 1, b: -1 })).to.equal('a_1_b_-1');
      expect(await c.createIndex({ a: 1, b: -1 })).to.equal('a_1_b_-1');
      const r = await s.db.command({ createIndexes: 'same', indexes: [{ key: { a: 1, b: -1 }, name: 'a_1_b_-1' }] });
      expect(r.numIndexesBefore).to.equal(2);
      expect(r.numIndexesAfter).to.equal(2);
    });

    it('the same name with another key fails with IndexKeySpecsConflict (86)', async () => {
      const c = coll('conflict');
      await c.createIndex({ a: 1 }, { name: 'idx' });
      await expectCode(c.createIndex({ b: 1 }, { name: 'idx' }), 86);
    });

    it('the same key with other options fails with IndexOptionsConflict (85)', async () => {
      const c = coll('conflict');
      await c.createIndex({ c: 1 });
      await expectCode(c.createIndex({ c: 1 }, { unique: true }), 85);
    });

    it('the same key and options under another name fails with IndexOptionsConflict (85)', async () => {
      const c = coll('conflict');
      await c.createIndex({ d: 1 });
      await expectCode(c.createIndex({ d: 1 }, { name: 'other' }), 85);
    });

    it('creates the collection when it does not exist', async () => {
      await coll('implicit').createIndex({ z: 1 });
      const names = (await s.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names).to.include('implicit');
    });
  });

  describe('listIndexes and dropIndex', () => {
    it('lists _id_ without unique, and the options given, without background', async () => {
      const c = coll('listed');
      await s.db.command({
        createIndexes: 'listed',
        indexes: [
          { key: { email: 1 }, name: 'email_1', unique: true, background: true },
          { key: { seen: -1 }, name: 'seen_-1', sparse: true, background: true },
        ],
      });
      const indexes = await c.listIndexes().toArray();
      expect(indexes).to.deep.equal([
        { v: 2, key: { _id: 1 }, name: '_id_' },
        { v: 2, key: { email: 1 }, name: 'email_1', unique: true },
        { v: 2, key: { seen: -1 }, name: 'seen_-1', sparse: true },
      ]);
      expect(await c.indexExists('email_1')).to.equal(true);
    });

    it('listIndexes on a missing collection fails with NamespaceNotFound (26)', async () => {
      await expectCode(coll('no_such').listIndexes().toArray(), 26);
    });

    it('dropIndex by name and by key pattern; the unique rule goes with it', async () => {
      const c = coll('dropme');
      await c.createIndex({ u: 1 }, { unique: true });
      await c.createIndex({ v: 1 });
      await c.dropIndex('u_1');
      await c.insertMany([{ u: 1 }, { u: 1 }]);
      await s.db.command({ dropIndexes: 'dropme', index: { v: 1 } });
      expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    });

    it('dropping a missing index fails with IndexNotFound (27); _id_ cannot be dropped', async () => {
      const c = coll('dropme');
      await expectCode(c.dropIndex('nope_1'), 27);
      await expectCode(c.dropIndex('_id_'), 72);
    });

    it('dropIndexes drops all but _id_', async () => {
      const c = coll('dropall');
      await c.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }]);
      await c.dropIndexes();
      expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    });
  });

  it('an indexed equality query returns the same documents as a scan', async () => {
    const c = coll('lookup');
    await c.insertMany(Array.from({ length: 50 }, (_, i) => ({ k: i % 5, tags: [`t${i % 7}`], n: i })));
    await c.createIndex({ k: 1 });
    await c.createIndex({ tags: 1 });
    expect(await c.countDocuments({ k: 3 })).to.equal(10);
    expect(await c.countDocuments({ k: { $in: [1, 2] } })).to.equal(20);
    expect(await c.countDocuments({ tags: 't0' })).to.equal(8);
    expect(await c.countDocuments({ k: 3.0, n: { $lt: 20 } })).to.equal(4);
  });
});
