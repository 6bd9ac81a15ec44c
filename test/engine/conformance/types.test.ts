// BSON type round-trips through the engine, type-aware queries, and the 16 MB document limit.
import { expect } from 'chai';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'mongodb';
import { rejection, useTarget } from './helpers';

describe('conformance: types', () => {
  const s = useTarget('types');
  const coll = (name = 'values') => s.db.collection<any>(name);

  const oid = new ObjectId();
  const when = new Date('2024-02-29T12:34:56.789Z');
  const big = Long.fromString('9007199254740993'); // 2^53 + 1: not representable as a JS number
  const doc = {
    _id: 'all',
    oid,
    when,
    nested: { a: { b: { c: [1, { d: 'deep' }] } } },
    arr: [1, 'two', null, [3], { four: 4 }],
    nil: null,
    yes: true,
    no: false,
    bin: new Binary(Buffer.from([0, 1, 2, 255])),
    uuid: new Binary(Buffer.from('0123456789abcdef0123456789abcdef', 'hex'), Binary.SUBTYPE_UUID),
    dec: Decimal128.fromString('1234567890.123456789012345678'),
    big,
    negBig: Long.fromString('-9223372036854775808'),
    int: 42,
    dbl: 2.5,
    neg: -7,
    ts: new Timestamp({ t: 1700000000, i: 7 }),
    text: 'Grüße, 世界! 👩‍💻 \u0000-free',
    empty: '',
    emptyObj: {},
    emptyArr: [],
  };

  before(async () => {
    await coll().insertOne(doc);
  });

  it('stores and returns every value unchanged', async () => {
    const back = await coll().findOne({ _id: 'all' });
    expect(back).to.deep.equal(doc);
    expect(back!.oid).to.be.instanceOf(ObjectId);
    expect(back!.when).to.be.instanceOf(Date);
    expect(back!.dec).to.be.instanceOf(Decimal128);
    expect(back!.dec.toString()).to.equal('1234567890.123456789012345678');
    expect(back!.big).to.be.instanceOf(Long);
    expect(back!.big.toString()).to.equal('9007199254740993');
    expect(back!.negBig.toString()).to.equal('-9223372036854775808');
    expect(Buffer.from(back!.bin.buffer).toString('hex')).to.equal('000102ff');
    expect(back!.uuid.sub_type).to.equal(Binary.SUBTYPE_UUID);
  });

  it('keeps field order', async () => {
    const back = await coll().findOne({ _id: 'all' });
    expect(Object.keys(back!)).to.deep.equal(Object.keys(doc));
  });

  it('matches each type by equality', async () => {
    for (const [field, value] of Object.entries(doc)) {
      if (field === '_id' || field === 'arr' || field === 'emptyArr') continue;
      expect(await coll().countDocuments({ [field]: value }), field).to.equal(1);
    }
    expect(await coll().countDocuments({ arr: 'two' })).to.equal(1);
    expect(await coll().countDocuments({ 'nested.a.b.c.d': 'deep' })).to.equal(1);
    expect(await coll().countDocuments({ big: Long.fromString('9007199254740992') })).to.equal(0);
  });

  it('matches by $type', async () => {
    const fields = async (type: string) => {
      const d = await coll().findOne({ _id: 'all' });
      const out: string[] = [];
      for (const f of Object.keys(d!)) if (await coll().countDocuments({ _id: 'all', [f]: { $type: type } })) out.push(f);
      return out;
    };
    expect(await fields('objectId')).to.deep.equal(['oid']);
    expect(await fields('date')).to.deep.equal(['when']);
    expect(await fields('bool')).to.deep.equal(['yes', 'no']);
    expect(await fields('binData')).to.deep.equal(['bin', 'uuid']);
    expect(await fields('decimal')).to.deep.equal(['dec']);
    expect(await fields('long')).to.deep.equal(['big', 'negBig']);
    expect(await fields('timestamp')).to.deep.equal(['ts']);
    // An array matches when one of its elements has the type.
    expect(await fields('null')).to.deep.equal(['arr', 'nil']);
    expect(await fields('array')).to.deep.equal(['arr', 'emptyArr']);
  });

  it('keeps int and double values apart as the driver sends them', async () => {
    await coll('nums').insertMany([
      { _id: 1, v: 5 },
      { _id: 2, v: 5.5 },
      { _id: 3, v: new Int32(7) },
      { _id: 4, v: -0.25 },
    ]);
    const back = await coll('nums').find().sort({ _id: 1 }).toArray();
    expect(back.map((d) => d.v)).to.deep.equal([5, 5.5, 7, -0.25]);
    const ints = (await coll('nums').find({ v: { $type: 'int' } }).toArray()).map((d) => d._id);
    const doubles = (await coll('nums').find({ v: { $type: 'double' } }).toArray()).map((d) => d._id);
    expect(ints).to.deep.equal([1, 3]);
    expect(doubles).to.deep.equal([2, 4]);
    expect(await coll('nums').countDocuments({ v: { $type: 'number' } })).to.equal(4);
    // The same number compares equal whatever its type.
    expect(await coll('nums').countDocuments({ v: new Double(5) })).to.equal(1);
    expect(await coll('nums').countDocuments({ v: Long.fromNumber(7) })).to.equal(1);
  });

  it('sorts mixed types in BSON order', async () => {
    const c = coll('mixed');
    await c.insertMany([
      { _id: 1, v: true },
      { _id: 2, v: 'str' },
      { _id: 3, v: 10 },
      { _id: 4, v: new Date(0) },
      { _id: 5, v: null },
      { _id: 6, v: new ObjectId('000000000000000000000000') },
      { _id: 7, v: { o: 1 } },
      { _id: 8 },
      { _id: 9, v: -1.5 },
    ]);
    const order = (await c.find().sort({ v: 1, _id: 1 }).toArray()).map((d) => d._id);
    // MinKey < null/missing < numbers < string < object < array < binary < ObjectId < bool < date
    expect(order).to.deep.equal([5, 8, 9, 3, 2, 7, 6, 1, 4]);
  });

  it('compares numbers of different BSON types by value', async () => {
    const c = coll('numcmp');
    await c.insertMany([{ v: 1 }, { v: Long.fromNumber(2) }, { v: 3.5 }, { v: Decimal128.fromString('4') }]);
    expect(await c.countDocuments({ v: { $gt: 1.5 } })).to.equal(3);
    expect(await c.countDocuments({ v: { $gte: Long.fromNumber(2), $lt: 4 } })).to.equal(2);
    expect((await c.find().sort({ v: -1 }).toArray()).map((d) => String(d.v))).to.deep.equal(['4', '3.5', '2', '1']);
  });

  it('refuses a document over 16 MB and stores nothing', async () => {
    const c = coll('huge');
    const err = await rejection(c.insertOne({ _id: 'huge', blob: 'x'.repeat(16 * 1024 * 1024 + 10) }));
    expect(String(err.code ?? '') + err.message).to.match(/10334|larger than|too large|BSON|size/i);
    expect(await c.countDocuments()).to.equal(0);
  });

  it('refuses a document just over 16 MB that the driver lets through', async () => {
    const c = coll('huge');
    // The driver allows 16 KiB of headroom for the command around a document; mongod still refuses it.
    const blob = 'x'.repeat(16 * 1024 * 1024 - 20);
    const err = await rejection(c.insertOne({ _id: 'edge', blob, more: 'y'.repeat(100) }));
    expect(String(err.code ?? '') + err.message).to.match(/10334|larger than|too large|BSON|size/i);
    expect(await c.countDocuments()).to.equal(0);
  });

  it('refuses an update that grows a document past 16 MB', async () => {
    const c = coll('grow');
    await c.insertOne({ _id: 1, a: 'x'.repeat(9 * 1024 * 1024) });
    await rejection(c.updateOne({ _id: 1 }, { $set: { b: 'y'.repeat(8 * 1024 * 1024) } }));
    const back = await c.findOne({ _id: 1 }, { projection: { b: 1 } });
    expect(back).to.deep.equal({ _id: 1 });
  });
});
