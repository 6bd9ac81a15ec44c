// Secondary indexes: hash maps from key to document ids (multikey, compound, unique, sparse, partial, TTL).
import { Query } from 'mingo';
import { ErrorCodes, MongoServerError } from './errors';
import { OrderedEntries } from './ordered';
import { Doc, keyOf, valuesAtPath } from './values';

export interface IndexSpec {
  v: number;
  key: Record<string, number | string>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  expireAfterSeconds?: number;
  partialFilterExpression?: Doc;
  [option: string]: unknown;
}

/** Options that change what an index means; the rest (background, v...) are cosmetic. */
const SEMANTIC_OPTIONS = ['unique', 'sparse', 'expireAfterSeconds', 'partialFilterExpression', 'collation'];

export function normaliseSpec(raw: Doc): IndexSpec {
  if (!raw || typeof raw.key !== 'object' || raw.key === null || Object.keys(raw.key).length === 0) {
    throw new MongoServerError(ErrorCodes.FailedToParse, 'Index key pattern must be a non-empty object');
  }
  const spec: IndexSpec = { v: 2, key: raw.key, name: typeof raw.name === 'string' ? raw.name : defaultIndexName(raw.key) };
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'key' || k === 'name' || k === 'v' || k === 'background' || k === 'ns') continue;
    if (k === 'unique' || k === 'sparse') {
      if (v) spec[k] = true;
      continue;
    }
    spec[k] = v;
  }
  for (const v of Object.values(spec.key)) {
    if (typeof v === 'string' && v !== 'hashed') {
      throw new MongoServerError(ErrorCodes.CommandNotSupported, `index type '${v}' is not supported by the embedded engine`);
    }
  }
  if (spec.name === '_id_') delete spec.unique;
  return spec;
}

/** A key value as mongod prints it in E11000 messages: `"a@x.io"`, `ObjectId('…')`, `new Date(…)`, `{ a: 1 }`. */
export function formatKeyValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return v.length ? `[ ${v.map(formatKeyValue).join(', ')} ]` : '[]';
  switch ((v as any)._bsontype) {
    case 'ObjectId': return `ObjectId('${(v as any).toHexString()}')`;
    case 'Long': case 'Int32': case 'Double': case 'Decimal128': return String(v);
    case 'Binary': return `BinData(${(v as any).sub_type}, ${Buffer.from((v as any).buffer).toString('hex').toUpperCase()})`;
  }
  const entries = Object.entries(v as Doc);
  return entries.length ? `{ ${entries.map(([k, x]) => `${k}: ${formatKeyValue(x)}`).join(', ')} }` : '{}';
}

export function defaultIndexName(key: Record<string, unknown>): string {
  return Object.entries(key).map(([k, v]) => `${k}_${v}`).join('_');
}

export function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return SEMANTIC_OPTIONS.every((o) => keyOf(a[o]) === keyOf(b[o]));
}

export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  private readonly partial?: Query;
  /** index key -> ids (keyOf(_id)) of the documents carrying it */
  private readonly entries = new Map<string, Set<string>>();
  /** the same entries in key order, for range scans and sorted reads */
  readonly ordered: OrderedEntries;
  /** true once any document had an array on an indexed path (its sort order then differs from the index's) */
  multikey = false;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    if (spec.partialFilterExpression) this.partial = new Query(spec.partialFilterExpression);
    this.ordered = new OrderedEntries(Object.values(spec.key).map((d) => (Number(d) === -1 ? -1 : 1)));
  }

  /**
   * The distinct key tuples (values in field order, missing as null) of a document, [] when it is not in
   * this index (a partial filter it fails, or a sparse index and none of the fields present).
   */
  tuplesOf(doc: Doc): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    const raw = this.fields.map((f) => valuesAtPath(doc, f));
    if (this.spec.sparse && raw.every((vals) => vals.every((v) => v === undefined))) return [];
    let tuples: unknown[][] = [[]];
    for (const vals of raw) {
      const distinct = new Map<string, unknown>();
      for (const v of vals) distinct.set(keyOf(v), v === undefined ? null : v);
      tuples = tuples.flatMap((prefix) => [...distinct.values()].map((v) => [...prefix, v]));
    }
    return tuples;
  }

  get unique(): boolean {
    return this.spec.unique === true || this.spec.name === '_id_';
  }

  get size(): number {
    return this.entries.size;
  }

  /** The distinct index keys of a document, or [] when the document is not in this index. */
  keysOf(doc: Doc): string[] {
    return [...new Set(this.tuplesOf(doc).map((t) => this.lookupKey(t)))];
  }

  /** Key for an equality lookup on every field of this index (values in field order). */
  lookupKey(values: unknown[]): string {
    const parts = values.map(keyOf);
    return parts.length === 1 ? parts[0] : JSON.stringify(parts);
  }

  lookup(key: string): Iterable<string> {
    return this.entries.get(key) ?? [];
  }

  add(id: string, doc: Doc): void {
    const tuples = this.tuplesOf(doc);
    if (!this.multikey && this.fields.some((f) => hasArrayOnPath(doc, f))) this.multikey = true;
    this.ordered.add(id, tuples);
    for (const k of new Set(tuples.map((t) => this.lookupKey(t)))) {
      let set = this.entries.get(k);
      if (!set) this.entries.set(k, (set = new Set()));
      set.add(id);
    }
  }

  remove(id: string, doc: Doc): void {
    this.ordered.remove(id);
    for (const k of this.keysOf(doc)) {
      const set = this.entries.get(k);
      if (!set) continue;
      set.delete(id);
      if (set.size === 0) this.entries.delete(k);
    }
  }

  /**
   * The id of another document that already holds one of `doc`'s keys in this unique index,
   * ignoring the ids in `except` (the document itself, or ones a transaction has replaced).
   */
  conflictFor(doc: Doc, except: (id: string) => boolean): string | undefined {
    if (!this.unique) return undefined;
    for (const k of this.keysOf(doc)) {
      const set = this.entries.get(k);
      if (!set) continue;
      for (const id of set) if (!except(id)) return id;
    }
    return undefined;
  }

  /** The E11000 error MongoDB returns for a duplicate in this index. */
  duplicateError(ns: string, doc: Doc): MongoServerError {
    const keyValue: Doc = {};
    for (const f of this.fields) {
      const vals = valuesAtPath(doc, f);
      keyValue[f] = vals.length === 1 ? (vals[0] ?? null) : vals;
    }
    const shown = Object.entries(keyValue).map(([k, v]) => `${k}: ${formatKeyValue(v)}`).join(', ');
    return new MongoServerError(
      ErrorCodes.DuplicateKey,
      `E11000 duplicate key error collection: ${ns} index: ${this.spec.name} dup key: { ${shown} }`,
      { keyPattern: { ...this.spec.key }, keyValue },
    );
  }
}

/** Whether any step of a dotted path holds an array (the document makes the index multikey). */
function hasArrayOnPath(doc: unknown, path: string): boolean {
  let cur: any = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur)) return true;
    if (cur === null || typeof cur !== 'object') return false;
    cur = cur[part];
  }
  return Array.isArray(cur);
}
