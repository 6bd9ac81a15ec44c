// Error pages and cookie flags: a generic 500 with a reference and no internals; the production cookie.
import { join } from 'node:path';
import express from 'express';
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { errorHandler, notFound } from '../../server/middleware/errors';
import { securityHeaders } from '../../server/middleware/security';
import { createLogger } from '../../server/logger';
import { testApp } from '../support/app';

describe('error pages and cookies', function () {
  this.timeout(20_000);

  it('answers a throwing route with a generic 500 page, a reference and security headers', async () => {
    // The app's own error handler and views, behind a route that fails as a bug would.
    const app = express();
    app.set('view engine', 'pug');
    app.set('views', join(__dirname, '..', '..', '..', 'views'));
    app.use(securityHeaders());
    app.use((req, _res, next) => {
      (req as any).id = 'test-reference-123';
      next();
    });
    app.get('/boom', () => {
      throw new Error('MongoServerError: secret internals at /srv/app/server.js:10');
    });
    app.use(notFound);
    app.use(errorHandler(createLogger('silent')));
    const res = await request(app).get('/boom');
    expect(res.status).to.equal(500);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.contain('Sorry, there is a problem with the service');
    expect(res.text).to.contain('test-reference-123');
    expect(res.text).to.not.match(/MongoServerError|secret internals|server\.js|at \//);
    expect(String(res.headers['content-security-policy'])).to.contain("script-src 'self'");
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
  });

  it('sets a __Host- session cookie, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain, behind an https proxy', async () => {
    const t = await testApp({ baseUrl: 'https://dps.example.org' });
    const res = await request(t.app).get('/sign-in').set('X-Forwarded-Proto', 'https');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).to.match(/^__Host-sid=/);
    expect(cookie).to.match(/; Secure/i);
    expect(cookie).to.match(/; HttpOnly/i);
    expect(cookie).to.match(/; SameSite=Lax/i);
    expect(cookie).to.match(/; Path=\//);
    expect(cookie).to.not.match(/Domain=/i);
  });
});
