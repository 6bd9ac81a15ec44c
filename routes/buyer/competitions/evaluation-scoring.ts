// Independent scoring: one bid's answers beside the scoring form (the read audited through the tender box service),
// saving the scores, and submitting them all. Others' scores appear only after the evaluator has submitted.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { handScored, scoreLabel } from '../../../server/domain/evaluationRules';
import { evaluatedBids, scoringCriteria } from '../../../server/services/evaluation';
import { othersScores, ownScores, saveBidScores, submitScores } from '../../../server/services/evaluation-scoring';
import { readOpenedBid } from '../../../server/services/tenderBox';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { idParam } from '../../admin/helpers';
import { flash } from '../../render';
import { EvaluationContext, loadWithPanel, refusedPage } from './evaluation-load';

export const COMMENT_MAX = 5000;

/** Per criterion: a whole-number score on the scale and a required comment. Errors in page order. */
export function parseScores(body: unknown, criteria: Array<{ id: string; name: string }>, scaleMax: number, text = 'comment') {
  const input = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const scores: Array<{ criterion: string; score: number; comment: string }> = [];
  for (const k of criteria) {
    const score = z.string().regex(/^\d{1,2}$/).transform(Number).refine((n) => n <= scaleMax).safeParse(input[`score-${k.id}`]);
    const comment = z.string().trim().min(1).max(COMMENT_MAX).safeParse(input[`comment-${k.id}`]);
    if (!score.success) fields[`score-${k.id}`] = `Select a score from 0 to ${scaleMax} for ${k.name}`;
    if (!comment.success) {
      const long = typeof input[`comment-${k.id}`] === 'string' && (input[`comment-${k.id}`] as string).trim().length > COMMENT_MAX;
      fields[`comment-${k.id}`] = long ? `The ${text} for ${k.name} must be ${COMMENT_MAX} characters or fewer` : `Enter a ${text} for ${k.name}`;
    }
    if (score.success && comment.success) scores.push({ criterion: k.id, score: score.data, comment: comment.data });
  }
  return Object.keys(fields).length ? { ok: false as const, errors: errorsFrom(fields) } : { ok: true as const, scores };
}

/** The scale's options for radios, with the published meaning of each score. */
export const scaleItems = (scaleMax: number, checked?: string) =>
  Array.from({ length: scaleMax + 1 }, (_, n) => ({ value: String(n), text: scoreLabel(n, scaleMax), checked: checked === String(n) }));

/** Refuses a bid page to anyone who may not score it: not on the panel, not declared, or conflicted. */
function refuseBid(res: Response, ctx: EvaluationContext, bidId: string): boolean {
  const me = ctx.me;
  if (!me || me.removedAt) refusedPage(res, 403, 'You are not on the evaluation panel', ['Only the evaluators on the panel read and score the bids here.'], ctx.base);
  else if (!me.declaredAt) refusedPage(res, 403, 'Declare any conflict of interest first', ['You must declare whether you have a conflict of interest before you can see any bid.'], `${ctx.base}/declaration`, 'Make your declaration');
  else if (me.conflictBids.includes(bidId)) refusedPage(res, 403, 'You declared a conflict of interest with this bid', ['You do not see or score it.'], ctx.base);
  else return false;
  return true;
}

async function renderBid(req: Request, res: Response, ctx: EvaluationContext, bidId: string, values?: Record<string, unknown>, errors?: FormErrors) {
  const { clock, keyring } = servicesOf(req);
  const read = await readOpenedBid(clock, keyring, ctx.user, String(ctx.c._id), bidId);
  if (read.outcome !== 'ok') throw createError(404);
  const bid = read.bid;
  const criteria = handScored(scoringCriteria(ctx.c));
  const own = await ownScores(ctx.c._id, String(ctx.user._id));
  const others = await othersScores(ctx.e!, ctx.me, bidId);
  const saved: Record<string, unknown> = {};
  for (const k of criteria) {
    const s = own.get(`${bidId}:${k.id}`);
    if (s) Object.assign(saved, { [`score-${k.id}`]: String(s.score), [`comment-${k.id}`]: s.comment });
  }
  const scaleMax = ctx.e!.scaleMax ?? 4;
  res.set('Cache-Control', 'no-store');
  res.status(errors ? 400 : 200).render('buyer/competitions/evaluation-bid', {
    pageTitle: `Score the bid from ${bid.supplier}`, competition: ctx.competition, base: ctx.base, supplier: bid.supplier, bidId, version: bid.version,
    submitted: !!ctx.me!.submittedAt, scaleMax,
    criteria: criteria.map((k) => ({
      ...k,
      guidance: ctx.c.criteria.find((x) => String(x._id) === k.id)?.guidance ?? '',
      answers: ctx.c.questions.filter((q) => String(q.criterion) === k.id).map((q) => ({ question: q.text, paragraphs: (bid.content.answers[String(q._id)] ?? '').split(/\r?\n/).filter((p) => p.trim()) })),
      items: scaleItems(scaleMax, String((values ?? saved)[`score-${k.id}`] ?? '')),
      own: own.get(`${bidId}:${k.id}`),
      others: others.filter((o) => o.criterion === k.id).map((o) => [{ text: o.name }, { text: String(o.score), format: 'numeric' }, { text: o.comment }]),
    })),
    values: values ?? saved, errors,
  });
}

export function evaluationScoringRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/evaluation/bids/:bidId: the bid's answers and the evaluator's scoring form.
  router.get('/:id/evaluation/bids/:bidId', async (req, res) => {
    const bidId = idParam(req, 'bidId');
    const ctx = await loadWithPanel(req, res);
    if (!ctx || refuseBid(res, ctx, bidId)) return;
    await renderBid(req, res, ctx, bidId);
  });

  // POST /buyer/competitions/:id/evaluation/bids/:bidId: save this bid's scores (before submitting).
  router.post('/:id/evaluation/bids/:bidId', async (req, res) => {
    const bidId = idParam(req, 'bidId');
    const ctx = await loadWithPanel(req, res);
    if (!ctx || refuseBid(res, ctx, bidId)) return;
    if (ctx.me!.submittedAt) return refusedPage(res, 409, 'You have submitted your scores', ['Submitted scores cannot change. The lead evaluator sets the consensus scores in moderation.'], ctx.base);
    const parsed = parseScores(req.body, handScored(scoringCriteria(ctx.c)), ctx.e.scaleMax ?? 4);
    if (!parsed.ok) return renderBid(req, res, ctx, bidId, req.body, parsed.errors);
    const bid = (await evaluatedBids(ctx.c._id)).find((b) => b.id === bidId);
    if (!bid) throw createError(404);
    const outcome = await saveBidScores(servicesOf(req).clock, ctx.user, ctx.c, ctx.e, bid, parsed.scores);
    if (outcome.outcome !== 'saved') return refusedPage(res, 409, 'Your scores were not saved', ['You have submitted your scores, or you may not score this bid.'], ctx.base);
    flash(req, `Your scores for ${bid.supplierName} are saved.`);
    res.redirect(303, ctx.base);
  });

  // POST /buyer/competitions/:id/evaluation/submit: submit every score; then others' scores become visible.
  router.post('/:id/evaluation/submit', async (req, res) => {
    const ctx = await loadWithPanel(req, res);
    if (!ctx) return;
    const outcome = await submitScores(servicesOf(req).clock, ctx.user, ctx.c, ctx.e);
    if (outcome.outcome === 'incomplete') {
      flash(req, `Score every criterion of every bid before submitting: ${outcome.missing.length} still to score.`, undefined, 'important');
      return res.redirect(303, ctx.base);
    }
    if (outcome.outcome === 'refused') {
      return outcome.reason === 'submitted'
        ? refusedPage(res, 409, 'You have already submitted your scores', ['Submitted scores cannot change.'], ctx.base)
        : refusedPage(res, 403, 'You cannot submit scores', ['Only evaluators on the panel who have declared submit scores.'], ctx.base);
    }
    flash(req, 'Your scores are submitted. You can now see the other evaluators\u2019 submitted scores.');
    res.redirect(303, ctx.base);
  });

  return router;
}
