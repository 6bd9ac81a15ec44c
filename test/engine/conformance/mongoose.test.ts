// The app's access path: mongoose models with unique indexes, validation, populate, upserts and sessions.
import { expect } from 'chai';
import mongoose, { Connection, Schema, Types } from 'mongoose';
import { rejection, useTarget } from './helpers';

describe('conformance: mongoose', () => {
  const s = useTarget('mongoose');
  let conn: Connection;

  const orgSchema = new Schema({ name: { type: String, required: true } });
  const userSchema = new Schema(
    {
      email: { type: String, required: true, unique: true, lowercase: true, trim: true },
      name: { type: String, required: true, minlength: 2 },
      org: { type: Schema.Types.ObjectId, ref: 'Org' },
      role: { type: String, enum: ['buyer', 'supplier', 'admin'], default: 'buyer' },
      logins: { type: Number, default: 0 },
    },
    { timestamps: true },
  );
  userSchema.index({ org: 1, name: 1 }, { unique: true, partialFilterExpression: { org: { $exists: true } } });

  before(async () => {
    conn = mongoose.createConnection(s.target.uri, { dbName: s.db.databaseName, autoIndex: true });
    await conn.asPromise();
    conn.model('Org', orgSchema);
    conn.model('User', userSchema);
    await conn.model('Org').init();
    await conn.model('User').init();
  });
  after(async () => {
    await conn?.close();
  });

  const Org = () => conn.model('Org');
  const User = () => conn.model('User');

  it('Model.init() creates the schema indexes', async () => {
    const indexes = await User().listIndexes();
    const byName = Object.fromEntries(indexes.map((i: any) => [i.name, i]));
    expect(byName.email_1.unique).to.equal(true);
    expect(byName.email_1.key).to.deep.equal({ email: 1 });
    expect(byName['org_1_name_1'].partialFilterExpression).to.deep.equal({ org: { $exists: true } });
    expect(byName._id_.unique).to.equal(undefined);
  });

  it('create applies defaults, casting and timestamps', async () => {
    const u = await User().create({ email: '  Ada@Example.org ', name: 'Ada' });
    expect(u.email).to.equal('ada@example.org');
    expect(u.role).to.equal('buyer');
    const raw = await s.db.collection('users').findOne({ _id: u._id });
    expect(raw!.createdAt).to.be.instanceOf(Date);
    expect(raw!.logins).to.equal(0);
    expect(raw!.__v).to.equal(0);
  });

  it('a duplicate unique field fails with E11000, keyPattern and keyValue', async () => {
    const err = await rejection(User().create({ email: 'ada@example.org', name: 'Ada Two' }));
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ email: 1 });
    expect(err.keyValue).to.deep.equal({ email: 'ada@example.org' });
    expect(await User().countDocuments({ email: 'ada@example.org' })).to.equal(1);
  });

  it('a compound partial unique index conflicts only where the filter applies', async () => {
    const org = await Org().create({ name: 'Coop' });
    await User().create({ email: 'b1@x.io', name: 'Bo', org: org._id });
    await User().create({ email: 'b2@x.io', name: 'Bo' });
    const err = await rejection(User().create({ email: 'b3@x.io', name: 'Bo', org: org._id }));
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ org: 1, name: 1 });
  });

  it('validation errors are raised before anything is stored', async () => {
    const before = await User().countDocuments();
    const err = await rejection(User().create({ email: 'v@x.io', name: 'V', role: 'boss' }));
    expect(err).to.be.instanceOf(mongoose.Error.ValidationError);
    expect(Object.keys(err.errors).sort()).to.deep.equal(['name', 'role']);
    expect(await User().countDocuments()).to.equal(before);
  });

  it('populate resolves references', async () => {
    const org = await Org().create({ name: 'Council' });
    await User().create({ email: 'p@x.io', name: 'Pat', org: org._id });
    const u: any = await User().findOne({ email: 'p@x.io' }).populate('org').lean();
    expect(u.org.name).to.equal('Council');
    expect(u.org._id).to.be.instanceOf(Types.ObjectId);
  });

  it('findOneAndUpdate with upsert seeds the filter fields and returns the new document', async () => {
    const u: any = await User().findOneAndUpdate(
      { email: 'new@x.io' },
      { $set: { name: 'Newt' }, $inc: { logins: 1 } },
      { upsert: true, returnDocument: 'after', setDefaultsOnInsert: true },
    ).lean();
    expect(u.email).to.equal('new@x.io');
    expect(u.name).to.equal('Newt');
    expect(u.logins).to.equal(1);
    expect(u.role).to.equal('buyer');
    const again: any = await User().findOneAndUpdate({ email: 'new@x.io' }, { $inc: { logins: 1 } }, { upsert: true, returnDocument: 'after' }).lean();
    expect(again._id.toString()).to.equal(u._id.toString());
    expect(again.logins).to.equal(2);
  });

  it('countDocuments, exists, updateOne and deleteOne through the model', async () => {
    expect(await User().countDocuments({ role: 'buyer' })).to.be.greaterThan(2);
    expect(await User().exists({ email: 'p@x.io' })).to.not.equal(null);
    const r = await User().updateOne({ email: 'p@x.io' }, { role: 'admin' });
    expect(r.modifiedCount).to.equal(1);
    expect((await User().findOne({ email: 'p@x.io' }))!.role).to.equal('admin');
    expect((await User().deleteOne({ email: 'p@x.io' })).deletedCount).to.equal(1);
    expect(await User().exists({ email: 'p@x.io' })).to.equal(null);
  });

  it('a session transaction commits together or not at all', async () => {
    await conn.transaction(async (session) => {
      const [org] = await Org().create([{ name: 'TxOrg' }], { session });
      await User().create([{ email: 'tx@x.io', name: 'Tex', org: org._id }], { session });
    });
    expect(await User().countDocuments({ email: 'tx@x.io' })).to.equal(1);

    const err = await rejection(conn.transaction(async (session) => {
      await Org().create([{ name: 'Ghost' }], { session });
      await User().create([{ email: 'tx@x.io', name: 'Dup' }], { session });
    }));
    expect(err.code).to.equal(11000);
    expect(await Org().countDocuments({ name: 'Ghost' })).to.equal(0);
  });

  it('session.withTransaction with model writes is invisible until committed', async () => {
    const session = await conn.startSession();
    try {
      await session.withTransaction(async () => {
        await User().create([{ email: 'iso@x.io', name: 'Iso' }], { session });
        expect(await User().countDocuments({ email: 'iso@x.io' })).to.equal(0);
        expect(await User().countDocuments({ email: 'iso@x.io' }).session(session)).to.equal(1);
      });
    } finally {
      await session.endSession();
    }
    expect(await User().countDocuments({ email: 'iso@x.io' })).to.equal(1);
  });
});
