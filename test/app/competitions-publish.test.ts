// Publishing a competition: the invited list is every active admission to the lot at that moment, frozen.
import { expect } from 'chai';
import { Admission } from '../../models/Admission';
import { Competition } from '../../models/Competition';
import { Notification } from '../../models/Notification';
import { resetDatabase, testApp, TestApp } from '../support/app';
import { admittedSupplier, competitionFixture } from '../support/competitions';

describe('Publishing a competition', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('invites every supplier with an active admission to the lot, and no one admitted afterwards', async () => {
    const f = await competitionFixture(t, { suppliers: 3, publish: false });
    // suspended before publication: not invited
    await Admission.updateOne({ supplier: f.suppliers[2].organisation, lot: f.lot.id }, { $set: { status: 'suspended' } });
    const { publish } = await import('../../server/services/competitions');
    const out = await publish(t.clock, t.mailer, 'http://x', { _id: f.buyer.id, role: 'buyer', organisation: f.buyer.organisation }, f.id);
    expect(out.outcome).to.equal('published');
    const late = await admittedSupplier(f.lot.id, t.clock.now());
    const c = await Competition.findById(f.id).lean();
    const invited = c!.invited.map(String);
    expect(invited).to.have.members([f.suppliers[0].organisation, f.suppliers[1].organisation]);
    expect(invited).not.to.include(late.organisation);
    expect(c!.publishedAt!.getTime()).to.equal(t.clock.now().getTime());
    // each invited supplier's user hears in the service and by e-mail
    const to = t.mailer.sent.filter((m) => m.subject.startsWith('Invitation to bid')).map((m) => m.to);
    expect(to).to.have.members([f.suppliers[0].email, f.suppliers[1].email]);
    expect(await Notification.countDocuments({ user: f.suppliers[0].id })).to.equal(1);
    expect(await Notification.countDocuments({ user: late.id })).to.equal(0);
  });
});

describe('How deadlines are written', () => {
  it('writes UK time with a 12-hour clock where noon is 12:00pm and midnight 12:00am', async () => {
    const { formatDeadline } = await import('../../server/services/competitions');
    expect(formatDeadline(new Date('2026-12-06T12:00:00Z'))).to.equal('Sunday, 6 December 2026, 12:00pm');
    expect(formatDeadline(new Date('2026-12-06T00:00:00Z'))).to.equal('Sunday, 6 December 2026, 12:00am');
    // British Summer Time: 11:00 UTC is noon in London
    expect(formatDeadline(new Date('2026-06-05T11:00:00Z'))).to.equal('Friday, 5 June 2026, 12:00pm');
    const { formatDateTime } = await import('../../routes/admin/helpers');
    expect(formatDateTime(new Date('2026-12-06T12:01:00Z'))).to.equal('6 December 2026 at 12:01pm');
  });
});
