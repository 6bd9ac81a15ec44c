// The sealed-box access matrix (security.md J30, J34): each stage x each role x each route gives the expected status,
// no bid content (a sentinel in every part of it) ever leaves the server before opening, supplier names and counts
// neither, and every refused attempt to read sealed content is audited and logged as a security alert.
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { trusted } from 'mongoose';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { createLogger } from '../../server/logger';
import { takeOpeningStep } from '../../server/services/tenderBox';
import { createUser, resetDatabase, signIn, testApp, TestApp, TestUser } from '../support/app';
import { actorOf, getRaw, openBox, tenderBoxFixture, TenderBoxFixture } from '../support/sealedBids';

const HOUR = 60 * 60 * 1000;
const STAGES = ['before the deadline', 'at the deadline instant', 'after the deadline, not opened', 'first step taken', 'opened', 'cancelled'] as const;
type Stage = (typeof STAGES)[number];
const ROLES = ['owning buyer', 'second owning buyer', 'other council\u2019s buyer', 'admin', 'invited supplier', 'anonymous'] as const;
type Role = (typeof ROLES)[number];
const ROUTES = ['tender box page', 'bids list', 'one bid', 'attachment download', 'admin competition page', 'admin bid route'] as const;
type Route = (typeof ROUTES)[number];
const BID_ROUTES: Route[] = ['bids list', 'one bid', 'attachment download'];

/** The status each role gets on each route at each stage. */
function expected(stage: Stage, role: Role, route: Route): number {
  if (role === 'anonymous') return 302;
  if (role === 'invited supplier') return 403;
  const adminRoute = route.startsWith('admin');
  if (role === 'admin') return route === 'admin competition page' ? 200 : 403;
  if (adminRoute) return 403;
  if (role === 'other council\u2019s buyer') return 404;
  if (route === 'tender box page') return 200;
  if (stage === 'opened') return 200;
  return stage === 'cancelled' ? 410 : 403;
}

/** Whether the attempt is a refused read of sealed content that the service audits (and the route logs), and why. */
function refusal(stage: Stage, role: Role, route: Route): string | undefined {
  if (role === 'admin' && route === 'admin bid route') return 'not authorised';
  if (!BID_ROUTES.includes(route)) return undefined;
  if (role === 'other council\u2019s buyer') return 'not authorised';
  if (role !== 'owning buyer' && role !== 'second owning buyer') return undefined; // stopped by the role router
  if (stage === 'opened') return undefined;
  return stage === 'before the deadline' ? 'before the deadline' : 'not opened';
}

describe('tender box: the sealed-box access matrix', function () {
  this.timeout(120_000);
  const SENTINEL = 'QX7-SEALED-SENTINEL';
  const lines: string[] = [];
  let t: TestApp;

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await testApp({}, createLogger('warn', sink));
    await resetDatabase();
  });

  for (const stage of STAGES) {
    it(`${stage}: every role on every route`, async () => {
      t.clock.set(new Date());
      const box: TenderBoxFixture = await tenderBoxFixture(t, SENTINEL);
      const { fx, bids } = box;
      const admin = await createUser('admin');
      const other: TestUser = await createUser('buyer');
      const supplierNames = (await Organisation.find({ _id: trusted({ $in: fx.suppliers.map((s) => s.organisation) }) } as any, { name: 1 }).lean()).map((o) => o.name);
      expect(supplierNames).to.have.length(3);
      const deadline = fx.deadline.getTime();
      if (stage === 'before the deadline') t.clock.set(new Date(deadline - 1));
      else if (stage === 'at the deadline instant') t.clock.set(new Date(deadline));
      else t.clock.set(new Date(deadline + HOUR));
      if (stage === 'first step taken') {
        const first = await takeOpeningStep(t.clock, t.mailer, 'http://localhost:3000', actorOf(fx.buyer, 'buyer') as any, fx.id);
        expect(first.outcome).to.equal('started');
      }
      if (stage === 'opened') await openBox(t, fx.id, actorOf(fx.buyer, 'buyer'), actorOf(admin, 'admin'));
      if (stage === 'cancelled') await Competition.updateOne({ _id: fx.id }, { $set: { status: 'cancelled', cancellation: { reason: 'Budget withdrawn', at: t.clock.now(), by: fx.buyer.id } } });

      const agents: Record<Role, { agent: request.Agent; userId?: string }> = {
        'owning buyer': { agent: await signIn(t, fx.buyer), userId: fx.buyer.id },
        'second owning buyer': { agent: await signIn(t, fx.buyer2), userId: fx.buyer2.id },
        'other council\u2019s buyer': { agent: await signIn(t, other), userId: other.id },
        admin: { agent: await signIn(t, admin), userId: admin.id },
        'invited supplier': { agent: await signIn(t, fx.suppliers[0]), userId: fx.suppliers[0].id },
        anonymous: { agent: request.agent(t.app) },
      };
      const withFile = bids[0];
      const paths: Record<Route, string> = {
        'tender box page': `/buyer/competitions/${fx.id}/tender-box`,
        'bids list': `/buyer/competitions/${fx.id}/tender-box/bids`,
        'one bid': `/buyer/competitions/${fx.id}/tender-box/bids/${withFile.bidId}`,
        'attachment download': `/buyer/competitions/${fx.id}/tender-box/bids/${withFile.bidId}/attachments/${withFile.fileId}`,
        'admin competition page': `/admin/competitions/${fx.id}`,
        'admin bid route': `/admin/competitions/${fx.id}/bids/${withFile.bidId}`,
      };

      const problems: string[] = [];
      for (const role of ROLES) {
        for (const route of ROUTES) {
          const { agent, userId } = agents[role];
          const lastSeq = (await AuditEvent.findOne({}, { seq: 1 }).sort({ seq: -1 }).lean())?.seq ?? 0;
          lines.length = 0;
          const res = await getRaw(agent, paths[route]);
          const body = (res.body as Buffer).toString('utf8');
          const where = `${stage} / ${role} / ${route}`;
          const want = expected(stage, role, route);
          if (res.status !== want) problems.push(`${where}: status ${res.status}, expected ${want}`);
          if (want === 302 && res.headers.location !== '/sign-in') problems.push(`${where}: redirected to ${res.headers.location}`);
          const mayRead = stage === 'opened' && (role === 'owning buyer' || role === 'second owning buyer');
          if (mayRead && (route === 'one bid' || route === 'attachment download')) {
            if (!body.includes(SENTINEL)) problems.push(`${where}: the opened content is missing`);
          } else if (body.includes(SENTINEL)) {
            problems.push(`${where}: bid content leaked`);
          }
          if (!mayRead) {
            for (const name of supplierNames) if (body.includes(name)) problems.push(`${where}: a supplier's name leaked (${name})`);
            if (/\b[23] bids\b/.test(body)) problems.push(`${where}: the number of bids leaked`);
          }
          const why = refusal(stage, role, route);
          const events = await AuditEvent.find({ seq: trusted({ $gt: lastSeq }), action: 'bid.read-refused' } as any).lean();
          if (why) {
            const ok = events.some((e) => String(e.actor) === userId && (e.details as any)?.reason === why && (e.details as any)?.competition === fx.id);
            if (!ok) problems.push(`${where}: no 'bid.read-refused' audit event with reason '${why}'`);
            const alert = lines.map((l) => JSON.parse(l)).find((l) => l.event === 'security.sealed-read-refused');
            if (!alert || alert.level !== 40 || String(alert.userId) !== userId || alert.reason !== why) problems.push(`${where}: no security alert at warn level`);
          } else if (events.length) {
            problems.push(`${where}: an unexpected refusal was audited`);
          }
        }
      }
      expect(problems).to.deep.equal([]);
    });
  }
});
