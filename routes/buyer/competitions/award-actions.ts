// What follows a proposal, for buyers of the owning council: approving it (a different person; the letters go out),
// recording a challenge (the standstill is suspended), resolving it (reinstate with a new standstill, or cancel),
// and cancelling the award with a reason.
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { AwardRecord } from '../../../server/services/awards';
import { approveAward } from '../../../server/services/awards-approve';
import { cancelAward, ChangeOutcome, recordChallenge, reinstateAward } from '../../../server/services/awards-standstill';
import { parseForm } from '../../../server/validation';
import { flash } from '../../render';
import { AwardContext, loadAward, renderPage } from './award-page';
import { answerApproval, refused, STATUS_TAGS, summaryRows } from './award-view';

const text = (what: string, max = 5000) => z.string({ error: `Enter ${what}` }).trim().min(1, `Enter ${what}`).max(max, `The ${what.replace(/^(a|an|the) /, '')} must be ${max} characters or fewer`);
const challengeForm = z.object({ note: text('a note of the challenge') });
const resolveForm = z.object({
  outcome: z.enum(['reinstate', 'cancel'], { error: 'Select how the challenge was resolved' }),
  resolution: text('how the challenge was resolved'),
});
const cancelForm = z.object({ reason: text('the reason for cancelling the award') });

/** The live award in the given states, else a clear 409 page (undefined then). */
async function liveAward(req: Request, res: Response, states: string[]): Promise<(AwardContext & { award: AwardRecord }) | undefined> {
  const ctx = await loadAward(req, res);
  if (!ctx) return undefined;
  const a = ctx.award;
  if (!a?.live || !states.includes(a.status)) {
    const now = a?.live ? `It is ${(STATUS_TAGS[a.status]?.text ?? a.status).toLowerCase()}.` : 'There is no live award for this competition.';
    refused(res, 409, 'This cannot be done to the award now', [now], ctx.base, 'Back to the award');
    return undefined;
  }
  return ctx as AwardContext & { award: AwardRecord };
}

function answerChange(req: Request, res: Response, ctx: AwardContext, outcome: ChangeOutcome, done: string): void {
  if (outcome.outcome === 'done') {
    flash(req, done);
    return res.redirect(303, ctx.base);
  }
  refused(res, 409, 'This cannot be done to the award now', [`Someone else acted on it meanwhile: it is now ${(STATUS_TAGS[outcome.status]?.text ?? outcome.status).toLowerCase()}.`], ctx.base, 'Back to the award');
}

export function awardActionsRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/award/approve: the proposal to approve, by a different buyer of the council.
  router.get('/:id/award/approve', async (req, res) => {
    const ctx = await liveAward(req, res, ['proposed']);
    if (!ctx) return;
    if (String(ctx.award.proposedBy) === String(currentUser(req)!._id)) return answerApproval(req, res, { outcome: 'same-person' }, ctx.base);
    res.render('buyer/competitions/award-approve', { pageTitle: 'Approve the award', competition: ctx.competition, base: ctx.base, action: `${ctx.base}/approve`, summary: await summaryRows(ctx.award, servicesOf(req).clock.now()) });
  });

  // POST /buyer/competitions/:id/award/approve: approve; the letters go to every bidder and the standstill starts.
  router.post('/:id/award/approve', async (req, res) => {
    const ctx = await liveAward(req, res, ['proposed']);
    if (!ctx) return;
    const { clock, mailer, config } = servicesOf(req);
    answerApproval(req, res, await approveAward(clock, mailer, config.baseUrl, currentUser(req)!, String(ctx.award._id)), ctx.base);
  });

  // POST /buyer/competitions/:id/award/challenge: record a challenge; the standstill is suspended.
  router.post('/:id/award/challenge', async (req, res) => {
    const ctx = await liveAward(req, res, ['approved']);
    if (!ctx) return;
    const form = parseForm(challengeForm, req.body);
    if (!form.ok) return renderPage(req, res, ctx, form.values, form.errors);
    const outcome = await recordChallenge(servicesOf(req).clock, currentUser(req)!, ctx.award, form.data.note);
    answerChange(req, res, ctx, outcome, 'The challenge is recorded. The standstill is suspended: the contract cannot be entered until the challenge is resolved.');
  });

  // POST /buyer/competitions/:id/award/resolve: resolve the challenge (reinstate with a new standstill, or cancel).
  router.post('/:id/award/resolve', async (req, res) => {
    const ctx = await liveAward(req, res, ['challenged']);
    if (!ctx) return;
    const form = parseForm(resolveForm, req.body);
    if (!form.ok) return renderPage(req, res, ctx, form.values, form.errors);
    const { clock, mailer, config } = servicesOf(req);
    const user = currentUser(req)!;
    if (form.data.outcome === 'cancel') {
      const outcome = await cancelAward(clock, mailer, config.baseUrl, user, ctx.award, form.data.resolution);
      return answerChange(req, res, ctx, outcome, 'The award is cancelled and the bidders are told. A new award can be proposed.');
    }
    const outcome = await reinstateAward(clock, mailer, config.baseUrl, user, ctx.award, form.data.resolution);
    answerChange(req, res, ctx, outcome, 'The challenge is resolved and the standstill has restarted. The bidders are told when it now ends.');
  });

  // GET /buyer/competitions/:id/award/cancel: confirm cancelling the award, with a reason.
  router.get('/:id/award/cancel', async (req, res) => {
    const ctx = await liveAward(req, res, ['proposed', 'approved', 'challenged']);
    if (ctx) res.render('buyer/competitions/award-cancel', { pageTitle: 'Cancel the award', competition: ctx.competition, base: ctx.base });
  });

  // POST /buyer/competitions/:id/award/cancel: cancel the award; bidders who had letters are told.
  router.post('/:id/award/cancel', async (req, res) => {
    const ctx = await liveAward(req, res, ['proposed', 'approved', 'challenged']);
    if (!ctx) return;
    const form = parseForm(cancelForm, req.body);
    if (!form.ok) return res.status(400).render('buyer/competitions/award-cancel', { pageTitle: 'Cancel the award', competition: ctx.competition, base: ctx.base, values: form.values, errors: form.errors });
    const { clock, mailer, config } = servicesOf(req);
    const outcome = await cancelAward(clock, mailer, config.baseUrl, currentUser(req)!, ctx.award, form.data.reason);
    answerChange(req, res, ctx, outcome, 'The award is cancelled. A new award can be proposed.');
  });

  return router;
}
