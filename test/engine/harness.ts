// Where the engine tests point: a real MongoDB when MONGODB_URI is set, else a fresh embedded engine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { EmbeddedMongo, startEmbeddedMongo } from '../../server/embedded-mongo';

export interface Target {
  uri: string;
  client: MongoClient;
  /** true when the suite runs against the embedded engine (some checks need its short TTL interval) */
  embedded: boolean;
  stop(): Promise<void>;
}

/** Starts (or connects to) the server under test; each suite uses its own database name. */
export async function startTarget(options: { ttlMonitorIntervalMs?: number } = {}): Promise<Target> {
  const external = process.env.MONGODB_URI;
  let engine: EmbeddedMongo | undefined;
  let dataDir: string | undefined;
  let uri: string;
  if (external) uri = external;
  else {
    dataDir = mkdtempSync(join(tmpdir(), 'engine-test-'));
    engine = await startEmbeddedMongo({ dataDir, ttlMonitorIntervalMs: options.ttlMonitorIntervalMs ?? 200 });
    uri = engine.uri;
  }
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  await client.connect();
  return {
    uri,
    client,
    embedded: !external,
    async stop() {
      await client.close();
      await engine?.stop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A database name unique to one suite run, so suites never see each other's data. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}`;
}
