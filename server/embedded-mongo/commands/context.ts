// What every command handler receives, and small argument helpers shared by the handlers.
import { Cursors } from '../cursors';
import { ErrorCodes, MongoServerError, badValue } from '../errors';
import { Collection, Storage, WriteBatch, validateCollectionName } from '../storage';
import { Sessions, View } from '../transactions';
import { Doc, isPlainObject } from '../values';

export interface EngineState {
  storage: Storage;
  sessions: Sessions;
  cursors: Cursors;
  /** host:port the server really listens on, as advertised in hello */
  address: string;
  startedAt: number;
}

export interface CommandContext {
  engine: EngineState;
  db: string;
  body: Doc;
  view: View;
  batch: WriteBatch;
  connectionId: number;
}

export type Handler = (ctx: CommandContext) => Doc | Promise<Doc>;

/** The collection a command names in its first field (e.g. `find: "users"`). */
export function collectionName(ctx: CommandContext, field: string): string {
  return validateCollectionName(ctx.db, ctx.body[field]);
}

export function ns(ctx: CommandContext, name: string): string {
  return `${ctx.db}.${name}`;
}

export function existing(ctx: CommandContext, name: string): Collection | undefined {
  return ctx.engine.storage.getCollection(ctx.db, name);
}

export function optionalDoc(body: Doc, field: string): Doc | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new MongoServerError(ErrorCodes.TypeMismatch, `BSON field '${field}' is the wrong type '${typeof v}', expected type 'object'`);
  return v;
}

export function optionalInt(body: Doc, field: string): number | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new MongoServerError(ErrorCodes.TypeMismatch, `BSON field '${field}' is the wrong type, expected a number`);
  return Math.trunc(n);
}

export function docArray(body: Doc, field: string): Doc[] {
  const v = body[field];
  if (!Array.isArray(v)) throw badValue(`BSON field '${field}' is missing or is not an array`);
  return v;
}
