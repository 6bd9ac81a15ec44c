// Two-person opening of the sealed tender box (security.md J33): never before the deadline, never by one person twice,
// never by two admins; a first step lapses after 24 hours; racing confirmations open the box once.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { competitionFixture, CompetitionFixture } from '../support/competitions';

const HOUR = 60 * 60 * 1000;
const CONFIRM = { declaration: 'confirmed' };

describe('tender box: two-person opening', function () {
  this.timeout(60_000);
  let t: TestApp;
  let fx: CompetitionFixture;
  let box: string;
  let adminBox: string;

  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  beforeEach(async () => {
    t.clock.set(new Date());
    fx = await competitionFixture(t);
    box = `/buyer/competitions/${fx.id}/tender-box`;
    adminBox = `/admin/competitions/${fx.id}`;
  });

  const afterDeadline = (ms = HOUR) => t.clock.set(new Date(fx.deadline.getTime() + ms));
  const step = (agent: request.Agent, path: string, fields: Record<string, string> = CONFIRM) => submit(agent, `${path}/open`, fields, path);
  const opening = async () => (await Competition.findById(fx.id).lean())!.opening;
  const events = (action: string) => AuditEvent.find({ action, targetId: fx.id }).lean();
  const flashOf = (html: string) => cheerio.load(html)('.govuk-notification-banner').text();

  it('before the deadline the page says only "Sealed until" the deadline, offers no opening, and a POST is refused (409)', async () => {
    const buyer = await signIn(t, fx.buyer);
    const page = await buyer.get(box);
    expect(page.status).to.equal(200);
    const $ = cheerio.load(page.text);
    expect($('#box-state').text()).to.match(/^Sealed until \w+day,? \d+ \w+ \d{4}, \d+:\d\d(am|pm)$/);
    expect($('#opening-form').length).to.equal(0);
    const token = await csrfFrom(buyer, '/buyer');
    const res = await buyer.post(`${box}/open`).type('form').send({ ...CONFIRM, _csrf: token });
    expect(res.status).to.equal(409);
    expect(cheerio.load(res.text)('h1').text()).to.equal('The tender box is sealed');
    expect(await opening()).to.satisfy((o: any) => !o?.first);
  });

  it('the declaration is required: 400 with the error summary, nothing written', async () => {
    afterDeadline();
    const buyer = await signIn(t, fx.buyer);
    const res = await step(buyer, box, {});
    expect(res.status).to.equal(400);
    const $ = cheerio.load(res.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#declaration"]').text()).to.contain('Confirm that you have no connection');
    expect($('#declaration-error').text()).to.contain('Confirm that you have no connection');
    expect((await opening())?.first).to.equal(undefined);
    expect(await events('tender-box.opening-started')).to.have.length(0);
  });

  it('two buyers of the council: the first starts, the same buyer again is refused, the second opens it', async () => {
    afterDeadline();
    const [buyer, buyer2] = [await signIn(t, fx.buyer), await signIn(t, fx.buyer2)];
    const started = await step(buyer, box);
    expect(started.status).to.equal(303);
    expect(flashOf((await buyer.get(box)).text)).to.contain('A second person must confirm by');
    const first = (await opening())!.first!;
    expect(String(first.by)).to.equal(fx.buyer.id);
    expect(first.role).to.equal('buyer');
    expect(first.at.getTime()).to.equal(t.clock.now().getTime());
    const [startedEvent] = await events('tender-box.opening-started');
    expect(String(startedEvent.actor)).to.equal(fx.buyer.id);
    // the other buyers of the council are told a second person is needed
    expect(t.mailer.sent.some((m: any) => m.subject.startsWith('A second person is needed') && m.to === fx.buyer2.email)).to.equal(true);

    // the first person's own page offers no confirmation; forcing one is refused and changes nothing
    expect(cheerio.load((await buyer.get(box)).text)('#opening-form').length).to.equal(0);
    const again = await submit(buyer, `${box}/open`, CONFIRM, '/buyer');
    expect(again.status).to.equal(403);
    expect(again.text).to.contain('a second, different person must confirm');
    expect((await opening())?.openedAt).to.equal(undefined);

    t.clock.advance(60_000);
    const confirmed = await step(buyer2, box);
    expect(confirmed.status).to.equal(303);
    const o = (await opening())!;
    expect(o.openedAt!.getTime()).to.equal(t.clock.now().getTime());
    expect(String(o.second!.by)).to.equal(fx.buyer2.id);
    const opened = await events('tender-box.opened');
    expect(opened).to.have.length(1);
    expect(opened[0].details).to.include({ first: fx.buyer.id, second: fx.buyer2.id, firstRole: 'buyer', secondRole: 'buyer' });
    const $ = cheerio.load((await buyer.get(box)).text);
    expect($('#box-state').text()).to.equal('Opened');
    expect($('#opening-state').text()).to.contain('You').and.to.contain('Test buyer (buyer of the council)');
    expect($(`a[href="${box}/bids"]`).text()).to.contain('Read the bids');
  });

  it('two network admins never open a box; a buyer then completes the opening the admin started', async () => {
    afterDeadline();
    const [admin1, admin2, buyer] = [await signIn(t, await createUser('admin')), await signIn(t, await createUser('admin')), await signIn(t, fx.buyer)];
    expect((await step(admin1, adminBox)).status).to.equal(303);
    expect(cheerio.load((await admin2.get(adminBox)).text)('#opening-form').length, 'no confirm form for a second admin').to.equal(0);
    const refused = await submit(admin2, `${adminBox}/open`, CONFIRM, '/admin');
    expect(refused.status).to.equal(403);
    expect(refused.text).to.contain('the second person must be a buyer of the council');
    expect((await opening())?.openedAt).to.equal(undefined);
    const refusedEvent = await events('tender-box.opening-refused');
    expect(refusedEvent.map((e) => (e.details as any).reason)).to.deep.equal(['two-admins']);
    expect((await step(buyer, box)).status).to.equal(303);
    const o = (await opening())!;
    expect(o.openedAt).to.be.instanceOf(Date);
    expect([o.first!.role, o.second!.role]).to.deep.equal(['admin', 'buyer']);
  });

  it('a buyer and a network admin may open it together (the admin second, from the admin pages)', async () => {
    afterDeadline();
    const admin = await createUser('admin');
    const [buyer, adminAgent] = [await signIn(t, fx.buyer), await signIn(t, admin)];
    expect((await step(buyer, box)).status).to.equal(303);
    const page = cheerio.load((await adminAgent.get(adminBox)).text);
    expect(page('#opening-state').text()).to.contain('Opening started by');
    expect(page('#opening-form button').text()).to.contain('Confirm and open the tender box');
    expect((await step(adminAgent, adminBox)).status).to.equal(303);
    const [opened] = await events('tender-box.opened');
    expect(opened.details).to.include({ first: fx.buyer.id, second: admin.id, secondRole: 'admin' });
    expect(cheerio.load((await adminAgent.get(adminBox)).text)('#box-state').text()).to.equal('Opened');
  });

  it('a first step lapses after 24 hours: the page says so, a confirmation then starts afresh, and it can still be completed', async () => {
    afterDeadline();
    await step(await signIn(t, fx.buyer), box);
    const startedAt = t.clock.now();
    t.clock.set(new Date(startedAt.getTime() + 24 * HOUR));
    const [buyer, buyer2] = [await signIn(t, fx.buyer), await signIn(t, fx.buyer2)];
    const page = cheerio.load((await buyer2.get(box)).text);
    expect(page('main').text()).to.contain('nobody confirmed it within 24 hours, so that step lapsed');
    expect(page('#opening-form button').text()).to.contain('Start opening');
    // buyer2's step does not open the box: it is a new first step
    expect((await step(buyer2, box)).status).to.equal(303);
    let o = (await opening())!;
    expect(o.openedAt).to.equal(undefined);
    expect(String(o.first!.by)).to.equal(fx.buyer2.id);
    expect(o.first!.at.getTime()).to.equal(startedAt.getTime() + 24 * HOUR);
    expect(await events('tender-box.opening-started')).to.have.length(2);
    // the original buyer may now be the second person
    expect((await step(buyer, box)).status).to.equal(303);
    o = (await opening())!;
    expect(o.openedAt).to.be.instanceOf(Date);
    expect(String(o.second!.by)).to.equal(fx.buyer.id);
  });

  it('racing confirmations open the box once and write one "tender-box.opened" event', async () => {
    afterDeadline();
    const admin = await createUser('admin');
    const [buyer, buyer2, adminAgent] = [await signIn(t, fx.buyer), await signIn(t, fx.buyer2), await signIn(t, admin)];
    await step(buyer, box);
    const [tokenB, tokenA] = [await csrfFrom(buyer2, box), await csrfFrom(adminAgent, adminBox)];
    const results = await Promise.all([
      buyer2.post(`${box}/open`).type('form').send({ ...CONFIRM, _csrf: tokenB }),
      adminAgent.post(`${adminBox}/open`).type('form').send({ ...CONFIRM, _csrf: tokenA }),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal([303, 303]);
    const opened = await events('tender-box.opened');
    expect(opened).to.have.length(1);
    const o = (await opening())!;
    expect([fx.buyer2.id, admin.id]).to.include(String(o.second!.by));
    expect((opened[0].details as any).second).to.equal(String(o.second!.by));
    const flashes = [flashOf((await buyer2.get(box)).text), flashOf((await adminAgent.get(adminBox)).text)];
    expect(flashes.filter((f) => f.includes('The tender box is open'))).to.have.length(1);
    expect(flashes.filter((f) => f.includes('had already been opened'))).to.have.length(1);
  });

  it('a cancelled competition is never opened (410)', async () => {
    await Competition.updateOne({ _id: fx.id }, { $set: { status: 'cancelled', cancellation: { reason: 'Budget withdrawn', at: t.clock.now(), by: fx.buyer.id } } });
    afterDeadline();
    const buyer = await signIn(t, fx.buyer);
    expect(cheerio.load((await buyer.get(box)).text)('#box-state').text()).to.equal('Cancelled: never opened');
    const res = await submit(buyer, `${box}/open`, CONFIRM, '/buyer');
    expect(res.status).to.equal(410);
    expect(cheerio.load(res.text)('h1').text()).to.equal('This competition was cancelled');
    expect((await opening())?.first).to.equal(undefined);
  });

  it('another council\u2019s buyer cannot take a step (404); a supplier cannot (403)', async () => {
    afterDeadline();
    const other: TestUser = await createUser('buyer');
    const otherAgent = await signIn(t, other);
    const res = await submit(otherAgent, `${box}/open`, CONFIRM, '/buyer');
    expect(res.status).to.equal(404);
    const supplier = await signIn(t, fx.suppliers[0]);
    const token = await csrfFrom(supplier, '/supplier/organisation');
    expect((await supplier.post(`${box}/open`).type('form').send({ ...CONFIRM, _csrf: token })).status).to.equal(403);
    expect((await supplier.post(`${adminBox}/open`).type('form').send({ ...CONFIRM, _csrf: token })).status).to.equal(403);
    expect((await opening())?.first).to.equal(undefined);
  });
});
