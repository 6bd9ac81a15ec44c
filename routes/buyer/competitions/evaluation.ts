// Evaluating opened bids, for the owning council's buyers (after opening only): the overview of where the evaluation
// stands, and the journey's steps: the panel and declarations (evaluation-panel.ts), independent scoring
// (evaluation-scoring.ts), moderation (evaluation-moderation.ts) and the results (evaluation-results.ts).
import { Router } from 'express';
import { activeMembers, bidsToScore, handScored, phaseOf, PHASE_NAMES, standingOf } from '../../../server/domain/evaluationRules';
import { consensusMissing, consensusScores, evaluatedBids, scoringCriteria, userNames } from '../../../server/services/evaluation';
import { ownScores } from '../../../server/services/evaluation-scoring';
import { buyerLinkCell } from './tenderBox-view';
import { formatDateTime } from '../../admin/helpers';
import { EvaluationContext, loadEvaluation } from './evaluation-load';
import { evaluationModerationRouter } from './evaluation-moderation';
import { evaluationPanelRouter } from './evaluation-panel';
import { evaluationResultsRouter } from './evaluation-results';
import { evaluationScoringRouter } from './evaluation-scoring';

/** What the overview shows: the panel's progress (never a score), the signed-in member's tasks, moderation. */
async function overview(ctx: EvaluationContext) {
  const { c, e, panel } = ctx;
  if (!e || !panel) return { setUp: false };
  const bids = await evaluatedBids(c._id);
  const set = await consensusScores(c._id);
  const missing = consensusMissing(c, bids, set);
  const names = await userNames(panel.members.map((m) => m.user));
  const me = ctx.me;
  const criteria = handScored(scoringCriteria(c));
  const members = panel.members.map((m) => {
    const status = m.removedAt ? `Removed: conflict with the whole competition (${formatDateTime(m.removedAt)})`
      : !m.declaredAt ? 'Not yet declared'
      : m.submittedAt ? `Submitted ${formatDateTime(m.submittedAt)}`
      : 'Declared, scoring';
    const conflicts = m.removedAt ? '' : m.conflictBids.length ? `Conflict with ${m.conflictBids.map((b) => bids.find((x) => x.id === b)?.supplierName ?? 'a bidder').join(', ')}` : m.declaredAt ? 'No conflict' : '';
    return [{ text: names.get(m.user) ?? 'Unknown user' }, { text: m.user === panel.lead ? 'Lead evaluator' : 'Evaluator' }, { text: status }, { text: conflicts }];
  });
  let mine;
  if (me && !me.removedAt && me.declaredAt) {
    const own = await ownScores(c._id, me.user);
    const toScore = bidsToScore(me, bids.map((b) => b.id));
    const rows = toScore.map((id) => {
      const b = bids.find((x) => x.id === id)!;
      const done = criteria.filter((k) => own.has(`${id}:${k.id}`)).length;
      return [buyerLinkCell(`${ctx.base}/bids/${id}`, b.supplierName, me.submittedAt ? 'scores' : 'score this bid'), { text: done === criteria.length ? 'Scored' : done ? `${done} of ${criteria.length} criteria scored` : 'Not started' }];
    });
    const complete = toScore.every((id) => criteria.every((k) => own.has(`${id}:${k.id}`)));
    mine = { rows, complete, submitted: !!me.submittedAt };
  }
  const isLead = !!me && !me.removedAt && panel.lead === me.user;
  const phase = phaseOf(panel, missing);
  const moderation = (phase === 'moderating' || phase === 'results' || phase === 'completed') ? bids.map((b) => {
    const done = criteria.filter((k) => set.has(`${b.id}:${k.id}`)).length;
    const status = { text: done === criteria.length ? 'Consensus set' : `${done} of ${criteria.length} criteria moderated` };
    const leadConflicted = panel.members.find((m) => m.user === panel.lead)?.conflictBids.includes(b.id);
    return [isLead && !leadConflicted && !e.completedAt ? buyerLinkCell(`${ctx.base}/moderation/${b.id}`, b.supplierName, 'moderate') : { text: b.supplierName }, status];
  }) : undefined;
  return {
    setUp: true,
    phase: PHASE_NAMES[phase],
    showResults: phase === 'results' || phase === 'completed',
    scale: `0 to ${e.scaleMax}`,
    members,
    active: activeMembers(panel).length,
    standing: standingOf(panel, String(ctx.user._id)),
    bidCount: bids.length,
    mine, isLead, moderation, missing,
  };
}

export function evaluationRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/evaluation: where the evaluation stands, and what the signed-in buyer can do.
  router.get('/:id/evaluation', async (req, res) => {
    const ctx = await loadEvaluation(req, res);
    if (!ctx) return;
    res.set('Cache-Control', 'no-store');
    res.render('buyer/competitions/evaluation', { pageTitle: 'Evaluation', competition: ctx.competition, base: ctx.base, view: await overview(ctx) });
  });

  router.use(evaluationPanelRouter());
  router.use(evaluationScoringRouter());
  router.use(evaluationModerationRouter());
  router.use(evaluationResultsRouter());
  return router;
}
