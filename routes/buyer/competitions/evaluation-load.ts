// What every evaluation route starts from: the buyer's own council's competition (else 404), only once its tender
// box is opened (409 before, 410 when cancelled), its evaluation (when set up), and the signed-in member's place.
import { Request, Response } from 'express';
import { servicesOf } from '../../../server/app';
import { currentUser, SessionUser } from '../../../server/auth/guards';
import { stageOf } from '../../../server/domain/competitionState';
import { memberOf, PanelFacts, PanelMember } from '../../../server/domain/evaluationRules';
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { EvaluationRecord, findEvaluation, panelOf } from '../../../server/services/evaluation';
import { loadOwned } from './load';

export interface EvaluationContext {
  c: CompetitionRecord;
  e: EvaluationRecord | null;
  panel?: PanelFacts;
  me?: PanelMember;
  user: SessionUser;
  base: string;
  competition: { id: string; reference: string; title: string };
}

export function refusedPage(res: Response, status: number, heading: string, paragraphs: string[], backHref: string, backText = 'Back to the evaluation'): void {
  res.status(status).render('buyer/competitions/evaluation-refused', { pageTitle: heading, heading, paragraphs, backHref, backText });
}

/** The context, or undefined once a refusal page has been sent (before opening, or cancelled). */
export async function loadEvaluation(req: Request, res: Response): Promise<EvaluationContext | undefined> {
  const c = await loadOwned(req);
  const competitionHref = `/buyer/competitions/${c._id}`;
  const stage = stageOf(c, servicesOf(req).clock.now());
  if (stage === 'cancelled') {
    refusedPage(res, 410, 'This competition was cancelled', ['Its tender box is never opened, so there is nothing to evaluate.'], competitionHref, 'Back to the competition');
    return undefined;
  }
  if (stage !== 'opened') {
    const when = stage === 'open' && c.deadline ? ` The deadline is ${formatDeadline(c.deadline)}.` : '';
    refusedPage(res, 409, 'The bids cannot be evaluated yet', [`Evaluation starts once the deadline has passed and two people have opened the tender box.${when}`], `${competitionHref}/tender-box`, 'Go to the tender box');
    return undefined;
  }
  const user = currentUser(req)!;
  const e = await findEvaluation(c._id);
  const panel = e ? panelOf(e) : undefined;
  return {
    c, e, panel, user, me: panel && memberOf(panel, String(user._id)),
    base: `/buyer/competitions/${c._id}/evaluation`,
    competition: { id: String(c._id), reference: c.reference, title: c.title },
  };
}

/** The context with an evaluation set up; else a 409 page pointing at the panel. */
export async function loadWithPanel(req: Request, res: Response): Promise<(EvaluationContext & { e: EvaluationRecord; panel: PanelFacts }) | undefined> {
  const ctx = await loadEvaluation(req, res);
  if (!ctx) return undefined;
  if (!ctx.e || !ctx.panel) {
    refusedPage(res, 409, 'The evaluation panel has not been set up', ['A buyer of the council must name the evaluators first.'], ctx.base);
    return undefined;
  }
  return ctx as EvaluationContext & { e: EvaluationRecord; panel: PanelFacts };
}
