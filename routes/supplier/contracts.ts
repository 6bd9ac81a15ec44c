// The supplier's contracts, mounted at /supplier/contracts (suppliers only; every read scoped to the user's
// organisation, another's contract is a 404): the list, the contract page with the same social value figures as
// the council's, and reporting delivery against a commitment with evidence files (multipart).
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { formatMoney } from '../../server/domain/money';
import { dateOnlyInstant, londonParts } from '../../server/domain/competitionForms';
import { ContractRecord, listForSupplier, organisationName, PAGE_SIZE } from '../../server/services/contracts';
import { storeUpload, UploadRefused } from '../../server/services/documents';
import { commitmentsOf, deliveryOf, submitReport } from '../../server/services/socialValueDelivery';
import { acceptUpload, registerUploadRoute, uploadedFile } from '../../server/middleware/uploads';
import { barChartSvg, socialValueChart, socialValueSummary } from '../../server/views/charts';
import { errorsFrom, FormErrors } from '../../server/validation';
import { flash } from '../render';
import { formatDate, pageParam, paging } from '../admin/helpers';
import {
  actorOf, commitmentRows, dateFrom, FIGURES_HEAD, figuresRows, kpiRows, link, loadContract, reportRows, summaryRows,
} from '../buyer/contracts-view';

const BASE = '/supplier/contracts';
export const EVIDENCE_FIELDS = ['evidence-1', 'evidence-2', 'evidence-3'];

const text = (max: number, message: string) => z.string().trim().max(max, message).optional().default('');
const reportForm = z.object({
  commitment: z.string().optional().default(''),
  quantity: text(20, 'Enter the quantity delivered as a number'),
  narrative: text(10000, 'What was delivered must be 10,000 characters or fewer'),
  outcomes: text(10000, 'The outcomes must be 10,000 characters or fewer'),
  ...Object.fromEntries(['start', 'end'].flatMap((d) => ['day', 'month', 'year'].map((p) => [`${d}-${p}`, text(10, 'Enter a real date')]))),
});

/** The report's fields checked, in page order; files are stored only once the rest is right. */
function parseReport(body: unknown, commitmentIds: string[], bounds: { today: Date }) {
  const fields: Record<string, string> = {};
  const parsed = reportForm.safeParse(body ?? {});
  if (!parsed.success) return { fields: { commitment: 'Enter the report again' } };
  const v = parsed.data as Record<string, string>;
  if (!commitmentIds.includes(v.commitment)) fields.commitment = 'Select the commitment you are reporting on';
  const periodStart = dateFrom(v, 'start', 'start of the period', fields);
  const periodEnd = dateFrom(v, 'end', 'end of the period', fields);
  if (periodStart && periodEnd && periodEnd < periodStart) fields['end-day'] = 'The end of the period must be on or after its start';
  // delivery is reported for a period that has happened
  else if (periodEnd && periodEnd > bounds.today) fields['end-day'] = 'The end of the period must be today or in the past';
  if (!v.quantity) fields.quantity = 'Enter the quantity delivered';
  else if (!/^\d{1,9}(\.\d{1,2})?$/.test(v.quantity)) fields.quantity = 'The quantity delivered must be a number 0 or more, with up to 2 decimal places, like 12 or 1.5';
  if (!v.narrative) fields.narrative = 'Describe what was delivered';
  if (Object.keys(fields).length || !periodStart || !periodEnd) return { fields };
  return { fields, input: { commitment: v.commitment, periodStart, periodEnd, quantityDelivered: Number(v.quantity), narrative: v.narrative, outcomes: v.outcomes, evidence: [] as string[] } };
}

async function renderReportForm(req: Request, res: Response, c: ContractRecord, values: Record<string, unknown>, errors?: FormErrors) {
  const commitments = await commitmentsOf(c._id);
  if (commitments.length === 0) throw createError(404);
  res.status(errors ? 400 : 200).render('supplier/contracts/report-new', {
    pageTitle: 'Report social value delivered', contract: c, values, errors, evidenceFields: EVIDENCE_FIELDS,
    action: `${BASE}/${c._id}/reports/new`, back: `${BASE}/${c._id}`,
    commitmentItems: commitments.map((m) => ({ value: String(m._id), text: `${m.code}: ${m.description}`, hint: { text: `Committed: ${m.quantity} ${m.unit}, due by ${formatDate(m.dueBy)}` } })),
  });
}

export function supplierContractsRouter(): Router {
  const router = Router();
  registerUploadRoute(`${BASE}/:id/reports/new`);

  // GET /supplier/contracts: the organisation's contracts
  router.get('/', async (req, res) => {
    const page = pageParam(req);
    const { total, contracts } = await listForSupplier(currentUser(req)!.organisation, page);
    const pager = paging(BASE, page, total, PAGE_SIZE);
    const rows = contracts.map((c) => [
      { html: link(`${BASE}/${c._id}`, c.title, `(${c.reference})`) },
      { text: c.councilName }, { text: formatDate(c.start) }, { text: formatDate(c.end) }, { text: formatMoney(c.valuePence), format: 'numeric' },
    ]);
    res.render('supplier/contracts/list', { pageTitle: 'Your contracts', rows, pager });
  });

  // GET /supplier/contracts/:id: the contract, its KPIs, and social value committed against delivered
  router.get('/:id', async (req, res) => {
    const c = await loadContract(req);
    const [delivery, supplierName, councilName] = await Promise.all([deliveryOf(c._id), organisationName(c.supplier), organisationName(c.council)]);
    const base = `${BASE}/${c._id}`;
    res.render('supplier/contracts/show', {
      pageTitle: c.title, contract: c, base, summary: summaryRows(c, supplierName, councilName), kpis: kpiRows(c, servicesOf(req).clock.now()),
      figures: figuresRows(delivery), figuresHead: FIGURES_HEAD, hasCommitments: delivery.commitments.length > 0,
      chartAlt: socialValueSummary(delivery.totals), chartSrc: `${base}/chart.svg`,
      commitments: commitmentRows(delivery, base, 'supplier'), reports: reportRows(delivery, base, 'supplier'),
    });
  });

  router.get('/:id/chart.svg', async (req, res) => {
    const c = await loadContract(req);
    const delivery = await deliveryOf(c._id);
    res.set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
    res.send(barChartSvg(socialValueChart(`Social value committed and delivered: ${c.title}`, delivery.totals)));
  });

  // GET /supplier/contracts/:id/reports/new: the delivery report form (?commitment= preselects one)
  router.get('/:id/reports/new', async (req, res) => {
    const c = await loadContract(req);
    const chosen = typeof req.query.commitment === 'string' ? req.query.commitment : '';
    await renderReportForm(req, res, c, { commitment: chosen });
  });

  // POST /supplier/contracts/:id/reports/new (multipart: the CSRF token is checked once multer has parsed it)
  router.post('/:id/reports/new', acceptUpload(EVIDENCE_FIELDS), async (req, res) => {
    const c = await loadContract(req);
    const commitments = await commitmentsOf(c._id);
    const values = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => typeof v === 'string'));
    const today = dateOnlyInstant(londonParts(servicesOf(req).clock.now()));
    const { fields, input } = parseReport(req.body, commitments.map((m) => String(m._id)), { today });
    if (!input) return renderReportForm(req, res, c, values, errorsFrom(fields));
    const user = currentUser(req)!;
    const { clock, scanner } = servicesOf(req);
    for (const name of EVIDENCE_FIELDS) {
      const file = uploadedFile(req, name);
      if (!file) continue;
      try {
        const stored = await storeUpload(clock, { owner: user.organisation, uploadedBy: user._id, purpose: 'social-value:evidence', file }, scanner);
        input.evidence.push(stored.id);
      } catch (err) {
        if (!(err instanceof UploadRefused)) throw err;
        fields[name] = `Evidence file ${name.slice(-1)}: ${err.message}`;
      }
    }
    if (Object.keys(fields).length) return renderReportForm(req, res, c, values, errorsFrom(fields));
    const outcome = await submitReport(clock, actorOf(req), c, input);
    if (outcome.outcome === 'missing') throw createError(404);
    flash(req, 'Report sent. The council will verify it: only accepted reports count as delivered.');
    res.redirect(303, `${BASE}/${c._id}#reports`);
  });
  return router;
}
