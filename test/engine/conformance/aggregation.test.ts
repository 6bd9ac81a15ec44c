// Aggregation: common stages, $lookup in both forms, $facet, $out and $merge.
import { expect } from 'chai';
import { useTarget } from './helpers';

describe('conformance: aggregation', () => {
  const s = useTarget('agg');
  const orders = () => s.db.collection<any>('orders');
  const customers = () => s.db.collection<any>('customers');

  before(async () => {
    await customers().insertMany([
      { _id: 'c1', name: 'Ada', city: 'Leeds' },
      { _id: 'c2', name: 'Bo', city: 'York' },
      { _id: 'c3', name: 'Cy', city: 'Leeds' },
    ]);
    await orders().insertMany([
      { _id: 1, cust: 'c1', total: 10, items: ['a', 'b'], status: 'paid' },
      { _id: 2, cust: 'c1', total: 5, items: ['c'], status: 'open' },
      { _id: 3, cust: 'c2', total: 20, items: [], status: 'paid' },
      { _id: 4, cust: 'c2', total: 1, items: ['a'], status: 'paid' },
      { _id: 5, cust: 'cX', total: 7, items: ['d', 'a'], status: 'open' },
    ]);
  });

  it('$match, $group, $sort and $project', async () => {
    const r = await orders().aggregate([
      { $match: { status: 'paid' } },
      { $group: { _id: '$cust', sum: { $sum: '$total' }, n: { $sum: 1 }, max: { $max: '$total' } } },
      { $sort: { sum: -1 } },
      { $project: { _id: 0, cust: '$_id', sum: 1, n: 1, max: 1 } },
    ]).toArray();
    expect(r).to.deep.equal([
      { sum: 21, n: 2, max: 20, cust: 'c2' },
      { sum: 10, n: 1, max: 10, cust: 'c1' },
    ]);
  });

  it('countDocuments-style $group over the whole collection', async () => {
    const r = await orders().aggregate([{ $match: {} }, { $group: { _id: 1, n: { $sum: 1 } } }]).toArray();
    expect(r).to.deep.equal([{ _id: 1, n: 5 }]);
  });

  it('$unwind, with and without preserving empty arrays', async () => {
    const plain = await orders().aggregate([{ $unwind: '$items' }, { $group: { _id: '$items', n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
    expect(plain).to.deep.equal([{ _id: 'a', n: 3 }, { _id: 'b', n: 1 }, { _id: 'c', n: 1 }, { _id: 'd', n: 1 }]);
    const kept = await orders().aggregate([{ $unwind: { path: '$items', preserveNullAndEmptyArrays: true } }, { $count: 'n' }]).toArray();
    expect(kept).to.deep.equal([{ n: 7 }]);
  });

  it('$lookup with localField/foreignField', async () => {
    const r = await orders().aggregate([
      { $match: { _id: { $in: [1, 5] } } },
      { $lookup: { from: 'customers', localField: 'cust', foreignField: '_id', as: 'customer' } },
      { $project: { customer: 1 } },
      { $sort: { _id: 1 } },
    ]).toArray();
    expect(r).to.deep.equal([
      { _id: 1, customer: [{ _id: 'c1', name: 'Ada', city: 'Leeds' }] },
      { _id: 5, customer: [] },
    ]);
  });

  it('$lookup with let and a pipeline', async () => {
    const r = await customers().aggregate([
      { $lookup: {
        from: 'orders',
        let: { id: '$_id' },
        pipeline: [{ $match: { $expr: { $and: [{ $eq: ['$cust', '$$id'] }, { $eq: ['$status', 'paid'] }] } } }, { $project: { _id: 0, total: 1 } }],
        as: 'paid',
      } },
      { $project: { paid: 1 } },
      { $sort: { _id: 1 } },
    ]).toArray();
    expect(r).to.deep.equal([
      { _id: 'c1', paid: [{ total: 10 }] },
      { _id: 'c2', paid: [{ total: 20 }, { total: 1 }] },
      { _id: 'c3', paid: [] },
    ]);
  });

  it('$facet and $count', async () => {
    const [r] = await orders().aggregate([
      { $facet: {
        byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
        big: [{ $match: { total: { $gte: 10 } } }, { $count: 'n' }],
      } },
    ]).toArray();
    expect(r).to.deep.equal({ byStatus: [{ _id: 'open', n: 2 }, { _id: 'paid', n: 3 }], big: [{ n: 2 }] });
  });

  it('$addFields, $skip and $limit', async () => {
    const r = await orders().aggregate([
      { $sort: { _id: 1 } },
      { $skip: 1 },
      { $limit: 2 },
      { $addFields: { doubled: { $multiply: ['$total', 2] }, nItems: { $size: '$items' } } },
      { $project: { doubled: 1, nItems: 1 } },
    ]).toArray();
    expect(r).to.deep.equal([{ _id: 2, doubled: 10, nItems: 1 }, { _id: 3, doubled: 40, nItems: 0 }]);
  });

  it('$count on no input returns no document', async () => {
    expect(await orders().aggregate([{ $match: { total: 999 } }, { $count: 'n' }]).toArray()).to.deep.equal([]);
    const [facet] = await orders().aggregate([{ $facet: { none: [{ $match: { total: 999 } }, { $count: 'n' }] } }]).toArray();
    expect(facet).to.deep.equal({ none: [] });
  });

  it('aggregates a missing collection as empty', async () => {
    expect(await s.db.collection('nope').aggregate([{ $group: { _id: null, n: { $sum: 1 } } }]).toArray()).to.deep.equal([]);
  });

  it('$out replaces the target collection with the results', async () => {
    await s.db.collection<any>('summary').insertOne({ _id: 'stale' });
    const r = await orders().aggregate([{ $group: { _id: '$status', total: { $sum: '$total' } } }, { $out: 'summary' }]).toArray();
    expect(r).to.deep.equal([]);
    const out = await s.db.collection('summary').find().sort({ _id: 1 }).toArray();
    expect(out).to.deep.equal([{ _id: 'open', total: 12 }, { _id: 'paid', total: 31 }]);
  });

  it('$merge updates matching documents and inserts new ones', async () => {
    const target = s.db.collection<any>('totals');
    await target.insertMany([{ _id: 'c1', total: 0, note: 'keep' }, { _id: 'c9', total: 99 }]);
    await orders().aggregate([
      { $group: { _id: '$cust', total: { $sum: '$total' } } },
      { $merge: { into: 'totals', on: '_id', whenMatched: 'merge', whenNotMatched: 'insert' } },
    ]).toArray();
    const out = await target.find().sort({ _id: 1 }).toArray();
    expect(out).to.deep.equal([
      { _id: 'c1', total: 15, note: 'keep' },
      { _id: 'c2', total: 21 },
      { _id: 'c9', total: 99 },
      { _id: 'cX', total: 7 },
    ]);
  });

  it('$merge with whenMatched replace and whenNotMatched discard', async () => {
    const target = s.db.collection<any>('replaced');
    await target.insertOne({ _id: 'c2', old: true });
    await orders().aggregate([
      { $group: { _id: '$cust', n: { $sum: 1 } } },
      { $merge: { into: 'replaced', whenMatched: 'replace', whenNotMatched: 'discard' } },
    ]).toArray();
    expect(await target.find().toArray()).to.deep.equal([{ _id: 'c2', n: 2 }]);
  });
});
