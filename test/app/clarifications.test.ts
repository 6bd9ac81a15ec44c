// Clarifications: a supplier asks before the clarification deadline; the council answers to every invited supplier
// without the asker; general updates; late substantial information proposes a longer deadline.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Clarification } from '../../models/Clarification';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { formatDeadline } from '../../server/services/competitions';
import { csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture, CompetitionFixture } from '../support/competitions';

const DAY = 24 * 60 * 60 * 1000;
const ASKER_ORG = 'Asker Sentinel Co-operative Ltd';
const ASKER_NAME = 'Quentin Askwith';

/** A fixture whose first supplier has recognisable names, so their absence can be checked. */
async function namedFixture(t: TestApp, suppliers = 3): Promise<CompetitionFixture> {
  const f = await competitionFixture(t, { suppliers });
  await Organisation.updateOne({ _id: f.suppliers[0].organisation }, { $set: { name: ASKER_ORG } });
  await User.updateOne({ _id: f.suppliers[0].id }, { $set: { name: ASKER_NAME } });
  t.mailer.sent.length = 0; // the invitations
  return f;
}

async function ask(t: TestApp, f: CompetitionFixture, question: string, extra: Record<string, string> = {}) {
  const agent = await signIn(t, f.suppliers[0]);
  return submit(agent, `/supplier/opportunities/${f.id}/questions/new`, { question, ...extra });
}

/** Answers as the buyer (signed in unless an agent is given: a second sign-in in the same 30 s would replay the code). */
async function answer(t: TestApp, f: CompetitionFixture, cid: string, fields: Record<string, string>, signedIn?: request.Agent): Promise<{ agent: request.Agent; res: request.Response }> {
  const agent = signedIn ?? await signIn(t, f.buyer);
  const res = await submit(agent, `/buyer/competitions/${f.id}/clarifications/${cid}/answer`, fields);
  return { agent, res };
}

describe('Clarifications', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });
  beforeEach(() => {
    t.clock.set(new Date());
    t.mailer.sent.length = 0;
  });

  it('records a question from the supplier (posted status, asker and time ignored) and tells the council\u2019s buyers without naming the supplier', async () => {
    const f = await namedFixture(t);
    const other = f.suppliers[1];
    const res = await ask(t, f, 'Is there a budget for venue hire?', { status: 'published', askedBy: other.organisation, askedByUser: other.id, askedAt: '2001-01-01T00:00:00Z', publishedQuestion: 'Injected' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/supplier/opportunities/${f.id}#questions`);
    const stored = await Clarification.find({ competition: f.id }).lean();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ kind: 'question', status: 'awaiting answer', question: 'Is there a budget for venue hire?' });
    expect(String(stored[0].askedBy)).to.equal(f.suppliers[0].organisation);
    expect(String(stored[0].askedByUser)).to.equal(f.suppliers[0].id);
    expect(stored[0].askedAt!.getTime()).to.equal(t.clock.now().getTime());
    expect(stored[0].publishedQuestion).to.equal(undefined);
    expect(await AuditEvent.countDocuments({ action: 'clarification.asked', targetId: String(stored[0]._id) })).to.equal(1);

    const toBuyers = t.mailer.sent.filter((m) => m.subject.startsWith('Clarification question to answer'));
    expect(toBuyers.map((m) => m.to)).to.have.members([f.buyer.email, f.buyer2.email]);
    for (const m of toBuyers) expect(m.subject).not.to.contain(ASKER_ORG).and.not.to.contain(ASKER_NAME);
    expect(t.mailer.sent.filter((m) => f.suppliers.some((s) => s.email === m.to))).to.have.length(0);

    // the asker sees it awaiting an answer
    const page = cheerio.load((await (await signIn(t, f.suppliers[0])).get(`/supplier/opportunities/${f.id}`)).text);
    expect(page('.app-own-question').text()).to.contain('Is there a budget for venue hire?').and.contain('Awaiting an answer');
    // the buyer sees who asked
    const buyerPage = cheerio.load((await (await signIn(t, f.buyer)).get(`/buyer/competitions/${f.id}/clarifications`).expect(200)).text);
    expect(buyerPage('#awaiting').next().text()).to.contain(ASKER_ORG).and.contain('Is there a budget for venue hire?');
  });

  it('refuses an empty or over-long question with the error summary, and writes nothing', async () => {
    const f = await namedFixture(t, 1);
    for (const question of ['   ', 'x'.repeat(5001)]) {
      const res = await ask(t, f, question);
      expect(res.status).to.equal(400);
      const $ = cheerio.load(res.text);
      expect($('title').text()).to.match(/^Error: /);
      expect($('.govuk-error-summary a[href="#question"]')).to.have.length(1);
      expect($('#question-error').text()).to.contain(question.trim() ? '5000 characters or fewer' : 'Enter your question');
    }
    expect(await Clarification.countDocuments({ competition: f.id })).to.equal(0);
  });

  it('refuses a question at the clarification deadline (409) and after it, and says so on the page', async () => {
    const f = await namedFixture(t, 1);
    const { Competition } = await import('../../models/Competition');
    const c = await Competition.findById(f.id).lean();
    // one millisecond before: still allowed
    t.clock.set(new Date(c!.clarificationDeadline!.getTime() - 1));
    expect((await ask(t, f, 'Just in time?')).status).to.equal(303);
    for (const at of [c!.clarificationDeadline!.getTime(), c!.clarificationDeadline!.getTime() + DAY]) {
      t.clock.set(new Date(at));
      const agent = await signIn(t, f.suppliers[0]);
      const get = await agent.get(`/supplier/opportunities/${f.id}/questions/new`);
      expect(get.status).to.equal(409);
      expect(cheerio.load(get.text)('h1').text()).to.equal('The deadline for questions has passed');
      const _csrf = await csrfFrom(agent, `/supplier/opportunities/${f.id}`);
      const post = await agent.post(`/supplier/opportunities/${f.id}/questions/new`).type('form').send({ _csrf, question: 'Too late?' });
      expect(post.status).to.equal(409);
      const page = cheerio.load((await agent.get(`/supplier/opportunities/${f.id}`)).text);
      expect(page('#ask-question')).to.have.length(0);
      expect(page('#questions-closed').text()).to.contain('has passed');
    }
    expect(await Clarification.countDocuments({ competition: f.id })).to.equal(1);
  });

  it('publishes the answer to every invited supplier without the asker: neither the page nor any e-mail names them', async () => {
    const f = await namedFixture(t);
    await ask(t, f, `We are ${ASKER_ORG}. Can we subcontract the workshops?`);
    const q = await Clarification.findOne({ competition: f.id }).lean();
    const buyer = await signIn(t, f.buyer);
    const form = cheerio.load((await buyer.get(`/buyer/competitions/${f.id}/clarifications/${q!._id}/answer`).expect(200)).text);
    expect(form('#publishedQuestion').text()).to.equal(`We are ${ASKER_ORG}. Can we subcontract the workshops?`);
    t.mailer.sent.length = 0;
    const { res } = await answer(t, f, String(q!._id), { publishedQuestion: 'Can suppliers subcontract the workshops?', answer: 'Yes, with our agreement.', substantial: 'no', askedBy: f.suppliers[1].organisation, status: 'declined' }, buyer);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/buyer/competitions/${f.id}/clarifications/${q!._id}/published`);
    const stored = await Clarification.findById(q!._id).lean();
    expect(stored).to.include({ status: 'published', publishedQuestion: 'Can suppliers subcontract the workshops?', answer: 'Yes, with our agreement.', substantial: false });
    expect(String(stored!.askedBy)).to.equal(f.suppliers[0].organisation);
    expect(stored!.publishedAt!.getTime()).to.equal(t.clock.now().getTime());
    expect(await AuditEvent.countDocuments({ action: 'clarification.published', targetId: String(q!._id) })).to.equal(1);

    // every invited supplier, the asker included, is told; no message carries the asker's names or address
    const published = t.mailer.sent.filter((m) => m.subject.startsWith('Clarification published'));
    expect(published.map((m) => m.to)).to.have.members(f.suppliers.map((s) => s.email));
    for (const m of published) {
      expect(m.text).to.contain('Can suppliers subcontract the workshops?').and.contain('Yes, with our agreement.');
      for (const secret of [ASKER_ORG, ASKER_NAME, f.suppliers[0].email]) {
        expect(m.subject).not.to.contain(secret);
        expect(m.text).not.to.contain(secret);
      }
    }
    // another supplier's page shows it, without the asker
    const html = (await (await signIn(t, f.suppliers[1])).get(`/supplier/opportunities/${f.id}`).expect(200)).text;
    const $ = cheerio.load(html);
    expect($('.app-clarification h4').text()).to.equal('Can suppliers subcontract the workshops?');
    expect($('.app-clarification').text()).to.contain('Yes, with our agreement.');
    for (const secret of [ASKER_ORG, ASKER_NAME, f.suppliers[0].email]) expect(html).not.to.contain(secret);
    // answering twice is refused
    const again = await answer(t, f, String(q!._id), { publishedQuestion: 'Again', answer: 'Again', substantial: 'no' }, buyer);
    expect(again.res.status).to.equal(409);
  });

  it('refuses an incomplete answer with errors against each field, and publishes nothing', async () => {
    const f = await namedFixture(t, 1);
    await ask(t, f, 'What is the budget?');
    const q = await Clarification.findOne({ competition: f.id }).lean();
    t.mailer.sent.length = 0;
    const { res } = await answer(t, f, String(q!._id), { publishedQuestion: ' ', answer: '' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a').map((_i, a) => $(a).attr('href')).get()).to.deep.equal(['#publishedQuestion', '#answer', '#substantial']);
    expect((await Clarification.findById(q!._id).lean())!.status).to.equal('awaiting answer');
    expect(t.mailer.sent).to.have.length(0);
  });

  it('proposes a longer deadline for substantial information less than 6 days before the deadline, with the right date', async () => {
    const f = await namedFixture(t, 2);
    await ask(t, f, 'Will you share the survey data?');
    const q = await Clarification.findOne({ competition: f.id }).lean();
    t.clock.set(new Date(f.deadline.getTime() - 5 * DAY));
    const { agent, res } = await answer(t, f, String(q!._id), { publishedQuestion: 'Will you share the survey data?', answer: 'Yes: it is attached and changes the scope.', substantial: 'yes' });
    expect(res.status).to.equal(303);
    const proposed = new Date(t.clock.now().getTime() + 6 * DAY);
    const $ = cheerio.load((await agent.get(res.headers.location).expect(200)).text);
    expect($('#extension-proposal').text()).to.contain(formatDeadline(proposed)).and.contain(formatDeadline(f.deadline));
    const href = $('#extend-deadline').attr('href')!;
    expect(href).to.equal(`/buyer/competitions/${f.id}/deadline?proposed=${encodeURIComponent(proposed.toISOString())}`);
    // the deadline form comes prefilled with it
    const form = cheerio.load((await agent.get(href).expect(200)).text);
    const { londonParts, londonTimeText } = await import('../../server/domain/competitionForms');
    const p = londonParts(proposed);
    expect([form('#deadline-day').val(), form('#deadline-month').val(), form('#deadline-year').val(), form('#deadline-time').val()]).to.deep.equal([String(p.day), String(p.month), String(p.year), londonTimeText(proposed)]);
  });

  it('proposes nothing at 6 days or more before the deadline, or for information that is not substantial', async () => {
    const f = await namedFixture(t, 1);
    let agent: request.Agent | undefined;
    const buyerAt = async (at: Date, fields: Record<string, string>, signInAgain: boolean) => {
      t.clock.set(at);
      if (signInAgain || !agent) agent = await signIn(t, f.buyer);
      const res = await submit(agent, `/buyer/competitions/${f.id}/updates/new`, fields);
      expect(res.status).to.equal(303);
      return cheerio.load((await agent.get(res.headers.location).expect(200)).text);
    };
    const exactlySix = await buyerAt(new Date(f.deadline.getTime() - 6 * DAY), { title: 'New data', text: 'Survey data attached.', substantial: 'yes' }, true);
    expect(exactlySix('h1').text()).to.equal('Update published');
    expect(exactlySix('#extension-proposal')).to.have.length(0);
    // one millisecond inside the 6 days, substantial: proposed
    const inside = await buyerAt(new Date(f.deadline.getTime() - 6 * DAY + 1), { title: 'Scope change', text: 'A seventh workshop.', substantial: 'yes' }, false);
    expect(inside('#extension-proposal')).to.have.length(1);
    const late = await buyerAt(new Date(f.deadline.getTime() - 2 * DAY), { title: 'Room change', text: 'The briefing moves to room 2.', substantial: 'no' }, true);
    expect(late('#extension-proposal')).to.have.length(0);
  });

  it('publishes a general update to every invited supplier, validated first', async () => {
    const f = await namedFixture(t, 2);
    const agent = await signIn(t, f.buyer);
    const bad = await submit(agent, `/buyer/competitions/${f.id}/updates/new`, { title: '', text: '' });
    expect(bad.status).to.equal(400);
    expect(cheerio.load(bad.text)('.govuk-error-summary a').map((_i, a) => cheerio.load(bad.text)(a).attr('href')).get()).to.deep.equal(['#title', '#text', '#substantial']);
    expect(await Clarification.countDocuments({ competition: f.id })).to.equal(0);
    const ok = await submit(agent, `/buyer/competitions/${f.id}/updates/new`, { title: 'Site visit', text: 'A site visit is on Monday at 10am.', substantial: 'no', status: 'declined' });
    expect(ok.status).to.equal(303);
    const u = await Clarification.findOne({ competition: f.id }).lean();
    expect(u).to.include({ kind: 'update', status: 'published', publishedQuestion: 'Site visit' });
    expect(t.mailer.sent.filter((m) => m.subject.startsWith('Update: Site visit')).map((m) => m.to)).to.have.members(f.suppliers.map((s) => s.email));
    const $ = cheerio.load((await (await signIn(t, f.suppliers[1])).get(`/supplier/opportunities/${f.id}`)).text);
    expect($('.app-clarification h4').text()).to.equal('Update: Site visit');
  });

  it('refuses to publish answers or updates once the submission deadline has passed (409)', async () => {
    const f = await namedFixture(t, 1);
    await ask(t, f, 'A late question?');
    const q = await Clarification.findOne({ competition: f.id }).lean();
    t.clock.set(f.deadline);
    const agent = await signIn(t, f.buyer);
    const page = await agent.get(`/buyer/competitions/${f.id}/clarifications/${q!._id}/answer`);
    expect(page.status).to.equal(409);
    expect(cheerio.load(page.text)('h1').text()).to.equal('The submission deadline has passed');
    const _csrf = await csrfFrom(agent, `/buyer/competitions/${f.id}/clarifications`);
    const post = await agent.post(`/buyer/competitions/${f.id}/clarifications/${q!._id}/answer`).type('form').send({ _csrf, publishedQuestion: 'Q', answer: 'A', substantial: 'no' });
    expect(post.status).to.equal(409);
    expect((await agent.get(`/buyer/competitions/${f.id}/updates/new`)).status).to.equal(409);
    expect((await Clarification.findById(q!._id).lean())!.status).to.equal('awaiting answer');
    const list = cheerio.load((await agent.get(`/buyer/competitions/${f.id}/clarifications`).expect(200)).text);
    expect(list('#publishing-closed').text()).to.contain('deadline has passed');
    expect(list('#publish-update')).to.have.length(0);
  });
});
