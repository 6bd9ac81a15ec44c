// The bid's attachments: upload (multipart; the deadline is checked once the upload has arrived, so one that
// finishes at or after the deadline is refused and nothing is kept), download your own (decrypted), and remove.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { acceptUpload, logUploadRefused, registerUploadRoute, uploadedFile } from '../../../server/middleware/uploads';
import { addAttachment, MAX_ATTACHMENTS, ownAttachment, removeAttachment, UploadRefused } from '../../../server/services/bidFiles';
import { ALLOWED_LABEL, formatSize, LIMITS, typeLabel } from '../../../server/services/documents';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { idParam } from '../../admin/helpers';
import { flash } from '../../render';
import { bidPath, BidPage, loadBid, refusedIfClosed, renderRefused, supplierOf } from './bid-common';

const UPLOAD_PATH = '/supplier/opportunities/:id/bid/attachments';

function renderAttachments(res: Response, page: BidPage, errors?: FormErrors, status = 200): void {
  const files = page.content.attachments.map((a) => ({
    id: a.file, name: a.name, type: typeLabel(a.contentType), size: formatSize(a.size), href: bidPath(page.c, `/attachments/${a.file}`),
    removeAction: bidPath(page.c, `/attachments/${a.file}/remove`),
  }));
  res.status(status).render('supplier/opportunities/bid-attachments', {
    pageTitle: 'Your attachments', ...page.common, files, errors, full: files.length >= MAX_ATTACHMENTS, max: MAX_ATTACHMENTS,
    allowed: ALLOWED_LABEL, maxSize: formatSize(LIMITS.fileBytes), action: bidPath(page.c, '/attachments'),
  });
}

/** POST .../bid/attachments: after multer has received the whole file, so `now` is when the upload finished. */
async function upload(req: Request, res: Response): Promise<void> {
  const page = await loadBid(req);
  if (refusedIfClosed(res, page)) return;
  const file = uploadedFile(req, 'file');
  if (!file) return renderAttachments(res, page, errorsFrom({ file: 'Select a file to upload' }), 400);
  const { clock, keyring } = servicesOf(req);
  try {
    const outcome = await addAttachment(clock, keyring, supplierOf(req), page.c, file);
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    if (outcome.outcome === 'refused') return renderAttachments(res, page, errorsFrom({ file: outcome.problem }), 400);
  } catch (err) {
    if (!(err instanceof UploadRefused)) throw err;
    return renderAttachments(res, page, errorsFrom({ file: logUploadRefused(req, 'file', err) }), err.status);
  }
  flash(req, 'Your file has been attached to your bid, encrypted.');
  res.redirect(303, bidPath(page.c, '/attachments'));
}

export function bidAttachmentsRouter(): Router {
  const router = Router();
  registerUploadRoute(UPLOAD_PATH);

  // GET /supplier/opportunities/:id/bid/attachments
  router.get('/:id/bid/attachments', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    renderAttachments(res, page);
  });

  router.post('/:id/bid/attachments', acceptUpload(['file']), upload);

  // GET /supplier/opportunities/:id/bid/attachments/:fileId: one of your own files (draft or submitted), decrypted
  router.get('/:id/bid/attachments/:fileId', async (req, res) => {
    const page = await loadBid(req);
    const found = await ownAttachment(servicesOf(req).keyring, supplierOf(req), page.c, idParam(req, 'fileId'));
    if (!found) throw createError(404);
    res.attachment(found.ref.name);
    res.set({ 'Content-Type': found.ref.contentType, 'Content-Length': String(found.bytes.length), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    res.send(found.bytes);
  });

  // POST /supplier/opportunities/:id/bid/attachments/:fileId/remove
  router.post('/:id/bid/attachments/:fileId/remove', async (req, res) => {
    const page = await loadBid(req);
    if (refusedIfClosed(res, page)) return;
    const { clock, keyring } = servicesOf(req);
    const outcome = await removeAttachment(clock, keyring, supplierOf(req), page.c, idParam(req, 'fileId'));
    if (outcome.outcome === 'closed' || outcome.outcome === 'cancelled') return renderRefused(res, page.c, outcome.outcome);
    if (outcome.outcome === 'refused') throw createError(404);
    flash(req, 'The file has been removed from your bid.');
    res.redirect(303, bidPath(page.c, '/attachments'));
  });

  return router;
}
