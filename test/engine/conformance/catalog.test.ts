// Catalog and administrative commands, and clear errors for what is unsupported or unknown.
import { expect } from 'chai';
import { expectCode, rejection, useTarget } from './helpers';

describe('conformance: catalog and errors', () => {
  const s = useTarget('catalog');

  it('listCollections lists names, types and options; filters and nameOnly work', async () => {
    await s.db.createCollection('alpha');
    await s.db.collection('beta').insertOne({ x: 1 });
    const all = await s.db.listCollections().toArray();
    expect(all.map((c) => c.name).sort()).to.deep.equal(['alpha', 'beta']);
    expect(all.every((c) => c.type === 'collection')).to.equal(true);
    expect(all.every((c) => typeof (c as any).options === 'object')).to.equal(true);
    const one = await s.db.listCollections({ name: 'beta' }).toArray();
    expect(one.map((c) => c.name)).to.deep.equal(['beta']);
    const names = await s.db.listCollections({}, { nameOnly: true }).toArray();
    expect(names.map((c) => c.name).sort()).to.deep.equal(['alpha', 'beta']);
  });

  it('createCollection of an existing name fails with NamespaceExists (48)', async () => {
    await expectCode(s.db.createCollection('alpha'), 48);
  });

  it('listDatabases includes a database once it has data', async () => {
    const { databases } = await s.target.client.db('admin').admin().listDatabases();
    const mine = databases.find((d) => d.name === s.db.databaseName);
    expect(mine, 'suite database listed').to.not.equal(undefined);
    expect(mine!.sizeOnDisk).to.be.a('number');
    const nameOnly = await s.target.client.db('admin').command({ listDatabases: 1, nameOnly: true });
    expect(nameOnly.databases.map((d: any) => d.name)).to.include(s.db.databaseName);
  });

  it('drop removes a collection and its documents and indexes', async () => {
    const c = s.db.collection('doomed');
    await c.createIndex({ u: 1 }, { unique: true });
    await c.insertMany([{ u: 1 }, { u: 2 }]);
    expect(await c.drop()).to.equal(true);
    const names = (await s.db.listCollections().toArray()).map((x) => x.name);
    expect(names).to.not.include('doomed');
    expect(await c.countDocuments()).to.equal(0);
    await c.insertMany([{ u: 1 }, { u: 1 }]);
    expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
  });

  it('dropping a missing collection succeeds (MongoDB 7.0)', async () => {
    await s.db.collection('never_existed').drop();
    const names = (await s.db.listCollections().toArray()).map((x) => x.name);
    expect(names).to.not.include('never_existed');
  });

  it('dropDatabase removes every collection of the database', async () => {
    const other = s.target.client.db(`${s.db.databaseName}_x`);
    await other.collection('a').insertOne({ a: 1 });
    await other.collection('b').insertOne({ b: 1 });
    expect(await other.dropDatabase()).to.equal(true);
    expect(await other.listCollections().toArray()).to.deep.equal([]);
    const { databases } = await s.target.client.db('admin').admin().listDatabases();
    expect(databases.map((d) => d.name)).to.not.include(other.databaseName);
  });

  it('an unknown command fails with CommandNotFound (59)', async () => {
    const err = await expectCode(s.db.command({ noSuchCommandHere: 1 }), 59);
    expect(err.codeName).to.equal('CommandNotFound');
    expect(err.message).to.match(/no such command/);
  });

  it('ping, buildInfo and hello answer', async () => {
    expect((await s.db.command({ ping: 1 })).ok).to.equal(1);
    const info = await s.db.admin().buildInfo();
    expect(info.version).to.match(/^\d+\.\d+/);
    const hello = await s.db.command({ hello: 1 });
    expect(hello.isWritablePrimary).to.equal(true);
    expect(hello.maxBsonObjectSize).to.equal(16 * 1024 * 1024);
  });

  it('a $changeStream aggregate fails with a clear message on the embedded engine, works on a replica set', async function () {
    const c = s.db.collection('watched');
    await c.insertOne({ a: 1 });
    if (s.target.embedded) {
      const err = await rejection(c.aggregate([{ $changeStream: {} }]).toArray());
      expect(err.message).to.match(/change stream/i);
      expect(err.message).to.match(/not supported/i);
    } else {
      const stream = c.watch();
      expect(await stream.tryNext()).to.equal(null);
      await stream.close();
    }
  });

  it('collection.watch() rejects promptly instead of hanging on the embedded engine', async function () {
    const c = s.db.collection('watched');
    const stream = c.watch();
    try {
      if (s.target.embedded) {
        const err = await rejection(Promise.race([stream.next(), new Promise((_, reject) => setTimeout(() => reject(new Error('hung')), 3_000))]));
        expect(err.message).to.not.equal('hung');
        expect(err.message).to.match(/change stream/i);
      } else {
        expect(await stream.tryNext()).to.equal(null);
      }
    } finally {
      await stream.close();
    }
  });

  it('a malformed filter is an error, not an empty result', async () => {
    await rejection(s.db.collection('beta').find({ x: { $nosuchop: 1 } }).toArray());
  });
});
