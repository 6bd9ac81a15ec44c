// File types found from the content (magic bytes), never from the name: PDF, PNG, JPEG, and the ZIP-based
// DOCX, XLSX and ODT, told apart by reading the ZIP central directory, which also refuses zip bombs.
// No I/O. Exported: ALLOWED_TYPES, detectFileType(buffer), verifyZipEntries(buffer), extensionOf(name), ZIP_LIMITS.
// (Written by hand rather than with file-type: v21+ is ESM-only and v22 needs Node 22; these six are short.)

import { promisify } from 'node:util';
import { inflateRaw as inflateRawCb, ZlibOptions } from 'node:zlib';

const inflateRaw = promisify(inflateRawCb) as (buf: Buffer, options: ZlibOptions) => Promise<Buffer>;

export type FileKind = 'pdf' | 'png' | 'jpeg' | 'docx' | 'xlsx' | 'odt';

export interface FileType {
  kind: FileKind;
  /** the extension we store and offer on download */
  extension: string;
  contentType: string;
  /** extensions a user's file name may carry for this kind */
  extensions: readonly string[];
  label: string;
}

export const ALLOWED_TYPES: Record<FileKind, FileType> = {
  pdf: { kind: 'pdf', extension: 'pdf', extensions: ['pdf'], contentType: 'application/pdf', label: 'PDF' },
  png: { kind: 'png', extension: 'png', extensions: ['png'], contentType: 'image/png', label: 'PNG' },
  jpeg: { kind: 'jpeg', extension: 'jpg', extensions: ['jpg', 'jpeg'], contentType: 'image/jpeg', label: 'JPEG' },
  docx: { kind: 'docx', extension: 'docx', extensions: ['docx'], contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word (DOCX)' },
  xlsx: { kind: 'xlsx', extension: 'xlsx', extensions: ['xlsx'], contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel (XLSX)' },
  odt: { kind: 'odt', extension: 'odt', extensions: ['odt'], contentType: 'application/vnd.oasis.opendocument.text', label: 'OpenDocument text (ODT)' },
};

/** Zip bomb limits: the sum of the entries' declared uncompressed sizes, and the number of entries. */
export const ZIP_LIMITS = { maxUncompressedBytes: 100 * 1024 * 1024, maxEntries: 2000 };

export type Detection =
  | { ok: true; type: FileType }
  | { ok: false; reason: 'unknown' | 'zip-bomb' | 'malformed'; detail: string };

/** The lower-cased extension of a file name ('' if none). */
export function extensionOf(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

function startsWith(buf: Buffer, bytes: number[], at = 0): boolean {
  if (buf.length < at + bytes.length) return false;
  return bytes.every((b, i) => buf[at + i] === b);
}

export function detectFileType(buf: Buffer): Detection {
  if (startsWith(buf, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { ok: true, type: ALLOWED_TYPES.pdf }; // %PDF-
  if (startsWith(buf, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ok: true, type: ALLOWED_TYPES.png };
  if (startsWith(buf, [0xff, 0xd8, 0xff])) return { ok: true, type: ALLOWED_TYPES.jpeg };
  if (startsWith(buf, [0x50, 0x4b, 0x03, 0x04])) return detectZip(buf);
  return { ok: false, reason: 'unknown', detail: 'not a PDF, PNG, JPEG or ZIP file' };
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;

/** Reads the central directory (the authoritative list of entries) and tells DOCX, XLSX and ODT apart. */
function detectZip(buf: Buffer): Detection {
  const entries = readCentralDirectory(buf);
  if (!Array.isArray(entries)) return entries;
  const names = new Set(entries.map((e) => e.name));
  // ODT: the first entry is an uncompressed `mimetype` naming the type (OpenDocument 1.2 part 3, 3.3).
  const first = entries.find((e) => e.localOffset === 0);
  if (first?.name === 'mimetype' && first.method === 0) {
    const data = localData(buf, first);
    if (data?.toString('latin1') === ALLOWED_TYPES.odt.contentType && names.has('content.xml')) return { ok: true, type: ALLOWED_TYPES.odt };
    return { ok: false, reason: 'unknown', detail: 'an OpenDocument file that is not a text document' };
  }
  if (names.has('[Content_Types].xml')) {
    if (names.has('word/document.xml')) return { ok: true, type: ALLOWED_TYPES.docx };
    if (names.has('xl/workbook.xml')) return { ok: true, type: ALLOWED_TYPES.xlsx };
  }
  return { ok: false, reason: 'unknown', detail: 'a ZIP file that is not a DOCX, XLSX or ODT document' };
}

function readCentralDirectory(buf: Buffer): ZipEntry[] | Extract<Detection, { ok: false }> {
  const malformed = (detail: string) => ({ ok: false as const, reason: 'malformed' as const, detail });
  // The end-of-central-directory record is the last 22 bytes plus a comment of up to 65,535 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) { eocd = i; break; }
  }
  if (eocd < 0) return malformed('no end of central directory');
  const disk = buf.readUInt16LE(eocd + 4);
  const total = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  // ZIP64 (0xFFFF / 0xFFFFFFFF markers) and multi-disk archives have no place in a 10 MB office document.
  if (disk !== 0 || total === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) return malformed('ZIP64 or multi-part archive');
  if (total > ZIP_LIMITS.maxEntries) return { ok: false, reason: 'zip-bomb', detail: `${total} entries` };
  if (cdOffset + cdSize > eocd) return malformed('central directory out of bounds');
  const entries: ZipEntry[] = [];
  let uncompressed = 0;
  let p = cdOffset;
  const end = cdOffset + cdSize;
  while (p < end) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CDH_SIG) return malformed('bad central directory entry');
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLength = buf.readUInt16LE(p + 28);
    const extraLength = buf.readUInt16LE(p + 30);
    const commentLength = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localOffset === 0xffffffff) return malformed('ZIP64 entry');
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > end || localOffset >= cdOffset) return malformed('entry out of bounds');
    entries.push({ name: buf.toString('utf8', p + 46, p + 46 + nameLength), method, compressedSize, uncompressedSize, localOffset });
    if (entries.length > ZIP_LIMITS.maxEntries) return { ok: false, reason: 'zip-bomb', detail: 'too many entries' };
    uncompressed += uncompressedSize;
    if (uncompressed > ZIP_LIMITS.maxUncompressedBytes) return { ok: false, reason: 'zip-bomb', detail: 'uncompressed size over the limit' };
    p = next;
  }
  if (entries.length !== total) return malformed('entry count does not match');
  return entries;
}

/** The stored bytes of an entry, read through its local header (only used for the small, uncompressed ODT mimetype). */
function localData(buf: Buffer, entry: ZipEntry): Buffer | undefined {
  const p = entry.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LFH_SIG) return undefined;
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const stop = start + entry.compressedSize;
  return stop <= buf.length && entry.compressedSize <= 200 ? buf.subarray(start, stop) : undefined;
}

/** True for the kinds that are ZIP packages (DOCX, XLSX, ODT). */
export function isZipKind(kind: FileKind): boolean {
  return kind === 'docx' || kind === 'xlsx' || kind === 'odt';
}

/**
 * Inflates every entry with its output capped at the size the central directory declares (whose total is already
 * under ZIP_LIMITS), so an entry that lies about its size is caught without ever expanding past the limit.
 * Returns undefined when every entry is what it says, else the refusal.
 */
export async function verifyZipEntries(buf: Buffer): Promise<Extract<Detection, { ok: false }> | undefined> {
  const entries = readCentralDirectory(buf);
  if (!Array.isArray(entries)) return entries;
  for (const entry of entries) {
    const p = entry.localOffset;
    if (p + 30 > buf.length || buf.readUInt32LE(p) !== LFH_SIG) return { ok: false, reason: 'malformed', detail: 'bad local header' };
    const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
    const data = buf.subarray(start, start + entry.compressedSize);
    if (start + entry.compressedSize > buf.length) return { ok: false, reason: 'malformed', detail: 'entry data out of bounds' };
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.uncompressedSize) return { ok: false, reason: 'malformed', detail: 'stored entry sizes differ' };
      continue;
    }
    if (entry.method !== 8) return { ok: false, reason: 'malformed', detail: `compression method ${entry.method}` };
    try {
      // one byte of headroom, so output past the declared size shows as a longer buffer rather than passing
      const out = await inflateRaw(data, { maxOutputLength: entry.uncompressedSize + 1 });
      if (out.length > entry.uncompressedSize) return { ok: false, reason: 'zip-bomb', detail: 'entry expands beyond its declared size' };
      if (out.length < entry.uncompressedSize) return { ok: false, reason: 'malformed', detail: 'entry shorter than declared' };
    } catch (err: any) {
      if (err?.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return { ok: false, reason: 'zip-bomb', detail: 'entry expands beyond its declared size' };
      return { ok: false, reason: 'malformed', detail: 'entry does not inflate' };
    }
  }
  return undefined;
}
