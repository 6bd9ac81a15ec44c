// Sealed bids written straight to the model, exactly as the supplier's bid service stores them (models/Bid.ts,
// server/domain/bidContent.ts): content sealed under the competition's key with the bid and version as AAD,
// a fingerprint over the content and the receipt facts, attachments stored by the bid service's own storeBidFile
// (sealed in the 'bidfiles' GridFS bucket). Also: a competition with three such bids, opening it, raw GETs.
import { Types } from 'mongoose';
import request from 'supertest';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { bidAad, BidContent, fingerprint } from '../../server/domain/bidContent';
import { storeBidFile } from '../../server/services/bidFiles';
import { CompetitionRecord } from '../../server/services/competitions';
import { Keyring } from '../../server/sealing/keyring';
import { sealingOf } from '../../server/services/bids';
import { takeOpeningStep } from '../../server/services/tenderBox';
import { createUser, TestApp, TestUser } from './app';
import { admittedSupplier, competitionFixture, CompetitionFixture, testKeyring, validDraftContent } from './competitions';
import { uniqueLot } from './vetting';
import { connectDatabase } from '../../server/db';
import { TestClock } from '../../server/clock';
import { MemoryMailer } from '../../server/mail/mailer';
import { createDraft, publish, updateDraft } from '../../server/services/competitions';

export interface SealedBidOptions {
  /** a text that appears in every answer, a breakdown item, a commitment and the attachment (its bytes and name) */
  sentinel?: string;
  totalPence?: number;
  /** an attachment to seal into the bucket; its name and bytes carry the sentinel */
  attachment?: boolean;
  /** 'withdrawn' leaves the only version withdrawn; 'resubmitted' gives a superseded v1 and a current v2 */
  history?: 'submitted' | 'withdrawn' | 'resubmitted';
  /** the receipt time (defaults to an hour before the competition's deadline) */
  receivedAt?: Date;
  /** the keyring holding the master key the competition's key is wrapped with (default: the test apps') */
  keyring?: Keyring;
}

export interface SealedBid {
  bidId: string;
  supplier: string;
  /** the current version's number */
  version: number;
  content: BidContent;
  fileId?: string;
  fileBytes?: Buffer;
  fileName?: string;
}

/** Writes a submitted bid for `supplier` (an organisation id) in competition `competitionId`. */
export async function sealedBid(competitionId: string, supplier: { id: string; organisation: string }, opts: SealedBidOptions = {}): Promise<SealedBid> {
  const c = await Competition.findById(competitionId).lean();
  if (!c) throw new Error('no such competition');
  const sealing = sealingOf(c as CompetitionRecord);
  const keyring = opts.keyring ?? testKeyring();
  const sentinel = opts.sentinel ?? 'SENTINEL';
  const bidId = new Types.ObjectId();
  const answers: Record<string, string> = {};
  for (const q of c.questions) answers[String(q._id)] = `Our answer ${sentinel} to: ${q.text}`;
  const content: BidContent = {
    answers,
    price: { totalPence: opts.totalPence ?? 1_500_000, breakdown: [{ item: `Workshops ${sentinel}`, pence: 1_000_000 }, { item: 'Strategy', pence: (opts.totalPence ?? 1_500_000) - 1_000_000 }] },
    commitments: [{ code: 'NT1', description: `Local jobs ${sentinel}`, unit: 'FTE', quantity: 1.5, proxyValuePence: 3_000_000, proxyYear: 2026, valuePence: 4_500_000 }],
    attachments: [],
  };
  let fileId: Types.ObjectId | undefined;
  let fileBytes: Buffer | undefined;
  let fileName: string | undefined;
  if (opts.attachment) {
    fileBytes = Buffer.from(`%PDF-1.4\n% plan ${sentinel}\n%%EOF\n`, 'utf8');
    fileName = `plan-${sentinel}.pdf`;
    const ref = await storeBidFile(keyring, c as CompetitionRecord, String(bidId), { buffer: fileBytes, originalname: fileName });
    fileId = new Types.ObjectId(ref.file);
    content.attachments.push(ref);
  }
  const history = opts.history ?? 'submitted';
  const receivedAt = opts.receivedAt ?? new Date(c.deadline!.getTime() - 60 * 60 * 1000);
  const versionOf = (n: number, status: string, at: Date) => ({
    n, status, receivedAt: at, submittedBy: supplier.id,
    sealed: keyring.sealJson(sealing, bidAad(String(bidId), n), content),
    fingerprint: fingerprint(content, { competition: String(c._id), supplier: supplier.organisation, version: n, receivedAt: at.toISOString() }),
    ...(status === 'withdrawn' ? { withdrawnAt: at, withdrawnBy: supplier.id } : {}),
  });
  const versions = history === 'resubmitted'
    ? [versionOf(1, 'superseded', new Date(receivedAt.getTime() - 60_000)), versionOf(2, 'submitted', receivedAt)]
    : [versionOf(1, history, receivedAt)];
  await Bid.create({
    _id: bidId, competition: c._id, supplier: supplier.organisation, versions,
    draft: { sealed: keyring.sealJson(sealing, bidAad(String(bidId), 'draft'), content), savedAt: receivedAt, savedBy: supplier.id, revision: versions.length },
    files: fileId ? [fileId] : [],
  });
  return { bidId: String(bidId), supplier: supplier.organisation, version: versions.length, content, fileId: fileId && String(fileId), fileBytes, fileName };
}

export interface TenderBoxFixture {
  fx: CompetitionFixture;
  /** supplier 0: with an attachment; supplier 1: resubmitted (v2 current); supplier 2: withdrawn (never listed) */
  bids: SealedBid[];
}

/** A published competition with three suppliers' sealed bids, each carrying `sentinel` in every part of its content. */
export async function tenderBoxFixture(t: TestApp, sentinel: string): Promise<TenderBoxFixture> {
  const fx = await competitionFixture(t, { suppliers: 3 });
  const bids = [
    await sealedBid(fx.id, fx.suppliers[0], { sentinel, attachment: true }),
    await sealedBid(fx.id, fx.suppliers[1], { sentinel, history: 'resubmitted' }),
    await sealedBid(fx.id, fx.suppliers[2], { sentinel, history: 'withdrawn' }),
  ];
  return { fx, bids };
}

export const actorOf = (u: TestUser, role: 'buyer' | 'admin') => ({ _id: u.id, role, organisation: u.organisation });

/** Takes both opening steps through the real service (first, then second), at the test clock's now. */
export async function openBox(t: TestApp, competitionId: string, first: ReturnType<typeof actorOf>, second: ReturnType<typeof actorOf>): Promise<void> {
  const a = await takeOpeningStep(t.clock, t.mailer, 'http://localhost:3000', first as any, competitionId);
  const b = await takeOpeningStep(t.clock, t.mailer, 'http://localhost:3000', second as any, competitionId);
  if (a.outcome !== 'started' || b.outcome !== 'opened') throw new Error(`could not open the box: ${a.outcome}, ${b.outcome}`);
}

/** GET with the body kept as bytes whatever its type (a download's too), so a sentinel can be searched for anywhere. */
export function getRaw(agent: request.Agent, path: string) {
  return agent.get(path).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

/**
 * For the on-disk check (test/app/sealed-at-rest.test.ts), run in a child process: opens the embedded engine on
 * `dataDir`, publishes a competition through the real services under the master key in BID_MASTER_KEY (as the app
 * will use), writes one sealed bid (with an attachment) carrying `sentinel`, prints the competition id and a second
 * invited supplier's sign-in as one JSON line, and closes the engine. `marker` goes in the title, in clear.
 */
export async function seedForDisk(dataDir: string, sentinel: string, marker: string): Promise<void> {
  const db = await connectDatabase({ dataDir });
  const keyring = new Keyring(Buffer.from(process.env.BID_MASTER_KEY ?? '', 'base64'));
  const clock = new TestClock(new Date());
  const lot = await uniqueLot('Sealed at rest');
  const buyer = await createUser('buyer');
  const suppliers = [await admittedSupplier(lot.id, clock.now()), await admittedSupplier(lot.id, clock.now())];
  const actor = { _id: buyer.id, role: 'buyer' as const, organisation: buyer.organisation };
  const created = await createDraft(clock, keyring, actor, { title: `Sealed at rest ${marker}`, lot: lot.id });
  if (created.outcome !== 'created') throw new Error('no draft');
  await updateDraft(clock, actor, created.id, validDraftContent(clock.now()));
  const published = await publish(clock, new MemoryMailer(), 'http://localhost', actor, created.id);
  if (published.outcome !== 'published') throw new Error(`not published: ${published.outcome}`);
  await sealedBid(created.id, suppliers[1], { sentinel, attachment: true, keyring });
  process.stdout.write(JSON.stringify({ competition: created.id, supplier: suppliers[0] }) + '\n');
  await db.close();
}
