// Lots of the DPS: the list, adding and editing a lot (number 1 to 99, unique).
import { Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { errorsFrom, FormErrors, parseForm, requiredText } from '../../server/validation';
import { findLot, listLots, saveLot } from '../../server/services/organisations';
import { flash } from '../render';
import { idParam, linkCell, tagCell } from './helpers';

export const DESCRIPTION_MAX = 2000;

export const lotForm = z.object({
  number: z
    .string({ error: 'Enter the lot number' })
    .trim()
    .min(1, 'Enter the lot number')
    .regex(/^[0-9]{1,2}$/, 'Lot number must be a whole number from 1 to 99')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 99, 'Lot number must be a whole number from 1 to 99'),
  title: requiredText('the lot title', 120),
  description: z
    .string({ error: 'Enter a description of the lot' })
    .trim()
    .min(1, 'Enter a description of the lot')
    .max(DESCRIPTION_MAX, `Description must be ${DESCRIPTION_MAX} characters or fewer`),
  active: z.enum(['yes', 'no'], { error: 'Select yes if suppliers can apply to this lot' }).transform((v) => v === 'yes'),
});

function renderForm(res: Response, view: { id?: string; values: Record<string, unknown>; errors?: FormErrors }, status = 200) {
  const pageTitle = view.id ? 'Change a lot' : 'Add a lot';
  res.status(status).render('admin/lots/form', { ...view, pageTitle, descriptionMax: DESCRIPTION_MAX, action: view.id ? `/admin/lots/${view.id}/edit` : '/admin/lots/new' });
}

export function lotsRouter(): Router {
  const router = Router();

  // GET /admin/lots
  router.get('/lots', async (_req, res) => {
    const lots = await listLots();
    const rows = lots.map((l) => [
      { text: String(l.number) },
      { text: l.title },
      l.active ? tagCell('Open', 'green') : tagCell('Closed', 'grey'),
      linkCell(`/admin/lots/${l._id}/edit`, 'Change', `lot ${l.number}`),
    ]);
    res.render('admin/lots/list', { pageTitle: 'Lots', rows });
  });

  // GET and POST /admin/lots/new
  router.get('/lots/new', (_req, res) => renderForm(res, { values: {} }));
  router.post('/lots/new', async (req, res) => {
    await save(req, res, undefined);
  });

  // GET and POST /admin/lots/:id/edit
  router.get('/lots/:id/edit', async (req, res) => {
    const id = idParam(req);
    const lot = await findLot(id);
    if (!lot) throw createError(404);
    renderForm(res, { id, values: { number: String(lot.number), title: lot.title, description: lot.description, active: lot.active ? 'yes' : 'no' } });
  });
  router.post('/lots/:id/edit', async (req, res) => {
    const id = idParam(req);
    if (!(await findLot(id))) throw createError(404);
    await save(req, res, id);
  });

  return router;
}

async function save(req: import('express').Request, res: Response, id: string | undefined): Promise<void> {
  const form = parseForm(lotForm, req.body);
  if (!form.ok) return renderForm(res, { id, values: form.values, errors: form.errors }, 400);
  const outcome = await saveLot(servicesOf(req).clock, currentUser(req)!, id, form.data);
  if (outcome === 'missing') throw createError(404);
  if (outcome === 'duplicate') {
    const values = { ...form.data, number: String(form.data.number), active: form.data.active ? 'yes' : 'no' };
    return renderForm(res, { id, values, errors: errorsFrom({ number: `Lot ${form.data.number} already exists. Choose another number` }) }, 400);
  }
  flash(req, `Lot ${form.data.number} saved`);
  res.redirect(303, '/admin/lots');
}
