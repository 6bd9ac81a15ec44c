// Test data for issue 6: a competition whose deadline has passed and whose tender box two buyers have opened,
// with a sealed bid from each invited supplier (prices given), all through the real models and services.
import { TestApp } from './app';
import { competitionFixture, CompetitionFixture } from './competitions';
import { actorOf, openBox, sealedBid, SealedBid } from './sealedBids';

export interface OpenedFixture {
  fx: CompetitionFixture;
  /** one current submitted bid per supplier, in the suppliers' order */
  bids: SealedBid[];
}

/** A published competition with one bid per price (pence), the clock moved past the deadline, and the box opened. */
export async function openedCompetition(t: TestApp, pricesPence: number[] = [1_500_000, 1_200_000, 1_800_000]): Promise<OpenedFixture> {
  const fx = await competitionFixture(t, { suppliers: pricesPence.length });
  const bids: SealedBid[] = [];
  for (const [i, totalPence] of pricesPence.entries()) bids.push(await sealedBid(fx.id, fx.suppliers[i], { totalPence, sentinel: `bid${i}` }));
  t.clock.set(new Date(fx.deadline.getTime() + 60_000));
  await openBox(t, fx.id, actorOf(fx.buyer, 'buyer'), actorOf(fx.buyer2, 'buyer'));
  return { fx, bids };
}
