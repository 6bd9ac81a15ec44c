// The network's social-value measure catalogue: the list by theme, adding and changing a measure
// (re-basing its proxy value), and withdrawing or reinstating it after a confirmation page.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { formatMoney, parsePounds, penceToPounds } from '../../server/domain/money';
import { addMeasure, ActiveChange, changeMeasure, findMeasure, listMeasures, MEASURE_PAGE_SIZE, setMeasureActive } from '../../server/services/measureCatalogue';
import { errorsFrom, FormErrors, parseForm, requiredText } from '../../server/validation';
import { flash } from '../render';
import { idParam, linkCell, pageParam, paging, tagCell } from './helpers';

export const DESCRIPTION_MAX = 2000;

const codeField = z
  .string({ error: 'Enter the measure code' })
  .trim()
  .min(1, 'Enter the measure code')
  .max(20, 'Code must be 20 characters or fewer')
  .regex(/^[A-Za-z0-9-]+$/, 'Code must contain only letters, numbers and hyphens')
  .transform((c) => c.toUpperCase());

/** The fields both forms share; the latest proxy year allowed follows the clock. */
function detailsForm(maxYear: number) {
  return z.object({
    theme: requiredText('the theme', 200),
    outcome: requiredText('the outcome', 300),
    description: z
      .string({ error: 'Enter a description of the measure' })
      .trim()
      .min(1, 'Enter a description of the measure')
      .max(DESCRIPTION_MAX, `Description must be ${DESCRIPTION_MAX} characters or fewer`),
    unit: requiredText('the unit', 100),
    proxyValue: z
      .string({ error: 'Enter the proxy value per unit' })
      .trim()
      .min(1, 'Enter the proxy value per unit')
      .transform((text, ctx) => {
        const parsed = parsePounds(text, 'Proxy value per unit');
        if ('error' in parsed) {
          ctx.addIssue({ code: 'custom', message: parsed.error });
          return z.NEVER;
        }
        return parsed.pence;
      }),
    proxyYear: z
      .string({ error: 'Enter the year of the proxy value' })
      .trim()
      .min(1, 'Enter the year of the proxy value')
      .regex(/^[0-9]{4}$/, 'Year must be a whole number, like 2026')
      .transform(Number)
      .refine((y) => y >= 2000 && y <= maxYear, `Year must be between 2000 and ${maxYear}`),
  });
}

const confirmForm = z.object({
  confirm: z.enum(['yes', 'no'], { error: 'Select yes or no' }),
});

type FormView = { id?: string; code?: string; values: Record<string, unknown>; errors?: FormErrors };

function renderForm(res: Response, view: FormView, status = 200) {
  const pageTitle = view.id ? `Change measure ${view.code}` : 'Add a measure';
  res.status(status).render('admin/measures/form', {
    ...view, pageTitle, descriptionMax: DESCRIPTION_MAX, action: view.id ? `/admin/measures/${view.id}/edit` : '/admin/measures/new',
  });
}

/** The code is left out of the echoed values by parseForm (it looks like a secret); it is not one here. */
function valuesWithCode(req: Request, values: Record<string, unknown>) {
  const code = (req.body as Record<string, unknown> | undefined)?.code;
  return typeof code === 'string' ? { ...values, code } : values;
}

function maxYear(req: Request): number {
  return servicesOf(req).clock.now().getUTCFullYear() + 1;
}

async function measureOr404(req: Request) {
  const measure = await findMeasure(idParam(req));
  if (!measure) throw createError(404);
  return measure;
}

export function measuresRouter(): Router {
  const router = Router();

  // GET /admin/measures: grouped by theme (the list is sorted by theme, then code)
  router.get('/measures', async (req, res) => {
    const page = pageParam(req);
    const { total, items } = await listMeasures(page);
    const pager = paging('/admin/measures', page, total, MEASURE_PAGE_SIZE);
    const themes: Array<{ theme: string; rows: unknown[] }> = [];
    for (const m of items) {
      if (themes.at(-1)?.theme !== m.theme) themes.push({ theme: m.theme, rows: [] });
      themes.at(-1)!.rows.push([
        { text: m.code },
        { text: m.description },
        { text: m.unit },
        { text: `${formatMoney(m.proxyValuePence)} (${m.proxyYear})`, format: 'numeric' },
        m.active ? tagCell('Active', 'green') : tagCell('Withdrawn', 'grey'),
        linkCell(`/admin/measures/${m._id}/edit`, 'Change', `measure ${m.code}`),
        m.active
          ? linkCell(`/admin/measures/${m._id}/withdraw`, 'Withdraw', `measure ${m.code}`)
          : linkCell(`/admin/measures/${m._id}/reinstate`, 'Reinstate', `measure ${m.code}`),
      ]);
    }
    res.render('admin/measures/list', { pageTitle: 'Social value measures', themes, pager });
  });

  // GET and POST /admin/measures/new
  router.get('/measures/new', (_req, res) => renderForm(res, { values: {} }));
  router.post('/measures/new', async (req, res) => {
    const form = parseForm(z.object({ code: codeField, ...detailsForm(maxYear(req)).shape }), req.body);
    if (!form.ok) return renderForm(res, { values: valuesWithCode(req, form.values), errors: form.errors }, 400);
    const { proxyValue, ...rest } = form.data;
    const result = await addMeasure(servicesOf(req).clock, currentUser(req)!, { ...rest, proxyValuePence: proxyValue });
    if (result.outcome === 'duplicate') {
      const errors = errorsFrom({ code: `A measure with code ${form.data.code} already exists` });
      return renderForm(res, { values: valuesWithCode(req, req.body), errors }, 400);
    }
    flash(req, `Measure ${form.data.code} added`);
    res.redirect(303, '/admin/measures');
  });

  // GET and POST /admin/measures/:id/edit: the code is shown but never changed (bids and contracts refer to it)
  router.get('/measures/:id/edit', async (req, res) => {
    const m = await measureOr404(req);
    const values = { theme: m.theme, outcome: m.outcome, description: m.description, unit: m.unit, proxyValue: penceToPounds(m.proxyValuePence), proxyYear: String(m.proxyYear) };
    renderForm(res, { id: String(m._id), code: m.code, values });
  });
  router.post('/measures/:id/edit', async (req, res) => {
    const m = await measureOr404(req);
    const id = String(m._id);
    const form = parseForm(detailsForm(maxYear(req)), req.body);
    if (!form.ok) return renderForm(res, { id, code: m.code, values: form.values, errors: form.errors }, 400);
    const { proxyValue, ...rest } = form.data;
    const outcome = await changeMeasure(servicesOf(req).clock, currentUser(req)!, id, { ...rest, proxyValuePence: proxyValue });
    if (outcome === 'missing') throw createError(404);
    flash(req, `Measure ${m.code} saved`);
    res.redirect(303, '/admin/measures');
  });

  // GET and POST /admin/measures/:id/withdraw and /reinstate: a yes/no confirmation
  for (const change of ['withdraw', 'reinstate'] as const) {
    router.get(`/measures/:id/${change}`, async (req, res) => {
      renderConfirm(res, change, await measureOr404(req), {});
    });
    router.post(`/measures/:id/${change}`, async (req, res) => {
      const m = await measureOr404(req);
      const form = parseForm(confirmForm, req.body);
      if (!form.ok) return renderConfirm(res, change, m, { errors: errorsFrom({ confirm: `Select yes if you want to ${change} measure ${m.code}` }) }, 400);
      if (form.data.confirm === 'no') return res.redirect(303, '/admin/measures');
      const outcome = await setMeasureActive(servicesOf(req).clock, currentUser(req)!, String(m._id), change);
      if (outcome === 'missing') throw createError(404);
      if (outcome === 'unchanged') return renderConfirm(res, change, await measureOr404(req), {}, 409);
      flash(req, `Measure ${m.code} ${change === 'withdraw' ? 'withdrawn' : 'reinstated'}`);
      res.redirect(303, '/admin/measures');
    });
  }

  return router;
}

type Measure = NonNullable<Awaited<ReturnType<typeof findMeasure>>>;

/** The confirmation page; when the measure is already in the state asked for, it says so instead of asking. */
function renderConfirm(res: Response, change: ActiveChange, m: Measure, view: { errors?: FormErrors }, status = 200) {
  const alreadyDone = change === 'withdraw' ? !m.active : m.active;
  // a POST for a change already made (another admin, a second tab) is told so, whatever it answered
  if (alreadyDone && status !== 200) {
    status = 409;
    view = {};
  }
  const pageTitle = alreadyDone
    ? `Measure ${m.code} is already ${change === 'withdraw' ? 'withdrawn' : 'offered to suppliers'}`
    : `Are you sure you want to ${change} measure ${m.code}?`;
  res.status(status).render('admin/measures/confirm', {
    ...view, values: {}, pageTitle, change, alreadyDone, id: String(m._id), code: m.code,
    summary: [
      { key: { text: 'Theme' }, value: { text: m.theme } },
      { key: { text: 'Description' }, value: { text: m.description } },
      { key: { text: 'Unit' }, value: { text: m.unit } },
      { key: { text: 'Proxy value per unit' }, value: { text: `${formatMoney(m.proxyValuePence)} (${m.proxyYear})` } },
    ],
  });
}
