// MongoDB wire protocol framing: OP_MSG (kinds 0 and 1, checksum, moreToCome) and the legacy OP_QUERY/OP_REPLY handshake.
import { deserialize, serialize } from 'bson';
import { DESERIALIZE_OPTIONS } from './journal';
import { Doc } from './values';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const FLAG_CHECKSUM = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;

export const MAX_MESSAGE_SIZE = 48_000_000;
const HEADER_SIZE = 16;

export class ProtocolError extends Error {}

export interface Request {
  requestId: number;
  opCode: number;
  /** OP_MSG: the command with kind-1 sequences merged in; OP_QUERY: the query document */
  body: Doc;
  /** database the command runs against */
  db: string;
  moreToCome: boolean;
}

function readCString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated C string');
  return [buf.toString('utf8', offset, end), end + 1];
}

function readDoc(buf: Buffer, offset: number, limit: number): [Doc, number] {
  if (offset + 5 > limit) throw new ProtocolError('truncated document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > limit) throw new ProtocolError('invalid document length');
  try {
    return [deserialize(buf.subarray(offset, offset + size), DESERIALIZE_OPTIONS), offset + size];
  } catch (err: any) {
    throw new ProtocolError(`invalid BSON: ${err.message}`);
  }
}

/** Parses one complete message (header included). Throws ProtocolError on anything malformed. */
export function parseMessage(msg: Buffer): Request {
  if (msg.length < HEADER_SIZE) throw new ProtocolError('message shorter than its header');
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(msg, requestId);
  if (opCode === OP_COMPRESSED) throw new ProtocolError('compression was not negotiated');
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(msg: Buffer, requestId: number): Request {
  const flags = msg.readUInt32LE(HEADER_SIZE);
  // Bits 0-15 are required to be understood; only checksum and moreToCome are defined there.
  if ((flags & 0xfffc) !== 0) throw new ProtocolError(`unknown required OP_MSG flags ${flags}`);
  const end = flags & FLAG_CHECKSUM ? msg.length - 4 : msg.length;
  let offset = HEADER_SIZE + 4;
  let body: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = msg.readUInt8(offset++);
    if (kind === 0) {
      if (body) throw new ProtocolError('more than one body section');
      [body, offset] = readDoc(msg, offset, end);
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = msg.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new ProtocolError('invalid document sequence length');
      let [identifier, pos] = readCString(msg, offset + 4);
      if (pos > seqEnd) throw new ProtocolError('invalid document sequence identifier');
      const docs: Doc[] = [];
      while (pos < seqEnd) {
        let doc: Doc;
        [doc, pos] = readDoc(msg, pos, seqEnd);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
      offset = seqEnd;
      identifier = '';
    } else throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  const db = typeof body.$db === 'string' ? body.$db : 'admin';
  return { requestId, opCode: OP_MSG, body, db, moreToCome: (flags & FLAG_MORE_TO_COME) !== 0 };
}

function parseOpQuery(msg: Buffer, requestId: number): Request {
  const [fullName, afterName] = readCString(msg, HEADER_SIZE + 4);
  const offset = afterName + 8; // numberToSkip, numberToReturn
  let [query] = readDoc(msg, offset, msg.length);
  // Drivers may wrap the command as { $query: {...}, $readPreference: ... }.
  if (query.$query && typeof query.$query === 'object') query = query.$query;
  const dot = fullName.indexOf('.');
  const db = dot > 0 ? fullName.slice(0, dot) : 'admin';
  return { requestId, opCode: OP_QUERY, body: query, db, moreToCome: false };
}

let nextResponseId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const h = Buffer.alloc(HEADER_SIZE);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(nextResponseId++ & 0x7fffffff, 4);
  h.writeInt32LE(responseTo, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function encodeOpMsg(responseTo: number, reply: Doc): Buffer {
  const body = serialize(reply, { checkKeys: false, ignoreUndefined: true });
  const flagsAndKind = Buffer.alloc(5); // flags 0, section kind 0
  return Buffer.concat([header(HEADER_SIZE + 5 + body.length, responseTo, OP_MSG), flagsAndKind, body]);
}

export function encodeOpReply(responseTo: number, reply: Doc): Buffer {
  const body = serialize(reply, { checkKeys: false, ignoreUndefined: true });
  const fields = Buffer.alloc(20); // responseFlags, cursorID (int64), startingFrom, numberReturned
  fields.writeInt32LE(1, 16);
  return Buffer.concat([header(HEADER_SIZE + 20 + body.length, responseTo, OP_REPLY), fields, body]);
}

/** Reads the declared length of the message at the front of `buf`, or undefined if not yet known. */
export function messageLength(buf: Buffer): number | undefined {
  if (buf.length < 4) return undefined;
  const len = buf.readInt32LE(0);
  if (len < HEADER_SIZE || len > MAX_MESSAGE_SIZE) throw new ProtocolError(`invalid message length ${len}`);
  return len;
}
