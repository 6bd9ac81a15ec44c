// Accounts through the front door: two-factor sign-in and enrolment, recovery codes, password reset,
// buyer invitations, "Your account", and the sign-in rate limit.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { hashCode, totpCode } from '../../server/auth/totp';
import { inviteBuyer } from '../../server/services/accounts';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp, TestUser, uniqueEmail } from '../support/app';

const STEP = 30_000;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function sidOf(res: request.Response): string | undefined {
  return /(?:^|[\s,])sid=([^;]+)/.exec(String(res.headers['set-cookie'] ?? ''))?.[1];
}

function errorSummary(html: string): string {
  return cheerio.load(html)('.govuk-error-summary').text();
}

/** The path of the first link to `prefix` in the last e-mail to `to`. */
function linkIn(t: TestApp, to: string, prefix: string): string {
  const mail = t.mailer.lastTo(to);
  expect(mail, `an e-mail to ${to}`).to.not.equal(undefined);
  const m = new RegExp(`http://localhost:3000(${prefix}/[A-Za-z0-9_-]+)`).exec(mail!.text);
  expect(m, `a ${prefix} link`).to.not.equal(null);
  return m![1];
}

describe('accounts', function () {
  this.timeout(30_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  // Each test moves to fresh TOTP time steps, so codes from one test never collide with another's.
  beforeEach(() => t.clock.advance(2 * STEP));

  async function passwordStep(user: TestUser) {
    const agent = request.agent(t.app);
    const res = await submit(agent, '/sign-in', { email: user.email, password: user.password });
    return { agent, res };
  }

  describe('two-factor sign-in', () => {
    for (const role of ['buyer', 'admin'] as const) {
      it(`keeps a ${role} who has only given a password out of every protected route`, async () => {
        const user = await createUser(role);
        const { agent, res } = await passwordStep(user);
        expect(res.status).to.equal(303);
        expect(res.headers.location).to.equal('/sign-in/two-factor');
        for (const path of ['/admin', '/buyer', '/supplier', '/account']) {
          const blocked = await agent.get(path);
          expect(blocked.status, path).to.equal(302);
          expect(blocked.headers.location, path).to.equal('/sign-in/two-factor');
        }
        const page = await agent.get('/sign-in/two-factor');
        expect(page.status).to.equal(200);
        // no navigation for a half-signed-in user
        expect(cheerio.load(page.text)('.govuk-service-navigation a[href="/account"]')).to.have.length(0);
        const done = await submit(agent, '/sign-in/two-factor', { code: totpCode(user.totpSecret!, t.clock.now()) });
        expect(done.status).to.equal(303);
        expect(done.headers.location).to.equal(`/${role}`);
        expect((await agent.get(`/${role}`)).status).to.equal(200);
      });
    }

    it('gives a new session id when the second factor is done, and the old one stays half signed in', async () => {
      const user = await createUser('buyer');
      const { agent, res } = await passwordStep(user);
      const pendingSid = sidOf(res)!;
      expect(pendingSid).to.be.a('string');
      const done = await submit(agent, '/sign-in/two-factor', { code: totpCode(user.totpSecret!, t.clock.now()) });
      const fullSid = sidOf(done);
      expect(fullSid).to.be.a('string').and.not.equal(pendingSid);
      const stale = await request(t.app).get('/buyer').set('Cookie', `sid=${pendingSid}`);
      expect(stale.status).to.equal(302);
      expect(stale.headers.location).to.not.equal('/buyer');
      expect((await request(t.app).get('/buyer').set('Cookie', `sid=${fullSid}`)).status).to.equal(200);
    });

    it('returns to the page first asked for after both steps', async () => {
      const user = await createUser('buyer');
      const agent = request.agent(t.app);
      expect((await agent.get('/account')).headers.location).to.equal('/sign-in');
      await submit(agent, '/sign-in', { email: user.email, password: user.password });
      const done = await submit(agent, '/sign-in/two-factor', { code: totpCode(user.totpSecret!, t.clock.now()) });
      expect(done.headers.location).to.equal('/account');
    });

    it('refuses a wrong code with the error summary (400) and a replayed code', async () => {
      const user = await createUser('buyer');
      const code = totpCode(user.totpSecret!, t.clock.now());
      await signIn(t, user); // uses this step's code

      const { agent } = await passwordStep(user);
      const wrong = await submit(agent, '/sign-in/two-factor', { code: code === '000000' ? '111111' : '000000' });
      expect(wrong.status).to.equal(400);
      expect(cheerio.load(wrong.text)('title').text()).to.match(/^Error: /);
      expect(cheerio.load(wrong.text)('.govuk-error-summary a[href="#code"]').text()).to.contain('not right');
      const badFormat = await submit(agent, '/sign-in/two-factor', { code: 'abc' });
      expect(badFormat.status).to.equal(400);
      expect(errorSummary(badFormat.text)).to.contain('6 digits');

      const replay = await submit(agent, '/sign-in/two-factor', { code });
      expect(replay.status).to.equal(400);
      expect((await agent.get('/buyer')).headers.location).to.equal('/sign-in/two-factor');

      t.clock.advance(STEP);
      const fresh = await submit(agent, '/sign-in/two-factor', { code: totpCode(user.totpSecret!, t.clock.now()) });
      expect(fresh.status).to.equal(303);
    });

    it('accepts a code only once even when two requests race', async () => {
      const user = await createUser('admin');
      const a = await passwordStep(user);
      const b = await passwordStep(user);
      const code = totpCode(user.totpSecret!, t.clock.now());
      const [ta, tb] = await Promise.all([csrfFrom(a.agent, '/sign-in/two-factor'), csrfFrom(b.agent, '/sign-in/two-factor')]);
      const results = await Promise.all([
        a.agent.post('/sign-in/two-factor').type('form').send({ code, _csrf: ta }),
        b.agent.post('/sign-in/two-factor').type('form').send({ code, _csrf: tb }),
      ]);
      expect(results.map((r) => r.status).sort()).to.deep.equal([303, 400]);
    });

    it('is only reachable after the password step', async () => {
      const anon = await request(t.app).get('/sign-in/two-factor');
      expect(anon.status).to.equal(302);
      expect(anon.headers.location).to.equal('/sign-in');
      const anonPost = await submit(request.agent(t.app), '/sign-in/two-factor', { code: '123456' }, '/sign-in');
      expect(anonPost.status).to.equal(302);
      const supplier = await signIn(t, await createUser('supplier'));
      expect((await supplier.get('/sign-in/two-factor')).headers.location).to.equal('/sign-in');
      const buyer = await signIn(t, await createUser('buyer'));
      expect((await buyer.get('/sign-in/recovery-code')).headers.location).to.equal('/sign-in');
    });

    it('limits wrong codes: the 11th attempt gets 429, even with the right code', async () => {
      const user = await createUser('buyer');
      const { agent } = await passwordStep(user);
      const right = totpCode(user.totpSecret!, t.clock.now());
      const wrong = right === '999999' ? '999998' : '999999';
      for (let i = 0; i < 10; i++) {
        expect((await submit(agent, '/sign-in/two-factor', { code: wrong })).status, `attempt ${i + 1}`).to.equal(400);
      }
      const limited = await submit(agent, '/sign-in/two-factor', { code: right });
      expect(limited.status).to.equal(429);
      // signing in with the password again does not reset the count
      const again = await passwordStep(user);
      expect((await submit(again.agent, '/sign-in/two-factor', { code: right })).status).to.equal(429);
      expect((await agent.get('/buyer')).status).to.equal(302);
    });
  });

  describe('recovery codes', () => {
    it('signs in with a recovery code once only', async () => {
      const user = await createUser('buyer');
      const codes = ['abcde-12345', 'fedcb-54321'];
      await User.updateOne({ _id: user.id }, { $set: { 'mfa.recoveryCodes': codes.map(hashCode) } });

      const first = await passwordStep(user);
      expect(cheerio.load((await first.agent.get('/sign-in/two-factor')).text)('a[href="/sign-in/recovery-code"]')).to.have.length(1);
      const wrong = await submit(first.agent, '/sign-in/recovery-code', { code: '00000-00000' });
      expect(wrong.status).to.equal(400);
      expect(errorSummary(wrong.text)).to.contain('recovery code');
      const ok = await submit(first.agent, '/sign-in/recovery-code', { code: ' ABCDE12345 ' });
      expect(ok.status).to.equal(303);
      expect(ok.headers.location).to.equal('/buyer');
      const landing = await first.agent.get('/buyer');
      expect(landing.status).to.equal(200);
      expect(cheerio.load(landing.text)('.govuk-notification-banner').text()).to.contain('1 recovery code left');

      const second = await passwordStep(user);
      const reused = await submit(second.agent, '/sign-in/recovery-code', { code: 'abcde-12345' });
      expect(reused.status).to.equal(400);
      expect((await second.agent.get('/buyer')).status).to.equal(302);
      const stored = await User.findById(user.id).lean();
      expect(stored!.mfa!.recoveryCodes).to.deep.equal([hashCode('fedcb-54321')]);
    });
  });

  describe('two-factor enrolment', () => {
    async function buyerWithoutTotp(): Promise<TestUser> {
      const user = await createUser('buyer');
      await User.updateOne({ _id: user.id }, { $unset: { 'mfa.secret': 1 }, $set: { 'mfa.enabled': false } });
      return { ...user, totpSecret: undefined };
    }

    it('makes a buyer without TOTP enrol at first sign-in and shows the recovery codes once', async () => {
      const user = await buyerWithoutTotp();
      const { agent, res } = await passwordStep(user);
      expect(res.headers.location).to.equal('/two-factor/set-up');
      expect((await agent.get('/buyer')).headers.location).to.equal('/two-factor/set-up');
      expect((await agent.get('/sign-in/two-factor')).headers.location).to.equal('/two-factor/set-up');

      const page = await agent.get('/two-factor/set-up');
      expect(page.status).to.equal(200);
      expect(page.headers['cache-control']).to.equal('no-store');
      const $ = cheerio.load(page.text);
      expect($('head title').text()).to.match(/^Set up two-factor authentication – /);
      expect($('img[src="/two-factor/qr.svg"]')).to.have.length(1);
      expect($('#password')).to.have.length(0); // just given with the password step
      const secret = $('#totp-secret').text().replace(/\s/g, '');
      expect(secret).to.match(/^[A-Z2-7]{16,}$/);
      // the same secret on a reload, until confirmed
      expect(cheerio.load((await agent.get('/two-factor/set-up')).text)('#totp-secret').text().replace(/\s/g, '')).to.equal(secret);

      const qr = await agent.get('/two-factor/qr.svg').buffer(true);
      expect(qr.status).to.equal(200);
      expect(qr.headers['content-type']).to.match(/^image\/svg\+xml/);
      expect(qr.headers['cache-control']).to.equal('no-store');
      expect(String(qr.body)).to.match(/<svg[\s>]/);

      const wrong = await submit(agent, '/two-factor/set-up', { code: '12345' });
      expect(wrong.status).to.equal(400);
      expect(cheerio.load(wrong.text)('.govuk-error-summary a[href="#code"]')).to.have.length(1);
      expect((await User.findById(user.id).lean())!.mfa!.enabled).to.equal(false);

      const done = await submit(agent, '/two-factor/set-up', { code: totpCode(secret, t.clock.now()) });
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal('/two-factor/recovery-codes');
      const shown = await agent.get('/two-factor/recovery-codes');
      expect(shown.status).to.equal(200);
      const codes = cheerio.load(shown.text)('#recovery-codes li').map((_i, el) => cheerio.load(el).text().trim()).get();
      expect(codes).to.have.length(10);
      expect(new Set(codes).size).to.equal(10);
      expect(cheerio.load(shown.text)('a.govuk-button').attr('href')).to.equal('/buyer');
      expect((await agent.get('/two-factor/recovery-codes')).status).to.equal(302); // shown once only
      expect((await agent.get('/buyer')).status).to.equal(200);

      const stored = await User.findById(user.id).lean();
      expect(stored!.mfa!.enabled).to.equal(true);
      expect(stored!.mfa!.secret).to.equal(secret);
      expect(stored!.mfa!.recoveryCodes).to.have.length(10);
      expect(stored!.mfa!.recoveryCodes).to.not.include(codes[0]); // hashes, not the codes
      expect(stored!.mfa!.recoveryCodes).to.include(hashCode(codes[0]));

      // From now on the code step, not enrolment; the enrolment code cannot be used again.
      const next = await passwordStep(user);
      expect(next.res.headers.location).to.equal('/sign-in/two-factor');
      expect((await next.agent.get('/two-factor/set-up')).headers.location).to.equal('/sign-in/two-factor');
      expect((await submit(next.agent, '/sign-in/two-factor', { code: totpCode(secret, t.clock.now()) })).status).to.equal(400);
      t.clock.advance(STEP);
      expect((await submit(next.agent, '/sign-in/two-factor', { code: totpCode(secret, t.clock.now()) })).status).to.equal(303);
      // and a recovery code shown at enrolment works
      const viaRecovery = await passwordStep(user);
      expect((await submit(viaRecovery.agent, '/sign-in/recovery-code', { code: codes[3] })).status).to.equal(303);
    });

    it('serves no QR code and no set-up page to someone not signed in', async () => {
      expect((await request(t.app).get('/two-factor/set-up')).headers.location).to.equal('/sign-in');
      expect((await request(t.app).get('/two-factor/qr.svg')).headers.location).to.equal('/sign-in');
    });

    it('lets a supplier turn on two-factor from their account, confirming their password', async () => {
      const user = await createUser('supplier');
      const agent = await signIn(t, user);
      const account = await agent.get('/account');
      expect(cheerio.load(account.text)('a[href="/two-factor/set-up"]').length).to.be.at.least(1);
      const page = await agent.get('/two-factor/set-up');
      const secret = cheerio.load(page.text)('#totp-secret').text().replace(/\s/g, '');
      expect(cheerio.load(page.text)('#password')).to.have.length(1);

      const noPassword = await submit(agent, '/two-factor/set-up', { code: totpCode(secret, t.clock.now()), password: 'not my password' });
      expect(noPassword.status).to.equal(400);
      expect(cheerio.load(noPassword.text)('.govuk-error-summary a[href="#password"]')).to.have.length(1);
      expect((await User.findById(user.id).lean())!.mfa?.enabled).to.not.equal(true);

      const done = await submit(agent, '/two-factor/set-up', { code: totpCode(secret, t.clock.now()), password: user.password });
      expect(done.status).to.equal(303);
      const shown = await agent.get('/two-factor/recovery-codes');
      expect(cheerio.load(shown.text)('#recovery-codes li')).to.have.length(10);
      expect(cheerio.load(shown.text)('a.govuk-button').attr('href')).to.equal('/account');
      const after = cheerio.load((await agent.get('/account')).text);
      expect(after('.govuk-summary-list').text()).to.match(/Two-factor authentication\s+On/);
      expect(after('a[href="/two-factor/set-up"]')).to.have.length(0);
      expect((await agent.get('/two-factor/set-up')).headers.location).to.equal('/account');

      const next = await passwordStep(user);
      expect(next.res.headers.location).to.equal('/sign-in/two-factor');
      expect((await next.agent.get('/supplier')).headers.location).to.equal('/sign-in/two-factor');
    });
  });

  describe('password reset', () => {
    it('resets a password end to end, once, and ends the old sessions', async () => {
      const user = await createUser('supplier');
      const oldSession = await signIn(t, user);
      const agent = request.agent(t.app);
      const asked = await submit(agent, '/password-reset', { email: user.email.toUpperCase() });
      expect(asked.status).to.equal(303);
      expect(asked.headers.location).to.equal('/password-reset/check-your-email');
      const link = linkIn(t, user.email, '/password-reset');

      const form = await agent.get(link);
      expect(form.status).to.equal(200);
      expect(form.headers['cache-control']).to.equal('no-store');
      const weak = await submit(agent, link, { password: 'password123', confirmPassword: 'password123' });
      expect(weak.status).to.equal(400);
      expect(cheerio.load(weak.text)('.govuk-error-summary a[href="#password"]').text()).to.contain('too common');
      expect(cheerio.load(weak.text)('#password').val()).to.equal(undefined);
      const mismatch = await submit(agent, link, { password: 'a brand new passphrase', confirmPassword: 'a different passphrase' });
      expect(mismatch.status).to.equal(400);
      expect(errorSummary(mismatch.text)).to.contain('Passwords must match');

      const done = await submit(agent, link, { password: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' });
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal('/sign-in');
      expect(cheerio.load((await agent.get('/sign-in')).text)('.govuk-notification-banner').text()).to.contain('password has been changed');

      expect((await oldSession.get('/supplier')).status).to.equal(302);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: user.password })).status).to.equal(401);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: 'a brand new passphrase' })).status).to.equal(303);

      const reused = await request.agent(t.app).get(link);
      expect(reused.status).to.equal(410);
      expect(cheerio.load(reused.text)('a[href="/password-reset"]')).to.have.length(1);
      const reusedPost = await submit(agent, link, { password: 'yet another passphrase', confirmPassword: 'yet another passphrase' }, '/password-reset');
      expect(reusedPost.status).to.equal(410);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: 'a brand new passphrase' })).status).to.equal(303);
    });

    it('expires the link after 60 minutes', async () => {
      const user = await createUser('supplier');
      const agent = request.agent(t.app);
      await submit(agent, '/password-reset', { email: user.email });
      const link = linkIn(t, user.email, '/password-reset');
      t.clock.advance(59 * MINUTE);
      expect((await agent.get(link)).status).to.equal(200);
      const token = await csrfFrom(agent, link);
      t.clock.advance(2 * MINUTE);
      const expired = await agent.get(link);
      expect(expired.status).to.equal(410);
      expect(cheerio.load(expired.text)('h1').text()).to.contain('expired');
      const post = await agent.post(link).type('form').send({ _csrf: token, password: 'a brand new passphrase', confirmPassword: 'a brand new passphrase' });
      expect(post.status).to.equal(410);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: user.password })).status).to.equal(303);
    });

    it('answers an unknown e-mail exactly as a known one', async () => {
      const user = await createUser('supplier');
      const unknown = uniqueEmail('nobody');
      const known = request.agent(t.app);
      const stranger = request.agent(t.app);
      const a = await submit(known, '/password-reset', { email: user.email });
      const b = await submit(stranger, '/password-reset', { email: unknown });
      expect(a.status).to.equal(b.status);
      expect(a.headers.location).to.equal(b.headers.location);
      expect(a.text).to.equal(b.text);
      const pageA = await known.get(a.headers.location);
      const pageB = await stranger.get(b.headers.location);
      expect(pageA.status).to.equal(200);
      expect(pageA.text.replace(/name="_csrf" value="[^"]*"/, '')).to.equal(pageB.text.replace(/name="_csrf" value="[^"]*"/, ''));
      expect(t.mailer.lastTo(user.email)?.subject).to.contain('Reset');
      expect(t.mailer.lastTo(unknown)).to.equal(undefined);
    });

    it('rejects a malformed e-mail with the error summary', async () => {
      const res = await submit(request.agent(t.app), '/password-reset', { email: 'not an email' });
      expect(res.status).to.equal(400);
      expect(cheerio.load(res.text)('.govuk-error-summary a[href="#email"]')).to.have.length(1);
      expect(cheerio.load(res.text)('#email').val()).to.equal('not an email');
    });

    it('answers a made-up token with 410', async () => {
      expect((await request(t.app).get('/password-reset/' + 'x'.repeat(43))).status).to.equal(410);
    });
  });

  describe('buyer invitations', () => {
    async function invite(email: string): Promise<{ link: string; council: string }> {
      const admin = await createUser('admin');
      const council = String((await Organisation.create({ kind: 'council', name: 'Invite Council', councilType: 'unitary', nation: 'England', membership: 'full', status: 'active' }))._id);
      await inviteBuyer(t.clock, t.mailer, 'http://localhost:3000', { _id: admin.id, role: 'admin' }, council, email);
      return { link: linkIn(t, email, '/invitations'), council };
    }

    it('creates the buyer once, then sends them to sign in and enrol two-factor', async () => {
      const email = uniqueEmail('invitee');
      const { link, council } = await invite(email);
      const agent = request.agent(t.app);
      const page = await agent.get(link);
      expect(page.status).to.equal(200);
      expect(cheerio.load(page.text)('main').text()).to.contain(email).and.contain('Invite Council');

      const bad = await submit(agent, link, { name: 'Bo Buyer', password: 'short', confirmPassword: 'short' });
      expect(bad.status).to.equal(400);
      expect(cheerio.load(bad.text)('#name').val()).to.equal('Bo Buyer');
      expect(cheerio.load(bad.text)('.govuk-error-summary a[href="#password"]')).to.have.length(1);
      expect(await User.exists({ email })).to.equal(null);

      const done = await submit(agent, link, { name: 'Bo Buyer', password: 'council buyer passphrase', confirmPassword: 'council buyer passphrase', role: 'admin', organisation: '000000000000000000000000' });
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal('/sign-in');
      expect(cheerio.load((await agent.get('/sign-in')).text)('.govuk-notification-banner').text()).to.contain('account has been created');
      const user = await User.findOne({ email }).lean();
      expect(user!.role).to.equal('buyer');
      expect(String(user!.organisation)).to.equal(council);
      expect(user!.name).to.equal('Bo Buyer');

      expect((await request(t.app).get(link)).status).to.equal(410);
      const again = await submit(agent, link, { name: 'Eve', password: 'another long passphrase', confirmPassword: 'another long passphrase' }, '/sign-in');
      expect(again.status).to.equal(410);
      expect(await User.countDocuments({ email })).to.equal(1);

      const signedIn = await submit(request.agent(t.app), '/sign-in', { email, password: 'council buyer passphrase' });
      expect(signedIn.headers.location).to.equal('/two-factor/set-up');
    });

    it('expires after 7 days', async () => {
      const email = uniqueEmail('late');
      const { link } = await invite(email);
      t.clock.advance(7 * DAY - MINUTE);
      const agent = request.agent(t.app);
      expect((await agent.get(link)).status).to.equal(200);
      const token = await csrfFrom(agent, link);
      t.clock.advance(MINUTE);
      const expired = await agent.get(link);
      expect(expired.status).to.equal(410);
      expect(cheerio.load(expired.text)('h1').text()).to.contain('expired');
      expect(cheerio.load(expired.text)('head title').text()).to.match(/^This invitation has expired/);
      const post = await agent.post(link).type('form').send({ _csrf: token, name: 'Late', password: 'council buyer passphrase', confirmPassword: 'council buyer passphrase' });
      expect(post.status).to.equal(410);
      expect(await User.exists({ email })).to.equal(null);
    });
  });

  describe('your account', () => {
    it('shows the account details and two-factor status', async () => {
      const user = await createUser('buyer');
      await User.updateOne({ _id: user.id }, { $set: { name: '<script>alert(1)</script>' } });
      const agent = await signIn(t, user);
      const res = await agent.get('/account');
      expect(res.status).to.equal(200);
      expect(res.text).to.not.contain('<script>alert(1)</script>');
      const summary = cheerio.load(res.text)('.govuk-summary-list').text();
      expect(summary).to.contain('<script>alert(1)</script>');
      expect(summary).to.contain(user.email);
      expect(summary).to.contain('Council buyer');
      expect(summary).to.contain((await Organisation.findById(user.organisation).lean())!.name);
      expect(summary).to.match(/Two-factor authentication\s+On/);
      expect(cheerio.load(res.text)('a[href="/two-factor/set-up"]')).to.have.length(0);
    });

    it('is behind sign-in', async () => {
      const res = await request(t.app).get('/account');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/sign-in');
    });

    it('changes the password with the current one, ending other sessions but not this one (under a new id)', async () => {
      const user = await createUser('supplier');
      const other = await signIn(t, user);
      const { agent, res } = await passwordStep(user);
      const oldSid = sidOf(res)!;
      expect(oldSid).to.be.a('string');
      const wrong = await submit(agent, '/account/password', { currentPassword: 'not it at all', password: 'a fresh passphrase', confirmPassword: 'a fresh passphrase' });
      expect(wrong.status).to.equal(400);
      expect(cheerio.load(wrong.text)('.govuk-error-summary a[href="#currentPassword"]')).to.have.length(1);
      const weak = await submit(agent, '/account/password', { currentPassword: user.password, password: 'password', confirmPassword: 'password' });
      expect(weak.status).to.equal(400);
      expect(errorSummary(weak.text)).to.contain('too common');
      expect((await other.get('/supplier')).status).to.equal(200);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: user.password })).status).to.equal(303);

      const done = await submit(agent, '/account/password', { currentPassword: user.password, password: 'a fresh passphrase', confirmPassword: 'a fresh passphrase' });
      expect(done.status).to.equal(303);
      expect(done.headers.location).to.equal('/account');
      expect(sidOf(done)).to.be.a('string').and.not.equal(oldSid);
      const page = await agent.get('/account');
      expect(page.status).to.equal(200);
      expect(cheerio.load(page.text)('.govuk-notification-banner').text()).to.contain('password has been changed');
      expect((await request(t.app).get('/supplier').set('Cookie', `sid=${oldSid}`)).status).to.equal(302);
      expect((await other.get('/supplier')).status).to.equal(302);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: user.password })).status).to.equal(401);
      expect((await submit(request.agent(t.app), '/sign-in', { email: user.email, password: 'a fresh passphrase' })).status).to.equal(303);
    });

    it('keeps two-factor done for a buyer who changes their password', async () => {
      const user = await createUser('buyer');
      const agent = await signIn(t, user);
      const done = await submit(agent, '/account/password', { currentPassword: user.password, password: 'a fresh passphrase', confirmPassword: 'a fresh passphrase' });
      expect(done.status).to.equal(303);
      expect((await agent.get('/buyer')).status).to.equal(200);
    });
  });

  describe('bad input', () => {
    it('answers operator-shaped and repeated fields with 400, never a sign-in or a reset', async () => {
      const user = await createUser('buyer');
      const { agent } = await passwordStep(user);
      const token = await csrfFrom(agent, '/sign-in/two-factor');
      const operator = await agent.post('/sign-in/two-factor').type('form').send(`_csrf=${encodeURIComponent(token)}&code[$ne]=1`);
      expect(operator.status).to.equal(400);
      const repeated = await agent.post('/sign-in/two-factor').type('form').send(`_csrf=${encodeURIComponent(token)}&code=123456&code=654321`);
      expect(repeated.status).to.equal(400);
      const recovery = await agent.post('/sign-in/recovery-code').type('form').send(`_csrf=${encodeURIComponent(token)}&code[$gt]=`);
      expect(recovery.status).to.equal(400);
      expect((await agent.get('/buyer')).status).to.equal(302);

      const anon = request.agent(t.app);
      const resetToken = await csrfFrom(anon, '/password-reset');
      const before = t.mailer.sent.length;
      const reset = await anon.post('/password-reset').type('form').send(`_csrf=${encodeURIComponent(resetToken)}&email[$ne]=x`);
      expect(reset.status).to.equal(400);
      expect(t.mailer.sent.length).to.equal(before);
    });
  });

  describe('sign-in rate limit', () => {
    it('answers the 11th wrong password for one account with 429 while another account is unaffected', async () => {
      const victim = await createUser('supplier');
      const bystander = await createUser('supplier');
      const agent = request.agent(t.app);
      for (let i = 0; i < 10; i++) {
        expect((await submit(agent, '/sign-in', { email: victim.email, password: `wrong password ${i}` })).status, `attempt ${i + 1}`).to.equal(401);
      }
      expect((await submit(agent, '/sign-in', { email: victim.email, password: 'wrong password 10' })).status).to.equal(429);
      expect((await submit(request.agent(t.app), '/sign-in', { email: victim.email, password: victim.password })).status).to.equal(429);
      const other = await submit(request.agent(t.app), '/sign-in', { email: bystander.email, password: bystander.password });
      expect(other.status).to.equal(303);
      expect(other.headers.location).to.equal('/supplier');
    });
  });
});
