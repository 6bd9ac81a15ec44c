// Entering the contract on an award: refused before standstill ends, while challenged or before approval; over
// £5m needs three KPIs; the PA 2023 details notice is due 30 days after signing; the winning bid's commitments
// (and only the winner's) become contract commitments; the award becomes contracted; all audited.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Award } from '../../models/Award';
import { AuditEvent } from '../../models/AuditEvent';
import { Contract } from '../../models/Contract';
import { SocialValueCommitment } from '../../models/SocialValueCommitment';
import { resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { awardedCompetition, contractForm, dateFields, enterContractAs } from '../support/contracts';

const DAY = 24 * 60 * 60 * 1000;

describe('Contracts: entering the contract', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('shows the form once standstill has ended, and enters the contract with the winner\'s commitments only', async () => {
    const a = await awardedCompetition(t);
    const buyer = await signIn(t, a.fx.buyer);
    const form = await buyer.get(`/buyer/contracts/from-award/${a.awardId}`);
    expect(form.status).to.equal(200);
    const $ = cheerio.load(form.text);
    expect($('h1').text()).to.equal('Enter the contract');
    expect($('#value').val()).to.equal('12000');
    expect($('.govuk-inset-text').text()).to.include('contract details notice within 30 days');
    // the list offers the award
    expect(cheerio.load((await buyer.get('/buyer/contracts')).text)(`a[href="/buyer/contracts/from-award/${a.awardId}"]`).length).to.equal(1);

    const id = await enterContractAs(buyer, a.awardId, contractForm(t, '12000', 2));
    const contract = await Contract.findById(id).lean();
    expect(contract!.valuePence).to.equal(1_200_000);
    expect(contract!.kpis.map((k) => k.name)).to.deep.equal(['KPI number 1', 'KPI number 2']);
    expect(String(contract!.supplier)).to.equal(a.bids[1].supplier);
    expect((await Award.findById(a.awardId).lean())!.status).to.equal('contracted');

    const commitments = await SocialValueCommitment.find({ contract: id }).lean();
    expect(commitments).to.have.length(1);
    expect(commitments[0].description).to.equal('Local jobs bid1');
    expect([commitments[0].code, commitments[0].unit, commitments[0].quantity, commitments[0].proxyValuePence, commitments[0].proxyYear]).to.deep.equal(['NT1', 'FTE', 1.5, 3_000_000, 2026]);
    expect(commitments[0].dueBy.getTime()).to.equal(contract!.end.getTime());
    expect(await SocialValueCommitment.countDocuments({ description: /bid0|bid2/ })).to.equal(0);

    const page = await buyer.get(`/buyer/contracts/${id}`);
    expect(page.text).not.to.include('bid0');
    expect(page.text).not.to.include('bid2');
    const events = await AuditEvent.find({ action: trustedIn(['contract.entered', 'bid.read']) }).lean();
    expect(events.map((e) => e.action)).to.include.members(['contract.entered', 'bid.read']);
    expect(events.find((e) => e.action === 'bid.read')!.targetId).to.equal(a.bids[1].bidId);
  });

  it('under PA 2023 the details notice is due 30 days after signing; the buyer marks it published', async () => {
    const a = await awardedCompetition(t);
    const buyer = await signIn(t, a.fx.buyer);
    const signed = new Date(t.clock.now().getTime() - DAY);
    const id = await enterContractAs(buyer, a.awardId, { ...contractForm(t), ...dateFields('signed', signed) });
    const c = await Contract.findById(id).lean();
    const signedDate = Date.UTC(signed.getUTCFullYear(), signed.getUTCMonth(), signed.getUTCDate());
    expect(c!.detailsNoticeDueBy!.getTime()).to.equal(signedDate + 30 * DAY);
    let $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect($('.govuk-warning-text').text()).to.include('contract details notice is due by');
    const res = await submit(buyer, `/buyer/contracts/${id}/details-notice`, {}, `/buyer/contracts/${id}`);
    expect(res.status).to.equal(303);
    $ = cheerio.load((await buyer.get(`/buyer/contracts/${id}`)).text);
    expect($('main').text()).to.include('Recorded as published on');
    expect(await AuditEvent.countDocuments({ action: 'contract.details-notice-published', targetId: id })).to.equal(1);
  });

  it('refuses entry before standstill ends (409 with the end), and nothing is written', async () => {
    const a = await awardedCompetition(t, { standstillEndsIn: 2 * DAY });
    const buyer = await signIn(t, a.fx.buyer);
    const get = await buyer.get(`/buyer/contracts/from-award/${a.awardId}`);
    expect(get.status).to.equal(409);
    expect(cheerio.load(get.text)('main').text()).to.include('The standstill period has not ended');
    const post = await submit(buyer, `/buyer/contracts/from-award/${a.awardId}`, contractForm(t), '/buyer/contracts');
    expect(post.status).to.equal(409);
    expect(await Contract.countDocuments({ award: a.awardId })).to.equal(0);
    // once the clock passes the end, it is allowed
    t.clock.set(new Date(a.standstillEnd.getTime() + 60_000));
    expect((await (await signIn(t, a.fx.buyer)).get(`/buyer/contracts/from-award/${a.awardId}`)).status).to.equal(200);
  });

  it('refuses entry while the award is challenged, or not yet approved', async () => {
    for (const status of ['challenged', 'proposed'] as const) {
      const a = await awardedCompetition(t, { status });
      const buyer = await signIn(t, a.fx.buyer);
      const res = await submit(buyer, `/buyer/contracts/from-award/${a.awardId}`, contractForm(t), '/buyer/contracts');
      expect(res.status, status).to.equal(409);
      expect(cheerio.load(res.text)('main').text()).to.include(status === 'challenged' ? 'has been challenged' : 'has not been approved');
      expect(await Contract.countDocuments({ award: a.awardId })).to.equal(0);
      expect((await Award.findById(a.awardId).lean())!.status).to.equal(status);
    }
  });

  it('over £5m needs at least three KPIs: two are refused with a clear message, three are accepted', async () => {
    const a = await awardedCompetition(t);
    const buyer = await signIn(t, a.fx.buyer);
    const res = await submit(buyer, `/buyer/contracts/from-award/${a.awardId}`, contractForm(t, '5000000.01', 2));
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#kpi-1-name"]').text()).to.include('over £5 million need at least 3 key performance indicators');
    expect(await Contract.countDocuments({ award: a.awardId })).to.equal(0);
    // exactly £5m is not over £5m
    const b = await awardedCompetition(t);
    const buyerB = await signIn(t, b.fx.buyer);
    expect((await submit(buyerB, `/buyer/contracts/from-award/${b.awardId}`, contractForm(t, '5000000', 0))).status).to.equal(303);
    const id = await enterContractAs(await signIn(t, a.fx.buyer), a.awardId, contractForm(t, '5000000.01', 3));
    expect((await Contract.findById(id).lean())!.kpis).to.have.length(3);
  });

  it('validates dates, value and KPI pairs (400, error summary linking to fields, nothing written)', async () => {
    const a = await awardedCompetition(t);
    const buyer = await signIn(t, a.fx.buyer);
    const now = t.clock.now();
    const res = await submit(buyer, `/buyer/contracts/from-award/${a.awardId}`, {
      ...contractForm(t), 'signed-day': '31', 'signed-month': '2', value: 'lots', 'kpi-1-name': 'Only a name',
    });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('.govuk-error-summary a[href="#signed-day"]').length).to.equal(1);
    expect($('.govuk-error-summary a[href="#value"]').length).to.equal(1);
    expect($('.govuk-error-summary a[href="#kpi-1-target"]').length).to.equal(1);
    expect($('#value').val()).to.equal('lots');
    const later = await submit(buyer, `/buyer/contracts/from-award/${a.awardId}`, {
      ...contractForm(t), ...dateFields('signed', new Date(now.getTime() + 3 * DAY)), ...dateFields('end', new Date(now.getTime() + 10 * DAY)),
    });
    expect(later.status).to.equal(400);
    const $2 = cheerio.load(later.text);
    expect($2('.govuk-error-summary').text()).to.include('today or in the past');
    expect($2('.govuk-error-summary').text()).to.include('end date must be after the start date');
    expect(await Contract.countDocuments({ award: a.awardId })).to.equal(0);
  });

  it('a second entry on the same award goes to the existing contract; two at once make exactly one', async () => {
    const a = await awardedCompetition(t);
    const buyer = await signIn(t, a.fx.buyer);
    const buyer2 = await signIn(t, a.fx.buyer2);
    const path = `/buyer/contracts/from-award/${a.awardId}`;
    const [r1, r2] = await Promise.all([submit(buyer, path, contractForm(t)), submit(buyer2, path, contractForm(t))]);
    // the loser is sent to the contract the winner entered (303) or told it is already entered (409)
    expect([r1.status, r2.status]).to.include(303);
    for (const r of [r1, r2]) expect([303, 409]).to.include(r.status);
    expect(await Contract.countDocuments({ award: a.awardId })).to.equal(1);
    expect(await SocialValueCommitment.countDocuments({ contract: (await Contract.findOne({ award: a.awardId }).lean())!._id })).to.equal(1);
    const again = await buyer.get(path);
    expect(again.status).to.equal(303);
  });
});

function trustedIn(values: string[]) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('mongoose').trusted({ $in: values });
}
