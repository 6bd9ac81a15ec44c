// Answering a renewed self-declaration the network asked for (due in 5 working days):
//   GET  /supplier/declarations/:id   the exclusion grounds and declarations (the application's own questions, form engine)
//   POST /supplier/declarations/:id   validate and record once (audited); 303 to the dashboard
// Mounted at /supplier/declarations behind requireRole('supplier'); another organisation's declaration answers 404.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { FormValues, readForm, summaryRows, validateSection } from '../../server/domain/applicationForms';
import { sectionByKey } from '../../server/domain/applicationQuestions';
import { FormErrors } from '../../server/validation';
import { declarationSection, DeclarationView, DECLARATION_SECTIONS, findDeclaration, submitDeclaration } from '../../server/services/selfDeclarations';
import { SelfDeclarationStatus } from '../../models/SelfDeclaration';
import { flash } from '../render';
import { idParam } from '../admin/helpers';
import { formatDate, formatReceiptTime } from './applicationViews';

export const DECLARATION_TAGS: Record<SelfDeclarationStatus, { text: string; classes: string }> = {
  requested: { text: 'Requested', classes: 'govuk-tag--blue' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--green' },
  overdue: { text: 'Overdue', classes: 'govuk-tag--red' },
};

/** Summary-list rows of a submitted declaration's answers, one list per section. */
export function declarationAnswerLists(d: DeclarationView) {
  return DECLARATION_SECTIONS.map((key) => {
    const section = sectionByKey(key)!;
    return { key, title: section.title, rows: summaryRows(section, d.answers?.[key]) };
  });
}

async function ownDeclaration(req: Request): Promise<DeclarationView> {
  const d = await findDeclaration(currentUser(req)!.organisation, idParam(req), servicesOf(req).clock.now());
  if (!d) throw createError(404);
  return d;
}

function render(res: Response, d: DeclarationView, values: FormValues, errors?: FormErrors, status = 200) {
  res.status(status).render('supplier/declarations/show', {
    pageTitle: 'Renewed self-declaration', d, section: declarationSection(), values, errors, fieldErrors: errors?.fields ?? {}, documents: {},
    tag: DECLARATION_TAGS[d.status], requestedAt: formatDate(d.requestedAt), dueBy: formatReceiptTime(d.dueBy), submittedAt: formatReceiptTime(d.submittedAt),
    answerLists: d.submittedAt ? declarationAnswerLists(d) : [], action: `/supplier/declarations/${d.id}`,
  });
}

export function declarationsRouter(): Router {
  const router = Router();

  // GET /supplier/declarations/:id
  router.get('/:id', async (req, res) => {
    const d = await ownDeclaration(req);
    render(res, d, {});
  });

  // POST /supplier/declarations/:id
  router.post('/:id', async (req, res) => {
    const d = await ownDeclaration(req);
    if (d.submittedAt) return render(res, d, {}, undefined, 409);
    const section = declarationSection();
    const values = readForm(section.fields, (req.body ?? {}) as Record<string, unknown>);
    const result = validateSection(section, 'complete', values);
    if (!result.ok) return render(res, d, values, result.errors, 400);
    const u = currentUser(req)!;
    const outcome = await submitDeclaration(servicesOf(req).clock, { _id: u._id, role: u.role, email: u.email, organisation: u.organisation }, d.id, result.answers);
    if (outcome === 'missing') throw createError(404);
    if (outcome === 'already') return render(res, await ownDeclaration(req), {}, undefined, 409);
    flash(req, 'Your renewed self-declaration has been sent to the network');
    res.redirect(303, '/supplier');
  });

  return router;
}
