// A general update from the council (title and text), published to every invited supplier.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { ANSWER_MAX, publishingRefusal, publishUpdate, UPDATE_TITLE_MAX } from '../../../server/services/clarifications';
import { CompetitionRecord } from '../../../server/services/competitions';
import { FormErrors, parseForm, requiredText } from '../../../server/validation';
import { flash } from '../../render';
import { managedCompetition, renderRefused, substantialField, SUBSTANTIAL_HINT } from './changes-common';

const updateForm = z.object({
  title: requiredText('a title for the update', UPDATE_TITLE_MAX),
  text: z.string({ error: 'Enter the update' }).trim().min(1, 'Enter the update').max(ANSWER_MAX, `The update must be ${ANSWER_MAX} characters or fewer`),
  substantial: substantialField,
});

const PUBLISH = 'publish answers or updates';

function renderForm(res: Response, c: CompetitionRecord, values: Record<string, unknown>, errors?: FormErrors, status = 200) {
  res.status(status).render('buyer/competitions/update-new', { pageTitle: 'Publish an update', c, values, errors, titleMax: UPDATE_TITLE_MAX, textMax: ANSWER_MAX, substantialHint: SUBSTANTIAL_HINT });
}

/** The competition if updates can be published now; else the page saying why not. */
async function open(req: Request, res: Response): Promise<CompetitionRecord | undefined> {
  const c = await managedCompetition(req);
  const refusal = publishingRefusal(c, servicesOf(req).clock.now());
  if (!refusal) return c;
  renderRefused(res, c, refusal, PUBLISH);
  return undefined;
}

export function updatesRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/updates/new
  router.get('/:id/updates/new', async (req, res) => {
    const c = await open(req, res);
    if (c) renderForm(res, c, {});
  });

  // POST /buyer/competitions/:id/updates/new
  router.post('/:id/updates/new', async (req, res) => {
    const c = await open(req, res);
    if (!c) return;
    const form = parseForm(updateForm, req.body);
    if (!form.ok) return renderForm(res, c, form.values, form.errors, 400);
    const { clock, mailer, config } = servicesOf(req);
    const out = await publishUpdate(clock, mailer, config.baseUrl, currentUser(req)!, String(c._id), form.data);
    if (out.outcome === 'missing') throw createError(404);
    if (out.outcome !== 'published') return renderRefused(res, c, out.outcome, PUBLISH);
    flash(req, `The update has been sent to ${out.told} invited ${out.told === 1 ? 'supplier' : 'suppliers'}.`, 'Update published');
    res.redirect(303, `/buyer/competitions/${c._id}/clarifications/${out.id}/published`);
  });

  return router;
}
