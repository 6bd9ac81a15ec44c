// Uploaded documents: checks, storage in the database's GridFS bucket 'documents', virus scanning, download and delete.
//
// Exported API (kept stable for the routes that take uploads):
//   storeUpload(clock, { owner, uploadedBy, purpose, application?, file: { buffer, originalname, size } }, scanner?)
//     -> Promise<StoredUpload>; throws UploadRefused (status 413 too large, 415 wrong type, 400 malformed/empty)
//     whose `message` is written for the user (put it in the GOV.UK error summary against the file field).
//     The file is typed from its content (server/domain/fileTypes.ts); nothing is left behind when it is refused.
//     With a scanner the document starts 'pending' and `scanned` settles when the scanner answers
//     ('clean' | 'infected' | 'error': a scanner failure fails closed); with none it is 'unscanned'.
//   openDownload(id, requester) -> { document, stream }; 404 (DocumentNotFound) for a malformed id, someone else's
//     document or a deleted one; 409 (DocumentUnavailable) while pending, infected or after a scan error.
//   deleteDocument(clock, id, requester) -> 'deleted' (bytes removed, record marked deleted, audited) or 'locked' (it
//     belongs to an application that is no longer a draft); only the owner organisation's users: others 404.
//   sweepOrphanFiles(clock, olderThanMs?) -> deletes GridFS files no Document refers to (left by a crash between the
//     two writes), if older than olderThanMs (default 1 hour, so uploads in flight are never touched); returns the count.
//   describeDocument(doc) -> what a page shows about a document (name, size, type, scan status text, downloadable).
//   Scanner { scan(buffer): Promise<'clean' | 'infected'> }; LIMITS; UploadRefused; DocumentNotFound; DocumentUnavailable.
import { randomUUID, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { GridFSBucket, ObjectId } from 'mongodb';
import mongoose, { isValidObjectId, trusted, Types } from 'mongoose';
import { Application } from '../../models/Application';
import { ScanStatus, StoredDocument } from '../../models/Document';
import { Clock } from '../clock';
import { detectFileType, extensionOf, isZipKind, verifyZipEntries, ALLOWED_TYPES, Detection, FileType } from '../domain/fileTypes';
import { recordAudit } from './audit';

export const LIMITS = {
  fileBytes: 10 * 1024 * 1024,
  applicationBytes: 60 * 1024 * 1024,
  organisationBytes: 500 * 1024 * 1024,
};

export const BUCKET = 'documents';

export interface Scanner {
  scan(buffer: Buffer): Promise<'clean' | 'infected'>;
}

export class UploadRefused extends Error {
  constructor(message: string, public readonly status: 400 | 413 | 415, public readonly code: string) {
    super(message);
    this.name = 'UploadRefused';
  }
}

export class DocumentNotFound extends Error {
  readonly status = 404;
  constructor() {
    super('Not Found');
    this.name = 'DocumentNotFound';
  }
}

export class DocumentUnavailable extends Error {
  readonly status = 409;
  constructor(public readonly scanStatus: ScanStatus, public readonly document: DocumentInfo) {
    super('This file cannot be downloaded');
    this.name = 'DocumentUnavailable';
  }
}

export interface UploadInput {
  owner: string | Types.ObjectId;
  uploadedBy: string | Types.ObjectId;
  purpose: string;
  application?: string | Types.ObjectId;
  file: { buffer: Buffer; originalname: string; size: number };
}

export interface DocumentInfo {
  id: string;
  originalName: string;
  contentType: string;
  extension: string;
  size: number;
  sha256: string;
  purpose: string;
  scanStatus: ScanStatus;
  uploadedAt: Date;
}

export interface StoredUpload extends DocumentInfo {
  /** settles with the final scan status (never rejects); already settled when there is no scanner */
  scanned: Promise<ScanStatus>;
}

export interface Requester {
  _id: string;
  role: string;
  organisation: string;
}

export const ALLOWED_LABEL = 'a PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), PNG or JPEG';

export function bucket(): GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new GridFSBucket(db, { bucketName: BUCKET });
}

/**
 * A file name for display only: no path, no control or bidirectional-override characters, NFC, at most 255
 * characters (the extension kept). Unicode letters and emoji stay.
 */
export function sanitiseFileName(name: string): string {
  let base = String(name ?? '').split(/[\\/]/).pop() ?? '';
  base = base
    .normalize('NFC')
    // C0/C1 controls, DEL, bidi marks, embeddings, overrides and isolates, zero-width space, word joiner,
    // line/paragraph separators, BOM (ZWJ/ZWNJ stay: emoji sequences and some scripts need them)
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (!base) base = 'file';
  const chars = Array.from(base);
  if (chars.length > 255) {
    const ext = extensionOf(base);
    const tail = ext && ext.length < 20 ? '.' + ext : '';
    base = chars.slice(0, 255 - Array.from(tail).length).join('').trimEnd() + tail;
  }
  return base;
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / (1024 * 1024))}MB`;
}

async function bytesStored(filter: Record<string, unknown>): Promise<number> {
  const [row] = await StoredDocument.aggregate<{ total: number }>([
    { $match: { ...filter, deletedAt: null } },
    { $group: { _id: null, total: { $sum: '$size' } } },
  ]);
  return row?.total ?? 0;
}

function toObjectId(id: string | Types.ObjectId, what: string): Types.ObjectId {
  if (id instanceof Types.ObjectId) return id;
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw new Error(`storeUpload: ${what} is not an id`);
  return new Types.ObjectId(id);
}

/**
 * The checks every upload passes, before any quota or storage: not empty, within the size limit, typed from its
 * content (zip bombs refused), its name's extension matching that type. Throws UploadRefused; returns the sanitised
 * display name and the type. (Shared with sealed bid attachments, server/services/bidFiles.ts.)
 */
export async function inspectUpload(file: { buffer: Buffer; originalname: string }): Promise<{ originalName: string; type: FileType; size: number }> {
  const { buffer } = file;
  if (!Buffer.isBuffer(buffer)) throw new UploadRefused('The selected file could not be read', 400, 'malformed');
  const originalName = sanitiseFileName(file.originalname);
  const size = buffer.length;

  if (size === 0) throw new UploadRefused('The selected file is empty', 400, 'empty');
  if (size > LIMITS.fileBytes) throw new UploadRefused(`The selected file must be smaller than ${formatMb(LIMITS.fileBytes)}`, 413, 'file-too-large');

  let detected: Detection = detectFileType(buffer);
  if (detected.ok && isZipKind(detected.type.kind)) detected = (await verifyZipEntries(buffer)) ?? detected;
  if (!detected.ok) {
    if (detected.reason === 'zip-bomb') throw new UploadRefused('The selected file expands to too much data. Save it again and upload the new copy', 400, 'zip-bomb');
    throw new UploadRefused(`The selected file must be ${ALLOWED_LABEL}`, 415, detected.reason === 'malformed' ? 'malformed' : 'type');
  }
  const type = detected.type;
  const ext = extensionOf(originalName);
  if (!type.extensions.includes(ext)) {
    throw new UploadRefused(`The selected file’s name must end in .${type.extensions.join(' or .')}: its content is a ${type.label} file`, 415, 'extension');
  }
  return { originalName, type, size };
}

/** Checks, types, hashes and stores an upload; the bytes go to GridFS, then the record (the bytes are removed if that fails). */
export async function storeUpload(clock: Clock, input: UploadInput, scanner?: Scanner): Promise<StoredUpload> {
  const owner = toObjectId(input.owner, 'owner');
  const uploadedBy = toObjectId(input.uploadedBy, 'uploadedBy');
  const application = input.application === undefined ? undefined : toObjectId(input.application, 'application');
  const { buffer } = input.file;
  const { originalName, type, size } = await inspectUpload(input.file);

  if (application) {
    const used = await bytesStored({ application });
    if (used + size > LIMITS.applicationBytes) throw new UploadRefused(`The files for one application must add up to less than ${formatMb(LIMITS.applicationBytes)}. Remove a file or make this one smaller`, 413, 'application-quota');
  }
  const usedByOwner = await bytesStored({ owner });
  if (usedByOwner + size > LIMITS.organisationBytes) throw new UploadRefused(`Your organisation has used its ${formatMb(LIMITS.organisationBytes)} of file storage. Remove files you no longer need`, 413, 'organisation-quota');

  const sha256 = createHash('sha256').update(buffer).digest('hex');
  const gridFsId = await writeToGridFs(buffer, type.contentType, clock.now());
  const scanStatus: ScanStatus = scanner ? 'pending' : 'unscanned';
  let record;
  try {
    record = await StoredDocument.create({
      owner, uploadedBy, purpose: input.purpose, application, originalName,
      contentType: type.contentType, extension: type.extension, size, sha256, gridFsId, scanStatus,
      createdAt: clock.now(), updatedAt: clock.now(),
    });
  } catch (err) {
    await bucket().delete(gridFsId).catch(() => undefined);
    throw err;
  }
  await recordAudit(clock, {
    actor: { _id: uploadedBy }, action: 'document.uploaded', targetType: 'Document', targetId: record._id,
    details: { owner: String(owner), purpose: input.purpose, application: application ? String(application) : undefined, size, sha256, contentType: type.contentType, scanStatus },
  });
  const info = infoOf(record.toObject());
  const scanned = scanner ? runScan(clock, scanner, record._id, buffer) : Promise.resolve(scanStatus);
  return { ...info, scanned };
}

async function writeToGridFs(buffer: Buffer, contentType: string, storedAt: Date): Promise<ObjectId> {
  const upload = bucket().openUploadStream(randomUUID(), { metadata: { contentType, storedAt } });
  try {
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      upload.end(buffer);
    });
  } catch (err) {
    await upload.abort().catch(() => undefined);
    throw err;
  }
  return upload.id;
}

async function runScan(clock: Clock, scanner: Scanner, id: Types.ObjectId, buffer: Buffer): Promise<ScanStatus> {
  let result: ScanStatus;
  try {
    const answer = await scanner.scan(buffer);
    result = answer === 'clean' ? 'clean' : answer === 'infected' ? 'infected' : 'error';
  } catch {
    result = 'error';
  }
  try {
    await StoredDocument.updateOne({ _id: id, scanStatus: 'pending' }, { $set: { scanStatus: result, updatedAt: clock.now() } });
    await recordAudit(clock, { action: `document.scan.${result}`, targetType: 'Document', targetId: id });
  } catch {
    // The record stays 'pending', which is not downloadable: still closed.
  }
  return result;
}

function infoOf(doc: any): DocumentInfo {
  return {
    id: String(doc._id), originalName: doc.originalName, contentType: doc.contentType, extension: doc.extension,
    size: doc.size, sha256: doc.sha256, purpose: doc.purpose, scanStatus: doc.scanStatus, uploadedAt: doc.createdAt,
  };
}

/** The live (not deleted) document the requester may see: its organisation's, or any for an admin; else DocumentNotFound. */
export async function findDocumentFor(id: unknown, requester: Requester) {
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id) || !isValidObjectId(id)) throw new DocumentNotFound();
  const filter: Record<string, unknown> = { _id: id, deletedAt: null };
  if (requester.role !== 'admin') filter.owner = requester.organisation;
  const doc = await StoredDocument.findOne(filter).lean();
  if (!doc) throw new DocumentNotFound();
  return doc;
}

export function isDownloadable(status: ScanStatus): boolean {
  return status === 'clean' || status === 'unscanned';
}

export async function documentInfo(id: unknown, requester: Requester): Promise<DocumentInfo> {
  return infoOf(await findDocumentFor(id, requester));
}

export async function openDownload(id: unknown, requester: Requester): Promise<{ document: DocumentInfo; stream: Readable }> {
  const doc = await findDocumentFor(id, requester);
  const document = infoOf(doc);
  if (!isDownloadable(doc.scanStatus as ScanStatus)) throw new DocumentUnavailable(doc.scanStatus as ScanStatus, document);
  return { document, stream: bucket().openDownloadStream(doc.gridFsId as unknown as ObjectId) };
}

/** Removes the bytes and marks the record deleted (kept for the audit trail). Documents of a submitted application stay. */
export async function deleteDocument(clock: Clock, id: unknown, requester: Requester): Promise<'deleted' | 'locked'> {
  const doc = await findDocumentFor(id, requester);
  // admins may read any document for vetting, but only the owner organisation's users may delete one
  if (String(doc.owner) !== String(requester.organisation)) throw new DocumentNotFound();
  if (doc.application) {
    const app = await Application.findById(doc.application, { status: 1 }).lean();
    if (app && app.status !== 'draft') return 'locked';
  }
  const res = await StoredDocument.updateOne({ _id: doc._id, deletedAt: null }, { $set: { deletedAt: clock.now() } });
  if (res.modifiedCount === 0) throw new DocumentNotFound();
  await bucket().delete(doc.gridFsId as unknown as ObjectId).catch(() => undefined);
  await recordAudit(clock, { actor: requester, action: 'document.deleted', targetType: 'Document', targetId: doc._id, details: { owner: String(doc.owner), purpose: doc.purpose } });
  return 'deleted';
}

/** Deletes GridFS files that no Document record refers to and that are older than `olderThanMs` (uploads in flight are younger). */
export async function sweepOrphanFiles(clock: Clock, olderThanMs = 60 * 60 * 1000): Promise<number> {
  const cutoff = new Date(clock.now().getTime() - olderThanMs);
  const files = mongoose.connection.db!.collection(`${BUCKET}.files`);
  let removed = 0;
  // metadata.storedAt is the service's clock; uploadDate (the driver's) only for files written without it
  const old = trusted({ $or: [{ 'metadata.storedAt': { $lt: cutoff } }, { 'metadata.storedAt': { $exists: false }, uploadDate: { $lt: cutoff } }] });
  for await (const file of files.find(old, { projection: { _id: 1 } })) {
    if (await StoredDocument.exists({ gridFsId: file._id })) continue;
    await bucket().delete(file._id).catch(() => undefined);
    removed++;
  }
  if (removed > 0) await recordAudit(clock, { action: 'document.orphans.swept', targetType: 'Document', details: { removed } });
  return removed;
}

/** What a page says about a document's virus scan. */
export const SCAN_TEXT: Record<ScanStatus, { tag: string; colour: string; explanation: string }> = {
  unscanned: { tag: 'Not scanned', colour: 'yellow', explanation: 'This file has not been scanned for viruses: no virus scanner is set up for this service. Open it with care.' },
  pending: { tag: 'Scanning', colour: 'blue', explanation: 'This file is being scanned for viruses. You can download it once the scan has finished.' },
  clean: { tag: 'No viruses found', colour: 'green', explanation: 'This file was scanned for viruses and none were found.' },
  infected: { tag: 'Virus found', colour: 'red', explanation: 'A virus was found in this file, so it cannot be downloaded. Upload a clean copy instead.' },
  error: { tag: 'Scan failed', colour: 'red', explanation: 'The virus scan of this file did not finish, so it cannot be downloaded. Upload it again.' },
};

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function typeLabel(contentType: string): string {
  return Object.values(ALLOWED_TYPES).find((t) => t.contentType === contentType)?.label ?? contentType;
}

const WHEN = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12', timeZone: 'Europe/London' });

export interface DocumentView {
  id: string;
  name: string;
  size: string;
  type: string;
  uploaded: string;
  sha256: string;
  scanStatus: ScanStatus;
  scan: { tag: string; colour: string; explanation: string };
  downloadable: boolean;
  href: string;
  detailsHref: string;
}

/** What a page shows about a document (every value is text: render it escaped). */
export function describeDocument(info: DocumentInfo): DocumentView {
  return {
    id: info.id,
    name: info.originalName,
    size: formatSize(info.size),
    type: typeLabel(info.contentType),
    uploaded: info.uploadedAt ? WHEN.format(info.uploadedAt) : '',
    sha256: info.sha256,
    scanStatus: info.scanStatus,
    scan: SCAN_TEXT[info.scanStatus] ?? SCAN_TEXT.error,
    downloadable: isDownloadable(info.scanStatus),
    href: `/documents/${info.id}`,
    detailsHref: `/documents/${info.id}/details`,
  };
}
