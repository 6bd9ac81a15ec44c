// Durability: an append-only journal of checksummed BSON records plus a compacted snapshot, in one data directory.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync, writevSync, ftruncateSync } from 'node:fs';
import { FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { deserialize, serialize } from 'bson';
import { Doc } from './values';

export const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;
const HEADER = 8; // u32 length + u32 crc32 of the payload

/** A record as [header, payload], written together so the header need not be copied in front. */
export function encodeRecordParts(record: Doc): [Buffer, Uint8Array] {
  const payload = serialize(record, { checkKeys: false, ignoreUndefined: false });
  const header = Buffer.allocUnsafe(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return [header, payload];
}

export function encodeRecord(record: Doc): Buffer {
  return Buffer.concat(encodeRecordParts(record));
}

/** Decodes the records of a file; stops at the first torn or corrupt record and says where. */
/** Calls `each` for every intact record in order (so a replay holds one record at a time); returns the intact length. */
export function forEachRecord(buf: Buffer, each: (record: Doc) => void): number {
  let off = 0;
  while (off + HEADER <= buf.length) {
    const len = buf.readUInt32LE(off);
    const crc = buf.readUInt32LE(off + 4);
    if (len < 5 || off + HEADER + len > buf.length) break;
    const payload = buf.subarray(off + HEADER, off + HEADER + len);
    if (crc32(payload) !== crc) break;
    let record: Doc;
    try {
      record = deserialize(payload, DESERIALIZE_OPTIONS);
    } catch {
      break;
    }
    each(record);
    off += HEADER + len;
  }
  return off;
}

interface Pending {
  parts: [Buffer, Uint8Array];
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * The journal file of a data directory. `append` resolves only once the record is on disk;
 * records queued while a flush is under way share the next write and fdatasync (group commit).
 */
export class Journal {
  readonly dir: string;
  private readonly journalPath: string;
  private readonly snapshotPath: string;
  private readonly lockPath: string;
  private fh?: FileHandle;
  private pending: Pending[] = [];
  private flushing = false;
  private size = 0;
  private closed = false;
  private failure?: Error;
  /** Called between flushes when the journal has grown past the threshold; writes a snapshot. */
  compactor?: () => Iterable<Doc>;
  compactThreshold = 64 * 1024 * 1024;

  constructor(dir: string) {
    this.dir = dir;
    this.journalPath = join(dir, 'journal.bin');
    this.snapshotPath = join(dir, 'snapshot.bin');
    this.lockPath = join(dir, 'mongod.lock');
  }

  /** Takes the directory lock and returns the snapshot records then the journal records. */
  /**
   * Takes the directory lock and feeds the snapshot's records, then the journal's, to `apply`, one at a time.
   * A torn or corrupt tail of the journal (a write cut short by a crash, never acknowledged) is cut off.
   */
  load(apply: (record: Doc) => void): { snapshotRecords: number; journalRecords: number; tornBytes: number } {
    mkdirSync(this.dir, { recursive: true });
    this.lock();
    let snapshotRecords = 0;
    let journalRecords = 0;
    let tornBytes = 0;
    if (existsSync(this.snapshotPath)) {
      forEachRecord(readFileSync(this.snapshotPath), (r) => {
        snapshotRecords++;
        apply(r);
      });
    }
    if (existsSync(this.journalPath)) {
      const buf = readFileSync(this.journalPath);
      const validLength = forEachRecord(buf, (r) => {
        journalRecords++;
        apply(r);
      });
      tornBytes = buf.length - validLength;
      if (tornBytes > 0) {
        const fd = openSync(this.journalPath, 'r+');
        ftruncateSync(fd, validLength);
        fsyncSync(fd);
        closeSync(fd);
      }
    }
    return { snapshotRecords, journalRecords, tornBytes };
  }

  private lock(): void {
    try {
      const fd = openSync(this.lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (err: any) {
      if (err.code !== 'EEXIST') throw err;
    }
    const pid = Number(readFileSync(this.lockPath, 'utf8').trim());
    if (pid && pidAlive(pid)) {
      throw new Error(`The data directory ${this.dir} is in use by process ${pid}; stop it or choose another DATA_DIR.`);
    }
    writeFileSync(this.lockPath, String(process.pid)); // stale lock from a process that died
  }

  /** Replaces snapshot and journal with one snapshot of the given records (written, synced, renamed). */
  writeSnapshot(records: Iterable<Doc>): void {
    const tmp = this.snapshotPath + '.tmp';
    const fd = openSync(tmp, 'w');
    let chunk: Uint8Array[] = [];
    for (const r of records) {
      chunk.push(...encodeRecordParts(r));
      if (chunk.length >= 512) {
        writevAll(fd, chunk);
        chunk = [];
      }
    }
    if (chunk.length) writevAll(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.snapshotPath);
    syncDir(this.dir);
    // The snapshot now holds everything; replaying the old journal over it would be harmless but slow.
    const jfd = openSync(this.journalPath, 'a');
    ftruncateSync(jfd, 0);
    fsyncSync(jfd);
    closeSync(jfd);
    this.size = 0;
  }

  async open(): Promise<void> {
    this.fh = await open(this.journalPath, 'a');
    this.size = existsSync(this.journalPath) ? statSync(this.journalPath).size : 0;
  }

  append(record: Doc): Promise<void> {
    if (this.closed) return Promise.reject(new Error('journal is closed'));
    if (this.failure) return Promise.reject(this.failure);
    const parts = encodeRecordParts(record);
    return new Promise((resolve, reject) => {
      this.pending.push({ parts, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const buffers = batch.flatMap((p) => p.parts);
          await writevAllAsync(this.fh!, buffers);
          await this.fh!.datasync();
          for (const p of batch) this.size += p.parts[0].length + p.parts[1].length;
          for (const p of batch) p.resolve();
        } catch (err: any) {
          // A failed write leaves the journal in doubt: refuse every later write rather than lose one silently.
          this.failure = new Error(`journal write failed: ${err.message}`);
          for (const p of batch) p.reject(this.failure);
        }
        if (this.size > this.compactThreshold && this.compactor && this.pending.length === 0) {
          await this.fh!.close();
          this.writeSnapshot(this.compactor());
          this.fh = await open(this.journalPath, 'a');
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  async close(): Promise<void> {
    while (this.flushing || this.pending.length > 0) await new Promise((r) => setTimeout(r, 1));
    this.closed = true;
    await this.fh?.close();
    this.fh = undefined;
    try {
      unlinkSync(this.lockPath);
    } catch {
      /* already gone */
    }
  }
}

/** writev may write less than asked (and takes at most IOV_MAX buffers): loop until all is written. */
function writevAll(fd: number, buffers: Uint8Array[]): void {
  let rest = buffers;
  while (rest.length > 0) {
    const slice = rest.slice(0, 1024);
    let written = writevSync(fd, slice);
    let i = 0;
    while (i < slice.length && written >= slice[i].length) written -= slice[i++].length;
    rest = i < slice.length ? [slice[i].subarray(written), ...rest.slice(i + 1)] : rest.slice(slice.length);
  }
}

async function writevAllAsync(fh: FileHandle, buffers: Uint8Array[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    const slice = rest.slice(0, 1024);
    let { bytesWritten: written } = await fh.writev(slice);
    let i = 0;
    while (i < slice.length && written >= slice[i].length) written -= slice[i++].length;
    rest = i < slice.length ? [slice[i].subarray(written), ...rest.slice(i + 1)] : rest.slice(slice.length);
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err.code === 'EPERM';
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    fsyncSync(fd);
    closeSync(fd);
  } catch {
    /* some filesystems cannot fsync a directory */
  }
}
