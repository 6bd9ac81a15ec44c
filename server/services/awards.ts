// The award of a competition (issue 6, "Award and standstill"): reading it, proposing it, and whether the contract
// may be entered. Approval and the letters are in awards-approve.ts; challenge, resolution and cancellation in
// awards-standstill.ts. One live award per competition (models/Award.ts's unique partial index): a second proposal
// racing the first loses on E11000 and is answered as 'exists'.
import { isValidObjectId, Types } from 'mongoose';
import { Award, AwardData } from '../../models/Award';
import { SessionUser } from '../auth/guards';
import { Clock } from '../clock';
import { canEnterContract as standstillOver } from '../domain/standstill';
import { recordAudit } from './audit';
import { CompetitionRecord } from './competitions';
import { evaluatedBids, evaluationResults, RankedBid } from './evaluation';

export type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;
export type AwardRecord = AwardData & { _id: Types.ObjectId; __v?: number };

export const REASON_MAX = 5000;
export const CHARACTERISTICS_MAX = 10000;

/** The competition's live award, else its latest (cancelled) one, else null. */
export async function findAward(competitionId: unknown): Promise<AwardRecord | null> {
  if (!isValidObjectId(competitionId)) return null;
  const live = await Award.findOne({ competition: String(competitionId), live: true }).lean();
  if (live) return live as AwardRecord;
  return Award.findOne({ competition: String(competitionId) }).sort({ proposedAt: -1 }).lean() as Promise<AwardRecord | null>;
}

/** An award by id, for a network admin (any council) or a buyer of its council; else null. */
export async function findAwardFor(actor: Actor, awardId: unknown): Promise<AwardRecord | null> {
  if (!isValidObjectId(awardId)) return null;
  const award = await Award.findById(String(awardId)).lean() as AwardRecord | null;
  if (!award) return null;
  if (actor.role === 'admin') return award;
  return actor.role === 'buyer' && String(award.council) === String(actor.organisation) ? award : null;
}

/** The ranking an award starts from: undefined until the evaluation is complete. */
export async function awardRanking(competitionId: string): Promise<RankedBid[] | undefined> {
  return (await evaluationResults(competitionId))?.ranking;
}

export interface Proposal {
  bidId: string;
  reason?: string;
  characteristics: string;
}

export type ProposeOutcome =
  | { outcome: 'proposed'; awardId: string }
  | { outcome: 'not-ready' }
  | { outcome: 'cancelled' }
  | { outcome: 'exists' }
  | { outcome: 'invalid'; problems: Record<string, string> };

/** The problems of a proposal against the ranking (field name -> message), empty when it can be made. */
export function proposalProblems(ranking: RankedBid[], p: Proposal): Record<string, string> {
  const problems: Record<string, string> = {};
  const chosen = ranking.find((r) => r.bidId === p.bidId);
  if (!chosen) problems.bidId = 'Select the bid to award the contract to';
  else if (chosen.rank !== 1 && !p.reason?.trim()) problems.reason = 'Enter why the contract goes to a bid that is not ranked first';
  if (!p.characteristics.trim()) problems.characteristics = 'Enter the characteristics and relative advantages of the winning bid';
  // the characteristics go to every unsuccessful bidder: naming another bidder would disclose them
  const text = p.characteristics.toLowerCase();
  const named = ranking.find((r) => r.bidId !== p.bidId && r.supplierName.trim() && text.includes(r.supplierName.trim().toLowerCase()));
  if (named && !problems.characteristics) problems.characteristics = 'The characteristics are sent to every bidder: do not name another bidder';
  return problems;
}

/** A buyer of the owning council proposes the award once the evaluation is complete. */
export async function proposeAward(clock: Clock, actor: Actor, c: CompetitionRecord, p: Proposal): Promise<ProposeOutcome> {
  if (c.status === 'cancelled') return { outcome: 'cancelled' };
  const ranking = await awardRanking(String(c._id));
  if (!ranking) return { outcome: 'not-ready' };
  if (await Award.exists({ competition: c._id, live: true })) return { outcome: 'exists' };
  const problems = proposalProblems(ranking, p);
  if (Object.keys(problems).length) return { outcome: 'invalid', problems };
  const chosen = ranking.find((r) => r.bidId === p.bidId)!;
  const version = (await evaluatedBids(c._id)).find((b) => b.id === chosen.bidId)?.version;
  if (version === undefined) return { outcome: 'invalid', problems: { bidId: 'That bid is no longer a current submitted bid' } };
  const topRanked = chosen.rank === 1;
  const now = clock.now();
  let awardId: Types.ObjectId;
  try {
    const created = await Award.create({
      competition: c._id, council: c.council, bid: chosen.bidId, version, supplier: chosen.supplier, ruleSet: c.ruleSet,
      status: 'proposed', live: true, valuePence: chosen.pricePence, topRanked,
      reason: topRanked ? undefined : p.reason!.trim(), characteristics: p.characteristics.trim(),
      proposedBy: actor._id, proposedAt: now,
    });
    awardId = created._id;
  } catch (err: any) {
    if (err?.code === 11000) return { outcome: 'exists' };
    throw err;
  }
  await recordAudit(clock, {
    actor, action: 'award.proposed', targetType: 'Award', targetId: awardId,
    details: { competition: String(c._id), bid: chosen.bidId, version, topRanked, rank: chosen.rank },
  });
  return { outcome: 'proposed', awardId: String(awardId) };
}

/**
 * For entering the contract (engineer K): true only when the award is approved (not challenged, not cancelled)
 * and `now` is after the end of its standstill.
 */
export async function canEnterContract(awardId: unknown, now: Date): Promise<boolean> {
  if (!isValidObjectId(awardId)) return false;
  const a = await Award.findById(String(awardId)).lean();
  if (!a || a.status !== 'approved' || !a.live || !a.standstill?.end) return false;
  if (a.challenge?.at && !a.challenge.resolvedAt) return false;
  return standstillOver(a.standstill.end, now);
}
