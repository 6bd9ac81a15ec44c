// Who may reach the drafting pages: the owning council's buyers only. A buyer of another council gets 404 on
// every /buyer/competitions/:id... drafting route (GET and POST) with nothing changed; suppliers and admins 403;
// anonymous users are sent to sign in.
import { expect } from 'chai';
import request from 'supertest';
import { Competition } from '../../models/Competition';
import { StoredDocument } from '../../models/Document';
import { agentsByRole, csrfFrom, resetDatabase, signIn, Who, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';
import { pdf } from '../fixtures/files';

describe('Drafting a competition: access', function () {
  this.timeout(90_000);
  let t: TestApp;
  let id: string;
  let gets: string[];
  let posts: Array<[string, Record<string, string>]>;
  let agents: Record<Who, request.Agent>;
  let snapshot: () => Promise<string>;

  before(async () => {
    t = await testApp();
    await resetDatabase();
    const f = await competitionFixture(t, { publish: false });
    id = f.id;
    const owner = await signIn(t, f.buyer);
    const docPath = `/buyer/competitions/${id}/documents`;
    expect((await owner.post(docPath).field('_csrf', await csrfFrom(owner, docPath)).attach('document', pdf(), 'spec.pdf')).status).to.equal(303);
    const c = (await Competition.findById(id).lean())!;
    const base = `/buyer/competitions/${id}`;
    const [k, q, d] = [String(c.criteria[0]._id), String(c.questions[0]._id), String(c.documents[0])];
    gets = ['', '/preview', '/publish', '/details', '/criteria', `/criteria/${k}/edit`, `/criteria/${k}/remove`, '/questions', `/questions/${q}/edit`, `/questions/${q}/remove`, '/deadlines', '/documents', `/documents/${d}/remove`].map((p) => base + p);
    const criterion = { name: 'Hijacked', kind: 'quality', weight: '1' };
    const question = { text: 'Hijacked?', criterion: k, wordLimit: '5' };
    posts = [
      ['/publish', {}],
      ['/details', { title: 'Hijacked', summary: 'S', requirement: 'R', lot: String(c.lot), ruleSet: 'PA2023_DYNAMIC_MARKET', estimatedValue: '1', 'contractStart-day': '1', 'contractStart-month': '1', 'contractStart-year': '2099', 'contractEnd-day': '2', 'contractEnd-month': '1', 'contractEnd-year': '2099' }],
      ['/criteria', { socialValueReason: 'Hijacked' }],
      ['/criteria/add', criterion],
      [`/criteria/${k}/edit`, criterion],
      [`/criteria/${k}/remove`, {}],
      ['/questions', question],
      [`/questions/${q}/edit`, question],
      [`/questions/${q}/remove`, {}],
      ['/deadlines', { 'deadline-day': '1', 'deadline-month': '1', 'deadline-year': '2099', 'deadline-time': '12:00', 'clarificationDeadline-day': '1', 'clarificationDeadline-month': '12', 'clarificationDeadline-year': '2098', 'clarificationDeadline-time': '12:00' }],
      [`/documents/${d}/remove`, {}],
    ].map(([p, body]) => [base + p, body] as [string, Record<string, string>]);
    agents = await agentsByRole(t);
    snapshot = async () => JSON.stringify(await Competition.findById(id).lean());
  });

  it('another council\u2019s buyer gets 404 on every GET', async () => {
    for (const path of gets) expect((await agents.buyer.get(path)).status, path).to.equal(404);
  });

  it('another council\u2019s buyer gets 404 on every POST, and nothing changes', async () => {
    const before = await snapshot();
    const token = await csrfFrom(agents.buyer, '/buyer/competitions/new');
    for (const [path, body] of posts) {
      expect((await agents.buyer.post(path).type('form').send({ ...body, _csrf: token })).status, path).to.equal(404);
    }
    const docs = await StoredDocument.countDocuments({});
    const upload = await agents.buyer.post(`/buyer/competitions/${id}/documents`).field('_csrf', token).attach('document', pdf(), 'x.pdf');
    expect(upload.status).to.equal(404);
    expect(await StoredDocument.countDocuments({})).to.equal(docs);
    expect(await snapshot()).to.equal(before);
  });

  it('a malformed or unknown id is a 404', async () => {
    for (const path of ['/buyer/competitions/nope', '/buyer/competitions/0123456789abcdef01234567', '/buyer/competitions/0123456789abcdef01234567/details', `/buyer/competitions/${id}/criteria/zzz/edit`]) {
      expect((await agents.buyer.get(path)).status, path).to.equal(404);
    }
  });

  for (const who of ['supplier', 'admin'] as const) {
    it(`a${who === 'admin' ? 'n' : ''} ${who} gets 403 on every GET and POST`, async () => {
      const before = await snapshot();
      for (const path of [...gets, '/buyer/competitions', '/buyer/competitions/new']) expect((await agents[who].get(path)).status, path).to.equal(403);
      const token = await csrfFrom(agents[who], '/account');
      for (const [path, body] of [...posts, ['/buyer/competitions/new', { title: 'x' }] as [string, Record<string, string>]]) {
        expect((await agents[who].post(path).type('form').send({ ...body, _csrf: token })).status, path).to.equal(403);
      }
      expect(await snapshot()).to.equal(before);
    });
  }

  it('anonymous users are sent to sign in (GET) or refused (POST)', async () => {
    for (const path of gets) {
      const res = await agents.anonymous.get(path);
      expect(res.status, path).to.equal(302);
      expect(res.headers.location).to.equal('/sign-in');
    }
    for (const [path] of posts) expect([401, 403], path).to.include((await agents.anonymous.post(path).type('form').send({})).status);
  });
});
