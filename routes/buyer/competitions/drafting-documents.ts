// A draft's tender documents: upload (multipart: acceptUpload parses in memory and checks the CSRF token, then
// the file is typed from its content and stored for the council), list, and remove after confirming.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { acceptUpload, logUploadRefused, registerUploadRoute, uploadedFile } from '../../../server/middleware/uploads';
import { CompetitionRecord } from '../../../server/services/competitions';
import { addDocument, removeDocument } from '../../../server/services/competitionDrafting';
import { ALLOWED_LABEL } from '../../../server/services/documents';
import { escapeHtml } from '../../../server/views/govuk';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { actor, answer, BASE, loadDraft, subId } from './drafting-shared';
import { actionsCell, competitionDocuments } from './drafting-view';
import { buyerDocumentHref } from './drafting-overview';

async function renderList(res: Response, c: CompetitionRecord, errors?: FormErrors, status = 200): Promise<void> {
  const docs = await competitionDocuments(c.documents, buyerDocumentHref);
  const rows = docs.map((d) => [
    { html: `<a class="govuk-link" href="${d.href}" download>${escapeHtml(d.name)}</a>` }, { text: d.typeText }, { text: d.sizeText },
    actionsCell([{ href: `${BASE}/${c._id}/documents/${d.id}/remove`, text: 'Remove', hidden: d.name }]),
  ]);
  res.status(status).render('buyer/competitions/draft-documents', { pageTitle: 'Documents', id: String(c._id), reference: c.reference, rows, allowed: ALLOWED_LABEL, values: {}, errors });
}

function documentOf(c: CompetitionRecord, req: Request): string {
  const id = subId(req, 'documentId');
  if (!c.documents.some((d) => String(d) === id)) throw createError(404);
  return id;
}

export function documentsRouter(): Router {
  const router = Router();
  registerUploadRoute(`${BASE}/:id/documents`);

  // GET /buyer/competitions/:id/documents
  router.get('/:id/documents', async (req, res) => {
    const c = await loadDraft(req, res);
    if (c) await renderList(res, c);
  });

  // POST /buyer/competitions/:id/documents: one file, checked and stored, added to the draft
  router.post('/:id/documents', acceptUpload(['document']), async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const file = uploadedFile(req, 'document');
    if (!file) return renderList(res, c, errorsFrom({ document: 'Select a file to upload' }), 400);
    const { clock, scanner } = servicesOf(req);
    const out = await addDocument(clock, actor(req), String(c._id), file, scanner);
    if (out.outcome === 'upload-refused') {
      const message = logUploadRefused(req, 'document', out.error);
      return renderList(res, c, errorsFrom({ document: `The selected file could not be uploaded: ${message}` }), 400);
    }
    await answer(req, res, String(c._id), out, { flash: `${file.originalname} uploaded`, to: `${BASE}/${c._id}/documents` }, (errors) => renderList(res, c, errors, 400));
  });

  // GET and POST /buyer/competitions/:id/documents/:documentId/remove
  router.get('/:id/documents/:documentId/remove', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const docId = documentOf(c, req);
    const [doc] = await competitionDocuments([docId], buyerDocumentHref);
    res.render('buyer/competitions/draft-remove', {
      pageTitle: `Remove ${doc?.name ?? 'this document'}?`, id: String(c._id), reference: c.reference, action: `${BASE}/${c._id}/documents/${docId}/remove`, back: `${BASE}/${c._id}/documents`,
      warning: 'Suppliers will not see this document. The file will be deleted.', items: [],
    });
  });
  router.post('/:id/documents/:documentId/remove', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const docId = documentOf(c, req);
    const out = await removeDocument(servicesOf(req).clock, actor(req), String(c._id), docId);
    await answer(req, res, String(c._id), out, { flash: 'Document removed', to: `${BASE}/${c._id}/documents` }, (errors) => renderList(res, c, errors, 400));
  });

  return router;
}
