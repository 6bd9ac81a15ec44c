// Setting up the evaluation panel (evaluators, lead, scale) and each evaluator's conflict-of-interest declaration,
// made before they can see any bid.
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { SCALE_MAX_LIMIT } from '../../../server/domain/evaluationRules';
import { councilBuyers, evaluatedBids } from '../../../server/services/evaluation';
import { declare, setUpPanel } from '../../../server/services/evaluation-panel';
import { errorsFrom, FormErrors, parseForm } from '../../../server/validation';
import { flash } from '../../render';
import { EvaluationContext, loadEvaluation, loadWithPanel, refusedPage } from './evaluation-load';

const idList = z.union([z.string(), z.array(z.string())]).optional().transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

export const panelForm = z.object({
  evaluators: idList,
  lead: z.string({ error: 'Select the lead evaluator' }).min(1, 'Select the lead evaluator'),
  scaleMax: z.string({ error: 'Enter the top of the scoring scale' }).trim()
    .regex(/^\d{1,2}$/, `Enter the top of the scoring scale as a whole number from 1 to ${SCALE_MAX_LIMIT}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= SCALE_MAX_LIMIT, `Enter the top of the scoring scale as a whole number from 1 to ${SCALE_MAX_LIMIT}`),
});

const note = z.string({ error: 'Describe the conflict of interest' }).trim().min(1, 'Describe the conflict of interest').max(2000, 'The description must be 2000 characters or fewer');
export const declarationForm = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('bids'), bids: idList.refine((v) => v.length > 0, 'Select the bidders you have a conflict of interest with'), bidsNote: note }),
  z.object({ kind: z.literal('competition'), competitionNote: note }),
], { error: 'Select whether you have a conflict of interest' });

async function renderPanel(res: Response, ctx: EvaluationContext, values: Record<string, unknown>, errors?: FormErrors, status = 200) {
  const buyers = await councilBuyers(ctx.c.council);
  res.status(status).render('buyer/competitions/evaluation-panel', { pageTitle: 'Evaluation panel', competition: ctx.competition, base: ctx.base, buyers, values, errors });
}

async function renderDeclaration(res: Response, ctx: EvaluationContext, values: Record<string, unknown>, errors?: FormErrors, status = 200) {
  const bids = await evaluatedBids(ctx.c._id);
  res.status(status).render('buyer/competitions/evaluation-declaration', { pageTitle: 'Declare any conflict of interest', competition: ctx.competition, base: ctx.base, bids, values, errors });
}

function fieldKey(kind: unknown, field: string): string {
  if (field === 'bidsNote' || field === 'competitionNote' || field === 'bids') return field;
  return kind === undefined || field === 'kind' || field === 'form' ? 'kind' : field;
}

export function evaluationPanelRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/evaluation/panel: name the evaluators, the lead and the scale.
  router.get('/:id/evaluation/panel', async (req, res) => {
    const ctx = await loadEvaluation(req, res);
    if (!ctx) return;
    const e = ctx.e;
    const values = e ? { evaluators: e.evaluators.map((m) => String(m.user)), lead: String(e.lead), scaleMax: String(e.scaleMax) } : { scaleMax: '4' };
    await renderPanel(res, ctx, values);
  });

  // POST /buyer/competitions/:id/evaluation/panel
  router.post('/:id/evaluation/panel', async (req: Request, res: Response) => {
    const form = parseForm(panelForm, req.body);
    const ctx = await loadEvaluation(req, res);
    if (!ctx) return;
    if (!form.ok) return renderPanel(res, ctx, form.values, form.errors, 400);
    const outcome = await setUpPanel(servicesOf(req).clock, ctx.user, ctx.c, form.data);
    switch (outcome.outcome) {
      case 'invalid':
        return renderPanel(res, ctx, { ...req.body, scaleMax: String(form.data.scaleMax) }, errorsFrom(outcome.fields), 400);
      case 'locked':
        return refusedPage(res, 409, 'The panel can no longer change', ['Scoring has started, so the evaluators and the scale are fixed. Only the lead evaluator can still be changed, to someone on the panel.'], `${ctx.base}/panel`);
      case 'completed':
        return refusedPage(res, 409, 'The evaluation is complete', ['The panel can no longer change.'], ctx.base);
      case 'changed':
        flash(req, 'Someone else changed the panel at the same moment. Check it below.', undefined, 'important');
        return res.redirect(303, `${ctx.base}/panel`);
      case 'saved':
        flash(req, outcome.created ? 'The evaluation panel is set up. Each evaluator must declare any conflict of interest before seeing the bids.' : 'The evaluation panel has been changed.');
        return res.redirect(303, ctx.base);
    }
  });

  // GET /buyer/competitions/:id/evaluation/declaration: the signed-in evaluator's declaration.
  router.get('/:id/evaluation/declaration', async (req, res) => {
    const ctx = await loadWithPanel(req, res);
    if (!ctx) return;
    if (!ctx.me || ctx.me.removedAt) return refusedPage(res, 403, 'You are not on the evaluation panel', ['Only the evaluators named on the panel declare conflicts of interest.'], ctx.base);
    if (ctx.me.declaredAt) return refusedPage(res, 409, 'You have already declared', ['Your declaration is on record. If your circumstances change, tell the lead evaluator.'], ctx.base);
    await renderDeclaration(res, ctx, {});
  });

  // POST /buyer/competitions/:id/evaluation/declaration
  router.post('/:id/evaluation/declaration', async (req, res) => {
    const form = parseForm(declarationForm, req.body);
    const ctx = await loadWithPanel(req, res);
    if (!ctx) return;
    if (!form.ok) {
      const fields = Object.fromEntries(Object.entries(form.errors.fields).map(([k, v]) => [fieldKey((req.body ?? {}).kind, k), v]));
      return renderDeclaration(res, ctx, form.values, errorsFrom(fields), 400);
    }
    const d = form.data;
    const input = d.kind === 'none' ? d : d.kind === 'bids' ? { kind: d.kind, bids: d.bids, note: d.bidsNote } : { kind: d.kind, note: d.competitionNote };
    const outcome = await declare(servicesOf(req).clock, ctx.user, ctx.c, input);
    switch (outcome.outcome) {
      case 'invalid':
        return renderDeclaration(res, ctx, req.body ?? {}, errorsFrom(outcome.fields), 400);
      case 'not-on-panel':
        return refusedPage(res, 403, 'You are not on the evaluation panel', ['Only the evaluators named on the panel declare conflicts of interest.'], ctx.base);
      case 'already-declared':
        return refusedPage(res, 409, 'You have already declared', ['Your declaration is on record.'], ctx.base);
      case 'declared':
        flash(req, outcome.removed ? 'Your conflict of interest is recorded. You have been removed from this evaluation panel.' : 'Your declaration is recorded. You can now score the bids.');
        return res.redirect(303, ctx.base);
    }
  });

  return router;
}
