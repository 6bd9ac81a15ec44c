// Configuration from the environment, parsed and validated once; a bad value stops start-up with a clear message.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadMasterKey } from './sealing/envelope';

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  UPLOAD_DIR: z.string().min(1).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  TRUST_PROXY: z.string().default('loopback'),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Co-op Councils DPS <no-reply@dps.coopinnovation.example>'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  // base64 of 32 bytes: wraps each competition's bid key; unset outside production, a key file in DATA_DIR
  BID_MASTER_KEY: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)').optional(),
  SCHEDULER: z.enum(['on', 'off']).default('on'),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  mongodbUri?: string;
  dataDir: string;
  uploadDir: string;
  sessionSecret: string;
  baseUrl: string;
  trustProxy: string;
  smtp?: { host: string; port: number; user?: string; password?: string };
  mailFrom: string;
  logLevel: string;
  seedDemo: boolean;
  /** wraps the per-competition keys that seal bids (server/sealing/keyring.ts) */
  bidMasterKey: Buffer;
  /** run the reminder scheduler in this process */
  scheduler: boolean;
}

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && !e.SESSION_SECRET) throw new ConfigError('Invalid configuration:\n  SESSION_SECRET: required in production (at least 32 characters)');
  if (isProduction && !e.BID_MASTER_KEY) throw new ConfigError('Invalid configuration:\n  BID_MASTER_KEY: required in production (openssl rand -base64 32); keep it outside the database and its backups');
  if (isProduction && !e.BASE_URL) throw new ConfigError('Invalid configuration:\n  BASE_URL: required in production (the https address users reach)');
  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    dataDir,
    uploadDir: resolve(e.UPLOAD_DIR ?? join(dataDir, 'uploads')),
    sessionSecret: e.SESSION_SECRET ?? developmentSecret(dataDir),
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    trustProxy: e.TRUST_PROXY,
    smtp: e.SMTP_HOST ? { host: e.SMTP_HOST, port: e.SMTP_PORT, user: e.SMTP_USER, password: e.SMTP_PASSWORD } : undefined,
    mailFrom: e.SMTP_FROM,
    logLevel: e.LOG_LEVEL,
    seedDemo: !isProduction && e.SEED_DEMO === 'auto',
    bidMasterKey: loadMasterKey(e.BID_MASTER_KEY, join(dataDir, 'bid-master.key')),
    scheduler: e.SCHEDULER === 'on',
  };
}

/** Outside production: a secret generated once and kept in DATA_DIR, so sessions survive restarts. */
function developmentSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
