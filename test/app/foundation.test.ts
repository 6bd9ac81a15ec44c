// The app's foundation through the front door: pages, sign-in, registration, sessions, CSRF, headers.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { User } from '../../models/User';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp, uniqueEmail } from '../support/app';

describe('app foundation', function () {
  this.timeout(20_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('serves the signed-out home page as a GOV.UK page', async () => {
    const res = await request(t.app).get('/');
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('html').attr('lang')).to.equal('en');
    expect($('a.govuk-skip-link').attr('href')).to.equal('#main-content');
    expect($('.govuk-service-navigation').text()).to.contain('Co-op Councils DPS');
    expect($('.govuk-phase-banner').text()).to.contain('Beta');
    expect($('.govuk-footer')).to.have.length(1);
    expect($('script:not([src])')).to.have.length(0);
    expect($('head > title').text()).to.equal('Hire specialist co-operative suppliers – Co-op Councils DPS');
    const signIn = cheerio.load((await request(t.app).get('/sign-in')).text);
    expect(signIn('head > title').text()).to.equal('Sign in – Co-op Councils DPS');
  });

  it('registers a supplier and signs them in', async () => {
    const agent = request.agent(t.app);
    const email = uniqueEmail('reg');
    const res = await submit(agent, '/register', { organisationName: 'Acme Co-op', name: 'Ada', email, password: 'a long enough passphrase', confirmPassword: 'a long enough passphrase' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/register/check-your-email');
    const user = await User.findOne({ email }).lean();
    expect(user?.role).to.equal('supplier');
    expect(user?.passwordHash).to.match(/^\$argon2id\$v=19\$/);
    expect(user?.passwordHash).to.contain('p=1');
    const m = /m=(\d+)/.exec(user!.passwordHash)![1];
    const tc = /t=(\d+)/.exec(user!.passwordHash)![1];
    expect(Number(m)).to.be.at.least(19456);
    expect(Number(tc)).to.be.at.least(2);
    const signInRes = await submit(agent, '/sign-in', { email, password: 'a long enough passphrase' });
    expect(signInRes.status).to.equal(303);
    expect(signInRes.headers.location).to.equal('/supplier');
    expect((await agent.get('/supplier')).text).to.contain('Acme Co-op');
  });

  it('answers bad registration input with the error summary, status 400, answers kept and nothing written', async () => {
    const agent = request.agent(t.app);
    const email = uniqueEmail('bad');
    const res = await submit(agent, '/register', { organisationName: '', name: 'Bea', email, password: 'password', confirmPassword: 'password' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#organisationName"]').text()).to.contain('Enter your organisation');
    expect($('.govuk-error-summary a[href="#password"]').text()).to.contain('too common');
    expect($('#name').val()).to.equal('Bea');
    expect($('#password').val()).to.equal(undefined);
    expect(await User.exists({ email })).to.equal(null);
  });

  it('accepts a 64-character Unicode password', async () => {
    const agent = request.agent(t.app);
    const email = uniqueEmail('uni');
    const password = 'ñ'.repeat(20) + '密码'.repeat(10) + '🙂'.repeat(24);
    expect([...password]).to.have.length(64);
    await submit(agent, '/register', { organisationName: 'Unicode Co-op', name: 'Uli', email, password, confirmPassword: password });
    const res = await submit(agent, '/sign-in', { email, password });
    expect(res.status).to.equal(303);
  });

  it('answers an unknown e-mail and a wrong password alike', async () => {
    const user = await createUser('supplier');
    const wrong = await submit(request.agent(t.app), '/sign-in', { email: user.email, password: 'not the password at all' });
    const unknown = await submit(request.agent(t.app), '/sign-in', { email: uniqueEmail('nobody'), password: 'not the password at all' });
    expect(wrong.status).to.equal(401);
    expect(unknown.status).to.equal(401);
    const text = (html: string) => cheerio.load(html)('.govuk-error-summary').text();
    expect(text(wrong.text)).to.equal(text(unknown.text));
  });

  it('gives a new session id at sign-in and ends the session at sign-out', async () => {
    const user = await createUser('supplier');
    const agent = request.agent(t.app);
    const first = await agent.get('/sign-in');
    const before = /sid=([^;]+)/.exec(String(first.headers['set-cookie']))![1];
    const token = cheerio.load(first.text)('input[name=_csrf]').val() as string;
    const res = await agent.post('/sign-in').type('form').send({ email: user.email, password: user.password, _csrf: token });
    const after = /sid=([^;]+)/.exec(String(res.headers['set-cookie']))![1];
    expect(after).to.not.equal(before);
    // The old cookie is anonymous now.
    const stale = await request(t.app).get('/supplier').set('Cookie', `sid=${before}`);
    expect(stale.status).to.equal(302);
    expect((await agent.get('/supplier')).status).to.equal(200);
    const out = await agent.post('/sign-out').type('form').send({ _csrf: await csrfFrom(agent, '/supplier') });
    expect(out.status).to.equal(303);
    const replay = await request(t.app).get('/supplier').set('Cookie', `sid=${after}`);
    expect(replay.status).to.equal(302);
    expect(replay.headers.location).to.equal('/sign-in');
  });

  it('refuses a POST without a CSRF token (403), sign-in included', async () => {
    const agent = request.agent(t.app);
    await agent.get('/sign-in');
    const res = await agent.post('/sign-in').type('form').send({ email: 'a@b.org', password: 'x' });
    expect(res.status).to.equal(403);
    const foreign = await request.agent(t.app).post('/sign-in').type('form').send({ email: 'a@b.org', password: 'x', _csrf: await csrfFrom(agent, '/sign-in') });
    expect(foreign.status).to.equal(403);
  });

  it('signs out after 30 minutes idle and after 12 hours in all', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    t.clock.advance(29 * 60 * 1000);
    expect((await agent.get('/supplier')).status).to.equal(200);
    t.clock.advance(31 * 60 * 1000);
    const idle = await agent.get('/supplier');
    expect(idle.status).to.equal(303);
    expect(idle.headers.location).to.equal('/sign-in');
    const again = await signIn(t, user);
    for (let i = 0; i < 25; i++) {
      t.clock.advance(29 * 60 * 1000);
      const r = await again.get('/supplier');
      if (r.status !== 200) {
        expect(i).to.be.at.least(24);
        return;
      }
    }
    expect.fail('the session outlived 12 hours');
  });

  it('sets security headers on 200, 404 and 500-class pages', async () => {
    for (const path of ['/', '/no-such-page', '/sign-in']) {
      const res = await request(t.app).get(path);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).to.contain("script-src 'self'");
      expect(csp).to.contain("frame-ancestors 'none'");
      expect(csp).to.contain("base-uri 'none'");
      expect(csp).to.contain("object-src 'none'");
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      expect(res.headers['strict-transport-security']).to.contain('max-age=31536000');
      expect(res.headers['x-powered-by']).to.equal(undefined);
    }
  });

  it('answers health and readiness', async () => {
    expect((await request(t.app).get('/health')).status).to.equal(200);
    expect((await request(t.app).get('/ready')).status).to.equal(200);
    t.readiness.ready = false;
    expect((await request(t.app).get('/ready')).status).to.equal(503);
    t.readiness.ready = true;
  });

  it('never signs in with operator payloads (NoSQL injection)', async () => {
    await createUser('supplier');
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/sign-in');
    const bracket = await agent.post('/sign-in').type('form').send(`email[$ne]=x&password[$ne]=x&_csrf=${encodeURIComponent(_csrf)}`);
    expect(bracket.status).to.equal(400);
    const repeated = await agent.post('/sign-in').type('form').send(`email=a@b.org&email=c@d.org&password=x&_csrf=${encodeURIComponent(_csrf)}`);
    expect(repeated.status).to.equal(400);
    const json = await agent.post('/sign-in').set('Content-Type', 'application/json').send({ email: { $gt: '' }, password: { $gt: '' }, _csrf });
    expect(json.status).to.equal(403); // JSON bodies are not parsed, so not even the token arrives
    expect((await agent.get('/supplier')).status).to.equal(302);
  });

  it('refuses oversized bodies with 413', async () => {
    const agent = request.agent(t.app);
    const _csrf = await csrfFrom(agent, '/register');
    const res = await agent.post('/register').type('form').send({ _csrf, name: 'x'.repeat(200_000) });
    expect(res.status).to.equal(413);
  });
});
