// Cancelling a competition: a reason is required; suppliers are told; it then shows as cancelled and takes nothing
// more. Allowed while published (open or closed) until the tender box is opened.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';

const DAY = 24 * 60 * 60 * 1000;

describe('Cancelling a competition', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });
  beforeEach(() => t.clock.set(new Date()));

  it('needs a reason, and changes nothing without one', async () => {
    const f = await competitionFixture(t);
    t.mailer.sent.length = 0;
    const buyer = await signIn(t, f.buyer);
    const page = cheerio.load((await buyer.get(`/buyer/competitions/${f.id}/cancel`).expect(200)).text);
    expect(page('.govuk-warning-text').text()).to.contain('2 invited suppliers will be told').and.contain('never opened');
    const res = await submit(buyer, `/buyer/competitions/${f.id}/cancel`, { reason: ' ' });
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#reason"]').text()).to.equal('Enter the reason for cancelling');
    expect((await Competition.findById(f.id).lean())!.status).to.equal('published');
    expect(t.mailer.sent).to.have.length(0);
  });

  it('cancels with a reason (posted fields ignored): recorded, audited, every invited supplier told, then shown as cancelled and no longer open', async () => {
    const f = await competitionFixture(t);
    t.mailer.sent.length = 0;
    const buyer = await signIn(t, f.buyer);
    const res = await submit(buyer, `/buyer/competitions/${f.id}/cancel`, { reason: 'The budget was withdrawn', status: 'draft', by: f.suppliers[0].id, at: '2001-01-01T00:00:00Z' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(`/buyer/competitions/${f.id}`);
    const c = await Competition.findById(f.id).lean();
    expect(c!.status).to.equal('cancelled');
    expect(c!.cancellation!.reason).to.equal('The budget was withdrawn');
    expect(c!.cancellation!.at!.getTime()).to.equal(t.clock.now().getTime());
    expect(String(c!.cancellation!.by)).to.equal(f.buyer.id);
    const audit = await AuditEvent.find({ action: 'competition.cancelled', targetId: f.id }).lean();
    expect(audit).to.have.length(1);
    expect((audit[0].details as any).reason).to.equal('The budget was withdrawn');
    const told = t.mailer.sent.filter((m) => m.subject.startsWith('Competition cancelled'));
    expect(told.map((m) => m.to)).to.have.members(f.suppliers.map((s) => s.email));
    for (const m of told) expect(m.text).to.contain('The budget was withdrawn').and.contain('No bids will be opened');

    const supplier = await signIn(t, f.suppliers[0]);
    const $ = cheerio.load((await supplier.get(`/supplier/opportunities/${f.id}`).expect(200)).text);
    expect($('#cancelled').text()).to.contain('cancelled').and.contain('The budget was withdrawn');
    expect($('#status .govuk-tag').first().text().trim()).to.equal('Cancelled');
    expect($('#your-bid')).to.have.length(0);
    expect($('#ask-question')).to.have.length(0);
    const list = cheerio.load((await supplier.get('/supplier/opportunities').expect(200)).text);
    expect(list('tbody tr').first().find('.govuk-tag').first().text().trim()).to.equal('Cancelled');
    expect((await supplier.get(`/supplier/opportunities/${f.id}/questions/new`)).status).to.equal(410);
    // the buyer can change nothing more
    for (const path of ['cancel', 'deadline', 'updates/new']) {
      const r = await buyer.get(`/buyer/competitions/${f.id}/${path}`);
      expect(r.status, path).to.equal(410);
      expect(cheerio.load(r.text)('h1').text()).to.equal('This competition has been cancelled');
    }
    const _csrf = await csrfFrom(buyer, '/buyer');
    expect((await buyer.post(`/buyer/competitions/${f.id}/cancel`).type('form').send({ _csrf, reason: 'Again' })).status).to.equal(410);
    expect(await AuditEvent.countDocuments({ action: 'competition.cancelled', targetId: f.id })).to.equal(1);
  });

  it('can cancel once closed, but not once the tender box has been opened, nor a draft', async () => {
    const closed = await competitionFixture(t);
    const opened = await competitionFixture(t);
    const draft = await competitionFixture(t, { publish: false });
    t.clock.set(new Date(closed.deadline.getTime() + DAY));
    await Competition.updateOne({ _id: opened.id }, { $set: { 'opening.openedAt': t.clock.now() } });
    const buyer = await signIn(t, closed.buyer);
    expect((await submit(buyer, `/buyer/competitions/${closed.id}/cancel`, { reason: 'No longer needed' })).status).to.equal(303);
    expect((await Competition.findById(closed.id).lean())!.status).to.equal('cancelled');

    const openedBuyer = await signIn(t, opened.buyer);
    const r = await openedBuyer.get(`/buyer/competitions/${opened.id}/cancel`);
    expect(r.status).to.equal(409);
    expect(cheerio.load(r.text)('h1').text()).to.equal('The tender box has been opened');
    const draftBuyer = await signIn(t, draft.buyer);
    expect((await draftBuyer.get(`/buyer/competitions/${draft.id}/cancel`)).status).to.equal(409);
    const _csrf = await csrfFrom(draftBuyer, '/buyer');
    expect((await draftBuyer.post(`/buyer/competitions/${draft.id}/cancel`).type('form').send({ _csrf, reason: 'Drop it' })).status).to.equal(409);
    expect((await Competition.findById(opened.id).lean())!.status).to.equal('published');
    expect((await Competition.findById(draft.id).lean())!.status).to.equal('draft');
  });
});
