// A supplier's sealed bid: saving the draft section by section, submitting (an exact server receipt time and a
// SHA-256 fingerprint), replacing and withdrawing. Content only ever exists sealed under the competition's key;
// the supplier's own routes open their own draft and versions. Attachments: bidFiles.ts.
//
// Every change is one conditional update on the draft's revision, so a change based on a stale read loses cleanly
// (two identical submits leave one version), and nothing changes at or after the deadline or once cancelled.
import { isValidObjectId, Types } from 'mongoose';
import { Bid, BidData } from '../../models/Bid';
import { Organisation } from '../../models/Organisation';
import { SessionUser } from '../auth/guards';
import { Clock } from '../clock';
import { bidAad, BidContent, emptyBidContent, fingerprint } from '../domain/bidContent';
import { bidWindow, submissionProblems, SubmissionProblem } from '../domain/bidForms';
import { Mailer } from '../mail/mailer';
import { Keyring, Sealed } from '../sealing/keyring';
import { recordAudit } from './audit';
import { CompetitionRecord, findInvited, formatDeadline } from './competitions';
import { notify } from './notifications';

export type BidRecord = BidData & { _id: Types.ObjectId };
export type Supplier = Pick<SessionUser, '_id' | 'role' | 'organisation' | 'email'>;
type Refused = { outcome: 'closed' } | { outcome: 'cancelled' };

/** What the keyring needs to seal or open under a competition's key. */
export function sealingOf(c: Pick<CompetitionRecord, '_id' | 'sealing'>): { id: string; wrappedKey: Sealed } {
  return { id: String(c._id), wrappedKey: c.sealing!.wrappedKey as Sealed };
}

/** The supplier's bid in a competition (null before their first save). */
export async function findBid(competitionId: unknown, supplierId: unknown): Promise<BidRecord | null> {
  return Bid.findOne({ competition: competitionId, supplier: supplierId } as any).lean() as Promise<BidRecord | null>;
}

export function draftContent(keyring: Keyring, c: CompetitionRecord, bid: BidRecord | null): BidContent {
  if (!bid?.draft?.sealed) return emptyBidContent();
  return keyring.openJson<BidContent>(sealingOf(c), bidAad(String(bid._id), 'draft'), bid.draft.sealed as Sealed);
}

export function versionContent(keyring: Keyring, c: CompetitionRecord, bid: BidRecord, n: number): BidContent | undefined {
  const v = bid.versions.find((x) => x.n === n);
  return v ? keyring.openJson<BidContent>(sealingOf(c), bidAad(String(bid._id), n), v.sealed as Sealed) : undefined;
}

function refusal(c: CompetitionRecord, now: Date): Refused | undefined {
  const w = bidWindow(c, now);
  return w === 'open' ? undefined : { outcome: w };
}

/** The bid record, created on the first save; a concurrent first save's duplicate-key error becomes a read. */
async function ensureBid(c: CompetitionRecord, supplierId: unknown): Promise<BidRecord> {
  const filter = { competition: c._id, supplier: supplierId } as any;
  try {
    return await Bid.findOneAndUpdate(filter, { $setOnInsert: filter }, { upsert: true, returnDocument: 'after' }).lean() as BidRecord;
  } catch (err: any) {
    if (err?.code !== 11000) throw err;
    return (await findBid(c._id, supplierId))!;
  }
}

/** Before a change that needs the bid's id (an attachment is bound to it): the window checked, the record made. */
export async function bidForChange(clock: Clock, user: Supplier, c: CompetitionRecord): Promise<{ outcome: 'ready'; bid: BidRecord } | Refused> {
  const refused = refusal(c, clock.now());
  return refused ?? { outcome: 'ready', bid: await ensureBid(c, user.organisation) };
}

export type DraftChange = (content: BidContent) => BidContent | { problem: string };
export type DraftOutcome = { outcome: 'saved'; bidId: string; content: BidContent } | { outcome: 'refused'; problem: string } | Refused;

/**
 * Saves one change to the sealed draft (the change is a pure function of the current content): re-read and retried
 * when another save got in first, so two sections saved at once both land. `addFile` records an attachment's GridFS id.
 */
export async function changeDraft(clock: Clock, keyring: Keyring, user: Supplier, c: CompetitionRecord, section: string, change: DraftChange, addFile?: Types.ObjectId): Promise<DraftOutcome> {
  const now = clock.now();
  const refused = refusal(c, now);
  if (refused) return refused;
  let bid = await ensureBid(c, user.organisation);
  for (let attempt = 0; attempt < 10; attempt++) {
    const next = change(draftContent(keyring, c, bid));
    if ('problem' in next) return { outcome: 'refused', problem: next.problem };
    const sealed = keyring.sealJson(sealingOf(c), bidAad(String(bid._id), 'draft'), next);
    const revision = bid.draft?.revision ?? 0;
    const res = await Bid.updateOne(
      { _id: bid._id, 'draft.revision': revision },
      { $set: { 'draft.sealed': sealed, 'draft.savedAt': now, 'draft.savedBy': user._id }, $inc: { 'draft.revision': 1 }, ...(addFile ? { $addToSet: { files: addFile } } : {}) },
    );
    if (res.matchedCount === 1) {
      await recordAudit(clock, { actor: user, action: 'bid.draft-saved', targetType: 'Bid', targetId: bid._id, details: { competition: String(c._id), supplier: String(user.organisation), section, revision: revision + 1 } });
      return { outcome: 'saved', bidId: String(bid._id), content: next };
    }
    bid = (await findBid(c._id, user.organisation))!;
  }
  throw new Error('could not save the bid: too much contention');
}

export type SubmitOutcome =
  | { outcome: 'submitted'; version: number; emailFailed: string[] }
  | { outcome: 'already'; version: number }
  | { outcome: 'changed' }
  | { outcome: 'problems'; problems: SubmissionProblem[] }
  | { outcome: 'missing' }
  | Refused;

/** After a submit lost its race: the receipt it duplicated, or 'changed' when the draft moved on since it was read. */
async function afterLostRace(c: CompetitionRecord, supplierId: unknown): Promise<SubmitOutcome> {
  const bid = await findBid(c._id, supplierId);
  const last = bid?.versions.at(-1);
  if (last && last.status === 'submitted' && (!bid!.draft?.savedAt || bid!.draft.savedAt <= last.receivedAt)) return { outcome: 'already', version: last.n };
  return { outcome: 'changed' };
}

/**
 * Submits the draft as read at `revision`: strictly before the deadline, complete, and then one conditional update
 * adds the version (receipt time from the server's clock, fingerprint over the content and the receipt facts) and
 * marks the previous current one superseded. The receipt goes to the submitting user in the service and by e-mail.
 */
export async function submitBid(clock: Clock, keyring: Keyring, mailer: Mailer, baseUrl: string, user: Supplier, competitionId: string, revision: number): Promise<SubmitOutcome> {
  const c = await findInvited(user, competitionId);
  if (!c) return { outcome: 'missing' };
  const receivedAt = clock.now();
  const refused = refusal(c, receivedAt);
  if (refused) return refused;
  const bid = await findBid(c._id, user.organisation);
  const content = draftContent(keyring, c, bid);
  const problems = submissionProblems(c.questions, content);
  if (!bid || problems.length) return { outcome: 'problems', problems };
  if ((bid.draft?.revision ?? 0) !== revision) return afterLostRace(c, user.organisation);

  const n = bid.versions.length + 1;
  const facts = { competition: String(c._id), supplier: String(user.organisation), version: n, receivedAt: receivedAt.toISOString() };
  const print = fingerprint(content, facts);
  const sealed = keyring.sealJson(sealingOf(c), bidAad(String(bid._id), n), content);
  const versions = [
    ...bid.versions.map((v) => (v.status === 'submitted' ? { ...v, status: 'superseded' } : v)),
    { n, status: 'submitted', sealed, receivedAt, fingerprint: print, submittedBy: user._id },
  ];
  const res = await Bid.updateOne({ _id: bid._id, 'draft.revision': revision }, { $set: { versions }, $inc: { 'draft.revision': 1 } }, { writeConcern: { w: 'majority' } });
  if (res.matchedCount === 0) return afterLostRace(c, user.organisation);

  await recordAudit(clock, { actor: user, action: 'bid.submitted', targetType: 'Bid', targetId: bid._id, details: { ...facts, fingerprint: print } });
  const supplier = await Organisation.findById(user.organisation, { name: 1 }).lean();
  const emailFailed = await notify(clock, mailer, baseUrl, [{ _id: user._id, email: user.email }], {
    title: `Bid received: ${c.title} (${c.reference})`,
    body: receiptText({ reference: c.reference, title: c.title, supplier: supplier?.name ?? '', version: n, receivedAt, fingerprint: print, deadline: c.deadline! }),
    link: `/supplier/opportunities/${c._id}/bid/receipts/${n}`,
  });
  return { outcome: 'submitted', version: n, emailFailed };
}

const RECEIPT_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'short' });

/** "Tuesday 24 November 2026 at 10:00:05 GMT": the receipt time in UK time, to the second. */
export function formatReceivedAt(at: Date): string {
  return RECEIPT_TIME.format(at).replace(/,? at /, ' at ').replace(/^(\w+), /, '$1 ');
}

export const FINGERPRINT_COVERS = 'The SHA-256 fingerprint covers everything you submitted (each answer, the price and its breakdown, the social value commitments, and each attachment\u2019s name, type, size and SHA-256), together with the competition, your organisation, the version number and the receipt time.';

export interface ReceiptFacts {
  reference: string;
  title: string;
  supplier: string;
  version: number;
  receivedAt: Date;
  fingerprint: string;
  deadline: Date;
}

/** The receipt as plain text (the e-mail). */
export function receiptText(r: ReceiptFacts): string {
  return [
    `We received your bid for ${r.title} (${r.reference}).`,
    `Supplier: ${r.supplier}`,
    `Version: ${r.version}`,
    `Received: ${formatReceivedAt(r.receivedAt)} (${r.receivedAt.toISOString()})`,
    `SHA-256 fingerprint: ${r.fingerprint}`,
    FINGERPRINT_COVERS,
    `The bid stays sealed until the deadline (${formatDeadline(r.deadline)}). You can replace or withdraw it until then.`,
  ].join('\n\n');
}

export type WithdrawOutcome = { outcome: 'withdrawn'; version: number } | { outcome: 'nothing' } | { outcome: 'missing' } | Refused;

/** Withdraws the current submitted version (before the deadline); the supplier may submit again afterwards. */
export async function withdrawBid(clock: Clock, user: Supplier, competitionId: string): Promise<WithdrawOutcome> {
  if (!isValidObjectId(competitionId)) return { outcome: 'missing' };
  const c = await findInvited(user, competitionId);
  if (!c) return { outcome: 'missing' };
  const now = clock.now();
  const refused = refusal(c, now);
  if (refused) return refused;
  const bid = await findBid(c._id, user.organisation);
  const i = bid ? bid.versions.findIndex((v) => v.status === 'submitted') : -1;
  if (!bid || i < 0) return { outcome: 'nothing' };
  const n = bid.versions[i].n;
  const res = await Bid.updateOne(
    { _id: bid._id, [`versions.${i}.status`]: 'submitted' },
    { $set: { [`versions.${i}.status`]: 'withdrawn', [`versions.${i}.withdrawnAt`]: now, [`versions.${i}.withdrawnBy`]: user._id }, $inc: { 'draft.revision': 1 } },
  );
  if (res.matchedCount === 0) return { outcome: 'nothing' };
  await recordAudit(clock, { actor: user, action: 'bid.withdrawn', targetType: 'Bid', targetId: bid._id, details: { competition: String(c._id), supplier: String(user.organisation), version: n, withdrawnAt: now } });
  return { outcome: 'withdrawn', version: n };
}
