// Contracts (issue 6): entering the contract once the award's standstill has ended (not while challenged), the
// PA 2023 contract details notice, KPIs and their ratings. The winning bid's social-value commitments become
// contract commitments when the contract is entered (read through the audited tender box).
import { isValidObjectId, trusted, Types } from 'mongoose';
import { Award } from '../../models/Award';
import { Competition } from '../../models/Competition';
import { Contract, KPI_RATINGS, KpiRating } from '../../models/Contract';
import { Organisation } from '../../models/Organisation';
import { SocialValueCommitment } from '../../models/SocialValueCommitment';
import { SocialValueMeasure } from '../../models/SocialValueMeasure';
import { Clock } from '../clock';
import { dateOnlyInstant, londonParts } from '../domain/competitionForms';
import { canEnterContract } from '../domain/standstill';
import { RuleSet } from '../domain/tenderRules';
import { Keyring } from '../sealing/keyring';
import { recordAudit } from './audit';
import { readOpenedBid } from './tenderBox';

export interface Actor {
  _id: unknown;
  role: string;
  organisation: unknown;
}

// ---- Rules (pure) ----

/** Contracts over £5m need at least three KPIs (PA 2023 s.52). */
export const KPI_THRESHOLD_PENCE = 500_000_000;
export const MIN_KPIS_OVER_THRESHOLD = 3;
export const DETAILS_NOTICE_DAYS = 30;
export const KPI_RATING_MONTHS = 12;

export function kpisRequired(valuePence: number): number {
  return valuePence > KPI_THRESHOLD_PENCE ? MIN_KPIS_OVER_THRESHOLD : 0;
}

/** PA 2023 s.53: the contract details notice is due within 30 days of signing; other rule-sets have none. */
export function detailsNoticeDueBy(ruleSet: RuleSet, signedAt: Date): Date | undefined {
  if (ruleSet !== 'PA2023_DYNAMIC_MARKET') return undefined;
  return new Date(signedAt.getTime() + DETAILS_NOTICE_DAYS * 24 * 60 * 60 * 1000);
}

function addMonths(at: Date, months: number): Date {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export interface KpiState {
  lastRating?: { rating: string; comment: string; at: Date };
  /** when the next rating is due: 12 months after the last one, or after the contract's start */
  dueBy: Date;
  overdue: boolean;
}

/** A KPI is overdue when it has not been rated in the 12 months before now (counted from the start if never rated). */
export function kpiState(ratings: Array<{ rating: string; comment?: string | null; at: Date }>, start: Date, now: Date): KpiState {
  const last = [...ratings].sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  const dueBy = addMonths(last ? last.at : start, KPI_RATING_MONTHS);
  return { lastRating: last && { rating: last.rating, comment: last.comment ?? '', at: last.at }, dueBy, overdue: now.getTime() > dueBy.getTime() };
}

export interface ContractInput {
  signedAt: Date;
  start: Date;
  end: Date;
  valuePence: number;
  kpis: Array<{ name: string; target: string }>;
}

/** Problems with the contract's details, by form field. */
export function contractProblems(input: ContractInput, standstillEnd: Date, today: Date): Record<string, string> {
  const problems: Record<string, string> = {};
  if (input.signedAt.getTime() > today.getTime()) problems['signed-day'] = 'The date the contract was signed must be today or in the past';
  else if (input.signedAt.getTime() < ukDate(standstillEnd).getTime()) problems['signed-day'] = 'The contract cannot be signed before the standstill period ended';
  if (input.end.getTime() <= input.start.getTime()) problems['end-day'] = 'The end date must be after the start date';
  const needed = kpisRequired(input.valuePence);
  if (input.kpis.length < needed) problems['kpi-1-name'] = `Contracts worth over £5 million need at least ${needed} key performance indicators (KPIs): enter ${needed - input.kpis.length} more`;
  return problems;
}

/** The UK calendar date an instant falls on, as the UTC midnight dates typed into forms are kept as. */
export const ukDate = (at: Date) => dateOnlyInstant(londonParts(at));

// ---- Entering the contract ----

type AwardRecord = NonNullable<Awaited<ReturnType<typeof loadAward>>>;
export type EntryRefusal =
  | { outcome: 'missing' }
  | { outcome: 'not-approved'; status: string }
  | { outcome: 'challenged' }
  | { outcome: 'in-standstill'; end: Date | null }
  | { outcome: 'contracted'; contractId?: string };
export type EntryCheck = { outcome: 'ok'; award: AwardRecord; competition: { _id: Types.ObjectId; title: string; reference: string; ruleSet: string }; supplierName: string } | EntryRefusal;

async function loadAward(council: unknown, awardId: string) {
  if (!isValidObjectId(awardId)) return null;
  return Award.findOne({ _id: awardId, council: String(council) }).lean();
}

const challengedNow = (a: AwardRecord) => a.status === 'challenged' || Boolean(a.challenge?.at && !a.challenge?.resolvedAt);

/** Whether the buyer's council may enter a contract on this award now: approved, not challenged, standstill over. */
export async function checkEntry(actor: Actor, awardId: string, now: Date): Promise<EntryCheck> {
  const award = await loadAward(actor.organisation, awardId);
  if (!award || actor.role !== 'buyer') return { outcome: 'missing' };
  if (award.status === 'contracted') {
    const contract = await Contract.findOne({ award: award._id }, { _id: 1 }).lean();
    return { outcome: 'contracted', contractId: contract ? String(contract._id) : undefined };
  }
  if (challengedNow(award)) return { outcome: 'challenged' };
  if (award.status !== 'approved' || !award.live) return { outcome: 'not-approved', status: award.status };
  if (!award.standstill?.end || !canEnterContract(award.standstill.end, now)) return { outcome: 'in-standstill', end: award.standstill?.end ?? null };
  const competition = await Competition.findById(award.competition, { title: 1, reference: 1, ruleSet: 1 }).lean();
  if (!competition) return { outcome: 'missing' };
  const supplierName = (await Organisation.findById(award.supplier, { name: 1 }).lean())?.name ?? 'Unknown supplier';
  return { outcome: 'ok', award, competition: competition as any, supplierName };
}

export type EntryOutcome = { outcome: 'entered'; id: string } | { outcome: 'invalid'; problems: Record<string, string> } | { outcome: 'bid-unreadable' } | EntryRefusal;

/**
 * Enters the contract: the award moves approved -> contracted by a conditional update (so a second buyer, a
 * challenge recorded meanwhile or a cancellation loses cleanly), then the Contract and its commitments are written.
 */
export async function enterContract(clock: Clock, keyring: Keyring, actor: Actor, awardId: string, input: ContractInput, today: Date): Promise<EntryOutcome> {
  const now = clock.now();
  const check = await checkEntry(actor, awardId, now);
  if (check.outcome !== 'ok') return check;
  const { award, competition } = check;
  const problems = contractProblems(input, award.standstill!.end!, today);
  if (Object.keys(problems).length) return { outcome: 'invalid', problems };
  // the commitments come from the awarded bid only, read through the audited tender box
  const read = await readOpenedBid(clock, keyring, actor as any, String(award.competition), String(award.bid));
  if (read.outcome !== 'ok' || read.bid.version !== award.version) return { outcome: 'bid-unreadable' };
  const moved = await Award.findOneAndUpdate(
    { _id: award._id, status: 'approved', live: true, 'standstill.end': trusted({ $lt: now }) },
    { $set: { status: 'contracted' }, $inc: { __v: 1 } },
  );
  if (!moved) return checkAgain(actor, awardId, now);
  const ruleSet = competition.ruleSet as RuleSet;
  const contract = await Contract.create({
    competition: award.competition, award: award._id, council: award.council, supplier: award.supplier, ruleSet,
    reference: competition.reference, title: competition.title, signedAt: input.signedAt, start: input.start, end: input.end,
    valuePence: input.valuePence, detailsNoticeDueBy: detailsNoticeDueBy(ruleSet, input.signedAt),
    kpis: input.kpis, enteredBy: actor._id as Types.ObjectId, enteredAt: now,
  });
  const lines = read.bid.content.commitments;
  const themes = new Map((await SocialValueMeasure.find({ code: trusted({ $in: lines.map((l) => l.code) }) } as any, { code: 1, theme: 1 }).lean()).map((m) => [m.code, m.theme]));
  await SocialValueCommitment.insertMany(lines.map((l) => ({
    contract: contract._id, council: award.council, supplier: award.supplier, code: l.code, theme: themes.get(l.code),
    description: l.description, unit: l.unit, quantity: l.quantity, proxyValuePence: l.proxyValuePence, proxyYear: l.proxyYear, dueBy: input.end,
  })));
  await recordAudit(clock, {
    actor, action: 'contract.entered', targetType: 'Contract', targetId: contract._id,
    details: { award: String(award._id), competition: String(award.competition), bid: String(award.bid), version: award.version, valuePence: input.valuePence, kpis: input.kpis.length, commitments: lines.length },
  });
  return { outcome: 'entered', id: String(contract._id) };
}

async function checkAgain(actor: Actor, awardId: string, now: Date): Promise<EntryRefusal> {
  const again = await checkEntry(actor, awardId, now);
  return again.outcome === 'ok' ? { outcome: 'contracted' } : again;
}

/** Awards of the council whose standstill has ended, waiting for their contract. */
export async function awardsReady(council: unknown, now: Date) {
  const awards = await Award.find({ council: String(council), status: 'approved', live: true, 'standstill.end': trusted({ $lt: now }) }).sort({ 'standstill.end': 1 }).limit(50).lean();
  const competitions = new Map((await Competition.find({ _id: trusted({ $in: awards.map((a) => a.competition) }) } as any, { title: 1, reference: 1 }).lean()).map((c) => [String(c._id), c]));
  return awards.map((a) => ({ id: String(a._id), competition: competitions.get(String(a.competition)), standstillEnd: a.standstill!.end! }));
}

// ---- Reading ----

export type ContractRecord = NonNullable<Awaited<ReturnType<typeof findForCouncil>>>;

export async function findForCouncil(council: unknown, id: string) {
  if (!isValidObjectId(id)) return null;
  return Contract.findOne({ _id: id, council: String(council) }).lean();
}

export async function findForSupplier(supplier: unknown, id: string) {
  if (!isValidObjectId(id)) return null;
  return Contract.findOne({ _id: id, supplier: String(supplier) }).lean();
}

export const PAGE_SIZE = 25;

async function listBy(filter: Record<string, string>, page: number, pageSize: number) {
  const [total, contracts] = await Promise.all([
    Contract.countDocuments(filter),
    Contract.find(filter).sort({ signedAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
  ]);
  const orgIds = contracts.flatMap((c) => [String(c.supplier), String(c.council)]);
  const names = new Map((await Organisation.find({ _id: trusted({ $in: orgIds }) } as any, { name: 1 }).lean()).map((o) => [String(o._id), o.name]));
  return { total, contracts: contracts.map((c) => ({ ...c, supplierName: names.get(String(c.supplier)) ?? '', councilName: names.get(String(c.council)) ?? '' })) };
}

export const listForCouncil = (council: unknown, page = 1, pageSize = PAGE_SIZE) => listBy({ council: String(council) }, page, pageSize);
export const listForSupplier = (supplier: unknown, page = 1, pageSize = PAGE_SIZE) => listBy({ supplier: String(supplier) }, page, pageSize);

export async function organisationName(id: unknown): Promise<string> {
  return (await Organisation.findById(String(id), { name: 1 }).lean())?.name ?? '';
}

// ---- KPIs and the details notice ----

export function isKpiRating(value: unknown): value is KpiRating {
  return (KPI_RATINGS as readonly unknown[]).includes(value);
}

/** Adds a rating to a KPI: a versioned conditional write of the KPI list (a concurrent change loses and retries). */
export async function rateKpi(clock: Clock, actor: Actor, contractId: string, kpiId: string, rating: KpiRating, comment: string): Promise<'rated' | 'missing'> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await findForCouncil(actor.organisation, contractId);
    if (!c || !c.kpis.some((k) => String(k._id) === kpiId)) return 'missing';
    const at = clock.now();
    const kpis = c.kpis.map((k) => (String(k._id) === kpiId ? { ...k, ratings: [...k.ratings, { rating, comment, at, by: actor._id }] } : k));
    const done = await Contract.updateOne({ _id: c._id, __v: c.__v }, { $set: { kpis }, $inc: { __v: 1 } });
    if (done.modifiedCount === 1) {
      await recordAudit(clock, { actor, action: 'contract.kpi-rated', targetType: 'Contract', targetId: c._id, details: { kpi: kpiId, rating } });
      return 'rated';
    }
  }
  throw new Error('could not rate the KPI: too much contention');
}

export async function markDetailsNoticePublished(clock: Clock, actor: Actor, contractId: string): Promise<'marked' | 'already' | 'not-required' | 'missing'> {
  const c = await findForCouncil(actor.organisation, contractId);
  if (!c) return 'missing';
  if (!c.detailsNoticeDueBy) return 'not-required';
  const done = await Contract.updateOne({ _id: c._id, detailsNoticePublishedAt: null }, { $set: { detailsNoticePublishedAt: clock.now() }, $inc: { __v: 1 } });
  if (done.modifiedCount === 0) return 'already';
  await recordAudit(clock, { actor, action: 'contract.details-notice-published', targetType: 'Contract', targetId: c._id, details: { dueBy: c.detailsNoticeDueBy } });
  return 'marked';
}
