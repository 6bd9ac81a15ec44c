// Member councils and lots, managed by network admins.
import { trusted } from 'mongoose';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { Token } from '../../models/Token';
import { User } from '../../models/User';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { inviteBuyer } from './accounts';
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

// ---- Reads for the admin pages, and buyer invitations with the network's own rules ----

export const PAGE_SIZE = 25;

export async function listCouncils(page: number, pageSize = PAGE_SIZE) {
  const total = await Organisation.countDocuments({ kind: 'council' });
  const items = await Organisation.find({ kind: 'council' }).sort({ name: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean();
  return { total, items };
}

export async function findCouncil(id: string) {
  return Organisation.findOne({ _id: id, kind: 'council' }).lean();
}

export async function councilBuyers(councilId: string) {
  return User.find({ organisation: councilId, role: 'buyer' }, { name: 1, email: 1, status: 1, lastSignInAt: 1 }).sort({ name: 1, _id: 1 }).lean();
}

export type InvitationState = 'pending' | 'used' | 'expired';

/** An invitation's state comes from its timestamps: used once usedAt is set, else expired at expiresAt. */
export function invitationState(invitation: { usedAt?: Date | null; expiresAt: Date }, now: Date): InvitationState {
  if (invitation.usedAt) return 'used';
  return invitation.expiresAt.getTime() <= now.getTime() ? 'expired' : 'pending';
}

export async function councilInvitations(clock: Clock, councilId: string) {
  const now = clock.now();
  const docs = await Token.find({ purpose: 'invitation', organisation: councilId }, { email: 1, createdAt: 1, expiresAt: 1, usedAt: 1 }).sort({ createdAt: -1, _id: -1 }).lean();
  return docs.map((d) => ({ email: d.email, createdAt: d.createdAt, expiresAt: d.expiresAt, usedAt: d.usedAt, state: invitationState(d, now) }));
}

export type InviteOutcome = 'sent' | 'missing' | 'lapsed' | 'exists';

/** Invites a buyer to an active member council, unless the address already has an account. */
export async function inviteBuyerToCouncil(clock: Clock, mailer: Mailer, baseUrl: string, admin: Actor, councilId: string, email: string): Promise<InviteOutcome> {
  const council = await findCouncil(councilId);
  if (!council) return 'missing';
  if (council.status !== 'active') return 'lapsed';
  if (await User.exists({ email })) return 'exists';
  await inviteBuyer(clock, mailer, baseUrl, admin, councilId, email);
  return 'sent';
}

export async function networkCounts() {
  const [councils, buyers, suppliers, lots] = await Promise.all([
    Organisation.countDocuments({ kind: 'council' }),
    User.countDocuments({ role: 'buyer' }),
    Organisation.countDocuments({ kind: 'supplier' }),
    Lot.countDocuments({}),
  ]);
  return { councils, buyers, suppliers, lots };
}

export async function listLots() {
  return Lot.find({}).sort({ number: 1 }).lean();
}

export async function findLot(id: string) {
  return Lot.findOne({ _id: id }).lean();
}
