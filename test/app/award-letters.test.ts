// Approving the award and its letters: never by the proposer; by a second buyer or a network admin; two approvals
// racing leave one; every bidder gets a letter in the service and by e-mail with every item its rule-set requires,
// the standstill as standstillEnd computes it, and never another bidder's name, price, rationale or answers.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Award } from '../../models/Award';
import { AwardLetter } from '../../models/AwardLetter';
import { Notification } from '../../models/Notification';
import { formatDate } from '../../routes/admin/helpers';
import { standstillEnd } from '../../server/domain/standstill';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { evaluatedCompetition, EvaluatedFixture, poundsText, proposeTop } from '../support/awards';

const base = (id: string) => `/buyer/competitions/${id}/award`;
const PRICES = [1_234_511, 1_334_522, 1_134_533];

/**
 * What one bidder must never see of the others: names, prices, rationales, answers. The winner's name is in every
 * letter; under PA 2023 the award notice gives the awarded value (the winner's price) and the assessment summary
 * the winner's explanations (Procurement Regulations 2024 reg 31).
 */
function expectNoOtherBidder(text: string, e: EvaluatedFixture, me: number, pa = false, winner = 1) {
  for (const i of [0, 1, 2]) {
    if (i === me) continue;
    if (i !== winner) expect(text, `bidder ${i}'s name`).not.to.contain(e.sentinels[i]);
    if (!(pa && i === winner)) expect(text, `bidder ${i}'s price`).not.to.contain(poundsText(PRICES[i]).slice(1));
    if (!(pa && i === winner)) expect(text, `bidder ${i}'s rationale`).not.to.contain(`rationale ${e.sentinels[i]}`);
  }
  expect(text, 'answers').not.to.contain('Our answer');
}

describe('Award: approval and letters', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('refuses approval by the proposer (403) and accepts a second buyer\u2019s: letters to every bidder in the service and by e-mail', async () => {
    const e = await evaluatedCompetition(t);
    const buyer = await signIn(t, e.fx.buyer);
    const awardId = await proposeTop(e, buyer);
    const own = await buyer.get(`${base(e.fx.id)}/approve`);
    expect(own.status).to.equal(403);
    expect(cheerio.load(own.text)('h1').text()).to.equal('You cannot approve your own proposal');
    expect((await submit(buyer, `${base(e.fx.id)}/approve`, {}, '/account')).status).to.equal(403);
    expect((await Award.findById(awardId).lean())!.status).to.equal('proposed');
    const second = await signIn(t, e.fx.buyer2);
    const page = await second.get(base(e.fx.id));
    expect(cheerio.load(page.text)('#approve-link').attr('href')).to.equal(`${base(e.fx.id)}/approve`);
    const res = await submit(second, `${base(e.fx.id)}/approve`, {});
    expect(res.status).to.equal(303);
    const award = (await Award.findById(awardId).lean())!;
    expect(award.status).to.equal('approved');
    expect(String(award.approvedBy)).to.equal(e.fx.buyer2.id);
    expect(award.lettersSentAt?.getTime()).to.equal(t.clock.now().getTime());
    const letters = await AwardLetter.find({ award: awardId }).lean();
    expect(letters.map((l) => String(l.supplier)).sort()).to.deep.equal(e.fx.suppliers.map((s) => s.organisation).sort());
    expect(letters.filter((l) => l.won).map((l) => String(l.bid))).to.deep.equal([e.bids[1].bidId]);
    for (const [i, s] of e.fx.suppliers.entries()) {
      const mail = t.mailer.sent.filter((m) => m.to === s.email && /Award decision|successful/.test(m.subject));
      expect(mail, `e-mail to bidder ${i}`).to.have.length(1);
      expect(await Notification.countDocuments({ user: s.id, link: `/supplier/opportunities/${e.fx.id}/letter` })).to.equal(1);
      expectNoOtherBidder(mail[0].text, e, i, true);
    }
    expect(await AuditEvent.countDocuments({ action: 'award.approved', targetId: awardId })).to.equal(1);
    const after = cheerio.load((await second.get(base(e.fx.id))).text);
    expect(after('#letters tbody tr')).to.have.length(3);
  });

  it('lets a network admin approve as the second person, from the list of awards awaiting approval', async () => {
    const e = await evaluatedCompetition(t);
    const awardId = await proposeTop(e, await signIn(t, e.fx.buyer));
    const admin = await signIn(t, await createUser('admin'));
    const list = cheerio.load((await admin.get('/admin/awards')).text);
    expect(list(`#awards a[href="/admin/awards/${awardId}"]`)).to.have.length(1);
    const res = await submit(admin, `/admin/awards/${awardId}/approve`, {}, `/admin/awards/${awardId}`);
    expect(res.status).to.equal(303);
    expect((await Award.findById(awardId).lean())!.status).to.equal('approved');
    expect(await AwardLetter.countDocuments({ award: awardId })).to.equal(3);
  });

  it('lets only one of two racing approvals through (the other 409), with one set of letters', async () => {
    const e = await evaluatedCompetition(t);
    const awardId = await proposeTop(e, await signIn(t, e.fx.buyer));
    const second = await signIn(t, e.fx.buyer2);
    const admin = await signIn(t, await createUser('admin'));
    const [ts, ta] = [await csrfFrom(second, `${base(e.fx.id)}/approve`), await csrfFrom(admin, `/admin/awards/${awardId}`)];
    const results = await Promise.all([
      second.post(`${base(e.fx.id)}/approve`).type('form').send({ _csrf: ts }),
      admin.post(`/admin/awards/${awardId}/approve`).type('form').send({ _csrf: ta }),
    ]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([303, 409]);
    expect(await AwardLetter.countDocuments({ award: awardId })).to.equal(3);
    expect(await AuditEvent.countDocuments({ action: 'award.approved', targetId: awardId })).to.equal(1);
  });

  it('PA 2023: each letter is an assessment summary with the award notice, scores per criterion and the 8-working-day standstill', async () => {
    const e = await evaluatedCompetition(t, { ruleSet: 'PA2023_DYNAMIC_MARKET' });
    await proposeTop(e, await signIn(t, e.fx.buyer));
    await submit(await signIn(t, e.fx.buyer2), `${base(e.fx.id)}/approve`, {});
    const expected = standstillEnd('PA2023_DYNAMIC_MARKET', t.clock.now(), 'England');
    expect((await Award.findOne({ competition: e.fx.id }).lean())!.standstill?.end?.getTime()).to.equal(expected.end.getTime());
    for (const i of [0, 2]) {
      const res = await (await signIn(t, e.fx.suppliers[i])).get(`/supplier/opportunities/${e.fx.id}/letter`);
      expect(res.status).to.equal(200);
      const $ = cheerio.load(res.text);
      expect($('h1').text()).to.equal('Assessment summary');
      expect($('#outcome').text()).to.contain(e.names[1]);
      const rows = $('#scores tbody tr');
      expect(rows).to.have.length(3);
      expect(rows.eq(0).text()).to.contain('Approach and delivery').and.match(/Your score.*|out of 60/);
      expect($('#scores thead').text()).to.contain('Your score').and.contain('Winning bid’s score');
      expect($('main').text()).to.contain(`Quality rationale ${e.sentinels[i]}`).and.contain(`Quality rationale ${e.sentinels[1]}`);
      expect($('#notice').text()).to.contain(e.names[1]).and.contain(poundsText(PRICES[1]));
      expect($('#standstill').text()).to.contain(formatDate(expected.end)).and.not.contain('voluntary');
      expectNoOtherBidder($('main').text(), e, i, true);
    }
  });

  it('PCR 2015: each letter gives the criteria, own and winner\u2019s score, the winner, the characteristics and the standstill end', async () => {
    const e = await evaluatedCompetition(t, { ruleSet: 'PCR2015_DPS' });
    await proposeTop(e, await signIn(t, e.fx.buyer), 'Residents led every workshop.');
    await submit(await signIn(t, e.fx.buyer2), `${base(e.fx.id)}/approve`, {});
    const expected = standstillEnd('PCR2015_DPS', t.clock.now(), 'England');
    expect((await Award.findOne({ competition: e.fx.id }).lean())!.standstill).to.deep.include({ required: false });
    const supplier = await signIn(t, e.fx.suppliers[0]);
    const $ = cheerio.load((await supplier.get(`/supplier/opportunities/${e.fx.id}/letter`)).text);
    expect($('h1').text()).to.equal('Award decision');
    const table = $('#scores').text();
    for (const name of ['Approach and delivery', 'Price', 'Social value']) expect(table).to.contain(name);
    // bidder 0: quality 3 of 4 -> 45 of 60; the winner 4 of 4 -> 60 of 60
    expect($('#scores tbody tr').eq(0).text()).to.contain('45 out of 60').and.contain('60 out of 60');
    expect($('#outcome').text()).to.contain(e.names[1]);
    expect($('#characteristics').text()).to.equal('Residents led every workshop.');
    expect($('#standstill').text()).to.contain(formatDate(expected.end)).and.contain('voluntary');
    expect($('#notice')).to.have.length(0);
    expectNoOtherBidder($('main').text(), e, 0);
    expect($('main').text()).not.to.contain(poundsText(PRICES[1]).slice(1));
    const won = cheerio.load((await (await signIn(t, e.fx.suppliers[1])).get(`/supplier/opportunities/${e.fx.id}/letter`)).text);
    expect(won('.govuk-panel__title').text().trim()).to.equal('Your bid was successful');
    expectNoOtherBidder(won('main').text(), e, 1);
  });

  it('shows a supplier only their own letter, records its first reading, and 404s without one', async () => {
    const e = await evaluatedCompetition(t);
    await proposeTop(e, await signIn(t, e.fx.buyer));
    const path = `/supplier/opportunities/${e.fx.id}/letter`;
    const early = await signIn(t, e.fx.suppliers[0]);
    expect((await early.get(path)).status, 'before approval').to.equal(404);
    await submit(await signIn(t, e.fx.buyer2), `${base(e.fx.id)}/approve`, {});
    t.clock.advance(60_000);
    expect((await early.get(path)).status).to.equal(200);
    const mine = await AwardLetter.findOne({ competition: e.fx.id, supplier: e.fx.suppliers[0].organisation }).lean();
    expect(mine!.readAt?.getTime()).to.equal(t.clock.now().getTime());
    expect((await AwardLetter.findOne({ competition: e.fx.id, supplier: e.fx.suppliers[2].organisation }).lean())!.readAt).to.equal(undefined);
    t.clock.advance(60_000);
    await early.get(path);
    expect((await AwardLetter.findById(mine!._id).lean())!.readAt?.getTime()).to.equal(mine!.readAt!.getTime());
    const outsider = await signIn(t, await createUser('supplier'));
    expect((await outsider.get(path)).status).to.equal(404);
    const buyer = await signIn(t, await createUser('buyer'));
    expect((await buyer.get(path)).status).to.equal(403);
  });
});
