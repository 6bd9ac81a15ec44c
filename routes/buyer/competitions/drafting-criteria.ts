// A draft's award criteria: the list with its running total and what is still wrong, adding, changing and
// removing a criterion (with the questions scored under it, after saying so), and confirming the set
// (weights total 100%, social value at least 10% or the reason recorded).
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { parseWholeNumber } from '../../../server/domain/competitionForms';
import { CRITERION_KINDS, criteriaProblems, CriterionKind, SOCIAL_VALUE_MIN_WEIGHT } from '../../../server/domain/tenderRules';
import { CompetitionRecord } from '../../../server/services/competitions';
import { addCriterion, changeCriterion, confirmCriteria, CriterionInput, removeCriterion } from '../../../server/services/competitionDrafting';
import { FormErrors, requiredText } from '../../../server/validation';
import { actor, answer, BASE, inPageOrder, loadDraft, postedValues, subId } from './drafting-shared';
import { actionsCell, CRITERION_KIND_NAMES } from './drafting-view';

const REASON_MAX = 2000;

export const criterionForm = z.object({
  name: requiredText('the criterion name', 200),
  kind: z.enum(CRITERION_KINDS, { error: 'Select the kind of criterion' }),
  weight: z.unknown().transform((v, ctx) => {
    const r = parseWholeNumber(v, 1, 100, 'the weight');
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
    return r.ok ? r.value : 0;
  }),
  guidance: z.string({ error: 'Enter the scoring guidance as text' }).trim().max(5000, 'Scoring guidance must be 5,000 characters or fewer').optional().default(''),
});

export const reasonForm = z.object({
  socialValueReason: z.string({ error: 'Enter the reason as text' }).trim().max(REASON_MAX, `The reason must be ${REASON_MAX.toLocaleString('en-GB')} characters or fewer`).optional().default(''),
});

const KIND_HINTS: Record<CriterionKind, string> = {
  quality: 'Scored from suppliers\u2019 answers to your questions',
  price: 'Scored from the price: one price criterion at most',
  'social-value': 'Scored from suppliers\u2019 social value commitments and answers',
};
const kindItems = CRITERION_KINDS.map((k) => ({ value: k, text: CRITERION_KIND_NAMES[k], hint: { text: KIND_HINTS[k] } }));

function readCriterion(body: unknown): { ok: true; data: CriterionInput } | { ok: false; errors: FormErrors } {
  const r = criterionForm.safeParse(body ?? {});
  if (r.success) return { ok: true, data: r.data };
  const fields: Record<string, string> = {};
  for (const i of r.error.issues) fields[String(i.path[0])] ??= i.message;
  return { ok: false, errors: inPageOrder(fields, ['name', 'kind', 'weight', 'guidance']) };
}

const socialWeight = (c: CompetitionRecord) => c.criteria.filter((k) => k.kind === 'social-value').reduce((s, k) => s + k.weight, 0);

async function renderList(res: Response, c: CompetitionRecord, values: Record<string, string>, errors?: FormErrors, status = 200): Promise<void> {
  const base = `${BASE}/${c._id}/criteria`;
  const rows = c.criteria.map((k) => [
    { text: k.name }, { text: CRITERION_KIND_NAMES[k.kind as CriterionKind] ?? k.kind }, { text: `${k.weight}%`, format: 'numeric' }, { text: k.guidance || 'None' },
    actionsCell([{ href: `${base}/${k._id}/edit`, text: 'Change', hidden: k.name }, { href: `${base}/${k._id}/remove`, text: 'Remove', hidden: k.name }]),
  ]);
  const total = c.criteria.reduce((s, k) => s + k.weight, 0);
  const problems = criteriaProblems(c.criteria.map((k) => ({ name: k.name, kind: k.kind as CriterionKind, weight: k.weight })), c.socialValueReason ?? undefined);
  res.status(status).render('buyer/competitions/draft-criteria', {
    pageTitle: 'Award criteria', id: String(c._id), reference: c.reference, rows, total, problems, kinds: kindItems,
    showReason: socialWeight(c) < SOCIAL_VALUE_MIN_WEIGHT, socialMin: SOCIAL_VALUE_MIN_WEIGHT, reasonMax: REASON_MAX,
    values: { socialValueReason: c.socialValueReason ?? '', ...values }, errors,
  });
}

function criterionOf(c: CompetitionRecord, req: Request) {
  const k = c.criteria.find((x) => String(x._id) === subId(req, 'criterionId'));
  if (!k) throw createError(404);
  return k;
}

function renderEdit(res: Response, c: CompetitionRecord, criterionId: string, values: Record<string, string>, errors?: FormErrors, status = 200): void {
  res.status(status).render('buyer/competitions/draft-criterion', {
    pageTitle: 'Change a criterion', id: String(c._id), reference: c.reference, action: `${BASE}/${c._id}/criteria/${criterionId}/edit`, kinds: kindItems, values, errors,
  });
}

export function criteriaRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/criteria
  router.get('/:id/criteria', async (req, res) => {
    const c = await loadDraft(req, res);
    if (c) await renderList(res, c, {});
  });

  // POST /buyer/competitions/:id/criteria: confirm the set (and the reason when social value is under 10%)
  router.post('/:id/criteria', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const form = reasonForm.safeParse(req.body ?? {});
    if (!form.success) return renderList(res, c, postedValues(req.body), inPageOrder({ socialValueReason: form.error.issues[0].message }, []), 400);
    const out = await confirmCriteria(servicesOf(req).clock, actor(req), String(c._id), form.data.socialValueReason);
    await answer(req, res, String(c._id), out, { flash: 'Award criteria saved', to: `${BASE}/${c._id}` }, (errors) => renderList(res, c, postedValues(req.body), errors, 400));
  });

  // POST /buyer/competitions/:id/criteria/add
  router.post('/:id/criteria/add', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const form = readCriterion(req.body);
    if (!form.ok) return renderList(res, c, postedValues(req.body), form.errors, 400);
    const out = await addCriterion(servicesOf(req).clock, actor(req), String(c._id), form.data);
    await answer(req, res, String(c._id), out, { flash: `Criterion \u201c${form.data.name}\u201d added`, to: `${BASE}/${c._id}/criteria` }, (errors) => renderList(res, c, postedValues(req.body), errors, 400));
  });

  // GET and POST /buyer/competitions/:id/criteria/:criterionId/edit
  router.get('/:id/criteria/:criterionId/edit', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const k = criterionOf(c, req);
    renderEdit(res, c, String(k._id), { name: k.name, kind: k.kind, weight: String(k.weight), guidance: k.guidance ?? '' });
  });
  router.post('/:id/criteria/:criterionId/edit', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const k = criterionOf(c, req);
    const form = readCriterion(req.body);
    if (!form.ok) return renderEdit(res, c, String(k._id), postedValues(req.body), form.errors, 400);
    const out = await changeCriterion(servicesOf(req).clock, actor(req), String(c._id), String(k._id), form.data);
    await answer(req, res, String(c._id), out, { flash: `Criterion \u201c${form.data.name}\u201d changed`, to: `${BASE}/${c._id}/criteria` }, (errors) => renderEdit(res, c, String(k._id), postedValues(req.body), errors, 400));
  });

  // GET and POST /buyer/competitions/:id/criteria/:criterionId/remove: says which questions go with it first
  router.get('/:id/criteria/:criterionId/remove', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const k = criterionOf(c, req);
    const linked = c.questions.filter((q) => String(q.criterion) === String(k._id)).map((q) => q.text);
    res.render('buyer/competitions/draft-remove', {
      pageTitle: `Remove the criterion \u201c${k.name}\u201d?`, id: String(c._id), reference: c.reference, action: `${BASE}/${c._id}/criteria/${k._id}/remove`, back: `${BASE}/${c._id}/criteria`,
      warning: linked.length ? `${linked.length === 1 ? 'This question is' : `These ${linked.length} questions are`} scored under this criterion and will be removed with it:` : undefined, items: linked,
    });
  });
  router.post('/:id/criteria/:criterionId/remove', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const k = criterionOf(c, req);
    const out = await removeCriterion(servicesOf(req).clock, actor(req), String(c._id), String(k._id));
    await answer(req, res, String(c._id), out, { flash: `Criterion \u201c${k.name}\u201d removed`, to: `${BASE}/${c._id}/criteria` }, (errors) => renderList(res, c, {}, errors, 400));
  });

  return router;
}
