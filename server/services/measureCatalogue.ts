// The admin use cases of the social-value measure catalogue: list, add, change (re-base a proxy), withdraw, reinstate.
// Bids and contracts keep their own copy of a measure's proxy and year, so changes here never rewrite them.
import { isValidObjectId } from 'mongoose';
import { SocialValueMeasure } from '../../models/SocialValueMeasure';
import { Clock } from '../clock';
import { recordAudit } from './audit';

type Actor = { _id: string; role: string };

export const MEASURE_PAGE_SIZE = 50;

/** What an admin may set; the code only when adding (it is the measure's identity in bids and contracts). */
export interface MeasureInput {
  theme: string;
  outcome: string;
  description: string;
  unit: string;
  proxyValuePence: number;
  proxyYear: number;
}

export async function listMeasures(page: number, pageSize = MEASURE_PAGE_SIZE) {
  const total = await SocialValueMeasure.countDocuments({});
  const items = await SocialValueMeasure.find({}).sort({ theme: 1, code: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean();
  return { total, items };
}

export async function findMeasure(id: string) {
  if (!isValidObjectId(id)) return null;
  return SocialValueMeasure.findById(id).lean();
}

export async function addMeasure(clock: Clock, admin: Actor, input: MeasureInput & { code: string }): Promise<{ outcome: 'added'; id: string } | { outcome: 'duplicate' }> {
  if (await SocialValueMeasure.exists({ code: input.code })) return { outcome: 'duplicate' };
  let id: string;
  try {
    id = String((await SocialValueMeasure.create({ ...input, active: true }))._id);
  } catch (err: any) {
    if (err?.code === 11000) return { outcome: 'duplicate' }; // lost a race with another admin adding the same code
    throw err;
  }
  await recordAudit(clock, { actor: admin, action: 'measure.added', targetType: 'SocialValueMeasure', targetId: id, details: { ...input } });
  return { outcome: 'added', id };
}

/** Changes everything but the code; the audit keeps the old and new proxy value and year. */
export async function changeMeasure(clock: Clock, admin: Actor, id: string, input: MeasureInput): Promise<'changed' | 'missing'> {
  if (!isValidObjectId(id)) return 'missing';
  const before = await SocialValueMeasure.findOneAndUpdate({ _id: id }, { $set: input }, { returnDocument: 'before' }).lean();
  if (!before) return 'missing';
  await recordAudit(clock, {
    actor: admin, action: 'measure.changed', targetType: 'SocialValueMeasure', targetId: id,
    details: {
      code: before.code, ...input,
      old: { proxyValuePence: before.proxyValuePence, proxyYear: before.proxyYear },
      new: { proxyValuePence: input.proxyValuePence, proxyYear: input.proxyYear },
    },
  });
  return 'changed';
}

export type ActiveChange = 'withdraw' | 'reinstate';
export type ActiveOutcome = 'done' | 'unchanged' | 'missing';

/** Withdraw (no longer offered to suppliers) or reinstate; a conditional update so a double submit changes nothing twice. */
export async function setMeasureActive(clock: Clock, admin: Actor, id: string, change: ActiveChange): Promise<ActiveOutcome> {
  if (!isValidObjectId(id)) return 'missing';
  const active = change === 'reinstate';
  const updated = await SocialValueMeasure.findOneAndUpdate({ _id: id, active: !active }, { $set: { active } }, { returnDocument: 'after' }).lean();
  if (!updated) return (await SocialValueMeasure.exists({ _id: id })) ? 'unchanged' : 'missing';
  await recordAudit(clock, {
    actor: admin, action: active ? 'measure.reinstated' : 'measure.withdrawn', targetType: 'SocialValueMeasure', targetId: id,
    details: { code: updated.code },
  });
  return 'done';
}
