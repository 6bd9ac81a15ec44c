// Competitions, the buyer's side of the record: drafting, the checks before publishing, publishing to every
// supplier with an active admission to the lot (the invited list frozen then), and reads scoped to the owner.
// Clarifications, deadline changes and cancellation: competitionChanges.ts; bids: bids.ts; opening: tenderBox.ts.
import { randomInt } from 'node:crypto';
import { isValidObjectId, trusted, Types } from 'mongoose';
import { Admission } from '../../models/Admission';
import { Competition, CompetitionData } from '../../models/Competition';
import { FrameworkSettings } from '../../models/FrameworkSettings';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { Keyring } from '../sealing/keyring';
import { SessionUser } from '../auth/guards';
import { Stage, stageOf } from '../domain/competitionState';
import { checkTenderDeadline, criteriaProblems, DeadlineSettings, RuleSet, RULE_SET_NAMES } from '../domain/tenderRules';
import { recordAudit } from './audit';
import { notifyOrganisations } from './notifications';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;
export type CompetitionRecord = CompetitionData & { _id: Types.ObjectId; __v?: number };

export async function frameworkSettings(): Promise<{ defaultRuleSet: RuleSet; belowThresholdMinDays: number; name: string }> {
  const s = await FrameworkSettings.findOne({ key: 'framework' }).lean();
  return { defaultRuleSet: (s?.defaultRuleSet ?? 'PA2023_DYNAMIC_MARKET') as RuleSet, belowThresholdMinDays: s?.belowThresholdMinDays ?? 5, name: s?.name ?? 'Co-operative Councils Innovation Network DPS' };
}

/** The below-threshold minimum for a council: its own setting, else the framework's default. */
export async function deadlineSettingsFor(councilId: unknown): Promise<DeadlineSettings & { source: 'council' | 'framework' }> {
  const [council, framework] = await Promise.all([Organisation.findById(councilId, { belowThresholdMinDays: 1 }).lean(), frameworkSettings()]);
  if (council?.belowThresholdMinDays) return { belowThresholdMinDays: council.belowThresholdMinDays, source: 'council' };
  return { belowThresholdMinDays: framework.belowThresholdMinDays, source: 'framework' };
}

function newReference(at: Date): string {
  return `DPS-CF-${at.getUTCFullYear()}-${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export interface DraftStart {
  title: string;
  lot: string;
  ruleSet?: RuleSet;
}

/** Starts a draft for the buyer's council with an automatic reference and the competition's own sealing key. */
export async function createDraft(clock: Clock, keyring: Keyring, user: Actor, input: DraftStart): Promise<{ outcome: 'created'; id: string; reference: string } | { outcome: 'no-lot' }> {
  const lot = isValidObjectId(input.lot) ? await Lot.findOne({ _id: input.lot, active: true }).lean() : null;
  if (!lot) return { outcome: 'no-lot' };
  const ruleSet = input.ruleSet ?? (await frameworkSettings()).defaultRuleSet;
  const _id = new Types.ObjectId();
  for (let attempt = 0; attempt < 5; attempt++) {
    const reference = newReference(clock.now());
    try {
      await Competition.create({
        _id, reference, council: user.organisation, lot: lot._id, createdBy: user._id, status: 'draft', title: input.title, ruleSet,
        sealing: { wrappedKey: keyring.newWrappedKey(String(_id)) },
      });
      await recordAudit(clock, { actor: user, action: 'competition.drafted', targetType: 'Competition', targetId: _id, details: { reference, title: input.title, lot: lot.number, ruleSet } });
      return { outcome: 'created', id: String(_id), reference };
    } catch (err: any) {
      if (err?.code !== 11000) throw err; // a reference clash: try another
    }
  }
  throw new Error('could not allocate a competition reference');
}

/** The competition if it belongs to the buyer's council; null for a malformed id or another council's (a 404). */
export async function findOwned(user: Pick<SessionUser, 'organisation'>, id: unknown): Promise<CompetitionRecord | null> {
  if (typeof id !== 'string' || !isValidObjectId(id)) return null;
  return Competition.findOne({ _id: id, council: user.organisation }).lean() as Promise<CompetitionRecord | null>;
}

/** The competition if the supplier was invited to it (published or cancelled, never a draft); else null (a 404). */
export async function findInvited(user: Pick<SessionUser, 'organisation'>, id: unknown): Promise<CompetitionRecord | null> {
  if (typeof id !== 'string' || !isValidObjectId(id)) return null;
  return Competition.findOne({ _id: id, invited: user.organisation, status: trusted({ $in: ['published', 'cancelled'] }) } as any).lean() as Promise<CompetitionRecord | null>;
}

export type DraftPatch = Partial<Pick<CompetitionData,
  'title' | 'summary' | 'requirement' | 'ruleSet' | 'estimatedValuePence' | 'contractStart' | 'contractEnd' | 'criteria' | 'socialValueReason' | 'questions' | 'clarificationDeadline' | 'deadline' | 'shorterDeadlineAgreement' | 'documents'>> & { lot?: string };

/** Changes a draft (only a draft: once published, changes go through clarifications and deadline changes). */
export async function updateDraft(clock: Clock, user: Actor, id: string, patch: DraftPatch, auditAction = 'competition.draft-updated'): Promise<'saved' | 'missing' | 'not-draft'> {
  const current = await findOwned(user, id);
  if (!current) return 'missing';
  if (current.status !== 'draft') return 'not-draft';
  const res = await Competition.updateOne({ _id: current._id, status: 'draft' }, { $set: patch as any });
  if (res.matchedCount === 0) return 'not-draft';
  await recordAudit(clock, { actor: user, action: auditAction, targetType: 'Competition', targetId: current._id, details: { fields: Object.keys(patch) } });
  return 'saved';
}

export type PublishProblems = Record<string, string>;

/**
 * Everything that must be right before a competition goes out, keyed by the field (for the error summary); the
 * deadline message names the rule that refused it. Empty when it can be published at `now`.
 */
export function publishProblems(c: CompetitionRecord, settings: DeadlineSettings, now: Date): PublishProblems {
  const p: PublishProblems = {};
  if (!c.summary?.trim()) p.summary = 'Enter a summary of the competition';
  if (!c.requirement?.trim()) p.requirement = 'Enter the full requirement';
  if (c.estimatedValuePence == null) p.estimatedValue = 'Enter the estimated value in pounds, excluding VAT';
  if (!c.contractStart) p.contractStart = 'Enter the contract start date';
  if (!c.contractEnd) p.contractEnd = 'Enter the contract end date';
  if (c.contractStart && c.contractEnd && c.contractEnd <= c.contractStart) p.contractEnd = 'The contract end date must be after the start date';
  const criteria = criteriaProblems(c.criteria.map((x) => ({ name: x.name, kind: x.kind as any, weight: x.weight })), c.socialValueReason ?? undefined);
  if (criteria.length) p.criteria = criteria.join('. ');
  if (c.questions.length === 0) p.questions = 'Add at least one question for suppliers to answer';
  else if (c.questions.some((q) => !c.criteria.some((k) => String(k._id) === String(q.criterion)))) p.questions = 'Link every question to one of the award criteria';
  const scored = c.criteria.filter((k) => k.kind !== 'price');
  const unasked = scored.filter((k) => !c.questions.some((q) => String(q.criterion) === String(k._id)));
  if (!p.questions && unasked.length) p.questions = `Add a question for the criterion \u201c${unasked[0].name}\u201d`;
  if (!c.deadline) {
    p.deadline = 'Enter the submission deadline';
  } else {
    const check = checkTenderDeadline(c.ruleSet as RuleSet, now, c.deadline, settings, !!c.shorterDeadlineAgreement?.recordedAt);
    if (!check.ok) p.deadline = `The submission deadline is too soon. ${check.rule}: publishing now, the earliest is ${formatDeadline(check.earliest)}`;
  }
  if (c.clarificationDeadline) {
    if (c.clarificationDeadline <= now) p.clarificationDeadline = 'The clarification deadline must be in the future';
    else if (c.deadline && c.clarificationDeadline >= c.deadline) p.clarificationDeadline = 'The clarification deadline must be before the submission deadline';
  }
  return p;
}

const deadlineFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });
/** "Friday 4 December 2026, 12:00 pm" (UK time): how every deadline is written. */
export function formatDeadline(at: Date): string {
  return deadlineFormat.format(at).replace(/ (am|pm)$/, '$1').replace(' at ', ', ');
}

export type PublishOutcome =
  | { outcome: 'published'; invited: number; emailFailed: string[] }
  | { outcome: 'problems'; problems: PublishProblems }
  | { outcome: 'lapsed' }
  | { outcome: 'missing' }
  | { outcome: 'not-draft' };

/**
 * Publishes a draft: checks it, then one conditional update sets the status, the publication time and the invited
 * list (every supplier with an active admission to the lot at that moment), so two publishes cannot both go out.
 * Each invited supplier's users are notified in the service and by e-mail.
 */
export async function publish(clock: Clock, mailer: Mailer, baseUrl: string, user: Actor, id: string): Promise<PublishOutcome> {
  const c = await findOwned(user, id);
  if (!c) return { outcome: 'missing' };
  if (c.status !== 'draft') return { outcome: 'not-draft' };
  const council = await Organisation.findById(c.council, { status: 1, name: 1 }).lean();
  if (!council || council.status !== 'active') return { outcome: 'lapsed' };
  const publishedAt = clock.now();
  const problems = publishProblems(c, await deadlineSettingsFor(c.council), publishedAt);
  if (Object.keys(problems).length) return { outcome: 'problems', problems };
  const invited = await Admission.distinct('supplier', { lot: c.lot, status: 'active' });
  const updated = await Competition.findOneAndUpdate(
    // the version checked above: a draft edited meanwhile is not published unchecked
    { _id: c._id, status: 'draft', __v: c.__v },
    { $set: { status: 'published', publishedAt, publishedBy: user._id, invited }, $inc: { __v: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) return { outcome: 'not-draft' };
  await recordAudit(clock, {
    actor: user, action: 'competition.published', targetType: 'Competition', targetId: c._id,
    details: { reference: c.reference, publishedAt, deadline: c.deadline, ruleSet: c.ruleSet, invited: invited.map(String) },
  });
  const lot = await Lot.findById(c.lot, { number: 1, title: 1 }).lean();
  const emailFailed = await notifyOrganisations(clock, mailer, baseUrl, invited, {
    title: `Invitation to bid: ${c.title} (${c.reference})`,
    body: [
      `${council.name} invites you to bid in a mini-competition under lot ${lot?.number}: ${lot?.title}.`,
      `${c.title}`,
      c.summary,
      `Rules: ${RULE_SET_NAMES[c.ruleSet as RuleSet]}.`,
      `Submission deadline: ${formatDeadline(c.deadline!)}.`,
    ].join('\n\n'),
    link: `/supplier/opportunities/${c._id}`,
  }, 'supplier');
  return { outcome: 'published', invited: invited.length, emailFailed };
}

export const PAGE_SIZE = 25;

/** A council's competitions, most recently changed first. */
export async function listForCouncil(councilId: unknown, page = 1, pageSize = PAGE_SIZE) {
  const filter = { council: councilId } as any;
  const [total, items] = await Promise.all([
    Competition.countDocuments(filter),
    Competition.find(filter, { sealing: 0 }).sort({ updatedAt: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
  ]);
  return { total, items };
}

/** The competitions a supplier was invited to (newest deadline first). */
export async function listForSupplier(supplierId: unknown, page = 1, pageSize = PAGE_SIZE) {
  const filter = { invited: supplierId, status: trusted({ $in: ['published', 'cancelled'] }) } as any;
  const [total, items] = await Promise.all([
    Competition.countDocuments(filter),
    Competition.find(filter, { sealing: 0 }).sort({ deadline: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
  ]);
  return { total, items };
}

/** How many of a council's competitions are at each stage now (for the buyer's dashboard). */
export async function stageCounts(councilId: unknown, now: Date): Promise<Record<Stage, number>> {
  const counts: Record<Stage, number> = { draft: 0, open: 0, closed: 0, opened: 0, cancelled: 0 };
  const rows = await Competition.find({ council: councilId } as any, { status: 1, deadline: 1, 'opening.openedAt': 1 }).lean();
  for (const c of rows) counts[stageOf(c, now)]++;
  return counts;
}

/** How many competitions a supplier is invited to that are open for bids now (for the supplier's dashboard). */
export async function openInvitationCount(supplierId: unknown, now: Date): Promise<number> {
  return Competition.countDocuments({ invited: supplierId, status: 'published', deadline: trusted({ $gt: now }) } as any);
}
