// A draft's deadlines: the clarification deadline and the submission deadline, each a UK date and 24-hour time,
// checked against the rule-set as if published now (naming the rule that refuses a date). Under PCR 2015 a
// shorter deadline agreed with all invited suppliers is accepted with the agreement recorded.
import { Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { ceilToMinute, londonParts, londonTimeText, londonToUtc, parseDateInput, parseTime24 } from '../../../server/domain/competitionForms';
import { checkTenderDeadline, RuleSet, RULE_SET_NAMES } from '../../../server/domain/tenderRules';
import { CompetitionRecord, deadlineSettingsFor, formatDeadline } from '../../../server/services/competitions';
import { DeadlinesInput, saveDeadlines } from '../../../server/services/competitionDrafting';
import { FormErrors } from '../../../server/validation';
import { actor, answer, BASE, inPageOrder, loadDraft, postedValues } from './drafting-shared';

const NOTE_MAX = 2000;
const ORDER = ['clarificationDeadline-day', 'clarificationDeadline-month', 'clarificationDeadline-year', 'clarificationDeadline-time', 'deadline-day', 'deadline-month', 'deadline-year', 'deadline-time', 'shorterAgreed', 'agreementNote'];

const agreementForm = z.object({
  shorterAgreed: z.enum(['yes'], { error: 'Tick the box only if a shorter deadline has been agreed' }).optional(),
  agreementNote: z.string({ error: 'Enter the note as text' }).trim().max(NOTE_MAX, `The note must be ${NOTE_MAX.toLocaleString('en-GB')} characters or fewer`).optional(),
});

/** Reads a UK date and time into an instant, recording any problem against the part at fault. */
function readInstant(b: Record<string, unknown>, id: string, label: string, fields: Record<string, string>): Date | undefined {
  const date = parseDateInput(b[`${id}-day`], b[`${id}-month`], b[`${id}-year`], label);
  if (!date.ok) fields[`${id}-${date.part ?? 'day'}`] = date.error;
  const time = parseTime24(b[`${id}-time`], label);
  if (!time.ok) fields[`${id}-time`] = time.error;
  if (!date.ok || !time.ok) return undefined;
  const at = londonToUtc(date.value, time.value);
  if (!at.ok) {
    fields[`${id}-time`] = `That time does not exist in the UK: the clocks go forward from 1am to 2am that night. Choose another time for the ${label}`;
    return undefined;
  }
  return at.at;
}

export function readDeadlines(body: unknown, ruleSet: string): { ok: true; data: DeadlinesInput } | { ok: false; errors: FormErrors } {
  const b = (body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const clarificationDeadline = readInstant(b, 'clarificationDeadline', 'clarification deadline', fields);
  const deadline = readInstant(b, 'deadline', 'submission deadline', fields);
  const agreement = agreementForm.safeParse(b);
  let agreementNote: string | undefined;
  if (!agreement.success) {
    for (const i of agreement.error.issues) fields[String(i.path[0])] ??= i.message;
  } else if (ruleSet === 'PCR2015_DPS' && agreement.data.shorterAgreed === 'yes') {
    agreementNote = agreement.data.agreementNote ?? '';
    if (!agreementNote) fields.agreementNote = 'Enter who agreed the shorter deadline and how they agreed it';
  }
  if (Object.keys(fields).length || !clarificationDeadline || !deadline) return { ok: false, errors: inPageOrder(fields, ORDER) };
  return { ok: true, data: { clarificationDeadline, deadline, agreementNote } };
}

function instantValues(id: string, at: Date | null | undefined): Record<string, string> {
  if (!at) return {};
  const p = londonParts(at);
  return { [`${id}-day`]: String(p.day), [`${id}-month`]: String(p.month), [`${id}-year`]: String(p.year), [`${id}-time`]: londonTimeText(at) };
}

export function deadlineValues(c: CompetitionRecord): Record<string, string> {
  const agreed = c.ruleSet === 'PCR2015_DPS' && c.shorterDeadlineAgreement?.recordedAt;
  return {
    ...instantValues('clarificationDeadline', c.clarificationDeadline), ...instantValues('deadline', c.deadline),
    ...(agreed ? { shorterAgreed: 'yes', agreementNote: c.shorterDeadlineAgreement?.note ?? '' } : {}),
  };
}

async function render(res: Response, c: CompetitionRecord, now: Date, values: Record<string, string>, errors?: FormErrors, status = 200): Promise<void> {
  const settings = await deadlineSettingsFor(c.council);
  const rule = checkTenderDeadline(c.ruleSet as RuleSet, now, now, settings, false);
  res.status(status).render('buyer/competitions/draft-deadlines', {
    pageTitle: 'Deadlines', id: String(c._id), reference: c.reference, ruleSetName: RULE_SET_NAMES[c.ruleSet as RuleSet], rule: rule.rule,
    earliest: formatDeadline(ceilToMinute(rule.earliest)), pcr: c.ruleSet === 'PCR2015_DPS', noteMax: NOTE_MAX, values, errors,
  });
}

export function deadlinesRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/deadlines
  router.get('/:id/deadlines', async (req, res) => {
    const c = await loadDraft(req, res);
    if (c) await render(res, c, servicesOf(req).clock.now(), deadlineValues(c));
  });

  // POST /buyer/competitions/:id/deadlines
  router.post('/:id/deadlines', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const { clock } = servicesOf(req);
    const form = readDeadlines(req.body, c.ruleSet);
    if (!form.ok) return render(res, c, clock.now(), postedValues(req.body), form.errors, 400);
    const out = await saveDeadlines(clock, actor(req), String(c._id), form.data);
    const saved = form.data.agreementNote ? 'Deadlines saved, with the agreement to a shorter deadline recorded' : 'Deadlines saved';
    await answer(req, res, String(c._id), out, { flash: saved, to: `${BASE}/${c._id}` }, (errors) => render(res, c, clock.now(), postedValues(req.body), errors, 400));
  });

  return router;
}
