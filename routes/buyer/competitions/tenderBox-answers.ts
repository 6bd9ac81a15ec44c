// How the tender box routes answer a service outcome, shared by the buyer's and the network admin's routes:
// an opening step (redirect with a flash, or a clear page for a refusal) and a refused read of sealed content
// (a clear page, audited by the service and logged here at warn level as a security alert).
import { Request, Response } from 'express';
import createError from 'http-errors';
import { currentUser } from '../../../server/auth/guards';
import { REFUSAL_TEXT } from '../../../server/domain/opening';
import { formatDeadline } from '../../../server/services/competitions';
import { OpeningOutcome, ReadRefused, ReadTarget } from '../../../server/services/tenderBox';
import { flash } from '../../render';

function refusedPage(res: Response, status: number, heading: string, paragraphs: string[], backHref: string): void {
  res.status(status).render('buyer/competitions/tender-box-refused', { pageTitle: heading, paragraphs, backHref });
}

/** After an opening step: back to the box page with what happened, or a page saying why not. */
export function answerOpening(req: Request, res: Response, outcome: OpeningOutcome, boxHref: string): void {
  switch (outcome.outcome) {
    case 'missing':
      throw createError(404);
    case 'started':
      flash(req, `You started opening the tender box. A second person must confirm by ${formatDeadline(outcome.lapsesAt)}.`);
      break;
    case 'opened':
      flash(req, 'The tender box is open. The council\u2019s buyers can now read the bids.');
      break;
    case 'already-opened':
      flash(req, 'The tender box had already been opened.', undefined, 'important');
      break;
    case 'changed':
      flash(req, 'Someone else took an opening step at the same moment. Check where the opening stands below.', undefined, 'important');
      break;
    case 'too-early':
      return refusedPage(res, 409, 'The tender box is sealed', [`It cannot be opened before the deadline: ${formatDeadline(outcome.deadline)}.`], boxHref);
    case 'cancelled':
      return refusedPage(res, 410, 'This competition was cancelled', ['Its tender box is never opened: the bids stay sealed.'], boxHref);
    case 'refused':
      return refusedPage(res, 403, 'You cannot take this opening step', [`${REFUSAL_TEXT[outcome.reason]}.`], boxHref);
  }
  res.redirect(303, boxHref);
}

/**
 * A refused attempt to read sealed content: another council's buyer gets the same 404 as a missing competition,
 * anyone else a page saying why. Every one is a security alert in the log (the audit event is the service's).
 */
export function answerRefusedRead(req: Request, res: Response, refused: ReadRefused, target: ReadTarget, boxHref: string): void {
  req.log.warn({ event: 'security.sealed-read-refused', userId: currentUser(req)?._id, competition: req.params.id, bid: target.bid, file: target.file, what: target.what, reason: refused.reason }, 'refused attempt to read sealed bids');
  if (refused.reason === 'not authorised') {
    if (currentUser(req)?.role === 'admin') return refusedPage(res, 403, 'Network admins cannot read bids', ['Network admins take part in opening a council\u2019s tender box, but only the council\u2019s buyers read the bids.'], boxHref);
    throw createError(404);
  }
  if (refused.stage === 'cancelled') return refusedPage(res, 410, 'This competition was cancelled', ['Its tender box is never opened: the bids stay sealed.'], boxHref);
  if (refused.reason === 'before the deadline') {
    const when = refused.deadline ? `: ${formatDeadline(refused.deadline)}` : '';
    return refusedPage(res, 403, 'The tender box is sealed', [`Nobody can see the bids before the deadline${when}.`, 'After the deadline, the bids can be read once two people have opened the box.'], boxHref);
  }
  return refusedPage(res, 403, 'The tender box has not been opened', ['The deadline has passed, but the bids can be read only once two people have opened the box.'], boxHref);
}
