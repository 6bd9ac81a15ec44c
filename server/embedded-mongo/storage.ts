// The committed state: databases, collections, documents and indexes, and the journal operations that rebuild it.
import { randomUUID } from 'node:crypto';
import { Binary, calculateObjectSize } from 'bson';
import { ErrorCodes, MongoServerError } from './errors';
import { Index, IndexSpec, formatKeyValue, normaliseSpec, sameOptions } from './indexes';
import { Journal } from './journal';
import { Bound } from './ordered';
import { Doc, compareValues, isPlainObject, keyOf } from './values';

export const MAX_BSON_SIZE = 16 * 1024 * 1024;

/** One change as written to the journal; replaying them in order rebuilds the state. */
export type JournalOp =
  | { o: 'put'; ns: string; d: Doc }
  | { o: 'del'; ns: string; id: unknown }
  | { o: 'cc'; ns: string; opts: Doc }
  | { o: 'dc'; ns: string }
  | { o: 'ci'; ns: string; spec: IndexSpec }
  | { o: 'di'; ns: string; name: string }
  | { o: 'dd'; db: string };

/** The journal operations of one command, persisted as one record (all or nothing). */
export class WriteBatch {
  readonly ops: JournalOp[] = [];
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  readonly db: string;
  readonly name: string;
  readonly options: Doc;
  readonly uuid = new Binary(Buffer.from(randomUUID().replace(/-/g, ''), 'hex'), Binary.SUBTYPE_UUID);
  /** keyOf(_id) -> document, in insertion (natural) order; this map is the _id index. */
  readonly docs = new Map<string, Doc>();
  /** Secondary indexes by name (the _id index is `docs`). */
  readonly indexes = new Map<string, Index>();
  /** Sequence number of the last write to each id, kept only while transactions are open. */
  readonly versions = new Map<string, number>();

  constructor(db: string, name: string, options: Doc) {
    this.db = db;
    this.name = name;
    this.options = options;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((i) => i.spec)];
  }
}

export interface Plan {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN' | 'EOF';
  indexName?: string;
}

export function validateCollectionName(db: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0 || name.includes('\0') || name.startsWith('.') || name.startsWith('system.') && name !== 'system.js') {
    throw new MongoServerError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${String(name)}`);
  }
  if (!db || /[/\\. "$\0]/.test(db)) throw new MongoServerError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
  return name;
}

export class Storage {
  readonly dbs = new Map<string, Map<string, Collection>>();
  seq = 0;
  /** Open transactions; while there are any, writes record per-document versions for conflict checks. */
  openTransactions = 0;
  /** Called with a document's committed version just before it changes while transactions are open. */
  beforeWrite?: (coll: Collection, id: string, old: Doc | undefined) => void;
  journal?: Journal;

  getCollection(db: string, name: string): Collection | undefined {
    return this.dbs.get(db)?.get(name);
  }

  collections(db: string): Collection[] {
    return [...(this.dbs.get(db)?.values() ?? [])];
  }

  createCollection(db: string, name: string, options: Doc, batch: WriteBatch): Collection {
    validateCollectionName(db, name);
    if (this.getCollection(db, name)) {
      throw new MongoServerError(ErrorCodes.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    const coll = this.rawCreateCollection(db, name, options);
    batch.ops.push({ o: 'cc', ns: coll.ns, opts: options });
    return coll;
  }

  ensureCollection(db: string, name: string, batch: WriteBatch): Collection {
    return this.getCollection(db, name) ?? this.createCollection(db, name, {}, batch);
  }

  dropCollection(db: string, name: string, batch: WriteBatch): boolean {
    const dbMap = this.dbs.get(db);
    if (!dbMap?.has(name)) return false;
    dbMap.delete(name);
    if (dbMap.size === 0) this.dbs.delete(db);
    batch.ops.push({ o: 'dc', ns: `${db}.${name}` });
    return true;
  }

  dropDatabase(db: string, batch: WriteBatch): void {
    if (!this.dbs.delete(db)) return;
    batch.ops.push({ o: 'dd', db });
  }

  /** Creates an index, building it over the existing documents; returns false if it already exists. */
  createIndex(coll: Collection, raw: Doc, batch: WriteBatch): boolean {
    const spec = normaliseSpec(raw);
    const sameKey = (s: IndexSpec) => keyOf(s.key) === keyOf(spec.key);
    for (const existing of coll.indexSpecs()) {
      if (existing.name === spec.name) {
        if (!sameKey(existing)) {
          throw new MongoServerError(ErrorCodes.IndexKeySpecsConflict,
            `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
        }
        if (existing.name === '_id_') return false;
        if (!sameOptions(existing, spec)) {
          throw new MongoServerError(ErrorCodes.IndexOptionsConflict, `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing)}`);
        }
        return false;
      }
      if (sameKey(existing) && sameOptions(existing, spec) && existing.name !== spec.name) {
        throw new MongoServerError(ErrorCodes.IndexOptionsConflict, `Index already exists with a different name: ${existing.name}`);
      }
    }
    const index = new Index(spec);
    for (const [id, doc] of coll.docs) {
      if (index.conflictFor(doc, (other) => other === id) !== undefined) throw index.duplicateError(coll.ns, doc);
      index.add(id, doc);
    }
    coll.indexes.set(spec.name, index);
    batch.ops.push({ o: 'ci', ns: coll.ns, spec });
    return true;
  }

  dropIndex(coll: Collection, name: string, batch: WriteBatch): void {
    coll.indexes.delete(name);
    batch.ops.push({ o: 'di', ns: coll.ns, name });
  }

  /** Throws the duplicate-key error `doc` would cause, ignoring ids for which `except` is true. */
  checkUnique(coll: Collection, id: string, doc: Doc, except: (other: string) => boolean = (o) => o === id): void {
    for (const index of coll.indexes.values()) {
      if (index.conflictFor(doc, except) !== undefined) throw index.duplicateError(coll.ns, doc);
    }
  }

  insert(coll: Collection, doc: Doc, batch: WriteBatch): void {
    const id = keyOf(doc._id);
    if (coll.docs.has(id)) throw idDuplicate(coll, doc);
    this.checkUnique(coll, id, doc);
    this.put(coll, id, doc);
    batch.ops.push({ o: 'put', ns: coll.ns, d: doc });
  }

  replace(coll: Collection, id: string, doc: Doc, batch: WriteBatch): void {
    this.checkUnique(coll, id, doc);
    this.put(coll, id, doc);
    batch.ops.push({ o: 'put', ns: coll.ns, d: doc });
  }

  remove(coll: Collection, id: string, batch: WriteBatch): void {
    const old = coll.docs.get(id);
    if (!old) return;
    this.put(coll, id, undefined);
    batch.ops.push({ o: 'del', ns: coll.ns, id: old._id });
  }

  /** Sets or removes a document and keeps its indexes in step; no checks. */
  put(coll: Collection, id: string, doc: Doc | undefined): void {
    const old = coll.docs.get(id);
    if (this.openTransactions > 0) this.beforeWrite?.(coll, id, old);
    if (old) for (const index of coll.indexes.values()) index.remove(id, old);
    if (doc) {
      coll.docs.set(id, doc);
      for (const index of coll.indexes.values()) index.add(id, doc);
    } else coll.docs.delete(id);
    this.seq++;
    if (this.openTransactions > 0) coll.versions.set(id, this.seq);
  }

  /** Forgets per-document versions once no transaction can need them. */
  transactionEnded(): void {
    if (this.openTransactions > 0) return;
    for (const dbMap of this.dbs.values()) for (const coll of dbMap.values()) coll.versions.clear();
  }

  /**
   * Chooses how to find the documents a filter may match: by _id, by equality on every field of an index,
   * by a range on an index's first field, by walking an index in the order of the sort, or by scanning.
   * `ordered` says the ids already come in the order `sort` asks for.
   */
  plan(coll: Collection, filter: Doc, sort?: Doc): { plan: Plan; ids?: Iterable<string>; ordered?: boolean } {
    const idValues = equalityValues(filter._id);
    if (idValues) return { plan: { stage: 'IDHACK' }, ids: idValues.map(keyOf) };
    let best: { index: Index; values: unknown[][] } | undefined;
    const usable = [...coll.indexes.values()].filter((i) => !i.spec.partialFilterExpression && !i.spec.collation && !Object.values(i.spec.key).includes('hashed'));
    for (const index of usable) {
      const values: unknown[][] = [];
      for (const f of index.fields) {
        const vals = equalityValues(filter[f]);
        if (!vals || (index.spec.sparse && vals.some((v) => v === null))) break;
        values.push(vals);
      }
      if (values.length !== index.fields.length) continue;
      if (!best || index.fields.length > best.index.fields.length) best = { index, values };
    }
    if (best) {
      const ids = new Set<string>();
      for (const combo of cartesian(best.values)) for (const id of best.index.lookup(best.index.lookupKey(combo))) ids.add(id);
      return { plan: { stage: 'IXSCAN', indexName: best.index.spec.name }, ids: [...ids] };
    }
    // Whether walking `index` gives the sort's order; `from` skips leading fields fixed by equality.
    const sortOrder = (index: Index, from = 0): 'forward' | 'reverse' | undefined => {
      if (!sort || index.multikey || index.spec.sparse) return undefined;
      const fields = Object.entries(sort);
      if (fields.length === 0 || from + fields.length > index.fields.length) return undefined;
      const same = fields.every(([f, d], i) => index.fields[from + i] === f && Number(index.spec.key[f]) === Number(d));
      const reversed = fields.every(([f, d], i) => index.fields[from + i] === f && Number(index.spec.key[f]) === -Number(d));
      return same ? 'forward' : reversed ? 'reverse' : undefined;
    };
    const isEquality = (b: RangeBounds) => !!b.lower && !!b.upper && b.lower.inclusive && b.upper.inclusive && compareValues(b.lower.value, b.upper.value) === 0;
    const rangeOrder = (index: Index, b: RangeBounds) => sortOrder(index) ?? (isEquality(b) ? sortOrder(index, 1) : undefined);
    // A range (or equality) on an index's first field; prefer an index that also gives the sort order.
    let ranged: { index: Index; bounds: RangeBounds } | undefined;
    for (const index of usable) {
      const bounds = rangeBounds(filter[index.fields[0]]);
      if (!bounds || (index.spec.sparse && bounds.matchesNull)) continue;
      if (!ranged || (rangeOrder(index, bounds) && !rangeOrder(ranged.index, ranged.bounds))) ranged = { index, bounds };
    }
    if (ranged) {
      // On a multikey index one element may satisfy the lower bound and another the upper: use one bound only.
      if (ranged.index.multikey && ranged.bounds.lower && ranged.bounds.upper) ranged.bounds = { ...ranged.bounds, upper: undefined };
      const order = rangeOrder(ranged.index, ranged.bounds);
      return {
        plan: { stage: 'IXSCAN', indexName: ranged.index.spec.name },
        ids: ranged.index.ordered.scan(ranged.bounds.lower, ranged.bounds.upper, order === 'reverse'),
        ordered: order !== undefined,
      };
    }
    // No usable condition, but an index walks the documents in the order of the sort.
    for (const index of usable) {
      const order = sortOrder(index);
      if (order) return { plan: { stage: 'IXSCAN', indexName: index.spec.name }, ids: index.ordered.scan(undefined, undefined, order === 'reverse'), ordered: true };
    }
    return { plan: { stage: 'COLLSCAN' } };
  }

  /** The documents of `coll` that `filter` may match (a superset), in natural order where scanned. */
  candidates(coll: Collection | undefined, filter: Doc): Doc[] {
    return coll ? [...this.scan(coll, filter).docs] : [];
  }

  /** Like candidates, but lazily, and in the sort's order when an index gives it (then `ordered`). */
  scan(coll: Collection, filter: Doc, sort?: Doc): { docs: Iterable<Doc>; ordered: boolean } {
    const { ids, ordered } = this.plan(coll, filter, sort);
    if (!ids) return { docs: coll.docs.values(), ordered: false };
    const docs = coll.docs;
    function* fetch(): Generator<Doc> {
      for (const id of ids!) {
        const d = docs.get(id);
        if (d) yield d;
      }
    }
    return { docs: fetch(), ordered: ordered === true };
  }

  // ---- persistence -------------------------------------------------------------------------

  rawCreateCollection(db: string, name: string, options: Doc): Collection {
    let dbMap = this.dbs.get(db);
    if (!dbMap) this.dbs.set(db, (dbMap = new Map()));
    const coll = new Collection(db, name, options);
    dbMap.set(name, coll);
    return coll;
  }

  private collectionForNs(ns: string, create: boolean): Collection | undefined {
    const dot = ns.indexOf('.');
    const db = ns.slice(0, dot);
    const name = ns.slice(dot + 1);
    return this.getCollection(db, name) ?? (create ? this.rawCreateCollection(db, name, {}) : undefined);
  }

  /** Applies a journal or snapshot record; idempotent, so replaying over a newer snapshot is safe. */
  applyOps(ops: JournalOp[]): void {
    for (const op of ops) {
      switch (op.o) {
        case 'put': {
          const coll = this.collectionForNs(op.ns, true)!;
          this.put(coll, keyOf(op.d._id), op.d);
          break;
        }
        case 'del': {
          const coll = this.collectionForNs(op.ns, false);
          if (coll) this.put(coll, keyOf(op.id), undefined);
          break;
        }
        case 'cc': {
          const dot = op.ns.indexOf('.');
          if (!this.collectionForNs(op.ns, false)) this.rawCreateCollection(op.ns.slice(0, dot), op.ns.slice(dot + 1), op.opts ?? {});
          break;
        }
        case 'dc': {
          const dot = op.ns.indexOf('.');
          const dbMap = this.dbs.get(op.ns.slice(0, dot));
          dbMap?.delete(op.ns.slice(dot + 1));
          if (dbMap && dbMap.size === 0) this.dbs.delete(op.ns.slice(0, dot));
          break;
        }
        case 'ci': {
          const coll = this.collectionForNs(op.ns, true)!;
          if (coll.indexes.has(op.spec.name)) break;
          const index = new Index(op.spec);
          for (const [id, doc] of coll.docs) index.add(id, doc);
          coll.indexes.set(op.spec.name, index);
          break;
        }
        case 'di':
          this.collectionForNs(op.ns, false)?.indexes.delete(op.name);
          break;
        case 'dd':
          this.dbs.delete(op.db);
          break;
      }
    }
  }

  /** The whole state as snapshot records: each collection, its indexes, then its documents in chunks. */
  *snapshotRecords(): Iterable<Doc> {
    for (const dbMap of this.dbs.values()) {
      for (const coll of dbMap.values()) {
        const head: JournalOp[] = [{ o: 'cc', ns: coll.ns, opts: coll.options }];
        for (const index of coll.indexes.values()) head.push({ o: 'ci', ns: coll.ns, spec: index.spec });
        yield { ops: head };
        let chunk: JournalOp[] = [];
        let size = 0;
        for (const d of coll.docs.values()) {
          chunk.push({ o: 'put', ns: coll.ns, d });
          size += calculateObjectSize(d);
          if (size > 1024 * 1024 || chunk.length >= 1000) {
            yield { ops: chunk };
            chunk = [];
            size = 0;
          }
        }
        if (chunk.length) yield { ops: chunk };
      }
    }
  }

  /** Waits until the batch's changes are on disk (no-op in memory-only mode). */
  async persist(batch: WriteBatch): Promise<void> {
    if (batch.ops.length === 0 || !this.journal) return;
    await this.journal.append({ ops: batch.ops });
  }
}

function idDuplicate(coll: Collection, doc: Doc): MongoServerError {
  return new MongoServerError(
    ErrorCodes.DuplicateKey,
    `E11000 duplicate key error collection: ${coll.ns} index: _id_ dup key: { _id: ${formatKeyValue(doc._id)} }`,
    { keyPattern: { _id: 1 }, keyValue: { _id: doc._id } },
  );
}
export { idDuplicate };

/** Values that a filter condition matches by equality only, or undefined if it is not such a condition. */
export function equalityValues(cond: unknown): unknown[] | undefined {
  if (cond === undefined) return undefined;
  if (isSimple(cond)) return [cond];
  if (isPlainObject(cond)) {
    const keys = Object.keys(cond);
    if (keys.length === 1 && keys[0] === '$eq' && isSimple(cond.$eq)) return [cond.$eq];
    if (keys.length === 1 && keys[0] === '$in' && Array.isArray(cond.$in) && cond.$in.every(isSimple)) return cond.$in;
  }
  return undefined;
}

function isSimple(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return v !== undefined;
  if (Array.isArray(v) || v instanceof RegExp) return false;
  if (isPlainObject(v)) return Object.keys(v).every((k) => !k.startsWith('$')) && Object.values(v).every((x) => x === null || typeof x !== 'object' || isSimple(x) || Array.isArray(x));
  return (v as any)._bsontype !== 'BSONRegExp';
}

function cartesian(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return out;
}


interface RangeBounds {
  lower?: Bound;
  upper?: Bound;
  /** the condition can match null or a missing field (not answerable from a sparse index) */
  matchesNull: boolean;
}

/** Bounds for a condition made only of $eq/$gt/$gte/$lt/$lte on simple values, else undefined. */
function rangeBounds(cond: unknown): RangeBounds | undefined {
  if (cond === undefined) return undefined;
  if (!isPlainObject(cond) || Object.keys(cond).some((k) => !k.startsWith('$'))) {
    const eq = equalityValues(cond);
    if (!eq || eq.length !== 1) return undefined;
    return { lower: { value: eq[0], inclusive: true }, upper: { value: eq[0], inclusive: true }, matchesNull: eq[0] === null };
  }
  const bounds: RangeBounds = { matchesNull: false };
  for (const [op, v] of Object.entries(cond)) {
    if (!isSimple(v) || v === null || (isPlainObject(v) && Object.keys(v).length > 0)) return undefined;
    if (op === '$gt' || op === '$gte') {
      if (!bounds.lower || compareValues(v, bounds.lower.value) > 0) bounds.lower = { value: v, inclusive: op === '$gte' };
    } else if (op === '$lt' || op === '$lte') {
      if (!bounds.upper || compareValues(v, bounds.upper.value) < 0) bounds.upper = { value: v, inclusive: op === '$lte' };
    } else if (op === '$eq') {
      bounds.lower = { value: v, inclusive: true };
      bounds.upper = { value: v, inclusive: true };
    } else return undefined;
  }
  return bounds.lower || bounds.upper ? bounds : undefined;
}

