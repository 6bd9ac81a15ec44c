// Catalog commands: databases, collections and indexes.
import { calculateObjectSize } from 'bson';
import { Query } from 'mingo';
import { ErrorCodes, MongoServerError, badValue } from '../errors';
import { ID_INDEX } from '../storage';
import { Doc, isPlainObject, keyOf } from '../values';
import { Handler, collectionName, docArray, existing, ns, optionalDoc } from './context';

function notFound(namespace: string): MongoServerError {
  return new MongoServerError(ErrorCodes.NamespaceNotFound, `ns does not exist: ${namespace}`);
}

export const create: Handler = (ctx) => {
  const name = collectionName(ctx, 'create');
  const { create: _c, $db: _d, lsid: _l, txnNumber: _t, autocommit: _a, startTransaction: _s, $readPreference: _r, writeConcern: _w, ...options } = ctx.body;
  ctx.engine.storage.createCollection(ctx.db, name, options, ctx.batch);
  return { ok: 1 };
};

export const drop: Handler = (ctx) => {
  const name = collectionName(ctx, 'drop');
  const coll = existing(ctx, name);
  const nIndexesWas = coll ? coll.indexes.size + 1 : undefined;
  // MongoDB 7.0 answers ok for a collection that does not exist.
  ctx.engine.storage.dropCollection(ctx.db, name, ctx.batch);
  return nIndexesWas === undefined ? { ok: 1 } : { nIndexesWas, ns: ns(ctx, name), ok: 1 };
};

export const dropDatabase: Handler = (ctx) => {
  ctx.engine.storage.dropDatabase(ctx.db, ctx.batch);
  return { dropped: ctx.db, ok: 1 };
};

export const listDatabases: Handler = (ctx) => {
  const storage = ctx.engine.storage;
  const dbs = [...storage.dbs.keys()].map((name) => {
    let size = 0;
    for (const coll of storage.collections(name)) for (const d of coll.docs.values()) size += calculateObjectSize(d);
    return { name, sizeOnDisk: size, empty: size === 0 };
  });
  const filter = optionalDoc(ctx.body, 'filter');
  const selected = filter ? dbs.filter((d) => new Query(filter).test(d)) : dbs;
  if (ctx.body.nameOnly === true) return { databases: selected.map((d) => ({ name: d.name })), ok: 1 };
  return { databases: selected, totalSize: selected.reduce((s, d) => s + d.sizeOnDisk, 0), totalSizeMb: 0, ok: 1 };
};

export const listCollections: Handler = (ctx) => {
  const infos = ctx.engine.storage.collections(ctx.db).map((c) => ({
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false, uuid: c.uuid },
    idIndex: ID_INDEX,
  }));
  const filter = optionalDoc(ctx.body, 'filter');
  let selected: Doc[] = filter ? infos.filter((i) => new Query(filter).test(i)) : infos;
  if (ctx.body.nameOnly === true) selected = selected.map((i) => ({ name: i.name, type: i.type }));
  const cursor = optionalDoc(ctx.body, 'cursor') ?? {};
  return ctx.engine.cursors.first(`${ctx.db}.$cmd.listCollections`, selected, cursor.batchSize);
};

export const createIndexes: Handler = (ctx) => {
  const name = collectionName(ctx, 'createIndexes');
  const specs = docArray(ctx.body, 'indexes');
  if (specs.length === 0) throw badValue('Must specify at least one index to create');
  const storage = ctx.engine.storage;
  const createdCollectionAutomatically = !existing(ctx, name);
  const coll = storage.ensureCollection(ctx.db, name, ctx.batch);
  const before = coll.indexes.size + 1;
  for (const spec of specs) {
    if (!isPlainObject(spec)) throw badValue('index specification must be an object');
    storage.createIndex(coll, spec, ctx.batch);
  }
  const after = coll.indexes.size + 1;
  const reply: Doc = { numIndexesBefore: before, numIndexesAfter: after, createdCollectionAutomatically };
  if (before === after) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

export const listIndexes: Handler = (ctx) => {
  const name = collectionName(ctx, 'listIndexes');
  const coll = existing(ctx, name);
  if (!coll) throw notFound(ns(ctx, name));
  const cursor = optionalDoc(ctx.body, 'cursor') ?? {};
  return ctx.engine.cursors.first(ns(ctx, name), coll.indexSpecs(), cursor.batchSize);
};

export const dropIndexes: Handler = (ctx) => {
  const name = collectionName(ctx, 'dropIndexes');
  const coll = existing(ctx, name);
  if (!coll) throw notFound(ns(ctx, name));
  const nIndexesWas = coll.indexes.size + 1;
  const which = ctx.body.index;
  const names: string[] = [];
  if (which === '*') names.push(...coll.indexes.keys());
  else if (typeof which === 'string') names.push(which);
  else if (Array.isArray(which)) names.push(...which.map(String));
  else if (isPlainObject(which)) {
    const match = [...coll.indexes.values()].find((i) => keyOf(i.spec.key) === keyOf(which));
    if (!match && keyOf(which) !== keyOf(ID_INDEX.key)) {
      throw new MongoServerError(ErrorCodes.IndexNotFound, `can't find index with key: ${JSON.stringify(which)}`);
    }
    names.push(match ? match.spec.name : '_id_');
  } else throw badValue('index must be a name, a key pattern, an array of names or "*"');
  for (const n of names) {
    if (n === '_id_') throw new MongoServerError(ErrorCodes.InvalidOptions, 'cannot drop _id index');
    if (!coll.indexes.has(n)) throw new MongoServerError(ErrorCodes.IndexNotFound, `index not found with name [${n}]`);
  }
  for (const n of names) ctx.engine.storage.dropIndex(coll, n, ctx.batch);
  return { nIndexesWas, ok: 1 };
};

