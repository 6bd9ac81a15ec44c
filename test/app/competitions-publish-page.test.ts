// Publishing through the buyer's pages: the confirmation (who would be invited now), success, the problems listed
// with links to the sections that fix them (the deadline checked again at publication), a lapsed council refused,
// a second publish refused; and the preview showing what suppliers will see.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Admission } from '../../models/Admission';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { Notification } from '../../models/Notification';
import { Organisation } from '../../models/Organisation';
import { csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { admittedSupplier, competitionFixture } from '../support/competitions';

const DAY = 86_400_000;

describe('Publishing a competition through the pages', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('confirms how many suppliers would be invited now, then publishes to them with a flash', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const f = await competitionFixture(t, { suppliers: 3, publish: false });
    await Admission.updateOne({ supplier: f.suppliers[2].organisation }, { $set: { status: 'suspended' } });
    const agent = await signIn(t, f.buyer);
    const path = `/buyer/competitions/${f.id}/publish`;
    const $ = cheerio.load((await agent.get(path)).text);
    expect($('h1').text()).to.equal('Publish this competition');
    expect($('#invitation-count').text()).to.contain('2 suppliers currently have an active admission').and.contain(`Lot ${f.lot.number}`);
    expect($('.govuk-summary-list').text()).to.contain('Tuesday, 8 December 2026, 10:00am');
    expect($('#publish-problems')).to.have.length(0);

    const res = await submit(agent, path, {});
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/buyer/competitions/${f.id}`);
    const c = (await Competition.findById(f.id).lean())!;
    expect(c.status).to.equal('published');
    expect(c.invited.map(String)).to.have.members([f.suppliers[0].organisation, f.suppliers[1].organisation]);
    expect(c.publishedAt!.toISOString()).to.equal('2026-11-24T10:00:00.000Z');
    const overview = cheerio.load((await agent.get(res.headers.location)).text);
    expect(overview('.govuk-notification-banner--success').text()).to.contain('Published: 2 suppliers invited');
    expect(overview('.govuk-summary-list').first().text()).to.contain('Open for bids');

    // a supplier admitted afterwards is not invited
    const late = await admittedSupplier(f.lot.id, t.clock.now());
    expect((await Competition.findById(f.id).lean())!.invited.map(String)).to.not.include(late.organisation);
  });

  it('a second publish is refused with 409, and two at once publish once', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const path = `/buyer/competitions/${f.id}/publish`;
    const token = await csrfFrom(agent, path);
    const [a, b] = await Promise.all([agent.post(path).type('form').send({ _csrf: token }), agent.post(path).type('form').send({ _csrf: token })]);
    expect([a.status, b.status].sort()).to.deep.equal([303, 409]);
    expect(await AuditEvent.countDocuments({ action: 'competition.published', targetId: f.id })).to.equal(1);
    expect(await Notification.countDocuments({ user: f.suppliers[0].id })).to.equal(1);
    const again = await agent.post(path).type('form').send({ _csrf: token });
    expect(again.status).to.equal(409);
    expect(cheerio.load(again.text)('h1').text()).to.contain('has been published');
  });

  it('a lapsed council cannot publish: 403 with the reason, nothing changed', async () => {
    const f = await competitionFixture(t, { publish: false });
    const agent = await signIn(t, f.buyer);
    const path = `/buyer/competitions/${f.id}/publish`;
    const token = await csrfFrom(agent, path);
    await Organisation.updateOne({ _id: f.buyer.organisation }, { $set: { status: 'lapsed' } });
    const page = await agent.get(path);
    expect(page.status).to.equal(403);
    expect(cheerio.load(page.text)('h1').text()).to.equal('Your council\u2019s membership has lapsed: it cannot publish competitions');
    const res = await agent.post(path).type('form').send({ _csrf: token });
    expect(res.status).to.equal(403);
    expect(cheerio.load(res.text)('h1').text()).to.contain('membership has lapsed');
    const c = (await Competition.findById(f.id).lean())!;
    expect(c.status).to.equal('draft');
    expect(c.invited).to.have.length(0);
    expect(await Notification.countDocuments({ user: f.suppliers[0].id })).to.equal(0);
    expect(await AuditEvent.exists({ action: 'competition.published', targetId: f.id })).to.equal(null);
  });

  it('lists each problem with a link to the section that fixes it (400, not published)', async () => {
    const f = await competitionFixture(t, { publish: false });
    await Competition.updateOne({ _id: f.id }, { $set: { summary: '', questions: [] }, $unset: { deadline: '' } });
    const agent = await signIn(t, f.buyer);
    const path = `/buyer/competitions/${f.id}/publish`;
    const get = cheerio.load((await agent.get(path)).text);
    expect(get('#publish-problems a').map((_i, el) => get(el).attr('href')).get()).to.include(`/buyer/competitions/${f.id}/details#summary`);
    const res = await submit(agent, path, {});
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    const links = $('.govuk-error-summary a').map((_i, el) => [[$(el).attr('href'), $(el).text()]]).get() as unknown as Array<[string, string]>;
    const base = `/buyer/competitions/${f.id}`;
    expect(links).to.deep.include([`${base}/details#summary`, 'Enter a summary of the competition']);
    expect(links).to.deep.include([`${base}/questions#questions`, 'Add at least one question for suppliers to answer']);
    expect(links).to.deep.include([`${base}/deadlines#deadline-day`, 'Enter the submission deadline']);
    expect((await Competition.findById(f.id).lean())!.status).to.equal('draft');
    // each link lands on its field
    expect(cheerio.load((await agent.get(`${base}/details`)).text)('#summary')).to.have.length(1);
    expect(cheerio.load((await agent.get(`${base}/questions`)).text)('#questions')).to.have.length(1);
    expect(cheerio.load((await agent.get(`${base}/deadlines`)).text)('#deadline-day')).to.have.length(1);
  });

  it('checks the deadline again at publication: time passing while drafting makes it too soon', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const f = await competitionFixture(t, { publish: false, deadlineDays: 10 });
    const agent = await signIn(t, f.buyer);
    const overview = cheerio.load((await agent.get(`/buyer/competitions/${f.id}`)).text);
    expect(overview('.govuk-task-list__item').eq(3).find('.govuk-task-list__status').text().trim()).to.equal('Completed');
    t.clock.advance(DAY);
    const later = await signIn(t, f.buyer);
    const stale = cheerio.load((await later.get(`/buyer/competitions/${f.id}`)).text);
    expect(stale('.govuk-task-list__item').eq(3).find('.govuk-task-list__status').text().trim()).to.equal('Incomplete');
    const res = await submit(later, `/buyer/competitions/${f.id}/publish`, {});
    expect(res.status).to.equal(400);
    expect(cheerio.load(res.text)('.govuk-error-summary a[href$="#deadline-day"]').text()).to.contain('Procurement Act 2023 section 54').and.contain('Saturday, 5 December 2026, 10:00am');
    expect((await Competition.findById(f.id).lean())!.status).to.equal('draft');
  });

  it('the preview shows what invited suppliers will see', async () => {
    t.clock.set('2026-11-24T10:00:00Z');
    const f = await competitionFixture(t, { publish: false, title: 'Digital <b>inclusion</b>' });
    const agent = await signIn(t, f.buyer);
    const res = await agent.get(`/buyer/competitions/${f.id}/preview`);
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('.govuk-notification-banner').text()).to.contain('This is a preview');
    expect($('h1').text()).to.equal('Digital <b>inclusion</b>');
    expect(res.text).to.not.contain('<b>inclusion</b>');
    const facts = $('.app-competition-summary .govuk-summary-list').first().text();
    expect(facts).to.contain(f.reference).and.contain(`Lot ${f.lot.number}: ${f.lot.title}`).and.contain('Procurement Act 2023 (dynamic market)').and.contain('\u00a318,000');
    const criteria = $('.app-competition-summary table tbody tr').map((_i, el) => $(el).find('th, td').slice(0, 3).map((_j, c) => $(c).text().trim()).get().join(' | ')).get();
    expect(criteria).to.deep.equal(['Approach and delivery | Quality | 60%', 'Price | Price | 30%', 'Social value | Social value | 10%']);
    const questions = $('.app-competition-questions li').map((_i, el) => $(el).text().replace(/\s+/g, ' ').trim()).get();
    expect(questions[0]).to.contain('Describe your approach to co-design with residents.').and.contain('Scored under Approach and delivery. Up to 500 words.');
    expect($('.app-competition-summary').text()).to.contain('Tuesday, 8 December 2026, 10:00am');
  });
});
