// Who may use the buyer's change pages (clarifications, updates, the deadline, cancellation): the owning council's
// buyers only. Another council's buyer gets 404 on every one (GET and POST) and changes nothing; other roles 403.
import { expect } from 'chai';
import request from 'supertest';
import { Clarification } from '../../models/Clarification';
import { Competition } from '../../models/Competition';
import { londonParts, londonTimeText } from '../../server/domain/competitionForms';
import { createUser, csrfFrom, resetDatabase, signIn, testApp, TestApp } from '../support/app';
import { competitionFixture, CompetitionFixture } from '../support/competitions';

const DAY = 24 * 60 * 60 * 1000;

describe('Buyer change pages: access', function () {
  this.timeout(60_000);
  let t: TestApp;
  let f: CompetitionFixture;
  let questionId: string;
  let updateId: string;
  let gets: string[];
  let posts: Array<[string, Record<string, string>]>;

  before(async () => {
    t = await testApp();
    await resetDatabase();
    f = await competitionFixture(t);
    const now = t.clock.now();
    const [q, u] = await Clarification.create([
      { competition: f.id, kind: 'question', status: 'awaiting answer', question: 'What is the budget?', askedBy: f.suppliers[0].organisation, askedByUser: f.suppliers[0].id, askedAt: now },
      { competition: f.id, kind: 'update', status: 'published', question: 'Site visit', publishedQuestion: 'Site visit', answer: 'Monday.', publishedAt: now },
    ]);
    questionId = String(q._id);
    updateId = String(u._id);
    const base = `/buyer/competitions/${f.id}`;
    const to = new Date(Math.ceil((f.deadline.getTime() + DAY) / 60000) * 60000);
    const p = londonParts(to);
    gets = [`${base}/clarifications`, `${base}/clarifications/${questionId}/answer`, `${base}/clarifications/${updateId}/published`, `${base}/updates/new`, `${base}/deadline`, `${base}/cancel`];
    posts = [
      [`${base}/clarifications/${questionId}/answer`, { publishedQuestion: 'Q', answer: 'A', substantial: 'no' }],
      [`${base}/updates/new`, { title: 'T', text: 'X', substantial: 'no' }],
      [`${base}/deadline`, { 'deadline-day': String(p.day), 'deadline-month': String(p.month), 'deadline-year': String(p.year), 'deadline-time': londonTimeText(to), reason: 'R' }],
      [`${base}/cancel`, { reason: 'R' }],
    ];
  });

  async function unchanged(): Promise<void> {
    const c = await Competition.findById(f.id).lean();
    expect(c!.status).to.equal('published');
    expect(c!.deadline!.getTime()).to.equal(f.deadline.getTime());
    expect(await Clarification.countDocuments({ competition: f.id })).to.equal(2);
    expect((await Clarification.findById(questionId).lean())!.status).to.equal('awaiting answer');
  }

  async function posting(agent: request.Agent, home: string, path: string, body: Record<string, string>) {
    const _csrf = await csrfFrom(agent, home);
    return agent.post(path).type('form').send({ ...body, _csrf });
  }

  it('lets the owning council\u2019s buyer see every page', async () => {
    const buyer = await signIn(t, f.buyer);
    for (const path of gets) expect((await buyer.get(path)).status, path).to.equal(200);
  });

  it('gives another council\u2019s buyer 404 on every page and every form, and changes nothing', async () => {
    const other = await signIn(t, await createUser('buyer'));
    for (const path of gets) expect((await other.get(path)).status, path).to.equal(404);
    for (const [path, body] of posts) expect((await posting(other, '/buyer', path, body)).status, path).to.equal(404);
    await unchanged();
  });

  it('gives suppliers (even invited ones) and admins 403, and sends anonymous visitors to sign in', async () => {
    const supplier = await signIn(t, f.suppliers[0]);
    const admin = await signIn(t, await createUser('admin'));
    for (const [agent, home] of [[supplier, '/supplier'], [admin, '/admin']] as const) {
      for (const path of gets) expect((await agent.get(path)).status, path).to.equal(403);
      for (const [path, body] of posts) expect((await posting(agent, home, path, body)).status, path).to.equal(403);
    }
    const anonymous = request.agent(t.app);
    for (const path of gets) {
      const res = await anonymous.get(path);
      expect(res.status, path).to.equal(302);
      expect(res.headers.location).to.equal('/sign-in');
    }
    await unchanged();
  });

  it('answers 404 for malformed ids and for a clarification of another competition', async () => {
    const buyer = await signIn(t, f.buyer2);
    const mine = await competitionFixture(t);
    const own = await signIn(t, mine.buyer);
    expect((await buyer.get('/buyer/competitions/not-an-id/clarifications')).status).to.equal(404);
    expect((await buyer.get(`/buyer/competitions/${f.id}/clarifications/not-an-id/answer`)).status).to.equal(404);
    // f's clarifications reached through a competition this buyer does own: still 404
    expect((await own.get(`/buyer/competitions/${mine.id}/clarifications/${questionId}/answer`)).status).to.equal(404);
    expect((await own.get(`/buyer/competitions/${mine.id}/clarifications/${updateId}/published`)).status).to.equal(404);
  });
});
