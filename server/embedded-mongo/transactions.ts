// Logical sessions, retryable-write replies and multi-document transactions with snapshot-style isolation:
// a transaction's writes live in its own overlay until commit; conflicting writers get WriteConflict (112).
import { ErrorCodes, MongoServerError, writeConflict } from './errors';
import { Collection, Storage, WriteBatch, idDuplicate } from './storage';
import { Doc, keyOf } from './values';

export class Transaction {
  readonly txnNumber: number;
  readonly startSeq: number;
  state: 'active' | 'committed' | 'aborted' = 'active';
  /** Per collection: id -> new document, or null for a deletion. */
  readonly overlay = new Map<Collection, Map<string, Doc | null>>();
  /**
   * Per collection: id -> the committed version as of this transaction's start (undefined: absent),
   * kept for documents others changed since, so reads see one snapshot as in mongod.
   */
  readonly before = new Map<Collection, Map<string, Doc | undefined>>();
  readonly locks: string[] = [];
  lastUsed = Date.now();

  constructor(txnNumber: number, startSeq: number) {
    this.txnNumber = txnNumber;
    this.startSeq = startSeq;
  }
}

interface SessionState {
  txn?: Transaction;
  /** The highest txnNumber seen, and the reply to the retryable write that carried it. */
  txnNumber: number;
  retryReply?: Doc;
  lastUsed: number;
}

const TXN_LIFETIME_MS = 60_000;

export class Sessions {
  private readonly sessions = new Map<string, SessionState>();
  /** ns + id -> the transaction holding a write lock on that document */
  private readonly locks = new Map<string, Transaction>();
  private readonly active = new Set<Transaction>();
  private readonly storage: Storage;

  constructor(storage: Storage) {
    this.storage = storage;
    storage.beforeWrite = (coll, id, old) => {
      for (const txn of this.active) {
        let m = txn.before.get(coll);
        if (!m) txn.before.set(coll, (m = new Map()));
        if (!m.has(id)) m.set(id, old);
      }
    };
  }

  session(lsid: Doc): SessionState {
    const key = keyOf(lsid.id);
    let s = this.sessions.get(key);
    if (!s) this.sessions.set(key, (s = { txnNumber: -1, lastUsed: Date.now() }));
    s.lastUsed = Date.now();
    return s;
  }

  end(lsid: Doc): void {
    const key = keyOf(lsid?.id);
    const s = this.sessions.get(key);
    if (s?.txn?.state === 'active') this.abort(s.txn);
    this.sessions.delete(key);
  }

  /** The transaction a statement belongs to, starting one when the statement says so. */
  transactionFor(lsid: Doc, txnNumber: number, start: boolean): Transaction {
    const s = this.session(lsid);
    if (txnNumber < s.txnNumber) {
      throw new MongoServerError(ErrorCodes.TransactionTooOld, `Cannot start transaction ${txnNumber} on session because a newer transaction ${s.txnNumber} has already started`);
    }
    if (start) {
      if (s.txn?.state === 'active') this.abort(s.txn);
      s.txnNumber = txnNumber;
      s.txn = new Transaction(txnNumber, this.storage.seq);
      this.active.add(s.txn);
      this.storage.openTransactions++;
      return s.txn;
    }
    if (!s.txn || s.txn.txnNumber !== txnNumber || s.txn.state !== 'active') {
      throw noSuchTransaction(txnNumber);
    }
    s.txn.lastUsed = Date.now();
    return s.txn;
  }

  /** For commitTransaction / abortTransaction: the session's transaction with that number, in any state. */
  existing(lsid: Doc, txnNumber: number): Transaction {
    const s = this.session(lsid);
    if (!s.txn || s.txn.txnNumber !== txnNumber) throw noSuchTransaction(txnNumber);
    return s.txn;
  }

  lockFor(txn: Transaction, coll: Collection, id: string): void {
    const key = coll.ns + '\0' + id;
    const owner = this.locks.get(key);
    if (owner && owner !== txn) throw writeConflict();
    if ((coll.versions.get(id) ?? 0) > txn.startSeq) throw writeConflict();
    if (!owner) {
      this.locks.set(key, txn);
      txn.locks.push(key);
    }
  }

  private finish(txn: Transaction, state: 'committed' | 'aborted'): void {
    if (txn.state !== 'active') return;
    txn.state = state;
    for (const key of txn.locks) if (this.locks.get(key) === txn) this.locks.delete(key);
    txn.overlay.clear();
    txn.before.clear();
    this.active.delete(txn);
    this.storage.openTransactions--;
    this.storage.transactionEnded();
  }

  abort(txn: Transaction): void {
    this.finish(txn, 'aborted');
  }

  /** Applies the overlay to the committed state atomically, or aborts with a transient error. */
  commit(txn: Transaction, batch: WriteBatch): void {
    if (txn.state === 'committed') return;
    if (txn.state === 'aborted') throw noSuchTransaction(txn.txnNumber);
    const undo: Array<[Collection, string, Doc | undefined]> = [];
    try {
      for (const [coll, changes] of txn.overlay) {
        for (const id of changes.keys()) if ((coll.versions.get(id) ?? 0) > txn.startSeq) throw writeConflict();
      }
      for (const [coll, changes] of txn.overlay) {
        for (const [id, doc] of changes) {
          const old = coll.docs.get(id);
          if (doc === null) {
            if (!old) continue;
            undo.push([coll, id, old]);
            this.storage.put(coll, id, undefined);
            batch.ops.push({ o: 'del', ns: coll.ns, id: old._id });
          } else {
            this.storage.checkUnique(coll, id, doc);
            undo.push([coll, id, old]);
            this.storage.put(coll, id, doc);
            batch.ops.push({ o: 'put', ns: coll.ns, d: doc });
          }
        }
      }
    } catch (err) {
      for (const [coll, id, old] of undo.reverse()) this.storage.put(coll, id, old);
      batch.ops.length = 0;
      this.abort(txn);
      throw err instanceof MongoServerError && err.code === ErrorCodes.DuplicateKey ? writeConflict() : err;
    }
    this.finish(txn, 'committed');
  }

  /** Aborts transactions left idle past their lifetime, as mongod does, so their locks are released. */
  reap(now = Date.now()): void {
    for (const [key, s] of this.sessions) {
      if (s.txn?.state === 'active' && now - s.txn.lastUsed > TXN_LIFETIME_MS) this.abort(s.txn);
      if (now - s.lastUsed > 30 * 60_000 && s.txn?.state !== 'active') this.sessions.delete(key);
    }
  }
}

function noSuchTransaction(txnNumber: number): MongoServerError {
  return new MongoServerError(ErrorCodes.NoSuchTransaction, `Transaction with { txnNumber: ${txnNumber} } has been aborted.`, {}, ['TransientTransactionError']);
}

/**
 * What one command sees and changes: the committed state, or inside a transaction the committed
 * state overlaid with the transaction's own writes.
 */
export class View {
  readonly storage: Storage;
  readonly txn?: Transaction;
  private readonly sessions: Sessions;

  constructor(storage: Storage, sessions: Sessions, txn?: Transaction) {
    this.storage = storage;
    this.sessions = sessions;
    this.txn = txn;
  }

  /** Candidate documents for a filter (a superset of the matches). */
  candidates(coll: Collection | undefined, filter: Doc): Doc[] {
    let base = this.storage.candidates(coll, filter);
    const before = coll && this.txn?.before.get(coll);
    if (before) {
      // Others committed changes since this transaction started: read their versions as of the start.
      const snapshot = new Map(coll.docs);
      for (const [id, old] of before) {
        if (old) snapshot.set(id, old);
        else snapshot.delete(id);
      }
      base = [...snapshot.values()];
    }
    const overlay = coll && this.txn?.overlay.get(coll);
    if (!overlay) return base;
    const out: Doc[] = [];
    const seen = new Set<string>();
    for (const d of base) {
      const id = keyOf(d._id);
      seen.add(id);
      if (overlay.has(id)) {
        const o = overlay.get(id);
        if (o) out.push(o);
      } else out.push(d);
    }
    for (const [id, o] of overlay) if (o && !seen.has(id)) out.push(o);
    return out;
  }

  /** Candidates lazily, in the sort's order when an index gives it; a transaction's own view is never pre-ordered. */
  scan(coll: Collection, filter: Doc, sort?: Doc): { docs: Iterable<Doc>; ordered: boolean } {
    if (this.txn && (this.txn.overlay.has(coll) || this.txn.before.has(coll))) return { docs: this.candidates(coll, filter), ordered: false };
    return this.storage.scan(coll, filter, sort);
  }

  get(coll: Collection, id: string): Doc | undefined {
    const overlay = this.txn?.overlay.get(coll);
    if (overlay?.has(id)) return overlay.get(id) ?? undefined;
    const before = this.txn?.before.get(coll);
    if (before?.has(id)) return before.get(id);
    return coll.docs.get(id);
  }

  insert(coll: Collection, doc: Doc, batch: WriteBatch): void {
    if (!this.txn) return this.storage.insert(coll, doc, batch);
    const id = keyOf(doc._id);
    if (this.get(coll, id)) throw idDuplicate(coll, doc);
    this.checkUniqueInTxn(coll, id, doc);
    this.sessions.lockFor(this.txn, coll, id);
    this.overlayOf(coll).set(id, doc);
  }

  replace(coll: Collection, id: string, doc: Doc, batch: WriteBatch): void {
    if (!this.txn) return this.storage.replace(coll, id, doc, batch);
    this.checkUniqueInTxn(coll, id, doc);
    this.sessions.lockFor(this.txn, coll, id);
    this.overlayOf(coll).set(id, doc);
  }

  remove(coll: Collection, id: string, batch: WriteBatch): void {
    if (!this.txn) return this.storage.remove(coll, id, batch);
    this.sessions.lockFor(this.txn, coll, id);
    this.overlayOf(coll).set(id, null);
  }

  private overlayOf(coll: Collection): Map<string, Doc | null> {
    let m = this.txn!.overlay.get(coll);
    if (!m) this.txn!.overlay.set(coll, (m = new Map()));
    return m;
  }

  private checkUniqueInTxn(coll: Collection, id: string, doc: Doc): void {
    const overlay = this.txn!.overlay.get(coll);
    this.storage.checkUnique(coll, id, doc, (other) => other === id || (overlay?.has(other) ?? false));
    if (!overlay) return;
    for (const index of coll.indexes.values()) {
      if (!index.unique) continue;
      const keys = new Set(index.keysOf(doc));
      if (keys.size === 0) continue;
      for (const [other, odoc] of overlay) {
        if (other === id || !odoc) continue;
        if (index.keysOf(odoc).some((k) => keys.has(k))) throw index.duplicateError(coll.ns, doc);
      }
    }
  }
}
