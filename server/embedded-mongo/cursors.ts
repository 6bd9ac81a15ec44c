// Server-side cursors: results held until getMore drains them, killCursors, or an idle timeout.
import { Long, calculateObjectSize } from 'bson';
import { ErrorCodes, MongoServerError } from './errors';
import { Doc } from './values';

const MAX_BATCH_BYTES = 16 * 1024 * 1024 - 64 * 1024;
const IDLE_TIMEOUT_MS = 10 * 60_000;

interface Cursor {
  ns: string;
  docs: Doc[];
  pos: number;
  lastUsed: number;
}

export class Cursors {
  private readonly open = new Map<number, Cursor>();
  private nextId = 1 + Math.floor(Math.random() * 1e9);

  /** The first batch of a result, registering a cursor when more remain. */
  first(ns: string, docs: Doc[], batchSize: number | undefined, singleBatch = false): Doc {
    const batch = takeBatch(docs, 0, batchSize ?? 101);
    let id = 0;
    if (batch.length < docs.length && !singleBatch) {
      id = this.nextId++;
      this.open.set(id, { ns, docs, pos: batch.length, lastUsed: Date.now() });
    }
    return { cursor: { firstBatch: batch, id: Long.fromNumber(id), ns }, ok: 1 };
  }

  more(id: number, ns: string, batchSize: number | undefined): Doc {
    const c = this.open.get(id);
    if (!c) throw new MongoServerError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    if (c.ns !== ns) throw new MongoServerError(ErrorCodes.Unauthorized, `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${c.ns}`);
    const batch = takeBatch(c.docs, c.pos, batchSize ?? Number.MAX_SAFE_INTEGER);
    c.pos += batch.length;
    c.lastUsed = Date.now();
    let outId = id;
    if (c.pos >= c.docs.length) {
      this.open.delete(id);
      outId = 0;
    }
    return { cursor: { nextBatch: batch, id: Long.fromNumber(outId), ns }, ok: 1 };
  }

  kill(ids: number[]): Doc {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (this.open.delete(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  }

  reap(now = Date.now()): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }
}

function takeBatch(docs: Doc[], from: number, count: number): Doc[] {
  const out: Doc[] = [];
  let bytes = 0;
  for (let i = from; i < docs.length && out.length < count; i++) {
    const size = calculateObjectSize(docs[i]);
    if (out.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    out.push(docs[i]);
  }
  return out;
}
