// An invited supplier's view of one competition, and its tender documents.
import { NextFunction, Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { can } from '../../../server/auth/permissions';
import { currentUser } from '../../../server/auth/guards';
import { openTenderDocument } from '../../../server/services/competitionDocuments';
import { describeDocument, DocumentNotFound, DocumentUnavailable } from '../../../server/services/documents';
import { loadInvited } from './load';
import { opportunityPage } from './opportunities-view';

/** Loads the competition the supplier was invited to (404 otherwise) and checks the permission. */
export async function invitedCompetition(req: Request) {
  const c = await loadInvited(req);
  if (!can(currentUser(req)!, 'view-invitation', c)) throw createError(404);
  return c;
}

// GET /supplier/opportunities/:id
async function show(req: Request, res: Response): Promise<void> {
  const c = await invitedCompetition(req);
  const page = await opportunityPage(c, currentUser(req)!.organisation, servicesOf(req).clock.now());
  res.render('supplier/opportunities/show', { pageTitle: c.title, page });
}

// GET /supplier/opportunities/:id/documents/:docId: only a document the competition lists; the scan must allow it.
async function download(req: Request, res: Response, next: NextFunction): Promise<void> {
  const c = await invitedCompetition(req);
  let opened;
  try {
    opened = await openTenderDocument(c, req.params.docId);
  } catch (err) {
    if (err instanceof DocumentUnavailable) {
      // the competition page lists the document's details; /documents/:id is the council's
      res.status(409).render('documents/unavailable', { doc: { ...describeDocument(err.document), detailsHref: `/supplier/opportunities/${c._id}` } });
      return;
    }
    throw err instanceof DocumentNotFound ? createError(404) : err;
  }
  const { document, stream } = opened;
  req.log?.info({ event: 'tender-document.downloaded', documentId: document.id, competitionId: String(c._id), userId: currentUser(req)!._id }, 'tender document downloaded');
  res.attachment(document.originalName);
  res.set({ 'Content-Type': document.contentType, 'Content-Length': String(document.size), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
  stream.once('error', (err) => {
    if (res.headersSent) return void res.destroy(err);
    res.removeHeader('Content-Disposition');
    next(createError(404, err));
  });
  stream.pipe(res);
}

export function opportunityShowRouter(): Router {
  const router = Router();
  router.get('/:id', show);
  router.get('/:id/documents/:docId', download);
  return router;
}
