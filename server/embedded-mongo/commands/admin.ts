// Handshake and administrative commands: the engine presents itself as the primary of a one-node replica set.
import { Long, ObjectId, Timestamp } from 'bson';
import { Doc } from '../values';
import { CommandContext, Handler } from './context';

export const VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21; // MongoDB 7.0
export const REPLICA_SET = 'rs0';
const electionId = new ObjectId('7fffffff0000000000000001');

/** The hello / isMaster reply; `legacy` uses the old field name for OP_QUERY handshakes. */
export function helloReply(ctx: Pick<CommandContext, 'engine' | 'connectionId'>, legacy: boolean): Doc {
  const now = new Date();
  const seconds = Math.floor(now.getTime() / 1000);
  const opTime = { ts: new Timestamp({ t: seconds, i: 1 }), t: Long.fromNumber(1) };
  return {
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    helloOk: true,
    topologyVersion: undefined,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: now,
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    setName: REPLICA_SET,
    setVersion: 1,
    hosts: [ctx.engine.address],
    primary: ctx.engine.address,
    me: ctx.engine.address,
    secondary: false,
    electionId,
    lastWrite: { opTime, lastWriteDate: now, majorityOpTime: opTime, majorityWriteDate: now },
    ok: 1,
  };
}

export const hello: Handler = (ctx) => stripUndefined(helloReply(ctx, false));
export const isMaster: Handler = (ctx) => stripUndefined(helloReply(ctx, true));

function stripUndefined(d: Doc): Doc {
  for (const k of Object.keys(d)) if (d[k] === undefined) delete d[k];
  return d;
}

export const ping: Handler = () => ({ ok: 1 });

export const buildInfo: Handler = () => ({
  version: VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['embedded'],
  modules: [],
  ok: 1,
});

export const getParameter: Handler = (ctx) => {
  if (ctx.body.featureCompatibilityVersion) return { featureCompatibilityVersion: { version: '7.0' }, ok: 1 };
  return { ok: 1 };
};

export const serverStatus: Handler = (ctx) => ({
  host: ctx.engine.address,
  version: VERSION,
  process: 'mongod',
  pid: Long.fromNumber(process.pid),
  uptime: Math.floor((Date.now() - ctx.engine.startedAt) / 1000),
  localTime: new Date(),
  storageEngine: { name: 'embedded', supportsCommittedReads: true, persistent: ctx.engine.storage.journal !== undefined },
  metrics: { cursor: { open: { total: ctx.engine.cursors.size } } },
  ok: 1,
});

export const endSessions: Handler = (ctx) => {
  const ids = Array.isArray(ctx.body.endSessions) ? ctx.body.endSessions : [];
  for (const lsid of ids) ctx.engine.sessions.end(lsid);
  return { ok: 1 };
};

export const noop: Handler = () => ({ ok: 1 });

export const whatsmyuri: Handler = () => ({ you: '127.0.0.1', ok: 1 });

export const connectionStatus: Handler = () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 });
