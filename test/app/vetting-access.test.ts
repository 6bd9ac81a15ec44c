// Only the network's admins vet (security C12): every vetting and admissions route by role. Anonymous
// visitors are sent to sign in, suppliers and buyers get 403, and an admin's empty POST stops at validation.
import { expect } from 'chai';
import { trusted } from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { AuditEvent } from '../../models/AuditEvent';
import { adminRouteExpectation, agentsByRole, TestApp, testApp, Who } from '../support/app';
import { createSubmittedApplication, uniqueLot } from '../support/vetting';
import { concretePath, listRoutes, RouteInfo } from './route-walk.test';


/** Every vetting and admissions route; admin-access.test.ts adds these to its table of all admin routes. */
export const VETTING_ROUTES: RouteInfo[] = [
  { method: 'GET', path: '/admin/applications' },
  { method: 'GET', path: '/admin/applications/:id' },
  { method: 'POST', path: '/admin/applications/:id/review' },
  { method: 'GET', path: '/admin/applications/:id/clarification' },
  { method: 'POST', path: '/admin/applications/:id/clarification' },
  { method: 'GET', path: '/admin/applications/:id/extension' },
  { method: 'POST', path: '/admin/applications/:id/extension' },
  { method: 'GET', path: '/admin/applications/:id/decision' },
  { method: 'POST', path: '/admin/applications/:id/decision' },
  { method: 'POST', path: '/admin/applications/:id/decision/confirm' },
  { method: 'GET', path: '/admin/admissions' },
  { method: 'GET', path: '/admin/admissions/lots/:id' },
  { method: 'GET', path: '/admin/admissions/:id' },
  { method: 'GET', path: '/admin/admissions/:id/suspend' },
  { method: 'POST', path: '/admin/admissions/:id/suspend' },
  { method: 'POST', path: '/admin/admissions/:id/suspend/confirm' },
  { method: 'GET', path: '/admin/admissions/:id/remove' },
  { method: 'POST', path: '/admin/admissions/:id/remove' },
  { method: 'POST', path: '/admin/admissions/:id/remove/confirm' },
  { method: 'GET', path: '/admin/admissions/:id/reinstate' },
  { method: 'POST', path: '/admin/admissions/:id/reinstate' },
  { method: 'GET', path: '/admin/admissions/:id/self-declaration' },
  { method: 'POST', path: '/admin/admissions/:id/self-declaration' },
];

const expected = (who: Who, route: RouteInfo) => adminRouteExpectation(who, route.method);

describe('vetting: role matrix', function () {
  this.timeout(60_000);
  let t: TestApp;
  let agents: Record<Who, request.Agent>;
  let ids: { application: string; admission: string; lot: string };

  before(async () => {
    t = await testApp();
    agents = await agentsByRole(t);
    const lot = await uniqueLot('Matrix');
    const app = await createSubmittedApplication({ lots: [lot], submittedAt: t.clock.now() });
    const admission = await Admission.create({ supplier: app.supplier, lot: lot.id, application: app.id, status: 'active', admittedAt: t.clock.now(), history: [{ status: 'active', reason: 'Admitted', at: t.clock.now() }] });
    ids = { application: app.id, admission: String(admission._id), lot: lot.id };
  });

  it('lists every vetting route the app serves', () => {
    const real = listRoutes(t.app).filter((r) => /^\/admin\/(applications|admissions)(\/|$)/.test(r.path)).map((r) => `${r.method} ${r.path}`);
    expect(real.sort()).to.deep.equal(VETTING_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  for (const who of ['anonymous', 'supplier', 'buyer', 'admin'] as const) {
    for (const route of VETTING_ROUTES) {
      const want = expected(who, route);
      it(`${who}: ${route.method} ${route.path} -> ${want.status}`, async () => {
        const agent = agents[who];
        const id = route.path.startsWith('/admin/applications') ? ids.application : route.path.startsWith('/admin/admissions/lots') ? ids.lot : ids.admission;
        const path = concretePath(route.path, { id });
        let res: request.Response;
        if (route.method === 'GET') {
          res = await agent.get(path);
        } else {
          const _csrf = cheerio.load((await agent.get(who === 'anonymous' ? '/sign-in' : `/${who}`)).text)('input[name=_csrf]').first().val() as string;
          expect(_csrf, 'CSRF token').to.be.a('string');
          res = await agent.post(path).type('form').send({ _csrf, status: 'decided', outcome: 'admitted', role: 'admin' });
        }
        expect(res.status).to.equal(want.status);
        if (want.location) expect(res.headers.location).to.equal(want.location);
      });
    }
  }

  it('changed nothing: the application, the admission and the audit trail are as they were', async () => {
    const app = await Application.findById(ids.application).lean();
    expect(app).to.deep.include({ status: 'submitted' });
    expect(app!.reviews).to.have.length(0);
    expect(app!.decisions).to.have.length(0);
    expect(app!.clarifications).to.have.length(0);
    expect(app!.extendedDueBy).to.equal(undefined);
    const admission = await Admission.findById(ids.admission).lean();
    expect(admission).to.deep.include({ status: 'active' });
    expect(admission!.history).to.have.length(1);
    expect(await AuditEvent.countDocuments({ targetId: trusted({ $in: [ids.application, ids.admission] }) })).to.equal(0);
  });

  it('answers a malformed or unknown id with 404 for an admin', async () => {
    for (const path of ['/admin/applications/not-an-id', '/admin/applications/0123456789abcdef01234567', '/admin/admissions/xyz', '/admin/admissions/0123456789abcdef01234567', '/admin/admissions/lots/0123456789abcdef01234567']) {
      expect((await agents.admin.get(path)).status, path).to.equal(404);
    }
  });
});
