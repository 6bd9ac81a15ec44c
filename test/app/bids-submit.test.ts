// Submitting a bid: the receipt (server time, SHA-256 fingerprint that recomputes from the opened content),
// posted receipt fields ignored, completeness, resubmitting supersedes, withdrawing, and a double submit.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { AuditEvent } from '../../models/AuditEvent';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { Notification } from '../../models/Notification';
import { bidAad, BidContent, fingerprint } from '../../server/domain/bidContent';
import { resetDatabase, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { competitionFixture, testKeyring } from '../support/competitions';
import { bidUrl, saveAnswers, savePrice, submitBidThroughRoutes, submitFromReview } from '../support/bids';

async function bidOf(competitionId: string, supplier: TestUser) {
  return (await Bid.findOne({ competition: competitionId, supplier: supplier.organisation } as any).lean())!;
}

async function openVersion(competitionId: string, supplier: TestUser, n: number): Promise<BidContent> {
  const bid = await bidOf(competitionId, supplier);
  const c = await Competition.findById(competitionId).lean();
  const v = bid.versions.find((x) => x.n === n)!;
  return testKeyring().openJson<BidContent>({ id: competitionId, wrappedKey: c!.sealing!.wrappedKey as any }, bidAad(String(bid._id), n), v.sealed as any);
}

describe('Bids: submitting, replacing and withdrawing', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('gives a receipt with the server time and a fingerprint that recomputes from the opened content; posted receipt fields are ignored', async () => {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    const agent = await signIn(t, supplier);
    await saveAnswers(agent, f.id, ['Our approach.', 'Local social value.']);
    await savePrice(agent, f.id, '15000');
    // a receipt time with milliseconds, well before the deadline
    t.clock.advance(10 * 60 * 1000 + 123);
    const now = t.clock.now();
    const res = await submitFromReview(agent, f.id, { receivedAt: '2020-01-01T00:00:00.000Z', status: 'superseded', supplier: f.suppliers[1].organisation, fingerprint: 'f'.repeat(64), n: '7' });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(bidUrl(f.id, '/receipts/1'));

    const bid = await bidOf(f.id, supplier);
    expect(String(bid.supplier)).to.equal(supplier.organisation);
    expect(bid.versions).to.have.length(1);
    const v = bid.versions[0];
    expect(v.status).to.equal('submitted');
    expect(v.receivedAt.getTime()).to.equal(now.getTime());
    const content = await openVersion(f.id, supplier, 1);
    expect(content.price.totalPence).to.equal(1_500_000);
    const recomputed = fingerprint(content, { competition: f.id, supplier: supplier.organisation, version: 1, receivedAt: now.toISOString() });
    expect(v.fingerprint).to.equal(recomputed).and.match(/^[0-9a-f]{64}$/);

    const $ = cheerio.load((await agent.get(res.headers.location)).text);
    expect($('#received-iso').text()).to.equal(now.toISOString());
    expect($('#received-at').text()).to.match(/^[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2}:\d{2} (GMT|BST)$/);
    expect($('#fingerprint').text()).to.equal(recomputed);
    expect($('#receipt').text()).to.contain(f.reference).and.contain('Version');
    expect($('#covers').text()).to.contain('each answer, the price');

    // the same receipt by e-mail and in the service, to the submitting user only
    const mail = t.mailer.sent.filter((m) => m.subject.startsWith('Bid received'));
    expect(mail.map((m) => m.to)).to.deep.equal([supplier.email]);
    expect(mail[0].text).to.contain(recomputed).and.contain(now.toISOString());
    expect(await Notification.countDocuments({ user: supplier.id, title: mail[0].subject })).to.equal(1);
    const audit = await AuditEvent.findOne({ action: 'bid.submitted', targetId: String(bid._id) }).lean();
    expect(audit!.details).to.deep.include({ version: 1, fingerprint: recomputed, supplier: supplier.organisation });
    expect(JSON.stringify(audit)).not.to.contain('Our approach');
  });

  it('refuses an incomplete bid with 400, listing what is missing with links to fix it', async () => {
    const f = await competitionFixture(t);
    const agent = await signIn(t, f.suppliers[0]);
    await saveAnswers(agent, f.id, ['Only the first answer.', '']);
    const res = await submitFromReview(agent, f.id);
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    const links = $('.govuk-error-summary a').map((_, a) => ({ href: $(a).attr('href'), text: $(a).text() })).get();
    expect(links).to.have.length(2);
    expect(links[0].href).to.match(new RegExp(`^${bidUrl(f.id, '/answers')}#answer-[0-9a-f]{24}$`));
    expect(links[0].text).to.match(/^Answer question 2: /);
    expect(links[1]).to.deep.equal({ href: bidUrl(f.id, '/price#total'), text: 'Enter your total price' });
    expect((await bidOf(f.id, f.suppliers[0])).versions).to.have.length(0);
  });

  it('resubmitting adds a version and marks the previous one superseded (kept); the overview lists both receipts', async () => {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    const { agent } = await submitBidThroughRoutes(t, supplier, f.id, { price: '10000' });
    t.clock.advance(60_000);
    expect((await savePrice(agent, f.id, '9500')).status).to.equal(303);
    const overview = cheerio.load((await agent.get(bidUrl(f.id))).text);
    expect(overview('.govuk-warning-text').text()).to.contain('saved changes since you submitted');
    const res = await submitFromReview(agent, f.id);
    expect(res.headers.location).to.equal(bidUrl(f.id, '/receipts/2'));
    const bid = await bidOf(f.id, supplier);
    expect(bid.versions.map((v) => [v.n, v.status])).to.deep.equal([[1, 'superseded'], [2, 'submitted']]);
    expect((await openVersion(f.id, supplier, 1)).price.totalPence).to.equal(1_000_000);
    expect((await openVersion(f.id, supplier, 2)).price.totalPence).to.equal(950_000);
    const $ = cheerio.load((await agent.get(bidUrl(f.id))).text);
    const rows = $('#receipts tbody tr');
    expect(rows).to.have.length(2);
    expect(rows.eq(0).text()).to.contain('Version 2').and.contain('Current').and.contain(bid.versions[1].fingerprint);
    expect(rows.eq(1).text()).to.contain('Version 1').and.contain('Superseded');
  });

  it('withdraws the current version after confirmation; the supplier may submit again', async () => {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    const { agent } = await submitBidThroughRoutes(t, supplier, f.id);
    const confirm = await agent.get(bidUrl(f.id, '/withdraw'));
    expect(confirm.status).to.equal(200);
    expect(cheerio.load(confirm.text)('h1').text()).to.equal('Are you sure you want to withdraw your bid?');
    const res = await submit(agent, bidUrl(f.id, '/withdraw'), {});
    expect(res.status).to.equal(303);
    let bid = await bidOf(f.id, supplier);
    expect(bid.versions[0].status).to.equal('withdrawn');
    expect(bid.versions[0].withdrawnAt!.getTime()).to.equal(t.clock.now().getTime());
    expect(await AuditEvent.exists({ action: 'bid.withdrawn', targetId: String(bid._id) })).to.not.equal(null);
    const $ = cheerio.load((await agent.get(bidUrl(f.id))).text);
    expect($('.govuk-summary-list').first().text()).to.contain('Withdrawn');
    expect($('#withdraw-link')).to.have.length(0);
    // a second withdrawal has nothing to withdraw
    expect((await submit(agent, bidUrl(f.id, '/withdraw'), {}, bidUrl(f.id, '/review'))).status).to.equal(303);
    expect((await submitFromReview(agent, f.id)).headers.location).to.equal(bidUrl(f.id, '/receipts/2'));
    bid = await bidOf(f.id, supplier);
    expect(bid.versions.map((v) => v.status)).to.deep.equal(['withdrawn', 'submitted']);
  });

  it('two identical submits at once leave exactly one new version; both land on its receipt', async () => {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    const agent = await signIn(t, supplier);
    await saveAnswers(agent, f.id, ['One.', 'Two.']);
    await savePrice(agent, f.id, '5000');
    const page = cheerio.load((await agent.get(bidUrl(f.id, '/review'))).text);
    const form = { revision: String(page('input[name=revision]').val()), _csrf: String(page('input[name=_csrf]').first().val()) };
    const post = () => agent.post(bidUrl(f.id, '/submit')).type('form').send(form);
    const [a, b] = await Promise.all([post(), post()]);
    expect([a.status, b.status]).to.deep.equal([303, 303]);
    expect([a.headers.location, b.headers.location]).to.deep.equal([bidUrl(f.id, '/receipts/1'), bidUrl(f.id, '/receipts/1')]);
    expect((await bidOf(f.id, supplier)).versions).to.have.length(1);
    expect(await AuditEvent.countDocuments({ action: 'bid.submitted', 'details.competition': f.id } as any)).to.equal(1);
  });

  it('a submit from a review page that is out of date (the bid changed since) is sent back to review', async () => {
    const f = await competitionFixture(t);
    const agent = await signIn(t, f.suppliers[0]);
    await saveAnswers(agent, f.id, ['One.', 'Two.']);
    await savePrice(agent, f.id, '5000');
    const page = cheerio.load((await agent.get(bidUrl(f.id, '/review'))).text);
    const stale = { revision: String(page('input[name=revision]').val()), _csrf: String(page('input[name=_csrf]').first().val()) };
    await savePrice(agent, f.id, '6000');
    const res = await agent.post(bidUrl(f.id, '/submit')).type('form').send(stale);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal(bidUrl(f.id, '/review'));
    expect((await bidOf(f.id, f.suppliers[0])).versions).to.have.length(0);
  });
});
