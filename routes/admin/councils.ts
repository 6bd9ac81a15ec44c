// Member councils: the list, adding and editing a council, and a council's page with its buyers and invitations.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { COUNCIL_STATUSES, COUNCIL_TYPES, MEMBERSHIPS, NATIONS } from '../../models/Organisation';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { FormErrors, parseForm, requiredText } from '../../server/validation';
import { parseWholeNumber } from '../../server/domain/competitionForms';
import { frameworkSettings } from '../../server/services/competitions';
import {
  addCouncil, councilBuyers, councilInvitations, findCouncil, listCouncils, PAGE_SIZE, updateCouncil,
} from '../../server/services/organisations';
import { flash } from '../render';
import { formatDate, formatDateTime, idParam, linkCell, pageParam, paging, tagCell } from './helpers';

export const councilForm = z.object({
  name: requiredText('the council\u2019s name', 200),
  councilType: z.enum(COUNCIL_TYPES, { error: 'Select the kind of council' }),
  nation: z.enum(NATIONS, { error: 'Select the nation the council is in' }),
  membership: z.enum(MEMBERSHIPS, { error: 'Select the council\u2019s membership' }),
  status: z.enum(COUNCIL_STATUSES, { error: 'Select whether the membership is active or lapsed' }),
  // optional: blank means the framework's default applies
  belowThresholdMinDays: z.string({ error: 'Enter the minimum number of days as a whole number from 1 to 60' }).optional().transform((v, ctx) => {
    if (v === undefined || !v.trim()) return null;
    const r = parseWholeNumber(v, 1, 60, 'the minimum number of days');
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
    return r.ok ? r.value : null;
  }),
});

/** The radios' choices, for the form; labels read as sentences. */
export const councilChoices = {
  councilType: COUNCIL_TYPES.map((v) => ({ value: v, text: v.charAt(0).toUpperCase() + v.slice(1) })),
  nation: NATIONS.map((v) => ({ value: v, text: v })),
  membership: [{ value: 'full', text: 'Full member', hint: { text: 'Councils and combined authorities' } }, { value: 'associate', text: 'Associate member', hint: { text: 'Town and parish councils, council groups' } }],
  status: [{ value: 'active', text: 'Active' }, { value: 'lapsed', text: 'Lapsed' }],
};

const councilTypeText = (v?: string | null) => (v ? v.charAt(0).toUpperCase() + v.slice(1) : '');

function statusTag(status?: string | null) {
  return status === 'lapsed' ? tagCell('Lapsed', 'grey') : tagCell('Active', 'green');
}

function renderForm(res: Response, view: { id?: string; values: Record<string, unknown>; errors?: FormErrors }, status = 200) {
  const pageTitle = view.id ? 'Change a member council' : 'Add a member council';
  res.status(status).render('admin/councils/form', { ...view, pageTitle, choices: councilChoices, action: view.id ? `/admin/councils/${view.id}/edit` : '/admin/councils/new' });
}

export function councilsRouter(): Router {
  const router = Router();

  // GET /admin/councils: every member council, 25 a page.
  router.get('/councils', async (req, res) => {
    const page = pageParam(req);
    const { total, items } = await listCouncils(page);
    const pager = paging('/admin/councils', page, total, PAGE_SIZE);
    const rows = items.map((c) => [
      linkCell(`/admin/councils/${c._id}`, c.name),
      { text: councilTypeText(c.councilType) },
      { text: c.nation ?? '' },
      { text: c.membership === 'associate' ? 'Associate' : 'Full' },
      statusTag(c.status),
    ]);
    res.render('admin/councils/list', { pageTitle: 'Member councils', rows, pager });
  });

  // GET and POST /admin/councils/new
  router.get('/councils/new', (_req, res) => renderForm(res, { values: {} }));
  router.post('/councils/new', async (req, res) => {
    const form = parseForm(councilForm, req.body);
    if (!form.ok) return renderForm(res, { values: form.values, errors: form.errors }, 400);
    const id = await addCouncil(servicesOf(req).clock, currentUser(req)!, form.data);
    flash(req, `${form.data.name} added`);
    res.redirect(303, `/admin/councils/${id}`);
  });

  // GET /admin/councils/:id: the council, its buyers and its invitations.
  router.get('/councils/:id', async (req, res) => {
    await renderCouncil(req, res, idParam(req));
  });

  // GET and POST /admin/councils/:id/edit
  router.get('/councils/:id/edit', async (req, res) => {
    const id = idParam(req);
    const council = await findCouncil(id);
    if (!council) throw createError(404);
    const values = { name: council.name, councilType: council.councilType, nation: council.nation, membership: council.membership, status: council.status, belowThresholdMinDays: council.belowThresholdMinDays ? String(council.belowThresholdMinDays) : '' };
    renderForm(res, { id, values });
  });
  router.post('/councils/:id/edit', async (req, res) => {
    const id = idParam(req);
    if (!(await findCouncil(id))) throw createError(404);
    const form = parseForm(councilForm, req.body);
    if (!form.ok) return renderForm(res, { id, values: form.values, errors: form.errors }, 400);
    if (!(await updateCouncil(servicesOf(req).clock, currentUser(req)!, id, form.data))) throw createError(404);
    flash(req, `${form.data.name} updated`);
    res.redirect(303, `/admin/councils/${id}`);
  });

  return router;
}

/** The council page; the invitation form posts back to it, so errors re-render it too. */
export async function renderCouncil(req: Request, res: Response, id: string, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200): Promise<void> {
  const council = await findCouncil(id);
  if (!council) throw createError(404);
  const [buyers, invitations, framework] = await Promise.all([councilBuyers(id), councilInvitations(servicesOf(req).clock, id), frameworkSettings()]);
  const summary = [
    { key: { text: 'Name' }, value: { text: council.name } },
    { key: { text: 'Kind' }, value: { text: councilTypeText(council.councilType) } },
    { key: { text: 'Nation' }, value: { text: council.nation ?? '' } },
    { key: { text: 'Membership' }, value: { text: council.membership === 'associate' ? 'Associate' : 'Full' } },
    { key: { text: 'Status' }, value: statusTag(council.status) },
    { key: { text: 'Minimum days for below-threshold competitions' }, value: { text: council.belowThresholdMinDays ? `${council.belowThresholdMinDays} days` : `Not set: the framework\u2019s default of ${framework.belowThresholdMinDays} days applies` } },
  ];
  const buyerRows = buyers.map((b) => [{ text: b.name }, { text: b.email }, { text: b.lastSignInAt ? formatDateTime(b.lastSignInAt) : 'Not yet' }, b.status === 'disabled' ? tagCell('Disabled', 'grey') : tagCell('Active', 'green')]);
  const stateTag = { pending: tagCell('Pending', 'blue'), used: tagCell('Accepted', 'green'), expired: tagCell('Expired', 'grey') };
  const invitationRows = invitations.map((i) => [
    { text: i.email },
    { text: formatDateTime(i.createdAt) },
    { text: i.state === 'used' ? `Accepted ${formatDate(i.usedAt)}` : i.state === 'expired' ? `Expired ${formatDate(i.expiresAt)}` : `Expires ${formatDateTime(i.expiresAt)}` },
    stateTag[i.state],
  ]);
  const pending = invitations.filter((i) => i.state === 'pending').length;
  res.status(status).render('admin/councils/show', {
    pageTitle: council.name, council, id: String(council._id), summary, buyerRows, invitationRows, pending,
    values: form.values ?? {}, errors: form.errors,
  });
}
