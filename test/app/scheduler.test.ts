// The scheduler survives restarts and parallel instances without sending anything twice; its lease lets one
// instance work at a time, and the per-send claims keep each reminder single even without the lease.
import { expect } from 'chai';
import { Competition } from '../../models/Competition';
import { ScheduledSend } from '../../models/ScheduledSend';
import { Scheduler } from '../../server/scheduler';
import { runDueReminders } from '../../server/services/reminders';
import { resetDatabase, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';

const PUBLISHED = '2026-11-20T10:00:00Z';
const THREE_WORKING_DAYS = '2026-12-01T10:00:00Z';
const ONE_DAY = '2026-12-03T10:00:00Z';
const DEADLINE = '2026-12-04T10:00:00Z';

describe('scheduler', function () {
  this.timeout(30_000);
  let t: TestApp;
  const started: Scheduler[] = [];
  const newScheduler = () => {
    const s = new Scheduler({ clock: t.clock, mailer: t.mailer, baseUrl: 'http://localhost:3000' });
    started.push(s);
    return s;
  };
  const reminders = () => t.mailer.sent.filter((m) => m.subject.startsWith('Reminder:'));
  const deadlineNotices = () => t.mailer.sent.filter((m) => m.subject.startsWith('Deadline passed'));

  before(async () => {
    await testApp();
    await resetDatabase();
  });

  beforeEach(async () => {
    t = await testApp();
    t.clock.set(PUBLISHED);
    await Competition.updateMany({}, { $set: { status: 'cancelled' } });
    await ScheduledSend.deleteMany({ job: 'lease' });
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
  });

  it('sends nothing twice after a restart (a new Scheduler instance)', async () => {
    await competitionFixture(t, { suppliers: 2 });
    const before = newScheduler();
    t.clock.set(THREE_WORKING_DAYS);
    expect(await before.tick()).to.include({ ran: true, reminders: 2 });
    await before.stop();

    const after = newScheduler();
    const again = await after.tick();
    expect(again).to.include({ ran: true, reminders: 0, alreadySent: 2 });
    expect(reminders()).to.have.length(2);

    // The restarted instance carries on with what is still due, once.
    t.clock.set(ONE_DAY);
    expect(await after.tick()).to.include({ ran: true, reminders: 2 });
    t.clock.set(DEADLINE);
    expect(await after.tick()).to.include({ ran: true, deadlineNotices: 1 });
    expect(await newScheduler().tick()).to.include({ ran: false });
    await after.stop();
    expect(await newScheduler().tick()).to.include({ ran: true, deadlineNotices: 0, alreadySent: 1 });
    expect(reminders()).to.have.length(4);
    expect(deadlineNotices()).to.have.length(2);
  });

  it('takes over from a process that died holding the lease once the lease expires', async () => {
    await competitionFixture(t, { suppliers: 1 });
    t.clock.set(THREE_WORKING_DAYS);
    expect(await newScheduler().tick()).to.include({ ran: true, reminders: 1 });
    // No stop(): the first "process" died. Another is refused until its lease (2 intervals) runs out.
    const next = newScheduler();
    t.clock.advance(60_000);
    expect(await next.tick()).to.deep.equal({ ran: false, reason: 'not-my-turn' });
    t.clock.advance(60_000);
    expect(await next.tick()).to.include({ ran: true, reminders: 0, alreadySent: 1 });
    expect(reminders()).to.have.length(1);
  });

  it('two schedulers ticking at once send each reminder exactly once', async () => {
    const f = await competitionFixture(t, { suppliers: 3 });
    t.clock.set(THREE_WORKING_DAYS);
    const results = await Promise.all([newScheduler().tick(), newScheduler().tick()]);
    expect(results.filter((r) => r.ran)).to.have.length(1);
    for (const s of f.suppliers) expect(reminders().filter((m) => m.to === s.email)).to.have.length(1);
    expect(reminders()).to.have.length(3);
  });

  it('the claims alone keep each send single when runs overlap (no lease)', async () => {
    const f = await competitionFixture(t, { suppliers: 3 });
    t.clock.set(ONE_DAY);
    const runs = await Promise.all([1, 2, 3].map(() => runDueReminders(t.clock, t.mailer, 'http://localhost:3000')));
    expect(runs.reduce((n, r) => n + r.reminders, 0)).to.equal(3);
    for (const s of f.suppliers) expect(reminders().filter((m) => m.to === s.email)).to.have.length(1);
    t.clock.set(DEADLINE);
    const notices = await Promise.all([1, 2, 3].map(() => runDueReminders(t.clock, t.mailer, 'http://localhost:3000')));
    expect(notices.reduce((n, r) => n + r.deadlineNotices, 0)).to.equal(1);
    expect(deadlineNotices()).to.have.length(2); // the council's two buyers
  });

  it('start() ticks at once and stop() waits for the running tick', async () => {
    await competitionFixture(t, { suppliers: 1 });
    t.clock.set(THREE_WORKING_DAYS);
    const s = newScheduler();
    s.start(60_000);
    await s.stop();
    expect(reminders()).to.have.length(1);
  });
});
