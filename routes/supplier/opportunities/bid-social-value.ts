// The bid's social value commitments: a measure from the network's catalogue and a quantity, valued at the
// measure's proxy value per unit (a snapshot of the measure is kept in the line: proxies are re-based yearly).
import { Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { CommitmentLine } from '../../../server/domain/bidContent';
import { commitmentsTotal, MAX_COMMITMENTS, readCommitment } from '../../../server/domain/bidForms';
import { formatMoney } from '../../../server/domain/money';
import { changeDraft } from '../../../server/services/bids';
import { activeMeasures } from '../../../server/services/measures';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { flash } from '../../render';
import { bidPath, BidPage, loadBid, refusedIfClosed, renderRefused, supplierOf } from './bid-common';

const quantityText = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** A commitment as the pages show it (every value is text). */
export function commitmentView(l: CommitmentLine) {
  return {
    code: l.code, description: l.description, quantity: `${quantityText(l.quantity)} ${l.unit}`,
    proxy: `${formatMoney(l.proxyValuePence)} per unit (${l.proxyYear} proxy value)`, value: formatMoney(l.valuePence),
  };
}

type Measures = Awaited<ReturnType<typeof activeMeasures>>;

function renderSocialValue(res: Response, page: BidPage, measures: Measures, values: Record<string, string> = {}, errors?: FormErrors, status = 200): void {
  const items = measures.map((m) => ({
    value: m.code, text: m.description, hint: { text: `${m.code}. Unit: ${m.unit}. Proxy value ${formatMoney(m.proxyValuePence)} per unit (${m.proxyYear}).` },
  }));
  const lines = page.content.commitments;
  res.status(status).render('supplier/opportunities/bid-social-value', {
    pageTitle: 'Your social value commitments', ...page.common, values, errors, items,
    commitments: lines.map(commitmentView), total: formatMoney(commitmentsTotal(lines)), full: lines.length >= MAX_COMMITMENTS, max: MAX_COMMITMENTS,
    action: bidPath(page.c, '/social-value'), removeAction: bidPath(page.c, '/social-value/remove'),
  });
}

export function bidSocialValueRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/bid/social-value: the commitments so far, and adding one
  router.get('/:id/bid/social-value', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    renderSocialValue(res, page, await activeMeasures());
  });

  // POST /supplier/opportunities/:id/bid/social-value: add a commitment
  router.post('/:id/bid/social-value', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const measures = await activeMeasures();
    const form = readCommitment(req.body ?? {}, measures);
    if (!form.line) return renderSocialValue(res, page, measures, form.values, errorsFrom(form.errors), 400);
    const line = form.line;
    const { clock, keyring } = servicesOf(req);
    const outcome = await changeDraft(clock, keyring, supplierOf(req), page.c, 'social-value', (content) =>
      content.commitments.length >= MAX_COMMITMENTS ? { problem: `You can make up to ${MAX_COMMITMENTS} commitments. Remove one to add another` } : { ...content, commitments: [...content.commitments, line] });
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    if (outcome.outcome === 'refused') return renderSocialValue(res, page, measures, form.values, errorsFrom({ measure: outcome.problem }), 400);
    // a fixed message: flashes live in the session store, and bid content must stay sealed at rest
    flash(req, 'Commitment added to your bid');
    res.redirect(303, bidPath(page.c, '/social-value'));
  });

  // POST /supplier/opportunities/:id/bid/social-value/remove: remove one line (its position and measure must match)
  router.post('/:id/bid/social-value/remove', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const { line, code } = (req.body ?? {}) as Record<string, unknown>;
    if (typeof line !== 'string' || !/^\d{1,2}$/.test(line) || typeof code !== 'string') throw createError(400);
    const index = Number(line);
    const { clock, keyring } = servicesOf(req);
    const outcome = await changeDraft(clock, keyring, supplierOf(req), page.c, 'social-value', (content) =>
      content.commitments[index]?.code === code ? { ...content, commitments: content.commitments.filter((_, i) => i !== index) } : { problem: 'That commitment has already been removed' });
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    flash(req, outcome.outcome === 'saved' ? 'Commitment removed' : outcome.problem, undefined, outcome.outcome === 'saved' ? 'success' : 'important');
    res.redirect(303, bidPath(page.c, '/social-value'));
  });

  return router;
}
