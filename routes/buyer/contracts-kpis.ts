// Rating a contract's KPI (GET/POST /buyer/contracts/:id/kpis/:kpiId/rate): Good, Approaching target, Requires
// improvement or Inadequate, with a comment; each KPI is due a rating at least every 12 months.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { KPI_RATINGS } from '../../models/Contract';
import { ContractRecord, rateKpi } from '../../server/services/contracts';
import { parseForm, FormErrors } from '../../server/validation';
import { flash } from '../render';
import { idParam } from '../admin/helpers';
import { actorOf, loadContract } from './contracts-view';

const form = z.object({
  rating: z.enum(KPI_RATINGS, { error: 'Select a rating' }),
  comment: z.string().trim().max(5000, 'The comment must be 5,000 characters or fewer').optional().default(''),
});

function kpiOf(c: ContractRecord, req: Request) {
  const kpiId = idParam(req, 'kpiId');
  const kpi = c.kpis.find((k) => String(k._id) === kpiId);
  if (!kpi) throw createError(404);
  return kpi;
}

function render(res: Response, c: ContractRecord, kpi: ContractRecord['kpis'][number], values: Record<string, unknown> = {}, errors?: FormErrors) {
  res.status(errors ? 400 : 200).render('buyer/contracts/rate-kpi', {
    pageTitle: `Rate the KPI: ${kpi.name}`, contract: c, kpi, values, errors, ratings: KPI_RATINGS,
    action: `/buyer/contracts/${c._id}/kpis/${kpi._id}/rate`, back: `/buyer/contracts/${c._id}`,
  });
}

export function contractKpisRouter(): Router {
  const router = Router();

  router.get('/:id/kpis/:kpiId/rate', async (req, res) => {
    const c = await loadContract(req);
    render(res, c, kpiOf(c, req));
  });

  router.post('/:id/kpis/:kpiId/rate', async (req, res) => {
    const c = await loadContract(req);
    const kpi = kpiOf(c, req);
    const parsed = parseForm(form, req.body);
    if (!parsed.ok) return render(res, c, kpi, parsed.values, parsed.errors);
    const outcome = await rateKpi(servicesOf(req).clock, actorOf(req), String(c._id), String(kpi._id), parsed.data.rating, parsed.data.comment);
    if (outcome === 'missing') throw createError(404);
    flash(req, `KPI "${kpi.name}" rated ${parsed.data.rating}.`);
    res.redirect(303, `/buyer/contracts/${c._id}#kpis`);
  });
  return router;
}
