// Reading an opened tender box: the list (current submitted versions only), one bid laid out in full with its
// fingerprint re-checked, attachments decrypted as downloads; every access audited. Also a bid that went in
// through the supplier's real routes, and the network admin's list of boxes awaiting opening.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Types } from 'mongoose';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { createUser, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { submitBidThroughRoutes } from '../support/bids';
import { competitionFixture } from '../support/competitions';
import { actorOf, getRaw, openBox, tenderBoxFixture, TenderBoxFixture } from '../support/sealedBids';

const HOUR = 60 * 60 * 1000;
const SENTINEL = 'READ-ME-7Q';

describe('tender box: reading opened bids', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  async function openedBox(): Promise<TenderBoxFixture & { base: string }> {
    t.clock.set(new Date());
    const box = await tenderBoxFixture(t, SENTINEL);
    t.clock.set(new Date(box.fx.deadline.getTime() + HOUR));
    await openBox(t, box.fx.id, actorOf(box.fx.buyer, 'buyer'), actorOf(box.fx.buyer2, 'buyer'));
    return { ...box, base: `/buyer/competitions/${box.fx.id}/tender-box` };
  }
  const nameOf = async (orgId: string) => (await Organisation.findById(orgId).lean())!.name;
  const audits = (action: string, actor: string) => AuditEvent.find({ action, actor }).lean();

  it('lists each supplier\u2019s current submitted version with its receipt, never a withdrawn bid; the listing is audited', async () => {
    const { fx, bids, base } = await openedBox();
    const buyer = await signIn(t, fx.buyer);
    const res = await buyer.get(`${base}/bids`);
    expect(res.status).to.equal(200);
    expect(res.headers['cache-control']).to.equal('no-store');
    const $ = cheerio.load(res.text);
    expect($('#bids caption').text()).to.equal('2 bids');
    const rows = $('#bids tbody tr').map((_, tr) => [$(tr).find('td, th').map((__, c) => $(c).text().trim()).get()]).get() as unknown as string[][];
    expect(rows.map((r) => r[0])).to.have.members([`${await nameOf(bids[0].supplier)} bid`, `${await nameOf(bids[1].supplier)} bid`]);
    expect(res.text).to.not.contain(await nameOf(bids[2].supplier));
    const second = await nameOf(bids[1].supplier);
    const row1 = rows.find((r) => r[0] === `${second} bid`)!;
    expect(row1[1]).to.equal('2');
    expect(row1[2]).to.match(/^\w+day \d+ \w+ \d{4} at \d\d:\d\d:\d\d (GMT|BST)$/);
    expect(row1[3]).to.match(/^[0-9a-f]{64}$/);
    expect($(`a[href="${base}/bids/${bids[0].bidId}"]`).length).to.equal(1);
    const [listed] = await audits('tender-box.bids-listed', fx.buyer.id);
    expect((listed.details as any).bids.map((b: any) => b.bid)).to.have.members([bids[0].bidId, bids[1].bidId]);
  });

  it('shows one bid in full (answers by question, price and breakdown, commitments, attachments) with its fingerprint re-checked; audited', async () => {
    const { fx, bids, base } = await openedBox();
    const buyer2 = await signIn(t, fx.buyer2);
    const res = await buyer2.get(`${base}/bids/${bids[0].bidId}`);
    expect(res.status).to.equal(200);
    const $ = cheerio.load(res.text);
    expect($('h1').text()).to.equal(await nameOf(bids[0].supplier));
    expect($('#receipt').text()).to.contain('Matches the receipt');
    const competition = (await Competition.findById(fx.id).lean())!;
    for (const q of competition.questions) {
      expect($('.app-answer h3').text()).to.contain(q.text);
      expect($('.app-answer').text()).to.contain(bids[0].content.answers[String(q._id)]);
    }
    expect($('#price').next().text()).to.contain('\u00a315,000');
    expect($('#breakdown').text()).to.contain(`Workshops ${SENTINEL}`).and.to.contain('\u00a310,000');
    expect($('#commitments-table').text()).to.contain(`NT1: Local jobs ${SENTINEL}`).and.to.contain('1.5 FTE').and.to.contain('\u00a345,000');
    const link = $(`a[href="${base}/bids/${bids[0].bidId}/attachments/${bids[0].fileId}"]`);
    expect(link.text()).to.equal(`Download ${bids[0].fileName}`);
    const [read] = await audits('bid.read', fx.buyer2.id);
    expect(read.targetId).to.equal(bids[0].bidId);
    expect(read.details).to.deep.include({ competition: fx.id, bid: bids[0].bidId, version: 1 });

    // the resubmitted bid shows its current version
    const v2 = await buyer2.get(`${base}/bids/${bids[1].bidId}`);
    expect(cheerio.load(v2.text)('#receipt').text()).to.match(/Version\s*2/);
  });

  it('downloads an attachment decrypted, as an attachment, with its type, nosniff and no-store; audited with bid and version', async () => {
    const { fx, bids, base } = await openedBox();
    const buyer = await signIn(t, fx.buyer);
    const res = await getRaw(buyer, `${base}/bids/${bids[0].bidId}/attachments/${bids[0].fileId}`);
    expect(res.status).to.equal(200);
    expect(Buffer.compare(res.body as Buffer, bids[0].fileBytes!)).to.equal(0);
    expect(res.headers['content-type']).to.match(/^application\/pdf/);
    expect(res.headers['content-disposition']).to.match(new RegExp(`^attachment; filename="?${bids[0].fileName}"?$`));
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['cache-control']).to.equal('no-store');
    const [download] = await audits('bid.attachment-downloaded', fx.buyer.id);
    expect(download.details).to.deep.include({ competition: fx.id, bid: bids[0].bidId, version: 1, file: bids[0].fileId });
  });

  it('a withdrawn bid, another competition\u2019s bid and a file not in the bid are 404', async () => {
    const { fx, bids, base } = await openedBox();
    const buyer = await signIn(t, fx.buyer);
    expect((await buyer.get(`${base}/bids/${bids[2].bidId}`)).status).to.equal(404);
    expect((await buyer.get(`${base}/bids/${new Types.ObjectId()}`)).status).to.equal(404);
    expect((await buyer.get(`${base}/bids/${bids[0].bidId}/attachments/${new Types.ObjectId()}`)).status).to.equal(404);
    expect((await buyer.get(`${base}/bids/${bids[1].bidId}/attachments/${bids[0].fileId}`)).status).to.equal(404);
    const elsewhere = await openedBox();
    expect((await buyer.get(`${base}/bids/${elsewhere.bids[0].bidId}`)).status).to.equal(404);
  });

  it('reads a bid that went in through the supplier\u2019s own routes, opened through the buyers\u2019 pages', async () => {
    t.clock.set(new Date());
    const fx = await competitionFixture(t, { suppliers: 1 });
    const answers = ['We will co-design with residents in six workshops.', 'Ten local apprenticeships.'];
    const pdf = Buffer.from('%PDF-1.4\n% our plan\n%%EOF\n');
    await submitBidThroughRoutes(t, fx.suppliers[0], fx.id, { answers, price: '14500', breakdown: [{ item: 'Workshops', amount: '9000' }, { item: 'Strategy', amount: '5500' }], attachment: { name: 'plan.pdf', bytes: pdf } });
    t.clock.set(new Date(fx.deadline.getTime() + HOUR));
    const [buyer, buyer2] = [await signIn(t, fx.buyer), await signIn(t, fx.buyer2)];
    const box = `/buyer/competitions/${fx.id}/tender-box`;
    expect((await submit(buyer, `${box}/open`, { declaration: 'confirmed' }, box)).status).to.equal(303);
    expect((await submit(buyer2, `${box}/open`, { declaration: 'confirmed' }, box)).status).to.equal(303);
    const list = cheerio.load((await buyer.get(`${box}/bids`)).text);
    const href = list('#bids tbody a').attr('href')!;
    const page = cheerio.load((await buyer.get(href)).text);
    expect(page('#receipt').text()).to.contain('Matches the receipt');
    for (const a of answers) expect(page('.app-answer').text()).to.contain(a);
    expect(page('#breakdown').text()).to.contain('Workshops').and.to.contain('\u00a39,000');
    const file = await getRaw(buyer, page('#attachments').next().find('a').attr('href')!);
    expect(file.status).to.equal(200);
    expect(Buffer.compare(file.body as Buffer, pdf)).to.equal(0);
  });
});

describe('tender box: the network admin\u2019s list', function () {
  this.timeout(60_000);
  let t: TestApp;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('lists boxes past their deadline awaiting opening (first step waiting or not), and opened ones; paginated', async () => {
    t.clock.set(new Date());
    const waiting = await competitionFixture(t, { title: 'Waiting box' });
    const notStarted = await competitionFixture(t, { title: 'Untouched box' });
    const opened = await competitionFixture(t, { title: 'Opened box' });
    const stillOpen = await competitionFixture(t, { title: 'Still open box', deadlineDays: 20 });
    t.clock.set(new Date(waiting.deadline.getTime() + HOUR));
    const admin = await createUser('admin');
    await openBox(t, opened.id, actorOf(opened.buyer, 'buyer'), actorOf(admin, 'admin'));
    const agent = await signIn(t, admin);
    expect((await submit(agent, `/admin/competitions/${waiting.id}/open`, { declaration: 'confirmed' }, `/admin/competitions/${waiting.id}`)).status).to.equal(303);

    const $ = cheerio.load((await agent.get('/admin/competitions')).text);
    const rows = $('#competitions tbody tr').map((_, tr) => $(tr).text()).get();
    expect(rows).to.have.length(2);
    expect(rows.find((r) => r.includes('Waiting box'))).to.contain('First step waiting');
    expect(rows.find((r) => r.includes('Untouched box'))).to.contain('Not started');
    expect($('main').text()).to.not.contain('Still open box');
    expect($(`a[href="/admin/competitions/${notStarted.id}"]`).text()).to.equal(`${notStarted.reference} tender box`);
    expect($('[aria-current="page"]').text()).to.equal('Awaiting opening (2)');

    const o = cheerio.load((await agent.get('/admin/competitions?view=opened')).text);
    expect(o('#competitions tbody tr').text()).to.contain('Opened box');
    expect(o('#competitions tbody tr')).to.have.length(1);
    expect(stillOpen.id).to.be.a('string');

    // 26 boxes awaiting opening: page 2 holds the last one
    const template = (await Competition.findById(notStarted.id).lean())!;
    await Competition.insertMany(Array.from({ length: 24 }, (_, i) => ({ ...template, _id: new Types.ObjectId(), reference: `DPS-CF-PAGE-${i}` })));
    const p2 = cheerio.load((await agent.get('/admin/competitions?page=2')).text);
    expect(p2('#competitions tbody tr')).to.have.length(1);
    expect(p2('.govuk-pagination').length).to.equal(1);
    expect((await agent.get('/admin/competitions?view=nonsense')).status).to.equal(400);
    expect((await agent.get('/admin/competitions?page=9')).status).to.equal(404);
  });

  it('an admin\u2019s competition page never shows a bid, before or after opening', async () => {
    t.clock.set(new Date());
    const box = await tenderBoxFixture(t, 'ADMIN-NEVER-SEES');
    t.clock.set(new Date(box.fx.deadline.getTime() + HOUR));
    const admin = await createUser('admin');
    await openBox(t, box.fx.id, actorOf(box.fx.buyer, 'buyer'), actorOf(admin, 'admin'));
    const agent = await signIn(t, admin);
    const page = await agent.get(`/admin/competitions/${box.fx.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.not.contain('ADMIN-NEVER-SEES');
    expect(cheerio.load(page.text)('main').text()).to.contain('Network admins take part in opening but do not read bids');
    const refused = await agent.get(`/admin/competitions/${box.fx.id}/bids`);
    expect(refused.status).to.equal(403);
    expect(cheerio.load(refused.text)('h1').text()).to.equal('Network admins cannot read bids');
    expect(await AuditEvent.countDocuments({ action: 'bid.read-refused', actor: admin.id })).to.equal(1);
  });
});
