// A competition's stage, derived from its record and the clock (never stored, so nothing has to flip at the
// deadline): draft, open (for bids), closed (deadline passed, box sealed), opened (box opened), cancelled.
import { isOpenForBids } from './tenderRules';

export const STAGES = ['draft', 'open', 'closed', 'opened', 'cancelled'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_NAMES: Record<Stage, string> = {
  draft: 'Draft',
  open: 'Open for bids',
  closed: 'Closed: tender box sealed',
  opened: 'Tender box opened',
  cancelled: 'Cancelled',
};

export interface StageInput {
  status: string;
  deadline?: Date | null;
  opening?: { openedAt?: Date | null } | null;
}

export function stageOf(c: StageInput, now: Date): Stage {
  if (c.status === 'cancelled') return 'cancelled';
  if (c.status !== 'published' || !c.deadline) return 'draft';
  if (isOpenForBids(c.deadline, now)) return 'open';
  return c.opening?.openedAt ? 'opened' : 'closed';
}

const HOUR_MS = 60 * 60 * 1000;
export const CLOSING_SOON_HOURS = 72;

/** Open, and the deadline within 72 hours: the Opportunities page flags it. */
export function isClosingSoon(c: StageInput, now: Date): boolean {
  return stageOf(c, now) === 'open' && c.deadline!.getTime() - now.getTime() <= CLOSING_SOON_HOURS * HOUR_MS;
}

/** "4 days 3 hours", "2 hours 5 minutes", "under a minute": the time left before a deadline, for the page. */
export function timeLeft(deadline: Date, now: Date): string {
  const ms = deadline.getTime() - now.getTime();
  if (ms <= 0) return 'closed';
  const minutes = Math.floor(ms / 60000);
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const mins = minutes % 60;
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (days > 0) return hours > 0 ? `${unit(days, 'day')} ${unit(hours, 'hour')}` : unit(days, 'day');
  if (hours > 0) return mins > 0 ? `${unit(hours, 'hour')} ${unit(mins, 'minute')}` : unit(hours, 'hour');
  return mins > 0 ? unit(mins, 'minute') : 'under a minute';
}

/** Questions may be asked strictly before the clarification deadline (or the submission deadline if none). */
export function canAskQuestions(c: StageInput & { clarificationDeadline?: Date | null }, now: Date): boolean {
  if (stageOf(c, now) !== 'open') return false;
  return !c.clarificationDeadline || now.getTime() < c.clarificationDeadline.getTime();
}
