// Scoring bids (issue 6, "Evaluation"): the moderated scores and prices become weighted points per criterion,
// a total out of 100 and a ranking. Pure: no I/O, no clock. Points are exact fractions (bigint), so two bids
// that tie on paper tie here too, and floating-point drift never decides an award. Display values are rounded
// to 2 decimal places only at the edge.
import { CRITERION_KINDS, CriterionKind } from './tenderRules';

export const DEFAULT_SCALE_MAX = 4;

export interface ScoringCriterion {
  id: string;
  name: string;
  kind: CriterionKind;
  /** whole percent; the criteria's weights total 100 */
  weight: number;
}

export interface BidToScore {
  id: string;
  /** the bid's total price in whole pence (needed only when there is a price criterion) */
  pricePence?: number | null;
  /** the moderated (consensus) score per quality and social-value criterion id */
  scores: Partial<Record<string, number | null>>;
}

export interface ScoringInput {
  criteria: ScoringCriterion[];
  bids: BidToScore[];
  /** the top of the published scale: scores are whole numbers 0..scaleMax (default 4) */
  scaleMax?: number;
  /** the buyer's recorded order (bid ids, best first) for bids still tied on total and quality */
  tieBreak?: string[];
}

/** An exact non-negative number of points: num / den in lowest terms, den > 0. */
export interface Points {
  num: bigint;
  den: bigint;
}

export interface CriterionScore {
  criterionId: string;
  name: string;
  kind: CriterionKind;
  weight: number;
  /** the moderated score (quality and social value only) */
  score?: number;
  /** the bid's price (price criterion only) */
  pricePence?: number;
  /** the exact weighted points, used for the total and ranking */
  exact: Points;
  /** the weighted points rounded to 2 decimal places, for display */
  points: number;
}

/** How a bid came to be placed below the bid directly above it. */
export type RankedBelowBy = 'total' | 'quality' | 'buyer-order';

export interface ScoredBid {
  id: string;
  /** 1 is best; bids still tied share a rank (1, 1, 3) */
  rank: number;
  /** true when this bid shares its rank with another and the buyer must decide the order */
  tied: boolean;
  /** absent for the first bid and for a bid sharing the rank above */
  rankedBelowBy?: RankedBelowBy;
  criteria: CriterionScore[];
  total: Points;
  /** the total rounded to 2 decimal places (out of 100) */
  totalPoints: number;
  /** the sum of the quality criteria's weighted points (the first tie-break) */
  quality: Points;
  qualityPoints: number;
}

export type ScoringProblem =
  | { code: 'criteria'; message: string }
  | { code: 'scale'; message: string }
  | { code: 'duplicate-bid'; bidId: string; message: string }
  | { code: 'price-missing' | 'price-not-positive' | 'price-not-whole-pence'; bidId: string; message: string }
  | {
      code: 'score-missing' | 'score-out-of-range' | 'score-not-whole';
      bidId: string;
      criterionId: string;
      criterionName: string;
      message: string;
    };

export type ScoringResult =
  | {
      ok: true;
      /** best first; bids sharing a rank keep the order they were given in */
      ranking: ScoredBid[];
      /** groups of bid ids tied on total and quality with no recorded order: the buyer must decide */
      ties: string[][];
      /** the single top-ranked bid (absent when the top is tied or there are no bids) */
      winner?: string;
      lowestPricePence?: number;
    }
  | { ok: false; problems: ScoringProblem[] };

// ---- exact points ----

const ZERO: Points = { num: 0n, den: 1n };

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function points(num: bigint, den: bigint): Points {
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

function add(a: Points, b: Points): Points {
  return points(a.num * b.den + b.num * a.den, a.den * b.den);
}

/** Negative when a < b, 0 when equal, positive when a > b (exact). */
export function comparePoints(a: Points, b: Points): number {
  const d = a.num * b.den - b.num * a.den;
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** Hundredths of a point, rounded half up (points are never negative). */
function hundredths(p: Points): bigint {
  return (p.num * 200n + p.den) / (2n * p.den);
}

/** Exact points rounded to 2 decimal places, as a number for display or sorting in a table. */
export function roundPoints(p: Points): number {
  return Number(hundredths(p)) / 100;
}

/** Points to 2 decimal places for a page or a letter: "36.67", "30.00". */
export function formatPoints(p: Points | number): string {
  if (typeof p === 'number') return (Math.round(p * 100) / 100).toFixed(2);
  const h = hundredths(p);
  return `${h / 100n}.${String(h % 100n).padStart(2, '0')}`;
}

// ---- checking the input ----

function criteriaProblems(criteria: ScoringCriterion[]): string[] {
  const problems: string[] = [];
  if (new Set(criteria.map((c) => c.id)).size !== criteria.length) problems.push('Each criterion needs its own id');
  if (criteria.some((c) => !CRITERION_KINDS.includes(c.kind))) problems.push('Each criterion must be quality, price or social value');
  if (criteria.some((c) => !Number.isInteger(c.weight) || c.weight < 1 || c.weight > 100)) problems.push('Each weight must be a whole percentage from 1 to 100');
  const total = criteria.reduce((s, c) => s + c.weight, 0);
  if (total !== 100) problems.push(`The weights must total 100% (they total ${total}%)`);
  if (criteria.filter((c) => c.kind === 'price').length > 1) problems.push('Use at most one price criterion');
  return problems;
}

function priceProblem(bid: BidToScore): ScoringProblem | undefined {
  const p = bid.pricePence;
  if (p === undefined || p === null) return { code: 'price-missing', bidId: bid.id, message: 'has no price' };
  if (typeof p !== 'number' || !Number.isSafeInteger(p)) return { code: 'price-not-whole-pence', bidId: bid.id, message: 'has a price that is not a whole number of pence' };
  if (p <= 0) return { code: 'price-not-positive', bidId: bid.id, message: 'has a price of zero or less, which cannot be scored' };
  return undefined;
}

function scoreProblem(bid: BidToScore, c: ScoringCriterion, max: number): ScoringProblem | undefined {
  const s = bid.scores[c.id];
  const at = { bidId: bid.id, criterionId: c.id, criterionName: c.name };
  if (s === undefined || s === null) return { code: 'score-missing', ...at, message: `has no score for ${c.name}` };
  if (typeof s !== 'number' || !Number.isInteger(s)) return { code: 'score-not-whole', ...at, message: `has a score for ${c.name} that is not a whole number` };
  if (s < 0 || s > max) return { code: 'score-out-of-range', ...at, message: `has a score for ${c.name} outside 0 to ${max}` };
  return undefined;
}

function inputProblems(input: ScoringInput, max: number): ScoringProblem[] {
  const problems: ScoringProblem[] = criteriaProblems(input.criteria).map((message) => ({ code: 'criteria' as const, message }));
  if (!Number.isInteger(max) || max < 1) problems.push({ code: 'scale', message: 'The top of the scoring scale must be a whole number, 1 or more' });
  const hasPrice = input.criteria.some((c) => c.kind === 'price');
  const seen = new Set<string>();
  for (const bid of input.bids) {
    if (seen.has(bid.id)) problems.push({ code: 'duplicate-bid', bidId: bid.id, message: 'appears twice' });
    seen.add(bid.id);
    const price = hasPrice ? priceProblem(bid) : undefined;
    if (price) problems.push(price);
    for (const c of input.criteria) {
      const score = c.kind === 'price' ? undefined : scoreProblem(bid, c, max);
      if (score) problems.push(score);
    }
  }
  return problems;
}

// ---- scoring and ranking ----

function scoreBid(bid: BidToScore, criteria: ScoringCriterion[], max: number, lowest: number): Omit<ScoredBid, 'rank' | 'tied'> {
  const scored = criteria.map((c): CriterionScore => {
    const weight = BigInt(c.weight);
    const base = { criterionId: c.id, name: c.name, kind: c.kind, weight: c.weight };
    if (c.kind === 'price') {
      // lowest price / this price x price weight
      const price = bid.pricePence as number;
      const exact = points(BigInt(lowest) * weight, BigInt(price));
      return { ...base, pricePence: price, exact, points: roundPoints(exact) };
    }
    // score / top of the scale x weight
    const score = bid.scores[c.id] as number;
    const exact = points(BigInt(score) * weight, BigInt(max));
    return { ...base, score, exact, points: roundPoints(exact) };
  });
  const total = scored.reduce((sum, c) => add(sum, c.exact), ZERO);
  const quality = scored.filter((c) => c.kind === 'quality').reduce((sum, c) => add(sum, c.exact), ZERO);
  return { id: bid.id, criteria: scored, total, totalPoints: roundPoints(total), quality, qualityPoints: roundPoints(quality) };
}

type Unranked = Omit<ScoredBid, 'rank' | 'tied'>;

/** Best first: higher total, then higher quality (stable, so equal bids keep the order given). */
function byTotalThenQuality(a: Unranked, b: Unranked): number {
  return comparePoints(b.total, a.total) || comparePoints(b.quality, a.quality);
}

/** Turns scores and prices into weighted points, totals and a ranking; refuses bad input with its problems. */
export function scoreBids(input: ScoringInput): ScoringResult {
  const max = input.scaleMax ?? DEFAULT_SCALE_MAX;
  const problems = inputProblems(input, max);
  if (problems.length > 0) return { ok: false, problems };

  const hasPrice = input.criteria.some((c) => c.kind === 'price');
  const lowest = hasPrice && input.bids.length > 0 ? Math.min(...input.bids.map((b) => b.pricePence as number)) : 0;
  const sorted = input.bids.map((b) => scoreBid(b, input.criteria, max, lowest)).sort(byTotalThenQuality);

  const order = new Map<string, number>();
  (input.tieBreak ?? []).forEach((id, i) => { if (!order.has(id)) order.set(id, i); });

  const ranking: ScoredBid[] = [];
  const ties: string[][] = [];
  for (let i = 0; i < sorted.length; ) {
    // a run of bids equal on total and quality
    let j = i + 1;
    while (j < sorted.length && byTotalThenQuality(sorted[i], sorted[j]) === 0) j++;
    const group = sorted.slice(i, j);
    const above = ranking[ranking.length - 1];
    const firstBelowBy: RankedBelowBy | undefined = !above ? undefined
      : comparePoints(above.total, group[0].total) !== 0 ? 'total' : 'quality';
    if (group.length === 1) {
      ranking.push({ ...group[0], rank: i + 1, tied: false, rankedBelowBy: firstBelowBy });
    } else if (group.every((b) => order.has(b.id))) {
      // the buyer has recorded an order for every bid in the run
      group.sort((a, b) => (order.get(a.id) as number) - (order.get(b.id) as number));
      group.forEach((b, k) => ranking.push({ ...b, rank: i + k + 1, tied: false, rankedBelowBy: k === 0 ? firstBelowBy : 'buyer-order' }));
    } else {
      // never an arbitrary order: the run shares a rank until the buyer decides
      ties.push(group.map((b) => b.id));
      group.forEach((b, k) => ranking.push({ ...b, rank: i + 1, tied: true, rankedBelowBy: k === 0 ? firstBelowBy : undefined }));
    }
    i = j;
  }
  const winner = ranking.length > 0 && !ranking[0].tied ? ranking[0].id : undefined;
  return { ok: true, ranking, ties, winner, lowestPricePence: hasPrice && input.bids.length > 0 ? lowest : undefined };
}

/** A problem in words for a page, naming the bid as the caller knows it (usually the supplier's name). */
export function problemText(problem: ScoringProblem, bidName: (bidId: string) => string = (id) => `Bid ${id}`): string {
  return 'bidId' in problem ? `${bidName(problem.bidId)} ${problem.message}` : problem.message;
}
