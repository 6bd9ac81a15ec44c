// Moderation (the lead evaluator, once every evaluator has submitted): each evaluator's score and comment side by
// side per criterion, and the consensus score with its rationale. Individual scores are never changed here.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { handScored, MODERATION_REFUSAL_TEXT, moderationRefusal } from '../../../server/domain/evaluationRules';
import { consensusScores, evaluatedBids, scoringCriteria } from '../../../server/services/evaluation';
import { moderateBid } from '../../../server/services/evaluation-moderation';
import { othersScores } from '../../../server/services/evaluation-scoring';
import { FormErrors } from '../../../server/validation';
import { idParam } from '../../admin/helpers';
import { flash } from '../../render';
import { EvaluationContext, loadWithPanel, refusedPage } from './evaluation-load';
import { parseScores, scaleItems } from './evaluation-scoring';

type Ctx = EvaluationContext & { e: NonNullable<EvaluationContext['e']>; panel: NonNullable<EvaluationContext['panel']> };

function refuse(res: Response, ctx: Ctx, bidId: string): boolean {
  const reason = moderationRefusal(ctx.panel, String(ctx.user._id), bidId);
  if (!reason) return false;
  refusedPage(res, reason === 'not-lead' ? 403 : 409, 'You cannot moderate this bid now', [`${MODERATION_REFUSAL_TEXT[reason]}.`], ctx.base);
  return true;
}

async function renderModeration(res: Response, ctx: Ctx, bidId: string, values?: Record<string, unknown>, errors?: FormErrors) {
  const bid = (await evaluatedBids(ctx.c._id)).find((b) => b.id === bidId);
  if (!bid) throw createError(404);
  const scores = await othersScores(ctx.e, ctx.me, bidId, true);
  const set = await consensusScores(ctx.c._id);
  const criteria = handScored(scoringCriteria(ctx.c));
  const saved: Record<string, unknown> = {};
  for (const k of criteria) {
    const s = set.get(`${bidId}:${k.id}`);
    if (s) Object.assign(saved, { [`score-${k.id}`]: String(s.score), [`comment-${k.id}`]: s.rationale });
  }
  const shown = values ?? saved;
  const scaleMax = ctx.e.scaleMax ?? 4;
  res.set('Cache-Control', 'no-store');
  res.status(errors ? 400 : 200).render('buyer/competitions/evaluation-moderation', {
    pageTitle: `Moderate the bid from ${bid.supplierName}`, competition: ctx.competition, base: ctx.base, bidId, supplier: bid.supplierName, scaleMax,
    criteria: criteria.map((k) => ({
      ...k,
      rows: scores.filter((s) => s.criterion === k.id).map((s) => [{ text: s.name }, { text: String(s.score), format: 'numeric' }, { text: s.comment }]),
      items: scaleItems(scaleMax, String(shown[`score-${k.id}`] ?? '')),
    })),
    values: shown, errors,
  });
}

export function evaluationModerationRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/evaluation/moderation/:bidId: the evaluators' scores side by side; the consensus form.
  router.get('/:id/evaluation/moderation/:bidId', async (req, res) => {
    const bidId = idParam(req, 'bidId');
    const ctx = await loadWithPanel(req, res);
    if (!ctx || refuse(res, ctx, bidId)) return;
    await renderModeration(res, ctx, bidId);
  });

  // POST /buyer/competitions/:id/evaluation/moderation/:bidId: set the consensus scores and rationales.
  router.post('/:id/evaluation/moderation/:bidId', async (req: Request, res: Response) => {
    const bidId = idParam(req, 'bidId');
    const ctx = await loadWithPanel(req, res);
    if (!ctx || refuse(res, ctx, bidId)) return;
    if (!(await evaluatedBids(ctx.c._id)).some((b) => b.id === bidId)) throw createError(404);
    const parsed = parseScores(req.body, handScored(scoringCriteria(ctx.c)), ctx.e.scaleMax ?? 4, 'rationale');
    if (!parsed.ok) return renderModeration(res, ctx, bidId, req.body, parsed.errors);
    const outcome = await moderateBid(servicesOf(req).clock, ctx.user, ctx.c, ctx.e, bidId, parsed.scores.map((s) => ({ criterion: s.criterion, score: s.score, rationale: s.comment })));
    if (outcome.outcome !== 'saved') return refusedPage(res, 409, 'The consensus scores were not saved', ['The evaluation changed meanwhile. Check where it stands.'], ctx.base);
    flash(req, 'The consensus scores are saved.');
    res.redirect(303, ctx.base);
  });

  return router;
}
