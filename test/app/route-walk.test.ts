// Deny by default (security C10, E16): walk the real app's router stack, list every GET and POST route,
// and check that each route outside the public allow-list refuses an anonymous request,
// and that every POST without a CSRF token gets 403.
import { expect } from 'chai';
import { Express } from 'express';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { createUser, resetDatabase, signIn, testApp, TestApp } from '../support/app';

export interface RouteInfo {
  method: 'GET' | 'POST';
  path: string;
}

/** Every GET and POST route of an express 5 app, with mount paths joined, found by walking router layers recursively. */
export function listRoutes(app: Express): RouteInfo[] {
  const found = new Map<string, RouteInfo>();
  const join = (prefix: string, path: string) => ((prefix + (path === '/' ? '' : path)) || '/');
  const walk = (stack: any[], prefix: string) => {
    for (const layer of stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths) {
          if (typeof p !== 'string') throw new Error(`route-walk cannot read a non-string route path under ${prefix}: ${String(p)}`);
          for (const m of Object.keys(layer.route.methods)) {
            const method = m.toUpperCase();
            if (method !== 'GET' && method !== 'POST') continue;
            const path = join(prefix, p);
            found.set(`${method} ${path}`, { method, path });
          }
        }
      } else if (Array.isArray(layer.handle?.stack)) {
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as any).router.stack, '');
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export const DUMMY_ID = '0123456789abcdef01234567';
const DUMMY_TOKEN = 'dummy-token-dummy-token-dummy-token-0123456';

/** A requestable path: each :param becomes a dummy ObjectId (or a dummy link token), optional parts are kept. */
export function concretePath(path: string, ids: Record<string, string> = {}): string {
  return path
    .replace(/[{}]/g, '')
    .replace(/:(\w+)/g, (_m, name: string) => ids[name] ?? (/token/i.test(name) ? DUMMY_TOKEN : DUMMY_ID))
    .replace(/\*(\w+)/g, 'x');
}

/** The explicit public allow-list: pages anyone may reach. */
const PUBLIC: Array<string | RegExp> = [
  '/', '/health', '/ready', '/sign-in', '/signed-out', '/accessibility', '/privacy', '/cookies',
  /^\/register(\/|$)/, /^\/password-reset(\/|$)/, /^\/invitations\//, /^\/sign-in\/two-factor(\/|$)/, /^\/two-factor\//,
  // GOV.UK Frontend's stylesheet and script, served from its package
  '/vendor/govuk-frontend.min.css', '/vendor/govuk-frontend.min.js',
  // the public directory of admitted suppliers (exact paths: nothing beneath a profile is public)
  '/suppliers', '/suppliers/:id',
];
/** Sign-out only ever ends the caller's own session, so an anonymous POST may reach it (it still needs a CSRF token). */
const PUBLIC_POST = ['/sign-out'];

function isPublic(route: RouteInfo): boolean {
  if (route.method === 'POST' && PUBLIC_POST.includes(route.path)) return true;
  return PUBLIC.some((p) => (typeof p === 'string' ? p === route.path : p.test(route.path)));
}

function refusedAnonymous(res: request.Response): boolean {
  return (res.status === 302 && res.headers.location === '/sign-in') || res.status === 401 || res.status === 403;
}

describe('route walk: deny by default', function () {
  this.timeout(60_000);
  let t: TestApp;
  let routes: RouteInfo[];

  before(async () => {
    t = await testApp();
    await resetDatabase();
    routes = listRoutes(t.app);
  });

  it('finds the routes of every router, mounted paths included', () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    for (const expected of ['GET /', 'GET /health', 'POST /sign-in', 'GET /supplier', 'GET /buyer', 'GET /admin', 'GET /admin/councils', 'POST /admin/councils/:id/edit', 'GET /admin/outbox',
      'GET /supplier/organisation', 'POST /supplier/organisation/edit', 'POST /supplier/organisation/policies/:policy', 'POST /supplier/declarations/:id',
      'POST /admin/admissions/:id/self-declaration']) {
      expect(keys).to.include(expected);
    }
    expect(routes.filter((r) => !isPublic(r)).length).to.be.at.least(15);
  });

  it('refuses an anonymous request to every route outside the public allow-list', async () => {
    const anonymous = request.agent(t.app);
    const problems: string[] = [];
    for (const route of routes.filter((r) => !isPublic(r))) {
      const path = concretePath(route.path);
      let res: request.Response;
      if (route.method === 'GET') {
        res = await anonymous.get(path);
      } else {
        // A valid token for this anonymous session, so the refusal comes from the access check, not CSRF.
        const _csrf = cheerio.load((await anonymous.get('/sign-in')).text)('input[name=_csrf]').first().val() as string;
        res = await anonymous.post(path).type('form').send({ _csrf });
      }
      if (!refusedAnonymous(res)) problems.push(`${route.method} ${route.path} -> ${res.status} ${res.headers.location ?? ''}`);
    }
    expect(problems, 'routes reachable anonymously').to.deep.equal([]);
  });

  it('refuses every POST without a CSRF token with 403, anonymous or signed in as an admin', async () => {
    const posts = routes.filter((r) => r.method === 'POST');
    expect(posts.length).to.be.at.least(5);
    const anonymous = request.agent(t.app);
    await anonymous.get('/sign-in');
    const admin = await signIn(t, await createUser('admin'));
    const problems: string[] = [];
    for (const route of posts) {
      for (const [who, agent] of [['anonymous', anonymous], ['admin', admin]] as const) {
        const res = await agent.post(concretePath(route.path)).type('form').send({ email: 'x@example.org' });
        if (res.status !== 403) problems.push(`${who} POST ${route.path} -> ${res.status}`);
      }
    }
    expect(problems, 'POSTs accepted without a CSRF token').to.deep.equal([]);
    // the admin's session is still good, so the 403s above were CSRF refusals
    expect((await admin.get('/admin')).status).to.equal(200);
  });
});
