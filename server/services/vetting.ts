// The network's vetting of submitted applications and its admissions: the queue, reviews and scores,
// clarifications, extensions, decisions per lot, and suspending, removing or reinstating an admission.
// Each state change checks the current state in its update's filter and writes its audit event.
import mongoose, { Types, trusted } from 'mongoose';
import { Admission, REMOVAL_GROUNDS } from '../../models/Admission';
import { Application } from '../../models/Application';
import { StoredDocument } from '../../models/Document';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { ADMISSION_ACTION_STATUS, AdmissionAction, allowedAdmissionActions, effectiveDueBy, extension, ExtensionRefusal, missingCriteria, reviewOf, Scores, undecidedLots } from '../domain/vetting';
import { recordAudit } from './audit';

export interface Actor {
  _id: string;
  role: string;
}

export const QUEUE_PAGE_SIZE = 25;
export const QUEUE_STATUSES = ['awaiting', 'overdue', 'decided', 'withdrawn', 'all'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const formatDay = (d: Date) => dayFormat.format(d);

// ---------- reads ----------

/**
 * The vetting queue: applications that have been submitted, filtered by status and lot, soonest effective
 * due date first (the extended date where there is one), then oldest receipt.
 */
export async function listQueue(now: Date, filter: { status: QueueStatus; lot?: string }, page: number, pageSize = QUEUE_PAGE_SIZE) {
  const match: Record<string, unknown> = { submittedAt: { $exists: true, $ne: null } };
  if (filter.status === 'awaiting' || filter.status === 'overdue') match.status = 'submitted';
  else if (filter.status === 'decided' || filter.status === 'withdrawn') match.status = filter.status;
  else match.status = { $in: ['submitted', 'decided', 'withdrawn'] };
  if (filter.lot) match.lots = new Types.ObjectId(filter.lot);
  const pipeline: any[] = [
    { $match: match },
    { $addFields: { effectiveDueBy: { $ifNull: ['$extendedDueBy', '$dueBy'] } } },
  ];
  if (filter.status === 'overdue') pipeline.push({ $match: { effectiveDueBy: { $lt: now } } });
  const counted = await Application.aggregate([...pipeline, { $count: 'n' }]);
  const total: number = counted[0]?.n ?? 0;
  const items = await Application.aggregate([
    ...pipeline,
    { $sort: { effectiveDueBy: 1, submittedAt: 1, _id: 1 } },
    { $skip: (page - 1) * pageSize },
    { $limit: pageSize },
    { $project: { reference: 1, supplier: 1, lots: 1, status: 1, submittedAt: 1, dueBy: 1, extendedDueBy: 1, nation: 1, decisions: 1, 'snapshot.answers.organisation.legalName': 1 } },
  ]);
  const [orgs, lots] = await Promise.all([
    Organisation.find({ _id: trusted({ $in: items.map((i) => i.supplier) }) }, { name: 1, profile: 1 }).lean(),
    Lot.find({}, { number: 1, title: 1 }).lean(),
  ]);
  const orgName = new Map(orgs.map((o) => [String(o._id), o.profile?.legalName || o.name]));
  const lotNumber = new Map(lots.map((l) => [String(l._id), l.number]));
  return {
    total,
    items: items.map((i) => ({
      id: String(i._id),
      reference: i.reference as string,
      supplier: (i.snapshot?.answers?.organisation?.legalName as string) || orgName.get(String(i.supplier)) || '',
      lots: ((i.lots ?? []) as unknown[]).map((l) => lotNumber.get(String(l))).filter((n): n is number => n !== undefined).sort((a, b) => a - b),
      status: i.status as string,
      submittedAt: i.submittedAt as Date,
      dueBy: i.dueBy as Date | undefined,
      extendedDueBy: i.extendedDueBy as Date | undefined,
      nation: i.nation as string | undefined,
      decisions: (i.decisions ?? []) as Array<{ lot: unknown; outcome: string }>,
    })),
  };
}

/** A submitted application with what the review page needs: supplier, lots, documents, reviewers' names. */
export async function findForReview(id: string) {
  const app = await Application.findOne({ _id: id, submittedAt: trusted({ $exists: true }) }).lean();
  if (!app) return undefined;
  const userIds = [
    ...(app.reviews ?? []).map((r) => r.reviewer),
    ...(app.clarifications ?? []).flatMap((c) => [c.askedBy, c.answeredBy]),
    ...(app.decisions ?? []).map((d) => d.decidedBy),
  ].filter(Boolean);
  const [supplier, lots, documents, users] = await Promise.all([
    Organisation.findById(app.supplier, { name: 1, profile: 1 }).lean(),
    Lot.find({ _id: trusted({ $in: app.lots ?? [] }) }, { number: 1, title: 1 }).sort({ number: 1 }).lean(),
    StoredDocument.find({ owner: app.supplier, $or: [{ application: app._id }, { _id: trusted({ $in: app.documents ?? [] }) }] }, { originalName: 1, size: 1, scanStatus: 1, purpose: 1 }).lean(),
    User.find({ _id: trusted({ $in: userIds }) }, { name: 1 }).lean(),
  ]);
  return {
    app,
    supplier,
    lots,
    documents: Object.fromEntries(documents.map((d) => [String(d._id), d])),
    names: Object.fromEntries(users.map((u) => [String(u._id), u.name])) as Record<string, string>,
  };
}

// ---------- reviews ----------

export type ReviewOutcome = 'saved' | 'submitted' | 'missing' | 'closed' | 'locked' | { incomplete: string[] };

/**
 * Saves this reviewer's scores as a draft, or submits them (every criterion scored 0-4 with a comment).
 * A submitted review is final. Only while the application awaits a decision.
 */
export async function saveReview(clock: Clock, reviewer: Actor, id: string, scores: Scores, submit: boolean): Promise<ReviewOutcome> {
  if (submit) {
    const missing = missingCriteria(scores);
    if (missing.length) return { incomplete: missing };
  }
  const now = clock.now();
  for (let attempt = 0; attempt < 3; attempt++) {
    const app = await Application.findOne({ _id: id, submittedAt: trusted({ $exists: true }) }, { status: 1, reviews: 1 }).lean();
    if (!app) return 'missing';
    if (app.status !== 'submitted') return 'closed';
    const index = (app.reviews ?? []).findIndex((r) => String(r.reviewer) === reviewer._id);
    const fields = { scores, ...(submit ? { submittedAt: now } : {}) };
    let res;
    if (index < 0) {
      // The first save: push, unless this reviewer's review appeared meanwhile.
      res = await Application.updateOne(
        { _id: id, status: 'submitted', 'reviews.reviewer': trusted({ $ne: new Types.ObjectId(reviewer._id) }) },
        { $push: { reviews: { reviewer: reviewer._id, ...fields } } },
      );
    } else {
      if (app.reviews[index].submittedAt) return 'locked';
      res = await Application.updateOne(
        { _id: id, status: 'submitted', [`reviews.${index}.reviewer`]: reviewer._id, [`reviews.${index}.submittedAt`]: trusted({ $exists: false }) },
        { $set: Object.fromEntries(Object.entries(fields).map(([k, v]) => [`reviews.${index}.${k}`, v])) },
      );
    }
    if (res.matchedCount === 1) {
      if (submit) {
        const summary = Object.fromEntries(Object.entries(scores).map(([k, v]) => [k, v.score]));
        await recordAudit(clock, { actor: reviewer, action: 'application.review-submitted', targetType: 'Application', targetId: id, details: { scores: summary } });
      }
      return submit ? 'submitted' : 'saved';
    }
  }
  const now2 = await Application.findOne({ _id: id }, { status: 1, reviews: 1 }).lean();
  if (!now2) return 'missing';
  if (now2.status !== 'submitted') return 'closed';
  return reviewOf(now2.reviews, reviewer._id)?.submittedAt ? 'locked' : 'closed';
}

/** Submits this reviewer's scores: final, audited, and from then on the reviewer sees everyone's scores. */
export function submitReview(clock: Clock, reviewer: Actor, id: string, scores: Scores): Promise<ReviewOutcome> {
  return saveReview(clock, reviewer, id, scores, true);
}

// ---------- clarifications and extensions ----------

/** Who hears from the panel: the main contact named in the application and the supplier's active users. */
async function supplierRecipients(app: { supplier: unknown; snapshot?: any }): Promise<string[]> {
  const users = await User.find({ organisation: app.supplier as any, role: 'supplier', status: 'active' }, { email: 1 }).lean();
  const main = app.snapshot?.answers?.contacts?.mainEmail;
  return [...new Set([main, ...users.map((u) => u.email)].filter((e): e is string => typeof e === 'string' && !!e).map((e) => e.toLowerCase()))];
}

async function tellSupplier(mailer: Mailer, app: { supplier: unknown; snapshot?: any }, subject: string, text: string): Promise<void> {
  for (const to of await supplierRecipients(app)) await mailer.send({ to, subject, text });
}

const SIGN_IN = 'Sign in to the Co-op Councils DPS to see your application.';

export async function requestClarification(clock: Clock, mailer: Mailer, admin: Actor, id: string, question: string): Promise<'sent' | 'missing' | 'closed'> {
  const at = clock.now();
  const app = await Application.findOneAndUpdate(
    { _id: id, status: 'submitted' },
    { $push: { clarifications: { question, askedBy: admin._id, askedAt: at } } },
    { returnDocument: 'after' },
  ).lean();
  if (!app) return (await Application.exists({ _id: id, submittedAt: trusted({ $exists: true }) })) ? 'closed' : 'missing';
  const added = app.clarifications[app.clarifications.length - 1];
  await recordAudit(clock, { actor: admin, action: 'application.clarification-requested', targetType: 'Application', targetId: id, details: { clarification: String(added._id), question } });
  await tellSupplier(mailer, app, `Question about your application ${app.reference}`, [
    `The network's panel has a question about your application ${app.reference} to join the Co-op Councils DPS:`,
    '',
    question,
    '',
    `${SIGN_IN} You can answer the question there.`,
  ].join('\n'));
  return 'sent';
}

export async function extendDueBy(clock: Clock, mailer: Mailer, admin: Actor, id: string, reason: string): Promise<{ ok: true; extendedDueBy: Date } | { ok: false; refusal: ExtensionRefusal | 'missing' }> {
  const app = await Application.findOne({ _id: id, submittedAt: trusted({ $exists: true }) }).lean();
  if (!app) return { ok: false, refusal: 'missing' };
  const rule = extension(app, reason);
  if (!rule.ok) return rule;
  const res = await Application.updateOne(
    { _id: id, status: 'submitted', extendedDueBy: trusted({ $exists: false }), 'decisions.0': trusted({ $exists: false }) },
    { $set: { extendedDueBy: rule.extendedDueBy, extensionReason: reason } },
  );
  if (res.matchedCount === 0) {
    const now = await Application.findById(id).lean();
    return { ok: false, refusal: now?.extendedDueBy ? 'already-extended' : 'decided' };
  }
  await recordAudit(clock, { actor: admin, action: 'application.due-by-extended', targetType: 'Application', targetId: id, details: { from: app.dueBy, to: rule.extendedDueBy, reason } });
  await tellSupplier(mailer, app, `More time to decide your application ${app.reference}`, [
    `The network's panel needs more time to decide your application ${app.reference}.`,
    '',
    `It will now decide by the end of ${formatDay(rule.extendedDueBy)} (15 working days from when we received it).`,
    '',
    `Reason: ${reason}`,
    '',
    SIGN_IN,
  ].join('\n'));
  return rule;
}

// ---------- decisions ----------

export type DecideOutcome = 'decided' | 'missing' | 'closed' | 'not-sought' | 'already';

/**
 * Decides one lot: admit or reject, with reasons the supplier reads. In one transaction: the decision is
 * added (only if that lot has none), the application becomes 'decided' once every lot sought has one, and
 * an admission is created or reactivated for the supplier and lot, with its history. Audited; e-mails the supplier.
 */
export async function decide(clock: Clock, mailer: Mailer, admin: Actor, id: string, lotId: string, outcome: 'admitted' | 'rejected', reasons: string): Promise<DecideOutcome> {
  const at = clock.now();
  const before = await Application.findOne({ _id: id, submittedAt: trusted({ $exists: true }) }).lean();
  if (!before) return 'missing';
  if (!(before.lots ?? []).some((l) => String(l) === lotId)) return 'not-sought';
  if ((before.decisions ?? []).some((d) => String(d.lot) === lotId)) return 'already';
  if (before.status !== 'submitted') return 'closed';

  let result: DecideOutcome = 'decided';
  let completed = false;
  const session = await mongoose.startSession();
  try {
    await session.withTransaction(async () => {
      result = 'decided';
      const lot = new Types.ObjectId(lotId);
      const updated = await Application.findOneAndUpdate(
        { _id: id, status: 'submitted', 'decisions.lot': trusted({ $ne: lot }) },
        { $push: { decisions: { lot, outcome, reasons, decidedBy: admin._id, decidedAt: at } } },
        { returnDocument: 'after', session },
      ).lean();
      if (!updated) {
        result = 'already';
        return;
      }
      completed = undecidedLots(updated.lots ?? [], updated.decisions).length === 0;
      if (completed) await Application.updateOne({ _id: id, status: 'submitted' }, { $set: { status: 'decided' } }, { session });
      if (outcome === 'admitted') {
        const entry = { status: 'active', reason: `Admitted on application ${updated.reference}: ${reasons}`, at, by: admin._id };
        const existing = await Admission.findOne({ supplier: updated.supplier, lot }, null, { session });
        if (existing) {
          await Admission.updateOne({ _id: existing._id }, { $set: { status: 'active', application: updated._id, admittedAt: at }, $push: { history: entry } }, { session });
        } else {
          await Admission.create([{ supplier: updated.supplier, lot, application: updated._id, status: 'active', admittedAt: at, history: [entry] }], { session });
        }
      }
    });
  } finally {
    await session.endSession();
  }
  if (result !== 'decided') return result;

  const lot = await Lot.findById(lotId, { number: 1, title: 1 }).lean();
  const lotName = lot ? `lot ${lot.number}: ${lot.title}` : 'a lot';
  await recordAudit(clock, { actor: admin, action: `application.lot-${outcome}`, targetType: 'Application', targetId: id, details: { lot: lotId, lotNumber: lot?.number, outcome, reasons, applicationDecided: completed } });
  if (completed) await recordAudit(clock, { actor: admin, action: 'application.decided', targetType: 'Application', targetId: id, details: { reference: before.reference } });
  await tellSupplier(mailer, before, `Decision on your application ${before.reference}: ${lotName}`, [
    outcome === 'admitted'
      ? `We have admitted your organisation to the Co-op Councils DPS for ${lotName}. Member councils can now invite you to mini-competitions in this lot.`
      : `We have not admitted your organisation to the Co-op Councils DPS for ${lotName}. You can put things right and apply again at any time.`,
    '',
    'The panel\u2019s reasons:',
    reasons,
    '',
    SIGN_IN,
  ].join('\n'));
  return 'decided';
}

// ---------- admissions ----------

export async function admissionCounts() {
  const [lots, groups] = await Promise.all([
    Lot.find({}, { number: 1, title: 1, active: 1 }).sort({ number: 1 }).lean(),
    Admission.aggregate([{ $group: { _id: { lot: '$lot', status: '$status' }, n: { $sum: 1 } } }]),
  ]);
  const count = (lot: unknown, status: string) => groups.find((g) => String(g._id.lot) === String(lot) && g._id.status === status)?.n ?? 0;
  return lots.map((l) => ({ id: String(l._id), number: l.number, title: l.title, active: count(l._id, 'active'), suspended: count(l._id, 'suspended'), removed: count(l._id, 'removed') }));
}

export async function lotAdmissions(lotId: string) {
  const lot = await Lot.findById(lotId, { number: 1, title: 1 }).lean();
  if (!lot) return undefined;
  const admissions = await Admission.find({ lot: lotId }).sort({ admittedAt: -1, _id: 1 }).lean();
  const orgs = await Organisation.find({ _id: trusted({ $in: admissions.map((a) => a.supplier) }) }, { name: 1, profile: 1 }).lean();
  const name = new Map(orgs.map((o) => [String(o._id), o.profile?.legalName || o.name]));
  return { lot, admissions: admissions.map((a) => ({ ...a, supplierName: name.get(String(a.supplier)) ?? '' })) };
}

export async function findAdmission(id: string) {
  const admission = await Admission.findById(id).lean();
  if (!admission) return undefined;
  const [lot, supplier, application, users] = await Promise.all([
    Lot.findById(admission.lot, { number: 1, title: 1 }).lean(),
    Organisation.findById(admission.supplier, { name: 1, profile: 1 }).lean(),
    Application.findById(admission.application, { reference: 1 }).lean(),
    User.find({ _id: trusted({ $in: admission.history.map((h) => h.by).filter(Boolean) }) }, { name: 1 }).lean(),
  ]);
  return { admission, lot, supplier, application, names: Object.fromEntries(users.map((u) => [String(u._id), u.name])) as Record<string, string> };
}

export type AdmissionChange = { action: AdmissionAction; reason: string; ground?: (typeof REMOVAL_GROUNDS)[number] };

/**
 * Suspends, removes or reinstates an admission: a conditional update on the status the action allows,
 * with the change, its ground and reason added to the history. Audited; the supplier is told.
 */
export async function changeAdmission(clock: Clock, mailer: Mailer, admin: Actor, id: string, change: AdmissionChange): Promise<'changed' | 'missing' | 'not-allowed'> {
  const at = clock.now();
  const from = (['active', 'suspended'] as const).filter((s) => allowedAdmissionActions(s).includes(change.action));
  const status = ADMISSION_ACTION_STATUS[change.action];
  const entry = { status, reason: change.reason, ground: change.action === 'reinstate' ? undefined : change.ground, at, by: admin._id };
  const updated = await Admission.findOneAndUpdate(
    { _id: id, status: trusted({ $in: from }) },
    { $set: { status }, $push: { history: entry } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) return (await Admission.exists({ _id: id })) ? 'not-allowed' : 'missing';
  const lot = await Lot.findById(updated.lot, { number: 1, title: 1 }).lean();
  const lotName = lot ? `lot ${lot.number}: ${lot.title}` : 'a lot';
  await recordAudit(clock, {
    actor: admin, action: `admission.${status === 'active' ? 'reinstated' : status}`, targetType: 'Admission', targetId: id,
    details: { supplier: String(updated.supplier), lot: String(updated.lot), ground: entry.ground, reason: change.reason },
  });
  const app = await Application.findById(updated.application, { supplier: 1, snapshot: 1 }).lean();
  const what = { suspend: 'suspended your organisation\u2019s admission to', remove: 'removed your organisation from', reinstate: 'reinstated your organisation\u2019s admission to' }[change.action];
  await tellSupplier(mailer, app ?? { supplier: updated.supplier }, `Your admission to ${lotName} has been ${status === 'active' ? 'reinstated' : status}`, [
    `The network has ${what} the Co-op Councils DPS for ${lotName}.`,
    '',
    ...(entry.ground ? [`Ground: ${entry.ground}`] : []),
    `Reason: ${change.reason}`,
    '',
    ...(change.action === 'remove' ? ['You can apply again once the conditions for membership are met.', ''] : []),
    'Contact the network team if you have any questions.',
  ].join('\n'));
  return 'changed';
}

type Grounded = { reason: string; ground: (typeof REMOVAL_GROUNDS)[number] };
export const suspendAdmission = (clock: Clock, mailer: Mailer, admin: Actor, id: string, change: Grounded) => changeAdmission(clock, mailer, admin, id, { action: 'suspend', ...change });
export const removeAdmission = (clock: Clock, mailer: Mailer, admin: Actor, id: string, change: Grounded) => changeAdmission(clock, mailer, admin, id, { action: 'remove', ...change });
export const reinstateAdmission = (clock: Clock, mailer: Mailer, admin: Actor, id: string, reason: string) => changeAdmission(clock, mailer, admin, id, { action: 'reinstate', reason });

export { effectiveDueBy };
