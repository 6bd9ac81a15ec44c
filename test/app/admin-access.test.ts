// Role separation for the admin area (security C12): a table-driven matrix of every admin route by role.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { SocialValueMeasure } from '../../models/SocialValueMeasure';
import { adminRouteExpectation, agentsByRole, resetDatabase, TestApp, testApp, Who } from '../support/app';
import { concretePath, listRoutes, RouteInfo } from './route-walk.test';
import { VETTING_ROUTES } from './vetting-access.test';


/** Every admin route; the test below checks this table against the app's real routes. */
const ADMIN_ROUTES: RouteInfo[] = [
  { method: 'GET', path: '/admin' },
  { method: 'GET', path: '/admin/councils' },
  { method: 'GET', path: '/admin/councils/new' },
  { method: 'POST', path: '/admin/councils/new' },
  { method: 'GET', path: '/admin/councils/:id' },
  { method: 'GET', path: '/admin/councils/:id/edit' },
  { method: 'POST', path: '/admin/councils/:id/edit' },
  { method: 'POST', path: '/admin/councils/:id/invitations' },
  { method: 'GET', path: '/admin/lots' },
  { method: 'GET', path: '/admin/lots/new' },
  { method: 'POST', path: '/admin/lots/new' },
  { method: 'GET', path: '/admin/lots/:id/edit' },
  { method: 'POST', path: '/admin/lots/:id/edit' },
  { method: 'GET', path: '/admin/measures' },
  { method: 'GET', path: '/admin/measures/new' },
  { method: 'POST', path: '/admin/measures/new' },
  { method: 'GET', path: '/admin/measures/:id/edit' },
  { method: 'POST', path: '/admin/measures/:id/edit' },
  { method: 'GET', path: '/admin/measures/:id/withdraw' },
  { method: 'POST', path: '/admin/measures/:id/withdraw' },
  { method: 'GET', path: '/admin/measures/:id/reinstate' },
  { method: 'POST', path: '/admin/measures/:id/reinstate' },
  { method: 'GET', path: '/admin/outbox' },
  { method: 'GET', path: '/admin/settings' },
  { method: 'POST', path: '/admin/settings' },
];

/** Admin routes that need real competitions or awards: what an admin gets there is in tender-box-access.test.ts and award-letters.test.ts. */
const TENDER_BOX_ADMIN_ROUTES: RouteInfo[] = [
  { method: 'GET', path: '/admin/competitions' },
  { method: 'GET', path: '/admin/competitions/:id' },
  { method: 'POST', path: '/admin/competitions/:id/open' },
  { method: 'GET', path: '/admin/competitions/:id/bids' },
  { method: 'GET', path: '/admin/competitions/:id/bids/:bidId' },
  { method: 'GET', path: '/admin/competitions/:id/bids/:bidId/attachments/:fileId' },
  // approving an award as the second person: admins' own behaviour is in award-letters.test.ts
  { method: 'GET', path: '/admin/awards' },
  { method: 'GET', path: '/admin/awards/:id' },
  { method: 'POST', path: '/admin/awards/:id/approve' },
];

const expected = (who: Who, route: RouteInfo) => adminRouteExpectation(who, route.method);

describe('admin: role matrix', function () {
  this.timeout(60_000);
  let t: TestApp;
  let agents: Record<Who, request.Agent>;
  let ids: Record<string, string>;

  before(async () => {
    t = await testApp();
    await resetDatabase();
    agents = await agentsByRole(t);
    const council = await Organisation.create({ kind: 'council', name: 'Matrix Council', councilType: 'district', nation: 'Scotland', membership: 'associate', status: 'active' });
    const lot = await Lot.create({ number: 9, title: 'Matrix lot', description: 'A lot.', active: true });
    ids = { id: String(council._id) };
    ids.lotId = String(lot._id);
    const measure = await SocialValueMeasure.create({ code: 'MATRIX-1', theme: 'Matrix', outcome: 'An outcome', description: 'A measure.', unit: 'hours', proxyValuePence: 100, proxyYear: 2026 });
    ids.measureId = String(measure._id);
    // reinstate asks about a withdrawn measure (on an active one it says there is nothing to do, 409)
    const withdrawn = await SocialValueMeasure.create({ code: 'MATRIX-2', theme: 'Matrix', outcome: 'An outcome', description: 'A measure.', unit: 'hours', proxyValuePence: 100, proxyYear: 2026, active: false });
    ids.withdrawnMeasureId = String(withdrawn._id);
  });

  it('covers every admin route the app serves', () => {
    const real = listRoutes(t.app).filter((r) => r.path === '/admin' || r.path.startsWith('/admin/')).map((r) => `${r.method} ${r.path}`);
    // The vetting and admissions routes have their own matrix, with the ids they need, in vetting-access.test.ts.
    expect(real.sort()).to.deep.equal([...ADMIN_ROUTES, ...VETTING_ROUTES, ...TENDER_BOX_ADMIN_ROUTES].map((r) => `${r.method} ${r.path}`).sort());
  });

  const matrix = (who: Who) => (who === 'admin' ? ADMIN_ROUTES : [...ADMIN_ROUTES, ...TENDER_BOX_ADMIN_ROUTES]);
  for (const who of ['anonymous', 'supplier', 'buyer', 'admin'] as const) {
    for (const route of matrix(who)) {
      const want = expected(who, route);
      it(`${who}: ${route.method} ${route.path} -> ${want.status}`, async () => {
        const agent = agents[who];
        const id = route.path.startsWith('/admin/lots') ? ids.lotId : route.path.endsWith('/reinstate') ? ids.withdrawnMeasureId : route.path.startsWith('/admin/measures') ? ids.measureId : ids.id;
        const path = concretePath(route.path, { id });
        let res: request.Response;
        if (route.method === 'GET') {
          res = await agent.get(path);
        } else {
          const _csrf = cheerio.load((await agent.get(who === 'anonymous' ? '/sign-in' : `/${who}`)).text)('input[name=_csrf]').first().val() as string;
          expect(_csrf, 'CSRF token').to.be.a('string');
          res = await agent.post(path).type('form').send({ _csrf });
        }
        expect(res.status).to.equal(want.status);
        if (want.location) expect(res.headers.location).to.equal(want.location);
      });
    }
  }
});
