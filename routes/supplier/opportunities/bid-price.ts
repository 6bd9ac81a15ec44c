// The bid's price: the total in pounds excluding VAT and an optional breakdown (fixed line slots, blank ones
// ignored, so lines are added and removed without JavaScript). A breakdown must add up to the total.
import { Response, Router } from 'express';
import { servicesOf } from '../../../server/app';
import { PRICE_SLOTS, readPrice } from '../../../server/domain/bidForms';
import { penceToPounds } from '../../../server/domain/money';
import { changeDraft } from '../../../server/services/bids';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { flash } from '../../render';
import { bidPath, BidPage, loadBid, refusedIfClosed, renderRefused, supplierOf } from './bid-common';

/** Lines shown: those in use and two blank ones, at least three, at most PRICE_SLOTS. */
function lineSlots(values: Record<string, string>): number[] {
  let used = 0;
  for (let i = 1; i <= PRICE_SLOTS; i++) if ((values[`item-${i}`] ?? '').trim() || (values[`amount-${i}`] ?? '').trim()) used = i;
  const shown = Math.min(PRICE_SLOTS, Math.max(3, used + 2));
  return Array.from({ length: shown }, (_, i) => i + 1);
}

function renderPrice(res: Response, page: BidPage, values: Record<string, string>, errors?: FormErrors, status = 200): void {
  res.status(status).render('supplier/opportunities/bid-price', {
    pageTitle: 'Your price', ...page.common, values, errors, lines: lineSlots(values), maxLines: PRICE_SLOTS, action: bidPath(page.c, '/price'),
  });
}

export function bidPriceRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/bid/price
  router.get('/:id/bid/price', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const { totalPence, breakdown } = page.content.price;
    const values: Record<string, string> = { total: totalPence == null ? '' : penceToPounds(totalPence) };
    breakdown.forEach((l, i) => {
      values[`item-${i + 1}`] = l.item;
      values[`amount-${i + 1}`] = penceToPounds(l.pence);
    });
    renderPrice(res, page, values);
  });

  // POST /supplier/opportunities/:id/bid/price
  router.post('/:id/bid/price', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const form = readPrice(req.body ?? {});
    if (!form.price) return renderPrice(res, page, form.values, errorsFrom(form.errors), 400);
    const price = form.price;
    const { clock, keyring } = servicesOf(req);
    const outcome = await changeDraft(clock, keyring, supplierOf(req), page.c, 'price', (content) => ({ ...content, price }));
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    if (outcome.outcome === 'refused') return renderPrice(res, page, form.values, errorsFrom({ total: outcome.problem }), 400);
    flash(req, 'Your price has been saved. You can change it until the deadline.');
    res.redirect(303, bidPath(page.c));
  });

  return router;
}
