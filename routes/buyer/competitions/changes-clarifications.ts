// The buyer's clarifications: questions awaiting an answer (with who asked), answering one (the question reworded
// to remove anything identifying), and the page after publishing with any deadline extension it calls for.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { ANSWER_MAX, answerQuestion, publishedClarifications, publishedWithProposal, publishingRefusal, QUESTION_MAX, questionsAwaiting, questionToAnswer } from '../../../server/services/clarifications';
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { FormErrors, parseForm } from '../../../server/validation';
import { flash } from '../../render';
import { formatDateTime } from '../../admin/helpers';
import { paragraphs } from '../../supplier/opportunities/opportunities-view';
import { managedCompetition, renderRefused, substantialField, SUBSTANTIAL_HINT } from './changes-common';

const answerForm = z.object({
  publishedQuestion: z.string({ error: 'Enter the question as suppliers will see it' }).trim().min(1, 'Enter the question as suppliers will see it').max(QUESTION_MAX, `The question must be ${QUESTION_MAX} characters or fewer`),
  answer: z.string({ error: 'Enter the answer' }).trim().min(1, 'Enter the answer').max(ANSWER_MAX, `The answer must be ${ANSWER_MAX} characters or fewer`),
  substantial: substantialField,
});

const PUBLISH = 'publish answers or updates';

async function list(req: Request, res: Response): Promise<void> {
  const c = await managedCompetition(req);
  const [awaiting, published] = await Promise.all([questionsAwaiting(c._id), publishedClarifications(c._id)]);
  res.render('buyer/competitions/clarifications', {
    pageTitle: 'Clarifications', c, refusal: publishingRefusal(c, servicesOf(req).clock.now()),
    awaiting: awaiting.map((q) => ({ ...q, askedAt: formatDateTime(q.askedAt) })),
    published: published.map((p) => ({ ...p, publishedAt: formatDateTime(p.publishedAt), paragraphs: paragraphs(p.answer) })),
  });
}

/** The question to answer, or the page saying why it cannot be answered now. */
async function answerable(req: Request, res: Response) {
  const c = await managedCompetition(req);
  const q = await questionToAnswer(c._id, req.params.cid);
  if (!q) throw createError(404);
  if (q.status !== 'awaiting answer') return void renderRefused(res, c, 'already', 'answer it');
  const refusal = publishingRefusal(c, servicesOf(req).clock.now());
  if (refusal) return void renderRefused(res, c, refusal, PUBLISH);
  return { c, q };
}

function renderAnswer(res: Response, c: CompetitionRecord, q: { _id: unknown; question: string; askedAt?: Date | null }, values: Record<string, unknown>, errors?: FormErrors, status = 200) {
  res.status(status).render('buyer/competitions/clarification-answer', {
    pageTitle: 'Answer a clarification question', c, q: { id: String(q._id), question: q.question, askedAt: formatDateTime(q.askedAt) },
    values, errors, questionMax: QUESTION_MAX, answerMax: ANSWER_MAX, substantialHint: SUBSTANTIAL_HINT, deadline: formatDeadline(c.deadline!),
  });
}

async function answerPage(req: Request, res: Response): Promise<void> {
  const found = await answerable(req, res);
  if (found) renderAnswer(res, found.c, found.q, { publishedQuestion: found.q.question });
}

async function answer(req: Request, res: Response): Promise<void> {
  const found = await answerable(req, res);
  if (!found) return;
  const { c, q } = found;
  const form = parseForm(answerForm, req.body);
  if (!form.ok) return renderAnswer(res, c, q, form.values, form.errors, 400);
  const { clock, mailer, config } = servicesOf(req);
  const out = await answerQuestion(clock, mailer, config.baseUrl, currentUser(req)!, String(c._id), String(q._id), form.data);
  if (out.outcome === 'missing') throw createError(404);
  if (out.outcome !== 'published') return renderRefused(res, c, out.outcome, PUBLISH);
  flash(req, `The answer has been sent to ${out.told} invited ${out.told === 1 ? 'supplier' : 'suppliers'}, without the asker\u2019s name.`, 'Answer published');
  res.redirect(303, `/buyer/competitions/${c._id}/clarifications/${out.id}/published`);
}

/** After publishing an answer or update: what went out and, for late substantial information, the extension proposed. */
async function published(req: Request, res: Response): Promise<void> {
  const c = await managedCompetition(req);
  const found = await publishedWithProposal(c, req.params.cid);
  if (!found) throw createError(404);
  const { item, proposed } = found;
  res.render('buyer/competitions/clarification-published', {
    pageTitle: item.kind === 'update' ? 'Update published' : 'Answer published', c,
    item: { ...item, publishedAt: formatDateTime(item.publishedAt), paragraphs: paragraphs(item.answer) },
    deadline: formatDeadline(c.deadline!),
    proposed: proposed ? { text: formatDeadline(proposed), href: `/buyer/competitions/${c._id}/deadline?proposed=${encodeURIComponent(proposed.toISOString())}` } : undefined,
  });
}

export function clarificationsRouter(): Router {
  const router = Router();
  router.get('/:id/clarifications', list);
  router.get('/:id/clarifications/:cid/answer', answerPage);
  router.post('/:id/clarifications/:cid/answer', answer);
  router.get('/:id/clarifications/:cid/published', published);
  return router;
}
