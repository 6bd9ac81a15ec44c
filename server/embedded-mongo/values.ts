// BSON value semantics the engine needs beyond mingo: MongoDB's cross-type order, index keys, cloning.
import { Binary, Decimal128, Long, ObjectId, Timestamp } from 'bson';

export type Doc = Record<string, any>;

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function bsonTypeName(v: any): string | undefined {
  return v && typeof v === 'object' && typeof v._bsontype === 'string' ? v._bsontype : undefined;
}

/** Rank of a value in MongoDB's comparison order across BSON types. */
export function typeRank(v: unknown): number {
  if (v === undefined || v === null) return 2;
  if (typeof v === 'number' || typeof v === 'bigint') return 3;
  if (typeof v === 'string') return 4;
  if (typeof v === 'boolean') return 9;
  if (v instanceof Date) return 10;
  if (v instanceof RegExp) return 12;
  if (Array.isArray(v)) return 6;
  switch (bsonTypeName(v)) {
    case 'MinKey': return 1;
    case 'Long': case 'Int32': case 'Double': case 'Decimal128': return 3;
    case 'BSONSymbol': return 4;
    case 'Binary': return 7;
    case 'ObjectId': return 8;
    case 'Timestamp': return 11;
    case 'BSONRegExp': return 12;
    case 'MaxKey': return 13;
    default: return 5;
  }
}

function toNumber(v: any): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Long) return v.toNumber();
  if (v instanceof Decimal128) return Number(v.toString());
  return Number(v?.valueOf?.());
}

/** Compares two values in MongoDB order: negative, zero or positive. */
export function compareValues(a: any, b: any): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 1: case 2: case 13: return 0;
    case 3: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1;
      if (Number.isNaN(y)) return 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4: {
      const x = String(a);
      const y = String(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 5: return compareObjects(a, b);
    case 6: {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(a[i], b[i]);
        if (c !== 0) return c;
      }
      return a.length - b.length;
    }
    case 7: {
      const x = (a as Binary).buffer;
      const y = (b as Binary).buffer;
      if (x.length !== y.length) return x.length - y.length;
      return Buffer.compare(Buffer.from(x), Buffer.from(y));
    }
    case 8: return Buffer.compare(Buffer.from((a as ObjectId).id), Buffer.from((b as ObjectId).id));
    case 9: return (a ? 1 : 0) - (b ? 1 : 0);
    case 10: return (a as Date).getTime() - (b as Date).getTime();
    case 11: return (a as Timestamp).compare(b as Timestamp);
    case 12: return String(a).localeCompare(String(b));
    default: return 0;
  }
}

function compareObjects(a: Doc, b: Doc): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const t = typeRank(a[ka[i]]) - typeRank(b[kb[i]]);
    if (t !== 0) return t;
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const c = compareValues(a[ka[i]], b[kb[i]]);
    if (c !== 0) return c;
  }
  return ka.length - kb.length;
}

/**
 * A string that is equal for two values exactly when MongoDB treats them as equal in an index:
 * numbers of any type compare by value, null and missing coincide, documents keep field order.
 */
export function keyOf(v: any): string {
  if (v === undefined || v === null) return 'N';
  switch (typeof v) {
    case 'number': return Number.isNaN(v) ? 'n:NaN' : 'n:' + (Object.is(v, -0) ? 0 : v);
    case 'bigint': return 'n:' + v.toString();
    case 'string': return 's:' + JSON.stringify(v);
    case 'boolean': return v ? 'b:1' : 'b:0';
  }
  if (v instanceof Date) return 'd:' + v.getTime();
  if (Array.isArray(v)) return 'a:[' + v.map(keyOf).join(',') + ']';
  if (v instanceof RegExp) return 'r:' + JSON.stringify([v.source, v.flags]);
  switch (bsonTypeName(v)) {
    case 'ObjectId': return 'o:' + (v as ObjectId).toHexString();
    case 'Long': return 'n:' + (v as Long).toString();
    case 'Int32': case 'Double': return keyOf(v.valueOf());
    case 'Decimal128': return 'n:' + Number((v as Decimal128).toString());
    case 'Binary': return 'B:' + (v as Binary).sub_type + ':' + Buffer.from((v as Binary).buffer).toString('base64');
    case 'Timestamp': return 't:' + (v as Timestamp).toString();
    case 'MinKey': return 'min';
    case 'MaxKey': return 'max';
    case 'BSONRegExp': return 'r:' + JSON.stringify([v.pattern, v.options]);
  }
  if (isPlainObject(v) || typeof v === 'object') {
    return 'O:{' + Object.keys(v).map((k) => JSON.stringify(k) + ':' + keyOf(v[k])).join(',') + '}';
  }
  return 'x:' + String(v);
}

/** Deep copy of plain objects, arrays and dates; immutable BSON values are shared. */
export function clone<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone) as unknown as T;
  if (v instanceof Date) return new Date(v.getTime()) as unknown as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = clone((v as Doc)[k]);
    return out as T;
  }
  return v;
}

/** All values found at a dotted path, descending into arrays as MongoDB's multikey indexes do. */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out;
}

function collect(value: any, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const el of value) out.push(el);
    } else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[i];
    if (/^\d+$/.test(part) && Number(part) < value.length) {
      collect(value[Number(part)], parts, i + 1, out);
      return;
    }
    let found = false;
    for (const el of value) {
      if (el !== null && typeof el === 'object' && !Array.isArray(el)) {
        found = true;
        collect(el, parts, i, out);
      }
    }
    if (!found) out.push(undefined);
    return;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !bsonTypeName(value)) {
    collect(value[parts[i]], parts, i + 1, out);
    return;
  }
  out.push(undefined);
}

/** The single value at a dotted path without array expansion (undefined when absent). */
export function getPath(doc: unknown, path: string): unknown {
  let cur: any = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = cur[part];
  }
  return cur;
}

/** Sets a dotted path, creating intermediate documents. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: any = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur[parts[i]] === null || typeof cur[parts[i]] !== 'object') cur[parts[i]] = {};
    cur = cur[parts[i]];
  }
  cur[parts[parts.length - 1]] = value;
}

