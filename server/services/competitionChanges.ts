// Changes to a published competition that are not clarifications: moving the submission (and clarification)
// deadline, and cancelling. Each is one conditional update (so two changes cannot cross), an audit event, and
// every invited supplier told.
import { trusted } from 'mongoose';
import { Competition } from '../../models/Competition';
import { Lot } from '../../models/Lot';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { SessionUser } from '../auth/guards';
import { stageOf } from '../domain/competitionState';
import { checkTenderDeadline, DeadlineSettings, RuleSet } from '../domain/tenderRules';
import { recordAudit } from './audit';
import { CompetitionRecord, deadlineSettingsFor, findOwned, formatDeadline } from './competitions';
import { notifyOrganisations } from './notifications';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;

// ---- Deadline changes -----------------------------------------------------------------------------------

export interface DeadlineChange {
  deadline: Date;
  /** undefined: none (allowed only when the competition has none) */
  clarificationDeadline?: Date;
  reason: string;
}

export type DeadlineProblems = Partial<Record<'deadline' | 'clarificationDeadline', string>>;

const same = (a?: Date | null, b?: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * What is wrong with a proposed change at `now` (empty when none): something must change; a new deadline must be
 * in the future and, when shorter, still meet the rule-set's minimum from publication (the rule named); the
 * clarification deadline must be in the future (when changed) and before the submission deadline.
 */
export function deadlineChangeProblems(c: CompetitionRecord, change: DeadlineChange, settings: DeadlineSettings, now: Date): DeadlineProblems {
  const p: DeadlineProblems = {};
  const deadlineChanged = !same(change.deadline, c.deadline);
  const clarificationChanged = !same(change.clarificationDeadline, c.clarificationDeadline);
  if (!deadlineChanged && !clarificationChanged) {
    return { deadline: 'The new deadline is the same as the current one. Enter a different date or time' };
  }
  if (c.clarificationDeadline && !change.clarificationDeadline) p.clarificationDeadline = 'Enter the clarification deadline';
  if (deadlineChanged) {
    if (change.deadline <= now) p.deadline = 'The new deadline must be in the future';
    else if (c.deadline && change.deadline < c.deadline) {
      // an agreement recorded before publication covered the deadline published then, not a later, shorter one
      const check = checkTenderDeadline(c.ruleSet as RuleSet, c.publishedAt!, change.deadline, settings, false);
      if (!check.ok) p.deadline = `The new deadline is too soon. ${check.rule}: the earliest is ${formatDeadline(check.earliest)}`;
    }
  }
  if (change.clarificationDeadline && !p.clarificationDeadline) {
    if (clarificationChanged && change.clarificationDeadline <= now) p.clarificationDeadline = 'The new clarification deadline must be in the future';
    else if (change.clarificationDeadline >= change.deadline) {
      if (clarificationChanged) p.clarificationDeadline = 'The clarification deadline must be before the submission deadline';
      else if (!p.deadline) p.deadline = `The new deadline must be after the clarification deadline (${formatDeadline(change.clarificationDeadline)})`;
    }
  }
  return p;
}

export type DeadlineChangeOutcome =
  | { outcome: 'changed'; fields: Array<'deadline' | 'clarificationDeadline'>; told: number }
  | { outcome: 'problems'; problems: DeadlineProblems }
  | { outcome: 'missing' }
  /** cancelled, or not published */
  | { outcome: 'not-published' }
  /** at or after the current deadline: the box is closed and its date fixed */
  | { outcome: 'passed' }
  /** someone else changed it first */
  | { outcome: 'conflict' };

/** The deadline can be changed while the competition is published and strictly before its current deadline. */
export function deadlineChangeRefusal(c: CompetitionRecord, now: Date): 'not-published' | 'passed' | undefined {
  if (c.status !== 'published') return 'not-published';
  return stageOf(c, now) === 'open' ? undefined : 'passed';
}

/** Changes the submission deadline (and the clarification deadline) of one of the buyer's competitions. */
export async function changeDeadline(clock: Clock, mailer: Mailer, baseUrl: string, user: Actor, id: string, change: DeadlineChange): Promise<DeadlineChangeOutcome> {
  const c = await findOwned(user, id);
  if (!c) return { outcome: 'missing' };
  const now = clock.now();
  const refusal = deadlineChangeRefusal(c, now);
  if (refusal) return { outcome: refusal };
  const problems = deadlineChangeProblems(c, change, await deadlineSettingsFor(c.council), now);
  if (Object.keys(problems).length) return { outcome: 'problems', problems };

  const entries: Array<{ field: 'deadline' | 'clarificationDeadline'; from: Date; to: Date; reason: string; by: string; at: Date }> = [];
  if (!same(change.deadline, c.deadline)) entries.push({ field: 'deadline', from: c.deadline!, to: change.deadline, reason: change.reason, by: user._id, at: now });
  if (!same(change.clarificationDeadline, c.clarificationDeadline)) {
    // a competition without a clarification deadline records the submission deadline as where questions stopped
    entries.push({ field: 'clarificationDeadline', from: c.clarificationDeadline ?? c.deadline!, to: change.clarificationDeadline!, reason: change.reason, by: user._id, at: now });
  }
  // conditional on the values read: a second change made from the same page loses cleanly
  const updated = await Competition.findOneAndUpdate(
    // ...and only while that deadline is still in the future, so a change cannot reopen a box that has closed
    { _id: c._id, status: 'published', deadline: trusted({ $eq: c.deadline, $gt: clock.now() }), clarificationDeadline: c.clarificationDeadline ?? null } as any,
    { $set: { deadline: change.deadline, ...(change.clarificationDeadline ? { clarificationDeadline: change.clarificationDeadline } : {}) }, $push: { deadlineChanges: { $each: entries } } } as any,
    { returnDocument: 'after' },
  ).lean();
  if (!updated) return { outcome: 'conflict' };
  for (const e of entries) {
    await recordAudit(clock, {
      actor: user, action: e.field === 'deadline' ? 'competition.deadline-changed' : 'competition.clarification-deadline-changed',
      targetType: 'Competition', targetId: c._id, details: { reference: c.reference, from: e.from, to: e.to, reason: e.reason },
    });
  }
  const lines = entries.map((e) => `${e.field === 'deadline' ? 'Submission deadline' : 'Deadline for clarification questions'}: now ${formatDeadline(e.to)} (was ${formatDeadline(e.from)}).`);
  await notifyOrganisations(clock, mailer, baseUrl, c.invited, {
    title: `${entries.some((e) => e.field === 'deadline') ? 'Deadline changed' : 'Clarification deadline changed'}: ${c.title} (${c.reference})`,
    body: [`The council has changed a deadline of the competition \u201c${c.title}\u201d.`, ...lines, `Reason: ${change.reason}`].join('\n\n'),
    link: `/supplier/opportunities/${c._id}`,
  }, 'supplier');
  return { outcome: 'changed', fields: entries.map((e) => e.field), told: c.invited.length };
}

// ---- Cancellation ---------------------------------------------------------------------------------------

export type CancelOutcome =
  | { outcome: 'cancelled'; told: number }
  | { outcome: 'missing' }
  | { outcome: 'not-published' }
  /** the tender box has been opened: too late to cancel here */
  | { outcome: 'opened' };

/** Cancelling is allowed while published (open or closed) until the tender box is opened. */
export function cancelRefusal(c: CompetitionRecord): 'not-published' | 'opened' | undefined {
  if (c.status !== 'published') return 'not-published';
  return c.opening?.openedAt ? 'opened' : undefined;
}

/** Cancels one of the buyer's competitions with a reason; bids stay sealed and are never opened. */
export async function cancelCompetition(clock: Clock, mailer: Mailer, baseUrl: string, user: Actor, id: string, reason: string): Promise<CancelOutcome> {
  const c = await findOwned(user, id);
  if (!c) return { outcome: 'missing' };
  const refusal = cancelRefusal(c);
  if (refusal) return { outcome: refusal };
  const at = clock.now();
  const updated = await Competition.findOneAndUpdate(
    { _id: c._id, status: 'published', 'opening.openedAt': null } as any,
    { $set: { status: 'cancelled', cancellation: { reason, at, by: user._id } } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) {
    const now = await findOwned(user, id);
    return { outcome: (now && cancelRefusal(now)) || 'not-published' };
  }
  await recordAudit(clock, { actor: user, action: 'competition.cancelled', targetType: 'Competition', targetId: c._id, details: { reference: c.reference, reason, stage: stageOf(c, at) } });
  const lot = await Lot.findById(c.lot, { number: 1, title: 1 }).lean();
  await notifyOrganisations(clock, mailer, baseUrl, c.invited, {
    title: `Competition cancelled: ${c.title} (${c.reference})`,
    body: [
      `The council has cancelled the competition \u201c${c.title}\u201d${lot ? ` (lot ${lot.number}: ${lot.title})` : ''}.`,
      `Reason: ${reason}`,
      'No bids will be opened. You do not need to do anything more for this competition.',
    ].join('\n\n'),
    link: `/supplier/opportunities/${c._id}`,
  }, 'supplier');
  return { outcome: 'cancelled', told: c.invited.length };
}
