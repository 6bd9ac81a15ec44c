// A draft's questions for suppliers: each scored under a quality or social value criterion, with a word limit;
// add, change and remove (after confirming).
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { parseWholeNumber } from '../../../server/domain/competitionForms';
import { CompetitionRecord } from '../../../server/services/competitions';
import { addQuestion, changeQuestion, QuestionInput, removeQuestion } from '../../../server/services/competitionDrafting';
import { FormErrors } from '../../../server/validation';
import { actor, answer, BASE, inPageOrder, loadDraft, postedValues, subId } from './drafting-shared';
import { longText } from './drafting-details';
import { actionsCell, CRITERION_KIND_NAMES } from './drafting-view';

export const QUESTION_MAX = 2000;

export const questionForm = z.object({
  text: longText('Enter the question', QUESTION_MAX, 'The question'),
  criterion: z.string({ error: 'Select the criterion this question is scored under' }).regex(/^[0-9a-f]{24}$/i, 'Select the criterion this question is scored under'),
  wordLimit: z.unknown().transform((v, ctx) => {
    const r = parseWholeNumber(v, 1, 5000, 'the word limit');
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
    return r.ok ? r.value : 0;
  }),
});

function readQuestion(body: unknown): { ok: true; data: QuestionInput } | { ok: false; errors: FormErrors } {
  const r = questionForm.safeParse(body ?? {});
  if (r.success) return { ok: true, data: r.data };
  const fields: Record<string, string> = {};
  for (const i of r.error.issues) fields[String(i.path[0])] ??= i.message;
  return { ok: false, errors: inPageOrder(fields, ['text', 'criterion', 'wordLimit']) };
}

/** The criteria a question can be scored under (not price), as select items with a first empty choice. */
function criterionItems(c: CompetitionRecord, selected?: string) {
  const items = c.criteria.filter((k) => k.kind !== 'price').map((k) => ({
    value: String(k._id), text: `${k.name} (${CRITERION_KIND_NAMES[k.kind as 'quality'] ?? k.kind}, ${k.weight}%)`, selected: String(k._id) === selected,
  }));
  return items.length ? [{ value: '', text: 'Choose a criterion' }, ...items] : [];
}

function renderList(res: Response, c: CompetitionRecord, values: Record<string, string>, errors?: FormErrors, status = 200): void {
  const base = `${BASE}/${c._id}/questions`;
  const names = new Map(c.criteria.map((k) => [String(k._id), k.name]));
  const rows = c.questions.map((q, i) => [
    { text: String(i + 1) }, { text: q.text }, { text: names.get(String(q.criterion)) ?? 'Not linked: change it' }, { text: String(q.wordLimit), format: 'numeric' },
    actionsCell([{ href: `${base}/${q._id}/edit`, text: 'Change', hidden: `question ${i + 1}` }, { href: `${base}/${q._id}/remove`, text: 'Remove', hidden: `question ${i + 1}` }]),
  ]);
  res.status(status).render('buyer/competitions/draft-questions', {
    pageTitle: 'Questions for suppliers', id: String(c._id), reference: c.reference, rows, criteria: criterionItems(c, values.criterion), questionMax: QUESTION_MAX, values, errors,
  });
}

function questionOf(c: CompetitionRecord, req: Request) {
  const q = c.questions.find((x) => String(x._id) === subId(req, 'questionId'));
  if (!q) throw createError(404);
  return q;
}

function renderEdit(res: Response, c: CompetitionRecord, questionId: string, values: Record<string, string>, errors?: FormErrors, status = 200): void {
  res.status(status).render('buyer/competitions/draft-question', {
    pageTitle: 'Change a question', id: String(c._id), reference: c.reference, action: `${BASE}/${c._id}/questions/${questionId}/edit`, criteria: criterionItems(c, values.criterion), questionMax: QUESTION_MAX, values, errors,
  });
}

export function questionsRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/questions
  router.get('/:id/questions', async (req, res) => {
    const c = await loadDraft(req, res);
    if (c) renderList(res, c, {});
  });

  // POST /buyer/competitions/:id/questions: add a question
  router.post('/:id/questions', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const form = readQuestion(req.body);
    if (!form.ok) return renderList(res, c, postedValues(req.body), form.errors, 400);
    const out = await addQuestion(servicesOf(req).clock, actor(req), String(c._id), form.data);
    await answer(req, res, String(c._id), out, { flash: 'Question added', to: `${BASE}/${c._id}/questions` }, (errors) => renderList(res, c, postedValues(req.body), errors, 400));
  });

  // GET and POST /buyer/competitions/:id/questions/:questionId/edit
  router.get('/:id/questions/:questionId/edit', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const q = questionOf(c, req);
    renderEdit(res, c, String(q._id), { text: q.text, criterion: String(q.criterion), wordLimit: String(q.wordLimit) });
  });
  router.post('/:id/questions/:questionId/edit', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const q = questionOf(c, req);
    const form = readQuestion(req.body);
    if (!form.ok) return renderEdit(res, c, String(q._id), postedValues(req.body), form.errors, 400);
    const out = await changeQuestion(servicesOf(req).clock, actor(req), String(c._id), String(q._id), form.data);
    await answer(req, res, String(c._id), out, { flash: 'Question changed', to: `${BASE}/${c._id}/questions` }, (errors) => renderEdit(res, c, String(q._id), postedValues(req.body), errors, 400));
  });

  // GET and POST /buyer/competitions/:id/questions/:questionId/remove
  router.get('/:id/questions/:questionId/remove', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const q = questionOf(c, req);
    const n = c.questions.indexOf(q) + 1;
    res.render('buyer/competitions/draft-remove', {
      pageTitle: `Remove question ${n}?`, id: String(c._id), reference: c.reference, action: `${BASE}/${c._id}/questions/${q._id}/remove`, back: `${BASE}/${c._id}/questions`,
      warning: 'This question will be removed:', items: [q.text],
    });
  });
  router.post('/:id/questions/:questionId/remove', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const q = questionOf(c, req);
    const out = await removeQuestion(servicesOf(req).clock, actor(req), String(c._id), String(q._id));
    await answer(req, res, String(c._id), out, { flash: 'Question removed', to: `${BASE}/${c._id}/questions` }, (errors) => renderList(res, c, {}, errors, 400));
  });

  return router;
}
