// The deadline boundary on the server's (fake) clock: one millisecond before it a save, submit, replacement,
// withdrawal or upload is accepted; at the deadline itself each is refused with 409 and nothing changes, including
// an upload that started in time but finished at the deadline. A cancelled competition refuses them with 410.
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { csrfFrom, resetDatabase, signIn, testApp, TestApp, TestUser } from '../support/app';
import { competitionFixture, CompetitionFixture } from '../support/competitions';
import { bidUrl, saveAnswers, savePrice, submitBidThroughRoutes, submitFromReview, uploadAttachment } from '../support/bids';
import * as files from '../fixtures/files';

const REFUSED = 'The deadline for this competition has passed';

function expectRefused(res: request.Response, status = 409, heading = REFUSED) {
  expect(res.status).to.equal(status);
  expect(cheerio.load(res.text)('h1').text()).to.equal(heading);
}

async function versionsOf(f: CompetitionFixture, supplier: TestUser) {
  return ((await Bid.findOne({ competition: f.id, supplier: supplier.organisation } as any).lean())?.versions ?? []).map((v) => v.status);
}

describe('Bids: the deadline boundary', function () {
  this.timeout(60_000);
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  const justBefore = (f: CompetitionFixture) => new Date(f.deadline.getTime() - 1);

  /** Fetches a form's token while still open, then moves the clock to the deadline and posts. */
  async function postAtDeadline(f: CompetitionFixture, agent: request.Agent, formPath: string, postPath: string, fields: Record<string, string>) {
    const _csrf = await csrfFrom(agent, formPath);
    t.clock.set(f.deadline);
    return agent.post(postPath).type('form').send({ ...fields, _csrf });
  }

  it('saves a section at deadline - 1 ms, and refuses a save at the deadline with 409, nothing changed', async () => {
    const f = await competitionFixture(t);
    t.clock.set(justBefore(f));
    const agent = await signIn(t, f.suppliers[0]);
    expect((await saveAnswers(agent, f.id, ['In time.', ''])).status).to.equal(303);
    const before = await Bid.findOne({ competition: f.id }).lean();
    const textarea = cheerio.load((await agent.get(bidUrl(f.id, '/answers'))).text)('textarea').first().attr('name')!;
    const res = await postAtDeadline(f, agent, bidUrl(f.id, '/answers'), bidUrl(f.id, '/answers'), { [textarea]: 'Too late.' });
    expectRefused(res);
    const after = await Bid.findOne({ competition: f.id }).lean();
    expect(after!.draft!.revision).to.equal(before!.draft!.revision);
    // the form pages refuse too; the overview still shows the bid and says why
    expectRefused(await agent.get(bidUrl(f.id, '/price')));
    const overview = await agent.get(bidUrl(f.id));
    expect(overview.status).to.equal(200);
    expect(cheerio.load(overview.text)('#bid-closed').text()).to.contain('can no longer be changed');
  });

  it('accepts a submit at deadline - 1 ms (receipt time exactly then) and refuses one at the deadline', async () => {
    const f = await competitionFixture(t);
    t.clock.set(new Date(f.deadline.getTime() - 60_000));
    const [early, late] = f.suppliers;
    const a = await signIn(t, early);
    const b = await signIn(t, late);
    for (const agent of [a, b]) {
      await saveAnswers(agent, f.id, ['One.', 'Two.']);
      await savePrice(agent, f.id, '1000');
    }
    t.clock.set(justBefore(f));
    expect((await submitFromReview(a, f.id)).status).to.equal(303);
    const bid = await Bid.findOne({ competition: f.id, supplier: early.organisation } as any).lean();
    expect(bid!.versions[0].receivedAt.getTime()).to.equal(f.deadline.getTime() - 1);

    const page = cheerio.load((await b.get(bidUrl(f.id, '/review'))).text);
    t.clock.set(f.deadline);
    const res = await b.post(bidUrl(f.id, '/submit')).type('form').send({ revision: String(page('input[name=revision]').val()), _csrf: String(page('input[name=_csrf]').first().val()) });
    expectRefused(res);
    expect(await versionsOf(f, late)).to.deep.equal([]);
  });

  it('accepts a replacement at deadline - 1 ms and refuses one at the deadline, the current version standing', async () => {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    t.clock.set(new Date(f.deadline.getTime() - 60_000));
    const { agent } = await submitBidThroughRoutes(t, supplier, f.id);
    await savePrice(agent, f.id, '11000');
    t.clock.set(justBefore(f));
    expect((await submitFromReview(agent, f.id)).status).to.equal(303);
    expect(await versionsOf(f, supplier)).to.deep.equal(['superseded', 'submitted']);
    await savePrice(agent, f.id, '10500');
    const page = cheerio.load((await agent.get(bidUrl(f.id, '/review'))).text);
    t.clock.set(f.deadline);
    expectRefused(await agent.post(bidUrl(f.id, '/submit')).type('form').send({ revision: String(page('input[name=revision]').val()), _csrf: String(page('input[name=_csrf]').first().val()) }));
    expect(await versionsOf(f, supplier)).to.deep.equal(['superseded', 'submitted']);
  });

  it('accepts a withdrawal at deadline - 1 ms and refuses one at the deadline', async () => {
    const f = await competitionFixture(t);
    const [first, second] = f.suppliers;
    t.clock.set(new Date(f.deadline.getTime() - 60_000));
    const a = (await submitBidThroughRoutes(t, first, f.id)).agent;
    const b = (await submitBidThroughRoutes(t, second, f.id)).agent;
    t.clock.set(justBefore(f));
    const tokenA = await csrfFrom(a, bidUrl(f.id, '/withdraw'));
    expect((await a.post(bidUrl(f.id, '/withdraw')).type('form').send({ _csrf: tokenA })).status).to.equal(303);
    expect(await versionsOf(f, first)).to.deep.equal(['withdrawn']);
    expectRefused(await postAtDeadline(f, b, bidUrl(f.id, '/withdraw'), bidUrl(f.id, '/withdraw'), {}));
    expect(await versionsOf(f, second)).to.deep.equal(['submitted']);
  });

  it('keeps an upload that finishes at deadline - 1 ms; refuses one that started in time but finished at the deadline, keeping nothing', async () => {
    const f = await competitionFixture(t);
    t.clock.set(justBefore(f));
    const agent = await signIn(t, f.suppliers[0]);
    expect((await uploadAttachment(agent, f.id, 'In time.pdf', files.pdf('in time'))).status).to.equal(303);
    const gridFiles = () => mongoose.connection.db!.collection('bidfiles.files').countDocuments({});
    expect(await gridFiles()).to.equal(1);
    const revision = (await Bid.findOne({ competition: f.id }).lean())!.draft!.revision;

    // a multipart body sent in two halves: the clock reaches the deadline while the file is still arriving
    const token = await csrfFrom(agent, bidUrl(f.id, '/attachments'));
    const boundary = 'bid-boundary-7d93';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="Late.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      files.pdf('late'.repeat(2000)),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const half = Math.floor(body.length / 2);
    const req = agent.post(bidUrl(f.id, '/attachments')).set('Content-Type', `multipart/form-data; boundary=${boundary}`).set('Content-Length', String(body.length));
    req.write(body.subarray(0, half));
    await new Promise((r) => setTimeout(r, 200));
    t.clock.set(f.deadline);
    req.write(body.subarray(half));
    const res = await new Promise<request.Response>((resolve, reject) => req.end((err, r) => (r ? resolve(r) : reject(err))));
    expectRefused(res);
    expect(await gridFiles()).to.equal(1);
    expect((await Bid.findOne({ competition: f.id }).lean())!.draft!.revision).to.equal(revision);
  });

  it('refuses every change to a bid in a cancelled competition with 410', async () => {
    const f = await competitionFixture(t);
    const supplier = f.suppliers[0];
    const { agent } = await submitBidThroughRoutes(t, supplier, f.id);
    const token = await csrfFrom(agent, bidUrl(f.id, '/withdraw'));
    await Competition.updateOne({ _id: f.id }, { $set: { status: 'cancelled', cancellation: { reason: 'Budget withdrawn', at: t.clock.now() } } });
    const cancelled = 'This competition has been cancelled';
    expectRefused(await agent.post(bidUrl(f.id, '/withdraw')).type('form').send({ _csrf: token }), 410, cancelled);
    expectRefused(await agent.get(bidUrl(f.id, '/answers')), 410, cancelled);
    expectRefused(await agent.post(bidUrl(f.id, '/submit')).type('form').send({ _csrf: token, revision: '0' }), 410, cancelled);
    expect(await versionsOf(f, supplier)).to.deep.equal(['submitted']);
  });
});
