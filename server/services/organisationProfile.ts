// Keeping an admitted or applying supplier's details current after it has applied: the organisation profile
// (edited with the application's own 'organisation' questions) and its policy documents. Every change is audited,
// with each changed field's old and new value. Every query is scoped to the user's organisation.
import { trusted } from 'mongoose';
import { Application } from '../../models/Application';
import { StoredDocument, ScanStatus } from '../../models/Document';
import { Organisation } from '../../models/Organisation';
import { Field, Section, sectionByKey } from '../domain/applicationQuestions';
import { Answers, FormValues, toFormValues } from '../domain/applicationForms';
import { Clock } from '../clock';
import { recordAudit } from './audit';
import { describeDocument, DocumentView, Scanner, storeUpload } from './documents';
import { Actor } from './applications';

/** Statuses that show the organisation has applied: its profile exists and may be kept current. */
const APPLIED: Array<'submitted' | 'decided'> = ['submitted', 'decided'];

/**
 * The 'organisation' section's questions that the profile holds (the profile keeps what the directory and vetting
 * need; a question the profile schema has no place for, such as the registered address, stays on the application).
 */
export function profileSection(): Section {
  const section = sectionByKey('organisation')!;
  return { ...section, fields: section.fields.filter((f) => !!Organisation.schema.path(`profile.${f.name}`)) };
}

/** The organisation's latest submitted or decided application (id and submission time), if any. */
export async function latestSubmitted(organisation: string) {
  return Application.findOne({ supplier: organisation, status: trusted({ $in: APPLIED }) }, { _id: 1, submittedAt: 1, reference: 1 }).sort({ submittedAt: -1, _id: -1 }).lean();
}

export async function canKeepCurrent(organisation: string): Promise<boolean> {
  return !!(await latestSubmitted(organisation));
}

/** Stored profile -> stored-answer shape (vcse is a boolean on the profile, 'yes'/'no' in the questions). */
export function profileAnswers(profile: Record<string, unknown> | null | undefined): Answers {
  const p = profile ?? {};
  const out: Answers = {};
  for (const f of profileSection().fields) {
    const v = p[f.name];
    if (f.name === 'vcse') {
      if (typeof v === 'boolean') out.vcse = v ? 'yes' : 'no';
    } else if (typeof v === 'string' && v !== '') {
      out[f.name] = v;
    }
  }
  return out;
}

export async function loadProfile(organisation: string): Promise<{ name: string; answers: Answers } | undefined> {
  const org = await Organisation.findOne({ _id: organisation, kind: 'supplier' }, { name: 1, profile: 1 }).lean();
  if (!org) return undefined;
  return { name: org.name, answers: profileAnswers(org.profile as any) };
}

export function profileFormValues(answers: Answers): FormValues {
  return toFormValues(profileSection().fields, answers);
}

export interface FieldChange {
  field: string;
  label: string;
  old: string | null;
  new: string | null;
}

/** The questions whose answer differs, with old and new values (blank is null). */
export function changedFields(fields: Field[], before: Answers, after: Answers): FieldChange[] {
  const norm = (v: unknown) => (v === undefined || v === null || v === '' ? null : String(v));
  return fields
    .filter((f) => norm(before[f.name]) !== norm(after[f.name]))
    .map((f) => ({ field: f.name, label: f.label, old: norm(before[f.name]), new: norm(after[f.name]) }));
}

export type ProfileOutcome = { outcome: 'updated'; changes: FieldChange[] } | { outcome: 'unchanged' } | { outcome: 'not-eligible' };

/**
 * Replaces the profile with validated answers; the organisation's name follows the trading name, else the legal name.
 * One audit event lists every changed field with its old and new value; nothing is written when nothing changed.
 */
export async function updateProfile(clock: Clock, user: Actor, answers: Answers): Promise<ProfileOutcome> {
  if (!(await canKeepCurrent(user.organisation))) return { outcome: 'not-eligible' };
  const current = await loadProfile(user.organisation);
  if (!current) return { outcome: 'not-eligible' };
  const fields = profileSection().fields;
  const changes = changedFields(fields, current.answers, answers);
  // the directory lists the organisation by the name it trades under, as submitApplication does
  const name = [answers.tradingName, answers.legalName].find((n): n is string => typeof n === 'string' && n !== '') ?? current.name;
  if (!changes.length && name === current.name) return { outcome: 'unchanged' };
  const set: Record<string, unknown> = { name };
  for (const f of fields) {
    const v = answers[f.name];
    set[`profile.${f.name}`] = f.name === 'vcse' ? (v === 'yes' ? true : v === 'no' ? false : undefined) : v;
  }
  const unset = Object.fromEntries(Object.entries(set).filter(([, v]) => v === undefined).map(([k]) => [k, '']));
  for (const k of Object.keys(unset)) delete set[k];
  await Organisation.updateOne({ _id: user.organisation, kind: 'supplier' }, { $set: set, ...(Object.keys(unset).length ? { $unset: unset } : {}) });
  await recordAudit(clock, {
    actor: user, action: 'organisation.profile-updated', targetType: 'Organisation', targetId: user.organisation,
    details: { changes, ...(name !== current.name ? { name: { old: current.name, new: name } } : {}) },
  });
  return { outcome: 'updated', changes };
}

// ---------- policy documents ----------

export interface PolicyRow {
  /** the question's name in the policies section, used in the upload path and input name */
  name: string;
  label: string;
  purpose: string;
  document?: DocumentView;
}

/** The policies section's policy questions (purpose 'policy:*'). */
export function policyFields(): Array<Field & { kind: 'file' }> {
  return sectionByKey('policies')!.fields.filter((f): f is Field & { kind: 'file' } => f.kind === 'file' && f.purpose.startsWith('policy:'));
}

/** Each policy with the current document: the newest live one of that purpose attached to the latest submitted application. */
export async function currentPolicies(organisation: string): Promise<PolicyRow[]> {
  const latest = await latestSubmitted(organisation);
  const docs = latest
    ? await StoredDocument.find({ owner: organisation, application: latest._id, deletedAt: null }).sort({ createdAt: -1, _id: -1 }).lean()
    : [];
  return policyFields().map((f) => {
    const d = docs.find((x) => x.purpose === f.purpose);
    return {
      name: f.name, label: f.label, purpose: f.purpose,
      document: d ? describeDocument({
        id: String(d._id), originalName: d.originalName, contentType: d.contentType, extension: d.extension, size: d.size,
        sha256: d.sha256, purpose: d.purpose, scanStatus: d.scanStatus as ScanStatus, uploadedAt: (d as any).createdAt,
      }) : undefined,
    };
  });
}

/**
 * Stores a replacement policy document on the latest submitted application (so it becomes the current one for its
 * purpose) and audits the replacement with the document it replaces. Throws UploadRefused for a bad file.
 */
export async function replacePolicy(clock: Clock, user: Actor, name: string, file: { buffer: Buffer; originalname: string; size: number }, scanner?: Scanner): Promise<'replaced' | 'missing' | 'not-eligible'> {
  const field = policyFields().find((f) => f.name === name);
  if (!field) return 'missing';
  const latest = await latestSubmitted(user.organisation);
  if (!latest) return 'not-eligible';
  const before = (await currentPolicies(user.organisation)).find((p) => p.name === name)?.document;
  const stored = await storeUpload(clock, { owner: user.organisation, uploadedBy: user._id, purpose: field.purpose, application: String(latest._id), file }, scanner);
  await recordAudit(clock, {
    actor: user, action: 'organisation.policy-replaced', targetType: 'Organisation', targetId: user.organisation,
    details: { purpose: field.purpose, application: String(latest._id), old: before ? { document: before.id, name: before.name } : null, new: { document: stored.id, name: stored.originalName, sha256: stored.sha256 } },
  });
  return 'replaced';
}
