// Cursors: getMore across small batches, int64 cursor ids, killCursors through cursor.close().
import { expect } from 'chai';
import { CommandStartedEvent, CommandSucceededEvent, Long, MongoClient } from 'mongodb';
import { expectCode, useTarget } from './helpers';

/** A cursor id as a decimal string; monitoring events may hold it as a Long or as a number. */
function idOf(id: unknown): string {
  return String(id);
}

describe('conformance: cursors', () => {
  const s = useTarget('cursors');
  let client: MongoClient;
  const started: CommandStartedEvent[] = [];
  const succeeded: CommandSucceededEvent[] = [];

  before(async () => {
    client = new MongoClient(s.target.uri, { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
    client.on('commandStarted', (e) => started.push(e));
    client.on('commandSucceeded', (e) => succeeded.push(e));
    await client.connect();
    await s.db.collection<any>('nums').insertMany(Array.from({ length: 25 }, (_, i) => ({ _id: i, n: i })));
  });
  after(async () => {
    await client?.close();
  });
  beforeEach(() => {
    started.length = 0;
    succeeded.length = 0;
  });

  const nums = () => client.db(s.db.databaseName).collection('nums');

  it('find with batchSize 2 returns all 25 documents over 12 getMores', async () => {
    const docs = await nums().find({}, { batchSize: 2, sort: { _id: 1 } }).toArray();
    expect(docs.map((d) => d._id)).to.deep.equal(Array.from({ length: 25 }, (_, i) => i));
    const findReply = succeeded.find((e) => e.commandName === 'find')!.reply as any;
    expect(findReply.cursor.firstBatch).to.have.length(2);
    expect(idOf(findReply.cursor.id)).to.not.equal('0');
    const getMores = succeeded.filter((e) => e.commandName === 'getMore');
    expect(getMores).to.have.length(12);
    expect(getMores.slice(0, 11).every((e) => (e.reply as any).cursor.nextBatch.length === 2)).to.equal(true);
    const last = (getMores[11].reply as any).cursor;
    expect(last.nextBatch).to.have.length(1);
    expect(idOf(last.id)).to.equal('0');
    expect(getMores.every((e) => (e.reply as any).cursor.ns === `${s.db.databaseName}.nums`)).to.equal(true);
  });

  it('aggregate with a cursor batchSize also pages with getMore', async () => {
    // 21 results: 2 in the first batch, then 10 getMores (the last one short, so no empty final batch).
    const docs = await nums().aggregate([{ $match: { n: { $gte: 4 } } }, { $sort: { n: -1 } }], { batchSize: 2 }).toArray();
    expect(docs).to.have.length(21);
    expect(docs[0]._id).to.equal(24);
    expect(succeeded.filter((e) => e.commandName === 'getMore')).to.have.length(10);
  });

  it('a result within one batch needs no getMore and has cursor id 0', async () => {
    const docs = await nums().find({ n: { $lt: 3 } }).toArray();
    expect(docs).to.have.length(3);
    const reply = succeeded.find((e) => e.commandName === 'find')!.reply as any;
    expect(idOf(reply.cursor.id)).to.equal('0');
    expect(started.some((e) => e.commandName === 'getMore')).to.equal(false);
  });

  it('limit is honoured across batches', async () => {
    const docs = await nums().find({}, { batchSize: 3, limit: 7, sort: { _id: -1 } }).toArray();
    expect(docs.map((d) => d._id)).to.deep.equal([24, 23, 22, 21, 20, 19, 18]);
  });

  it('cursor.close() kills the server cursor; a later getMore gets CursorNotFound (43)', async () => {
    const cursor = nums().find({}, { batchSize: 2 });
    await cursor.next();
    const id = cursor.id!;
    // The driver reads cursor ids as int64 (it fails on any other type) and keeps them as Long.
    expect(id).to.be.instanceOf(Long);
    expect(id.isZero()).to.equal(false);
    await cursor.close();
    const kill = succeeded.find((e) => e.commandName === 'killCursors')!.reply as any;
    expect(kill.cursorsKilled.map(idOf)).to.deep.equal([id.toString()]);
    await expectCode(client.db(s.db.databaseName).command({ getMore: id, collection: 'nums' }), 43);
  });

  it('a getMore for a cursor of another collection is refused', async () => {
    const cursor = nums().find({}, { batchSize: 2 });
    await cursor.next();
    const err = await client.db(s.db.databaseName).command({ getMore: cursor.id!, collection: 'other' }).then(() => undefined, (e) => e);
    expect(err, 'getMore on the wrong namespace must fail').to.not.equal(undefined);
    await cursor.close();
  });
});
