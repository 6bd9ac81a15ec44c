// Write commands: insert, update, delete and findAndModify.
import { calculateObjectSize, serialize } from 'bson';
import { ErrorCodes, MongoServerError, failedToParse } from '../errors';
import { applyProjection, applyUpdate, isOperatorUpdate, upsertSeed, validateStoredDoc, withId, UpdateSpec } from '../query';
import { Collection, MAX_BSON_SIZE } from '../storage';
import { Doc, isPlainObject, keyOf } from '../values';
import { CommandContext, Handler, collectionName, docArray, existing, optionalDoc } from './context';
import { findMatches } from './match';

function checkSize(doc: Doc): void {
  const size = calculateObjectSize(doc);
  if (size > MAX_BSON_SIZE) {
    throw new MongoServerError(ErrorCodes.Location10334, `BSONObj size: ${size} (0x${size.toString(16)}) is invalid. Size must be between 0 and 16793600(16MB)`);
  }
}

function ensure(ctx: CommandContext, name: string): Collection {
  return ctx.engine.storage.ensureCollection(ctx.db, name, ctx.batch);
}

/** Inside a transaction a write conflict fails the whole command, not one statement. */
function isCommandLevel(ctx: CommandContext, err: MongoServerError): boolean {
  return ctx.view.txn !== undefined && err.code === ErrorCodes.WriteConflict;
}

function sameDoc(a: Doc, b: Doc): boolean {
  return Buffer.compare(serialize(a, { checkKeys: false }), serialize(b, { checkKeys: false })) === 0;
}

export const insert: Handler = (ctx) => {
  const name = collectionName(ctx, 'insert');
  const docs = docArray(ctx.body, 'documents');
  const ordered = ctx.body.ordered !== false;
  const coll = ensure(ctx, name);
  const writeErrors: Doc[] = [];
  let n = 0;
  docs.forEach((raw, i) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      if (!isPlainObject(raw)) throw failedToParse('document to insert must be an object');
      checkSize(raw);
      const doc = withId(raw);
      validateStoredDoc(doc);
      ctx.view.insert(coll, doc, ctx.batch);
      n++;
    } catch (err) {
      if (!(err instanceof MongoServerError) || isCommandLevel(ctx, err)) throw err;
      writeErrors.push(err.toWriteError(i));
    }
  });
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

function parseUpdateSpec(s: Doc): UpdateSpec & { q: Doc; upsert: boolean; multi: boolean; sort?: Doc } {
  if (!isPlainObject(s)) throw failedToParse('update statement must be an object');
  const q = s.q ?? {};
  if (!isPlainObject(q)) throw failedToParse('BSON field \'q\' must be an object');
  const u = s.u;
  if (!Array.isArray(u) && !isPlainObject(u)) throw failedToParse('BSON field \'u\' must be an object or an array');
  const multi = s.multi === true;
  if (multi && isPlainObject(u) && !isOperatorUpdate(u)) throw failedToParse('multi update is not supported for replacement-style update');
  return { q, u, upsert: s.upsert === true, multi, arrayFilters: s.arrayFilters, sort: optionalDoc(s, 'sort') };
}

/** Builds and inserts the document of an upsert that matched nothing; returns its _id. */
function upsertInsert(ctx: CommandContext, name: string, spec: UpdateSpec & { q: Doc }): Doc {
  const seed = upsertSeed(spec.q);
  let doc: Doc;
  if (!Array.isArray(spec.u) && !isOperatorUpdate(spec.u)) {
    doc = applyUpdate(seed._id === undefined ? {} : { _id: seed._id }, spec, true);
  } else {
    doc = applyUpdate(seed, spec, true);
  }
  doc = withId(doc);
  validateStoredDoc(doc);
  checkSize(doc);
  ctx.view.insert(ensure(ctx, name), doc, ctx.batch);
  return doc;
}

/** Applies an update to one stored document; returns the new version and whether it changed. */
function updateOne(ctx: CommandContext, coll: Collection, doc: Doc, spec: UpdateSpec): { doc: Doc; changed: boolean } {
  const next = applyUpdate(doc, spec, false);
  validateStoredDoc(next);
  checkSize(next);
  if (sameDoc(doc, next)) return { doc, changed: false };
  ctx.view.replace(coll, keyOf(doc._id), next, ctx.batch);
  return { doc: next, changed: true };
}

export const update: Handler = (ctx) => {
  const name = collectionName(ctx, 'update');
  const updates = docArray(ctx.body, 'updates');
  const ordered = ctx.body.ordered !== false;
  const writeErrors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  updates.forEach((raw, i) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      const spec = parseUpdateSpec(raw);
      const coll = existing(ctx, name);
      const matches = findMatches(ctx.view, coll, spec.q, { limit: spec.multi ? 0 : 1, sort: spec.sort });
      if (matches.length === 0 && spec.upsert) {
        const doc = upsertInsert(ctx, name, spec);
        upserted.push({ index: i, _id: doc._id });
        n++;
        return;
      }
      for (const m of matches) {
        if (updateOne(ctx, coll!, m, spec).changed) nModified++;
        n++;
      }
    } catch (err) {
      if (!(err instanceof MongoServerError) || isCommandLevel(ctx, err)) throw err;
      writeErrors.push(err.toWriteError(i));
    }
  });
  const reply: Doc = { n, nModified };
  if (upserted.length) reply.upserted = upserted;
  if (writeErrors.length) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

export const del: Handler = (ctx) => {
  const name = collectionName(ctx, 'delete');
  const deletes = docArray(ctx.body, 'deletes');
  const ordered = ctx.body.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  deletes.forEach((raw, i) => {
    if (ordered && writeErrors.length > 0) return;
    try {
      if (!isPlainObject(raw)) throw failedToParse('delete statement must be an object');
      const limit = Number(raw.limit ?? 0);
      if (limit !== 0 && limit !== 1) throw failedToParse('The limit field in delete objects must be 0 or 1');
      const coll = existing(ctx, name);
      for (const m of findMatches(ctx.view, coll, raw.q ?? {}, { limit })) {
        ctx.view.remove(coll!, keyOf(m._id), ctx.batch);
        n++;
      }
    } catch (err) {
      if (!(err instanceof MongoServerError) || isCommandLevel(ctx, err)) throw err;
      writeErrors.push(err.toWriteError(i));
    }
  });
  return writeErrors.length ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

export const findAndModify: Handler = (ctx) => {
  const name = collectionName(ctx, Object.keys(ctx.body)[0]);
  const b = ctx.body;
  const query = optionalDoc(b, 'query') ?? {};
  const fields = optionalDoc(b, 'fields');
  const remove = b.remove === true;
  if (!remove && b.update === undefined) throw failedToParse('Either an update or remove=true must be specified');
  if (remove && (b.update !== undefined || b.upsert === true || b.new === true)) {
    throw failedToParse('Cannot specify both an update and remove=true, or upsert/new with remove');
  }
  const coll = existing(ctx, name);
  const [match] = findMatches(ctx.view, coll, query, { sort: optionalDoc(b, 'sort'), limit: 1 });
  const project = (d: Doc | null | undefined) => (d ? applyProjection([d], fields)[0] : null);

  if (remove) {
    if (match) ctx.view.remove(coll!, keyOf(match._id), ctx.batch);
    return { lastErrorObject: { n: match ? 1 : 0 }, value: project(match), ok: 1 };
  }
  const spec = { q: query, u: b.update, arrayFilters: b.arrayFilters };
  if (!Array.isArray(spec.u) && !isPlainObject(spec.u)) throw failedToParse('Update argument must be either an object or an array');
  if (match) {
    const { doc } = updateOne(ctx, coll!, match, spec);
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: project(b.new ? doc : match), ok: 1 };
  }
  if (b.upsert === true) {
    const doc = upsertInsert(ctx, name, spec);
    return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: project(b.new ? doc : null), ok: 1 };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};
