// Documents: download (GET /documents/:id) and what we know about a file (GET /documents/:id/details), for the owner
// organisation's users and for admins; anyone else, and any malformed id, gets 404. Mounted after requireSignedIn.
// Views for other journeys: views/documents/mixins.pug has +documentSummary(doc) (doc = describeDocument(info)).
import { Request, Response, NextFunction, Router } from 'express';
import createError from 'http-errors';
import { currentUser } from '../server/auth/guards';
import {
  describeDocument, documentInfo, DocumentNotFound, DocumentUnavailable, openDownload, Requester,
} from '../server/services/documents';

function requester(req: Request): Requester {
  const user = currentUser(req)!;
  return { _id: String(user._id), role: user.role, organisation: String(user.organisation) };
}

function notFoundFor(err: unknown): unknown {
  return err instanceof DocumentNotFound ? createError(404) : err;
}

/** GET /documents/:id: the file as an attachment, with its stored type; 409 with the reason while it may not be downloaded. */
async function download(req: Request, res: Response, next: NextFunction): Promise<void> {
  let opened;
  try {
    opened = await openDownload(req.params.id, requester(req));
  } catch (err) {
    if (err instanceof DocumentUnavailable) {
      res.status(409).render('documents/unavailable', { doc: describeDocument(err.document) });
      return;
    }
    throw notFoundFor(err);
  }
  const { document, stream } = opened;
  req.log?.info({ event: 'document.downloaded', documentId: document.id, userId: requester(req)._id }, 'document downloaded');
  res.attachment(document.originalName);
  res.set({
    'Content-Type': document.contentType,
    'Content-Length': String(document.size),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  stream.once('error', (err) => {
    if (!res.headersSent) {
      res.removeHeader('Content-Disposition');
      next(createError(404, err));
    } else {
      res.destroy(err);
    }
  });
  stream.pipe(res);
}

/** GET /documents/:id/details: name, type, size, fingerprint and virus-scan status, with a download link when allowed. */
async function details(req: Request, res: Response): Promise<void> {
  try {
    const info = await documentInfo(req.params.id, requester(req));
    res.set('Cache-Control', 'no-store');
    res.render('documents/details', { doc: describeDocument(info) });
  } catch (err) {
    throw notFoundFor(err);
  }
}

export function documentsRouter(): Router {
  const router = Router();
  router.get('/:id', download);
  router.get('/:id/details', details);
  return router;
}
