// The evaluation journey through the front door: the panel, declarations before any bid is seen, conflicts,
// independent scoring (sentinels), moderation by the lead, the ranking from consensus scores, the tie-break.
import { expect } from 'chai';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEvent } from '../../models/AuditEvent';
import { Competition } from '../../models/Competition';
import { Evaluation } from '../../models/Evaluation';
import { EvaluatorScore } from '../../models/EvaluatorScore';
import { evaluationResults, isEvaluationComplete } from '../../server/services/evaluation';
import { createUser, resetDatabase, signIn, submit, testApp, TestApp, TestUser } from '../support/app';
import { openedCompetition } from '../support/evaluation';

type Agent = request.Agent;
const base = (id: string) => `/buyer/competitions/${id}/evaluation`;

async function criteriaOf(id: string) {
  const c = await Competition.findById(id).lean();
  return { quality: String(c!.criteria.find((k) => k.kind === 'quality')!._id), social: String(c!.criteria.find((k) => k.kind === 'social-value')!._id) };
}

type K = Awaited<ReturnType<typeof criteriaOf>>;
const fields = (k: K, q: number, s: number, note: string) => ({ [`score-${k.quality}`]: String(q), [`comment-${k.quality}`]: `Quality ${note}`, [`score-${k.social}`]: String(s), [`comment-${k.social}`]: `Social ${note}` });

async function scoreBid(agent: Agent, id: string, bidId: string, f: Record<string, string>) {
  return submit(agent, `${base(id)}/bids/${bidId}`, f);
}

describe('Evaluation: panel, declarations, scoring, moderation and results', () => {
  let t: TestApp;
  before(async () => {
    t = await testApp();
    await resetDatabase();
  });

  async function start(prices: number[], extraBuyers = 0) {
    const { fx, bids } = await openedCompetition(t, prices);
    const extra: TestUser[] = [];
    for (let i = 0; i < extraBuyers; i++) extra.push(await createUser('buyer', { organisation: fx.buyer.organisation }));
    const lead = await signIn(t, fx.buyer);
    const second = await signIn(t, fx.buyer2);
    return { fx, bids, lead, second, extra, k: await criteriaOf(fx.id) };
  }

  it('refuses a panel without evaluators, with someone outside the council, or a lead off the panel; then sets it up, audited', async () => {
    const { fx, lead } = await start([1_000_000]);
    const outsider = await createUser('buyer');
    const none = await submit(lead, `${base(fx.id)}/panel`, { lead: fx.buyer.id, scaleMax: '4' });
    expect(none.status).to.equal(400);
    const $ = cheerio.load(none.text);
    expect($('title').text()).to.match(/^Error: /);
    expect($('.govuk-error-summary a[href="#evaluators"]').text()).to.equal('Select at least one evaluator');
    expect((await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id, outsider.id], lead: fx.buyer.id, scaleMax: '4' })).status).to.equal(400);
    const offPanel = await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id], lead: fx.buyer2.id, scaleMax: '4' });
    expect(cheerio.load(offPanel.text)('.govuk-error-summary a[href="#lead"]').length).to.equal(1);
    expect((await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id], lead: fx.buyer.id, scaleMax: '11' })).status).to.equal(400);
    expect(await Evaluation.countDocuments({ competition: fx.id })).to.equal(0);

    const ok = await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id, fx.buyer2.id], lead: fx.buyer.id, scaleMax: '4', council: 'x' });
    expect(ok.status).to.equal(303);
    const e = await Evaluation.findOne({ competition: fx.id }).lean();
    expect(e!.evaluators.map((m) => String(m.user))).to.have.members([fx.buyer.id, fx.buyer2.id]);
    expect(String(e!.council)).to.equal(fx.buyer.organisation);
    expect(await AuditEvent.countDocuments({ action: 'evaluation.panel-set', targetId: fx.id })).to.equal(1);
  });

  it('refuses every bid page until the evaluator has declared; a bid conflict hides that bid; a whole-competition conflict removes', async () => {
    const { fx, bids, lead, second, extra } = await start([1_000_000, 1_100_000], 1);
    const third = await signIn(t, extra[0]);
    await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id, fx.buyer2.id, extra[0].id], lead: fx.buyer.id, scaleMax: '4' });
    const before = await lead.get(`${base(fx.id)}/bids/${bids[0].bidId}`);
    expect(before.status).to.equal(403);
    expect(before.text).to.contain('Declare any conflict of interest first');
    expect(before.text).not.to.contain('bid0');
    expect(await AuditEvent.countDocuments({ action: 'bid.read', actor: fx.buyer.id })).to.equal(0);

    // the second buyer: a conflict with bid 1
    const missingNote = await submit(second, `${base(fx.id)}/declaration`, { kind: 'bids', bids: bids[1].bidId });
    expect(missingNote.status).to.equal(400);
    expect(cheerio.load(missingNote.text)('.govuk-error-summary a[href="#bidsNote"]').length).to.equal(1);
    expect((await submit(second, `${base(fx.id)}/declaration`, { kind: 'bids', bids: bids[1].bidId, bidsNote: 'My sister runs it' })).status).to.equal(303);
    expect((await second.get(`${base(fx.id)}/bids/${bids[1].bidId}`)).status).to.equal(403);
    const ok = await second.get(`${base(fx.id)}/bids/${bids[0].bidId}`);
    expect(ok.status).to.equal(200);
    expect(ok.text).to.contain('Our answer bid0');
    const overview = cheerio.load((await second.get(base(fx.id))).text);
    expect(overview('#your-bids a').map((_, a) => overview(a).attr('href')).get()).to.deep.equal([`${base(fx.id)}/bids/${bids[0].bidId}`]);

    // the third: a conflict with the whole competition
    expect((await submit(third, `${base(fx.id)}/declaration`, { kind: 'competition', competitionNote: 'I advise one bidder' })).status).to.equal(303);
    const e = await Evaluation.findOne({ competition: fx.id }).lean();
    const removed = e!.evaluators.find((m) => String(m.user) === extra[0].id)!;
    expect(removed.removedAt).to.be.instanceOf(Date);
    expect(removed.removedReason).to.contain('I advise one bidder');
    expect((await third.get(`${base(fx.id)}/bids/${bids[0].bidId}`)).status).to.equal(403);
    expect(await AuditEvent.countDocuments({ action: 'evaluation.evaluator-removed' })).to.be.greaterThan(0);
    // a second declaration is refused
    expect((await submit(lead, `${base(fx.id)}/declaration`, { kind: 'none' })).status).to.equal(303);
    expect((await lead.post(`${base(fx.id)}/declaration`).type('form').send({ kind: 'none', _csrf: cheerio.load((await lead.get(base(fx.id))).text)('input[name=_csrf]').val() as string })).status).to.equal(409);
  });

  it('keeps scoring independent: no other evaluator\u2019s score or comment before submitting, then shows them; comments required, range checked', async () => {
    const { fx, bids, lead, second, k } = await start([1_000_000]);
    await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id, fx.buyer2.id], lead: fx.buyer.id, scaleMax: '4' });
    await submit(lead, `${base(fx.id)}/declaration`, { kind: 'none' });
    await submit(second, `${base(fx.id)}/declaration`, { kind: 'none' });
    const bidId = bids[0].bidId;

    const noComment = await scoreBid(second, fx.id, bidId, { ...fields(k, 3, 2, 'x'), [`comment-${k.quality}`]: '  ' });
    expect(noComment.status).to.equal(400);
    expect(cheerio.load(noComment.text)(`.govuk-error-summary a[href="#comment-${k.quality}"]`).text()).to.contain('Enter a comment');
    const tooHigh = await scoreBid(second, fx.id, bidId, fields(k, 5, 2, 'x'));
    expect(tooHigh.status).to.equal(400);
    expect(cheerio.load(tooHigh.text)(`.govuk-error-summary a[href="#score-${k.quality}"]`).length).to.equal(1);
    expect(await EvaluatorScore.countDocuments({ competition: fx.id })).to.equal(0);

    expect((await scoreBid(second, fx.id, bidId, fields(k, 3, 2, 'SENTINEL-SECOND'))).status).to.equal(303);
    expect((await submit(second, `${base(fx.id)}/submit`, {}, base(fx.id))).status).to.equal(303);
    expect((await scoreBid(lead, fx.id, bidId, fields(k, 1, 1, 'SENTINEL-LEAD'))).status).to.equal(303);
    for (const path of [base(fx.id), `${base(fx.id)}/bids/${bidId}`]) {
      const page = await lead.get(path);
      expect(page.text).not.to.contain('SENTINEL-SECOND');
    }
    // the second has submitted, but the lead has not: the lead's scores stay hidden from the second too
    expect((await second.get(`${base(fx.id)}/bids/${bidId}`)).text).not.to.contain('SENTINEL-LEAD');
    expect((await submit(lead, `${base(fx.id)}/submit`, {}, base(fx.id))).status).to.equal(303);
    expect((await lead.get(`${base(fx.id)}/bids/${bidId}`)).text).to.contain('Quality SENTINEL-SECOND');
    expect((await second.get(`${base(fx.id)}/bids/${bidId}`)).text).to.contain('Quality SENTINEL-LEAD');
    // submitted scores are read-only
    expect((await lead.post(`${base(fx.id)}/bids/${bidId}`).type('form').send({ ...fields(k, 4, 4, 'late'), _csrf: cheerio.load((await lead.get(base(fx.id))).text)('input[name=_csrf]').val() as string })).status).to.equal(409);
  });

  it('moderates only by the lead once all have submitted, keeps individual scores, and ranks on consensus scores (worked example)', async () => {
    const { fx, bids, lead, second, k } = await start([1_500_000, 1_200_000, 1_800_000]);
    await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id, fx.buyer2.id], lead: fx.buyer.id, scaleMax: '4' });
    for (const a of [lead, second]) await submit(a, `${base(fx.id)}/declaration`, { kind: 'none' });
    for (const b of bids) await scoreBid(lead, fx.id, b.bidId, fields(k, 2, 2, 'lead'));
    await submit(lead, `${base(fx.id)}/submit`, {}, base(fx.id));
    expect((await lead.get(`${base(fx.id)}/moderation/${bids[0].bidId}`)).status).to.equal(409);
    for (const b of bids) await scoreBid(second, fx.id, b.bidId, fields(k, 3, 3, 'second'));
    await submit(second, `${base(fx.id)}/submit`, {}, base(fx.id));
    expect((await second.get(`${base(fx.id)}/moderation/${bids[0].bidId}`)).status).to.equal(403);
    const page = await lead.get(`${base(fx.id)}/moderation/${bids[0].bidId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Quality lead').and.to.contain('Quality second');
    const noRationale = await submit(lead, `${base(fx.id)}/moderation/${bids[0].bidId}`, { ...fields(k, 4, 2, 'c'), [`comment-${k.social}`]: '' });
    expect(noRationale.status).to.equal(400);
    expect(cheerio.load(noRationale.text)(`.govuk-error-summary a[href="#comment-${k.social}"]`).text()).to.contain('Enter a rationale');

    const individual = await EvaluatorScore.find({ competition: fx.id }).lean();
    // consensus: bid0 Q4 SV2, bid1 Q3 SV4, bid2 Q4 SV4
    const consensus: Array<[number, number]> = [[4, 2], [3, 4], [4, 4]];
    for (const [i, b] of bids.entries()) expect((await submit(lead, `${base(fx.id)}/moderation/${b.bidId}`, fields(k, consensus[i][0], consensus[i][1], 'agreed'))).status).to.equal(303);
    expect(await EvaluatorScore.find({ competition: fx.id }).lean()).to.deep.equal(individual);

    // price: lowest 12,000 -> bid0 24, bid1 30, bid2 20; totals 89, 85, 90
    const results = await second.get(`${base(fx.id)}/results`);
    expect(results.status).to.equal(200);
    const $ = cheerio.load(results.text);
    const rows = $('#ranking tbody tr').map((_, tr) => [$(tr).find('td, th').map((__, td) => $(td).text().trim()).get()]).get() as unknown as string[][];
    expect(rows.map((r) => [r[0], r[r.length - 2]])).to.deep.equal([['1', '90.00'], ['2', '89.00'], ['3', '85.00']]);
    expect(await isEvaluationComplete(fx.id)).to.equal(false);
    expect((await submit(second, `${base(fx.id)}/complete`, {}, `${base(fx.id)}/results`)).status).to.equal(303);
    expect(await isEvaluationComplete(fx.id)).to.equal(true);
    const final = await evaluationResults(fx.id);
    expect(final!.ranking.map((r) => [r.bidId, r.rank, r.total, r.pricePence])).to.deep.equal([[bids[2].bidId, 1, 90, 1_800_000], [bids[0].bidId, 2, 89, 1_500_000], [bids[1].bidId, 3, 85, 1_200_000]]);
    expect(final!.winner).to.equal(bids[2].bidId);
    expect(final!.ranking[0].criteria.find((c) => c.kind === 'quality')!.rationale).to.equal('Quality agreed');
    expect((await submit(lead, `${base(fx.id)}/moderation/${bids[0].bidId}`, fields(k, 1, 1, 'after'), base(fx.id))).status).to.equal(409);
  });

  it('asks the buyer to order bids tied on total and quality, records the order with its reason, audited', async () => {
    const { fx, bids, lead, k } = await start([1_000_000, 1_000_000]);
    await submit(lead, `${base(fx.id)}/panel`, { evaluators: [fx.buyer.id], lead: fx.buyer.id, scaleMax: '4' });
    await submit(lead, `${base(fx.id)}/declaration`, { kind: 'none' });
    for (const b of bids) await scoreBid(lead, fx.id, b.bidId, fields(k, 3, 3, 'same'));
    await submit(lead, `${base(fx.id)}/submit`, {}, base(fx.id));
    for (const b of bids) await submit(lead, `${base(fx.id)}/moderation/${b.bidId}`, fields(k, 3, 3, 'same'));
    const results = await lead.get(`${base(fx.id)}/results`);
    expect(results.text).to.contain('Record the order of tied bids');
    expect((await submit(lead, `${base(fx.id)}/complete`, {}, `${base(fx.id)}/results`)).status).to.equal(409);
    const same = await submit(lead, `${base(fx.id)}/tie-break`, { [`order-${bids[0].bidId}`]: '1', [`order-${bids[1].bidId}`]: '1', reason: 'x' }, `${base(fx.id)}/results`);
    expect(same.status).to.equal(400);
    const ok = await submit(lead, `${base(fx.id)}/tie-break`, { [`order-${bids[0].bidId}`]: '2', [`order-${bids[1].bidId}`]: '1', reason: 'Stronger local presence' }, `${base(fx.id)}/results`);
    expect(ok.status).to.equal(303);
    const e = await Evaluation.findOne({ competition: fx.id }).lean();
    expect(e!.tieBreak!.order!.map(String)).to.deep.equal([bids[1].bidId, bids[0].bidId]);
    expect(e!.tieBreak!.reason).to.equal('Stronger local presence');
    expect(await AuditEvent.countDocuments({ action: 'evaluation.tie-broken', targetId: fx.id })).to.equal(1);
    expect((await submit(lead, `${base(fx.id)}/complete`, {}, `${base(fx.id)}/results`)).status).to.equal(303);
    const final = await evaluationResults(fx.id);
    expect(final!.ranking.map((r) => [r.bidId, r.rank])).to.deep.equal([[bids[1].bidId, 1], [bids[0].bidId, 2]]);
  });
});
