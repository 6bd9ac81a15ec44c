// Who may do what to a competition, in one place (routes, views and tests ask here). "When" (before or after a
// deadline) is the domain's (server/domain/competitionState.ts); the sealed-box rule joins both.
import { SessionUser } from './guards';

export type CompetitionAction =
  // buyers of the owning council
  | 'manage' // see the buyer's pages, edit a draft, publish, answer clarifications, change the deadline, cancel
  | 'open' // take a step in opening the tender box (also a network admin, as the second person)
  | 'read-bids' // read opened bids
  // invited suppliers
  | 'view-invitation' // see the competition, its documents and Q&A, ask questions
  | 'bid'; // prepare, submit, replace and withdraw their own bid

export interface CompetitionParties {
  council: unknown;
  status: string;
  invited?: unknown[] | null;
}

const same = (a: unknown, b: unknown) => a != null && b != null && String(a) === String(b);

export function isOwningBuyer(user: Pick<SessionUser, 'role' | 'organisation'>, c: CompetitionParties): boolean {
  return user.role === 'buyer' && same(user.organisation, c.council);
}

export function isInvitedSupplier(user: Pick<SessionUser, 'role' | 'organisation'>, c: CompetitionParties): boolean {
  return user.role === 'supplier' && c.status !== 'draft' && (c.invited ?? []).some((s) => same(s, user.organisation));
}

export function can(user: Pick<SessionUser, 'role' | 'organisation'>, action: CompetitionAction, c: CompetitionParties): boolean {
  switch (action) {
    case 'manage':
    case 'read-bids':
      return isOwningBuyer(user, c);
    case 'open':
      return isOwningBuyer(user, c) || user.role === 'admin';
    case 'view-invitation':
    case 'bid':
      return isInvitedSupplier(user, c);
  }
}
