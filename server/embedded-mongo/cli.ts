// `npm run db`: the embedded engine alone, in the foreground, for other processes to connect to.
import { resolve } from 'node:path';
import { startEmbeddedMongo } from './index';

async function main(): Promise<void> {
  const rawPort = process.env.EMBEDDED_MONGO_PORT ?? '27017';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`EMBEDDED_MONGO_PORT must be a port number (0-65535), not "${rawPort}"`);
    process.exit(2);
  }
  const dataDir = resolve(process.env.DATA_DIR ?? './data', 'db');
  const db = await startEmbeddedMongo({ dataDir, port, host: process.env.EMBEDDED_MONGO_HOST ?? '127.0.0.1' });
  console.log(`Embedded MongoDB-compatible engine ready (data in ${dataDir}, replayed in ${db.startup.replayMs} ms)`);
  console.log(db.uri);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    await db.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
