// Who reaches a bid: a supplier not invited gets 404 on every bid route, another invited supplier cannot reach
// this supplier's files or receipts (404), buyers and admins get 403, and the raw database holds no plaintext.
import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { Bid } from '../../models/Bid';
import { ensureMeasureCatalogue } from '../../server/services/measures';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { admittedSupplier, competitionFixture, CompetitionFixture } from '../support/competitions';
import { bidUrl, submitBidThroughRoutes, submitFromReview } from '../support/bids';
import * as files from '../fixtures/files';

/** Every bid route, with a file id and version that exist for the first supplier's bid. */
function routes(f: CompetitionFixture, fileId: string): Array<[string, string]> {
  return [
    ['GET', bidUrl(f.id)], ['GET', bidUrl(f.id, '/answers')], ['POST', bidUrl(f.id, '/answers')],
    ['GET', bidUrl(f.id, '/price')], ['POST', bidUrl(f.id, '/price')],
    ['GET', bidUrl(f.id, '/social-value')], ['POST', bidUrl(f.id, '/social-value')], ['POST', bidUrl(f.id, '/social-value/remove')],
    ['GET', bidUrl(f.id, '/attachments')], ['POST', bidUrl(f.id, '/attachments')],
    ['GET', bidUrl(f.id, `/attachments/${fileId}`)], ['POST', bidUrl(f.id, `/attachments/${fileId}/remove`)],
    ['GET', bidUrl(f.id, '/review')], ['POST', bidUrl(f.id, '/submit')], ['GET', bidUrl(f.id, '/receipts/1')],
    ['GET', bidUrl(f.id, '/withdraw')], ['POST', bidUrl(f.id, '/withdraw')],
  ];
}

async function call(agent: request.Agent, method: string, path: string, token: string) {
  if (method === 'GET') return agent.get(path);
  if (path.endsWith('/bid/attachments')) return agent.post(path).field('_csrf', token).attach('file', files.pdf('x'), 'x.pdf');
  return agent.post(path).type('form').send({ _csrf: token, revision: '1', line: '0', code: 'CCIN-C1', measure: 'CCIN-C1', quantity: '1', total: '1' });
}

describe('Bids: access and sealing at rest', function () {
  this.timeout(90_000);
  let t: TestApp;
  let f: CompetitionFixture;
  let fileId: string;
  before(async () => {
    t = await testApp();
    await resetDatabase();
    await ensureMeasureCatalogue();
    f = await competitionFixture(t);
    await submitBidThroughRoutes(t, f.suppliers[0], f.id, { attachment: { name: 'Plan.pdf', bytes: files.pdf('plan') } });
    const bid = await Bid.findOne({ competition: f.id }).lean();
    fileId = String(bid!.files[0]);
  });

  it('gives a supplier not invited (admitted after publication) 404 on every bid route, and changes nothing', async () => {
    const outsider = await admittedSupplier(f.lot.id, t.clock.now());
    const agent = await signIn(t, outsider);
    const token = await csrfFrom(agent, '/supplier');
    for (const [method, path] of routes(f, fileId)) {
      const res = await call(agent, method, path, token);
      expect(res.status, `${method} ${path}`).to.equal(404);
    }
    expect(await Bid.countDocuments({ competition: f.id })).to.equal(1);
  });

  it('gives another invited supplier 404 for the first supplier\u2019s attachment and receipt', async () => {
    const agent = await signIn(t, f.suppliers[1]);
    expect((await agent.get(bidUrl(f.id, `/attachments/${fileId}`))).status).to.equal(404);
    expect((await agent.get(bidUrl(f.id, '/receipts/1'))).status).to.equal(404);
    const token = await csrfFrom(agent, bidUrl(f.id, '/attachments'));
    expect((await agent.post(bidUrl(f.id, `/attachments/${fileId}/remove`)).type('form').send({ _csrf: token })).status).to.equal(404);
    expect((await Bid.findOne({ competition: f.id, supplier: f.suppliers[0].organisation } as any).lean())!.files).to.have.length(1);
  });

  it('gives buyers (the owning council\u2019s too) and admins 403 on every bid route', async () => {
    for (const user of [f.buyer, await createUser('admin')]) {
      const agent = await signIn(t, user);
      const token = await csrfFrom(agent, '/account');
      for (const [method, path] of routes(f, fileId)) {
        const res = await call(agent, method, path, token);
        expect(res.status, `${method} ${path}`).to.equal(403);
      }
    }
  });

  it('sends anonymous visitors to sign in', async () => {
    const res = await request(t.app).get(bidUrl(f.id));
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/sign-in');
  });

  it('keeps no plaintext of answers, breakdown items, commitments or the attachment\u2019s bytes and name in the raw database', async () => {
    const g = await competitionFixture(t);
    const supplier = g.suppliers[0];
    const { agent } = await submitBidThroughRoutes(t, supplier, g.id, {
      answers: ['SENTINEL-ANSWER-ONE our approach', 'SENTINEL-ANSWER-TWO social value'],
      price: '1000', breakdown: [{ item: 'SENTINEL-BREAKDOWN-ITEM', amount: '1000' }],
      attachment: { name: 'SENTINEL-FILE-NAME.pdf', bytes: files.pdf('SENTINEL-FILE-BYTES') },
    });
    expect((await submit(agent, bidUrl(g.id, '/social-value'), { measure: 'CCIN-C2', quantity: '40' })).status).to.equal(303);
    // resubmit so a version holds the commitment as well as the draft
    expect((await submitFromReview(agent, g.id)).status).to.equal(303);

    const db = mongoose.connection.db!;
    const chunks = await db.collection('bidfiles.chunks').find({}).toArray();
    expect(chunks.length).to.be.greaterThan(1);
    const raw = Buffer.concat([
      Buffer.from(JSON.stringify(await db.collection('bids').find({}).toArray())),
      ...chunks.map((c) => Buffer.from(c.data.buffer)),
      Buffer.from(JSON.stringify(await db.collection('bidfiles.files').find({}).toArray())),
    ]);
    const measure = (await db.collection('socialvaluemeasures').findOne({ code: 'CCIN-C2' }))!;
    for (const sentinel of ['SENTINEL-ANSWER-ONE', 'SENTINEL-ANSWER-TWO', 'SENTINEL-BREAKDOWN-ITEM', 'SENTINEL-FILE-NAME', 'SENTINEL-FILE-BYTES', 'CCIN-C2', measure.description, 'expert hours']) {
      expect(raw.includes(Buffer.from(sentinel)), sentinel).to.equal(false);
    }
    // nor anywhere else the service writes (audit trail, notifications, sessions)
    for (const name of (await db.listCollections().toArray()).map((c) => c.name).filter((n) => n !== 'socialvaluemeasures')) {
      const text = JSON.stringify(await db.collection(name).find({}).toArray());
      for (const sentinel of ['SENTINEL-ANSWER-ONE', 'SENTINEL-BREAKDOWN-ITEM', 'SENTINEL-FILE-NAME']) expect(text.includes(sentinel), `${sentinel} in ${name}`).to.equal(false);
    }
  });
});
