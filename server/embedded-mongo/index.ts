// The embedded engine's entry point: open (or create) a data directory, replay it, and serve the wire protocol.
import { performance } from 'node:perf_hooks';
import { EngineState } from './commands/context';
import { Cursors } from './cursors';
import { Journal } from './journal';
import { Storage, WriteBatch } from './storage';
import { Sessions } from './transactions';
import { WireServer } from './server';
import { Doc, keyOf, valuesAtPath } from './values';

export interface EmbeddedMongoOptions {
  /** where data lives; undefined keeps everything in memory (nothing survives a restart) */
  dataDir?: string;
  /** 0 picks a free port */
  port?: number;
  host?: string;
  /** how often expired documents of TTL indexes are removed (mongod: 60 s) */
  ttlMonitorIntervalMs?: number;
  onProtocolError?: (err: Error) => void;
}

export interface EmbeddedMongo {
  uri: string;
  host: string;
  port: number;
  /** what start-up found and did, for logs and benchmarks */
  startup: { snapshotRecords: number; journalRecords: number; tornBytes: number; replayMs: number; compactMs: number };
  stop(): Promise<void>;
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const host = options.host ?? '127.0.0.1';
  const storage = new Storage();
  const startup = { snapshotRecords: 0, journalRecords: 0, tornBytes: 0, replayMs: 0, compactMs: 0 };
  let journal: Journal | undefined;
  if (options.dataDir) {
    journal = new Journal(options.dataDir);
    const t0 = performance.now();
    const loaded = journal.load((r) => storage.applyOps(r.ops));
    startup.snapshotRecords = loaded.snapshotRecords;
    startup.journalRecords = loaded.journalRecords;
    startup.tornBytes = loaded.tornBytes;
    startup.replayMs = Math.round(performance.now() - t0);
    // Compact on start so the next start replays a snapshot, not a long history.
    const t1 = performance.now();
    if (loaded.journalRecords > 0 || loaded.tornBytes > 0) journal.writeSnapshot(storage.snapshotRecords());
    startup.compactMs = Math.round(performance.now() - t1);
    journal.compactor = () => storage.snapshotRecords();
    await journal.open();
    storage.journal = journal;
  }

  const sessions = new Sessions(storage);
  const cursors = new Cursors();
  const engine: EngineState = { storage, sessions, cursors, address: '', startedAt: Date.now() };
  const server = new WireServer(engine, { host, port: options.port ?? 0, onProtocolError: options.onProtocolError });
  let port: number;
  try {
    port = await server.listen();
  } catch (err) {
    await journal?.close();
    throw err;
  }
  engine.address = `${host}:${port}`;

  const reaper = setInterval(() => {
    sessions.reap();
    cursors.reap();
  }, 5_000);
  const ttl = setInterval(() => void expireTtl(storage), options.ttlMonitorIntervalMs ?? 60_000);
  reaper.unref();
  ttl.unref();

  return {
    uri: `mongodb://${host}:${port}/`,
    host,
    port,
    startup,
    async stop() {
      clearInterval(reaper);
      clearInterval(ttl);
      await server.close();
      await journal?.close();
    },
  };
}

/** Removes documents whose TTL-indexed date is older than the index's expireAfterSeconds. */
export async function expireTtl(storage: Storage, now = Date.now()): Promise<number> {
  const batch = new WriteBatch();
  let removed = 0;
  for (const dbMap of storage.dbs.values()) {
    for (const coll of dbMap.values()) {
      for (const index of coll.indexes.values()) {
        const seconds = index.spec.expireAfterSeconds;
        if (typeof seconds !== 'number' || index.fields.length !== 1) continue;
        const cutoff = now - seconds * 1000;
        for (const doc of [...coll.docs.values()]) {
          const dates = valuesAtPath(doc, index.fields[0]).filter((v): v is Date => v instanceof Date);
          if (dates.length > 0 && Math.min(...dates.map((d) => d.getTime())) <= cutoff) {
            storage.remove(coll, keyOf(doc._id), batch);
            removed++;
          }
        }
      }
    }
  }
  await storage.persist(batch);
  return removed;
}

export type { Doc };
