// Security logging: events for sign-in and denials, and never a password, token or cookie in the log.
import { Writable } from 'node:stream';
import { expect } from 'chai';
import request from 'supertest';
import { createLogger } from '../../server/logger';
import { createUser, csrfFrom, signIn, submit, testApp, TestApp } from '../support/app';

describe('security logging', function () {
  this.timeout(20_000);
  const lines: string[] = [];
  let t: TestApp;

  before(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    t = await testApp({}, createLogger('info', sink));
  });

  it('logs sign-in success and failure without the password, cookie or CSRF token', async () => {
    const user = await createUser('supplier');
    const agent = request.agent(t.app);
    const token = await csrfFrom(agent, '/sign-in');
    await agent.post('/sign-in').type('form').send({ email: user.email, password: 'Sup3r-Secret-wrong', _csrf: token });
    const ok = await submit(agent, '/sign-in', { email: user.email, password: user.password });
    const cookie = String(ok.headers['set-cookie']).split(';')[0].split('=')[1];
    const log = lines.join('\n');
    expect(log).to.not.contain('Sup3r-Secret-wrong');
    expect(log).to.not.contain(user.password);
    expect(log).to.not.contain(token);
    expect(log).to.not.contain(cookie);
    const events = lines.map((l) => JSON.parse(l));
    expect(events.some((e) => e.event === 'auth.failure')).to.equal(true);
    expect(events.some((e) => e.event === 'auth.success' && e.userId)).to.equal(true);
    for (const e of events) expect(e.time).to.match(/Z$/);
  });

  it('logs an access denial with the user id', async () => {
    const user = await createUser('supplier');
    const agent = await signIn(t, user);
    lines.length = 0;
    expect((await agent.get('/admin')).status).to.equal(403);
    const denial = lines.map((l) => JSON.parse(l)).find((e) => e.event === 'authz.denied');
    expect(denial?.userId).to.equal(user.id);
  });

  it('keeps a newline in the e-mail inside one JSON line', async () => {
    lines.length = 0;
    await submit(request.agent(t.app), '/sign-in', { email: 'evil\n{"event":"forged"}@x.org', password: 'whatever-it-is' });
    for (const l of lines) expect(() => JSON.parse(l)).to.not.throw();
    expect(lines.some((l) => JSON.parse(l).event === 'forged')).to.equal(false);
  });
});
