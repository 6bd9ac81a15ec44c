// The council's contracts, mounted at /buyer/contracts (buyers only): the list (and awards ready for a contract),
// the contract page with KPIs and social value committed against delivered (SVG chart and table), and marking
// the PA 2023 contract details notice as published. Entering, KPI ratings and verification are in contracts-*.ts.
import { Router } from 'express';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { awardsReady, kpiState, listForCouncil, markDetailsNoticePublished, organisationName, PAGE_SIZE } from '../../server/services/contracts';
import { deliveryOf } from '../../server/services/socialValueDelivery';
import { barChartSvg, socialValueChart, socialValueSummary } from '../../server/views/charts';
import { formatMoney } from '../../server/domain/money';
import { flash } from '../render';
import { formatDate, pageParam, paging } from '../admin/helpers';
import { contractEntryRouter } from './contracts-entry';
import { contractKpisRouter } from './contracts-kpis';
import { contractReportsRouter } from './contracts-reports';
import {
  actorOf, commitmentRows, FIGURES_HEAD, figuresRows, kpiRows, link, loadContract, reportRows, summaryRows,
} from './contracts-view';

const BASE = '/buyer/contracts';

export function buyerContractsRouter(): Router {
  const router = Router();
  router.use(contractEntryRouter());

  // GET /buyer/contracts: the council's contracts, newest signed first (paged), and awards waiting for a contract
  router.get('/', async (req, res) => {
    const page = pageParam(req);
    const council = currentUser(req)!.organisation;
    const { total, contracts } = await listForCouncil(council, page);
    const pager = paging(BASE, page, total, PAGE_SIZE);
    const ready = page === 1 ? await awardsReady(council, servicesOf(req).clock.now()) : [];
    const rows = contracts.map((c) => [
      { html: link(`${BASE}/${c._id}`, c.title, `(${c.reference})`) },
      { text: c.reference }, { text: c.supplierName }, { text: formatDate(c.signedAt) }, { text: formatMoney(c.valuePence), format: 'numeric' },
    ]);
    const readyRows = ready.map((a) => [
      { text: a.competition ? `${a.competition.title} (${a.competition.reference})` : 'Competition' },
      { text: formatDate(a.standstillEnd) },
      { html: link(`${BASE}/from-award/${a.id}`, 'Enter the contract', `for ${a.competition?.title ?? 'this award'}`) },
    ]);
    res.render('buyer/contracts/list', { pageTitle: 'Contracts', rows, readyRows, pager, total });
  });

  // GET /buyer/contracts/:id: the contract page
  router.get('/:id', async (req, res) => {
    const c = await loadContract(req);
    const now = servicesOf(req).clock.now();
    const [delivery, supplierName, councilName] = await Promise.all([deliveryOf(c._id), organisationName(c.supplier), organisationName(c.council)]);
    const base = `${BASE}/${c._id}`;
    res.render('buyer/contracts/show', {
      pageTitle: c.title, contract: c, base, summary: summaryRows(c, supplierName, councilName),
      kpis: kpiRows(c, now, base), overdue: c.kpis.filter((k) => kpiState(k.ratings, c.start, now).overdue).length,
      figures: figuresRows(delivery), figuresHead: FIGURES_HEAD, hasCommitments: delivery.commitments.length > 0,
      chartAlt: socialValueSummary(delivery.totals), chartSrc: `${base}/chart.svg`,
      commitments: commitmentRows(delivery, base, 'buyer'), reports: reportRows(delivery, base, 'buyer'),
      notice: c.detailsNoticeDueBy ? { dueBy: formatDate(c.detailsNoticeDueBy), publishedAt: c.detailsNoticePublishedAt && formatDate(c.detailsNoticePublishedAt), late: !c.detailsNoticePublishedAt && now > c.detailsNoticeDueBy } : undefined,
    });
  });

  // GET /buyer/contracts/:id/chart.svg: the social value chart (an image; the page has the same numbers as a table)
  router.get('/:id/chart.svg', async (req, res) => {
    const c = await loadContract(req);
    const delivery = await deliveryOf(c._id);
    res.set({ 'Content-Type': 'image/svg+xml; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" });
    res.send(barChartSvg(socialValueChart(`Social value committed and delivered: ${c.title}`, delivery.totals)));
  });

  // POST /buyer/contracts/:id/details-notice: record that the contract details notice was published
  router.post('/:id/details-notice', async (req, res) => {
    const c = await loadContract(req);
    const outcome = await markDetailsNoticePublished(servicesOf(req).clock, actorOf(req), String(c._id));
    if (outcome === 'marked') flash(req, 'The contract details notice is recorded as published.');
    res.redirect(303, `${BASE}/${c._id}`);
  });

  router.use(contractKpisRouter());
  router.use(contractReportsRouter());
  return router;
}
