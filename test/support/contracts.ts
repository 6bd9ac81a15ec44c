// Test data for contracts: an opened competition (test/support/evaluation.ts) with an Award written straight to the
// model, approved, its standstill ended (or not, or challenged) so a contract can be entered through the pages.
import { Types } from 'mongoose';
import request from 'supertest';
import { Award } from '../../models/Award';
import { TestApp, submit } from './app';
import { openedCompetition, OpenedFixture } from './evaluation';

const DAY = 24 * 60 * 60 * 1000;

export interface AwardOptions {
  /** which bid wins (default the cheapest: index 1 of the default prices) */
  winner?: number;
  prices?: number[];
  /** the award's status (default 'approved') */
  status?: 'approved' | 'challenged' | 'proposed' | 'cancelled';
  /** milliseconds from now to the end of standstill (default: ended a day ago) */
  standstillEndsIn?: number;
}

export interface AwardFixture extends OpenedFixture {
  awardId: string;
  winner: number;
  standstillEnd: Date;
}

export async function awardedCompetition(t: TestApp, opts: AwardOptions = {}): Promise<AwardFixture> {
  const opened = await openedCompetition(t, opts.prices ?? [1_500_000, 1_200_000, 1_800_000]);
  const winner = opts.winner ?? 1;
  const bid = opened.bids[winner];
  const now = t.clock.now();
  // the award was proposed and approved at opening; standstill runs from then
  // at noon UTC, so today's date is the same in the UK and in UTC whatever time the tests run
  const later = new Date(now.getTime() + 20 * DAY);
  t.clock.set(new Date(Date.UTC(later.getUTCFullYear(), later.getUTCMonth(), later.getUTCDate(), 12)));
  const standstillEnd = new Date(t.clock.now().getTime() + (opts.standstillEndsIn ?? -DAY));
  const status = opts.status ?? 'approved';
  const award = await Award.create({
    competition: opened.fx.id, council: opened.fx.buyer.organisation, bid: bid.bidId, version: bid.version, supplier: bid.supplier,
    ruleSet: 'PA2023_DYNAMIC_MARKET', status, live: status !== 'cancelled', valuePence: bid.content.price.totalPence!, topRanked: true,
    characteristics: 'Best approach and price', proposedBy: opened.fx.buyer.id, proposedAt: now, approvedBy: opened.fx.buyer2.id, approvedAt: now,
    lettersSentAt: now, standstill: { end: standstillEnd, required: true, rule: 'PA 2023 s.51: 8 working days' },
    ...(status === 'challenged' ? { challenge: { at: now, by: new Types.ObjectId(opened.fx.buyer.id), note: 'Challenged by a bidder' } } : {}),
  });
  return { ...opened, awardId: String(award._id), winner, standstillEnd };
}

/** Date input fields for a form: `<id>-day`, `<id>-month`, `<id>-year` in UTC. */
export function dateFields(id: string, at: Date): Record<string, string> {
  return { [`${id}-day`]: String(at.getUTCDate()), [`${id}-month`]: String(at.getUTCMonth() + 1), [`${id}-year`]: String(at.getUTCFullYear()) };
}

/** A complete contract form: signed today, a year long from next month, at `value` pounds, with `kpis` KPIs. */
export function contractForm(t: TestApp, value = '12000', kpis = 0): Record<string, string> {
  const now = t.clock.now();
  const fields: Record<string, string> = {
    ...dateFields('signed', now), ...dateFields('start', new Date(now.getTime() + 30 * DAY)), ...dateFields('end', new Date(now.getTime() + 395 * DAY)), value,
  };
  for (let i = 1; i <= kpis; i++) Object.assign(fields, { [`kpi-${i}-name`]: `KPI number ${i}`, [`kpi-${i}-target`]: `Target ${i}` });
  return fields;
}

/** Enters the contract through the buyer's form; returns the new contract's id. */
export async function enterContractAs(agent: request.Agent, awardId: string, fields: Record<string, string>): Promise<string> {
  const res = await submit(agent, `/buyer/contracts/from-award/${awardId}`, fields);
  if (res.status !== 303) throw new Error(`contract not entered: ${res.status}`);
  return /\/buyer\/contracts\/([0-9a-f]{24})$/.exec(res.headers.location)![1];
}
