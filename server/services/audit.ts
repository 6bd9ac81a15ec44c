// The audit trail: every decision appended as an event whose hash chains to the one before.
import { createHash } from 'node:crypto';
import { AuditEvent } from '../../models/AuditEvent';
import { Clock } from '../clock';

export interface AuditInput {
  actor?: { _id: unknown; role?: string } | null;
  action: string;
  targetType?: string;
  targetId?: unknown;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);

function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (typeof value === 'object') {
    if (typeof (value as any).toHexString === 'function') return JSON.stringify((value as any).toHexString());
    const keys = Object.keys(value as object).filter((k) => (value as any)[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical((value as any)[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

export function eventHash(event: { seq: number; at: Date; actor?: unknown; actorRole?: unknown; action: string; targetType?: unknown; targetId?: unknown; details?: unknown }, prevHash: string): string {
  const body = canonical({
    seq: event.seq, at: event.at, actor: event.actor ?? null, actorRole: event.actorRole ?? null, action: event.action,
    targetType: event.targetType ?? null, targetId: event.targetId ?? null, details: event.details ?? null,
  });
  return createHash('sha256').update(body).update(prevHash).digest('hex');
}

/** Appends an event; concurrent writers retry on the unique seq, so the chain never forks. */
export async function recordAudit(clock: Clock, input: AuditInput): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const last = await AuditEvent.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS;
    const event = {
      seq,
      at: clock.now(),
      actor: (input.actor?._id ?? undefined) as any,
      actorRole: input.actor?.role,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId === undefined ? undefined : String(input.targetId),
      details: input.details,
    };
    try {
      await AuditEvent.create({ ...event, prevHash, hash: eventHash(event, prevHash) });
      return;
    } catch (err: any) {
      if (err?.code !== 11000) throw err;
    }
  }
  throw new Error('could not append to the audit trail: too much contention');
}

/** Recomputes the chain; returns the first seq that does not verify, or undefined if all do. */
export async function verifyAuditChain(): Promise<number | undefined> {
  let prevHash = GENESIS;
  let expected = 1;
  for await (const e of AuditEvent.find().sort({ seq: 1 }).lean().cursor()) {
    if (e.seq !== expected || e.prevHash !== prevHash || eventHash(e as any, prevHash) !== e.hash) return expected;
    prevHash = e.hash;
    expected++;
  }
  return undefined;
}
