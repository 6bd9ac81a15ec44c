// KPI ratings and the 12-month rule with the clock; access: another council's buyer and another supplier get 404
// on every contract page and action (nothing written); admins and the wrong role get 403.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Contract } from '../../models/Contract';
import { SocialValueCommitment } from '../../models/SocialValueCommitment';
import { SocialValueReport } from '../../models/SocialValueReport';
import { AuditEvent } from '../../models/AuditEvent';
import { kpiState } from '../../server/services/contracts';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { awardedCompetition, contractForm, enterContractAs } from '../support/contracts';

const DAY = 24 * 60 * 60 * 1000;

describe('Contracts: KPI ratings and access', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('kpiState: due 12 months after the last rating (or the start); overdue only after that', () => {
    const start = new Date('2027-01-31T00:00:00Z');
    expect(kpiState([], start, new Date('2028-01-30T23:59:59Z')).overdue).to.equal(false);
    expect(kpiState([], start, new Date('2028-01-31T00:00:01Z')).overdue).to.equal(true);
    const ratings = [{ rating: 'Good', at: new Date('2027-06-15T10:00:00Z') }, { rating: 'Inadequate', at: new Date('2027-03-01T10:00:00Z') }];
    const s = kpiState(ratings, start, new Date('2028-06-15T09:00:00Z'));
    expect(s.lastRating!.rating).to.equal('Good');
    expect(s.dueBy.toISOString()).to.equal('2028-06-15T10:00:00.000Z');
    expect(s.overdue).to.equal(false);
    expect(kpiState(ratings, start, new Date('2028-06-15T10:00:01Z')).overdue).to.equal(true);
  });

  it('the buyer rates a KPI with a comment; after 12 months without a rating the page flags it', async () => {
    const a = await awardedCompetition(t);
    let buyer = await signIn(t, a.fx.buyer);
    const id = await enterContractAs(buyer, a.awardId, contractForm(t, '12000', 2));
    const [k1, k2] = (await Contract.findById(id).lean())!.kpis.map((k) => String(k._id));
    const empty = await submit(buyer, `/buyer/contracts/${id}/kpis/${k1}/rate`, { comment: 'x' });
    expect(empty.status).to.equal(400);
    expect(cheerio.load(empty.text)('.govuk-error-summary a[href="#rating"]').text()).to.equal('Select a rating');
    const bogus = await submit(buyer, `/buyer/contracts/${id}/kpis/${k1}/rate`, { rating: 'Excellent' });
    expect(bogus.status).to.equal(400);
    expect((await submit(buyer, `/buyer/contracts/${id}/kpis/${k1}/rate`, { rating: 'Approaching target', comment: 'Two of three sessions ran' })).status).to.equal(303);
    let $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect($('#kpis').nextAll('table').first().text()).to.include('Approaching target');
    expect($('main').text()).not.to.include('Rating overdue');
    expect(await AuditEvent.countDocuments({ action: 'contract.kpi-rated', targetId: id })).to.equal(1);

    // over 13 months after the start (30 days after signing): both are overdue; rating one clears its flag
    t.clock.advance(30 * DAY + 400 * DAY);
    buyer = await signIn(t, a.fx.buyer);
    $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect($('main .govuk-tag:contains("Rating overdue")').length).to.equal(2);
    expect($('.govuk-warning-text').text()).to.include('2 KPIs have not been rated in the last 12 months');
    await submit(buyer, `/buyer/contracts/${id}/kpis/${k2}/rate`, { rating: 'Good', comment: '' });
    $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect($('main .govuk-tag:contains("Rating overdue")').length).to.equal(1);
    // the supplier sees the ratings but cannot rate
    const supplier = await signIn(t, a.fx.suppliers[a.winner]);
    const s = cheerio.load((await supplier.get(`/supplier/contracts/${id}`)).text);
    expect(s('main').text()).to.include('Approaching target');
    expect(s(`a[href*="/kpis/"]`).length).to.equal(0);
  });

  it('another council\'s buyer gets 404 on every contract page and action, and nothing changes', async () => {
    const a = await awardedCompetition(t);
    const owner = await signIn(t, a.fx.buyer);
    const id = await enterContractAs(owner, a.awardId, contractForm(t, '12000', 1));
    const contract = (await Contract.findById(id).lean())!;
    const kpi = String(contract.kpis[0]._id);
    const commitment = String((await SocialValueCommitment.findOne({ contract: id }).lean())!._id);
    const supplier = await signIn(t, a.fx.suppliers[a.winner]);
    const path = `/supplier/contracts/${id}/reports/new`;
    await supplier.post(path).field('_csrf', await csrfFrom(supplier, path)).field('commitment', commitment).field('start-day', '1').field('start-month', '1').field('start-year', '2027')
      .field('end-day', '2').field('end-month', '1').field('end-year', '2027').field('quantity', '1').field('narrative', 'Done');
    const report = String((await SocialValueReport.findOne({ contract: id }).lean())!._id);

    const other = await signIn(t, await createUser('buyer'));
    for (const p of ['', '/chart.svg', `/kpis/${kpi}/rate`, `/reports/${report}`, `/commitments/${commitment}/due-date`]) {
      expect((await other.get(`/buyer/contracts/${id}${p}`)).status, p).to.equal(404);
    }
    expect((await other.get(`/buyer/contracts/from-award/${a.awardId}`)).status).to.equal(404);
    const token = await csrfFrom(other, '/buyer/contracts');
    const posts: Array<[string, Record<string, string>]> = [
      [`/${id}/kpis/${kpi}/rate`, { rating: 'Inadequate' }], [`/${id}/reports/${report}`, { verdict: 'accepted' }],
      [`/${id}/commitments/${commitment}/due-date`, { 'due-day': '1', 'due-month': '1', 'due-year': '2030' }], [`/${id}/details-notice`, {}],
      [`/from-award/${a.awardId}`, contractForm(t)],
    ];
    for (const [p, fields] of posts) expect((await other.post(`/buyer/contracts${p}`).type('form').send({ ...fields, _csrf: token })).status, p).to.equal(404);
    const after = (await Contract.findById(id).lean())!;
    expect(after.kpis[0].ratings).to.have.length(0);
    expect(after.detailsNoticePublishedAt ?? null).to.equal(null);
    expect((await SocialValueReport.findById(report).lean())!.verification!.status).to.equal('awaiting');
    expect(cheerio.load((await other.get('/buyer/contracts')).text)('main').text()).not.to.include(contract.title);

    // another supplier (even one that bid) gets 404 on the contract, its chart and reporting
    const loser = await signIn(t, a.fx.suppliers[0]);
    for (const p of ['', '/chart.svg', '/reports/new']) expect((await loser.get(`/supplier/contracts/${id}${p}`)).status, p).to.equal(404);
    const lt = await csrfFrom(loser, '/supplier/contracts');
    expect((await loser.post(path).field('_csrf', lt).field('commitment', commitment).field('quantity', '5').field('narrative', 'x')).status).to.equal(404);
    expect(await SocialValueReport.countDocuments({ contract: id })).to.equal(1);
    expect(cheerio.load((await loser.get('/supplier/contracts')).text)('main').text()).not.to.include(contract.title);
  });

  it('roles: suppliers and admins get 403 on the buyer\'s contract pages, buyers and admins on the supplier\'s', async () => {
    const a = await awardedCompetition(t);
    const buyer = await signIn(t, a.fx.buyer);
    const id = await enterContractAs(buyer, a.awardId, contractForm(t));
    const supplier = await signIn(t, a.fx.suppliers[a.winner]);
    const admin = await signIn(t, await createUser('admin'));
    for (const agent of [supplier, admin]) {
      for (const p of ['/buyer/contracts', `/buyer/contracts/${id}`, `/buyer/contracts/from-award/${a.awardId}`]) expect((await agent.get(p)).status, p).to.equal(403);
    }
    for (const agent of [buyer, admin]) {
      for (const p of ['/supplier/contracts', `/supplier/contracts/${id}`, `/supplier/contracts/${id}/reports/new`]) expect((await agent.get(p)).status, p).to.equal(403);
    }
    expect((await supplier.get('/supplier/contracts')).status).to.equal(200);
    expect((await buyer.get('/buyer/contracts/not-an-id')).status).to.equal(404);
  });
});
