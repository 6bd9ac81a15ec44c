// A competition's tender documents as invited suppliers get them. The council owns the files (so its buyers use
// /documents/:id); suppliers reach one only through a competition that lists it, so any other id is a 404.
// (The page lists them with competitionDocuments() in routes/buyer/competitions/drafting-view.ts.)
// The same rules as any download: a live record, and only once the virus scan allows it (pending/infected refused).
import { Readable } from 'node:stream';
import { ObjectId } from 'mongodb';
import { isValidObjectId } from 'mongoose';
import { ScanStatus, StoredDocument } from '../../models/Document';
import { CompetitionRecord } from './competitions';
import { bucket, DocumentInfo, DocumentNotFound, DocumentUnavailable, isDownloadable } from './documents';

function infoOf(doc: any): DocumentInfo {
  return {
    id: String(doc._id), originalName: doc.originalName, contentType: doc.contentType, extension: doc.extension,
    size: doc.size, sha256: doc.sha256, purpose: doc.purpose, scanStatus: doc.scanStatus, uploadedAt: doc.createdAt,
  };
}

const listed = (c: Pick<CompetitionRecord, 'documents'>, id: string) => (c.documents ?? []).some((d) => String(d) === id);

/**
 * Opens one of the competition's documents for download: DocumentNotFound unless the id is listed on the
 * competition and the record is live and the council's own; DocumentUnavailable while scanning, infected or after a scan error.
 */
export async function openTenderDocument(c: Pick<CompetitionRecord, 'documents' | 'council'>, docId: unknown): Promise<{ document: DocumentInfo; stream: Readable }> {
  if (typeof docId !== 'string' || !/^[0-9a-f]{24}$/i.test(docId) || !isValidObjectId(docId) || !listed(c, docId)) throw new DocumentNotFound();
  const doc = await StoredDocument.findOne({ _id: docId, owner: c.council, deletedAt: null } as any).lean();
  if (!doc) throw new DocumentNotFound();
  const document = infoOf(doc);
  if (!isDownloadable(doc.scanStatus as ScanStatus)) throw new DocumentUnavailable(doc.scanStatus as ScanStatus, document);
  return { document, stream: bucket().openDownloadStream(doc.gridFsId as unknown as ObjectId) };
}
