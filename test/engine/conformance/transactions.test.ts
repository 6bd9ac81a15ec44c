// Multi-document transactions through session.withTransaction, isolation, write conflicts, and concurrent writes.
import { expect } from 'chai';
import { MongoServerError } from 'mongodb';
import { rejection, useTarget } from './helpers';

describe('conformance: transactions', () => {
  const s = useTarget('txn');
  const accounts = () => s.db.collection<any>('accounts');

  beforeEach(async () => {
    await accounts().deleteMany({});
    await accounts().insertMany([{ _id: 'a', bal: 100 }, { _id: 'b', bal: 0 }]);
  });

  it('a committed transaction makes all its writes visible', async () => {
    const session = s.target.client.startSession();
    try {
      await session.withTransaction(async () => {
        await accounts().updateOne({ _id: 'a' }, { $inc: { bal: -30 } }, { session });
        await accounts().updateOne({ _id: 'b' }, { $inc: { bal: 30 } }, { session });
        await accounts().insertOne({ _id: 'log', note: 'moved 30' }, { session });
      });
    } finally {
      await session.endSession();
    }
    const docs = await accounts().find().sort({ _id: 1 }).toArray();
    expect(docs).to.deep.equal([{ _id: 'a', bal: 70 }, { _id: 'b', bal: 30 }, { _id: 'log', note: 'moved 30' }]);
  });

  it('a callback that throws aborts the transaction: nothing is visible', async () => {
    const session = s.target.client.startSession();
    try {
      const err = await rejection(session.withTransaction(async () => {
        await accounts().updateOne({ _id: 'a' }, { $inc: { bal: -30 } }, { session });
        await accounts().insertOne({ _id: 'c', bal: 1 }, { session });
        await accounts().deleteOne({ _id: 'b' }, { session });
        throw new Error('changed my mind');
      }));
      expect(err.message).to.equal('changed my mind');
    } finally {
      await session.endSession();
    }
    expect(await accounts().find().sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 'a', bal: 100 }, { _id: 'b', bal: 0 }]);
  });

  it('uncommitted writes are invisible outside the transaction and visible inside it', async () => {
    const session = s.target.client.startSession();
    try {
      session.startTransaction();
      await accounts().insertOne({ _id: 'new', bal: 5 }, { session });
      await accounts().updateOne({ _id: 'a' }, { $set: { bal: 1 } }, { session });
      await accounts().deleteOne({ _id: 'b' }, { session });
      expect(await accounts().findOne({ _id: 'new' }, { session })).to.deep.equal({ _id: 'new', bal: 5 });
      expect(await accounts().countDocuments({}, { session })).to.equal(2);
      expect(await accounts().findOne({ _id: 'new' })).to.equal(null);
      expect(await accounts().findOne({ _id: 'a' })).to.deep.equal({ _id: 'a', bal: 100 });
      expect(await accounts().countDocuments()).to.equal(2);
      expect(await accounts().distinct('_id')).to.deep.equal(['a', 'b']);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
    expect(await accounts().find().sort({ _id: 1 }).toArray()).to.deep.equal([{ _id: 'a', bal: 1 }, { _id: 'new', bal: 5 }]);
  });

  it('reads inside a transaction come from one snapshot: later outside commits are not seen', async () => {
    const session = s.target.client.startSession();
    try {
      session.startTransaction();
      expect(await accounts().findOne({ _id: 'a' }, { session })).to.deep.equal({ _id: 'a', bal: 100 });
      await accounts().updateOne({ _id: 'b' }, { $set: { bal: 55 } });
      await accounts().insertOne({ _id: 'late', bal: 1 });
      expect(await accounts().findOne({ _id: 'b' }, { session })).to.deep.equal({ _id: 'b', bal: 0 });
      expect(await accounts().countDocuments({}, { session })).to.equal(2);
      await session.commitTransaction();
    } finally {
      await session.endSession();
    }
  });

  it('abortTransaction discards the writes', async () => {
    const session = s.target.client.startSession();
    try {
      session.startTransaction();
      await accounts().updateMany({}, { $set: { bal: -1 } }, { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect((await accounts().find().toArray()).map((d) => d.bal)).to.deep.equal([100, 0]);
  });

  it('a second transaction writing the same document gets WriteConflict (112) labelled TransientTransactionError', async () => {
    const s1 = s.target.client.startSession();
    const s2 = s.target.client.startSession();
    try {
      s1.startTransaction();
      await accounts().updateOne({ _id: 'a' }, { $inc: { bal: 1 } }, { session: s1 });
      s2.startTransaction();
      const err = await rejection(accounts().updateOne({ _id: 'a' }, { $inc: { bal: 10 } }, { session: s2 }));
      expect(err).to.be.instanceOf(MongoServerError);
      expect(err.code).to.equal(112);
      expect(err.hasErrorLabel('TransientTransactionError')).to.equal(true);
      await s2.abortTransaction().catch(() => undefined);
      await s1.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(await accounts().findOne({ _id: 'a' })).to.deep.equal({ _id: 'a', bal: 101 });
  });

  it('withTransaction retries a write conflict until it succeeds', async () => {
    const s1 = s.target.client.startSession();
    const s2 = s.target.client.startSession();
    const codes: number[] = [];
    let attempts = 0;
    try {
      s1.startTransaction();
      await accounts().updateOne({ _id: 'a' }, { $inc: { bal: 1 } }, { session: s1 });
      await s2.withTransaction(async () => {
        attempts++;
        try {
          await accounts().updateOne({ _id: 'a' }, { $inc: { bal: 10 } }, { session: s2 });
        } catch (err: any) {
          codes.push(err.code);
          // Let the first transaction finish, so the retry can succeed.
          if (s1.inTransaction()) await s1.commitTransaction();
          throw err;
        }
      });
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(codes).to.deep.equal([112]);
    expect(attempts).to.equal(2);
    expect(await accounts().findOne({ _id: 'a' })).to.deep.equal({ _id: 'a', bal: 111 });
  });

  it('two transactions inserting the same _id: the second fails, the first commits', async () => {
    const s1 = s.target.client.startSession();
    const s2 = s.target.client.startSession();
    try {
      s1.startTransaction();
      s2.startTransaction();
      await accounts().insertOne({ _id: 'dup', by: 1 }, { session: s1 });
      const err = await rejection(accounts().insertOne({ _id: 'dup', by: 2 }, { session: s2 }));
      expect(err.code).to.equal(112);
      await s2.abortTransaction().catch(() => undefined);
      await s1.commitTransaction();
    } finally {
      await s1.endSession();
      await s2.endSession();
    }
    expect(await accounts().findOne({ _id: 'dup' })).to.deep.equal({ _id: 'dup', by: 1 });
  });

  it('a duplicate key inside a transaction fails the statement and aborts the transaction', async () => {
    const session = s.target.client.startSession();
    try {
      session.startTransaction();
      await accounts().insertOne({ _id: 'x' }, { session });
      const err = await rejection(accounts().insertOne({ _id: 'a' }, { session }));
      expect(err.code).to.equal(11000);
      await rejection(session.commitTransaction());
    } finally {
      await session.endSession();
    }
    expect(await accounts().countDocuments({ _id: 'x' })).to.equal(0);
  });

  it('findOneAndUpdate and aggregate run inside a transaction', async () => {
    const session = s.target.client.startSession();
    try {
      await session.withTransaction(async () => {
        const doc = await accounts().findOneAndUpdate({ _id: 'b' }, { $inc: { bal: 7 } }, { session, returnDocument: 'after' });
        expect(doc).to.deep.equal({ _id: 'b', bal: 7 });
        const [sum] = await accounts().aggregate([{ $group: { _id: null, t: { $sum: '$bal' } } }], { session }).toArray();
        expect(sum.t).to.equal(107);
      });
    } finally {
      await session.endSession();
    }
    expect(await accounts().findOne({ _id: 'b' })).to.deep.equal({ _id: 'b', bal: 7 });
  });

  it('40 concurrent $inc on one document are all counted', async () => {
    await Promise.all(Array.from({ length: 40 }, () => accounts().updateOne({ _id: 'a' }, { $inc: { bal: 1 } })));
    expect(await accounts().findOne({ _id: 'a' })).to.deep.equal({ _id: 'a', bal: 140 });
  });

  it('concurrent upserts of one key with a unique index produce one document', async () => {
    const c = s.db.collection<any>('counters');
    await c.createIndex({ key: 1 }, { unique: true });
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => c.updateOne({ key: 'k' }, { $inc: { n: 1 } }, { upsert: true })));
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    expect(await c.countDocuments()).to.equal(1);
    expect((await c.findOne({ key: 'k' }))!.n).to.equal(ok);
  });
});
