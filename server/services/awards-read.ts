// Reading awards: network admins' list of proposals awaiting approval, and a bidder reading their own award letter: only their organisation's letter for the competition (the latest, if
// an award was cancelled and another made), with its first reading recorded.
import { trusted, Types } from 'mongoose';
import { Award } from '../../models/Award';
import { AwardLetter } from '../../models/AwardLetter';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { Clock } from '../clock';
import { Actor } from './awards';
import { StoredLetter } from './awards-letters';

export async function readLetter(clock: Clock, actor: Actor, competitionId: Types.ObjectId): Promise<{ letter: StoredLetter; sentAt: Date; cancelledAt?: Date; challenged: boolean; standstillNow?: Date } | null> {
  if (actor.role !== 'supplier') return null;
  const found = await AwardLetter.findOne({ competition: competitionId, supplier: actor.organisation }).sort({ sentAt: -1 }).lean();
  if (!found) return null;
  if (!found.readAt) await AwardLetter.updateOne({ _id: found._id, readAt: null } as any, { $set: { readAt: clock.now() } });
  const award = await Award.findById(found.award, { status: 1, cancellation: 1, standstill: 1 }).lean();
  const content = found.content as StoredLetter;
  const dates = (l: StoredLetter): StoredLetter => ({
    ...l, sentAt: new Date(l.sentAt), standstill: { ...l.standstill, end: new Date(l.standstill.end) },
    notice: l.notice ? { ...l.notice, publishedAt: new Date(l.notice.publishedAt), standstillEnd: new Date(l.notice.standstillEnd) } : undefined,
  });
  return { letter: dates(content), sentAt: found.sentAt, cancelledAt: award?.status === 'cancelled' ? award.cancellation?.at ?? undefined : undefined,
    challenged: award?.status === 'challenged', standstillNow: award?.standstill?.end ?? undefined,
  };
}

/** Proposed awards waiting for a second person (any council), oldest first, for network admins. */
export async function awardsAwaitingApproval(page: number, pageSize: number) {
  const filter = { status: 'proposed' as const, live: true };
  const [total, awards] = await Promise.all([
    Award.countDocuments(filter),
    Award.find(filter).sort({ proposedAt: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
  ]);
  const competitions = await Competition.find({ _id: trusted({ $in: awards.map((a) => String(a.competition)) }) } as any, { title: 1, reference: 1 }).lean();
  const councils = await Organisation.find({ _id: trusted({ $in: awards.map((a) => String(a.council)) }) } as any, { name: 1 }).lean();
  const cById = new Map(competitions.map((c) => [String(c._id), c]));
  const name = new Map(councils.map((o) => [String(o._id), o.name]));
  return {
    total,
    items: awards.map((a) => ({
      id: String(a._id), reference: cById.get(String(a.competition))?.reference ?? '', title: cById.get(String(a.competition))?.title ?? '',
      councilName: name.get(String(a.council)) ?? 'Unknown council', proposedAt: a.proposedAt,
    })),
  };
}
