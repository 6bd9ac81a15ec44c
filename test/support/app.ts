// The real app over the real (embedded, in-memory) database, for supertest; one connection per test process.
import { randomBytes } from 'node:crypto';
import { Express } from 'express';
import mongoose from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { createApp } from '../../server/app';
import { TestClock } from '../../server/clock';
import { Config } from '../../server/config';
import { connectDatabase, Database } from '../../server/db';
import { createLogger, Logger } from '../../server/logger';
import { MemoryMailer } from '../../server/mail/mailer';
import { Readiness } from '../../routes/health';
import { hashPassword } from '../../server/auth/passwords';
import { newTotpSecret, totpCode } from '../../server/auth/totp';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';

let db: Promise<Database> | undefined;

/** One master key for every test app in the process, so apps built in one suite can read each other's seals. */
export const TEST_MASTER_KEY = randomBytes(32);

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    env: 'test', isProduction: false, port: 0, dataDir: '/nonexistent', uploadDir: '/nonexistent/uploads',
    sessionSecret: 'test-secret-test-secret-test-secret-0123', baseUrl: 'http://localhost:3000', trustProxy: 'loopback',
    mailFrom: 'test@example.org', logLevel: 'silent', seedDemo: false, bidMasterKey: TEST_MASTER_KEY, scheduler: false, ...overrides,
  };
}

export interface TestApp {
  app: Express;
  clock: TestClock;
  mailer: MemoryMailer;
  readiness: Readiness;
}

/** A fresh app (own clock and mailer) on the shared test database. */
export async function testApp(configOverrides: Partial<Config> = {}, logger?: Logger): Promise<TestApp> {
  db ??= connectDatabase({ mongodbUri: process.env.MONGODB_URI, dbName: `coop_dps_test_${process.pid}` });
  await db;
  const clock = new TestClock(new Date());
  const mailer = new MemoryMailer();
  const readiness = new Readiness();
  readiness.ready = true;
  const app = createApp({ config: testConfig(configOverrides), clock, logger: logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'), mailer, readiness });
  return { app, clock, mailer, readiness };
}

export async function resetDatabase(): Promise<void> {
  await mongoose.connection.db!.dropDatabase();
  await Promise.all(Object.values(mongoose.models).map((m) => m.syncIndexes()));
}

/** The CSRF token of the form on a page fetched by `agent`. */
export async function csrfFrom(agent: request.Agent, path: string): Promise<string> {
  const res = await agent.get(path);
  const token = cheerio.load(res.text)('input[name=_csrf]').first().val();
  if (typeof token !== 'string') throw new Error(`no CSRF token on ${path} (status ${res.status})`);
  return token;
}

/** GETs the form, then POSTs it with its CSRF token, as a browser would. */
export async function submit(agent: request.Agent, path: string, fields: Record<string, string | string[]>, formPath = path) {
  const _csrf = await csrfFrom(agent, formPath);
  return agent.post(path).type('form').send({ ...fields, _csrf });
}

let counter = 0;
export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}${Date.now().toString(36)}${counter++}@example.org`;
}

export interface TestUser {
  email: string;
  password: string;
  id: string;
  organisation: string;
  totpSecret?: string;
}

/** Creates a user directly (and its organisation if none is given); buyers and admins get two-factor set up. */
export async function createUser(role: 'supplier' | 'buyer' | 'admin', opts: { organisation?: string; email?: string } = {}): Promise<TestUser> {
  const kind = role === 'supplier' ? 'supplier' : role === 'buyer' ? 'council' : 'network';
  const organisation = opts.organisation ?? String((await Organisation.create({ kind, name: `${kind} ${counter++}`, ...(kind === 'council' ? { councilType: 'unitary', nation: 'England', membership: 'full', status: 'active' } : {}) }))._id);
  const email = opts.email ?? uniqueEmail(role);
  const password = 'correct horse battery staple';
  const totpSecret = role === 'supplier' ? undefined : newTotpSecret();
  const user = await User.create({
    email, name: `Test ${role}`, role, organisation, passwordHash: await hashPassword(password),
    mfa: totpSecret ? { secret: totpSecret, enabled: true, recoveryCodes: [], lastStep: 0 } : undefined,
  });
  return { email, password, id: String(user._id), organisation, totpSecret };
}

/** Signs in through the real forms, completing two-factor with a current code when the role needs it. */
export async function signIn(t: TestApp, user: TestUser): Promise<request.Agent> {
  const agent = request.agent(t.app);
  const res = await submit(agent, '/sign-in', { email: user.email, password: user.password });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  if (user.totpSecret) {
    const mfa = await submit(agent, '/sign-in/two-factor', { code: totpCode(user.totpSecret, t.clock.now()) });
    if (mfa.status !== 303) throw new Error(`two-factor step failed with ${mfa.status}`);
  }
  return agent;
}

/** A suite's start for admin pages: a fresh app on a reset database, and a signed-in admin. */
export async function freshAdmin(): Promise<{ t: TestApp; admin: request.Agent }> {
  const t = await testApp();
  await resetDatabase();
  return { t, admin: await signIn(t, await createUser('admin')) };
}

export type Who = 'anonymous' | 'supplier' | 'buyer' | 'admin';

/** What each role gets on an admin-only route. An admin's empty POST reaches the form's validation (400), which writes nothing. */
export function adminRouteExpectation(who: Who, method: string): { status: number; location?: string } {
  if (who === 'anonymous') return method === 'GET' ? { status: 302, location: '/sign-in' } : { status: 401 };
  if (who !== 'admin') return { status: 403 };
  return { status: method === 'GET' ? 200 : 400 };
}

/** One agent per role for a role matrix: anonymous, and a signed-in supplier, buyer and admin (each a new user). */
export async function agentsByRole(t: TestApp): Promise<Record<Who, request.Agent>> {
  return {
    anonymous: request.agent(t.app),
    supplier: await signIn(t, await createUser('supplier')),
    buyer: await signIn(t, await createUser('buyer')),
    admin: await signIn(t, await createUser('admin')),
  };
}
