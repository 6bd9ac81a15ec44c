// The sealed tender box's rules (security.md J30, J33, J34): who may take each step of the two-person opening, when
// the first step lapses, and why a read of sealed content is refused. Pure: the caller passes the instants.
import { Stage } from './competitionState';

const HOUR_MS = 60 * 60 * 1000;
/** The second person must follow the first within 24 hours, else the first step lapses and must be taken again. */
export const OPENING_WINDOW_HOURS = 24;

/** Someone taking a step: their user id, role and organisation (a buyer's council; an admin's is the network's). */
export interface Opener {
  by: string;
  role: string;
  organisation?: string | null;
}

export interface FirstStep extends Opener {
  at: Date;
}

export type OpeningRefusal =
  | 'not-authorised' // neither a buyer of the owning council nor a network admin
  | 'same-person' // the first step's own author cannot be the second person
  | 'two-admins' // two network admins never open a council's box: one of the two is a buyer of the council
  | 'lapsed'; // the first step is 24 hours old or more

export const REFUSAL_TEXT: Record<OpeningRefusal, string> = {
  'not-authorised': 'Only a buyer of the council that runs this competition or a network admin can take part in opening its tender box',
  'same-person': 'You took the first step: a second, different person must confirm the opening',
  'two-admins': 'A network admin took the first step: the second person must be a buyer of the council that runs this competition',
  lapsed: `The first step lapsed because nobody confirmed it within ${OPENING_WINDOW_HOURS} hours: start opening again`,
};

/** A buyer of the owning council, or a network admin. */
export function isAuthorisedOpener(person: Opener, owningCouncil: string): boolean {
  if (person.role === 'admin') return true;
  return person.role === 'buyer' && !!person.organisation && String(person.organisation) === String(owningCouncil);
}

/** When a first step taken at `at` lapses: from that instant on it no longer counts. */
export function lapsesAt(first: { at: Date }): Date {
  return new Date(first.at.getTime() + OPENING_WINDOW_HOURS * HOUR_MS);
}

export function hasLapsed(first: { at: Date }, now: Date): boolean {
  return now.getTime() >= lapsesAt(first).getTime();
}

/**
 * May `second` confirm the opening that `first` started? Two different people, both authorised for the owning
 * council, at most one of them a network admin, and the confirmation strictly within 24 hours of the first step.
 */
export function maySecond(first: FirstStep, second: Opener, owningCouncil: string, now: Date): { ok: true } | { ok: false; reason: OpeningRefusal } {
  if (!isAuthorisedOpener(second, owningCouncil) || !isAuthorisedOpener(first, owningCouncil)) return { ok: false, reason: 'not-authorised' };
  if (String(first.by) === String(second.by)) return { ok: false, reason: 'same-person' };
  if (first.role === 'admin' && second.role === 'admin') return { ok: false, reason: 'two-admins' };
  if (hasLapsed(first, now)) return { ok: false, reason: 'lapsed' };
  return { ok: true };
}

/** Why reading sealed content is refused, as the audit trail records it. */
export type ReadRefusal = 'before the deadline' | 'not opened' | 'not authorised';

/**
 * Whether an owning council's buyer may read bids at this stage: only once the box is opened. Before the deadline
 * (draft or open) the reason is the deadline; after it (closed, or cancelled, which is never opened) the opening.
 */
export function readRefusal(stage: Stage): ReadRefusal | undefined {
  if (stage === 'opened') return undefined;
  if (stage === 'draft' || stage === 'open') return 'before the deadline';
  return 'not opened';
}
