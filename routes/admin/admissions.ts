// Admissions: the suppliers admitted to each lot, with their status over time. An admin can suspend or remove
// an admission (on a ground, with a reason, after a confirmation page) or reinstate a suspended one.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { REMOVAL_GROUNDS } from '../../models/Admission';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { AdmissionAction, allowedAdmissionActions } from '../../server/domain/vetting';
import { admissionCounts, changeAdmission, findAdmission, lotAdmissions } from '../../server/services/vetting';
import { errorsFrom, FormErrors, parseForm } from '../../server/validation';
import { flash } from '../render';
import { formatDate, formatDateTime, idParam, linkCell } from './helpers';
import { admissionTag } from './applicationsView';
import { declarationsFor, DeclarationView, requestSelfDeclaration } from '../../server/services/selfDeclarations';
import { declarationAnswerLists, DECLARATION_TAGS } from '../supplier/declarations';
import { EXCLUSION_GROUNDS } from '../../server/domain/applicationQuestions';
import { escapeHtml, govuk } from '../../server/views/govuk';

export const ADMISSION_REASON_MAX = 2000;

const reason = z
  .string({ error: 'Enter the reason' })
  .trim()
  .min(1, 'Enter the reason')
  .max(ADMISSION_REASON_MAX, `The reason must be ${ADMISSION_REASON_MAX} characters or fewer`);
export const groundedForm = z.object({
  ground: z.enum(REMOVAL_GROUNDS, { error: 'Select the ground' }),
  reason,
});
export const reinstateForm = z.object({ reason });
export const selfDeclarationForm = z.object({ reason });

/** A declaration for the admission page: dates, tag, and its answers with every "yes" to an exclusion ground flagged. */
function declarationForAdmin(d: DeclarationView) {
  const yes = new Set(d.yes.map((name) => EXCLUSION_GROUNDS.find((g) => g.name === name)?.label));
  const lists = d.submittedAt ? declarationAnswerLists(d).map((l) => ({
    ...l,
    rows: l.rows.map((r) => (yes.has(r.key.text)
      // the key is our own question text (escaped); the supplier's answer stays a text value
      ? { ...r, classes: 'app-flagged', key: { html: `${escapeHtml(r.key.text)} ${govuk('tag', { text: 'Yes', classes: 'govuk-tag--red' })}` } }
      : r)),
  })) : [];
  return {
    id: d.id, tag: DECLARATION_TAGS[d.status], reason: d.reason, yesCount: d.yes.length, lists,
    requestedAt: formatDateTime(d.requestedAt), dueBy: formatDateTime(d.dueBy), submittedAt: d.submittedAt ? formatDateTime(d.submittedAt) + (d.late ? ' (late)' : '') : undefined,
  };
}

async function renderSelfDeclaration(req: Request, res: Response, id: string, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) {
  const found = await loadOr404(id);
  const open = (await declarationsFor(String(found.admission.supplier), servicesOf(req).clock.now())).find((d) => !d.submittedAt);
  res.status(status).render('admin/admissions/self-declaration', {
    pageTitle: 'Request a renewed self-declaration', id, ...describe(found), reasonMax: ADMISSION_REASON_MAX,
    open: open ? declarationForAdmin(open) : undefined, removed: found.admission.status === 'removed', values: form.values ?? {}, errors: form.errors,
  });
}

const GROUND_ITEMS = [
  { value: 'excluded', text: 'Excluded', hint: { text: 'A mandatory exclusion ground applies (Procurement Act 2023, Schedule 6)' } },
  { value: 'excludable', text: 'Excludable', hint: { text: 'A discretionary exclusion ground applies (Procurement Act 2023, Schedule 7)' } },
  { value: 'no longer meets the conditions', text: 'No longer meets the conditions for membership' },
];

const VERB: Record<AdmissionAction, { title: string; button: string; done: string }> = {
  suspend: { title: 'Suspend this admission', button: 'Suspend admission', done: 'suspended' },
  remove: { title: 'Remove this supplier from the lot', button: 'Remove supplier', done: 'removed' },
  reinstate: { title: 'Reinstate this admission', button: 'Reinstate admission', done: 'reinstated' },
};

async function loadOr404(id: string) {
  const found = await findAdmission(id);
  if (!found) throw createError(404);
  return found;
}

function describe(found: Awaited<ReturnType<typeof loadOr404>>) {
  const supplier = found.supplier?.profile?.legalName || found.supplier?.name || '';
  const lot = found.lot ? `Lot ${found.lot.number}: ${found.lot.title}` : '';
  return { supplier, lot };
}

async function renderChange(req: Request, res: Response, id: string, action: AdmissionAction, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200) {
  const found = await loadOr404(id);
  res.status(status).render('admin/admissions/change', {
    pageTitle: VERB[action].title, id, action, verb: VERB[action], ...describe(found),
    allowed: allowedAdmissionActions(found.admission.status).includes(action), currentStatus: found.admission.status,
    groundItems: action === 'reinstate' ? undefined : GROUND_ITEMS, reasonMax: ADMISSION_REASON_MAX,
    values: form.values ?? {}, errors: form.errors,
  });
}

async function apply(req: Request, res: Response, id: string, action: AdmissionAction, data: { reason: string; ground?: (typeof REMOVAL_GROUNDS)[number] }) {
  const { clock, mailer } = servicesOf(req);
  const outcome = await changeAdmission(clock, mailer, currentUser(req)!, id, { action, ...data });
  if (outcome === 'missing') throw createError(404);
  if (outcome === 'not-allowed') return renderChange(req, res, id, action, { values: data, errors: errorsFrom({ reason: 'The admission\u2019s status has changed, so this cannot be done' }) }, 409);
  flash(req, `Admission ${VERB[action].done}. The supplier has been emailed`);
  res.redirect(303, `/admin/admissions/${id}`);
}

export function admissionsRouter(): Router {
  const router = Router();

  // GET /admin/admissions: each lot with its admitted, suspended and removed suppliers counted.
  router.get('/admissions', async (_req, res) => {
    const lots = await admissionCounts();
    const rows = lots.map((l) => [
      linkCell(`/admin/admissions/lots/${l.id}`, `Lot ${l.number}: ${l.title}`),
      { text: String(l.active), format: 'numeric' },
      { text: String(l.suspended), format: 'numeric' },
      { text: String(l.removed), format: 'numeric' },
    ]);
    res.render('admin/admissions/index', { pageTitle: 'Admissions', rows });
  });

  // GET /admin/admissions/lots/:id: the suppliers admitted to one lot.
  router.get('/admissions/lots/:id', async (req, res) => {
    const found = await lotAdmissions(idParam(req));
    if (!found) throw createError(404);
    const rows = found.admissions.map((a) => {
      const last = a.history[a.history.length - 1];
      return [
        linkCell(`/admin/admissions/${a._id}`, a.supplierName || 'Supplier'),
        admissionTag(a.status),
        { text: formatDate(a.admittedAt) },
        { text: last ? `${formatDate(last.at)}: ${last.reason}` : '' },
      ];
    });
    res.render('admin/admissions/lot', { pageTitle: `Lot ${found.lot.number}: ${found.lot.title}`, rows });
  });

  // GET /admin/admissions/:id: one admission, its history and the changes it allows.
  router.get('/admissions/:id', async (req, res) => {
    const id = idParam(req);
    const found = await loadOr404(id);
    const { admission, application, names } = found;
    const { supplier, lot } = describe(found);
    const summary = [
      { key: { text: 'Supplier' }, value: { text: supplier } },
      { key: { text: 'Lot' }, value: { text: lot } },
      { key: { text: 'Status' }, value: admissionTag(admission.status) },
      { key: { text: 'Admitted' }, value: { text: formatDateTime(admission.admittedAt) } },
      { key: { text: 'Application' }, value: application ? linkCell(`/admin/applications/${application._id}`, application.reference ?? 'Application') : { text: '' } },
    ];
    const historyRows = [...admission.history].reverse().map((h) => [
      { text: formatDateTime(h.at) },
      admissionTag(h.status),
      { text: h.ground ?? '' },
      { text: h.reason },
      { text: h.by ? names[String(h.by)] ?? 'An admin' : '' },
    ]);
    const declarations = (await declarationsFor(String(admission.supplier), servicesOf(req).clock.now())).map(declarationForAdmin);
    res.render('admin/admissions/show', {
      pageTitle: `${supplier}: ${lot}`, id, supplier, lot, lotId: String(admission.lot), summary, historyRows,
      actions: allowedAdmissionActions(admission.status).map((a) => ({ action: a, text: VERB[a].button })),
      declarations, canRequestDeclaration: admission.status !== 'removed' && !declarations.some((d) => !d.submittedAt),
    });
  });

  // Suspend and remove: GET the form, POST it to see the confirmation page, POST .../confirm to make the change.
  for (const action of ['suspend', 'remove'] as const) {
    router.get(`/admissions/:id/${action}`, async (req, res) => {
      await renderChange(req, res, idParam(req), action);
    });
    router.post(`/admissions/:id/${action}`, async (req, res) => {
      const id = idParam(req);
      const form = parseForm(groundedForm, req.body);
      if (!form.ok) return renderChange(req, res, id, action, { values: form.values, errors: form.errors }, 400);
      const found = await loadOr404(id);
      res.render('admin/admissions/confirm', {
        pageTitle: `Are you sure you want to ${action === 'suspend' ? 'suspend this admission' : 'remove this supplier from the lot'}?`,
        id, action, verb: VERB[action], ...describe(found), data: form.data,
        summary: [
          { key: { text: 'Supplier' }, value: { text: describe(found).supplier } },
          { key: { text: 'Lot' }, value: { text: describe(found).lot } },
          { key: { text: 'Ground' }, value: { text: form.data.ground } },
          { key: { text: 'Reason the supplier will read' }, value: { text: form.data.reason } },
        ],
      });
    });
    router.post(`/admissions/:id/${action}/confirm`, async (req, res) => {
      const id = idParam(req);
      const form = parseForm(groundedForm, req.body);
      if (!form.ok) return renderChange(req, res, id, action, { values: form.values, errors: form.errors }, 400);
      await apply(req, res, id, action, form.data);
    });
  }

  // GET and POST /admin/admissions/:id/reinstate: no confirmation step (nothing is lost).
  router.get('/admissions/:id/reinstate', async (req, res) => {
    await renderChange(req, res, idParam(req), 'reinstate');
  });
  router.post('/admissions/:id/reinstate', async (req, res) => {
    const id = idParam(req);
    const form = parseForm(reinstateForm, req.body);
    if (!form.ok) return renderChange(req, res, id, 'reinstate', { values: form.values, errors: form.errors }, 400);
    await apply(req, res, id, 'reinstate', form.data);
  });

  // GET and POST /admin/admissions/:id/self-declaration: ask the supplier for a renewed self-declaration (due in 5 working days).
  router.get('/admissions/:id/self-declaration', async (req, res) => {
    await renderSelfDeclaration(req, res, idParam(req));
  });
  router.post('/admissions/:id/self-declaration', async (req, res) => {
    const id = idParam(req);
    const form = parseForm(selfDeclarationForm, req.body);
    if (!form.ok) return renderSelfDeclaration(req, res, id, { values: form.values, errors: form.errors }, 400);
    const { clock, mailer } = servicesOf(req);
    const outcome = await requestSelfDeclaration(clock, mailer, currentUser(req)!, id, form.data.reason);
    if (outcome.outcome === 'missing') throw createError(404);
    if (outcome.outcome !== 'requested') {
      const text = outcome.outcome === 'already' ? 'The supplier has a renewed self-declaration to answer already' : 'The supplier has been removed from this lot';
      return renderSelfDeclaration(req, res, id, { values: form.data, errors: errorsFrom({ reason: text }) }, 409);
    }
    flash(req, `Renewed self-declaration requested: due by ${formatDateTime(outcome.dueBy)}. The supplier has been emailed`);
    res.redirect(303, `/admin/admissions/${id}#self-declarations`);
  });

  return router;
}
