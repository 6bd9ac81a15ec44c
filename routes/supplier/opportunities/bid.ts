// Preparing, saving, submitting, replacing and withdrawing a sealed bid, under /supplier/opportunities/:id/bid.
// Every route loads the competition through loadInvited (not invited: 404); the role router already refuses
// buyers and admins (403). Sections: bid-answers, bid-price, bid-social-value, bid-attachments; bid-submit.
import { Router } from 'express';
import { bidPath, loadBid } from './bid-common';
import { bidAnswersRouter } from './bid-answers';
import { bidAttachmentsRouter } from './bid-attachments';
import { bidPriceRouter } from './bid-price';
import { bidSocialValueRouter } from './bid-social-value';
import { bidSubmitRouter } from './bid-submit';
import { bidStatus, receiptRows, sectionRows } from './bid-views';

export function bidRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/bid: status, deadline, what each section holds, receipts, withdraw
  router.get('/:id/bid', async (req, res) => {
    const page = await loadBid(req);
    const open = page.window === 'open';
    const status = bidStatus(page.bid);
    res.render('supplier/opportunities/bid', {
      pageTitle: 'Your bid', ...page.common, open, status,
      sections: sectionRows(page.c, page.content, open), receipts: receiptRows(page.c, page.bid),
      canWithdraw: open && !!status.current, reviewHref: bidPath(page.c, '/review'), withdrawHref: bidPath(page.c, '/withdraw'),
      opportunity: `/supplier/opportunities/${page.common.id}`, cancellation: page.c.cancellation?.reason,
    });
  });

  router.use(bidAnswersRouter());
  router.use(bidPriceRouter());
  router.use(bidSocialValueRouter());
  router.use(bidAttachmentsRouter());
  router.use(bidSubmitRouter());
  return router;
}
