// The ordered side of an index: its entries sorted by key in BSON order, for range scans and sorted reads.
// Kept lazily: changes are logged and applied (or the array rebuilt) when an ordered read needs it,
// so bulk loads cost one sort rather than one array insertion each.
import { compareValues } from './values';

export interface Entry {
  key: unknown[];
  id: string;
}

export interface Bound {
  value: unknown;
  inclusive: boolean;
}

const REBUILD_AFTER = 512;

export class OrderedEntries {
  private readonly dirs: number[];
  /** id -> its key tuples (several for a multikey document) */
  private readonly byId = new Map<string, unknown[][]>();
  private sorted: Entry[] | undefined;
  private log: Array<{ add: boolean; id: string; keys: unknown[][] }> = [];

  constructor(dirs: number[]) {
    this.dirs = dirs;
  }

  add(id: string, keys: unknown[][]): void {
    if (keys.length === 0) return;
    this.byId.set(id, keys);
    if (this.sorted) this.log.push({ add: true, id, keys });
  }

  remove(id: string): void {
    const keys = this.byId.get(id);
    if (!keys) return;
    this.byId.delete(id);
    if (this.sorted) this.log.push({ add: false, id, keys });
  }

  private compare = (a: unknown[], b: unknown[]): number => {
    for (let i = 0; i < this.dirs.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return c * this.dirs[i];
    }
    return 0;
  };

  private entries(): Entry[] {
    if (!this.sorted || this.log.length > REBUILD_AFTER) {
      const all: Entry[] = [];
      for (const [id, keys] of this.byId) for (const key of keys) all.push({ key, id });
      all.sort((a, b) => this.compare(a.key, b.key) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sorted = all;
      this.log = [];
      return all;
    }
    const sorted = this.sorted;
    for (const change of this.log) {
      for (const key of change.keys) {
        let i = firstIndex(sorted, (e) => this.compare(e.key, key) >= 0);
        if (change.add) sorted.splice(i, 0, { key, id: change.id });
        else {
          while (i < sorted.length && this.compare(sorted[i].key, key) === 0 && sorted[i].id !== change.id) i++;
          if (i < sorted.length && sorted[i].id === change.id) sorted.splice(i, 1);
        }
      }
    }
    this.log = [];
    return sorted;
  }

  /**
   * Ids whose first key field lies between the bounds, in index order (or reversed), each once.
   * With no bounds: every id in order.
   */
  *scan(lower: Bound | undefined, upper: Bound | undefined, reverse = false): Generator<string> {
    const sorted = this.entries();
    const k0 = (e: Entry) => e.key[0];
    let start = 0;
    let end = sorted.length;
    if (this.dirs[0] === 1) {
      if (lower) start = firstIndex(sorted, (e) => (lower.inclusive ? compareValues(k0(e), lower.value) >= 0 : compareValues(k0(e), lower.value) > 0));
      if (upper) end = firstIndex(sorted, (e) => (upper.inclusive ? compareValues(k0(e), upper.value) > 0 : compareValues(k0(e), upper.value) >= 0));
    } else {
      if (upper) start = firstIndex(sorted, (e) => (upper.inclusive ? compareValues(k0(e), upper.value) <= 0 : compareValues(k0(e), upper.value) < 0));
      if (lower) end = firstIndex(sorted, (e) => (lower.inclusive ? compareValues(k0(e), lower.value) < 0 : compareValues(k0(e), lower.value) <= 0));
    }
    const seen = new Set<string>();
    if (!reverse) {
      for (let i = start; i < end; i++) if (!seen.has(sorted[i].id)) yield (seen.add(sorted[i].id), sorted[i].id);
    } else {
      for (let i = end - 1; i >= start; i--) if (!seen.has(sorted[i].id)) yield (seen.add(sorted[i].id), sorted[i].id);
    }
  }
}

/** The first index at which a monotonic predicate (false...false true...true) holds. */
function firstIndex<T>(arr: T[], pred: (x: T) => boolean): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(arr[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
