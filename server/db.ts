// The mongoose connection: MONGODB_URI when set, else the embedded engine with its data in DATA_DIR/db.
import { join } from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedMongo, EmbeddedMongo } from './embedded-mongo';

// Operator objects in filters become literal values ({ $eq: ... }): no NoSQL injection through query input.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export interface Database {
  uri: string;
  embedded: boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  mongodbUri?: string;
  /** the embedded engine's directory; undefined keeps it in memory (tests) */
  dataDir?: string;
  dbName?: string;
}

export async function connectDatabase(options: DatabaseOptions): Promise<Database> {
  let engine: EmbeddedMongo | undefined;
  let uri = options.mongodbUri;
  if (!uri) {
    engine = await startEmbeddedMongo({ dataDir: options.dataDir ? join(options.dataDir, 'db') : undefined });
    uri = `${engine.uri}${options.dbName ?? 'coop_dps'}`;
  }
  await mongoose.connect(uri, {
    // Fail fast rather than queue requests while the database is away (they answer 503 instead).
    bufferCommands: false,
    serverSelectionTimeoutMS: 5000,
    ...(options.dbName && options.mongodbUri ? { dbName: options.dbName } : {}),
  });
  // The declared indexes (unique constraints among them) exist before the first request. init() only creates
  // what is missing; unlike syncIndexes() it never drops an index another instance may rely on, and a failure stops start-up.
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  return {
    uri,
    embedded: engine !== undefined,
    async close() {
      await mongoose.disconnect();
      await engine?.stop();
    },
  };
}

export function databaseReady(): boolean {
  return mongoose.connection.readyState === 1;
}
