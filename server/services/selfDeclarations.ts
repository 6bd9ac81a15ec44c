// Renewed self-declarations: the network asks an admitted supplier to declare again (exclusion grounds and
// declarations), due in 5 working days of the supplier's nation; the supplier answers once. Requests are one at a
// time per supplier (a unique sparse index on `outstanding`). Every change is audited; the supplier is e-mailed.
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { Organisation } from '../../models/Organisation';
import { SelfDeclaration, SELF_DECLARATION_DAYS, selfDeclarationStatus, SelfDeclarationStatus } from '../../models/SelfDeclaration';
import { User } from '../../models/User';
import { Section, sectionByKey } from '../domain/applicationQuestions';
import { Answers } from '../domain/applicationForms';
import { UK_NATIONS, UkNation, workingDayDeadline } from '../domain/workingDays';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { recordAudit } from './audit';
import { Actor, formatDay } from './applications';

/** The sections a renewed self-declaration asks again, in order. */
export const DECLARATION_SECTIONS = ['exclusion', 'declarations'] as const;

/** One form of both sections' questions (their field names do not clash). */
export function declarationSection(): Section {
  const parts = DECLARATION_SECTIONS.map((k) => sectionByKey(k)!);
  return {
    key: 'self-declaration',
    title: 'Renewed self-declaration',
    intro: parts[0].intro,
    fields: parts.flatMap((s) => s.fields),
  };
}

/** Splits the combined form's answers back into the two sections' answers. */
export function splitAnswers(answers: Answers): Record<string, Answers> {
  const out: Record<string, Answers> = {};
  for (const key of DECLARATION_SECTIONS) {
    const names = new Set(sectionByKey(key)!.fields.map((f) => f.name));
    out[key] = Object.fromEntries(Object.entries(answers).filter(([k]) => names.has(k)));
  }
  return out;
}

/** The exclusion grounds answered yes. */
export function yesAnswers(answers: Record<string, Answers> | undefined): string[] {
  const exclusion = answers?.exclusion ?? {};
  return sectionByKey('exclusion')!.fields.filter((f) => exclusion[f.name]?.answer === 'yes').map((f) => f.name);
}

async function recipients(supplier: unknown, application?: unknown): Promise<string[]> {
  const [users, app] = await Promise.all([
    User.find({ organisation: supplier as any, role: 'supplier', status: 'active' }, { email: 1 }).lean(),
    application ? Application.findById(application, { snapshot: 1 }).lean() : null,
  ]);
  const main = (app?.snapshot as any)?.answers?.contacts?.mainEmail;
  return [...new Set([main, ...users.map((u) => u.email)].filter((e): e is string => typeof e === 'string' && !!e).map((e) => e.toLowerCase()))];
}

export type RequestOutcome = { outcome: 'requested'; id: string; dueBy: Date } | { outcome: 'missing' } | { outcome: 'not-admitted' } | { outcome: 'already'; id: string };

/**
 * Asks the supplier of an admission (active or suspended) for a renewed self-declaration, due at the end of the
 * 5th working day after today in the supplier's nation (England when the profile has none). One open request at a time.
 */
export async function requestSelfDeclaration(clock: Clock, mailer: Mailer, admin: Actor, admissionId: string, reason: string): Promise<RequestOutcome> {
  const admission = await Admission.findById(admissionId).lean();
  if (!admission) return { outcome: 'missing' };
  if (admission.status === 'removed') return { outcome: 'not-admitted' };
  const supplier = await Organisation.findById(admission.supplier, { name: 1, profile: 1 }).lean();
  if (!supplier) return { outcome: 'missing' };
  const requestedAt = clock.now();
  const profileNation = supplier.profile?.nation;
  const nation: UkNation = (UK_NATIONS as readonly string[]).includes(profileNation ?? '') ? (profileNation as UkNation) : 'England';
  const dueBy = workingDayDeadline(requestedAt, SELF_DECLARATION_DAYS, nation);
  let created;
  try {
    created = await SelfDeclaration.create({
      supplier: admission.supplier, admission: admission._id, requestedBy: admin._id, requestedAt, reason, nation, dueBy, outstanding: admission.supplier,
    });
  } catch (err: any) {
    if (err?.code !== 11000) throw err;
    const open = await SelfDeclaration.findOne({ outstanding: admission.supplier }, { _id: 1 }).lean();
    return { outcome: 'already', id: String(open?._id ?? '') };
  }
  const id = String(created._id);
  await recordAudit(clock, {
    actor: admin, action: 'self-declaration.requested', targetType: 'SelfDeclaration', targetId: id,
    details: { supplier: String(admission.supplier), admission: admissionId, dueBy, nation, reason },
  });
  const text = [
    'The Co-op Councils network asks your organisation for a renewed self-declaration: the exclusion grounds and the declarations you made when you applied to join the DPS.',
    '',
    `Why we are asking: ${reason}`,
    '',
    `Please answer by the end of ${formatDay(dueBy)} (5 working days).`,
    '',
    'Sign in to the Co-op Councils DPS and answer it from your dashboard.',
  ].join('\n');
  for (const to of await recipients(admission.supplier, admission.application)) {
    await mailer.send({ to, subject: 'Renewed self-declaration requested: please answer within 5 working days', text });
  }
  return { outcome: 'requested', id, dueBy };
}

export interface DeclarationView {
  id: string;
  status: SelfDeclarationStatus;
  requestedAt: Date;
  dueBy: Date;
  reason: string;
  submittedAt?: Date;
  answers?: Record<string, Answers>;
  /** exclusion grounds answered yes */
  yes: string[];
  late: boolean;
}

function view(d: any, now: Date): DeclarationView {
  return {
    id: String(d._id), status: selfDeclarationStatus(d, now), requestedAt: d.requestedAt, dueBy: d.dueBy, reason: d.reason,
    submittedAt: d.submittedAt ?? undefined, answers: d.answers ?? undefined, yes: yesAnswers(d.answers),
    late: !!d.submittedAt && new Date(d.submittedAt).getTime() > new Date(d.dueBy).getTime(),
  };
}

/** A supplier's declarations, newest first (for its dashboard and the admission page). */
export async function declarationsFor(supplier: string, now: Date): Promise<DeclarationView[]> {
  const list = await SelfDeclaration.find({ supplier }).sort({ requestedAt: -1, _id: -1 }).lean();
  return list.map((d) => view(d, now));
}

/** One declaration, only if it is the organisation's own. */
export async function findDeclaration(organisation: string, id: string, now: Date): Promise<DeclarationView | undefined> {
  const d = await SelfDeclaration.findOne({ _id: id, supplier: organisation }).lean();
  return d ? view(d, now) : undefined;
}

/** Records the supplier's answers once (a conditional update on the request still being open); audited. */
export async function submitDeclaration(clock: Clock, user: Actor, id: string, answers: Answers): Promise<'submitted' | 'missing' | 'already'> {
  const submittedAt = clock.now();
  const stored = splitAnswers(answers);
  const updated = await SelfDeclaration.findOneAndUpdate(
    { _id: id, supplier: user.organisation, submittedAt: null },
    { $set: { answers: stored, submittedAt, submittedBy: user._id }, $unset: { outstanding: '' } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) return (await SelfDeclaration.exists({ _id: id, supplier: user.organisation })) ? 'already' : 'missing';
  await recordAudit(clock, {
    actor: user, action: 'self-declaration.submitted', targetType: 'SelfDeclaration', targetId: id,
    details: { supplier: user.organisation, submittedAt, late: submittedAt.getTime() > updated.dueBy.getTime(), yes: yesAnswers(stored) },
  });
  return 'submitted';
}
