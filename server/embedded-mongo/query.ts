// Query semantics over mingo: matching, sorting in BSON order, projection, and updates as MongoDB applies them.
import { Context, Query, update as mingoUpdate, Aggregator } from 'mingo';
import { ObjectId, Timestamp } from 'bson';
import { ErrorCodes, MongoServerError, badValue } from './errors';
import { Doc, clone, compareValues, getPath, isPlainObject, keyOf, setPath, typeRank, valuesAtPath } from './values';

export type Matcher = (doc: Doc) => boolean;

/** Values a query condition on `path` is tested against: each leaf value, and the elements of leaf arrays. */
function queryValues(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(value);
    if (Array.isArray(value)) out.push(...value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i];
    if (/^\d+$/.test(part) && Number(part) < value.length) queryValues(value[Number(part)], parts, i + 1, out);
    for (const el of value) if (isPlainObject(el)) queryValues(el, parts, i, out);
    return;
  }
  if (isPlainObject(value)) queryValues(value[parts[i]], parts, i + 1, out);
  else out.push(undefined);
}

const isInt32 = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff && !Object.is(v, -0);
const bsonType = (v: unknown) => (v as any)?._bsontype as string | undefined;

/**
 * $type by BSON type. Numbers arrive promoted to JS numbers, so an integral value in int32 range is an
 * int and any other number a double, which is how the driver encodes a JS number.
 */
const BSON_TYPES: Record<string, (v: unknown) => boolean> = {
  double: (v) => (typeof v === 'number' && !isInt32(v)) || bsonType(v) === 'Double',
  string: (v) => typeof v === 'string',
  object: (v) => isPlainObject(v),
  array: (v) => Array.isArray(v),
  binData: (v) => bsonType(v) === 'Binary',
  undefined: () => false,
  objectId: (v) => bsonType(v) === 'ObjectId',
  bool: (v) => typeof v === 'boolean',
  date: (v) => v instanceof Date,
  null: (v) => v === null,
  regex: (v) => v instanceof RegExp || bsonType(v) === 'BSONRegExp',
  javascript: (v) => bsonType(v) === 'Code',
  int: (v) => isInt32(v) || bsonType(v) === 'Int32',
  timestamp: (v) => bsonType(v) === 'Timestamp',
  long: (v) => typeof v === 'bigint' || bsonType(v) === 'Long',
  decimal: (v) => bsonType(v) === 'Decimal128',
  minKey: (v) => bsonType(v) === 'MinKey',
  maxKey: (v) => bsonType(v) === 'MaxKey',
  number: (v) => typeRank(v) === 3 && v !== undefined && v !== null,
};
const BSON_TYPE_NUMBERS: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId', 8: 'bool', 9: 'date',
  10: 'null', 11: 'regex', 13: 'javascript', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};

function typePredicate(spec: unknown): (v: unknown) => boolean {
  const specs = Array.isArray(spec) ? spec : [spec];
  const tests = specs.map((t) => {
    const name = typeof t === 'number' ? BSON_TYPE_NUMBERS[t] : String(t);
    const test = BSON_TYPES[name];
    if (!test) throw badValue(`Unknown type name alias: ${String(t)}`);
    return test;
  });
  return (v) => tests.some((t) => t(v));
}

/**
 * mingo's $type does not know bson classes (ObjectId, Long, Decimal128...) and its range comparisons
 * skip values of different JS types (Long, Decimal128 vs number). mongod compares within a BSON type
 * bracket (all numbers together) in BSON order, which compareValues implements.
 */
function fieldOp(predicate: (value: unknown) => (v: unknown) => boolean) {
  return (selector: string, value: unknown) => {
    const test = predicate(value);
    const parts = selector.split('.');
    return (doc: Doc) => {
      const values: unknown[] = [];
      queryValues(doc, parts, 0, values);
      return values.some(test);
    };
  };
}
const range = (ok: (c: number) => boolean) => fieldOp((bound) => (v) => typeRank(v) === typeRank(bound) && ok(compareValues(v, bound)));

// mingo's top-level Query/Aggregator merge a given context *under* their defaults, so overriding an
// operator needs the base classes (their parents) and a context holding every operator.
/* eslint-disable @typescript-eslint/no-require-imports */
const defaultOps = (kind: string) => require(`mingo/operators/${kind}`);
const QUERY_CONTEXT = Context.init({
  accumulator: defaultOps('accumulator'),
  expression: defaultOps('expression'),
  pipeline: defaultOps('pipeline'),
  projection: defaultOps('projection'),
  window: defaultOps('window'),
  query: {
    ...defaultOps('query'),
    $type: fieldOp(typePredicate),
    $gt: range((c) => c > 0),
    $gte: range((c) => c >= 0),
    $lt: range((c) => c < 0),
    $lte: range((c) => c <= 0),
  },
});
/* eslint-enable @typescript-eslint/no-require-imports */
const BaseQuery = Object.getPrototypeOf(Query) as typeof Query;
const BaseAggregator = Object.getPrototypeOf(Aggregator) as typeof Aggregator;

/** A mingo query with MongoDB's $type and range comparison semantics. */
export function newQuery(filter: Doc): Query {
  return new BaseQuery(filter, { context: QUERY_CONTEXT });
}

/** A mingo aggregation whose $match stages use the same query semantics as find. */
export function newAggregator(pipeline: Doc[], options: ConstructorParameters<typeof Aggregator>[1] = {}): Aggregator {
  return new BaseAggregator(pipeline, { ...options, context: QUERY_CONTEXT });
}

export function compileFilter(filter: Doc | undefined): Matcher {
  if (filter === undefined || filter === null) return () => true;
  if (!isPlainObject(filter)) throw badValue('filter must be an object');
  if (Object.keys(filter).length === 0) return () => true;
  checkUnsupported(filter);
  let q: Query;
  try {
    q = newQuery(filter);
  } catch (err: any) {
    throw err instanceof MongoServerError ? err : badValue(err.message);
  }
  return (doc) => q.test(doc);
}

/** Operators the engine declares unsupported rather than answer wrongly. */
function checkUnsupported(filter: unknown): void {
  if (Array.isArray(filter)) return filter.forEach(checkUnsupported);
  if (!isPlainObject(filter)) return;
  for (const [k, v] of Object.entries(filter)) {
    if (k === '$text' || k === '$near' || k === '$nearSphere' || k === '$geoWithin' || k === '$geoIntersects' || k === '$where') {
      throw new MongoServerError(ErrorCodes.CommandNotSupported, `${k} is not supported by the embedded engine`);
    }
    checkUnsupported(v);
  }
}

/** A comparator for a sort specification, with MongoDB's array rule (min ascending, max descending). */
export function compileSort(sort: Doc | undefined): ((a: Doc, b: Doc) => number) | undefined {
  if (!sort || !isPlainObject(sort) || Object.keys(sort).length === 0) return undefined;
  const fields = Object.entries(sort).map(([path, dir]) => {
    if (isPlainObject(dir)) throw new MongoServerError(ErrorCodes.CommandNotSupported, `sort by ${JSON.stringify(dir)} is not supported by the embedded engine`);
    const d = Number(dir);
    if (d !== 1 && d !== -1) throw badValue(`bad sort specification for ${path}`);
    return { path, dir: d };
  });
  if (fields.length === 1 && fields[0].path === '$natural') {
    return fields[0].dir === 1 ? undefined : () => 0;
  }
  const keyCache = new WeakMap<Doc, unknown[]>();
  const sortKey = (doc: Doc): unknown[] => {
    let k = keyCache.get(doc);
    if (!k) {
      k = fields.map(({ path, dir }) => {
        const vals = valuesAtPath(doc, path);
        if (vals.length === 1) return vals[0];
        const sorted = [...vals].sort(compareValues);
        return dir === 1 ? sorted[0] : sorted[sorted.length - 1];
      });
      keyCache.set(doc, k);
    }
    return k;
  };
  return (a, b) => {
    const ka = sortKey(a);
    const kb = sortKey(b);
    for (let i = 0; i < fields.length; i++) {
      const c = compareValues(ka[i], kb[i]);
      if (c !== 0) return c * fields[i].dir;
    }
    return 0;
  };
}

export function applyProjection(docs: Doc[], projection: Doc | undefined): Doc[] {
  if (!projection || !isPlainObject(projection) || Object.keys(projection).length === 0) return docs;
  try {
    return new Query({}).find<Doc>(docs, projection).all();
  } catch (err: any) {
    throw badValue(err.message);
  }
}

export function isOperatorUpdate(u: Doc): boolean {
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0].startsWith('$');
}

export interface UpdateSpec {
  u: Doc | Doc[];
  arrayFilters?: Doc[];
  /** the update's filter, which the positional `$` operator refers to */
  q?: Doc;
}

/**
 * Applies an update (operators, replacement or pipeline) to a copy of `doc` and returns the new document.
 * `inserting` marks the document built by an upsert, the only case $setOnInsert applies.
 */
export function applyUpdate(doc: Doc, spec: UpdateSpec, inserting: boolean): Doc {
  const { u } = spec;
  if (Array.isArray(u)) return applyPipelineUpdate(doc, u);
  if (!isPlainObject(u)) throw new MongoServerError(ErrorCodes.FailedToParse, 'Update argument must be either an object or an array');
  if (!isOperatorUpdate(u)) return applyReplacement(doc, u);

  const ops: Doc = {};
  for (const [op, args] of Object.entries(u)) {
    if (!op.startsWith('$')) throw new MongoServerError(ErrorCodes.FailedToParse, `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`);
    if (!isPlainObject(args)) throw new MongoServerError(ErrorCodes.FailedToParse, `Modifiers operate on fields but we found type ${typeof args} instead.`);
    if (op === '$setOnInsert') {
      if (inserting) ops.$set = { ...(ops.$set ?? {}), ...args };
      continue;
    }
    if (Object.keys(args).length === 0) continue;
    ops[op] = op === '$set' ? { ...(ops.$set ?? {}), ...args } : args;
  }
  checkConflictingPaths(ops);
  const out = clone(doc);
  // mingo refuses any `_id` in $set, even an unchanged one (connect-mongo sends exactly that).
  if (ops.$set && '_id' in ops.$set) {
    const { _id, ...rest } = ops.$set;
    if (keyOf(_id) !== keyOf(out._id)) {
      if (inserting) out._id = _id;
      else throw immutableId(out._id, _id);
    }
    ops.$set = rest;
    if (Object.keys(rest).length === 0) delete ops.$set;
  }
  for (const op of Object.keys(ops)) {
    for (const path of Object.keys(ops[op])) {
      if (path === '_id' || path.startsWith('_id.')) {
        if (op === '$rename' || op === '$unset' || op === '$set' || op === '$inc' || op === '$mul') throw immutableId(out._id, undefined);
      }
    }
  }
  checkOperandTypes(out, ops);
  currentDateAsSet(ops);
  if (Object.keys(ops).length === 0) return out;
  // mingo skips a $set whose value it judges equal to the current one, and it compares BSON Binary values by their
  // text form, so two different byte strings can look equal: a plain path is cleared first (in place, keeping the
  // field's position) so that every $set assigns; an unchanged value still leaves the document byte-identical.
  if (ops.$set) for (const path of Object.keys(ops.$set)) if (!path.includes('$')) clearAt(out, path);
  // mingo resolves a positional `$` only against the filter it is given; an upsert has no matched array.
  const positional = !inserting && Object.values(ops).some((args) => Object.keys(args).some((p) => /(^|\.)\$(\.|$)/.test(p)));
  try {
    mingoUpdate(out, ops as any, spec.arrayFilters, positional ? spec.q : undefined, { cloneMode: 'deep' });
  } catch (err: any) {
    if (/immutable/.test(err.message)) throw immutableId(doc._id, undefined);
    throw new MongoServerError(ErrorCodes.BadValue, err.message);
  }
  return out;
}

/** Sets the value at a dotted path to null where the path already exists (through objects and array indexes). */
function clearAt(doc: Doc, path: string): void {
  const parts = path.split('.');
  let node: any = doc;
  for (const [i, part] of parts.entries()) {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node) && !/^\d+$/.test(part)) return;
    if (!Object.prototype.hasOwnProperty.call(node, part)) return;
    if (i === parts.length - 1) node[part] = null;
    else node = node[part];
  }
}

function isNumeric(v: unknown): boolean {
  if (typeof v === 'number') return true;
  const t = (v as any)?._bsontype;
  return t === 'Long' || t === 'Int32' || t === 'Double' || t === 'Decimal128';
}

/**
 * mingo silently skips operators applied to a value of the wrong type; mongod refuses the whole update.
 * Only plain paths are checked (positional ones are resolved later, by mingo).
 */
function checkOperandTypes(doc: Doc, ops: Doc): void {
  for (const [op, args] of Object.entries(ops)) {
    for (const [path, arg] of Object.entries(args as Doc)) {
      if (path.includes('$')) continue;
      const current = getPath(doc, path);
      if (op === '$inc' || op === '$mul') {
        if (!isNumeric(arg)) {
          throw new MongoServerError(ErrorCodes.TypeMismatch, `Cannot ${op === '$inc' ? 'increment' : 'multiply'} with non-numeric argument: {${path}: ${JSON.stringify(arg)}}`);
        }
        if (current !== undefined && !isNumeric(current)) {
          throw new MongoServerError(ErrorCodes.TypeMismatch, `Cannot apply ${op} to a value of non-numeric type. {_id: ${JSON.stringify(doc._id)}} has the field '${path}' of non-numeric type ${typeName(current)}`);
        }
      } else if (current !== undefined && !Array.isArray(current)) {
        if (op === '$push' || op === '$addToSet') {
          throw badValue(`The field '${path}' must be an array but is of type ${typeName(current)} in document {_id: ${JSON.stringify(doc._id)}}`);
        }
        if (op === '$pop') throw new MongoServerError(ErrorCodes.TypeMismatch, `Path '${path}' contains an element of non-array type '${typeName(current)}'`);
        if (op === '$pull' || op === '$pullAll') throw badValue(`Cannot apply ${op} to a non-array value`);
      }
    }
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'double';
  if (v instanceof Date) return 'date';
  if (Array.isArray(v)) return 'array';
  return (v as any)?._bsontype ?? 'object';
}

/** mingo's $currentDate writes milliseconds for `{$type: 'timestamp'}`; mongod writes a BSON Timestamp. */
function currentDateAsSet(ops: Doc): void {
  if (!ops.$currentDate) return;
  const now = new Date();
  const set: Doc = { ...(ops.$set ?? {}) };
  for (const [path, spec] of Object.entries(ops.$currentDate as Doc)) {
    if (spec !== true && !(isPlainObject(spec) && (spec.$type === 'date' || spec.$type === 'timestamp'))) {
      throw badValue(`${path} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
    }
    set[path] = isPlainObject(spec) && spec.$type === 'timestamp' ? new Timestamp({ t: Math.floor(now.getTime() / 1000), i: 1 }) : now;
  }
  delete ops.$currentDate;
  ops.$set = set;
}

function checkConflictingPaths(ops: Doc): void {
  const seen: string[] = [];
  for (const [op, args] of Object.entries(ops)) {
    for (const path of Object.keys(args)) {
      const target = op === '$rename' ? [path, String(args[path])] : [path];
      for (const p of target) {
        for (const s of seen) {
          if (s === p || s.startsWith(p + '.') || p.startsWith(s + '.')) {
            throw new MongoServerError(ErrorCodes.ConflictingUpdateOperators, `Updating the path '${p}' would create a conflict at '${s}'`);
          }
        }
        seen.push(p);
      }
    }
  }
}

function immutableId(oldId: unknown, newId: unknown): MongoServerError {
  return new MongoServerError(
    ErrorCodes.ImmutableField,
    `Performing an update on the path '_id' would modify the immutable field '_id'`,
    newId === undefined ? {} : { oldId },
  );
}

function applyReplacement(doc: Doc, replacement: Doc): Doc {
  for (const k of Object.keys(replacement)) {
    if (k.startsWith('$')) throw new MongoServerError(ErrorCodes.DollarPrefixedFieldName, `The dollar ($) prefixed field '${k}' in '${k}' is not allowed in the context of an update's replacement document.`);
  }
  if ('_id' in replacement && doc._id !== undefined && keyOf(replacement._id) !== keyOf(doc._id)) {
    throw new MongoServerError(ErrorCodes.ImmutableField, `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${JSON.stringify(replacement._id)}`);
  }
  const out: Doc = { _id: doc._id ?? replacement._id };
  for (const [k, v] of Object.entries(replacement)) if (k !== '_id') out[k] = clone(v);
  if (out._id === undefined) delete out._id;
  return out;
}

function applyPipelineUpdate(doc: Doc, pipeline: Doc[]): Doc {
  const allowed = new Set(['$addFields', '$set', '$project', '$unset', '$replaceRoot', '$replaceWith']);
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (!allowed.has(name)) throw new MongoServerError(ErrorCodes.InvalidOptions, `${name} is not allowed to be used within an update`);
  }
  let result: Doc[];
  try {
    result = new Aggregator(pipeline).run([clone(doc)]) as Doc[];
  } catch (err: any) {
    throw badValue(err.message);
  }
  const out = result[0] ?? {};
  if (doc._id !== undefined) {
    if ('_id' in out && keyOf(out._id) !== keyOf(doc._id)) throw immutableId(doc._id, out._id);
    if (!('_id' in out)) return { _id: doc._id, ...out };
  }
  return out;
}

/** The document an upsert starts from: the equality fields of its filter (MongoDB's "upsert seed"). */
export function upsertSeed(filter: Doc | undefined): Doc {
  const seed: Doc = {};
  const visit = (f: Doc) => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        v.forEach((sub) => isPlainObject(sub) && visit(sub));
        continue;
      }
      if (k.startsWith('$')) continue;
      if (isPlainObject(v)) {
        const keys = Object.keys(v);
        if (keys.length > 0 && keys.every((x) => x.startsWith('$'))) {
          if ('$eq' in v) setPath(seed, k, clone(v.$eq));
          continue;
        }
      }
      if (v instanceof RegExp) continue;
      setPath(seed, k, clone(v));
    }
  };
  if (filter) visit(filter);
  return seed;
}

/** Puts `_id` first, generating one if absent, as mongod does on insert. */
export function withId(doc: Doc): Doc {
  if (doc._id !== undefined && Object.keys(doc)[0] === '_id') return doc;
  const out: Doc = { _id: doc._id === undefined ? new ObjectId() : doc._id };
  for (const [k, v] of Object.entries(doc)) if (k !== '_id') out[k] = v;
  return out;
}

/** Rejects documents MongoDB would not store. */
export function validateStoredDoc(doc: Doc): void {
  if (Array.isArray(doc._id)) throw new MongoServerError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type array`);
  if (doc._id instanceof RegExp) throw new MongoServerError(ErrorCodes.InvalidIdField, `can't use a regex for _id`);
  for (const k of Object.keys(doc)) {
    if (k.startsWith('$')) throw new MongoServerError(ErrorCodes.DollarPrefixedFieldName, `Document can't have $ prefixed field names: ${k}`);
  }
}
