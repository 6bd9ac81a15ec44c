// The panel's actions on an application: ask the supplier a clarification question, extend the due-by date
// to 15 working days with a reason, and decide a lot (admit or reject, with reasons) after a confirmation step.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { dueStatus, extension, undecidedLots } from '../../server/domain/vetting';
import { decide, extendDueBy, findForReview, requestClarification } from '../../server/services/vetting';
import { errorsFrom, FormErrors, parseForm } from '../../server/validation';
import { flash } from '../render';
import { formatDate, idParam } from './helpers';
import { dueText } from './applicationsView';

export const QUESTION_MAX = 2000;
export const REASON_MAX = 2000;
export const DECISION_REASONS_MAX = 5000;

const longText = (what: string, max: number) =>
  z.string({ error: `Enter ${what}` }).trim().min(1, `Enter ${what}`).max(max, `${what.charAt(0).toUpperCase()}${what.slice(1)} must be ${max} characters or fewer`);

export const clarificationForm = z.object({ question: longText('your question', QUESTION_MAX) });
export const extensionForm = z.object({ reason: longText('the reason the panel needs more time', REASON_MAX) });
export const decisionForm = z.object({
  lot: z.string({ error: 'Select the lot you are deciding' }).regex(/^[0-9a-f]{24}$/i, 'Select the lot you are deciding'),
  outcome: z.enum(['admitted', 'rejected'], { error: 'Select whether to admit or reject the supplier for this lot' }),
  reasons: longText('the reasons for the decision', DECISION_REASONS_MAX),
});

const EXTENSION_REFUSALS: Record<string, string> = {
  'already-extended': 'The due-by date has already been extended once. It cannot be extended again',
  decided: 'A decision has already been made on this application, so its due-by date cannot be extended',
  'not-submitted': 'This application is not awaiting a decision',
  'no-reason': 'Enter the reason the panel needs more time',
};

async function loadOr404(id: string) {
  const found = await findForReview(id);
  if (!found) throw createError(404);
  return found;
}

function caption(found: Awaited<ReturnType<typeof loadOr404>>) {
  const name = (found.app.snapshot as any)?.answers?.organisation?.legalName || found.supplier?.profile?.legalName || found.supplier?.name || '';
  return `${found.app.reference ?? ''}: ${name}`;
}

async function renderClarification(req: Request, res: Response, id: string, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) {
  const found = await loadOr404(id);
  res.status(status).render('admin/applications/clarification', {
    pageTitle: 'Ask the supplier a question', id, caption: caption(found), open: found.app.status === 'submitted', questionMax: QUESTION_MAX,
    values: form.values ?? {}, errors: form.errors,
  });
}

async function renderExtension(req: Request, res: Response, id: string, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) {
  const found = await loadOr404(id);
  const { app } = found;
  const rule = extension(app, 'reason');
  const due = dueStatus(app, servicesOf(req).clock.now());
  res.status(status).render('admin/applications/extension', {
    pageTitle: 'Extend the due-by date', id, caption: caption(found), reasonMax: REASON_MAX,
    currentDue: due ? `${formatDate(due.dueBy)} (${dueText(due)})` : '',
    newDue: rule.ok ? formatDate(rule.extendedDueBy) : undefined,
    refusal: rule.ok ? undefined : EXTENSION_REFUSALS[rule.refusal],
    values: form.values ?? {}, errors: form.errors,
  });
}

async function renderDecision(req: Request, res: Response, id: string, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) {
  const found = await loadOr404(id);
  const pending = new Set(undecidedLots(found.app.lots ?? [], found.app.decisions));
  const lotItems = found.lots.filter((l) => pending.has(String(l._id))).map((l) => ({ value: String(l._id), text: `Lot ${l.number}: ${l.title}` }));
  res.status(status).render('admin/applications/decision', {
    pageTitle: 'Decide a lot', id, caption: caption(found), open: found.app.status === 'submitted' && lotItems.length > 0,
    lotItems, reasonsMax: DECISION_REASONS_MAX, values: form.values ?? {}, errors: form.errors,
  });
}

/** Checks a decision form against the application: the lot must be one it seeks and has not had decided. */
async function checkDecision(id: string, body: unknown) {
  const form = parseForm(decisionForm, body);
  if (!form.ok) return form;
  const found = await loadOr404(id);
  const pending = new Set(undecidedLots(found.app.lots ?? [], found.app.decisions));
  if (!pending.has(form.data.lot)) return { ok: false as const, values: { ...form.data }, errors: errorsFrom({ lot: 'Select a lot this application seeks that has not been decided' }) };
  const lot = found.lots.find((l) => String(l._id) === form.data.lot)!;
  return { ok: true as const, data: form.data, lotName: `Lot ${lot.number}: ${lot.title}`, found };
}

export function applicationsActionsRouter(): Router {
  const router = Router();

  // GET and POST /admin/applications/:id/clarification
  router.get('/applications/:id/clarification', async (req, res) => {
    await renderClarification(req, res, idParam(req));
  });
  router.post('/applications/:id/clarification', async (req, res) => {
    const id = idParam(req);
    const form = parseForm(clarificationForm, req.body);
    if (!form.ok) return renderClarification(req, res, id, { values: form.values, errors: form.errors }, 400);
    const { clock, mailer } = servicesOf(req);
    const outcome = await requestClarification(clock, mailer, currentUser(req)!, id, form.data.question);
    if (outcome === 'missing') throw createError(404);
    if (outcome === 'closed') return renderClarification(req, res, id, { values: form.data, errors: errorsFrom({ question: 'This application is no longer awaiting a decision, so you cannot ask a question about it' }) }, 409);
    flash(req, 'Your question has been sent to the supplier');
    res.redirect(303, `/admin/applications/${id}#clarifications`);
  });

  // GET and POST /admin/applications/:id/extension
  router.get('/applications/:id/extension', async (req, res) => {
    await renderExtension(req, res, idParam(req));
  });
  router.post('/applications/:id/extension', async (req, res) => {
    const id = idParam(req);
    const form = parseForm(extensionForm, req.body);
    if (!form.ok) return renderExtension(req, res, id, { values: form.values, errors: form.errors }, 400);
    const { clock, mailer } = servicesOf(req);
    const outcome = await extendDueBy(clock, mailer, currentUser(req)!, id, form.data.reason);
    if (!outcome.ok) {
      if (outcome.refusal === 'missing') throw createError(404);
      return renderExtension(req, res, id, { values: form.data, errors: errorsFrom({ refusal: EXTENSION_REFUSALS[outcome.refusal] }) }, 409);
    }
    flash(req, `The due-by date is now ${formatDate(outcome.extendedDueBy)}`);
    res.redirect(303, `/admin/applications/${id}`);
  });

  // GET and POST /admin/applications/:id/decision: the form; a valid POST shows the confirmation page.
  router.get('/applications/:id/decision', async (req, res) => {
    await renderDecision(req, res, idParam(req));
  });
  router.post('/applications/:id/decision', async (req, res) => {
    const id = idParam(req);
    const checked = await checkDecision(id, req.body);
    if (!checked.ok) return renderDecision(req, res, id, { values: checked.values, errors: checked.errors }, 400);
    res.render('admin/applications/decision-confirm', {
      pageTitle: 'Confirm the decision', id, caption: caption(checked.found), lotName: checked.lotName, decision: checked.data,
      summary: [
        { key: { text: 'Lot' }, value: { text: checked.lotName } },
        { key: { text: 'Decision' }, value: { text: checked.data.outcome === 'admitted' ? 'Admit' : 'Reject' } },
        { key: { text: 'Reasons the supplier will read' }, value: { text: checked.data.reasons } },
      ],
    });
  });

  // POST /admin/applications/:id/decision/confirm: records the decision.
  router.post('/applications/:id/decision/confirm', async (req, res) => {
    const id = idParam(req);
    const checked = await checkDecision(id, req.body);
    if (!checked.ok) return renderDecision(req, res, id, { values: checked.values, errors: checked.errors }, 400);
    const { clock, mailer } = servicesOf(req);
    const outcome = await decide(clock, mailer, currentUser(req)!, id, checked.data.lot, checked.data.outcome, checked.data.reasons);
    if (outcome === 'missing') throw createError(404);
    if (outcome !== 'decided') {
      return renderDecision(req, res, id, { values: { ...checked.data }, errors: errorsFrom({ lot: 'This lot has already been decided, or the application is no longer awaiting a decision' }) }, 409);
    }
    flash(req, `${checked.lotName}: ${checked.data.outcome === 'admitted' ? 'supplier admitted' : 'application rejected'}. The supplier has been emailed`);
    res.redirect(303, `/admin/applications/${id}#decisions`);
  });

  return router;
}
