// Scoring bids: worked examples with the arithmetic written out, ties, refusals and floating-point traps.
import { expect } from 'chai';
import { BidToScore, formatPoints, Points, problemText, ScoringCriterion, ScoringInput, ScoringProblem, scoreBids, ScoredBid } from '../../server/domain/scoring';

const quality = (weight: number, id = 'q'): ScoringCriterion => ({ id, name: `Quality ${id}`, kind: 'quality', weight });
const social = (weight: number, id = 'sv'): ScoringCriterion => ({ id, name: 'Social value', kind: 'social-value', weight });
const price = (weight: number): ScoringCriterion => ({ id: 'p', name: 'Price', kind: 'price', weight });
const bid = (id: string, pricePence: number | undefined, scores: Record<string, number>): BidToScore => ({ id, pricePence, scores });

/** The ranking, failing the test if the input was refused. */
function ranked(input: ScoringInput) {
  const result = scoreBids(input);
  if (!result.ok) throw new Error(`refused: ${result.problems.map((p) => p.message).join('; ')}`);
  return result;
}

function refused(input: ScoringInput): ScoringProblem[] {
  const result = scoreBids(input);
  if (result.ok) throw new Error('expected the input to be refused');
  return result.problems;
}

const pointsOf = (b: ScoredBid) => Object.fromEntries(b.criteria.map((c) => [c.criterionId, c.points]));
const exact = (num: number, den = 1): Points => ({ num: BigInt(num), den: BigInt(den) });

describe('scoring bids: worked examples', () => {
  it('scores three bids on quality 60 / price 30 / social value 10 and ranks them', () => {
    const criteria = [quality(60), price(30), social(10)];
    const result = ranked({
      criteria,
      bids: [
        bid('A', 1_000_000, { q: 3, sv: 2 }), // £10,000
        bid('B', 800_000, { q: 2, sv: 4 }), // £8,000, the lowest
        bid('C', 1_250_000, { q: 4, sv: 3 }), // £12,500
      ],
    });
    // A: quality 3/4 x 60 = 45; price 800,000 / 1,000,000 x 30 = 24; social value 2/4 x 10 = 5;   total 74
    // B: quality 2/4 x 60 = 30; price 800,000 / 800,000 x 30 = 30;   social value 4/4 x 10 = 10;  total 70
    // C: quality 4/4 x 60 = 60; price 800,000 / 1,250,000 x 30 = 19.2; social value 3/4 x 10 = 7.5; total 86.7
    const [first, second, third] = result.ranking;
    expect(result.ranking.map((b) => b.id)).to.deep.equal(['C', 'A', 'B']);
    expect(result.ranking.map((b) => b.rank)).to.deep.equal([1, 2, 3]);
    expect(pointsOf(first)).to.deep.equal({ q: 60, p: 19.2, sv: 7.5 });
    expect(pointsOf(second)).to.deep.equal({ q: 45, p: 24, sv: 5 });
    expect(pointsOf(third)).to.deep.equal({ q: 30, p: 30, sv: 10 });
    expect(result.ranking.map((b) => b.totalPoints)).to.deep.equal([86.7, 74, 70]);
    expect(result.ranking.map((b) => b.qualityPoints)).to.deep.equal([60, 45, 30]);
    // exact values: 86.7 = 867/10
    expect(first.total).to.deep.equal(exact(867, 10));
    expect(first.criteria[1]).to.include({ kind: 'price', pricePence: 1_250_000, weight: 30 });
    expect(first.criteria[0]).to.include({ kind: 'quality', score: 4 });
    expect(result.winner).to.equal('C');
    expect(result.ties).to.deep.equal([]);
    expect(result.lowestPricePence).to.equal(800_000);
    expect(second.rankedBelowBy).to.equal('total');
    expect(first.rankedBelowBy).to.equal(undefined);
  });

  it('gives the lowest price the full price weight, double the price half, treble a third', () => {
    const result = ranked({
      criteria: [quality(70), price(30)],
      bids: [
        bid('double', 200_000, { q: 2 }), // 100,000 / 200,000 x 30 = 15
        bid('lowest', 100_000, { q: 2 }), // 100,000 / 100,000 x 30 = 30
        bid('treble', 300_000, { q: 2 }), // 100,000 / 300,000 x 30 = 10 exactly
        bid('one-and-a-half', 150_000, { q: 2 }), // 100,000 / 150,000 x 30 = 20
      ],
    });
    const priceOf = (id: string) => result.ranking.find((b) => b.id === id)!.criteria.find((c) => c.kind === 'price')!;
    expect(priceOf('lowest').points).to.equal(30);
    expect(priceOf('double').points).to.equal(15);
    expect(priceOf('treble').points).to.equal(10);
    expect(priceOf('treble').exact).to.deep.equal(exact(10));
    expect(priceOf('one-and-a-half').points).to.equal(20);
    // quality is 2/4 x 70 = 35 for all, so price decides
    expect(result.ranking.map((b) => b.id)).to.deep.equal(['lowest', 'one-and-a-half', 'double', 'treble']);
  });

  it('rounds a weighted score to 2 places for display and keeps the exact value', () => {
    const result = ranked({
      criteria: [quality(60), price(40)],
      bids: [bid('A', 300_000, { q: 1 }), bid('B', 700_000, { q: 4 })],
    });
    // B's price: 300,000 / 700,000 x 40 = 120/7 = 17.142857... shown as 17.14
    const b = result.ranking.find((x) => x.id === 'B')!;
    expect(b.criteria[1].exact).to.deep.equal(exact(120, 7));
    expect(b.criteria[1].points).to.equal(17.14);
    expect(formatPoints(b.criteria[1].exact)).to.equal('17.14');
    // B's total: 60 + 120/7 = 540/7 = 77.142857...
    expect(b.total).to.deep.equal(exact(540, 7));
    expect(b.totalPoints).to.equal(77.14);
  });
});

describe('scoring bids: ties', () => {
  it('breaks a tie on the total by the quality score', () => {
    const result = ranked({
      criteria: [quality(50), social(20), price(30)],
      bids: [
        bid('A', 100_000, { q: 2, sv: 4 }), // quality 2/4 x 50 = 25; social value 20; price 30; total 75
        bid('B', 200_000, { q: 4, sv: 2 }), // quality 50; social value 10; price 100,000 / 200,000 x 30 = 15; total 75
      ],
    });
    // both total 75: B's quality 50 beats A's 25, even though A came first in the input
    expect(result.ranking.map((b) => [b.id, b.totalPoints, b.qualityPoints, b.rank])).to.deep.equal([
      ['B', 75, 50, 1],
      ['A', 75, 25, 2],
    ]);
    expect(result.ranking[1].rankedBelowBy).to.equal('quality');
    expect(result.winner).to.equal('B');
    expect(result.ties).to.deep.equal([]);
  });

  // quality 40 / social value 30 / price 30:
  // A: price 100,000 -> 30; quality 2/4 x 40 = 20; social value 2/4 x 30 = 15; total 65, quality 20
  // B: price 200,000 -> 15; quality 2/4 x 40 = 20; social value 4/4 x 30 = 30; total 65, quality 20
  // C: price 100,000 -> 30; quality 1/4 x 40 = 10; social value 0;             total 40
  const tiedOnBoth = (tieBreak?: string[]): ScoringInput => ({
    criteria: [quality(40), social(30), price(30)],
    bids: [bid('A', 100_000, { q: 2, sv: 2 }), bid('C', 100_000, { q: 1, sv: 0 }), bid('B', 200_000, { q: 2, sv: 4 })],
    tieBreak,
  });

  it('breaks a tie on total and quality by the order the buyer recorded', () => {
    const result = ranked(tiedOnBoth(['B', 'A']));
    expect(result.ranking.map((b) => [b.id, b.rank, b.tied])).to.deep.equal([
      ['B', 1, false],
      ['A', 2, false],
      ['C', 3, false],
    ]);
    expect(result.ranking.map((b) => b.rankedBelowBy)).to.deep.equal([undefined, 'buyer-order', 'total']);
    expect(result.winner).to.equal('B');
    expect(result.ties).to.deep.equal([]);
    // the other way round, the other winner
    expect(ranked(tiedOnBoth(['A', 'B'])).winner).to.equal('A');
  });

  it('reports an unresolved tie with a shared rank and no winner, never an arbitrary order', () => {
    for (const tieBreak of [undefined, [], ['A'], ['C', 'B'], ['someone-else']]) {
      const result = ranked(tiedOnBoth(tieBreak));
      expect(result.ties, `tieBreak ${JSON.stringify(tieBreak)}`).to.deep.equal([['A', 'B']]);
      expect(result.winner).to.equal(undefined);
      expect(result.ranking.map((b) => [b.id, b.rank, b.tied])).to.deep.equal([
        ['A', 1, true],
        ['B', 1, true],
        ['C', 3, false],
      ]);
    }
  });

  it('still names the winner when the tie is further down', () => {
    // quality 100: W scores 4; X and Y both score 2 and tie on everything
    const result = ranked({ criteria: [quality(100)], bids: [bid('X', undefined, { q: 2 }), bid('W', undefined, { q: 4 }), bid('Y', undefined, { q: 2 })] });
    expect(result.winner).to.equal('W');
    expect(result.ties).to.deep.equal([['X', 'Y']]);
    expect(result.ranking.map((b) => b.rank)).to.deep.equal([1, 2, 2]);
  });
});

describe('scoring bids: refusals', () => {
  const criteria = [quality(60), price(30), social(10)];

  it('refuses a zero, negative, fractional or missing price, naming the bid', () => {
    const problems = refused({
      criteria,
      bids: [
        bid('ok', 100_000, { q: 1, sv: 1 }),
        bid('zero', 0, { q: 1, sv: 1 }),
        bid('negative', -500, { q: 1, sv: 1 }),
        bid('fraction', 100.5, { q: 1, sv: 1 }),
        { id: 'none', scores: { q: 1, sv: 1 } },
        { id: 'null', pricePence: null, scores: { q: 1, sv: 1 } },
      ],
    });
    expect(problems.map((p) => [p.code, 'bidId' in p && p.bidId])).to.deep.equal([
      ['price-not-positive', 'zero'],
      ['price-not-positive', 'negative'],
      ['price-not-whole-pence', 'fraction'],
      ['price-missing', 'none'],
      ['price-missing', 'null'],
    ]);
    expect(problemText(problems[0], (id) => (id === 'zero' ? 'Acme Co-op' : id))).to.equal('Acme Co-op has a price of zero or less, which cannot be scored');
  });

  it('refuses a missing score, naming the bid and criterion', () => {
    const problems = refused({ criteria, bids: [bid('A', 100_000, { q: 3 }), { id: 'B', pricePence: 100_000, scores: { q: null, sv: 2 } }] });
    expect(problems).to.deep.equal([
      { code: 'score-missing', bidId: 'A', criterionId: 'sv', criterionName: 'Social value', message: 'has no score for Social value' },
      { code: 'score-missing', bidId: 'B', criterionId: 'q', criterionName: 'Quality q', message: 'has no score for Quality q' },
    ]);
    expect(problemText(problems[0])).to.equal('Bid A has no score for Social value');
  });

  it('refuses a score outside the scale or not a whole number', () => {
    const problems = refused({
      criteria,
      bids: [bid('high', 100_000, { q: 5, sv: 0 }), bid('low', 100_000, { q: -1, sv: 4 }), bid('half', 100_000, { q: 2, sv: 2.5 })],
    });
    expect(problems.map((p) => [p.code, 'bidId' in p && p.bidId, 'criterionId' in p && p.criterionId])).to.deep.equal([
      ['score-out-of-range', 'high', 'q'],
      ['score-out-of-range', 'low', 'q'],
      ['score-not-whole', 'half', 'sv'],
    ]);
    // 5 is fine on a 0-10 scale: 5/10 x 60 = 30
    const onTen = ranked({ criteria, scaleMax: 10, bids: [bid('high', 100_000, { q: 5, sv: 10 })] });
    expect(onTen.ranking[0].criteria[0].points).to.equal(30);
  });

  it('refuses criteria that do not total 100, two price criteria, or a bad scale', () => {
    expect(refused({ criteria: [quality(60), price(30)], bids: [] }).map((p) => p.message)).to.deep.equal(['The weights must total 100% (they total 90%)']);
    expect(refused({ criteria: [quality(40), price(30), { ...price(30), id: 'p2' }], bids: [] }).map((p) => p.message)).to.deep.equal(['Use at most one price criterion']);
    expect(refused({ criteria: [quality(100)], scaleMax: 0, bids: [] })[0].code).to.equal('scale');
    expect(refused({ criteria: [quality(100)], bids: [bid('A', undefined, { q: 1 }), bid('A', undefined, { q: 2 })] })[0].code).to.equal('duplicate-bid');
  });
});

describe('scoring bids: shapes of competition', () => {
  it('ignores price when there is no price criterion', () => {
    const result = ranked({
      criteria: [quality(80), social(20)],
      // no price at all, and a zero price, are both fine here
      bids: [bid('A', undefined, { q: 3, sv: 4 }), bid('B', 0, { q: 4, sv: 1 })],
    });
    // A: 3/4 x 80 = 60, 4/4 x 20 = 20, total 80; B: 80 + 1/4 x 20 = 5, total 85
    expect(result.ranking.map((b) => [b.id, b.totalPoints])).to.deep.equal([['B', 85], ['A', 80]]);
    expect(result.ranking[0].criteria.map((c) => c.kind)).to.deep.equal(['quality', 'social-value']);
    expect(result.lowestPricePence).to.equal(undefined);
  });

  it('scores a single bid: its price is the lowest, and it wins', () => {
    const result = ranked({ criteria: [quality(60), price(30), social(10)], bids: [bid('only', 4_321_099, { q: 1, sv: 0 })] });
    // quality 1/4 x 60 = 15; price 30 (the lowest); social value 0; total 45
    expect(result.ranking).to.have.length(1);
    expect(result.ranking[0]).to.include({ id: 'only', rank: 1, tied: false, totalPoints: 45 });
    expect(result.winner).to.equal('only');
  });

  it('scores no bids without error', () => {
    const result = ranked({ criteria: [quality(70), price(30)], bids: [] });
    expect(result.ranking).to.deep.equal([]);
    expect(result.winner).to.equal(undefined);
  });
});

describe('scoring bids: floating-point traps', () => {
  // Scale 0-3 (thirds) and prices of 3 and 7 pence (sevenths); quality 25 + 20, social value 20, price 35.
  // A: price 3p  -> 3/3 x 35 = 35; quality 3/3 x 25 = 25, 0/3 x 20 = 0; social value 0;   total 60, quality 25
  // B: price 7p  -> 3/7 x 35 = 15; quality 3/3 x 25 = 25, 2/3 x 20 = 40/3; social value 1/3 x 20 = 20/3;
  //    total 15 + 25 + 40/3 + 20/3 = 40 + 60/3 = 60 exactly, quality 25 + 40/3 = 115/3 = 38.33
  // So the totals tie and B wins on quality. Added up in floating point, B's total comes to 59.99999999999999
  // and A would wrongly win outright.
  const criteria = [quality(25, 'q1'), quality(20, 'q2'), social(20), price(35)];
  const bids = [bid('A', 3, { q1: 3, q2: 0, sv: 0 }), bid('B', 7, { q1: 3, q2: 2, sv: 1 })];

  it('is a real trap for floating point', () => {
    const naiveB = (3 / 3) * 25 + (2 / 3) * 20 + (1 / 3) * 20 + (3 / 7) * 35;
    expect(naiveB).to.not.equal(60);
    expect(naiveB < 60).to.equal(true);
  });

  it('ties the totals exactly and breaks the tie on quality', () => {
    const result = ranked({ criteria, bids, scaleMax: 3 });
    expect(result.ranking.map((b) => b.id)).to.deep.equal(['B', 'A']);
    expect(result.ranking[0].total).to.deep.equal(exact(60));
    expect(result.ranking[1].total).to.deep.equal(exact(60));
    expect(result.ranking[0].quality).to.deep.equal(exact(115, 3));
    expect(result.ranking[0].qualityPoints).to.equal(38.33);
    expect(result.ranking[1].rankedBelowBy).to.equal('quality');
    expect(result.winner).to.equal('B');
  });

  it('splits a third evenly: 1/3 + 1/3 + 1/3 of the same weight totals the whole weight', () => {
    // three quality criteria of 30 on a 0-3 scale: each score of 1 is 10 points; price 10 at the lowest price
    const thirds = [quality(30, 'a'), quality(30, 'b'), quality(30, 'c'), price(10)];
    const result = ranked({ criteria: thirds, scaleMax: 3, bids: [bid('X', 7, { a: 1, b: 1, c: 1 }), bid('Y', 3, { a: 0, b: 2, c: 1 })] });
    // X: 10 + 10 + 10 + 3/7 x 10 = 30 + 30/7; Y: 0 + 20 + 10 + 10 = 40 -> Y first; both quality 30
    expect(result.ranking.map((b) => [b.id, formatPoints(b.total)])).to.deep.equal([['Y', '40.00'], ['X', '34.29']]);
  });

  it('formats points to 2 places, rounding halves up exactly', () => {
    expect(formatPoints(exact(2, 3))).to.equal('0.67');
    expect(formatPoints(exact(30))).to.equal('30.00');
    // 1.005 exactly: floating point would show 1.00
    expect((1.005).toFixed(2)).to.equal('1.00');
    expect(formatPoints(exact(201, 200))).to.equal('1.01');
    expect(formatPoints(19.2)).to.equal('19.20');
    expect(formatPoints(exact(0))).to.equal('0.00');
  });
});
