// Routes a command document to its handler, with sessions, transactions and retryable writes around it.
import * as admin from './commands/admin';
import * as catalog from './commands/catalog';
import * as crud from './commands/crud';
import * as read from './commands/read';
import { CommandContext, EngineState, Handler } from './commands/context';
import { ErrorCodes, MongoServerError, badValue } from './errors';
import { WriteBatch } from './storage';
import { Transaction, View } from './transactions';
import { Doc, isPlainObject } from './values';

interface Command {
  handler: Handler;
  /** allowed as a statement of a multi-document transaction */
  inTransaction?: boolean;
  /** a retryable write: a retry with the same lsid and txnNumber gets the first reply */
  retryable?: boolean;
}

const table: Record<string, Command> = {
  hello: { handler: admin.hello },
  isMaster: { handler: admin.isMaster },
  ismaster: { handler: admin.isMaster },
  ping: { handler: admin.ping },
  buildInfo: { handler: admin.buildInfo },
  buildinfo: { handler: admin.buildInfo },
  getParameter: { handler: admin.getParameter },
  serverStatus: { handler: admin.serverStatus },
  endSessions: { handler: admin.endSessions },
  killAllSessions: { handler: admin.noop },
  refreshSessions: { handler: admin.noop },
  startSession: { handler: admin.noop },
  whatsmyuri: { handler: admin.whatsmyuri },
  connectionStatus: { handler: admin.connectionStatus },
  listDatabases: { handler: catalog.listDatabases },
  listCollections: { handler: catalog.listCollections },
  create: { handler: catalog.create, inTransaction: true },
  drop: { handler: catalog.drop },
  dropDatabase: { handler: catalog.dropDatabase },
  createIndexes: { handler: catalog.createIndexes, inTransaction: true },
  listIndexes: { handler: catalog.listIndexes },
  dropIndexes: { handler: catalog.dropIndexes },
  deleteIndexes: { handler: catalog.dropIndexes },
  insert: { handler: crud.insert, inTransaction: true, retryable: true },
  update: { handler: crud.update, inTransaction: true, retryable: true },
  delete: { handler: crud.del, inTransaction: true, retryable: true },
  findAndModify: { handler: crud.findAndModify, inTransaction: true, retryable: true },
  findandmodify: { handler: crud.findAndModify, inTransaction: true, retryable: true },
  find: { handler: read.find, inTransaction: true },
  getMore: { handler: read.getMore, inTransaction: true },
  killCursors: { handler: read.killCursors, inTransaction: true },
  aggregate: { handler: read.aggregate, inTransaction: true },
  count: { handler: read.count, inTransaction: true },
  distinct: { handler: read.distinct, inTransaction: true },
  explain: { handler: read.explain },
};

function errorReply(err: unknown): Doc {
  if (err instanceof MongoServerError) return err.toReply();
  const message = err instanceof Error ? err.message : String(err);
  return { ok: 0, errmsg: message, code: 1, codeName: 'InternalError' };
}

/**
 * Runs one command and resolves with its reply once every write it made is durable.
 * Handlers are synchronous, so a command's writes reach the journal in the order they were applied.
 */
export async function execute(engine: EngineState, body: Doc, db: string, connectionId: number): Promise<Doc> {
  const name = Object.keys(body)[0];
  const command = name === undefined ? undefined : table[name];
  if (!command) {
    return new MongoServerError(ErrorCodes.CommandNotFound, `no such command: '${name}'`).toReply();
  }
  const batch = new WriteBatch();
  let reply: Doc;
  let retry: { session: Doc; txnNumber: number } | undefined;
  try {
    if (name === 'commitTransaction' || name === 'abortTransaction') {
      reply = endTransaction(engine, body, name, batch);
    } else {
      const txn = transactionOf(engine, body, name, command);
      if (!txn && command.retryable && isPlainObject(body.lsid) && body.txnNumber !== undefined) {
        const txnNumber = Number(body.txnNumber);
        const session = engine.sessions.session(body.lsid);
        if (session.txnNumber === txnNumber && session.retryReply) return session.retryReply;
        retry = { session, txnNumber };
      }
      const ctx: CommandContext = { engine, db, body, batch, connectionId, view: new View(engine.storage, engine.sessions, txn) };
      try {
        reply = command.handler(ctx) as Doc;
        if (txn && reply.writeErrors) engine.sessions.abort(txn);
      } catch (err) {
        if (txn) engine.sessions.abort(txn);
        throw err;
      }
    }
  } catch (err) {
    reply = errorReply(err);
  }
  const durable = engine.storage.persist(batch);
  try {
    await durable;
  } catch (err) {
    return { ok: 0, errmsg: `write not durable: ${(err as Error).message}`, code: 1, codeName: 'InternalError' };
  }
  if (retry && reply.ok === 1) {
    retry.session.txnNumber = retry.txnNumber;
    retry.session.retryReply = reply;
  }
  return reply;
}

function transactionOf(engine: EngineState, body: Doc, name: string, command: Command): Transaction | undefined {
  if (body.autocommit !== false) {
    if (body.startTransaction === true) throw badValue('startTransaction requires autocommit: false');
    return undefined;
  }
  if (!isPlainObject(body.lsid) || body.txnNumber === undefined) {
    throw new MongoServerError(ErrorCodes.InvalidOptions, 'a transaction statement needs lsid and txnNumber');
  }
  if (!command.inTransaction) {
    throw new MongoServerError(ErrorCodes.OperationNotSupportedInTransaction, `Cannot run '${name}' in a multi-document transaction.`);
  }
  return engine.sessions.transactionFor(body.lsid, Number(body.txnNumber), body.startTransaction === true);
}

function endTransaction(engine: EngineState, body: Doc, name: string, batch: WriteBatch): Doc {
  if (!isPlainObject(body.lsid) || body.txnNumber === undefined) {
    throw new MongoServerError(ErrorCodes.InvalidOptions, `${name} needs lsid and txnNumber`);
  }
  const txn = engine.sessions.existing(body.lsid, Number(body.txnNumber));
  if (name === 'commitTransaction') engine.sessions.commit(txn, batch);
  else if (txn.state === 'active') engine.sessions.abort(txn);
  else if (txn.state === 'committed') {
    throw new MongoServerError(ErrorCodes.IllegalOperation ?? 20, 'Cannot call abortTransaction after calling commitTransaction.');
  }
  return { ok: 1 };
}

// commitTransaction and abortTransaction are looked up by name in execute().
table.commitTransaction = { handler: () => ({ ok: 1 }) };
table.abortTransaction = { handler: () => ({ ok: 1 }) };
