// The sealed tender box (security.md J30-J34): its state, the two-person opening after the deadline, and reading
// opened bids. Every read and every refused attempt is audited; before opening nothing here says what or how many
// bids there are. Who may take a step is the domain's (server/domain/opening.ts); this module writes the steps with
// conditional updates, so racing confirmations open the box once.
import { isValidObjectId, trusted, Types } from 'mongoose';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { SessionUser } from '../auth/guards';
import { can } from '../auth/permissions';
import { Clock } from '../clock';
import { bidAad, BidContent, fingerprint } from '../domain/bidContent';
import { Stage, stageOf } from '../domain/competitionState';
import { hasLapsed, isAuthorisedOpener, lapsesAt, maySecond, OpeningRefusal, readRefusal, ReadRefusal } from '../domain/opening';
import { Mailer } from '../mail/mailer';
import { Keyring, Sealed } from '../sealing/keyring';
import { recordAudit } from './audit';
import { sealingOf } from './bids';
import { readBidFile } from './bidFiles';
import { CompetitionRecord, formatDeadline } from './competitions';
import { notify, usersOf } from './notifications';

export type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;
type Step = { by: Types.ObjectId; role: string; at: Date };

export interface OpeningStepView {
  by: string;
  name: string;
  role: string;
  at: Date;
}

/** What the tender box pages show: never a bid, never a count before opening. */
export interface BoxState {
  stage: Stage;
  deadline?: Date | null;
  /** a first step still waiting for its second person */
  waiting?: OpeningStepView & { lapsesAt: Date };
  /** a first step that lapsed without a second person (it can be started again) */
  lapsed?: OpeningStepView & { lapsedAt: Date };
  opened?: { at: Date; first: OpeningStepView; second: OpeningStepView };
}

async function names(ids: unknown[]): Promise<Map<string, string>> {
  const users = await User.find({ _id: trusted({ $in: ids.filter(Boolean).map(String) }) } as any, { name: 1 }).lean();
  return new Map(users.map((u) => [String(u._id), u.name]));
}

/** The tender box's state at `now`, with the names of those who took the opening steps. */
export async function boxState(c: CompetitionRecord, now: Date): Promise<BoxState> {
  const stage = stageOf(c, now);
  const first = c.opening?.first as Step | undefined;
  const second = c.opening?.second as Step | undefined;
  const who = await names([first?.by, second?.by]);
  const view = (s: Step): OpeningStepView => ({ by: String(s.by), name: who.get(String(s.by)) ?? 'Unknown user', role: s.role, at: s.at });
  const state: BoxState = { stage, deadline: c.deadline };
  if (stage === 'opened' && first && second) state.opened = { at: c.opening!.openedAt!, first: view(first), second: view(second) };
  else if (stage === 'closed' && first) {
    if (hasLapsed(first, now)) state.lapsed = { ...view(first), lapsedAt: lapsesAt(first) };
    else state.waiting = { ...view(first), lapsesAt: lapsesAt(first) };
  }
  return state;
}

export type OpeningOutcome =
  | { outcome: 'started'; lapsesAt: Date }
  | { outcome: 'opened' }
  | { outcome: 'missing' }
  | { outcome: 'too-early'; deadline: Date }
  | { outcome: 'cancelled' }
  | { outcome: 'already-opened' }
  | { outcome: 'changed' }
  | { outcome: 'refused'; reason: OpeningRefusal };

/** The competition an opener may act on: the buyer's own council's, or any published one for an admin. */
async function forOpener(actor: Actor, id: string): Promise<CompetitionRecord | null> {
  if (!isValidObjectId(id)) return null;
  const c = await Competition.findOne({ _id: id, status: trusted({ $in: ['published', 'cancelled'] }) } as any).lean() as CompetitionRecord | null;
  return c && can(actor, 'open', c) ? c : null;
}

/**
 * Takes the next opening step for `actor`: the first step (recorded, audited, the council's other buyers told) when
 * none is waiting, else the second (which opens the box). Refusals name the rule; a lost race says 'changed'.
 */
export async function takeOpeningStep(clock: Clock, mailer: Mailer, baseUrl: string, actor: Actor, id: string): Promise<OpeningOutcome> {
  const c = await forOpener(actor, id);
  if (!c) return { outcome: 'missing' };
  const now = clock.now();
  const stage = stageOf(c, now);
  if (stage === 'cancelled') return { outcome: 'cancelled' };
  if (stage === 'opened') return { outcome: 'already-opened' };
  if (stage !== 'closed') return { outcome: 'too-early', deadline: c.deadline! };
  const me = { by: String(actor._id), role: actor.role, organisation: String(actor.organisation) };
  const first = c.opening?.first as Step | undefined;
  const link = `/buyer/competitions/${c._id}/tender-box`;
  const audit = (action: string, details: Record<string, unknown>) => recordAudit(clock, { actor, action, targetType: 'Competition', targetId: c._id, details: { reference: c.reference, ...details } });

  if (!first || hasLapsed(first, now)) {
    if (!isAuthorisedOpener(me, String(c.council))) return { outcome: 'missing' };
    // only over no first step, or the lapsed one we read: a first step taken meanwhile wins
    const over = first ? { 'opening.first.at': first.at, 'opening.first.by': first.by } : { 'opening.first': null };
    const step = { by: actor._id, role: actor.role, at: now };
    const res = await Competition.updateOne(
      { _id: c._id, status: 'published', 'opening.openedAt': null, ...over } as any,
      { $set: { 'opening.first': step }, $unset: { 'opening.second': 1 } },
    );
    if (res.matchedCount === 0) return { outcome: 'changed' };
    await audit('tender-box.opening-started', { by: me.by, role: me.role, at: now, replacesLapsed: first ? String(first.by) : undefined });
    const others = (await usersOf([c.council], 'buyer')).filter((u) => String(u._id) !== me.by);
    await notify(clock, mailer, baseUrl, others, {
      title: `A second person is needed to open the tender box: ${c.reference}`,
      body: `Opening the tender box of \u201c${c.title}\u201d (${c.reference}) was started. Another buyer of your council or a network admin must confirm it by ${formatDeadline(lapsesAt(step))}.`,
      link,
    });
    return { outcome: 'started', lapsesAt: lapsesAt(step) };
  }

  const firstOrg = (await User.findById(first.by, { organisation: 1 }).lean())?.organisation;
  const verdict = maySecond({ by: String(first.by), role: first.role, organisation: firstOrg ? String(firstOrg) : null, at: first.at }, me, String(c.council), now);
  if (!verdict.ok) {
    await audit('tender-box.opening-refused', { by: me.by, role: me.role, reason: verdict.reason, first: String(first.by) });
    return { outcome: 'refused', reason: verdict.reason };
  }
  const res = await Competition.updateOne(
    { _id: c._id, status: 'published', 'opening.openedAt': null, 'opening.first.by': first.by, 'opening.first.at': first.at },
    { $set: { 'opening.second': { by: actor._id, role: actor.role, at: now }, 'opening.openedAt': now } },
  );
  if (res.matchedCount === 0) return (await Competition.exists({ _id: c._id, 'opening.openedAt': trusted({ $ne: null }) } as any)) ? { outcome: 'already-opened' } : { outcome: 'changed' };
  await audit('tender-box.opened', { first: String(first.by), firstRole: first.role, second: me.by, secondRole: me.role, openedAt: now });
  await notify(clock, mailer, baseUrl, await usersOf([c.council], 'buyer'), {
    title: `Tender box opened: ${c.reference}`,
    body: `The tender box of \u201c${c.title}\u201d (${c.reference}) was opened by two people. Your council\u2019s buyers can now read the bids.`,
    link,
  });
  return { outcome: 'opened' };
}

// ---- Reading opened bids: owning council's buyers only, after opening; every attempt audited ----

export type ReadTarget = { bid?: string; file?: string; what: 'bids list' | 'bid' | 'attachment' };
export type ReadRefused = { outcome: 'refused'; reason: ReadRefusal; stage?: Stage; deadline?: Date | null };
type Missing = { outcome: 'missing' };

async function refuse(clock: Clock, actor: Actor, competition: string, target: ReadTarget, reason: ReadRefusal, stage?: Stage, deadline?: Date | null): Promise<ReadRefused> {
  await recordAudit(clock, {
    actor, action: 'bid.read-refused', targetType: target.bid ? 'Bid' : 'Competition', targetId: target.bid ?? competition,
    details: { competition, bid: target.bid, file: target.file, what: target.what, reason },
  });
  return { outcome: 'refused', reason, stage, deadline };
}

/** The competition if `actor` may read its bids now; else the audited refusal (or missing, for an unknown id). */
async function guardRead(clock: Clock, actor: Actor, id: string, target: ReadTarget): Promise<CompetitionRecord | ReadRefused | Missing> {
  if (!isValidObjectId(id)) return { outcome: 'missing' };
  const c = await Competition.findById(id).lean() as CompetitionRecord | null;
  if (!c) return { outcome: 'missing' };
  if (!can(actor, 'read-bids', c)) return refuse(clock, actor, id, target, 'not authorised');
  const stage = stageOf(c, clock.now());
  const reason = readRefusal(stage);
  if (reason) return refuse(clock, actor, id, target, reason, stage, c.deadline);
  return c;
}

const isRecord = (x: CompetitionRecord | ReadRefused | Missing): x is CompetitionRecord => !('outcome' in x);

/** An admin's attempt at a bid-reading route: always refused (admins open, they never read), and audited. */
export async function refuseAdminRead(clock: Clock, actor: Actor, id: string, target: ReadTarget): Promise<ReadRefused | Missing> {
  if (!isValidObjectId(id) || !(await Competition.exists({ _id: id }))) return { outcome: 'missing' };
  return refuse(clock, actor, id, target, 'not authorised');
}

export interface ListedBid {
  id: string;
  supplier: string;
  version: number;
  receivedAt: Date;
  fingerprint: string;
}

type Current = { n: number; status: string; sealed: unknown; receivedAt: Date; fingerprint: string };
const currentVersion = (b: { versions: Current[] }) => b.versions.find((v) => v.status === 'submitted');

/** The current submitted version of each supplier's bid (withdrawn ones left out), earliest receipt first. */
export async function listOpenedBids(clock: Clock, actor: Actor, id: string): Promise<{ outcome: 'ok'; competition: CompetitionRecord; bids: ListedBid[] } | ReadRefused | Missing> {
  const c = await guardRead(clock, actor, id, { what: 'bids list' });
  if (!isRecord(c)) return c;
  const bids = await Bid.find({ competition: c._id, 'versions.status': 'submitted' }, { supplier: 1, 'versions.n': 1, 'versions.status': 1, 'versions.receivedAt': 1, 'versions.fingerprint': 1 }).lean();
  const orgs = await Organisation.find({ _id: trusted({ $in: bids.map((b) => String(b.supplier)) }) } as any, { name: 1 }).lean();
  const orgName = new Map(orgs.map((o) => [String(o._id), o.name]));
  const listed = bids.flatMap((b) => {
    const v = currentVersion(b as any);
    return v ? [{ id: String(b._id), supplier: orgName.get(String(b.supplier)) ?? 'Unknown supplier', version: v.n, receivedAt: v.receivedAt, fingerprint: v.fingerprint }] : [];
  }).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  await recordAudit(clock, { actor, action: 'tender-box.bids-listed', targetType: 'Competition', targetId: c._id, details: { bids: listed.map((b) => ({ bid: b.id, version: b.version })) } });
  return { outcome: 'ok', competition: c, bids: listed };
}

export interface OpenedBid extends ListedBid {
  content: BidContent;
  /** the fingerprint recomputed from the opened content matches the receipt's */
  fingerprintMatches: boolean;
}

async function openedVersion(keyring: Keyring, c: CompetitionRecord, bidId: string): Promise<OpenedBid | undefined> {
  if (!isValidObjectId(bidId)) return undefined;
  const bid = await Bid.findOne({ _id: bidId, competition: c._id }).lean();
  const v = bid && currentVersion(bid as any);
  if (!bid || !v) return undefined;
  const content = keyring.openJson<BidContent>(sealingOf(c), bidAad(bidId, v.n), v.sealed as Sealed);
  const supplier = (await Organisation.findById(bid.supplier, { name: 1 }).lean())?.name ?? 'Unknown supplier';
  const recomputed = fingerprint(content, { competition: String(c._id), supplier: String(bid.supplier), version: v.n, receivedAt: v.receivedAt.toISOString() });
  return { id: bidId, supplier, version: v.n, receivedAt: v.receivedAt, fingerprint: v.fingerprint, content, fingerprintMatches: recomputed === v.fingerprint };
}

/** One opened bid's current version, decrypted; the read is audited with the bid and version. */
export async function readOpenedBid(clock: Clock, keyring: Keyring, actor: Actor, id: string, bidId: string): Promise<{ outcome: 'ok'; competition: CompetitionRecord; bid: OpenedBid } | ReadRefused | Missing> {
  const c = await guardRead(clock, actor, id, { what: 'bid', bid: bidId });
  if (!isRecord(c)) return c;
  const bid = await openedVersion(keyring, c, bidId);
  if (!bid) return { outcome: 'missing' };
  await recordAudit(clock, { actor, action: 'bid.read', targetType: 'Bid', targetId: bidId, details: { competition: id, bid: bidId, version: bid.version } });
  return { outcome: 'ok', competition: c, bid };
}

/** An attachment of an opened bid's current version, decrypted; the download is audited with the bid and version. */
export async function openedAttachment(clock: Clock, keyring: Keyring, actor: Actor, id: string, bidId: string, fileId: string): Promise<{ outcome: 'ok'; name: string; contentType: string; bytes: Buffer } | ReadRefused | Missing> {
  const c = await guardRead(clock, actor, id, { what: 'attachment', bid: bidId, file: fileId });
  if (!isRecord(c)) return c;
  const bid = await openedVersion(keyring, c, bidId);
  const ref = bid?.content.attachments.find((a) => a.file === fileId);
  if (!bid || !ref || !isValidObjectId(fileId)) return { outcome: 'missing' };
  const bytes = await readBidFile(keyring, c, bidId, ref);
  await recordAudit(clock, { actor, action: 'bid.attachment-downloaded', targetType: 'Bid', targetId: bidId, details: { competition: id, bid: bidId, version: bid.version, file: fileId, sha256: ref.sha256 } });
  return { outcome: 'ok', name: ref.name, contentType: ref.contentType, bytes };
}

// ---- The network admin's view: competitions waiting to be opened, and opened ones (never their bids) ----

export const ADMIN_VIEWS = ['awaiting', 'opened'] as const;
export type AdminView = (typeof ADMIN_VIEWS)[number];

/** Published competitions past their deadline and not opened (soonest deadline first), or opened ones (latest first). */
export async function listForOpening(now: Date, view: AdminView, page: number, pageSize = 25) {
  const filter = view === 'awaiting'
    ? { status: 'published', deadline: trusted({ $lte: now }), 'opening.openedAt': null }
    : { status: 'published', 'opening.openedAt': trusted({ $ne: null }) };
  const sort: Record<string, 1 | -1> = view === 'awaiting' ? { deadline: 1, _id: 1 } : { 'opening.openedAt': -1, _id: -1 };
  const [total, items, other] = await Promise.all([
    Competition.countDocuments(filter as any),
    Competition.find(filter as any, { sealing: 0 }).sort(sort).skip((page - 1) * pageSize).limit(pageSize).lean(),
    Competition.countDocuments((view === 'awaiting'
      ? { status: 'published', 'opening.openedAt': trusted({ $ne: null }) }
      : { status: 'published', deadline: trusted({ $lte: now }), 'opening.openedAt': null }) as any),
  ]);
  const councils = await Organisation.find({ _id: trusted({ $in: items.map((c) => String(c.council)) }) } as any, { name: 1 }).lean();
  const councilName = new Map(councils.map((o) => [String(o._id), o.name]));
  return {
    total,
    counts: view === 'awaiting' ? { awaiting: total, opened: other } : { awaiting: other, opened: total },
    items: items.map((c) => ({ ...c, councilName: councilName.get(String(c.council)) ?? '', waiting: !!c.opening?.first && !c.opening.openedAt && !hasLapsed(c.opening.first as Step, now) })),
  };
}

/** A published (or cancelled) competition's tender box for a network admin, with the council's name; null otherwise. */
export async function boxForAdmin(now: Date, id: string): Promise<{ competition: CompetitionRecord; councilName: string; state: BoxState } | null> {
  if (!isValidObjectId(id)) return null;
  const c = await Competition.findOne({ _id: id, status: trusted({ $in: ['published', 'cancelled'] }) } as any, { sealing: 0 }).lean() as CompetitionRecord | null;
  if (!c) return null;
  const council = await Organisation.findById(c.council, { name: 1 }).lean();
  return { competition: c, councilName: council?.name ?? '', state: await boxState(c, now) };
}
