// The award page's context and rendering, shared by the award's routes (award.ts, award-actions.ts): the
// competition (owning council, opened), its award, and the page: the proposal form or the live award's state.
import { Request, Response } from 'express';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { stageOf } from '../../../server/domain/competitionState';
import { formatMoney } from '../../../server/domain/money';
import { formatPoints } from '../../../server/domain/scoring';
import { awardRanking, AwardRecord, findAward } from '../../../server/services/awards';
import { CompetitionRecord } from '../../../server/services/competitions';
import { FormErrors } from '../../../server/validation';
import { letterRows, refused, summaryRows } from './award-view';
import { loadOwned } from './load';

export interface AwardContext {
  c: CompetitionRecord;
  award: AwardRecord | null;
  base: string;
  competition: { id: string; reference: string; title: string };
}

/** The owning council's competition once opened (else a 409 or 410 page), and its award (live or latest). */
export async function loadAward(req: Request, res: Response): Promise<AwardContext | undefined> {
  const c = await loadOwned(req);
  const href = `/buyer/competitions/${c._id}`;
  const stage = stageOf(c, servicesOf(req).clock.now());
  if (stage === 'cancelled') {
    refused(res, 410, 'This competition was cancelled', ['There is nothing to award.'], href, 'Back to the competition');
    return undefined;
  }
  if (stage !== 'opened') {
    refused(res, 409, 'The award cannot be made yet', ['An award follows the opening of the tender box and a completed evaluation.'], href, 'Back to the competition');
    return undefined;
  }
  return { c, award: await findAward(c._id), base: `${href}/award`, competition: { id: String(c._id), reference: c.reference, title: c.title } };
}

export async function renderPage(req: Request, res: Response, ctx: AwardContext, values: Record<string, unknown> = {}, errors?: FormErrors): Promise<void> {
  const now = servicesOf(req).clock.now();
  const live = ctx.award?.live ? ctx.award : null;
  res.set('Cache-Control', 'no-store');
  if (live) {
    const me = String(currentUser(req)!._id);
    return res.status(errors ? 400 : 200).render('buyer/competitions/award', {
      pageTitle: 'Award', competition: ctx.competition, base: ctx.base, award: { status: live.status, id: String(live._id), canApprove: live.status === 'proposed' && String(live.proposedBy) !== me },
      summary: await summaryRows(live, now), letters: live.lettersSentAt ? await letterRows(live) : [], values, errors,
    });
  }
  const ranking = await awardRanking(ctx.competition.id);
  if (!ranking) return refused(res, 409, 'The award cannot be proposed yet', ['The evaluation must be completed first: its ranking is what the award starts from.'], `/buyer/competitions/${ctx.c._id}/evaluation`, 'Go to the evaluation');
  const top = ranking.find((r) => r.rank === 1)?.bidId;
  const chosen = typeof values.bidId === 'string' ? values.bidId : top;
  res.status(errors ? 400 : 200).render('buyer/competitions/award-propose', {
    pageTitle: 'Propose the award', competition: ctx.competition, base: ctx.base,
    previous: ctx.award ? await summaryRows(ctx.award, now) : undefined,
    rows: ranking.map((r) => [{ text: String(r.rank), format: 'numeric' }, { text: r.supplierName }, { text: formatPoints(r.total), format: 'numeric' }, { text: formatMoney(r.pricePence), format: 'numeric' }]),
    items: ranking.map((r) => ({
      value: r.bidId, text: r.supplierName, checked: r.bidId === chosen,
      hint: { text: `Ranked ${r.rank}${r.rank === 1 ? ' (top-ranked)' : ''}: ${formatPoints(r.total)} points, ${formatMoney(r.pricePence)}` },
    })),
    values, errors,
  });
}

export function alreadyProposed(res: Response, ctx: AwardContext): void {
  refused(res, 409, 'An award has already been proposed', ['Another buyer proposed the award for this competition meanwhile. Yours was not recorded.'], ctx.base, 'See the award');
}

