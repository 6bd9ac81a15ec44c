// Review and submit (a receipt with the server's time and a SHA-256 fingerprint), the receipts of each version,
// and withdrawing. Posted receipt times, statuses, suppliers or fingerprints are never read: only `revision`,
// the draft the review page showed, so a second identical submit finds the first's receipt.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { submissionProblems } from '../../../server/domain/bidForms';
import { formatMoney } from '../../../server/domain/money';
import { FINGERPRINT_COVERS, formatReceivedAt, submitBid, withdrawBid } from '../../../server/services/bids';
import { formatSize, typeLabel } from '../../../server/services/documents';
import { Organisation } from '../../../models/Organisation';
import { FormErrors } from '../../../server/validation';
import { flash } from '../../render';
import { bidPath, BidPage, loadBid, refusedIfClosed, renderRefused, supplierOf } from './bid-common';
import { commitmentView } from './bid-social-value';
import { answerViews, bidStatus, versionTag } from './bid-views';

function renderReview(res: Response, page: BidPage, errors?: FormErrors, status = 200): void {
  const { c, bid, content } = page;
  const problems = submissionProblems(c.questions, content).map((p) => ({ text: p.text, href: bidPath(c, `/${p.section}#${p.field}`) }));
  res.status(status).render('supplier/opportunities/bid-review', {
    pageTitle: 'Check your bid before you submit it', ...page.common, errors, problems,
    revision: String(bid?.draft?.revision ?? 0), replacing: bidStatus(bid).current,
    answers: answerViews(c.questions, content),
    price: content.price.totalPence == null ? undefined : { total: formatMoney(content.price.totalPence), lines: content.price.breakdown.map((l) => ({ item: l.item, amount: formatMoney(l.pence) })) },
    commitments: content.commitments.map(commitmentView),
    attachments: content.attachments.map((a) => ({ name: a.name, detail: `${typeLabel(a.contentType)}, ${formatSize(a.size)}` })),
    change: (section: string) => bidPath(c, `/${section}`), action: bidPath(c, '/submit'),
  });
}

function versionParam(req: Request): number {
  const n = req.params.n;
  if (typeof n !== 'string' || !/^[1-9]\d{0,3}$/.test(n)) throw createError(404);
  return Number(n);
}

export function bidSubmitRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/bid/review
  router.get('/:id/bid/review', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    renderReview(res, page);
  });

  // POST /supplier/opportunities/:id/bid/submit { revision }
  router.post('/:id/bid/submit', async (req, res) => {
    const page = await loadBid(req);
    const revision = (req.body ?? {}).revision;
    if (typeof revision !== 'string' || !/^\d{1,9}$/.test(revision)) throw createError(400);
    const { clock, keyring, mailer, config } = servicesOf(req);
    const outcome = await submitBid(clock, keyring, mailer, config.baseUrl, supplierOf(req), String(page.c._id), Number(revision));
    switch (outcome.outcome) {
      case 'missing':
        throw createError(404);
      case 'closed':
      case 'cancelled':
        return renderRefused(res, page.c, outcome.outcome);
      case 'problems': {
        const list = outcome.problems.map((p) => ({ text: p.text, href: bidPath(page.c, `/${p.section}#${p.field}`) }));
        return renderReview(res, page, { fields: {}, list }, 400);
      }
      case 'changed':
        flash(req, 'Your bid changed after this page was shown. Check it again, then submit.', undefined, 'important');
        return res.redirect(303, bidPath(page.c, '/review'));
      case 'already':
        return res.redirect(303, bidPath(page.c, `/receipts/${outcome.version}`));
      case 'submitted':
        if (outcome.emailFailed.length) req.log?.warn({ event: 'bid.receipt-email-failed', competitionId: String(page.c._id) }, 'receipt e-mail not sent');
        return res.redirect(303, bidPath(page.c, `/receipts/${outcome.version}`));
    }
  });

  // GET /supplier/opportunities/:id/bid/receipts/:n: the receipt of one submitted version
  router.get('/:id/bid/receipts/:n', async (req, res) => {
    const n = versionParam(req);
    const page = await loadBid(req);
    const v = page.bid?.versions.find((x) => x.n === n);
    if (!v) throw createError(404);
    const supplier = await Organisation.findById(page.bid!.supplier, { name: 1 }).lean();
    res.set('Cache-Control', 'no-store').render('supplier/opportunities/bid-receipt', {
      pageTitle: `Bid received: version ${n}`, ...page.common, supplier: supplier?.name ?? '', n, tag: versionTag(v.status),
      receivedAt: formatReceivedAt(v.receivedAt), iso: v.receivedAt.toISOString(), fingerprint: v.fingerprint, covers: FINGERPRINT_COVERS,
      withdrawnAt: v.withdrawnAt ? formatReceivedAt(v.withdrawnAt) : undefined, email: supplierOf(req).email,
    });
  });

  // GET /supplier/opportunities/:id/bid/withdraw: confirm
  router.get('/:id/bid/withdraw', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const current = bidStatus(page.bid).current;
    if (!current) {
      flash(req, 'You have no submitted bid to withdraw.', undefined, 'important');
      return res.redirect(303, bidPath(page.c));
    }
    res.render('supplier/opportunities/bid-withdraw', { pageTitle: 'Are you sure you want to withdraw your bid?', ...page.common, current, action: bidPath(page.c, '/withdraw') });
  });

  // POST /supplier/opportunities/:id/bid/withdraw
  router.post('/:id/bid/withdraw', async (req, res) => {
    const page = await loadBid(req);
    const outcome = await withdrawBid(servicesOf(req).clock, supplierOf(req), String(page.c._id));
    if (outcome.outcome === 'missing') throw createError(404);
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    if (outcome.outcome === 'nothing') flash(req, 'You have no submitted bid to withdraw.', undefined, 'important');
    else flash(req, `Your bid (version ${outcome.version}) has been withdrawn. You can submit again before the deadline.`);
    res.redirect(303, bidPath(page.c));
  });

  return router;
}
