// A bid's attachments: checked like every upload (documents.ts inspectUpload), then ENCRYPTED under the
// competition's key and kept in the GridFS bucket 'bidfiles' named by their id alone. The original name, type and
// hash live only inside the sealed bid content (an AttachmentRef), so a raw read of the database shows none of them.
//
// Exported API (the buyer's tender box reads attachments with readBidFile once a bid is opened):
//   storeBidFile(keyring, competition, bidId, file) -> Promise<AttachmentRef>; throws UploadRefused
//   readBidFile(keyring, competition, bidId, ref) -> Promise<Buffer>; the decrypted bytes, checked against ref.sha256
//   addAttachment / removeAttachment / ownAttachment: the supplier's draft (routes/supplier/opportunities/bid-attachments.ts)
import { createHash } from 'node:crypto';
import { GridFSBucket, ObjectId } from 'mongodb';
import mongoose, { isValidObjectId, Types } from 'mongoose';
import { Clock } from '../clock';
import { attachmentAad, AttachmentRef, BidContent } from '../domain/bidContent';
import { Keyring, Sealed } from '../sealing/keyring';
import { CompetitionRecord } from './competitions';
import { inspectUpload, LIMITS, UploadRefused } from './documents';
import { Bid } from '../../models/Bid';
import { bidForChange, changeDraft, draftContent, DraftOutcome, findBid, sealingOf, Supplier, versionContent } from './bids';

export const BID_FILES_BUCKET = 'bidfiles';
export const MAX_ATTACHMENTS = 10;
export const MAX_BID_BYTES = 50 * 1024 * 1024;

function bucket(): GridFSBucket {
  const db = mongoose.connection.db;
  if (!db) throw new Error('database not connected');
  return new GridFSBucket(db, { bucketName: BID_FILES_BUCKET });
}

// Stored form: the 12-byte IV, the 16-byte GCM tag, then the ciphertext (the envelope's version is always 1).
function pack(sealed: Sealed): Buffer {
  return Buffer.concat([Buffer.from(sealed.iv, 'base64'), Buffer.from(sealed.tag, 'base64'), Buffer.from(sealed.data, 'base64')]);
}

function unpack(bytes: Buffer): Sealed {
  if (bytes.length < 28) throw new Error('not a sealed bid file');
  return { v: 1, iv: bytes.subarray(0, 12).toString('base64'), tag: bytes.subarray(12, 28).toString('base64'), data: bytes.subarray(28).toString('base64') };
}

type CompetitionKey = Pick<CompetitionRecord, '_id' | 'sealing'>;

/** Checks an upload, encrypts it under the competition's key (bound to the bid and file id) and stores it. */
export async function storeBidFile(keyring: Keyring, competition: CompetitionKey, bidId: string, file: { buffer: Buffer; originalname: string; size?: number }): Promise<AttachmentRef> {
  const { originalName, type, size } = await inspectUpload(file);
  const id = new ObjectId();
  const sealed = keyring.sealBytes(sealingOf(competition), attachmentAad(bidId, String(id)), file.buffer);
  const upload = bucket().openUploadStreamWithId(id, String(id));
  try {
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      upload.end(pack(sealed));
    });
  } catch (err) {
    await upload.abort().catch(() => undefined);
    throw err;
  }
  return { file: String(id), name: originalName, contentType: type.contentType, extension: type.extension, size, sha256: createHash('sha256').update(file.buffer).digest('hex') };
}

/** The decrypted bytes of an attachment; throws if the stored file is missing, altered or bound to another bid. */
export async function readBidFile(keyring: Keyring, competition: CompetitionKey, bidId: string, ref: AttachmentRef): Promise<Buffer> {
  if (!isValidObjectId(ref.file)) throw new Error('not a bid file id');
  const chunks: Buffer[] = [];
  for await (const chunk of bucket().openDownloadStream(new ObjectId(ref.file))) chunks.push(chunk as Buffer);
  const bytes = keyring.openBytes(sealingOf(competition), attachmentAad(bidId, ref.file), unpack(Buffer.concat(chunks)));
  if (createHash('sha256').update(bytes).digest('hex') !== ref.sha256) throw new Error('bid file does not match its fingerprint');
  return bytes;
}

async function deleteBidFile(id: string): Promise<void> {
  await bucket().delete(new ObjectId(id)).catch(() => undefined);
}

/** Adds a file to the draft: checked, stored sealed, then referenced; refused at or after the deadline with nothing kept. */
export async function addAttachment(clock: Clock, keyring: Keyring, user: Supplier, c: CompetitionRecord, file: { buffer: Buffer; originalname: string; size: number }): Promise<DraftOutcome> {
  const ready = await bidForChange(clock, user, c);
  if (ready.outcome !== 'ready') return ready;
  const room = roomFor(draftContent(keyring, c, ready.bid), file.size);
  if (room) return { outcome: 'refused', ...room };
  const ref = await storeBidFile(keyring, c, String(ready.bid._id), file);
  let outcome: DraftOutcome;
  try {
    outcome = await changeDraft(clock, keyring, user, c, 'attachments', (content) => roomFor(content, ref.size) ?? { ...content, attachments: [...content.attachments, ref] }, new Types.ObjectId(ref.file));
  } catch (err) {
    await deleteBidFile(ref.file);
    throw err;
  }
  if (outcome.outcome !== 'saved') await deleteBidFile(ref.file);
  return outcome;
}

function roomFor(content: BidContent, size: number): { problem: string } | undefined {
  if (content.attachments.length >= MAX_ATTACHMENTS) return { problem: `You can attach up to ${MAX_ATTACHMENTS} files. Remove one to add another` };
  const used = content.attachments.reduce((s, a) => s + a.size, 0);
  if (used + size > MAX_BID_BYTES) return { problem: `The files for one bid must add up to less than ${MAX_BID_BYTES / (1024 * 1024)}MB. Remove a file or make this one smaller` };
  return undefined;
}

/** Removes a file from the draft; its bytes go too unless a submitted version refers to it (versions are kept). */
export async function removeAttachment(clock: Clock, keyring: Keyring, user: Supplier, c: CompetitionRecord, fileId: string): Promise<DraftOutcome> {
  const outcome = await changeDraft(clock, keyring, user, c, 'attachments', (content) =>
    content.attachments.some((a) => a.file === fileId) ? { ...content, attachments: content.attachments.filter((a) => a.file !== fileId) } : { problem: 'That file is not attached to your bid' });
  if (outcome.outcome !== 'saved') return outcome;
  const bid = (await findBid(c._id, user.organisation))!;
  const inVersion = bid.versions.some((v) => versionContent(keyring, c, bid, v.n)!.attachments.some((a) => a.file === fileId));
  if (!inVersion) {
    await deleteBidFile(fileId);
    await Bid.updateOne({ _id: bid._id }, { $pull: { files: new Types.ObjectId(fileId) } });
  }
  return outcome;
}

/** One of the supplier's own attachments (in the draft or any version) with its bytes, or undefined (a 404). */
export async function ownAttachment(keyring: Keyring, user: Pick<Supplier, 'organisation'>, c: CompetitionRecord, fileId: string): Promise<{ ref: AttachmentRef; bytes: Buffer } | undefined> {
  const bid = await findBid(c._id, user.organisation);
  if (!bid || !isValidObjectId(fileId)) return undefined;
  const contents = [draftContent(keyring, c, bid), ...bid.versions.map((v) => versionContent(keyring, c, bid, v.n)!)];
  const ref = contents.flatMap((x) => x.attachments).find((a) => a.file === fileId);
  if (!ref) return undefined;
  return { ref, bytes: await readBidFile(keyring, c, String(bid._id), ref) };
}

export { LIMITS, UploadRefused };
