// Reading an opened tender box (the owning council's buyers only): the list of bids, one bid, an attachment.
// Every read is audited by the service; every refused attempt too, and logged as a security alert here.
import { Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { listOpenedBids, openedAttachment, readOpenedBid, ReadTarget } from '../../../server/services/tenderBox';
import { idParam } from '../../admin/helpers';
import { answerRefusedRead } from './tenderBox-answers';
import { bidRows, openedBidView } from './tenderBox-view';

const boxHref = (id: string) => `/buyer/competitions/${id}/tender-box`;

export function tenderBoxBidsRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/tender-box/bids: each supplier's current submitted version, with its receipt.
  router.get('/:id/tender-box/bids', async (req, res) => {
    const id = idParam(req);
    const target: ReadTarget = { what: 'bids list' };
    const result = await listOpenedBids(servicesOf(req).clock, currentUser(req)!, id);
    if (result.outcome === 'missing') throw createError(404);
    if (result.outcome === 'refused') return answerRefusedRead(req, res, result, target, boxHref(id));
    const c = result.competition;
    res.set('Cache-Control', 'no-store');
    res.render('buyer/competitions/tender-box-bids', { pageTitle: 'Bids received', competition: { id, reference: c.reference, title: c.title }, rows: bidRows(id, result.bids), count: result.bids.length });
  });

  // GET /buyer/competitions/:id/tender-box/bids/:bidId: one opened bid, decrypted.
  router.get('/:id/tender-box/bids/:bidId', async (req, res) => {
    const id = idParam(req);
    const bidId = idParam(req, 'bidId');
    const { clock, keyring } = servicesOf(req);
    const result = await readOpenedBid(clock, keyring, currentUser(req)!, id, bidId);
    if (result.outcome === 'missing') throw createError(404);
    if (result.outcome === 'refused') return answerRefusedRead(req, res, result, { what: 'bid', bid: bidId }, boxHref(id));
    const c = result.competition;
    res.set('Cache-Control', 'no-store');
    res.render('buyer/competitions/tender-box-bid', { pageTitle: `Bid from ${result.bid.supplier}`, competition: { id, reference: c.reference, title: c.title }, supplier: result.bid.supplier, bid: openedBidView(c, result.bid) });
  });

  // GET /buyer/competitions/:id/tender-box/bids/:bidId/attachments/:fileId: an attachment, decrypted, as a download.
  router.get('/:id/tender-box/bids/:bidId/attachments/:fileId', async (req, res) => {
    const id = idParam(req);
    const target: ReadTarget = { what: 'attachment', bid: idParam(req, 'bidId'), file: idParam(req, 'fileId') };
    const { clock, keyring } = servicesOf(req);
    const result = await openedAttachment(clock, keyring, currentUser(req)!, id, target.bid!, target.file!);
    if (result.outcome === 'missing') throw createError(404);
    if (result.outcome === 'refused') return answerRefusedRead(req, res, result, target, boxHref(id));
    res.attachment(result.name);
    res.set({ 'Content-Type': result.contentType, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    res.send(result.bytes);
  });

  return router;
}
