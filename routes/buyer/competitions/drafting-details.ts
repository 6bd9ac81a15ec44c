// A draft's Details section: title, summary, full requirement, lot, rule-set, estimated value (pounds ex VAT) and
// the contract dates (start not in the past, end after start).
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { compareDates, dateOnlyInstant, DateParts, londonParts, parseDateInput } from '../../../server/domain/competitionForms';
import { parsePounds, penceToPounds } from '../../../server/domain/money';
import { RULE_SETS } from '../../../server/domain/tenderRules';
import { CompetitionRecord, deadlineSettingsFor } from '../../../server/services/competitions';
import { DetailsInput, saveDetails } from '../../../server/services/competitionDrafting';
import { FormErrors, requiredText } from '../../../server/validation';
import { actor, answer, BASE, inPageOrder, loadDraft, postedValues } from './drafting-shared';
import { lotChoices, ruleSetChoices } from './drafting-view';

export const SUMMARY_MAX = 1000;
export const REQUIREMENT_MAX = 20000;
const ORDER = ['title', 'summary', 'requirement', 'lot', 'ruleSet', 'estimatedValue', 'contractStart-day', 'contractStart-month', 'contractStart-year', 'contractEnd-day', 'contractEnd-month', 'contractEnd-year'];

/** Text that must be given and fit. */
export function longText(empty: string, max: number, name: string) {
  return z.string({ error: empty }).trim().min(1, empty).max(max, `${name} must be ${max.toLocaleString('en-GB')} characters or fewer`);
}

export const detailsForm = z.object({
  title: requiredText('a title', 200),
  summary: longText('Enter a summary', SUMMARY_MAX, 'The summary'),
  requirement: longText('Enter the full requirement', REQUIREMENT_MAX, 'The requirement'),
  lot: z.string({ error: 'Select the lot' }).regex(/^[0-9a-f]{24}$/i, 'Select the lot'),
  ruleSet: z.enum(RULE_SETS, { error: 'Select the rules this competition runs under' }),
  estimatedValue: z.string({ error: 'Enter the estimated value' }).trim().min(1, 'Enter the estimated value').transform((s, ctx) => {
    const r = parsePounds(s, 'Estimated value');
    if ('error' in r) ctx.addIssue({ code: 'custom', message: r.error });
    else if (r.pence === 0) ctx.addIssue({ code: 'custom', message: 'Estimated value must be more than \u00a30' });
    return 'pence' in r ? r.pence : 0;
  }),
});

/** Reads and checks the form; the contract dates are checked against today in the UK. */
export function readDetails(body: unknown, now: Date): { ok: true; data: DetailsInput } | { ok: false; errors: FormErrors } {
  const b = (body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const parsed = detailsForm.safeParse(b);
  if (!parsed.success) for (const i of parsed.error.issues) fields[String(i.path[0])] ??= i.message;
  const date = (id: string, label: string): DateParts | undefined => {
    const r = parseDateInput(b[`${id}-day`], b[`${id}-month`], b[`${id}-year`], label);
    if (r.ok) return r.value;
    fields[`${id}-${r.part ?? 'day'}`] = r.error;
    return undefined;
  };
  const start = date('contractStart', 'contract start date');
  const end = date('contractEnd', 'contract end date');
  if (start && compareDates(start, londonParts(now)) < 0) fields['contractStart-day'] = 'The contract start date must be today or in the future';
  if (start && end && compareDates(end, start) <= 0) fields['contractEnd-day'] = 'The contract end date must be after the start date';
  if (!parsed.success || Object.keys(fields).length || !start || !end) return { ok: false, errors: inPageOrder(fields, ORDER) };
  const { estimatedValue, ...rest } = parsed.data;
  return { ok: true, data: { ...rest, estimatedValuePence: estimatedValue, contractStart: dateOnlyInstant(start), contractEnd: dateOnlyInstant(end) } };
}

function dateValues(id: string, at: Date | null | undefined): Record<string, string> {
  if (!at) return {};
  const p = londonParts(at);
  return { [`${id}-day`]: String(p.day), [`${id}-month`]: String(p.month), [`${id}-year`]: String(p.year) };
}

export function detailsValues(c: CompetitionRecord): Record<string, string> {
  return {
    title: c.title, summary: c.summary ?? '', requirement: c.requirement ?? '', lot: String(c.lot), ruleSet: c.ruleSet,
    estimatedValue: c.estimatedValuePence == null ? '' : penceToPounds(c.estimatedValuePence),
    ...dateValues('contractStart', c.contractStart), ...dateValues('contractEnd', c.contractEnd),
  };
}

async function render(res: Response, c: CompetitionRecord, values: Record<string, string>, errors?: FormErrors, status = 200): Promise<void> {
  const [lots, settings] = await Promise.all([lotChoices(), deadlineSettingsFor(c.council)]);
  res.status(status).render('buyer/competitions/draft-details', {
    pageTitle: 'Details', id: String(c._id), reference: c.reference, lots, ruleSets: ruleSetChoices(settings), values, errors, summaryMax: SUMMARY_MAX, requirementMax: REQUIREMENT_MAX,
  });
}

export function detailsRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/details
  router.get('/:id/details', async (req, res) => {
    const c = await loadDraft(req, res);
    if (c) await render(res, c, detailsValues(c));
  });

  // POST /buyer/competitions/:id/details
  router.post('/:id/details', async (req: Request, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const { clock } = servicesOf(req);
    const form = readDetails(req.body, clock.now());
    if (!form.ok) return render(res, c, postedValues(req.body), form.errors, 400);
    const out = await saveDetails(clock, actor(req), String(c._id), form.data);
    await answer(req, res, String(c._id), out, { flash: 'Details saved', to: `${BASE}/${c._id}` }, (errors) => render(res, c, postedValues(req.body), errors, 400));
  });

  return router;
}
