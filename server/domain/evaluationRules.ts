// Who may see and do what in an evaluation (issue 6; PA 2023 ss.81-83 on conflicts): declare before seeing any bid,
// score only the bids you are not conflicted with, see nobody else's scores until yours are submitted, and the lead
// moderates once every remaining evaluator has submitted. Pure: ids are strings, the caller passes the facts.

export interface PanelMember {
  user: string;
  declaredAt?: Date | null;
  /** bid ids this evaluator declared a conflict with (a whole-competition conflict sets removedAt instead) */
  conflictBids: string[];
  removedAt?: Date | null;
  submittedAt?: Date | null;
}

export interface PanelFacts {
  lead: string;
  scaleMax: number;
  members: PanelMember[];
  completedAt?: Date | null;
}

export interface ScoringCriterionRef {
  id: string;
  kind: string;
}

/** Where an evaluation stands, for the overview page. */
export type EvaluationPhase = 'declaring' | 'scoring' | 'moderating' | 'results' | 'completed';

/** What a signed-in buyer of the owning council is to this evaluation. */
export type Standing = 'not-on-panel' | 'removed' | 'must-declare' | 'scoring' | 'submitted';

export const SCALE_MAX_LIMIT = 10;

/** The published scale's meaning for the default 0-4 scale; other scales show numbers only. */
export const SCALE_MEANINGS: Record<number, string> = {
  0: 'Unacceptable: no answer, or it does not meet the requirement',
  1: 'Poor: meets few of the requirement\u2019s points, with major concerns',
  2: 'Satisfactory: meets the requirement, with some concerns',
  3: 'Good: meets the requirement well, with minor concerns',
  4: 'Excellent: meets every point, with evidence and no concerns',
};

/** The label of a score on a scale with top `scaleMax`. */
export function scoreLabel(score: number, scaleMax: number): string {
  return scaleMax === 4 ? `${score} \u2013 ${SCALE_MEANINGS[score]}` : `${score} out of ${scaleMax}`;
}

/** Quality and social-value criteria are scored by hand; price never is (it comes from the price formula). */
export function handScored<T extends ScoringCriterionRef>(criteria: T[]): T[] {
  return criteria.filter((c) => c.kind !== 'price');
}

export const memberOf = (panel: PanelFacts, userId: string) => panel.members.find((m) => m.user === userId);
export const activeMembers = (panel: PanelFacts) => panel.members.filter((m) => !m.removedAt);

export function standingOf(panel: PanelFacts, userId: string): Standing {
  const m = memberOf(panel, userId);
  if (!m) return 'not-on-panel';
  if (m.removedAt) return 'removed';
  if (!m.declaredAt) return 'must-declare';
  return m.submittedAt ? 'submitted' : 'scoring';
}

/** May this member read and score this bid? Only after declaring, and never a bid they declared a conflict with. */
export function mayScoreBid(m: PanelMember | undefined, bidId: string): boolean {
  return !!m && !m.removedAt && !!m.declaredAt && !m.conflictBids.includes(bidId);
}

/** The bids this member scores: every bid but those they are conflicted with. */
export function bidsToScore(m: PanelMember, bidIds: string[]): string[] {
  return m.removedAt ? [] : bidIds.filter((b) => !m.conflictBids.includes(b));
}

/** Independence: another evaluator's scores and comments are shown only to a member who has submitted their own. */
export function maySeeOthersScores(m: PanelMember | undefined): boolean {
  return !!m && !m.removedAt && !!m.submittedAt;
}

/** The members whose scores count for a bid (moderation shows these side by side). */
export function scorersOf(panel: PanelFacts, bidId: string): PanelMember[] {
  return activeMembers(panel).filter((m) => !m.conflictBids.includes(bidId));
}

/** The (bid, criterion) pairs this member still has to score, given the keys `${bid}:${criterion}` they have saved. */
export function missingScores(m: PanelMember, bidIds: string[], criteria: ScoringCriterionRef[], saved: Set<string>): Array<{ bid: string; criterion: string }> {
  return bidsToScore(m, bidIds).flatMap((bid) => handScored(criteria).filter((c) => !saved.has(`${bid}:${c.id}`)).map((c) => ({ bid, criterion: c.id })));
}

/** Every remaining evaluator has submitted (and at least one remains). */
export function allSubmitted(panel: PanelFacts): boolean {
  const active = activeMembers(panel);
  return active.length > 0 && active.every((m) => !!m.submittedAt);
}

export type ModerationRefusal = 'completed' | 'not-lead' | 'lead-conflicted' | 'not-all-submitted';

export const MODERATION_REFUSAL_TEXT: Record<ModerationRefusal, string> = {
  completed: 'The evaluation is complete: the consensus scores can no longer change',
  'not-lead': 'Only the lead evaluator sets the consensus scores',
  'lead-conflicted': 'The lead evaluator declared a conflict with this bid, so cannot moderate it: a buyer must name another lead evaluator',
  'not-all-submitted': 'Moderation starts once every evaluator on the panel has submitted their scores',
};

/** Why `userId` may not moderate (a bid, when given) now; undefined when they may. */
export function moderationRefusal(panel: PanelFacts, userId: string, bidId?: string): ModerationRefusal | undefined {
  if (panel.completedAt) return 'completed';
  const m = memberOf(panel, userId);
  if (panel.lead !== userId || !m || m.removedAt) return 'not-lead';
  if (bidId && m.conflictBids.includes(bidId)) return 'lead-conflicted';
  if (!allSubmitted(panel)) return 'not-all-submitted';
  return undefined;
}

/** The panel (members, scale) may change only until the first score is saved; the lead may be renamed until completion. */
export function panelLocked(scoresSaved: number): boolean {
  return scoresSaved > 0;
}

/** The phase of an evaluation, from its panel and how many consensus scores are still to set. */
export function phaseOf(panel: PanelFacts, consensusMissing: number): EvaluationPhase {
  if (panel.completedAt) return 'completed';
  const active = activeMembers(panel);
  if (active.some((m) => !m.declaredAt)) return 'declaring';
  if (!allSubmitted(panel)) return 'scoring';
  return consensusMissing > 0 ? 'moderating' : 'results';
}

export const PHASE_NAMES: Record<EvaluationPhase, string> = {
  declaring: 'Declaring conflicts of interest',
  scoring: 'Scoring',
  moderating: 'Moderating',
  results: 'Results ready',
  completed: 'Evaluation complete',
};
