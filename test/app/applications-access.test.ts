// Access to the application journey: another organisation's application answers 404 on every route (and nothing
// changes), malformed ids and unknown sections are 404, and buyers and admins are refused (403).
import { expect } from 'chai';
import request from 'supertest';
import { Application } from '../../models/Application';
import { createUser, signIn, submit, testApp, TestApp } from '../support/app';
import { applicationPath, ensureLots, submittedApplication, SubmittedApplication } from '../support/applications';

describe('supplier applications: access', function () {
  this.timeout(60_000);
  let t: TestApp;
  let owner: SubmittedApplication;
  let stranger: request.Agent;
  let clarificationId: string;

  before(async () => {
    t = await testApp();
    owner = await submittedApplication(t, { lots: await ensureLots([91, 92]) });
    await Application.updateOne({ _id: owner.id }, { $push: { clarifications: { question: 'Which insurer?', askedBy: owner.user.id, askedAt: new Date() } } });
    clarificationId = String((await Application.findById(owner.id).lean())!.clarifications[0]._id);
    stranger = await signIn(t, await createUser('supplier'));
  });

  it('answers 404 to another organisation for every page', async () => {
    for (const rest of ['', '/sections/organisation', '/sections/technical', '/check-answers', '/confirmation', '/withdraw']) {
      const res = await stranger.get(applicationPath(owner.id, rest));
      expect(res.status, rest).to.equal(404);
      expect(res.text).to.not.contain(owner.reference);
    }
  });

  it('answers 404 to another organisation for every action, and changes nothing', async () => {
    const before = (await Application.findById(owner.id).lean())!;
    for (const [rest, fields] of [
      ['/sections/organisation', { legalName: 'Hijacked', action: 'draft' }],
      ['/submit', {}],
      ['/withdraw', {}],
      [`/clarifications/${clarificationId}`, { answer: 'Not mine to answer' }],
    ] as Array<[string, Record<string, string>]>) {
      const res = await submit(stranger, applicationPath(owner.id, rest), fields, '/supplier/applications');
      expect(res.status, rest).to.equal(404);
    }
    const after = (await Application.findById(owner.id).lean())!;
    expect(after.status).to.equal('submitted');
    expect(after.snapshotHash).to.equal(before.snapshotHash);
    expect(after.clarifications[0].answer).to.equal(undefined);
  });

  it('answers 404 for malformed ids and unknown sections', async () => {
    for (const path of ['/supplier/applications/not-an-id', '/supplier/applications/0123456789abcdef0123456z/check-answers', applicationPath(owner.id, '/sections/nonsense'), applicationPath(owner.id, '/sections/__proto__')]) {
      expect((await owner.agent.get(path)).status, path).to.equal(404);
    }
    const res = await submit(owner.agent, applicationPath(owner.id, '/clarifications/nope'), { answer: 'x' }, '/supplier/applications');
    expect(res.status).to.equal(404);
  });

  it('lists only the organisation\u2019s own applications', async () => {
    const page = await stranger.get('/supplier/applications');
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain(owner.reference);
    expect((await owner.agent.get('/supplier/applications')).text).to.contain(owner.reference);
  });

  for (const role of ['buyer', 'admin'] as const) {
    it(`refuses a ${role} every supplier application route (403)`, async () => {
      const agent = await signIn(t, await createUser(role));
      for (const rest of ['', `/${owner.id}`, `/${owner.id}/sections/organisation`, `/${owner.id}/check-answers`, `/${owner.id}/confirmation`]) {
        expect((await agent.get(`/supplier/applications${rest}`)).status, rest).to.equal(403);
      }
      const res = await submit(agent, `/supplier/applications/${owner.id}/withdraw`, {}, '/account');
      expect(res.status).to.equal(403);
      expect((await Application.findById(owner.id).lean())!.status).to.equal('submitted');
    });
  }

  it('sends anonymous visitors to sign in', async () => {
    const res = await request(t.app).get(applicationPath(owner.id));
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/sign-in');
  });
});
