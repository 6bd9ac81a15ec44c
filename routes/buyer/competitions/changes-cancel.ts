// Cancelling a published competition (open or closed, until the tender box is opened), with a reason. Every invited
// supplier is told; bids stay sealed and are never opened.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { cancelCompetition, cancelRefusal } from '../../../server/services/competitionChanges';
import { CompetitionRecord } from '../../../server/services/competitions';
import { FormErrors, parseForm, requiredText } from '../../../server/validation';
import { flash } from '../../render';
import { managedCompetition, renderRefused } from './changes-common';
import { REASON_MAX } from './changes-deadline';

const cancelForm = z.object({ reason: requiredText('the reason for cancelling', REASON_MAX) });
const CANCEL = 'cancel it';

function render(res: Response, c: CompetitionRecord, values: Record<string, unknown>, errors?: FormErrors, status = 200) {
  res.status(status).render('buyer/competitions/cancel', { pageTitle: 'Cancel this competition', c, values, errors, reasonMax: REASON_MAX, invited: c.invited.length });
}

async function cancellable(req: Request, res: Response): Promise<CompetitionRecord | undefined> {
  const c = await managedCompetition(req);
  const refusal = cancelRefusal(c);
  if (!refusal) return c;
  renderRefused(res, c, c.status === 'cancelled' ? 'cancelled' : refusal, CANCEL);
  return undefined;
}

export function cancelRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/cancel
  router.get('/:id/cancel', async (req, res) => {
    const c = await cancellable(req, res);
    if (c) render(res, c, {});
  });

  // POST /buyer/competitions/:id/cancel
  router.post('/:id/cancel', async (req, res) => {
    const c = await cancellable(req, res);
    if (!c) return;
    const form = parseForm(cancelForm, req.body);
    if (!form.ok) return render(res, c, form.values, form.errors, 400);
    const { clock, mailer, config } = servicesOf(req);
    const out = await cancelCompetition(clock, mailer, config.baseUrl, currentUser(req)!, String(c._id), form.data.reason);
    if (out.outcome === 'missing') throw createError(404);
    if (out.outcome !== 'cancelled') return renderRefused(res, c, out.outcome === 'not-published' && c.status === 'published' ? 'cancelled' : out.outcome, CANCEL);
    flash(req, `The competition has been cancelled and ${out.told} invited ${out.told === 1 ? 'supplier has' : 'suppliers have'} been told. Its bids will never be opened.`, 'Competition cancelled');
    res.redirect(303, `/buyer/competitions/${c._id}`);
  });

  return router;
}
