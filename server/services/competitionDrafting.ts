// Drafting a competition section by section: details, award criteria, questions, deadlines, documents; and the
// framework's settings. Every change to a draft goes through editDraft(): it reads the draft, lets the section
// decide (refuse, or the fields to set), then writes only if the record is still that version of a draft
// ({ _id, status: 'draft', __v }), so a publish or another buyer's edit in between makes this one retry or lose
// cleanly, never half-apply. Each change is audited.
import { isValidObjectId, Types } from 'mongoose';
import { Admission } from '../../models/Admission';
import { Competition } from '../../models/Competition';
import { FrameworkSettings } from '../../models/FrameworkSettings';
import { Lot } from '../../models/Lot';
import { Clock } from '../clock';
import { SessionUser } from '../auth/guards';
import { ceilToMinute } from '../domain/competitionForms';
import { checkTenderDeadline, CriterionKind, criteriaProblems, RuleSet } from '../domain/tenderRules';
import { recordAudit } from './audit';
import { CompetitionRecord, deadlineSettingsFor, findOwned, formatDeadline, frameworkSettings } from './competitions';
import { deleteDocument, Scanner, storeUpload, UploadRefused } from './documents';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;

/** Field -> message, for the error summary. */
export type Problems = Record<string, string>;
export type EditOutcome = { outcome: 'saved' } | { outcome: 'missing' } | { outcome: 'not-draft' } | { outcome: 'refused'; problems: Problems };

interface Refusal {
  refuse: Problems;
}

interface Change {
  set?: Record<string, unknown>;
  unset?: string[];
  action: string;
  details?: Record<string, unknown>;
}

/** Reads the draft, asks `decide` what to change, writes it conditionally on the version read (retrying a lost race). */
async function editDraft(clock: Clock, user: Actor, id: string, decide: (c: CompetitionRecord) => Promise<Change | Refusal> | Change | Refusal): Promise<EditOutcome> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const c = await findOwned(user, id);
    if (!c) return { outcome: 'missing' };
    if (c.status !== 'draft') return { outcome: 'not-draft' };
    const change = await decide(c);
    if ('refuse' in change) return { outcome: 'refused', problems: change.refuse };
    const update: Record<string, unknown> = { $inc: { __v: 1 } };
    if (change.set && Object.keys(change.set).length) update.$set = change.set;
    if (change.unset?.length) update.$unset = Object.fromEntries(change.unset.map((f) => [f, '']));
    const res = await Competition.updateOne({ _id: c._id, status: 'draft', __v: c.__v ?? 0 }, update);
    if (res.matchedCount === 1) {
      await recordAudit(clock, { actor: user, action: change.action, targetType: 'Competition', targetId: c._id, details: change.details ?? { fields: Object.keys(change.set ?? {}) } });
      return { outcome: 'saved' };
    }
  }
  // still changing under us, or published meanwhile
  const now = await findOwned(user, id);
  return now && now.status === 'draft' ? { outcome: 'refused', problems: { form: 'Someone else changed this competition at the same time. Check it and try again' } } : { outcome: 'not-draft' };
}

export interface DetailsInput {
  title: string;
  summary: string;
  requirement: string;
  lot: string;
  ruleSet: RuleSet;
  estimatedValuePence: number;
  contractStart: Date;
  contractEnd: Date;
}

/** Saves the Details section. Changing the rule-set drops a recorded PCR shorter-deadline agreement (it was made under PCR). */
export async function saveDetails(clock: Clock, user: Actor, id: string, input: DetailsInput): Promise<EditOutcome> {
  const lot = isValidObjectId(input.lot) ? await Lot.findOne({ _id: input.lot, active: true }, { _id: 1 }).lean() : null;
  if (!lot) return { outcome: 'refused', problems: { lot: 'Select a lot that is open' } };
  return editDraft(clock, user, id, (c) => ({
    set: { ...input, lot: lot._id },
    unset: c.ruleSet !== input.ruleSet && c.shorterDeadlineAgreement?.recordedAt ? ['shorterDeadlineAgreement'] : [],
    action: 'competition.details-saved',
    details: { fields: Object.keys(input), ruleSet: input.ruleSet, lot: String(lot._id) },
  }));
}

export interface CriterionInput {
  name: string;
  kind: CriterionKind;
  weight: number;
  guidance: string;
}


/** Problems adding or changing one criterion: more than one price criterion, or weights over 100% in total. */
function criterionProblems(others: Array<{ kind: string; weight: number }>, input: CriterionInput): Problems {
  if (input.kind === 'price' && others.some((k) => k.kind === 'price')) return { kind: 'There is already a price criterion: use one price criterion' };
  const rest = others.reduce((s, k) => s + k.weight, 0);
  if (rest + input.weight > 100) {
    return { weight: rest >= 100 ? `The other criteria already total ${rest}%: lower one of them first` : `The weights would total ${rest + input.weight}%: give this criterion ${100 - rest}% or less` };
  }
  return {};
}

export async function addCriterion(clock: Clock, user: Actor, id: string, input: CriterionInput): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const problems = criterionProblems(c.criteria, input);
    if (Object.keys(problems).length) return { refuse: problems };
    return { set: { criteria: [...c.criteria, { _id: new Types.ObjectId(), ...input }] }, action: 'competition.criterion-added', details: { ...input } };
  });
}

export async function changeCriterion(clock: Clock, user: Actor, id: string, criterionId: string, input: CriterionInput): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const current = c.criteria.find((k) => String(k._id) === criterionId);
    if (!current) return { refuse: { form: 'That criterion has been removed' } };
    if (input.kind === 'price' && c.questions.some((q) => String(q.criterion) === criterionId)) {
      return { refuse: { kind: 'Questions are scored under this criterion, and price is not scored by questions: move or remove those questions first' } };
    }
    const problems = criterionProblems(c.criteria.filter((k) => k !== current), input);
    if (Object.keys(problems).length) return { refuse: problems };
    const criteria = c.criteria.map((k) => (k === current ? { _id: current._id, ...input } : k));
    return { set: { criteria }, action: 'competition.criterion-changed', details: { criterion: criterionId, from: { name: current.name, kind: current.kind, weight: current.weight }, to: { ...input } } };
  });
}

/** Removes a criterion and the questions scored under it (the confirmation page says so first). */
export async function removeCriterion(clock: Clock, user: Actor, id: string, criterionId: string): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const current = c.criteria.find((k) => String(k._id) === criterionId);
    if (!current) return { refuse: { form: 'That criterion has already been removed' } };
    const questions = c.questions.filter((q) => String(q.criterion) !== criterionId);
    return {
      set: { criteria: c.criteria.filter((k) => k !== current), questions },
      action: 'competition.criterion-removed',
      details: { criterion: criterionId, name: current.name, questionsRemoved: c.questions.length - questions.length },
    };
  });
}

/**
 * Confirms the award criteria as a whole: the weights total 100%, one price criterion at most, social value at
 * least 10% or the reason recorded. Saves the reason (dropped when social value reaches 10%).
 */
export async function confirmCriteria(clock: Clock, user: Actor, id: string, socialValueReason: string): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const problems = criteriaProblems(c.criteria.map((k) => ({ name: k.name, kind: k.kind as CriterionKind, weight: k.weight })), socialValueReason);
    if (problems.length) {
      const out: Problems = {};
      for (const p of problems) {
        const field = /^Social value/.test(p) ? 'socialValueReason' : 'criteria';
        out[field] = out[field] ? `${out[field]}. ${p}` : p;
      }
      if (out.socialValueReason) out.socialValueReason = 'Enter why social value is weighted under 10%, or give social value at least 10%';
      return { refuse: out };
    }
    const social = c.criteria.filter((k) => k.kind === 'social-value').reduce((s, k) => s + k.weight, 0);
    return social >= 10 || !socialValueReason.trim()
      ? { unset: ['socialValueReason'], action: 'competition.criteria-confirmed', details: { weights: c.criteria.map((k) => `${k.name}: ${k.weight}%`) } }
      : { set: { socialValueReason: socialValueReason.trim() }, action: 'competition.criteria-confirmed', details: { weights: c.criteria.map((k) => `${k.name}: ${k.weight}%`), socialValueReason: socialValueReason.trim() } };
  });
}

export interface QuestionInput {
  text: string;
  criterion: string;
  wordLimit: number;
}

/** A question must be scored under one of the competition's quality or social value criteria. */
function questionProblems(c: CompetitionRecord, input: QuestionInput): Problems {
  const k = c.criteria.find((x) => String(x._id) === input.criterion);
  if (!k) return { criterion: 'Select the criterion this question is scored under' };
  if (k.kind === 'price') return { criterion: 'Select a quality or social value criterion: price is not scored by questions' };
  return {};
}

export async function addQuestion(clock: Clock, user: Actor, id: string, input: QuestionInput): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const problems = questionProblems(c, input);
    if (Object.keys(problems).length) return { refuse: problems };
    const question = { _id: new Types.ObjectId(), text: input.text, criterion: new Types.ObjectId(input.criterion), wordLimit: input.wordLimit };
    return { set: { questions: [...c.questions, question] }, action: 'competition.question-added', details: { ...input } };
  });
}

export async function changeQuestion(clock: Clock, user: Actor, id: string, questionId: string, input: QuestionInput): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const current = c.questions.find((q) => String(q._id) === questionId);
    if (!current) return { refuse: { form: 'That question has been removed' } };
    const problems = questionProblems(c, input);
    if (Object.keys(problems).length) return { refuse: problems };
    const questions = c.questions.map((q) => (q === current ? { _id: current._id, text: input.text, criterion: new Types.ObjectId(input.criterion), wordLimit: input.wordLimit } : q));
    return { set: { questions }, action: 'competition.question-changed', details: { question: questionId, ...input } };
  });
}

export async function removeQuestion(clock: Clock, user: Actor, id: string, questionId: string): Promise<EditOutcome> {
  return editDraft(clock, user, id, (c) => {
    const current = c.questions.find((q) => String(q._id) === questionId);
    if (!current) return { refuse: { form: 'That question has already been removed' } };
    return { set: { questions: c.questions.filter((q) => q !== current) }, action: 'competition.question-removed', details: { question: questionId, text: current.text } };
  });
}

export interface DeadlinesInput {
  clarificationDeadline: Date;
  deadline: Date;
  /** PCR 2015 only: who agreed the shorter deadline and how; undefined when none is claimed */
  agreementNote?: string;
}

/**
 * Saves the deadlines, checked against the rule-set as if published now (publish checks again, later). Under PCR a
 * shorter deadline is accepted only with the agreement recorded here (when, by whom, the note), which is audited.
 */
export async function saveDeadlines(clock: Clock, user: Actor, id: string, input: DeadlinesInput): Promise<EditOutcome> {
  return editDraft(clock, user, id, async (c) => {
    const now = clock.now();
    const problems: Problems = {};
    const pcrAgreement = c.ruleSet === 'PCR2015_DPS' && !!input.agreementNote;
    const check = checkTenderDeadline(c.ruleSet as RuleSet, now, input.deadline, await deadlineSettingsFor(c.council), pcrAgreement);
    if (input.clarificationDeadline <= now) problems['clarificationDeadline-day'] = 'The clarification deadline must be in the future';
    else if (input.clarificationDeadline >= input.deadline) problems['clarificationDeadline-day'] = 'The clarification deadline must be before the submission deadline';
    if (input.deadline <= now) problems['deadline-day'] = 'The submission deadline must be in the future';
    else if (!check.ok) problems['deadline-day'] = `The submission deadline is too soon. ${check.rule}. The earliest you can set, if you publish now, is ${formatDeadline(ceilToMinute(check.earliest))}`;
    if (Object.keys(problems).length) return { refuse: problems };
    const set: Record<string, unknown> = { clarificationDeadline: input.clarificationDeadline, deadline: input.deadline };
    const details: Record<string, unknown> = { clarificationDeadline: input.clarificationDeadline, deadline: input.deadline, rule: check.rule };
    if (pcrAgreement) {
      set.shorterDeadlineAgreement = { recordedAt: now, recordedBy: user._id, note: input.agreementNote };
      details.shorterDeadlineAgreement = { note: input.agreementNote };
    }
    return {
      set, unset: pcrAgreement || !c.shorterDeadlineAgreement?.recordedAt ? [] : ['shorterDeadlineAgreement'],
      action: pcrAgreement ? 'competition.deadlines-saved-with-agreement' : 'competition.deadlines-saved', details,
    };
  });
}

export type DocumentOutcome = EditOutcome | { outcome: 'upload-refused'; error: UploadRefused };

/** Stores a tender document for the council and adds it to the draft; the stored file is removed if the draft is no longer one. */
export async function addDocument(clock: Clock, user: Actor, id: string, file: { buffer: Buffer; originalname: string; size: number }, scanner?: Scanner): Promise<DocumentOutcome> {
  const c = await findOwned(user, id);
  if (!c) return { outcome: 'missing' };
  if (c.status !== 'draft') return { outcome: 'not-draft' };
  let stored;
  try {
    stored = await storeUpload(clock, { owner: String(c.council), uploadedBy: String(user._id), purpose: 'competition', file }, scanner);
  } catch (err) {
    if (err instanceof UploadRefused) return { outcome: 'upload-refused', error: err };
    throw err;
  }
  const res = await Competition.updateOne({ _id: c._id, status: 'draft' }, { $push: { documents: new Types.ObjectId(stored.id) }, $inc: { __v: 1 } });
  if (res.matchedCount === 0) {
    await deleteDocument(clock, stored.id, { _id: String(user._id), role: user.role, organisation: String(user.organisation) });
    return { outcome: 'not-draft' };
  }
  await recordAudit(clock, { actor: user, action: 'competition.document-added', targetType: 'Competition', targetId: c._id, details: { document: stored.id, name: stored.originalName, sha256: stored.sha256 } });
  return { outcome: 'saved' };
}

/** Takes a document off the draft and deletes the stored file. */
export async function removeDocument(clock: Clock, user: Actor, id: string, documentId: string): Promise<EditOutcome> {
  const out = await editDraft(clock, user, id, (c) => {
    if (!c.documents.some((d) => String(d) === documentId)) return { refuse: { form: 'That document has already been removed' } };
    return { set: { documents: c.documents.filter((d) => String(d) !== documentId) }, action: 'competition.document-removed', details: { document: documentId } };
  });
  if (out.outcome === 'saved') await deleteDocument(clock, documentId, { _id: String(user._id), role: user.role, organisation: String(user.organisation) });
  return out;
}

/** How many suppliers have an active admission to the lot now: those publishing now would invite. */
export async function invitationCount(lotId: unknown): Promise<number> {
  return (await Admission.distinct('supplier', { lot: lotId, status: 'active' } as any)).length;
}

export interface FrameworkSettingsInput {
  defaultRuleSet: RuleSet;
  belowThresholdMinDays: number;
}

/** Saves the framework's settings (one record, created on first save); audited with the old and new values. */
export async function saveFrameworkSettings(clock: Clock, admin: Pick<SessionUser, '_id' | 'role'>, input: FrameworkSettingsInput): Promise<void> {
  const before = await frameworkSettings();
  await FrameworkSettings.updateOne({ key: 'framework' }, { $set: { ...input } }, { upsert: true });
  await recordAudit(clock, {
    actor: admin, action: 'framework-settings.updated', targetType: 'FrameworkSettings',
    details: { from: { defaultRuleSet: before.defaultRuleSet, belowThresholdMinDays: before.belowThresholdMinDays }, to: { ...input } },
  });
}
