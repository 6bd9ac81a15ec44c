// The bid's answers: one text per question of the competition, each within its word limit. Saved as a draft
// (blank answers allowed: the supplier comes back later); over a limit is a 400 with the typed text kept.
import { Response, Router } from 'express';
import { servicesOf } from '../../../server/app';
import { answerField, readAnswers } from '../../../server/domain/bidForms';
import { changeDraft } from '../../../server/services/bids';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { flash } from '../../render';
import { bidPath, BidPage, loadBid, refusedIfClosed, renderRefused, supplierOf } from './bid-common';

function renderAnswers(res: Response, page: BidPage, values: Record<string, string>, errors?: FormErrors, status = 200): void {
  const criteria = new Map(page.c.criteria.map((k) => [String(k._id), k.name]));
  const questions = page.c.questions.map((q, i) => ({
    n: i + 1, field: answerField(q), text: q.text, wordLimit: q.wordLimit, criterion: criteria.get(String(q.criterion)) ?? '',
  }));
  res.status(status).render('supplier/opportunities/bid-answers', {
    pageTitle: 'Your answers', ...page.common, questions, values, errors, action: bidPath(page.c, '/answers'),
  });
}

export function bidAnswersRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/bid/answers
  router.get('/:id/bid/answers', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const values = Object.fromEntries(page.c.questions.map((q) => [answerField(q), page.content.answers[String(q._id)] ?? '']));
    renderAnswers(res, page, values);
  });

  // POST /supplier/opportunities/:id/bid/answers: save the answers to the sealed draft
  router.post('/:id/bid/answers', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const form = readAnswers(page.c.questions, req.body ?? {});
    if (Object.keys(form.errors).length) return renderAnswers(res, page, form.values, errorsFrom(form.errors), 400);
    const { clock, keyring } = servicesOf(req);
    const outcome = await changeDraft(clock, keyring, supplierOf(req), page.c, 'answers', (content) => ({ ...content, answers: form.answers }));
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    if (outcome.outcome === 'refused') return renderAnswers(res, page, form.values, errorsFrom({ form: outcome.problem }), 400);
    flash(req, 'Your answers have been saved. You can change them until the deadline.');
    res.redirect(303, bidPath(page.c));
  });

  return router;
}
