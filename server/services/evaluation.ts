// Evaluating a competition's opened bids: reading the evaluation's state (the panel, the bids, the scores saved),
// and the final ranking the award starts from. The steps that change state are in evaluation-panel.ts,
// evaluation-scoring.ts and evaluation-moderation.ts; who may see what is server/domain/evaluationRules.ts.
import { isValidObjectId, trusted, Types } from 'mongoose';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { Evaluation, EvaluationData } from '../../models/Evaluation';
import { EvaluatorScore } from '../../models/EvaluatorScore';
import { ModeratedScore } from '../../models/ModeratedScore';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { handScored, PanelFacts } from '../domain/evaluationRules';
import { CriterionKind } from '../domain/tenderRules';
import { scoreBids, ScoringCriterion, ScoringResult } from '../domain/scoring';
import { CompetitionRecord } from './competitions';

export type EvaluationRecord = EvaluationData & { _id: Types.ObjectId; __v?: number };
type Id = Types.ObjectId | string;

/** A bid being evaluated: its current submitted version (never its content) and who sent it. */
export interface EvaluatedBid {
  id: string;
  supplier: string;
  supplierName: string;
  version: number;
}

export async function findEvaluation(competitionId: Id): Promise<EvaluationRecord | null> {
  return Evaluation.findOne({ competition: competitionId }).lean() as Promise<EvaluationRecord | null>;
}

/** The panel as the pure rules read it. */
export function panelOf(e: EvaluationRecord): PanelFacts {
  return {
    lead: String(e.lead),
    scaleMax: e.scaleMax ?? 4,
    completedAt: e.completedAt,
    members: e.evaluators.map((m) => ({
      user: String(m.user),
      declaredAt: m.declaredAt,
      removedAt: m.removedAt,
      submittedAt: m.submittedAt,
      conflictBids: m.conflicts.filter((k) => k.bid).map((k) => String(k.bid)),
    })),
  };
}

/** Each supplier's current submitted bid (withdrawn ones left out), in supplier name order. */
export async function evaluatedBids(competitionId: Id): Promise<EvaluatedBid[]> {
  const bids = await Bid.find({ competition: competitionId, 'versions.status': 'submitted' }, { supplier: 1, 'versions.n': 1, 'versions.status': 1 }).lean();
  const orgs = await Organisation.find({ _id: trusted({ $in: bids.map((b) => String(b.supplier)) }) } as any, { name: 1 }).lean();
  const name = new Map(orgs.map((o) => [String(o._id), o.name]));
  return bids.flatMap((b) => {
    const v = (b as unknown as { versions: Array<{ n: number; status: string }> }).versions.find((x) => x.status === 'submitted');
    return v ? [{ id: String(b._id), supplier: String(b.supplier), supplierName: name.get(String(b.supplier)) ?? 'Unknown supplier', version: v.n }] : [];
  }).sort((a, b) => a.supplierName.localeCompare(b.supplierName) || a.id.localeCompare(b.id));
}

/** The council's active buyers, who may be named as evaluators. */
export async function councilBuyers(council: Id): Promise<Array<{ id: string; name: string; email: string }>> {
  const users = await User.find({ organisation: council, role: 'buyer', status: 'active' }, { name: 1, email: 1 }).sort({ name: 1, email: 1 }).lean();
  return users.map((u) => ({ id: String(u._id), name: u.name, email: u.email }));
}

export async function userNames(ids: string[]): Promise<Map<string, string>> {
  const users = await User.find({ _id: trusted({ $in: ids.filter((i) => isValidObjectId(i)) }) } as any, { name: 1, email: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), `${u.name} (${u.email})`]));
}

export const scoringCriteria = (c: CompetitionRecord): ScoringCriterion[] =>
  c.criteria.map((k) => ({ id: String(k._id), name: k.name, kind: k.kind as CriterionKind, weight: k.weight }));

export async function scoresSavedCount(competitionId: Id): Promise<number> {
  return EvaluatorScore.countDocuments({ competition: competitionId });
}

/** The consensus scores set so far, by `${bid}:${criterion}`. */
export async function consensusScores(competitionId: Id) {
  const rows = await ModeratedScore.find({ competition: competitionId }).lean();
  return new Map(rows.map((r) => [`${r.bid}:${r.criterion}`, r]));
}

/** How many consensus scores are still to set (every bid x every hand-scored criterion). */
export function consensusMissing(c: CompetitionRecord, bids: EvaluatedBid[], set: Map<string, unknown>): number {
  return bids.reduce((n, b) => n + handScored(scoringCriteria(c)).filter((k) => !set.has(`${b.id}:${k.id}`)).length, 0);
}

/** The ranking from the consensus scores and the given prices (bid id -> pence), with the buyer's tie-break order. */
export async function rankWith(c: CompetitionRecord, e: EvaluationRecord, bids: EvaluatedBid[], prices: Map<string, number | null>): Promise<ScoringResult> {
  const set = await consensusScores(c._id);
  const criteria = scoringCriteria(c);
  return scoreBids({
    criteria,
    scaleMax: e.scaleMax ?? 4,
    tieBreak: e.tieBreak?.order?.map(String),
    bids: bids.map((b) => ({
      id: b.id,
      pricePence: prices.get(b.id),
      scores: Object.fromEntries(handScored(criteria).map((k) => [k.id, set.get(`${b.id}:${k.id}`)?.score ?? null])),
    })),
  });
}

export interface RankedBid {
  bidId: string;
  supplier: string;
  supplierName: string;
  pricePence: number;
  rank: number;
  /** the total out of 100, rounded to 2 decimal places */
  total: number;
  criteria: Array<{ criterionId: string; name: string; kind: CriterionKind; weight: number; score?: number; pricePence?: number; points: number; rationale?: string }>;
}

export async function isEvaluationComplete(competitionId: string): Promise<boolean> {
  if (!isValidObjectId(competitionId)) return false;
  return !!(await Evaluation.exists({ competition: competitionId, completedAt: trusted({ $ne: null }) } as any));
}

/**
 * The final ranking of a completed evaluation (best first), for the award: each bid's supplier, price, weighted
 * points and consensus rationale per criterion, total and rank. Undefined until the evaluation is complete.
 */
export async function evaluationResults(competitionId: string): Promise<{ ranking: RankedBid[]; winner?: string; completedAt: Date } | undefined> {
  if (!isValidObjectId(competitionId)) return undefined;
  const e = await Evaluation.findOne({ competition: competitionId, completedAt: trusted({ $ne: null }) } as any).lean() as EvaluationRecord | null;
  if (!e) return undefined;
  const c = await Competition.findById(competitionId).lean() as CompetitionRecord | null;
  if (!c) return undefined;
  const bids = (await evaluatedBids(competitionId)).filter((b) => (e.prices ?? []).some((p) => String(p.bid) === b.id));
  const prices = new Map((e.prices ?? []).map((p) => [String(p.bid), p.pricePence]));
  const result = await rankWith(c, e, bids, prices);
  if (!result.ok) return undefined;
  const set = await consensusScores(c._id);
  const byId = new Map(bids.map((b) => [b.id, b]));
  return {
    completedAt: e.completedAt!,
    winner: result.winner,
    ranking: result.ranking.map((r) => ({
      bidId: r.id,
      supplier: byId.get(r.id)!.supplier,
      supplierName: byId.get(r.id)!.supplierName,
      pricePence: prices.get(r.id)!,
      rank: r.rank,
      total: r.totalPoints,
      criteria: r.criteria.map((k) => ({
        criterionId: k.criterionId, name: k.name, kind: k.kind, weight: k.weight, score: k.score, pricePence: k.pricePence, points: k.points,
        rationale: set.get(`${r.id}:${k.criterionId}`)?.rationale,
      })),
    })),
  };
}

type MemberRecord = EvaluationRecord['evaluators'][number];

/**
 * Changes one panel member's record if `allowed` holds for it, as a conditional write on the evaluation's version
 * (so racing changes never overwrite each other: a lost race re-reads and checks again). False when not allowed.
 */
export async function updateMember(evaluationId: Types.ObjectId, userId: string, allowed: (m: MemberRecord) => boolean, patch: Partial<MemberRecord>): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const e = await Evaluation.findOne({ _id: evaluationId, completedAt: null } as any).lean() as EvaluationRecord | null;
    const i = e ? e.evaluators.findIndex((m) => String(m.user) === userId) : -1;
    if (!e || i < 0 || !allowed(e.evaluators[i])) return false;
    const evaluators = e.evaluators.map((m, j) => (j === i ? { ...m, ...patch } : m));
    const res = await Evaluation.updateOne({ _id: e._id, __v: e.__v, completedAt: null } as any, { $set: { evaluators }, $inc: { __v: 1 } });
    if (res.matchedCount === 1) return true;
  }
  return false;
}
