// Read commands: find, getMore, killCursors, count, distinct, aggregate and explain.
import { ErrorCodes, MongoServerError, badValue } from '../errors';
import { applyProjection, newAggregator, upsertSeed, withId } from '../query';
import { Collection } from '../storage';
import { Doc, clone, isPlainObject, keyOf, valuesAtPath } from '../values';
import { CommandContext, Handler, collectionName, docArray, existing, ns, optionalDoc, optionalInt } from './context';
import { findMatches } from './match';

export const find: Handler = (ctx) => {
  const name = collectionName(ctx, 'find');
  const b = ctx.body;
  let limit = optionalInt(b, 'limit') ?? 0;
  let singleBatch = b.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const docs = findMatches(ctx.view, existing(ctx, name), optionalDoc(b, 'filter'), {
    sort: optionalDoc(b, 'sort'),
    skip: optionalInt(b, 'skip'),
    limit,
  });
  const projected = applyProjection(docs, optionalDoc(b, 'projection'));
  return ctx.engine.cursors.first(ns(ctx, name), projected, optionalInt(b, 'batchSize'), singleBatch);
};

export const getMore: Handler = (ctx) => {
  const id = Number(ctx.body.getMore);
  const name = collectionName(ctx, 'collection');
  return ctx.engine.cursors.more(id, ns(ctx, name), optionalInt(ctx.body, 'batchSize') || undefined);
};

export const killCursors: Handler = (ctx) => {
  const ids = docArray(ctx.body, 'cursors').map(Number);
  return ctx.engine.cursors.kill(ids);
};

export const count: Handler = (ctx) => {
  const name = collectionName(ctx, 'count');
  const docs = findMatches(ctx.view, existing(ctx, name), optionalDoc(ctx.body, 'query'), {
    skip: optionalInt(ctx.body, 'skip'),
    limit: Math.abs(optionalInt(ctx.body, 'limit') ?? 0),
  });
  return { n: docs.length, ok: 1 };
};

export const distinct: Handler = (ctx) => {
  const name = collectionName(ctx, 'distinct');
  const key = ctx.body.key;
  if (typeof key !== 'string') throw badValue('distinct key must be a string');
  const seen = new Map<string, unknown>();
  for (const d of findMatches(ctx.view, existing(ctx, name), optionalDoc(ctx.body, 'query'))) {
    for (const v of valuesAtPath(d, key)) {
      if (v === undefined) continue;
      const k = keyOf(v);
      if (!seen.has(k)) seen.set(k, v);
    }
  }
  return { values: [...seen.values()], ok: 1 };
};

/** Every document of a collection in this view, copied so pipeline stages cannot touch stored ones. */
function allDocs(ctx: CommandContext, coll: Collection | undefined): Doc[] {
  return ctx.view.candidates(coll, {}).map(clone);
}

export const aggregate: Handler = (ctx) => {
  const b = ctx.body;
  if (typeof b.aggregate !== 'string') {
    throw new MongoServerError(ErrorCodes.CommandNotSupported, 'database-level aggregation is not supported by the embedded engine');
  }
  const name = collectionName(ctx, 'aggregate');
  let pipeline = docArray(b, 'pipeline');
  for (const stage of pipeline) {
    if (!isPlainObject(stage) || Object.keys(stage).length !== 1) throw badValue('A pipeline stage specification object must contain exactly one field.');
    const op = Object.keys(stage)[0];
    if (op === '$changeStream') throw new MongoServerError(ErrorCodes.CommandNotSupported, 'Change streams ($changeStream) are not supported by the embedded engine; use a MongoDB replica set.');
    if (op === '$geoNear' || op === '$search' || op === '$vectorSearch' || op === '$currentOp' || op === '$collStats' || op === '$indexStats') {
      throw new MongoServerError(ErrorCodes.CommandNotSupported, `${op} is not supported by the embedded engine`);
    }
  }
  const last = pipeline[pipeline.length - 1];
  const output = last && ('$out' in last || '$merge' in last) ? last : undefined;
  if (output) pipeline = pipeline.slice(0, -1);

  const coll = existing(ctx, name);
  let input: Doc[];
  // A leading $match can use an index and spares copying documents it rejects.
  if (pipeline[0] && '$match' in pipeline[0] && isPlainObject(pipeline[0].$match)) {
    input = findMatches(ctx.view, coll, pipeline[0].$match).map(clone);
    pipeline = pipeline.slice(1);
  } else input = allDocs(ctx, coll);

  pipeline = rewriteCount(pipeline);
  let results: Doc[];
  try {
    results = newAggregator(pipeline, {
      collectionResolver: (from: string) => allDocs(ctx, existing(ctx, from)),
    }).run(input) as Doc[];
  } catch (err: any) {
    throw new MongoServerError(ErrorCodes.InvalidPipelineOperator, err.message);
  }
  if (output) {
    writeOutput(ctx, output, results);
    results = [];
  }
  if (b.explain === true) return { stages: pipeline, ok: 1 };
  const cursorOpts = optionalDoc(b, 'cursor') ?? {};
  return ctx.engine.cursors.first(ns(ctx, name), results, optionalInt(cursorOpts, 'batchSize'));
};

/**
 * mingo's $count emits `{name: 0}` for empty input, where mongod emits nothing; use the
 * $group + $project form that MongoDB documents as its equivalent, also inside sub-pipelines.
 */
function rewriteCount(pipeline: Doc[]): Doc[] {
  return pipeline.flatMap((stage): Doc[] => {
    if (!isPlainObject(stage)) return [stage];
    if (typeof stage.$count === 'string') {
      return [{ $group: { _id: null, [stage.$count]: { $sum: 1 } } }, { $project: { _id: 0 } }];
    }
    if (isPlainObject(stage.$facet)) {
      const facets: Doc = {};
      for (const [k, v] of Object.entries(stage.$facet)) facets[k] = Array.isArray(v) ? rewriteCount(v) : v;
      return [{ $facet: facets }];
    }
    for (const op of ['$lookup', '$unionWith']) {
      if (isPlainObject(stage[op]) && Array.isArray(stage[op].pipeline)) {
        return [{ [op]: { ...stage[op], pipeline: rewriteCount(stage[op].pipeline) } }];
      }
    }
    return [stage];
  });
}

function writeOutput(ctx: CommandContext, stage: Doc, results: Doc[]): void {
  const storage = ctx.engine.storage;
  if ('$out' in stage) {
    const target = typeof stage.$out === 'string' ? { db: ctx.db, coll: stage.$out } : stage.$out;
    const coll = storage.ensureCollection(target.db ?? ctx.db, target.coll, ctx.batch);
    for (const d of [...coll.docs.values()]) storage.remove(coll, keyOf(d._id), ctx.batch);
    for (const d of results) storage.insert(coll, withId(d), ctx.batch);
    return;
  }
  const spec = typeof stage.$merge === 'string' ? { into: stage.$merge } : stage.$merge;
  const into = typeof spec.into === 'string' ? { db: ctx.db, coll: spec.into } : spec.into;
  const on: string[] = spec.on === undefined ? ['_id'] : Array.isArray(spec.on) ? spec.on : [spec.on];
  const whenMatched = spec.whenMatched ?? 'merge';
  const whenNotMatched = spec.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') throw new MongoServerError(ErrorCodes.CommandNotSupported, '$merge with a pipeline is not supported by the embedded engine');
  const coll = storage.ensureCollection(into.db ?? ctx.db, into.coll, ctx.batch);
  for (const raw of results) {
    const doc = withId(raw);
    const filter: Doc = {};
    for (const f of on) filter[f] = valuesAtPath(doc, f)[0] ?? null;
    const [match] = findMatches(ctx.view, coll, filter, { limit: 1 });
    if (match) {
      if (whenMatched === 'fail') throw new MongoServerError(ErrorCodes.DuplicateKey, '$merge found a matching document and whenMatched is fail');
      if (whenMatched === 'keepExisting') continue;
      const next = whenMatched === 'replace' ? { ...doc, _id: match._id } : { ...match, ...doc, _id: match._id };
      storage.replace(coll, keyOf(match._id), next, ctx.batch);
    } else {
      if (whenNotMatched === 'fail') throw new MongoServerError(ErrorCodes.Location16755 as number, '$merge could not find a matching document and whenNotMatched is fail');
      if (whenNotMatched === 'discard') continue;
      storage.insert(coll, withId({ ...upsertSeed(filter), ...doc }), ctx.batch);
    }
  }
}

/** Explains find, count, distinct, update and delete: which plan the engine uses and what it examined. */
export const explain: Handler = (ctx) => {
  const inner = optionalDoc(ctx.body, 'explain');
  if (!inner) throw badValue('explain requires a command document');
  const op = Object.keys(inner)[0];
  const name = String(inner[op]);
  const filter: Doc =
    op === 'find' ? inner.filter ?? {} :
    op === 'count' ? inner.query ?? {} :
    op === 'distinct' ? inner.query ?? {} :
    op === 'update' ? inner.updates?.[0]?.q ?? {} :
    op === 'delete' ? inner.deletes?.[0]?.q ?? {} :
    op === 'findAndModify' ? inner.query ?? {} :
    op === 'aggregate' && inner.pipeline?.[0]?.$match ? inner.pipeline[0].$match : {};
  const coll = existing(ctx, name);
  const sort = op === 'find' ? inner.sort : op === 'findAndModify' ? inner.sort : undefined;
  const { plan } = coll ? ctx.engine.storage.plan(coll, filter, sort) : { plan: { stage: 'EOF' as const } };
  const stats = { examined: 0 };
  const nReturned = findMatches(ctx.view, coll, filter, { sort, stats, limit: op === 'find' ? Math.abs(Number(inner.limit ?? 0)) : undefined, skip: op === 'find' ? Number(inner.skip ?? 0) : undefined }).length;
  const examined = stats.examined;
  const leaf: Doc = plan.stage === 'IXSCAN' ? { stage: 'IXSCAN', indexName: plan.indexName, keyPattern: coll!.indexes.get(plan.indexName!)!.spec.key } : { stage: plan.stage };
  const winningPlan = plan.stage === 'IXSCAN' ? { stage: 'FETCH', inputStage: leaf } : leaf;
  return {
    queryPlanner: { namespace: ns(ctx, name), parsedQuery: filter, winningPlan, rejectedPlans: [] },
    executionStats: { nReturned, totalDocsExamined: examined, totalKeysExamined: plan.stage === 'COLLSCAN' ? 0 : examined, executionSuccess: true },
    ok: 1,
  };
};
