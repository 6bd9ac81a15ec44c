// The results (any buyer of the owning council, once every consensus score is set): the ranking from
// server/domain/scoring.ts, the buyer's order for bids still tied on total and quality, and completing the evaluation.
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { formatMoney } from '../../../server/domain/money';
import { formatPoints, problemText, ScoringResult } from '../../../server/domain/scoring';
import { completeEvaluation, evaluationRanking, recordTieBreak } from '../../../server/services/evaluation-moderation';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { formatDateTime } from '../../admin/helpers';
import { flash } from '../../render';
import { EvaluationContext, loadWithPanel, refusedPage } from './evaluation-load';

type Ctx = EvaluationContext & { e: NonNullable<EvaluationContext['e']> };
const reasonField = z.string().trim().min(1, 'Enter the reason for this order').max(2000, 'The reason must be 2000 characters or fewer');

const BELOW: Record<string, string> = { total: 'Lower total', quality: 'Same total, lower quality score', 'buyer-order': 'Tied: placed by the buyer\u2019s recorded order' };

function tableOf(result: Extract<ScoringResult, { ok: true }>, names: Map<string, string>) {
  const first = result.ranking[0];
  const head = [{ text: 'Rank', format: 'numeric' }, { text: 'Supplier' }, ...(first?.criteria ?? []).map((k) => ({ text: `${k.name} (${k.weight})`, format: 'numeric' })), { text: 'Total (100)', format: 'numeric' }, { text: 'Placed' }];
  const rows = result.ranking.map((r) => [
    { text: r.tied ? `${r.rank}=` : String(r.rank), format: 'numeric' },
    { text: names.get(r.id) ?? r.id },
    ...r.criteria.map((k) => ({ text: k.kind === 'price' ? `${formatPoints(k.exact)} (${formatMoney(k.pricePence!)})` : `${formatPoints(k.exact)} (score ${k.score})`, format: 'numeric' })),
    { text: formatPoints(r.total), format: 'numeric' },
    { text: r.tied ? 'Tied: the buyer must record an order' : r.rankedBelowBy ? BELOW[r.rankedBelowBy] : 'First' },
  ]);
  return { head, rows };
}

async function renderResults(req: Request, res: Response, ctx: Ctx, values: Record<string, unknown> = {}, errors?: FormErrors) {
  const ranked = await evaluationRanking(servicesOf(req).clock, servicesOf(req).keyring, ctx.user, ctx.c, ctx.e);
  if (ranked.outcome === 'not-ready') return refusedPage(res, 409, 'The results are not ready', [`Every consensus score must be set first: ${ranked.missing} still to set.`], ctx.base);
  if (ranked.outcome === 'unreadable') return refusedPage(res, 409, 'The bids could not be read', ['The prices could not be read from the opened bids.'], ctx.base);
  const names = new Map(ranked.bids.map((b) => [b.id, b.supplierName]));
  const result = ranked.result;
  res.set('Cache-Control', 'no-store');
  res.status(errors ? 400 : 200).render('buyer/competitions/evaluation-results', {
    pageTitle: 'Evaluation results', competition: ctx.competition, base: ctx.base,
    problems: result.ok ? [] : result.problems.map((p) => problemText(p, (id) => names.get(id) ?? id)),
    table: result.ok ? tableOf(result, names) : undefined,
    ties: result.ok ? result.ties.map((g) => g.map((id) => ({ id, name: names.get(id) ?? id }))) : [],
    tieBreak: ctx.e.tieBreak?.at ? { reason: ctx.e.tieBreak.reason, at: formatDateTime(ctx.e.tieBreak.at) } : undefined,
    completed: ctx.e.completedAt ? formatDateTime(ctx.e.completedAt) : undefined,
    values, errors,
  });
}

export function evaluationResultsRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/evaluation/results: the ranking from the consensus scores and the prices.
  router.get('/:id/evaluation/results', async (req, res) => {
    const ctx = await loadWithPanel(req, res);
    if (ctx) await renderResults(req, res, ctx);
  });

  // POST /buyer/competitions/:id/evaluation/tie-break: the buyer's order for bids tied on total and quality.
  router.post('/:id/evaluation/tie-break', async (req, res) => {
    const ctx = await loadWithPanel(req, res);
    if (!ctx) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ranked = await evaluationRanking(servicesOf(req).clock, servicesOf(req).keyring, ctx.user, ctx.c, { ...ctx.e, tieBreak: undefined } as Ctx['e']);
    const ties = ranked.outcome === 'ok' && ranked.result.ok ? ranked.result.ties : [];
    if (ties.length === 0) return refusedPage(res, 409, 'There is no tie to break', ['No bids are tied on both total and quality.'], `${ctx.base}/results`);
    const fields: Record<string, string> = {};
    const order: string[] = [];
    for (const group of ties) {
      const pos = group.map((id) => ({ id, n: typeof body[`order-${id}`] === 'string' && /^\d{1,2}$/.test(body[`order-${id}`] as string) ? Number(body[`order-${id}`]) : NaN }));
      const valid = pos.every((p) => p.n >= 1 && p.n <= group.length) && new Set(pos.map((p) => p.n)).size === group.length;
      if (!valid) fields[`order-${group[0]}`] = `Give each tied bid a different place from 1 to ${group.length}`;
      else order.push(...pos.sort((a, b) => a.n - b.n).map((p) => p.id));
    }
    const reason = reasonField.safeParse(body.reason);
    if (!reason.success) fields.reason = reason.error.issues[0].message;
    if (Object.keys(fields).length) return renderResults(req, res, ctx, body, errorsFrom(fields));
    const outcome = await recordTieBreak(servicesOf(req).clock, servicesOf(req).keyring, ctx.user, ctx.c, ctx.e, order, reason.data!);
    if (outcome.outcome !== 'saved') return refusedPage(res, 409, 'The order was not recorded', ['The evaluation changed meanwhile, or it is complete.'], `${ctx.base}/results`);
    flash(req, 'The order of the tied bids is recorded.');
    res.redirect(303, `${ctx.base}/results`);
  });

  // POST /buyer/competitions/:id/evaluation/complete: fix the ranking; the award starts from here.
  router.post('/:id/evaluation/complete', async (req, res) => {
    const ctx = await loadWithPanel(req, res);
    if (!ctx) return;
    const outcome = await completeEvaluation(servicesOf(req).clock, servicesOf(req).keyring, ctx.user, ctx.c, ctx.e);
    if (outcome.outcome !== 'completed') {
      const why = { completed: 'The evaluation is already complete.', 'not-ready': 'Every consensus score must be set first.', tied: 'Some bids are tied on total and quality: record their order first.' }[outcome.reason];
      return refusedPage(res, 409, 'The evaluation cannot be completed', [why], `${ctx.base}/results`);
    }
    flash(req, 'The evaluation is complete. The award can now be proposed.');
    res.redirect(303, `${ctx.base}/results`);
  });

  return router;
}
