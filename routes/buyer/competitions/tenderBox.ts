// The sealed tender box, for the owning council's buyers: its state ("Sealed until ..." and nothing more before the
// deadline), the two-person opening after it, and (tenderBox-bids.ts) reading the bids once opened.
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { CompetitionRecord } from '../../../server/services/competitions';
import { boxState, takeOpeningStep } from '../../../server/services/tenderBox';
import { parseForm } from '../../../server/validation';
import { tenderBoxBidsRouter } from './tenderBox-bids';
import { answerOpening } from './tenderBox-answers';
import { boxView } from './tenderBox-view';
import { loadOwned } from './load';

/** Each person taking an opening step declares they are not linked to a bidder (security.md J33). */
export const openingForm = z.object({
  declaration: z.literal('confirmed', { error: 'Confirm that you have no connection with any supplier that may have bid' }),
});

async function renderBox(req: Request, res: Response, c: CompetitionRecord, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
  const me = currentUser(req)!;
  const state = await boxState(c, servicesOf(req).clock.now());
  res.status(status).render('buyer/competitions/tender-box', {
    pageTitle: 'Tender box', competition: { id: String(c._id), reference: c.reference, title: c.title },
    box: boxView(state, { id: String(me._id), role: me.role }), formAction: `/buyer/competitions/${c._id}/tender-box/open`, ...extra,
  });
}

export function tenderBoxRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/tender-box: the box's state; no bid and no count before it is opened.
  router.get('/:id/tender-box', async (req, res) => {
    await renderBox(req, res, await loadOwned(req));
  });

  // POST /buyer/competitions/:id/tender-box/open: the first opening step, or the second (which opens the box).
  router.post('/:id/tender-box/open', async (req, res) => {
    const form = parseForm(openingForm, req.body);
    const c = await loadOwned(req);
    if (!form.ok) return renderBox(req, res, c, { errors: form.errors, values: form.values }, 400);
    const { clock, mailer, config } = servicesOf(req);
    const outcome = await takeOpeningStep(clock, mailer, config.baseUrl, currentUser(req)!, String(c._id));
    answerOpening(req, res, outcome, `/buyer/competitions/${c._id}/tender-box`);
  });

  router.use(tenderBoxBidsRouter());
  return router;
}
