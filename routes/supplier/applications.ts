// The supplier's application journey: list and start, the task list, each section (save as you go),
// check your answers, submit and confirmation, withdraw, and answering the panel's clarification questions.
// Mounted at /supplier/applications behind requireRole('supplier'); every read is scoped to the user's organisation.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { SECTIONS, Section } from '../../server/domain/applicationQuestions';
import { Answers, caseStudyProblems, documentIds, FormValues, LotRef, pluralise, readForm, resolveSection, summaryRows, toFormValues, validateSection } from '../../server/domain/applicationForms';
import { errorsFrom, FormErrors, parseForm } from '../../server/validation';
import {
  activeLots, admittedLotIds, answerClarification, canStartApplication, documentNames, documentViews, findApplication, listApplications, lotsSought,
  saveSection, sectionStatuses, startApplication, submissionProblems, submitApplication, withdrawApplication,
} from '../../server/services/applications';
import { acceptUpload, registerUploadRoute, uploadedFile } from '../../server/middleware/uploads';
import { isMultipart } from '../../server/middleware/csrf';
import { storeUpload, UploadRefused } from '../../server/services/documents';
import { flash } from '../render';
import { idParam } from '../admin/helpers';
import { BASE, formatDate, formatReceiptTime, linkCell, statusTag, tagCell, taskListItems } from './applicationViews';

function actor(req: Request) {
  const u = currentUser(req)!;
  return { _id: u._id, role: u.role, email: u.email, organisation: u.organisation };
}

/** The application in the path, owned by the user's organisation, or a 404. */
async function ownApplication(req: Request) {
  const app = await findApplication(currentUser(req)!.organisation, idParam(req));
  if (!app) throw createError(404);
  return app;
}

function sectionParam(req: Request): string {
  const key = req.params.section;
  if (typeof key !== 'string' || !SECTIONS.some((s) => s.key === key)) throw createError(404);
  return key;
}

function locked(res: Response, app: { _id: unknown; reference?: string | null; status: string }): void {
  res.status(409).render('supplier/application/locked', { pageTitle: 'You cannot change this application', app, status: statusTag(app.status) });
}

type App = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

async function renderSection(res: Response, app: App, section: Section, lots: LotRef[], values: FormValues, errors?: FormErrors, status = 200) {
  const id = String(app._id);
  if (section.key === 'lots') {
    // an admitted supplier applying for further lots sees which it already holds
    const admitted = new Set(await admittedLotIds(String(app.supplier)));
    section = { ...section, fields: section.fields.map((f) => (f.kind === 'checkboxes' ? { ...f, options: f.options.map((o) => (admitted.has(o.value) ? { ...o, hint: 'You are already admitted to this lot' } : o)) } : f)) };
  }
  const problems = section.key === 'technical' ? caseStudyProblems(lotsSought(app, lots), (app.answers as any)?.technical?.caseStudies) : [];
  const files = documentIds(section.fields, (app.answers as any)?.[section.key]);
  for (const f of section.fields) if (f.kind === 'file' && typeof values[f.name] === 'string' && !files.includes(values[f.name])) files.push(values[f.name]);
  const documents = await documentViews(String(app.supplier), files);
  const hasFiles = section.fields.some((f) => f.kind === 'file');
  res.status(status).render('supplier/application/section', {
    pageTitle: section.title, id, section, values, errors, problems, documents, hasFiles, fieldErrors: errors?.fields ?? {},
    action: `${BASE}/${id}/sections/${section.key}`, pluralise,
  });
}

const clarificationForm = z.object({
  answer: z.string({ error: 'Enter your answer' }).trim().min(1, 'Enter your answer').max(10000, 'Your answer must be 10,000 characters or fewer'),
});

const SECTION_PATH = `${BASE}/:id/sections/:section`;
/** The file inputs of each section that has file questions: `<question>-upload`. */
const uploadParsers = new Map(SECTIONS.flatMap((s) => {
  const names = s.fields.filter((f) => f.kind === 'file').map((f) => `${f.name}-upload`);
  return names.length ? [[s.key, acceptUpload(names)] as const] : [];
}));

/** Multipart section posts go through acceptUpload (multer in memory, then the CSRF check); others are plain forms. */
function sectionUploads(req: Request, res: Response, next: (err?: unknown) => void): void {
  if (!isMultipart(req)) return next();
  const parser = uploadParsers.get(String(req.params.section));
  if (!parser) return next(createError(400, 'this section takes no files'));
  parser(req, res, next);
}

/** Stores each file chosen in the form; its id replaces the question's value. Refusals come back as field errors. */
async function storeChosenFiles(req: Request, section: Section, applicationId: string, values: FormValues): Promise<Record<string, string>> {
  const problems: Record<string, string> = {};
  const user = currentUser(req)!;
  const { clock, scanner } = servicesOf(req);
  for (const f of section.fields) {
    if (f.kind !== 'file') continue;
    const file = uploadedFile(req, `${f.name}-upload`);
    if (!file) continue;
    try {
      const stored = await storeUpload(clock, { owner: user.organisation, uploadedBy: user._id, purpose: f.purpose, application: applicationId, file }, scanner);
      values[f.name] = stored.id;
    } catch (err) {
      if (!(err instanceof UploadRefused)) throw err;
      problems[f.name] = `${f.label}: ${err.message}`;
    }
  }
  return problems;
}

export function applicationsRouter(): Router {
  const router = Router();
  registerUploadRoute(SECTION_PATH);

  // GET /supplier/applications: the organisation's applications, and starting a new one
  router.get('/', async (req, res) => {
    const organisation = currentUser(req)!.organisation;
    const [apps, canStart] = await Promise.all([listApplications(organisation), canStartApplication(organisation)]);
    const rows = apps.map((a) => [
      linkCell(`${BASE}/${a._id}`, a.reference ?? 'Draft application', a.reference ? undefined : `started ${formatDate(a.createdAt)}`),
      { text: a.submittedAt ? formatDate(a.submittedAt) : 'Not submitted' },
      tagCell(a.status),
    ]);
    const open = apps.find((a) => a.status === 'draft' || a.status === 'submitted');
    res.render('supplier/application/list', { pageTitle: 'Your applications', rows, canStart, open: open ? { id: String(open._id), status: open.status } : undefined });
  });

  // POST /supplier/applications: start a new application
  router.post('/', async (req, res) => {
    const outcome = await startApplication(servicesOf(req).clock, actor(req));
    if (!outcome.ok) {
      flash(req, 'You already have an application in progress. Continue it, or withdraw it to start again.', undefined, 'important');
      return res.redirect(303, outcome.existing ? `${BASE}/${outcome.existing}` : BASE);
    }
    res.redirect(303, `${BASE}/${outcome.id}`);
  });

  // GET /supplier/applications/:id: the task list for a draft; status, decisions and clarifications after
  router.get('/:id', async (req, res) => {
    const app = await ownApplication(req);
    const lots = await activeLots();
    const id = String(app._id);
    if (app.status === 'draft') {
      const tasks = taskListItems(id, sectionStatuses(app, lots));
      return res.render('supplier/application/task-list', { pageTitle: 'Apply to join the DPS', id, tasks });
    }
    await renderShow(res, app);
  });

  // GET /supplier/applications/:id/sections/:section
  router.get('/:id/sections/:section', async (req, res) => {
    const key = sectionParam(req);
    const app = await ownApplication(req);
    if (app.status !== 'draft') return res.redirect(303, `${BASE}/${app._id}/check-answers`);
    const lots = await activeLots();
    const section = resolveSection(key, lots)!;
    await renderSection(res, app, section, lots, toFormValues(section.fields, (app.answers as any)?.[key]));
  });

  // POST /supplier/applications/:id/sections/:section: save and continue, save as draft, add or remove a repeat item
  router.post('/:id/sections/:section', sectionUploads, async (req, res) => {
    const key = sectionParam(req);
    const app = await ownApplication(req);
    if (app.status !== 'draft') return locked(res, app);
    const lots = await activeLots();
    const section = resolveSection(key, lots)!;
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (body.action !== undefined && typeof body.action !== 'string') throw createError(400);
    const action = typeof body.action === 'string' ? body.action : 'continue';
    const values = readForm(section.fields, body);
    const id = String(app._id);
    const path = `${BASE}/${id}/sections/${key}`;

    const repeatOp = /^(add|remove)-([A-Za-z]+)(?:-(\d{1,3}))?$/.exec(action);
    const mode = action === 'continue' ? 'complete' : 'draft';
    if (!repeatOp && action !== 'continue' && action !== 'draft') throw createError(400);
    const uploadProblems = await storeChosenFiles(req, section, id, values);
    const result = validateSection(section, mode, values);
    if (!result.ok || Object.keys(uploadProblems).length) {
      const fields = { ...uploadProblems, ...(result.ok ? {} : result.errors.fields) };
      const ordered = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => fieldOrder(section, a) - fieldOrder(section, b)));
      return renderSection(res, app, section, lots, values, errorsFrom(ordered), 400);
    }
    const answers: Answers = result.answers;

    let anchor = '';
    if (repeatOp) {
      const field = section.fields.find((f) => f.name === repeatOp[2]);
      if (!field || field.kind !== 'repeat') throw createError(400);
      const items: Answers[] = Array.isArray(answers[field.name]) ? [...answers[field.name]] : [];
      if (repeatOp[1] === 'add') {
        if (items.length >= field.max) {
          return renderSection(res, app, section, lots, values, errorsFrom({ [field.name]: `You can add up to ${field.max} ${pluralise(field.itemName)}` }), 400);
        }
        items.push({});
        anchor = `#${field.name}-${items.length - 1}`;
      } else {
        const index = Number(repeatOp[3]);
        if (!(index < items.length)) throw createError(400);
        items.splice(index, 1);
        anchor = `#${field.name}`;
      }
      answers[field.name] = items;
    }

    const outcome = await saveSection(actor(req), id, key, answers, mode === 'complete' && !repeatOp, lots);
    if (outcome === 'missing') throw createError(404);
    if (outcome === 'locked') return locked(res, app);
    if (typeof outcome === 'object') {
      const fields: Record<string, string> = {};
      for (const f of section.fields) if (f.kind === 'file' && outcome.badDocuments.includes(answers[f.name])) fields[f.name] = `Upload ${f.label.toLowerCase()} again`;
      return renderSection(res, app, section, lots, values, errorsFrom(Object.keys(fields).length ? fields : { form: 'Upload your files again' }), 400);
    }
    if (repeatOp) return res.redirect(303, path + anchor);
    flash(req, mode === 'complete' ? `${section.title}: saved and marked as completed` : `${section.title}: saved as a draft`);
    res.redirect(303, `${BASE}/${id}`);
  });

  // GET /supplier/applications/:id/check-answers: every answer, with Change links while a draft
  router.get('/:id/check-answers', async (req, res) => {
    const app = await ownApplication(req);
    await renderCheckAnswers(res, app);
  });

  // POST /supplier/applications/:id/submit
  router.post('/:id/submit', async (req, res) => {
    const id = idParam(req);
    const { clock, mailer } = servicesOf(req);
    const outcome = await submitApplication(clock, mailer, actor(req), id);
    if (outcome.outcome === 'missing') throw createError(404);
    if (outcome.outcome === 'submitted') {
      if (outcome.emailFailed.length) req.log?.warn({ event: 'application.email-failed', applicationId: id, count: outcome.emailFailed.length }, 'confirmation e-mail not sent');
      return res.redirect(303, `${BASE}/${id}/confirmation`);
    }
    if (outcome.outcome === 'already') {
      if (outcome.status === 'submitted' || outcome.status === 'decided') return res.redirect(303, `${BASE}/${id}/confirmation`);
      return locked(res, (await ownApplication(req)));
    }
    const app = await ownApplication(req);
    // each problem links to the section that fixes it
    const errors: FormErrors = { fields: {}, list: outcome.problems.map((p) => ({ text: p.text, href: `${BASE}/${id}/sections/${p.section}` })) };
    await renderCheckAnswers(res, app, errors, 400);
  });

  // GET /supplier/applications/:id/confirmation
  router.get('/:id/confirmation', async (req, res) => {
    const app = await ownApplication(req);
    if (!app.reference) return res.redirect(303, `${BASE}/${app._id}`);
    const contacts = (app.snapshot as any)?.answers?.contacts ?? {};
    res.render('supplier/application/confirmation', {
      pageTitle: 'Application submitted', id: String(app._id), reference: app.reference,
      receivedAt: formatReceiptTime(app.submittedAt), dueBy: formatDate(app.dueBy), mainEmail: contacts.mainEmail, userEmail: currentUser(req)!.email,
    });
  });

  // GET and POST /supplier/applications/:id/withdraw
  router.get('/:id/withdraw', async (req, res) => {
    const app = await ownApplication(req);
    if (app.status !== 'draft' && app.status !== 'submitted') return locked(res, app);
    res.render('supplier/application/withdraw', { pageTitle: 'Withdraw your application', id: String(app._id), app });
  });
  router.post('/:id/withdraw', async (req, res) => {
    const id = idParam(req);
    const outcome = await withdrawApplication(servicesOf(req).clock, actor(req), id);
    if (outcome === 'missing') throw createError(404);
    if (outcome === 'not-allowed') return locked(res, await ownApplication(req));
    flash(req, 'Your application has been withdrawn. You can start a new one at any time.');
    res.redirect(303, BASE);
  });

  // POST /supplier/applications/:id/clarifications/:clarification: answer the panel's question
  router.post('/:id/clarifications/:clarification', async (req, res) => {
    const app = await ownApplication(req);
    const clarificationId = idParam(req, 'clarification');
    const form = parseForm(clarificationForm, req.body);
    if (!form.ok) {
      const fields = { [`answer-${clarificationId}`]: form.errors.fields.answer ?? 'Enter your answer' };
      return renderShow(res, app, errorsFrom(fields), { [`answer-${clarificationId}`]: form.values.answer }, 400);
    }
    const outcome = await answerClarification(servicesOf(req).clock, actor(req), String(app._id), clarificationId, form.data.answer);
    if (outcome === 'missing') throw createError(404);
    if (outcome === 'not-allowed') return locked(res, app);
    flash(req, 'Your answer has been sent to the network\u2019s panel');
    res.redirect(303, `${BASE}/${app._id}`);
  });

  return router;
}

/** Page order of an error key (the question it belongs to), for the error summary. */
function fieldOrder(section: Section, key: string): number {
  const i = section.fields.findIndex((f) => key === f.name || key.startsWith(`${f.name}-`));
  return i < 0 ? section.fields.length : i;
}

async function renderShow(res: Response, app: App, errors?: FormErrors, values: Record<string, unknown> = {}, status = 200) {
  const snapshotLots: LotRef[] = (app.snapshot as any)?.lots ?? [];
  const lotName = (lotId: unknown) => {
    const l = snapshotLots.find((x) => String(x._id) === String(lotId));
    return l ? `Lot ${l.number}: ${l.title}` : 'Lot';
  };
  const decisions = (app.decisions ?? []).map((d) => ({ lot: lotName(d.lot), outcome: d.outcome, reasons: d.reasons, decidedAt: formatDate(d.decidedAt) }));
  const clarifications = (app.clarifications ?? []).map((c) => ({
    id: String(c._id), question: c.question, askedAt: formatDate(c.askedAt), answer: c.answer, answeredAt: c.answeredAt ? formatReceiptTime(c.answeredAt) : undefined,
  }));
  res.status(status).render('supplier/application/show', {
    pageTitle: app.reference ? `Application ${app.reference}` : 'Your application', id: String(app._id), app, status: statusTag(app.status), decisions, clarifications,
    lots: snapshotLots.map((l) => `Lot ${l.number}: ${l.title}`),
    receivedAt: formatReceiptTime(app.submittedAt), dueBy: formatDate(app.extendedDueBy ?? app.dueBy), withdrawnAt: formatReceiptTime(app.withdrawnAt),
    canWithdraw: app.status === 'submitted', errors, values, fieldErrors: errors?.fields ?? {},
  });
}

async function renderCheckAnswers(res: Response, app: App, errors?: FormErrors, status = 200) {
  const id = String(app._id);
  const draft = app.status === 'draft';
  const lots: LotRef[] = draft ? await activeLots() : ((app.snapshot as any)?.lots ?? []);
  const answers = draft ? (app.answers as any) : (app.snapshot as any)?.answers ?? {};
  const allDocs = SECTIONS.flatMap((s) => documentIds(resolveSection(s.key, lots)!.fields, answers?.[s.key]));
  const documents = await documentNames(String(app.supplier), allDocs);
  const sections = SECTIONS.map((s) => {
    const section = resolveSection(s.key, lots)!;
    return { key: s.key, title: s.title, rows: summaryRows(section, answers?.[s.key], { changeHref: draft ? `${BASE}/${id}/sections/${s.key}` : undefined, documents }) };
  });
  const problems = draft ? submissionProblems(app, lots) : [];
  res.status(status).render('supplier/application/check-answers', {
    pageTitle: draft ? 'Check your answers before submitting your application' : 'Your submitted answers', id, sections, draft, problems, errors,
    reference: app.reference,
  });
}
