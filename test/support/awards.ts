// Test data for the award: an opened competition (any rule-set) whose evaluation is complete, written straight to
// the Evaluation and ModeratedScore models as the evaluation services leave them (prices kept, completedAt set).
// Each supplier's name, price and rationales carry their own sentinel, so a letter leaking another bidder's shows.
import { Types } from 'mongoose';
import { Evaluation } from '../../models/Evaluation';
import { ModeratedScore } from '../../models/ModeratedScore';
import { Organisation } from '../../models/Organisation';
import { Competition } from '../../models/Competition';
import { RuleSet } from '../../server/domain/tenderRules';
import { submit, TestApp } from './app';
import { Award } from '../../models/Award';
import { competitionFixture, CompetitionFixture } from './competitions';
import { actorOf, openBox, sealedBid, SealedBid } from './sealedBids';

export interface EvaluatedOptions {
  ruleSet?: RuleSet;
  /** one per bidder, in pence; default: three distinct prices */
  prices?: number[];
  /** consensus scores (0-4) per bidder: [quality, social value] */
  scores?: Array<[number, number]>;
  /** write the evaluation as complete (default true) */
  complete?: boolean;
}

export interface EvaluatedFixture {
  fx: CompetitionFixture;
  bids: SealedBid[];
  /** each bidder's organisation name (with its sentinel), in the suppliers' order */
  names: string[];
  /** each bidder's sentinel: in its name, its answers and its rationales */
  sentinels: string[];
}

let n = 0;

/** Defaults: bidder 1 ranks first (quality 4), then bidder 0, then bidder 2. */
export async function evaluatedCompetition(t: TestApp, opts: EvaluatedOptions = {}): Promise<EvaluatedFixture> {
  const prices = opts.prices ?? [1_234_511, 1_334_522, 1_134_533];
  const scores = opts.scores ?? [[3, 2], [4, 3], [2, 1]];
  const fx = await competitionFixture(t, { suppliers: prices.length, ruleSet: opts.ruleSet ?? 'PA2023_DYNAMIC_MARKET' });
  const run = n++;
  const sentinels = prices.map((_, i) => `SNTL${run}X${i}`);
  const names = sentinels.map((s, i) => `Bidder ${i} ${s}`);
  for (const [i, s] of fx.suppliers.entries()) await Organisation.updateOne({ _id: s.organisation }, { $set: { name: names[i] } });
  const bids: SealedBid[] = [];
  for (const [i, totalPence] of prices.entries()) bids.push(await sealedBid(fx.id, fx.suppliers[i], { totalPence, sentinel: sentinels[i] }));
  t.clock.set(new Date(fx.deadline.getTime() + 60_000));
  await openBox(t, fx.id, actorOf(fx.buyer, 'buyer'), actorOf(fx.buyer2, 'buyer'));
  const c = await Competition.findById(fx.id).lean();
  const quality = c!.criteria.find((k) => k.kind === 'quality')!;
  const social = c!.criteria.find((k) => k.kind === 'social-value')!;
  const at = t.clock.now();
  const lead = new Types.ObjectId(fx.buyer.id);
  for (const [i, b] of bids.entries()) {
    await ModeratedScore.create({ competition: fx.id, bid: b.bidId, criterion: quality._id, score: scores[i][0], rationale: `Quality rationale ${sentinels[i]}`, by: lead, at });
    await ModeratedScore.create({ competition: fx.id, bid: b.bidId, criterion: social._id, score: scores[i][1], rationale: `Social value rationale ${sentinels[i]}`, by: lead, at });
  }
  await Evaluation.create({
    competition: fx.id, council: fx.buyer.organisation, scaleMax: 4, lead,
    evaluators: [{ user: lead, addedBy: lead, addedAt: at, declaredAt: at, submittedAt: at }],
    prices: bids.map((b, i) => ({ bid: b.bidId, pricePence: prices[i] })),
    ...(opts.complete === false ? {} : { completedAt: at, completedBy: lead }),
  });
  return { fx, bids, names, sentinels };
}

/** £12,345.11 from 1234511 pence: how a price would appear on a page. */
export function poundsText(pence: number): string {
  return `£${(pence / 100).toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The first buyer proposes the award to the top-ranked bid (bidder 1 by default) through the real form. */
export async function proposeTop(e: EvaluatedFixture, agent: import('supertest').Agent, characteristics = 'A co-design approach rooted in the neighbourhoods.'): Promise<string> {
  const res = await submit(agent, `/buyer/competitions/${e.fx.id}/award`, { bidId: e.bids[1].bidId, characteristics });
  if (res.status !== 303) throw new Error(`proposal failed with ${res.status}`);
  const award = await Award.findOne({ competition: e.fx.id, live: true }).lean();
  return String(award!._id);
}
