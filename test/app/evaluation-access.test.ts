// Who reaches the evaluation pages: another council's buyer 404 (nothing written), suppliers and admins 403, before
// the box is opened 409; and an evaluator conflicted with a bid is left out of that bid's moderation.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import { Competition } from '../../models/Competition';
import { Evaluation } from '../../models/Evaluation';
import { createUser, csrfFrom, resetDatabase, signIn, submit, testApp, TestApp } from '../support/app';
import { competitionFixture } from '../support/competitions';
import { openedCompetition } from '../support/evaluation';

const base = (id: string) => `/buyer/competitions/${id}/evaluation`;
const BID = '0123456789abcdef01234567';
const GETS = ['', '/panel', '/declaration', `/bids/${BID}`, `/moderation/${BID}`, '/results'];
const POSTS = ['/panel', '/declaration', `/bids/${BID}`, '/submit', `/moderation/${BID}`, '/tie-break', '/complete'];

describe('Evaluation: access', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  it('gives another council\u2019s buyer 404 on every page and action, and writes nothing', async () => {
    const { fx } = await openedCompetition(t, [1_000_000]);
    const other = await signIn(t, await createUser('buyer'));
    const token = await csrfFrom(other, '/account');
    for (const p of GETS) expect((await other.get(base(fx.id) + p)).status, `GET ${p}`).to.equal(404);
    for (const p of POSTS) {
      const res = await other.post(base(fx.id) + p).type('form').send({ _csrf: token, evaluators: [], lead: 'x', scaleMax: '4', kind: 'none' });
      expect(res.status, `POST ${p}`).to.equal(404);
    }
    expect(await Evaluation.countDocuments({ competition: fx.id })).to.equal(0);
  });

  it('refuses suppliers and admins (403)', async () => {
    const { fx } = await openedCompetition(t, [1_000_000]);
    for (const role of ['supplier', 'admin'] as const) {
      const agent = await signIn(t, role === 'supplier' ? fx.suppliers[0] : await createUser('admin'));
      for (const p of GETS) expect((await agent.get(base(fx.id) + p)).status, `${role} GET ${p}`).to.equal(403);
    }
  });

  it('says the bids cannot be evaluated before the box is opened (409), and a cancelled competition is gone (410)', async () => {
    const fx = await competitionFixture(t);
    const early = await signIn(t, fx.buyer);
    const open = await early.get(base(fx.id));
    expect(open.status).to.equal(409);
    expect(cheerio.load(open.text)('h1').text()).to.equal('The bids cannot be evaluated yet');
    t.clock.set(new Date(fx.deadline.getTime() + 60_000));
    const buyer = await signIn(t, fx.buyer);
    expect((await buyer.get(`${base(fx.id)}/panel`)).status).to.equal(409);
    expect((await submit(buyer, `${base(fx.id)}/panel`, { evaluators: fx.buyer.id, lead: fx.buyer.id, scaleMax: '4' }, '/account')).status).to.equal(409);
    expect(await Evaluation.countDocuments({ competition: fx.id })).to.equal(0);
    await Competition.updateOne({ _id: fx.id }, { $set: { status: 'cancelled' } });
    expect((await buyer.get(base(fx.id))).status).to.equal(410);
  });

  it('leaves an evaluator conflicted with a bid out of that bid\u2019s moderation, and a non-panel buyer sees no bid', async () => {
    const { fx, bids } = await openedCompetition(t, [1_000_000, 1_200_000]);
    const c = await Competition.findById(fx.id).lean();
    const [q, s] = ['quality', 'social-value'].map((kind) => String(c!.criteria.find((k) => k.kind === kind)!._id));
    const lead = await signIn(t, fx.buyer);
    const second = await signIn(t, fx.buyer2);
    const outsider = await signIn(t, await createUser('buyer', { organisation: fx.buyer.organisation }));
    await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id, fx.buyer2.id], lead: fx.buyer.id, scaleMax: '4' });
    expect((await outsider.get(`${base(fx.id)}/bids/${bids[0].bidId}`)).status).to.equal(403);
    expect((await outsider.get(base(fx.id))).status).to.equal(200);
    await submit(lead, `${base(fx.id)}/declaration`, { kind: 'none' });
    await submit(second, `${base(fx.id)}/declaration`, { kind: 'bids', bids: bids[1].bidId, bidsNote: 'Former employer' });
    const f = (note: string) => ({ [`score-${q}`]: '2', [`comment-${q}`]: `Q ${note}`, [`score-${s}`]: '2', [`comment-${s}`]: `S ${note}` });
    for (const b of bids) await submit(lead, `${base(fx.id)}/bids/${b.bidId}`, f('LEAD-NOTE'));
    expect((await submit(second, `${base(fx.id)}/bids/${bids[1].bidId}`, f('SECOND-NOTE'), base(fx.id))).status).to.equal(403);
    await submit(second, `${base(fx.id)}/bids/${bids[0].bidId}`, f('SECOND-NOTE'));
    await submit(lead, `${base(fx.id)}/submit`, {}, base(fx.id));
    await submit(second, `${base(fx.id)}/submit`, {}, base(fx.id));
    const conflicted = await lead.get(`${base(fx.id)}/moderation/${bids[1].bidId}`);
    expect(conflicted.status).to.equal(200);
    expect(conflicted.text).to.contain('Q LEAD-NOTE').and.not.to.contain('SECOND-NOTE');
    expect((await lead.get(`${base(fx.id)}/moderation/${bids[0].bidId}`)).text).to.contain('Q SECOND-NOTE');
  });
});
