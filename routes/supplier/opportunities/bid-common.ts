// What the bid's routes share: the path, the signed-in supplier, loading the invited competition with the
// supplier's own bid, and the pages for "too late" (409) and "cancelled" (410).
import { Request, Response } from 'express';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { BidContent } from '../../../server/domain/bidContent';
import { bidWindow, BidWindow } from '../../../server/domain/bidForms';
import { timeLeft } from '../../../server/domain/competitionState';
import { BidRecord, draftContent, findBid, Supplier } from '../../../server/services/bids';
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { loadInvited } from './load';

export const bidPath = (c: { _id: unknown }, rest = '') => `/supplier/opportunities/${String(c._id)}/bid${rest}`;

export function supplierOf(req: Request): Supplier {
  const u = currentUser(req)!;
  return { _id: u._id, role: u.role, organisation: u.organisation, email: u.email };
}

export interface BidPage {
  c: CompetitionRecord;
  bid: BidRecord | null;
  content: BidContent;
  window: BidWindow;
  /** what every bid page shows about the competition */
  common: { id: string; reference: string; title: string; deadline: string; timeLeft: string; window: BidWindow; overview: string };
}

/** The competition the supplier was invited to (else 404) with their own bid and its draft, opened. */
export async function loadBid(req: Request): Promise<BidPage> {
  const c = await loadInvited(req);
  const { clock, keyring } = servicesOf(req);
  const now = clock.now();
  const bid = await findBid(c._id, currentUser(req)!.organisation);
  const window = bidWindow(c, now);
  return {
    c, bid, content: draftContent(keyring, c, bid), window,
    common: {
      id: String(c._id), reference: c.reference, title: c.title, window, overview: bidPath(c),
      deadline: c.deadline ? formatDeadline(c.deadline) : '', timeLeft: c.deadline ? timeLeft(c.deadline, now) : '',
    },
  };
}

/** The page for a change refused because the deadline has passed (409) or the competition was cancelled (410). */
export function renderRefused(res: Response, c: CompetitionRecord, window: 'closed' | 'cancelled'): void {
  const closed = window === 'closed';
  res.status(closed ? 409 : 410).render('supplier/opportunities/bid-closed', {
    pageTitle: closed ? 'The deadline for this competition has passed' : 'This competition has been cancelled',
    closed, reference: c.reference, title: c.title, deadline: c.deadline ? formatDeadline(c.deadline) : '', overview: bidPath(c),
    reason: c.cancellation?.reason,
  });
}

/** For the form pages: true (and the refusal page sent) when the bid can no longer change. */
export function refusedIfClosed(res: Response, page: BidPage): boolean {
  if (page.window === 'open') return false;
  renderRefused(res, page.c, page.window);
  return true;
}

/** A posted `action` button value, if any (a string, else a 400 by the caller's schema). */
export function actionOf(req: Request): string | undefined {
  const a = (req.body ?? {}).action;
  return typeof a === 'string' ? a : undefined;
}
