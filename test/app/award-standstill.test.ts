// After approval: the standstill on the award page; a challenge suspends it (no contract); resolving restarts it
// from the resolution (bidders told) or cancels; cancelling needs a reason, tells the bidders and frees the
// competition for a new proposal; canEnterContract only after the standstill, never while challenged.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Award } from '../../models/Award';
import { formatDate } from '../../routes/admin/helpers';
import { standstillEnd } from '../../server/domain/standstill';
import { canEnterContract } from '../../server/services/awards';
import { resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { evaluatedCompetition, proposeTop } from '../support/awards';

const base = (id: string) => `/buyer/competitions/${id}/award`;
const DAY = 24 * 60 * 60 * 1000;

async function approved(t: TestApp) {
  const e = await evaluatedCompetition(t);
  const buyer = await signIn(t, e.fx.buyer);
  const awardId = await proposeTop(e, buyer);
  const res = await submit(await signIn(t, e.fx.buyer2), `${base(e.fx.id)}/approve`, {});
  if (res.status !== 303) throw new Error(`approval failed with ${res.status}`);
  return { e, buyer, awardId };
}

describe('Award: standstill, challenge and cancellation', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('shows when the standstill ends and whether it is required; the contract waits until after it', async () => {
    const { e, buyer, awardId } = await approved(t);
    const expected = standstillEnd('PA2023_DYNAMIC_MARKET', t.clock.now(), 'England');
    const $ = cheerio.load((await buyer.get(base(e.fx.id))).text);
    expect($('#award').text()).to.contain(`Midnight at the end of ${formatDate(expected.end)}`).and.contain('Standstill required by law').and.contain('Yes');
    expect(await canEnterContract(awardId, t.clock.now())).to.equal(false);
    expect(await canEnterContract(awardId, expected.end)).to.equal(false);
    expect(await canEnterContract(awardId, new Date(expected.end.getTime() + 1))).to.equal(true);
    expect(await canEnterContract('not-an-id', new Date(expected.end.getTime() + 1))).to.equal(false);
  });

  it('refuses a challenge without a note (400); a challenge suspends the standstill; resolving restarts it from then', async () => {
    const { e, buyer, awardId } = await approved(t);
    const empty = await submit(buyer, `${base(e.fx.id)}/challenge`, { note: ' ' }, base(e.fx.id));
    expect(empty.status).to.equal(400);
    expect(cheerio.load(empty.text)('.govuk-error-summary a[href="#note"]').text()).to.equal('Enter a note of the challenge');
    expect((await Award.findById(awardId).lean())!.status).to.equal('approved');
    const first = (await Award.findById(awardId).lean())!.standstill!.end!;
    expect((await submit(buyer, `${base(e.fx.id)}/challenge`, { note: 'Bidder 0 asked for a review.' }, base(e.fx.id))).status).to.equal(303);
    const challenged = (await Award.findById(awardId).lean())!;
    expect(challenged.status).to.equal('challenged');
    expect(challenged.challenge?.note).to.equal('Bidder 0 asked for a review.');
    expect(await canEnterContract(awardId, new Date(first.getTime() + 30 * DAY))).to.equal(false);
    expect(await AuditEvent.countDocuments({ action: 'award.challenged', targetId: awardId })).to.equal(1);
    const page = cheerio.load((await buyer.get(base(e.fx.id))).text);
    expect(page('#award').text()).to.contain('suspended by a challenge');
    expect(page('form[action$="/resolve"]')).to.have.length(1);
    // a second challenge while one is open is refused
    expect((await submit(buyer, `${base(e.fx.id)}/challenge`, { note: 'Again' }, '/account')).status).to.equal(409);
    t.clock.advance(5 * DAY);
    const later = await signIn(t, e.fx.buyer); // the session timed out meanwhile
    const noChoice = await submit(later, `${base(e.fx.id)}/resolve`, { resolution: 'Reviewed.' }, base(e.fx.id));
    expect(noChoice.status).to.equal(400);
    expect(cheerio.load(noChoice.text)('.govuk-error-summary a[href="#outcome"]')).to.have.length(1);
    const mailsBefore = t.mailer.sent.length;
    expect((await submit(later, `${base(e.fx.id)}/resolve`, { outcome: 'reinstate', resolution: 'The scores were checked and stand.' }, base(e.fx.id))).status).to.equal(303);
    const after = (await Award.findById(awardId).lean())!;
    const expected = standstillEnd('PA2023_DYNAMIC_MARKET', t.clock.now(), 'England');
    expect(after.status).to.equal('approved');
    expect(after.standstill!.end!.getTime()).to.equal(expected.end.getTime());
    expect(after.standstill!.end!.getTime()).to.be.greaterThan(first.getTime());
    expect(after.challenge?.resolvedAt?.getTime()).to.equal(t.clock.now().getTime());
    expect(t.mailer.sent.length - mailsBefore).to.equal(3);
    expect(await canEnterContract(awardId, new Date(expected.end.getTime() + 1))).to.equal(true);
    const letter = cheerio.load((await (await signIn(t, e.fx.suppliers[0])).get(`/supplier/opportunities/${e.fx.id}/letter`)).text);
    expect(letter('#standstill-moved').text()).to.contain(formatDate(expected.end));
  });

  it('cancels the award only with a reason: not live, bidders told, audited, and a new award can be proposed', async () => {
    const { e, buyer, awardId } = await approved(t);
    const empty = await submit(buyer, `${base(e.fx.id)}/cancel`, { reason: '' });
    expect(empty.status).to.equal(400);
    expect(cheerio.load(empty.text)('title').text()).to.match(/^Error: /);
    expect((await Award.findById(awardId).lean())!.live).to.equal(true);
    const mailsBefore = t.mailer.sent.length;
    expect((await submit(buyer, `${base(e.fx.id)}/cancel`, { reason: 'The budget was withdrawn.' })).status).to.equal(303);
    const cancelled = (await Award.findById(awardId).lean())!;
    expect(cancelled).to.deep.include({ status: 'cancelled', live: false });
    expect(cancelled.cancellation?.reason).to.equal('The budget was withdrawn.');
    const told = t.mailer.sent.slice(mailsBefore);
    expect(told.map((m) => m.to).sort()).to.deep.equal(e.fx.suppliers.map((s) => s.email).sort());
    expect(told[0].text).to.contain('The budget was withdrawn.');
    expect(await AuditEvent.countDocuments({ action: 'award.cancelled', targetId: awardId })).to.equal(1);
    expect(await canEnterContract(awardId, new Date(Date.UTC(2100, 0, 1)))).to.equal(false);
    const letter = cheerio.load((await (await signIn(t, e.fx.suppliers[2])).get(`/supplier/opportunities/${e.fx.id}/letter`)).text);
    expect(letter('.govuk-warning-text').text()).to.contain('cancelled this award decision');
    const page = cheerio.load((await buyer.get(base(e.fx.id))).text);
    expect(page('h1').text()).to.equal('Propose the award');
    expect(page('#previous-award').text()).to.contain('The budget was withdrawn.');
    expect((await submit(buyer, `${base(e.fx.id)}/cancel`, { reason: 'Again' }, '/account')).status).to.equal(409);
  });

  it('resolving a challenge by cancelling ends the award', async () => {
    const { e, buyer, awardId } = await approved(t);
    await submit(buyer, `${base(e.fx.id)}/challenge`, { note: 'A bidder challenged the price scores.' }, base(e.fx.id));
    expect((await submit(buyer, `${base(e.fx.id)}/resolve`, { outcome: 'cancel', resolution: 'The price scores were wrong.' }, base(e.fx.id))).status).to.equal(303);
    const award = (await Award.findById(awardId).lean())!;
    expect(award).to.deep.include({ status: 'cancelled', live: false });
    expect(award.challenge?.resolvedAt).to.be.instanceOf(Date);
  });
});
