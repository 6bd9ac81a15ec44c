// A supplier's application to join the DPS: start, save sections as they go, submit (frozen, referenced,
// timed), withdraw, answer the panel's clarification questions. Every query is scoped to the organisation.
import { createHash, randomInt } from 'node:crypto';
import { trusted } from 'mongoose';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { ScanStatus, StoredDocument } from '../../models/Document';
import { describeDocument, DocumentView } from './documents';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { SECTIONS } from '../domain/applicationQuestions';
import { Answers, caseStudyProblems, documentIds, isComplete, LotRef, resolveSection } from '../domain/applicationForms';
import { UK_NATIONS, UkNation, workingDayDeadline } from '../domain/workingDays';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { recordAudit } from './audit';
import { currentPolicies, loadProfile } from './organisationProfile';

export interface Actor {
  _id: string;
  role: string;
  email: string;
  organisation: string;
}

/** Statuses that stop a new application being started: finish or withdraw the current one first. */
const OPEN_STATUSES: Array<'draft' | 'submitted'> = ['draft', 'submitted'];
/** Sections an admitted or returning supplier can carry over from its last application. */
const CARRIED_OVER = ['organisation', 'contacts', 'financial', 'values', 'policies'];
export const REVIEW_DAYS = 10;

export async function activeLots(): Promise<LotRef[]> {
  return Lot.find({ active: true }, { number: 1, title: 1 }).sort({ number: 1 }).lean();
}

/** The lots the organisation is admitted to now (active admissions), as lot ids. */
export async function admittedLotIds(organisation: string): Promise<string[]> {
  const admissions = await Admission.find({ supplier: organisation, status: 'active' }, { lot: 1 }).lean();
  return admissions.map((a) => String(a.lot));
}

export async function listApplications(organisation: string) {
  return Application.find({ supplier: organisation }, { answers: 0, snapshot: 0, reviews: 0 }).sort({ createdAt: -1, _id: -1 }).lean();
}

export async function findApplication(organisation: string, id: string) {
  return Application.findOne({ _id: id, supplier: organisation }).lean();
}

export async function canStartApplication(organisation: string): Promise<boolean> {
  return !(await Application.exists({ supplier: organisation, status: trusted({ $in: OPEN_STATUSES }) }));
}

/**
 * Starts a draft. A returning supplier's organisation, contacts, financial, values and policies answers
 * are carried over from its latest submitted application, marked in progress for review.
 */
export async function startApplication(clock: Clock, user: Actor): Promise<{ ok: true; id: string } | { ok: false; existing?: string }> {
  if (!(await canStartApplication(user.organisation))) {
    const open = await Application.findOne({ supplier: user.organisation, status: trusted({ $in: OPEN_STATUSES }) }, { _id: 1 }).lean();
    return { ok: false, existing: open ? String(open._id) : undefined };
  }
  const previous = await Application.findOne({ supplier: user.organisation, submittedAt: trusted({ $exists: true }) }).sort({ submittedAt: -1 }).lean();
  const answers: Answers = {};
  const sectionStatus: Record<string, string> = {};
  for (const key of CARRIED_OVER) {
    const prior = (previous?.snapshot as any)?.answers?.[key];
    if (prior) {
      answers[key] = prior;
      sectionStatus[key] = 'in-progress';
    }
  }
  if (previous) {
    // Details and policies kept current since (organisation upkeep) win over the old snapshot's.
    const profile = await loadProfile(user.organisation);
    if (profile && answers.organisation) answers.organisation = { ...(answers.organisation as Answers), ...profile.answers };
    const policies = await currentPolicies(user.organisation);
    if (answers.policies) {
      const current: Answers = { ...(answers.policies as Answers) };
      for (const row of policies) if (row.document) current[row.name] = row.document.id;
      answers.policies = current;
    }
  }
  const created = await Application.create({ supplier: user.organisation, createdBy: user._id, status: 'draft', answers, sectionStatus });
  // Two starts at once: keep the earliest draft, drop the other.
  const drafts = await Application.find({ supplier: user.organisation, status: trusted({ $in: OPEN_STATUSES }) }, { _id: 1 }).sort({ _id: 1 }).lean();
  if (drafts.length > 1 && String(drafts[0]._id) !== String(created._id)) {
    await Application.deleteOne({ _id: created._id });
    return { ok: false, existing: String(drafts[0]._id) };
  }
  await recordAudit(clock, { actor: user, action: 'application.started', targetType: 'Application', targetId: created._id, details: { carriedOver: Object.keys(answers) } });
  return { ok: true, id: String(created._id) };
}

export type SaveOutcome = 'saved' | 'missing' | 'locked' | { badDocuments: string[] };

/**
 * Saves one section's answers: 'completed' only when they validated fully, else 'in-progress'.
 * Only while the application is a draft (a conditional update, so a submitted one is never changed).
 */
export async function saveSection(user: Actor, id: string, key: string, answers: Answers, completed: boolean, lots: LotRef[]): Promise<SaveOutcome> {
  const section = resolveSection(key, lots);
  if (!section) return 'missing';
  const docIds = documentIds(section.fields, answers);
  if (docIds.length) {
    const owned = await StoredDocument.find({ _id: trusted({ $in: docIds }), owner: user.organisation, deletedAt: null }, { _id: 1 }).lean();
    const ok = new Set(owned.map((d) => String(d._id)));
    const bad = docIds.filter((d) => !ok.has(d));
    if (bad.length) return { badDocuments: bad };
  }
  const set: Record<string, unknown> = { [`answers.${key}`]: answers, [`sectionStatus.${key}`]: completed ? 'completed' : 'in-progress' };
  if (key === 'lots') set.lots = Array.isArray(answers.lots) ? answers.lots : [];
  if (docIds.length) {
    await StoredDocument.updateMany({ _id: trusted({ $in: docIds }), owner: user.organisation }, { $set: { application: id } });
  }
  const res = await Application.updateOne({ _id: id, supplier: user.organisation, status: 'draft' }, { $set: set });
  if (res.matchedCount === 1) return 'saved';
  return (await Application.exists({ _id: id, supplier: user.organisation })) ? 'locked' : 'missing';
}

/** Per-section status for the task list; a section whose answers no longer validate (e.g. a lot closed) is in progress. */
export function sectionStatuses(app: { sectionStatus?: any; answers?: any }, lots: LotRef[]): Record<string, 'not-started' | 'in-progress' | 'completed'> {
  const out: Record<string, 'not-started' | 'in-progress' | 'completed'> = {};
  for (const s of SECTIONS) {
    const stored = app.sectionStatus?.[s.key];
    if (stored === 'completed') out[s.key] = isComplete(resolveSection(s.key, lots)!, app.answers?.[s.key]) ? 'completed' : 'in-progress';
    else out[s.key] = stored === 'in-progress' ? 'in-progress' : 'not-started';
  }
  return out;
}

/** The lots an application seeks, in number order. */
export function lotsSought(app: { answers?: any }, lots: LotRef[]): LotRef[] {
  const ids = new Set<string>(app.answers?.lots?.lots ?? []);
  return lots.filter((l) => ids.has(String(l._id)));
}

export interface SubmissionProblem {
  text: string;
  /** the section to fix it in */
  section: string;
}

/** What still stops submission: incomplete sections and the case-study count. */
export function submissionProblems(app: { sectionStatus?: any; answers?: any }, lots: LotRef[]): SubmissionProblem[] {
  const statuses = sectionStatuses(app, lots);
  const problems = SECTIONS.filter((s) => statuses[s.key] !== 'completed').map((s) => ({ text: `Complete the section: ${s.title}`, section: s.key }));
  problems.push(...caseStudyProblems(lotsSought(app, lots), app.answers?.technical?.caseStudies).map((text) => ({ text, section: 'technical' })));
  return problems;
}

/** Canonical JSON (sorted keys) so the snapshot's hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
  if (typeof value === 'object') {
    if (typeof (value as any).toHexString === 'function') return JSON.stringify((value as any).toHexString());
    const keys = Object.keys(value as object).filter((k) => (value as any)[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson((value as any)[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

export function snapshotHash(snapshot: unknown): string {
  return createHash('sha256').update(canonicalJson(snapshot)).digest('hex');
}

function newReference(at: Date): string {
  return `DPS-APP-${at.getUTCFullYear()}-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

const receiptFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZoneName: 'short' });
export function formatReceipt(at: Date): string {
  return receiptFormat.format(at);
}
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
export function formatDay(at: Date): string {
  return dayFormat.format(at);
}

export type SubmitOutcome =
  | { outcome: 'submitted'; reference: string; submittedAt: Date; dueBy: Date; emailFailed: string[] }
  | { outcome: 'already'; status: string }
  | { outcome: 'incomplete'; problems: SubmissionProblem[] }
  | { outcome: 'missing' };

/**
 * Submits a draft: one conditional update on status 'draft' sets the status, a unique reference, the exact
 * receipt time, the nation, the due-by date (10 working days) and a frozen snapshot with its SHA-256, so two
 * submissions at once make one. The winner then copies the organisation answers to the profile, audits and e-mails.
 */
export async function submitApplication(clock: Clock, mailer: Mailer, user: Actor, id: string): Promise<SubmitOutcome> {
  const app = await findApplication(user.organisation, id);
  if (!app) return { outcome: 'missing' };
  if (app.status !== 'draft') return { outcome: 'already', status: app.status };
  const lots = await activeLots();
  const problems = submissionProblems(app, lots);
  if (problems.length) return { outcome: 'incomplete', problems };

  const submittedAt = clock.now();
  const org = (app.answers as any).organisation ?? {};
  const nation: UkNation = (UK_NATIONS as readonly string[]).includes(org.nation) ? org.nation : 'England';
  const dueBy = workingDayDeadline(submittedAt, REVIEW_DAYS, nation);
  const sought = lotsSought(app, lots).map((l) => ({ _id: String(l._id), number: l.number, title: l.title }));
  const snapshot = { answers: app.answers, lots: sought, submittedAt: submittedAt.toISOString() };
  const hash = snapshotHash(snapshot);

  let updated = null;
  for (let attempt = 0; attempt < 5 && !updated; attempt++) {
    try {
      updated = await Application.findOneAndUpdate(
        { _id: id, supplier: user.organisation, status: 'draft' },
        { $set: { status: 'submitted', reference: newReference(submittedAt), submittedAt, nation, dueBy, snapshot, snapshotHash: hash, lots: sought.map((l) => l._id) } },
        { returnDocument: 'after' },
      ).lean();
      if (!updated) {
        const now = await findApplication(user.organisation, id);
        return { outcome: 'already', status: now?.status ?? 'missing' };
      }
    } catch (err: any) {
      if (err?.code !== 11000) throw err; // a reference clash: try another
    }
  }
  if (!updated) throw new Error('could not allocate an application reference');

  await Organisation.updateOne({ _id: user.organisation, kind: 'supplier' }, {
    $set: {
      // The directory lists the organisation by the name it trades under, as submitted.
      name: org.tradingName || org.legalName,
      profile: {
        legalName: org.legalName, tradingName: org.tradingName, legalForm: org.legalForm, registrationScheme: org.registrationScheme,
        registrationNumber: org.registrationNumber, nation: org.nation, region: org.region, size: org.size,
        vcse: org.vcse === 'yes', website: org.website, description: org.description,
      },
    },
  });
  await recordAudit(clock, {
    actor: user, action: 'application.submitted', targetType: 'Application', targetId: id,
    details: { reference: updated.reference, submittedAt, dueBy, nation, snapshotHash: hash, lots: sought.map((l) => l.number) },
  });

  const contacts = (app.answers as any).contacts ?? {};
  const text = [
    `We received your application to join the Co-op Councils Dynamic Purchasing System.`,
    '',
    `Reference: ${updated.reference}`,
    `Received: ${formatReceipt(submittedAt)}`,
    `Lots: ${sought.map((l) => `Lot ${l.number}: ${l.title}`).join('; ')}`,
    '',
    `The network's panel will decide by the end of ${formatDay(dueBy)} (10 working days), unless it tells you it needs longer.`,
    '',
    'You can see the status of your application, and withdraw it, by signing in to the service.',
  ].join('\n');
  const recipients = [...new Set([contacts.mainEmail, user.email].filter((e): e is string => typeof e === 'string' && !!e).map((e) => e.toLowerCase()))];
  // The submission stands even if an e-mail cannot be sent: the confirmation page shows the same receipt.
  const emailFailed: string[] = [];
  for (const to of recipients) {
    try {
      await mailer.send({ to, subject: `Application received: ${updated.reference}`, text });
    } catch {
      emailFailed.push(to);
    }
  }

  return { outcome: 'submitted', reference: updated.reference!, submittedAt, dueBy, emailFailed };
}

/** Withdraws a draft or a submitted application that has not been decided. */
export async function withdrawApplication(clock: Clock, user: Actor, id: string): Promise<'withdrawn' | 'missing' | 'not-allowed'> {
  const res = await Application.updateOne({ _id: id, supplier: user.organisation, status: trusted({ $in: OPEN_STATUSES }) }, { $set: { status: 'withdrawn', withdrawnAt: clock.now() } });
  if (res.matchedCount === 0) return (await Application.exists({ _id: id, supplier: user.organisation })) ? 'not-allowed' : 'missing';
  await recordAudit(clock, { actor: user, action: 'application.withdrawn', targetType: 'Application', targetId: id });
  return 'withdrawn';
}

/** Answers one of the panel's clarification questions, once, while the application is being vetted. */
export async function answerClarification(clock: Clock, user: Actor, id: string, clarificationId: string, answer: string): Promise<'answered' | 'missing' | 'not-allowed'> {
  const app = await findApplication(user.organisation, id);
  if (!app) return 'missing';
  const index = (app.clarifications ?? []).findIndex((c) => String(c._id) === clarificationId);
  if (index < 0) return 'missing';
  if (app.status !== 'submitted' || app.clarifications[index].answer) return 'not-allowed';
  const res = await Application.updateOne(
    { _id: id, supplier: user.organisation, status: 'submitted', [`clarifications.${index}._id`]: clarificationId, [`clarifications.${index}.answer`]: trusted({ $exists: false }) },
    { $set: { [`clarifications.${index}.answer`]: answer, [`clarifications.${index}.answeredBy`]: user._id, [`clarifications.${index}.answeredAt`]: clock.now() } },
  );
  if (res.matchedCount === 0) return 'not-allowed';
  await recordAudit(clock, { actor: user, action: 'application.clarification-answered', targetType: 'Application', targetId: id, details: { clarification: clarificationId } });
  return 'answered';
}

/** What the pages show about an organisation's live documents, by id (name, type, size, scan status). */
export async function documentViews(organisation: string, ids: string[]): Promise<Record<string, DocumentView>> {
  ids = ids.filter((id) => typeof id === 'string' && /^[0-9a-f]{24}$/i.test(id));
  if (!ids.length) return {};
  const docs = await StoredDocument.find({ _id: trusted({ $in: ids }), owner: organisation, deletedAt: null }).lean();
  return Object.fromEntries(docs.map((d) => [String(d._id), describeDocument({
    id: String(d._id), originalName: d.originalName, contentType: d.contentType, extension: d.extension, size: d.size,
    sha256: d.sha256, purpose: d.purpose, scanStatus: d.scanStatus as ScanStatus, uploadedAt: (d as any).createdAt,
  })]));
}

/** One line per document for check your answers: "policy.pdf (PDF, 1.2 KB): No viruses found". */
export async function documentNames(organisation: string, ids: string[]): Promise<Record<string, string>> {
  const views = await documentViews(organisation, ids);
  return Object.fromEntries(Object.entries(views).map(([id, v]) => [id, `${v.name} (${v.type}, ${v.size}): ${v.scan.tag}`]));
}
