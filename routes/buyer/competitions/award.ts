// The award, for buyers of the owning council (after the tender box is opened): the award page (the proposal form
// once the evaluation is complete, else the live award's state), and proposing it. Approval, challenge,
// resolution and cancellation are in award-actions.ts.
import { Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { CHARACTERISTICS_MAX, proposeAward, REASON_MAX } from '../../../server/services/awards';
import { errorsFrom, parseForm } from '../../../server/validation';
import { flash } from '../../render';
import { awardActionsRouter } from './award-actions';
import { alreadyProposed, loadAward, renderPage } from './award-page';
import { refused } from './award-view';

const proposalForm = z.object({
  bidId: z.string({ error: 'Select the bid to award the contract to' }).regex(/^[0-9a-f]{24}$/i, 'Select the bid to award the contract to'),
  reason: z.string().trim().max(REASON_MAX, `The reason must be ${REASON_MAX} characters or fewer`).optional(),
  characteristics: z.string({ error: 'Enter the characteristics and relative advantages of the winning bid' }).trim()
    .min(1, 'Enter the characteristics and relative advantages of the winning bid')
    .max(CHARACTERISTICS_MAX, `The characteristics must be ${CHARACTERISTICS_MAX} characters or fewer`),
});

export function awardRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/award: propose the award (after the evaluation), or where the live award stands.
  router.get('/:id/award', async (req, res) => {
    const ctx = await loadAward(req, res);
    if (ctx) await renderPage(req, res, ctx);
  });

  // POST /buyer/competitions/:id/award: propose the award (another bid than the top-ranked needs a reason).
  router.post('/:id/award', async (req, res) => {
    const ctx = await loadAward(req, res);
    if (!ctx) return;
    if (ctx.award?.live) return alreadyProposed(res, ctx);
    const form = parseForm(proposalForm, req.body);
    if (!form.ok) return renderPage(req, res, ctx, form.values, form.errors);
    const outcome = await proposeAward(servicesOf(req).clock, currentUser(req)!, ctx.c, form.data);
    switch (outcome.outcome) {
      case 'proposed':
        flash(req, 'The award is proposed. A different person, another buyer of the council or a network admin, must approve it before the letters go out.');
        return res.redirect(303, ctx.base);
      case 'invalid':
        return renderPage(req, res, ctx, { ...form.data }, errorsFrom(outcome.problems));
      case 'exists':
        return alreadyProposed(res, ctx);
      case 'not-ready':
        return refused(res, 409, 'The award cannot be proposed yet', ['The evaluation must be completed first.'], `/buyer/competitions/${ctx.c._id}/evaluation`, 'Go to the evaluation');
      case 'cancelled':
        return refused(res, 410, 'This competition was cancelled', ['There is nothing to award.'], `/buyer/competitions/${ctx.c._id}`, 'Back to the competition');
    }
  });

  router.use(awardActionsRouter());
  return router;
}
