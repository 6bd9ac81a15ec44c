// Member councils and lots, managed by network admins.
import { trusted } from 'mongoose';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { Clock } from '../clock';
import { recordAudit } from './audit';

import { COUNCIL_STATUSES, COUNCIL_TYPES, MEMBERSHIPS, NATIONS } from '../../models/Organisation';

export interface CouncilInput {
  name: string;
  councilType: (typeof COUNCIL_TYPES)[number];
  nation: (typeof NATIONS)[number];
  membership: (typeof MEMBERSHIPS)[number];
  status: (typeof COUNCIL_STATUSES)[number];
}

type Actor = { _id: string; role: string };

export async function addCouncil(clock: Clock, admin: Actor, input: CouncilInput): Promise<string> {
  const council = await Organisation.create({ kind: 'council', ...input });
  await recordAudit(clock, { actor: admin, action: 'council.added', targetType: 'Organisation', targetId: council._id, details: { ...input } });
  return String(council._id);
}

export async function updateCouncil(clock: Clock, admin: Actor, id: string, input: CouncilInput): Promise<boolean> {
  const res = await Organisation.updateOne({ _id: id, kind: 'council' }, { $set: input });
  if (res.matchedCount === 0) return false;
  await recordAudit(clock, { actor: admin, action: 'council.updated', targetType: 'Organisation', targetId: id, details: { ...input } });
  return true;
}

export interface LotInput {
  number: number;
  title: string;
  description: string;
  active: boolean;
}

export async function saveLot(clock: Clock, admin: Actor, id: string | undefined, input: LotInput): Promise<'saved' | 'duplicate' | 'missing'> {
  const clash = await Lot.findOne({ number: input.number, ...(id ? { _id: trusted({ $ne: id }) } : {}) }).lean();
  if (clash) return 'duplicate';
  try {
    if (id) {
      const res = await Lot.updateOne({ _id: id }, { $set: input });
      if (res.matchedCount === 0) return 'missing';
    } else {
      id = String((await Lot.create(input))._id);
    }
  } catch (err: any) {
    if (err?.code === 11000) return 'duplicate';
    throw err;
  }
  await recordAudit(clock, { actor: admin, action: 'lot.saved', targetType: 'Lot', targetId: id, details: { ...input } });
  return 'saved';
}
