// The network's vetting rules, as pure functions: the due-by clock (10 working days from receipt, extendable
// once to 15 with a reason), the panel's scores per criterion (0-4) and who may see them, and when an
// application is fully decided. No I/O and no clock reads: callers pass `now`.
import { SCORED_CRITERIA } from './applicationQuestions';
import { UK_NATIONS, UkNation, workingDayDeadline, workingDaysBetween } from './workingDays';

/** PCR 2015 reg 34: a request is evaluated within 10 working days of receipt (kept as the PA 2023 service level). */
export const REVIEW_WORKING_DAYS = 10;
/** ...extendable, where justified and with the reason recorded, to 15 working days. */
export const EXTENDED_WORKING_DAYS = 15;
export const MIN_SCORE = 0;
export const MAX_SCORE = 4;

/** What each score means, for the scoring form and the side-by-side table. */
export const SCORE_SCALE: Array<{ score: number; text: string; hint: string }> = [
  { score: 0, text: '0 \u2013 No evidence', hint: 'The answer is missing or does not address the principle' },
  { score: 1, text: '1 \u2013 Weak', hint: 'Little evidence, or evidence of doubtful relevance' },
  { score: 2, text: '2 \u2013 Satisfactory', hint: 'Some relevant evidence, in proportion to the organisation\u2019s size' },
  { score: 3, text: '3 \u2013 Good', hint: 'Clear, relevant evidence of practice' },
  { score: 4, text: '4 \u2013 Excellent', hint: 'Strong evidence that the principle shapes how the organisation works' },
];

export function nationOf(value: unknown): UkNation {
  return (UK_NATIONS as readonly string[]).includes(value as string) ? (value as UkNation) : 'England';
}

interface Dated {
  dueBy?: Date | null;
  extendedDueBy?: Date | null;
}

/** The date the panel must decide by: the extended date once there is one. */
export function effectiveDueBy(app: Dated): Date | undefined {
  return app.extendedDueBy ?? app.dueBy ?? undefined;
}

export interface DueStatus {
  dueBy: Date;
  /** working days left after today up to and including the due day (0 on the due day itself) */
  daysLeft: number;
  overdue: boolean;
  /** working days past the due day (0 when not overdue) */
  daysOverdue: number;
}

/** Where an application stands against its due-by date at `now`, counting the supplier's nation's bank holidays. */
export function dueStatus(app: Dated & { nation?: string | null }, now: Date): DueStatus | undefined {
  const dueBy = effectiveDueBy(app);
  if (!dueBy) return undefined;
  const nation = nationOf(app.nation);
  const overdue = now.getTime() > dueBy.getTime();
  return {
    dueBy,
    overdue,
    daysLeft: overdue ? 0 : workingDaysBetween(now, dueBy, nation),
    daysOverdue: overdue ? workingDaysBetween(dueBy, now, nation) : 0,
  };
}

export type ExtensionRefusal = 'not-submitted' | 'already-extended' | 'decided' | 'no-reason';

/**
 * The extension rule: once, before any decision, with a reason, to the end of the 15th working day
 * from the day of receipt.
 */
export function extension(
  app: { status?: string | null; submittedAt?: Date | null; nation?: string | null; extendedDueBy?: Date | null; decisions?: unknown[] | null },
  reason: string,
): { ok: true; extendedDueBy: Date } | { ok: false; refusal: ExtensionRefusal } {
  if (app.status !== 'submitted' || !app.submittedAt) return { ok: false, refusal: app.status === 'decided' ? 'decided' : 'not-submitted' };
  if (app.decisions && app.decisions.length > 0) return { ok: false, refusal: 'decided' };
  if (app.extendedDueBy) return { ok: false, refusal: 'already-extended' };
  if (!reason.trim()) return { ok: false, refusal: 'no-reason' };
  return { ok: true, extendedDueBy: workingDayDeadline(app.submittedAt, EXTENDED_WORKING_DAYS, nationOf(app.nation)) };
}

// ---------- the panel's scores ----------

export interface CriterionScore {
  score?: number;
  comment?: string;
}
export type Scores = Record<string, CriterionScore>;

export interface Review {
  reviewer: unknown;
  scores?: Scores | null;
  submittedAt?: Date | null;
}

export function isValidScore(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= MIN_SCORE && n <= MAX_SCORE;
}

/** The criteria a review still lacks before it can be submitted: a score 0-4 and a comment for each. */
export function missingCriteria(scores: Scores | null | undefined): string[] {
  return SCORED_CRITERIA.filter((c) => {
    const s = scores?.[c.key];
    return !s || !isValidScore(s.score) || typeof s.comment !== 'string' || !s.comment.trim();
  }).map((c) => c.key);
}

export function reviewOf<R extends Review>(reviews: R[] | null | undefined, userId: string): R | undefined {
  return (reviews ?? []).find((r) => String(r.reviewer) === userId);
}

/** Scores are independent: a reviewer sees the others' scores only once their own review is submitted. */
export function canSeeOthersScores(reviews: Review[] | null | undefined, userId: string): boolean {
  return !!reviewOf(reviews, userId)?.submittedAt;
}

export interface CriterionSummary {
  key: string;
  title: string;
  /** one per submitted review, in the order of the reviews given */
  scores: Array<{ reviewer: string; score: number; comment: string }>;
  mean?: number;
  min?: number;
  max?: number;
}

/** Submitted reviews aggregated per criterion (drafts never count): each reviewer's score and comment, mean, range. */
export function aggregateScores(reviews: Review[] | null | undefined): { reviewers: string[]; criteria: CriterionSummary[]; total?: { mean: number; max: number } } {
  const submitted = (reviews ?? []).filter((r) => !!r.submittedAt);
  const criteria = SCORED_CRITERIA.map((c) => {
    const scores = submitted
      .map((r) => ({ reviewer: String(r.reviewer), score: r.scores?.[c.key]?.score, comment: r.scores?.[c.key]?.comment ?? '' }))
      .filter((s): s is { reviewer: string; score: number; comment: string } => isValidScore(s.score));
    const values = scores.map((s) => s.score);
    return {
      key: c.key,
      title: c.title,
      scores,
      mean: values.length ? round1(values.reduce((a, b) => a + b, 0) / values.length) : undefined,
      min: values.length ? Math.min(...values) : undefined,
      max: values.length ? Math.max(...values) : undefined,
    };
  });
  const means = criteria.map((c) => c.mean).filter((m): m is number => m !== undefined);
  return {
    reviewers: submitted.map((r) => String(r.reviewer)),
    criteria,
    total: means.length === criteria.length && criteria.length ? { mean: round1(means.reduce((a, b) => a + b, 0)), max: criteria.length * MAX_SCORE } : undefined,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

// ---------- decisions per lot ----------

/** The lots sought that still need a decision; an application is decided when none remain. */
export function undecidedLots(lotsSought: unknown[], decisions: Array<{ lot: unknown }> | null | undefined): string[] {
  const decided = new Set((decisions ?? []).map((d) => String(d.lot)));
  return lotsSought.map(String).filter((l) => !decided.has(l));
}

// ---------- admissions ----------

export type AdmissionAction = 'suspend' | 'remove' | 'reinstate';

/** Which changes an admission's status allows: suspend an active one, remove an active or suspended one, reinstate a suspended one. */
export function allowedAdmissionActions(status: string | null | undefined): AdmissionAction[] {
  if (status === 'active') return ['suspend', 'remove'];
  if (status === 'suspended') return ['reinstate', 'remove'];
  return [];
}

export const ADMISSION_ACTION_STATUS: Record<AdmissionAction, 'active' | 'suspended' | 'removed'> = { suspend: 'suspended', remove: 'removed', reinstate: 'active' };
