// Finding the documents a command operates on: plan, filter, sort, skip and limit.
import { Collection } from '../storage';
import { View } from '../transactions';
import { compileFilter, compileSort } from '../query';
import { Doc } from '../values';

export interface MatchOptions {
  sort?: Doc;
  skip?: number;
  /** 0 or undefined: no limit */
  limit?: number;
  /** filled in with what the search looked at, for explain */
  stats?: { examined: number };
}

export function findMatches(view: View, coll: Collection | undefined, filter: Doc | undefined, opts: MatchOptions = {}): Doc[] {
  if (!coll) return [];
  const matches = compileFilter(filter);
  const cmp = compileSort(opts.sort);
  const skip = Math.max(0, opts.skip ?? 0);
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const { docs, ordered } = view.scan(coll, filter ?? {}, opts.sort);
  const stats = opts.stats ?? { examined: 0 };
  if (!cmp || ordered) {
    // Unsorted, or already in the sort's order from an index: stop as soon as enough have matched.
    const out: Doc[] = [];
    let skipped = 0;
    for (const d of docs) {
      stats.examined++;
      if (!matches(d)) continue;
      if (skipped < skip) {
        skipped++;
        continue;
      }
      out.push(d);
      if (out.length >= limit) break;
    }
    return out;
  }
  const all: Doc[] = [];
  for (const d of docs) {
    stats.examined++;
    if (matches(d)) all.push(d);
  }
  all.sort(cmp);
  return all.slice(skip, limit === Infinity ? undefined : skip + limit);
}
