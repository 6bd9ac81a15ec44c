// Moderation and results: the lead sets a consensus score with a rationale per bid per criterion (individual scores
// stay as they were), the ranking is computed from the consensus scores and the prices read from the opened bids,
// the buyer orders bids still tied, and completing the evaluation fixes the ranking the award starts from.
import { Evaluation } from '../../models/Evaluation';
import { ModeratedScore } from '../../models/ModeratedScore';
import { SessionUser } from '../auth/guards';
import { Clock } from '../clock';
import { handScored, moderationRefusal, ModerationRefusal } from '../domain/evaluationRules';
import { ScoringResult } from '../domain/scoring';
import { Keyring } from '../sealing/keyring';
import { recordAudit } from './audit';
import { CompetitionRecord } from './competitions';
import { consensusMissing, consensusScores, EvaluatedBid, evaluatedBids, EvaluationRecord, panelOf, rankWith, scoringCriteria } from './evaluation';
import { readOpenedBid } from './tenderBox';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;

export interface ConsensusInput {
  criterion: string;
  score: number;
  rationale: string;
}

export type ModerateOutcome = { outcome: 'saved' } | { outcome: 'refused'; reason: ModerationRefusal | 'not-allowed' };

/** Sets the consensus scores of one bid (all its hand-scored criteria at once). */
export async function moderateBid(clock: Clock, actor: Actor, c: CompetitionRecord, e: EvaluationRecord, bidId: string, scores: ConsensusInput[]): Promise<ModerateOutcome> {
  const reason = moderationRefusal(panelOf(e), String(actor._id), bidId);
  if (reason) return { outcome: 'refused', reason };
  const allowed = new Set(handScored(scoringCriteria(c)).map((k) => k.id));
  if (scores.some((s) => !allowed.has(s.criterion) || !Number.isInteger(s.score) || s.score < 0 || s.score > (e.scaleMax ?? 4))) return { outcome: 'refused', reason: 'not-allowed' };
  const now = clock.now();
  const before = await consensusScores(c._id);
  for (const s of scores) {
    await ModeratedScore.updateOne(
      { competition: c._id, bid: bidId, criterion: s.criterion },
      { $set: { score: s.score, rationale: s.rationale, by: actor._id, at: now } },
      { upsert: true },
    );
  }
  await recordAudit(clock, {
    actor, action: 'evaluation.consensus-set', targetType: 'Bid', targetId: bidId,
    details: { competition: String(c._id), bid: bidId, scores: scores.map((s) => ({ criterion: s.criterion, score: s.score, was: before.get(`${bidId}:${s.criterion}`)?.score })) },
  });
  return { outcome: 'saved' };
}

export type ResultsOutcome =
  | { outcome: 'ok'; result: ScoringResult; bids: EvaluatedBid[]; prices: Map<string, number | null> }
  | { outcome: 'not-ready'; missing: number }
  | { outcome: 'unreadable' };

/** Each bid's price from its opened content, each read audited under `actor`. */
async function readPrices(clock: Clock, keyring: Keyring, actor: Actor, c: CompetitionRecord, bids: EvaluatedBid[]): Promise<Map<string, number | null> | undefined> {
  const prices = new Map<string, number | null>();
  for (const b of bids) {
    const read = await readOpenedBid(clock, keyring, actor, String(c._id), b.id);
    if (read.outcome !== 'ok') return undefined;
    prices.set(b.id, read.bid.content.price.totalPence);
  }
  return prices;
}

/** The ranking once every consensus score is set: from the saved prices when complete, else read now (audited). */
export async function evaluationRanking(clock: Clock, keyring: Keyring, actor: Actor, c: CompetitionRecord, e: EvaluationRecord): Promise<ResultsOutcome> {
  const bids = await evaluatedBids(c._id);
  const missing = consensusMissing(c, bids, await consensusScores(c._id));
  if (missing > 0 || bids.length === 0) return { outcome: 'not-ready', missing };
  const prices = e.prices?.length
    ? new Map(e.prices.map((p) => [String(p.bid), p.pricePence as number | null]))
    : scoringCriteria(c).some((k) => k.kind === 'price') ? await readPrices(clock, keyring, actor, c, bids) : new Map<string, number | null>();
  if (!prices) return { outcome: 'unreadable' };
  return { outcome: 'ok', result: await rankWith(c, e, bids, prices), bids, prices };
}

export type TieBreakOutcome = { outcome: 'saved' } | { outcome: 'refused'; reason: 'completed' | 'no-tie' | 'not-ready' } | { outcome: 'invalid'; message: string };

/** Records the buyer's order for bids tied on total and quality (`order`: every tied bid id, best first per group). */
export async function recordTieBreak(clock: Clock, keyring: Keyring, actor: Actor, c: CompetitionRecord, e: EvaluationRecord, order: string[], reason: string): Promise<TieBreakOutcome> {
  if (e.completedAt) return { outcome: 'refused', reason: 'completed' };
  const ranked = await evaluationRanking(clock, keyring, actor, c, { ...e, tieBreak: undefined } as EvaluationRecord);
  if (ranked.outcome !== 'ok' || !ranked.result.ok) return { outcome: 'refused', reason: 'not-ready' };
  const tied = ranked.result.ties.flat();
  if (tied.length === 0) return { outcome: 'refused', reason: 'no-tie' };
  if (order.length !== tied.length || !tied.every((id) => order.includes(id))) return { outcome: 'invalid', message: 'Put every tied bid in order' };
  const res = await Evaluation.updateOne(
    { _id: e._id, completedAt: null } as any,
    { $set: { tieBreak: { order, reason, by: actor._id, at: clock.now() } }, $inc: { __v: 1 } },
  );
  if (res.matchedCount === 0) return { outcome: 'refused', reason: 'completed' };
  await recordAudit(clock, { actor, action: 'evaluation.tie-broken', targetType: 'Competition', targetId: c._id, details: { reference: c.reference, ties: ranked.result.ties, order, reason } });
  return { outcome: 'saved' };
}

export type CompleteOutcome = { outcome: 'completed' } | { outcome: 'refused'; reason: 'completed' | 'not-ready' | 'tied' };

/** Completes the evaluation: every consensus score set and no unresolved tie. The prices ranked on are kept. */
export async function completeEvaluation(clock: Clock, keyring: Keyring, actor: Actor, c: CompetitionRecord, e: EvaluationRecord): Promise<CompleteOutcome> {
  if (e.completedAt) return { outcome: 'refused', reason: 'completed' };
  const ranked = await evaluationRanking(clock, keyring, actor, c, e);
  if (ranked.outcome !== 'ok' || !ranked.result.ok) return { outcome: 'refused', reason: 'not-ready' };
  if (ranked.result.ties.length) return { outcome: 'refused', reason: 'tied' };
  const now = clock.now();
  const prices = ranked.bids.map((b) => ({ bid: b.id, pricePence: ranked.prices.get(b.id) ?? 0 }));
  const res = await Evaluation.updateOne(
    { _id: e._id, completedAt: null, __v: e.__v } as any,
    { $set: { completedAt: now, completedBy: actor._id, prices }, $inc: { __v: 1 } },
  );
  if (res.matchedCount === 0) return { outcome: 'refused', reason: 'completed' };
  await recordAudit(clock, {
    actor, action: 'evaluation.completed', targetType: 'Competition', targetId: c._id,
    details: { reference: c.reference, ranking: ranked.result.ranking.map((r) => ({ bid: r.id, rank: r.rank, total: r.totalPoints })), winner: ranked.result.winner },
  });
  return { outcome: 'completed' };
}
