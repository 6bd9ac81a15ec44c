// Independent scoring: an evaluator who has declared scores each bid they are not conflicted with, per hand-scored
// criterion (a whole number on the published scale and a required comment), and submits once every bid is scored.
// Others' scores are read here only for a member who has submitted (server/domain/evaluationRules.ts).
import { trusted, Types } from 'mongoose';
import { Evaluation } from '../../models/Evaluation';
import { EvaluatorScore } from '../../models/EvaluatorScore';
import { SessionUser } from '../auth/guards';
import { Clock } from '../clock';
import { handScored, mayScoreBid, maySeeOthersScores, memberOf, missingScores, PanelMember } from '../domain/evaluationRules';
import { recordAudit } from './audit';
import { CompetitionRecord } from './competitions';
import { evaluatedBids, EvaluationRecord, panelOf, scoringCriteria, updateMember, userNames } from './evaluation';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;

export interface ScoreInput {
  criterion: string;
  score: number;
  comment: string;
}

export interface SavedScore {
  evaluator: string;
  name: string;
  criterion: string;
  score: number;
  comment: string;
}

export type SaveOutcome = { outcome: 'saved' } | { outcome: 'refused'; reason: 'not-allowed' | 'submitted' | 'stale' };

/** Saves (or replaces) the member's scores for one bid at the version they read. Scores are checked by the route. */
export async function saveBidScores(clock: Clock, actor: Actor, c: CompetitionRecord, e: EvaluationRecord, bid: { id: string; version: number }, scores: ScoreInput[]): Promise<SaveOutcome> {
  const me = memberOf(panelOf(e), String(actor._id));
  if (!mayScoreBid(me, bid.id)) return { outcome: 'refused', reason: 'not-allowed' };
  if (me!.submittedAt) return { outcome: 'refused', reason: 'submitted' };
  const allowed = new Set(handScored(scoringCriteria(c)).map((k) => k.id));
  if (scores.some((s) => !allowed.has(s.criterion) || !Number.isInteger(s.score) || s.score < 0 || s.score > (e.scaleMax ?? 4))) return { outcome: 'refused', reason: 'not-allowed' };
  // re-read under the clock: a submission made meanwhile wins
  const fresh = await Evaluation.exists({ _id: e._id, completedAt: null, evaluators: trusted({ $elemMatch: { user: actor._id, submittedAt: null, removedAt: null } }) } as any);
  if (!fresh) return { outcome: 'refused', reason: 'submitted' };
  const now = clock.now();
  for (const s of scores) {
    await EvaluatorScore.updateOne(
      { competition: c._id, evaluator: actor._id, bid: bid.id, criterion: s.criterion },
      { $set: { version: bid.version, score: s.score, comment: s.comment, savedAt: now } },
      { upsert: true },
    );
  }
  await recordAudit(clock, {
    actor, action: 'evaluation.scores-saved', targetType: 'Bid', targetId: bid.id,
    details: { competition: String(c._id), bid: bid.id, version: bid.version, scores: scores.map((s) => ({ criterion: s.criterion, score: s.score })) },
  });
  return { outcome: 'saved' };
}

/** The member's own saved scores, by `${bid}:${criterion}`. */
export async function ownScores(competitionId: Types.ObjectId | string, userId: string) {
  const rows = await EvaluatorScore.find({ competition: competitionId, evaluator: userId }).lean();
  return new Map(rows.map((r) => [`${r.bid}:${r.criterion}`, { score: r.score, comment: r.comment, savedAt: r.savedAt }]));
}

/**
 * Other evaluators' submitted scores for a bid, but only for a viewer who has submitted their own (or the lead
 * moderating, who passes `asModerator`). Anyone else gets an empty list: this is the independence rule's one door.
 */
export async function othersScores(e: EvaluationRecord, viewer: PanelMember | undefined, bidId: string, asModerator = false): Promise<SavedScore[]> {
  if (!asModerator && !maySeeOthersScores(viewer)) return [];
  const panel = panelOf(e);
  const submitted = panel.members.filter((m) => m.submittedAt && !m.removedAt && !m.conflictBids.includes(bidId) && (asModerator || m.user !== viewer?.user)).map((m) => m.user);
  if (submitted.length === 0) return [];
  const rows = await EvaluatorScore.find({ competition: e.competition, bid: bidId, evaluator: trusted({ $in: submitted }) } as any).lean();
  const names = await userNames(submitted);
  return rows.map((r) => ({ evaluator: String(r.evaluator), name: names.get(String(r.evaluator)) ?? 'Unknown evaluator', criterion: String(r.criterion), score: r.score, comment: r.comment }));
}

export type SubmitOutcome =
  | { outcome: 'submitted' }
  | { outcome: 'incomplete'; missing: Array<{ bid: string; criterion: string }> }
  | { outcome: 'refused'; reason: 'not-allowed' | 'submitted' };

/** Submits the member's scores: every bid they score, every hand-scored criterion. Then they are read-only. */
export async function submitScores(clock: Clock, actor: Actor, c: CompetitionRecord, e: EvaluationRecord): Promise<SubmitOutcome> {
  const me = memberOf(panelOf(e), String(actor._id));
  if (!me || me.removedAt || !me.declaredAt) return { outcome: 'refused', reason: 'not-allowed' };
  if (me.submittedAt) return { outcome: 'refused', reason: 'submitted' };
  const bids = await evaluatedBids(c._id);
  const missing = missingScores(me, bids.map((b) => b.id), scoringCriteria(c), new Set((await ownScores(c._id, me.user)).keys()));
  if (missing.length) return { outcome: 'incomplete', missing };
  const now = clock.now();
  const done = await updateMember(e._id, me.user, (m) => !m.submittedAt && !m.removedAt && !!m.declaredAt, { submittedAt: now });
  if (!done) return { outcome: 'refused', reason: 'submitted' };
  await recordAudit(clock, { actor, action: 'evaluation.scores-submitted', targetType: 'Competition', targetId: c._id, details: { reference: c.reference, evaluator: me.user, bids: bids.filter((b) => !me.conflictBids.includes(b.id)).map((b) => b.id) } });
  return { outcome: 'submitted' };
}
