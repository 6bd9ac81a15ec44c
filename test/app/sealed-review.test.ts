// Two holes a review found, kept closed: a PCR shorter-deadline agreement recorded before publication does not let
// the buyer cut the published deadline later; and bid content never reaches the session store through a message.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { Competition } from '../../models/Competition';
import { changeDeadline } from '../../server/services/competitionChanges';
import { saveDeadlines } from '../../server/services/competitionDrafting';
import { publish } from '../../server/services/competitions';
import { ensureMeasureCatalogue } from '../../server/services/measures';
import { resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';
import { bidUrl } from '../support/bids';

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

describe('Sealed-box review: agreements and sessions', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
    await ensureMeasureCatalogue();
  });
  beforeEach(() => t.clock.set(new Date()));

  it('PCR: an agreement recorded before publication does not allow a later, shorter deadline under 10 days', async () => {
    const f = await competitionFixture(t, { ruleSet: 'PCR2015_DPS', publish: false, deadlineDays: 14 });
    const actor = { _id: f.buyer.id, role: 'buyer' as const, organisation: f.buyer.organisation };
    const now = t.clock.now();
    const saved = await saveDeadlines(t.clock, actor, f.id, { clarificationDeadline: new Date(now.getTime() + 30 * 60 * 1000), deadline: new Date(now.getTime() + 14 * DAY), agreementNote: 'Suppliers agreed by e-mail' });
    expect(saved.outcome).to.equal('saved');
    expect((await publish(t.clock, t.mailer, 'http://x', actor, f.id)).outcome).to.equal('published');
    const before = await Competition.findById(f.id).lean();
    const out = await changeDeadline(t.clock, t.mailer, 'http://x', actor, f.id, { deadline: new Date(now.getTime() + HOUR), clarificationDeadline: before!.clarificationDeadline!, reason: 'faster' });
    expect(out.outcome, JSON.stringify(out)).to.equal('problems');
    expect(JSON.stringify(out)).to.contain('PCR 2015 regulation 34');
    expect((await Competition.findById(f.id).lean())!.deadline!.getTime()).to.equal(before!.deadline!.getTime());
    // ten days from publication is still allowed
    const ten = await changeDeadline(t.clock, t.mailer, 'http://x', actor, f.id, { deadline: new Date(now.getTime() + 10 * DAY), clarificationDeadline: before!.clarificationDeadline!, reason: 'the work is needed sooner' });
    expect(ten.outcome).to.equal('changed');
  });

  it('keeps a social value commitment out of the session store (the confirmation message names no figures)', async () => {
    const f = await competitionFixture(t, { suppliers: 1 });
    const agent = await signIn(t, f.suppliers[0]);
    const res = await submit(agent, bidUrl(f.id, '/social-value'), { measure: 'CCIN-C1', quantity: '987654' });
    expect(res.status).to.equal(303);
    // the redirect is not followed, so a flash would still be in the session
    const raw = JSON.stringify(await mongoose.connection.db!.collection('sessions').find({}).toArray());
    expect(raw).to.contain('Commitment added to your bid');
    expect(raw).not.to.contain('987,654').and.not.to.contain('987654');
  });
});
