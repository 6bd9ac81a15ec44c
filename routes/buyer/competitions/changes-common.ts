// What the buyer's change pages share: the owned competition (404 for another council's), the page that says a
// change can no longer be made (409, or 410 once cancelled), and the yes/no question about substantial information.
import { Request, Response } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { can } from '../../../server/auth/permissions';
import { currentUser } from '../../../server/auth/guards';
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { loadOwned } from './load';

export async function managedCompetition(req: Request): Promise<CompetitionRecord> {
  const c = await loadOwned(req);
  if (!can(currentUser(req)!, 'manage', c)) throw createError(404);
  return c;
}

export type Refusal = 'passed' | 'cancelled' | 'not-published' | 'opened' | 'already';

const HEADINGS: Record<Refusal, string> = {
  passed: 'The submission deadline has passed',
  cancelled: 'This competition has been cancelled',
  'not-published': 'This competition has not been published',
  opened: 'The tender box has been opened',
  already: 'This question has already been answered',
};

/** A clear page saying why `what` (e.g. "change the deadline") can no longer be done. */
export function renderRefused(res: Response, c: CompetitionRecord, reason: Refusal, what: string): void {
  const explanation: Record<Refusal, string> = {
    passed: `The deadline was ${c.deadline ? formatDeadline(c.deadline) : 'not set'} (UK time). Once it has passed, you cannot ${what}.`,
    cancelled: `You cannot ${what} because the competition was cancelled.`,
    'not-published': `You cannot ${what} until the competition is published.`,
    opened: `You cannot ${what} once the tender box has been opened.`,
    already: 'Its answer has been published to every invited supplier.',
  };
  res.status(reason === 'cancelled' ? 410 : 409).render('buyer/competitions/update-refused', {
    pageTitle: HEADINGS[reason], c, explanation: explanation[reason], clarificationsHref: `/buyer/competitions/${c._id}/clarifications`,
  });
}

export const substantialField = z.enum(['yes', 'no'], { error: 'Select yes if this is substantial new information' }).transform((v) => v === 'yes');

export const SUBSTANTIAL_HINT = 'Information that could change how suppliers prepare their bids. If it goes out less than 6 days before the deadline, you will be offered a longer deadline.';
