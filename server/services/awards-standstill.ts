// After approval: a challenge suspends the standstill (the contract cannot be entered); resolving it either
// reinstates the award with a new standstill counted from the resolution, or cancels it. Cancelling (with a
// reason) ends the award: it stays on record, no longer live, and the bidders who had letters are told.
import { Types } from 'mongoose';
import { trusted } from 'mongoose';
import { Award } from '../../models/Award';
import { AwardLetter } from '../../models/AwardLetter';
import { Competition } from '../../models/Competition';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { recordAudit } from './audit';
import { Actor, AwardRecord } from './awards';
import { standstillFrom } from './awards-approve';
import { longDate } from './awards-letters';
import { notifyOrganisations } from './notifications';

export type ChangeOutcome = { outcome: 'done' } | { outcome: 'wrong-status'; status: string };

async function statusOf(id: Types.ObjectId): Promise<string> {
  return (await Award.findById(id, { status: 1 }).lean())?.status ?? 'missing';
}

/** Tells every bidder who received a letter about this award (in the service and by e-mail). */
async function tellBidders(clock: Clock, mailer: Mailer, baseUrl: string, award: AwardRecord, title: string, body: string): Promise<void> {
  const suppliers = await AwardLetter.distinct('supplier', { award: award._id });
  if (suppliers.length === 0) return;
  const c = await Competition.findById(award.competition, { title: 1 }).lean();
  await notifyOrganisations(clock, mailer, baseUrl, suppliers.map(String), { title: `${title}: ${c?.title ?? 'a competition'}`, body, link: `/supplier/opportunities/${award.competition}/letter` }, 'supplier');
}

/** Records a challenge to an approved award: the standstill is suspended until it is resolved. */
export async function recordChallenge(clock: Clock, actor: Actor, award: AwardRecord, note: string): Promise<ChangeOutcome> {
  const at = clock.now();
  const moved = await Award.findOneAndUpdate(
    { _id: award._id, status: 'approved', live: true },
    { $set: { status: 'challenged', challenge: { at, by: actor._id, note } }, $inc: { __v: 1 } },
  ).lean();
  if (!moved) return { outcome: 'wrong-status', status: await statusOf(award._id) };
  await recordAudit(clock, { actor, action: 'award.challenged', targetType: 'Award', targetId: award._id, details: { competition: String(award.competition), standstillEnd: award.standstill?.end } });
  return { outcome: 'done' };
}

/** Resolves a challenge by reinstating the award: a new standstill counted from now. */
export async function reinstateAward(clock: Clock, mailer: Mailer, baseUrl: string, actor: Actor, award: AwardRecord, resolution: string): Promise<ChangeOutcome & { end?: Date }> {
  const at = clock.now();
  const standstill = await standstillFrom(award, at);
  const moved = await Award.findOneAndUpdate(
    { _id: award._id, status: 'challenged', live: true },
    {
      $set: {
        status: 'approved', 'challenge.resolvedAt': at, 'challenge.resolution': resolution,
        standstill: { end: standstill.end, required: standstill.required, rule: standstill.rule },
      },
      $inc: { __v: 1 },
    },
  ).lean();
  if (!moved) return { outcome: 'wrong-status', status: await statusOf(award._id) };
  await recordAudit(clock, { actor, action: 'award.challenge-resolved', targetType: 'Award', targetId: award._id, details: { competition: String(award.competition), standstillEnd: standstill.end } });
  await tellBidders(clock, mailer, baseUrl, award, 'Standstill restarted', `The council has resolved a challenge to its award decision and restarted the standstill. It now ends at midnight at the end of ${longDate(standstill.end)} (UK time). The council will not enter into the contract before then.`);
  return { outcome: 'done', end: standstill.end };
}

/** Cancels a live award that is not yet contracted (proposed, approved or challenged), with a reason. */
export async function cancelAward(clock: Clock, mailer: Mailer, baseUrl: string, actor: Actor, award: AwardRecord, reason: string): Promise<ChangeOutcome> {
  const at = clock.now();
  const wasChallenged = award.status === 'challenged';
  const set: Record<string, unknown> = { status: 'cancelled', live: false, cancellation: { at, by: actor._id, reason } };
  if (wasChallenged) set['challenge.resolvedAt'] = at;
  const moved = await Award.findOneAndUpdate(
    { _id: award._id, live: true, status: trusted({ $in: ['proposed', 'approved', 'challenged'] }) } as any,
    { $set: set, $inc: { __v: 1 } },
  ).lean();
  if (!moved) return { outcome: 'wrong-status', status: await statusOf(award._id) };
  await recordAudit(clock, { actor, action: 'award.cancelled', targetType: 'Award', targetId: award._id, details: { competition: String(award.competition), from: moved.status, reason } });
  await tellBidders(clock, mailer, baseUrl, award, 'Award decision cancelled', `The council has cancelled its award decision. Reason: ${reason}`);
  return { outcome: 'done' };
}
