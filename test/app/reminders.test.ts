// Deadline reminders, driven by moving the test clock and ticking the scheduler: who is reminded, when, and once.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { Notification } from '../../models/Notification';
import { Organisation } from '../../models/Organisation';
import { ScheduledSend } from '../../models/ScheduledSend';
import { Scheduler } from '../../server/scheduler';
import { formatDeadline } from '../../server/services/competitions';
import { resetDatabase, testApp, TestApp, TestUser } from '../support/app';
import { admittedSupplier, competitionFixture, CompetitionFixture, testKeyring } from '../support/competitions';

// Published on Friday 20 November 2026, 10:00 GMT; the deadline 14 days later is Friday 4 December, 10:00.
const PUBLISHED = '2026-11-20T10:00:00Z';
const THREE_WORKING_DAYS = '2026-12-01T10:00:00.000Z'; // Tuesday
const ONE_DAY = '2026-12-03T10:00:00.000Z'; // Thursday
const DEADLINE = '2026-12-04T10:00:00.000Z';
const MS = 1;

const remindersTo = (t: TestApp, user: TestUser, kind?: 'three working days' | 'one day') =>
  t.mailer.sent.filter((m) => m.to === user.email && m.subject.startsWith(kind ? `Reminder: ${kind} left` : 'Reminder:'));

async function reminderNotifications(user: TestUser) {
  return Notification.find({ user: user.id, title: /^Reminder:/ }).sort({ at: 1 }).lean();
}

/** A submitted (or withdrawn) bid written straight to the model, as the bid routes would leave it. */
async function bidFor(f: CompetitionFixture, supplier: TestUser, status: 'submitted' | 'withdrawn', at: Date): Promise<void> {
  const c = await Competition.findById(f.id).lean();
  const bidId = new Types.ObjectId();
  const sealed = testKeyring().sealJson({ id: f.id, wrappedKey: c!.sealing!.wrappedKey as any }, `bid:${bidId}:v1`, { answers: [] });
  await Bid.create({
    _id: bidId, competition: f.id, supplier: supplier.organisation,
    versions: [{ n: 1, status, sealed, receivedAt: at, fingerprint: 'x', submittedBy: supplier.id, ...(status === 'withdrawn' ? { withdrawnAt: at, withdrawnBy: supplier.id } : {}) }],
  });
}

describe('deadline reminders', function () {
  this.timeout(30_000);
  let t: TestApp;
  let scheduler: Scheduler;

  before(async () => {
    await testApp();
    await resetDatabase();
  });

  beforeEach(async () => {
    t = await testApp();
    t.clock.set(PUBLISHED);
    // Earlier tests' competitions are moved out of the way, and their schedulers' lease is gone.
    await Competition.updateMany({}, { $set: { status: 'cancelled' } });
    await ScheduledSend.deleteMany({ job: 'lease' });
    scheduler = new Scheduler({ clock: t.clock, mailer: t.mailer, baseUrl: 'http://localhost:3000' });
  });

  afterEach(async () => {
    await scheduler.stop();
  });

  async function tickAt(when: string, by: Scheduler = scheduler) {
    t.clock.set(when);
    return by.tick();
  }

  it('sends nothing before the three-working-days time, then each reminder once, in the service and by e-mail', async () => {
    const f = await competitionFixture(t, { suppliers: 2 });
    expect(f.deadline.toISOString()).to.equal(DEADLINE);
    const [s1, s2] = f.suppliers;

    await tickAt(PUBLISHED);
    await tickAt(new Date(Date.parse(THREE_WORKING_DAYS) - MS).toISOString());
    expect(remindersTo(t, s1)).to.have.length(0);
    expect(await reminderNotifications(s1)).to.have.length(0);

    const first = await tickAt(THREE_WORKING_DAYS);
    expect(first).to.include({ ran: true, reminders: 2 });
    for (const s of [s1, s2]) {
      const mails = remindersTo(t, s, 'three working days');
      expect(mails).to.have.length(1);
      expect(mails[0].text).to.contain(formatDeadline(f.deadline));
      expect(mails[0].text).to.contain('has not submitted a bid');
      expect(mails[0].text).to.contain(`http://localhost:3000/supplier/opportunities/${f.id}/bid`);
      const inService = await reminderNotifications(s);
      expect(inService).to.have.length(1);
      expect(inService[0].link).to.equal(`/supplier/opportunities/${f.id}/bid`);
      expect(inService[0].body).to.contain(f.reference);
    }

    // Ticking again, now and over the next days, sends nothing more until the one-day time.
    await tickAt(THREE_WORKING_DAYS);
    await tickAt('2026-12-02T15:00:00Z');
    await tickAt(new Date(Date.parse(ONE_DAY) - MS).toISOString());
    expect(remindersTo(t, s1)).to.have.length(1);

    await tickAt(ONE_DAY);
    await tickAt('2026-12-03T18:00:00Z');
    await tickAt(new Date(Date.parse(DEADLINE) - MS).toISOString());
    for (const s of [s1, s2]) {
      expect(remindersTo(t, s, 'one day')).to.have.length(1);
      expect(remindersTo(t, s)).to.have.length(2);
      expect(await reminderNotifications(s)).to.have.length(2);
    }
  });

  it('sends only the one-day reminder when the first window was missed', async () => {
    const f = await competitionFixture(t, { suppliers: 1 });
    await tickAt('2026-12-03T12:00:00Z');
    expect(remindersTo(t, f.suppliers[0], 'three working days')).to.have.length(0);
    expect(remindersTo(t, f.suppliers[0], 'one day')).to.have.length(1);
  });

  it('reminds no one who has a submitted bid, but does remind a supplier who withdrew', async () => {
    const f = await competitionFixture(t, { suppliers: 3 });
    const [bidder, withdrew, silent] = f.suppliers;
    await bidFor(f, bidder, 'submitted', new Date('2026-11-25T10:00:00Z'));
    await bidFor(f, withdrew, 'withdrawn', new Date('2026-11-25T10:00:00Z'));

    await tickAt(THREE_WORKING_DAYS);
    await tickAt(ONE_DAY);
    expect(remindersTo(t, bidder)).to.have.length(0);
    expect(await reminderNotifications(bidder)).to.have.length(0);
    expect(remindersTo(t, withdrew)).to.have.length(2);
    expect(remindersTo(t, silent)).to.have.length(2);
  });

  it('reminds no supplier admitted after publication (not invited)', async () => {
    const f = await competitionFixture(t, { suppliers: 1 });
    const late = await admittedSupplier(f.lot.id, new Date('2026-11-21T10:00:00Z'));
    await tickAt(THREE_WORKING_DAYS);
    await tickAt(ONE_DAY);
    expect(remindersTo(t, f.suppliers[0])).to.have.length(2);
    expect(remindersTo(t, late)).to.have.length(0);
    expect(await reminderNotifications(late)).to.have.length(0);
  });

  it('at and after the deadline sends no supplier reminder, and tells every buyer of the council once', async () => {
    const f = await competitionFixture(t, { suppliers: 2 });
    const summary = await tickAt(DEADLINE);
    expect(summary).to.include({ ran: true, reminders: 0, deadlineNotices: 1 });
    await tickAt('2026-12-04T10:05:00Z');
    await tickAt('2026-12-07T09:00:00Z');
    for (const s of f.suppliers) expect(remindersTo(t, s)).to.have.length(0);
    for (const b of [f.buyer, f.buyer2]) {
      const mails = t.mailer.sent.filter((m) => m.to === b.email && m.subject.startsWith('Deadline passed'));
      expect(mails).to.have.length(1);
      expect(mails[0].text).to.contain(`http://localhost:3000/buyer/competitions/${f.id}/tender-box`);
      const inService = await Notification.find({ user: b.id, title: /^Deadline passed/ }).lean();
      expect(inService).to.have.length(1);
      expect(inService[0].link).to.equal(`/buyer/competitions/${f.id}/tender-box`);
    }
  });

  it('earns fresh reminders when the deadline changes', async () => {
    const f = await competitionFixture(t, { suppliers: 1 });
    const [s] = f.suppliers;
    await tickAt(THREE_WORKING_DAYS);
    expect(remindersTo(t, s)).to.have.length(1);

    // Extended by a week to Friday 11 December: new times Tuesday 8th and Thursday 10th.
    const newDeadline = new Date('2026-12-11T10:00:00Z');
    await Competition.updateOne({ _id: f.id }, { $set: { deadline: newDeadline } });
    await tickAt(ONE_DAY);
    await tickAt(DEADLINE);
    expect(remindersTo(t, s)).to.have.length(1);
    expect(t.mailer.sent.filter((m) => m.to === f.buyer.email && m.subject.startsWith('Deadline passed'))).to.have.length(0);

    await tickAt('2026-12-08T10:00:00Z');
    const fresh = remindersTo(t, s, 'three working days');
    expect(fresh).to.have.length(2);
    expect(fresh[1].text).to.contain(formatDeadline(newDeadline));
    await tickAt('2026-12-10T10:00:00Z');
    expect(remindersTo(t, s, 'one day')).to.have.length(1);
  });

  it('sends nothing for a cancelled competition', async () => {
    const f = await competitionFixture(t, { suppliers: 1 });
    await Competition.updateOne({ _id: f.id }, { $set: { status: 'cancelled' } });
    for (const when of [THREE_WORKING_DAYS, ONE_DAY, DEADLINE]) {
      expect(await tickAt(when)).to.include({ ran: true, competitions: 0, reminders: 0, deadlineNotices: 0 });
    }
    expect(remindersTo(t, f.suppliers[0])).to.have.length(0);
    expect(t.mailer.sent.filter((m) => m.to === f.buyer.email && m.subject.startsWith('Deadline passed'))).to.have.length(0);
  });

  it('follows the council\u2019s nation: a Scottish council\u2019s suppliers are reminded before St Andrew\u2019s Day', async () => {
    // Published Tuesday 17 November 2026; deadline Tuesday 1 December. England: Thu 26 Nov; Scotland skips Mon 30: Wed 25.
    t.clock.set('2026-11-17T10:00:00Z');
    const f = await competitionFixture(t, { suppliers: 1 });
    await Organisation.updateOne({ _id: f.buyer.organisation }, { $set: { nation: 'Scotland' } });
    await tickAt('2026-11-25T09:59:00Z');
    expect(remindersTo(t, f.suppliers[0])).to.have.length(0);
    await tickAt('2026-11-25T10:00:00Z');
    expect(remindersTo(t, f.suppliers[0], 'three working days')).to.have.length(1);
  });
});
