// Keeping organisation details and policy documents current, once the organisation has applied:
//   GET  /supplier/organisation                     the profile (summary list with Change links) and the current policies
//   GET  /supplier/organisation/edit                the application's 'organisation' questions, pre-filled from the profile
//   POST /supplier/organisation/edit                validate with the form engine; update the profile (audited, old and new)
//   POST /supplier/organisation/policies/:policy    replace one policy document (multipart; audited)
// Mounted at /supplier/organisation behind requireRole('supplier'); everything is the user's own organisation's.
// A supplier that has not submitted an application has no profile to keep current: 403.
import { NextFunction, Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { FormValues, readForm, summaryRows, validateSection } from '../../server/domain/applicationForms';
import { errorsFrom, FormErrors } from '../../server/validation';
import { acceptUpload, logUploadRefused, registerUploadRoute, uploadedFile } from '../../server/middleware/uploads';
import { UploadRefused } from '../../server/services/documents';
import {
  canKeepCurrent, currentPolicies, loadProfile, policyFields, profileFormValues, profileSection, replacePolicy, updateProfile,
} from '../../server/services/organisationProfile';
import { flash } from '../render';

export const ORGANISATION_BASE = '/supplier/organisation';

function actor(req: Request) {
  const u = currentUser(req)!;
  return { _id: u._id, role: u.role, email: u.email, organisation: u.organisation };
}

/** Only an organisation that has submitted an application has a profile to keep current. */
async function requireApplied(req: Request, _res: Response, next: NextFunction): Promise<void> {
  if (!(await canKeepCurrent(currentUser(req)!.organisation))) return next(createError(403));
  next();
}

async function renderOverview(req: Request, res: Response, errors?: FormErrors, status = 200) {
  const organisation = currentUser(req)!.organisation;
  const [profile, policies] = await Promise.all([loadProfile(organisation), currentPolicies(organisation)]);
  if (!profile) throw createError(404);
  res.status(status).render('supplier/organisation/show', {
    pageTitle: 'Your organisation details', name: profile.name, errors, fieldErrors: errors?.fields ?? {},
    rows: summaryRows(profileSection(), profile.answers, { changeHref: `${ORGANISATION_BASE}/edit` }),
    policies,
  });
}

function renderEdit(res: Response, values: FormValues, errors?: FormErrors, status = 200) {
  res.status(status).render('supplier/organisation/edit', {
    pageTitle: 'Change your organisation details', section: profileSection(), values, errors, fieldErrors: errors?.fields ?? {}, documents: {},
    action: `${ORGANISATION_BASE}/edit`,
  });
}

const POLICY_PATH = `${ORGANISATION_BASE}/policies/:policy`;
const policyUploads = acceptUpload(policyFields().map((f) => `${f.name}-upload`));

export function organisationRouter(): Router {
  const router = Router();
  registerUploadRoute(POLICY_PATH);

  // GET /supplier/organisation
  router.get('/', requireApplied, async (req, res) => {
    await renderOverview(req, res);
  });

  // GET /supplier/organisation/edit
  router.get('/edit', requireApplied, async (req, res) => {
    const profile = await loadProfile(currentUser(req)!.organisation);
    if (!profile) throw createError(404);
    renderEdit(res, profileFormValues(profile.answers));
  });

  // POST /supplier/organisation/edit
  router.post('/edit', requireApplied, async (req, res) => {
    const section = profileSection();
    const values = readForm(section.fields, (req.body ?? {}) as Record<string, unknown>);
    const result = validateSection(section, 'complete', values);
    if (!result.ok) return renderEdit(res, values, result.errors, 400);
    const outcome = await updateProfile(servicesOf(req).clock, actor(req), result.answers);
    if (outcome.outcome === 'not-eligible') throw createError(403);
    flash(req, outcome.outcome === 'updated' ? 'Your organisation details have been updated' : 'You did not change anything');
    res.redirect(303, ORGANISATION_BASE);
  });

  // POST /supplier/organisation/policies/:policy: multer and the CSRF check first (acceptUpload), then the eligibility check
  router.post('/policies/:policy', policyUploads, requireApplied, async (req, res) => {
    const field = policyFields().find((f) => f.name === req.params.policy);
    if (!field) throw createError(404);
    const input = `${field.name}-upload`;
    const file = uploadedFile(req, input);
    if (!file) return renderOverview(req, res, errorsFrom({ [input]: `Select a new ${field.label.toLowerCase()}` }), 400);
    try {
      const { clock, scanner } = servicesOf(req);
      const outcome = await replacePolicy(clock, actor(req), field.name, file, scanner);
      if (outcome === 'missing') throw createError(404);
      if (outcome === 'not-eligible') throw createError(403);
    } catch (err) {
      if (!(err instanceof UploadRefused)) throw err;
      return renderOverview(req, res, errorsFrom({ [input]: `${field.label}: ${logUploadRefused(req, input, err)}` }), 400);
    }
    flash(req, `${field.label}: your new file has been uploaded`);
    res.redirect(303, `${ORGANISATION_BASE}#policies`);
  });

  return router;
}
