// Changing the submission deadline (and the clarification deadline) of a published competition, strictly before
// the current deadline, with a reason; a shorter deadline must still meet the rule-set's minimum. The times are
// typed as UK time. `?proposed=<ISO instant>` prefills the new deadline (from a late-information proposal).
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { londonParts, londonTimeText, londonToUtc, parseDateInput, parseTime24 } from '../../../server/domain/competitionForms';
import { RuleSet, RULE_SET_NAMES } from '../../../server/domain/tenderRules';
import { changeDeadline, deadlineChangeRefusal } from '../../../server/services/competitionChanges';
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { errorsFrom, FormErrors, parseForm, requiredText } from '../../../server/validation';
import { flash } from '../../render';
import { managedCompetition, renderRefused } from './changes-common';

export const REASON_MAX = 2000;
const reasonForm = z.object({ reason: requiredText('the reason for the change', REASON_MAX) });
const FIELDS = ['deadline', 'clarificationDeadline'] as const;
const PARTS = ['day', 'month', 'year', 'time'] as const;
const CHANGE = 'change the deadline';

type DateTimeRead = { ok: true; value?: Date } | { ok: false; field: string; message: string };

/** Reads `<prefix>-day/-month/-year/-time` typed as UK time; all blank is no value when optional. */
export function readDateTime(body: Record<string, unknown>, prefix: string, label: string, optional: boolean): DateTimeRead {
  const raw = PARTS.map((p) => body[`${prefix}-${p}`]);
  if (optional && raw.every((v) => v === undefined || (typeof v === 'string' && !v.trim()))) return { ok: true };
  const date = parseDateInput(raw[0], raw[1], raw[2], label);
  if (!date.ok) return { ok: false, field: `${prefix}-${date.part ?? 'day'}`, message: date.error };
  const time = parseTime24(raw[3], label);
  if (!time.ok) return { ok: false, field: `${prefix}-time`, message: time.error };
  const at = londonToUtc(date.value, time.value);
  if (!at.ok) return { ok: false, field: `${prefix}-time`, message: `The ${label} is in the hour skipped when the clocks go forward. Choose another time` };
  return { ok: true, value: at.at };
}

function formFields(prefix: string, at: Date | null | undefined): Record<string, string> {
  if (!at) return {};
  const p = londonParts(at);
  return { [`${prefix}-day`]: String(p.day), [`${prefix}-month`]: String(p.month), [`${prefix}-year`]: String(p.year), [`${prefix}-time`]: londonTimeText(at) };
}

/** The form is to the minute: a value typed as the current one's minute is the current one, unchanged. */
function keepIfSameMinute(typed: Date | undefined, current: Date | null | undefined): Date | undefined {
  return typed && current && Math.floor(typed.getTime() / 60000) === Math.floor(current.getTime() / 60000) ? current : typed;
}

/** Only the form's own string fields are shown again. */
function echo(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...FIELDS.flatMap((f) => PARTS.map((p) => `${f}-${p}`)), 'reason']) if (typeof body[name] === 'string') out[name] = body[name] as string;
  return out;
}

function render(res: Response, c: CompetitionRecord, values: Record<string, unknown>, errors?: FormErrors, status = 200, proposed?: Date) {
  res.status(status).render('buyer/competitions/deadline', {
    pageTitle: 'Change the deadline', c, values, errors, reasonMax: REASON_MAX,
    current: { deadline: formatDeadline(c.deadline!), clarificationDeadline: c.clarificationDeadline ? formatDeadline(c.clarificationDeadline) : undefined },
    ruleSetName: RULE_SET_NAMES[c.ruleSet as RuleSet], hasClarificationDeadline: !!c.clarificationDeadline, proposed: proposed ? formatDeadline(proposed) : undefined,
  });
}

/** The competition if its deadline can be changed now; else the page saying why not. */
async function changeable(req: Request, res: Response): Promise<CompetitionRecord | undefined> {
  const c = await managedCompetition(req);
  const refusal = deadlineChangeRefusal(c, servicesOf(req).clock.now());
  if (!refusal) return c;
  renderRefused(res, c, c.status === 'cancelled' ? 'cancelled' : refusal, CHANGE);
  return undefined;
}

export function deadlineRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/deadline[?proposed=ISO]
  router.get('/:id/deadline', async (req, res) => {
    const c = await changeable(req, res);
    if (!c) return;
    const q = (req.query as Record<string, unknown>).proposed;
    const proposed = typeof q === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+Z$/.test(q) && !Number.isNaN(Date.parse(q)) ? new Date(q) : undefined;
    render(res, c, { ...formFields('deadline', proposed ?? c.deadline), ...formFields('clarificationDeadline', c.clarificationDeadline) }, undefined, 200, proposed);
  });

  // POST /buyer/competitions/:id/deadline
  router.post('/:id/deadline', async (req, res) => {
    const c = await changeable(req, res);
    if (!c) return;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fields: Record<string, string> = {};
    const deadline = readDateTime(body, 'deadline', 'new submission deadline', false);
    if (!deadline.ok) fields[deadline.field] = deadline.message;
    const clarification = readDateTime(body, 'clarificationDeadline', 'clarification deadline', !c.clarificationDeadline);
    if (!clarification.ok) fields[clarification.field] = clarification.message;
    const reason = parseForm(reasonForm, body);
    if (!reason.ok) fields.reason = reason.errors.fields.reason;
    if (!deadline.ok || !clarification.ok || !reason.ok) return render(res, c, echo(body), errorsFrom(fields), 400);

    const { clock, mailer, config } = servicesOf(req);
    const change = { deadline: keepIfSameMinute(deadline.value!, c.deadline)!, clarificationDeadline: keepIfSameMinute(clarification.value, c.clarificationDeadline), reason: reason.data.reason };
    const out = await changeDeadline(clock, mailer, config.baseUrl, currentUser(req)!, String(c._id), change);
    switch (out.outcome) {
      case 'missing':
        throw createError(404);
      case 'problems':
        return render(res, c, echo(body), errorsFrom(Object.fromEntries(Object.entries(out.problems).map(([k, v]) => [`${k}-day`, v]))), 400);
      case 'conflict':
        return render(res, c, echo(body), errorsFrom({ 'deadline-day': 'Someone else changed the deadlines while you were on this page. Check the current deadlines and try again' }), 409);
      case 'passed':
      case 'not-published':
        return renderRefused(res, c, out.outcome, CHANGE);
      case 'changed':
        flash(req, `${out.fields.includes('deadline') ? 'The submission deadline' : 'The clarification deadline'} has been changed and ${out.told} invited ${out.told === 1 ? 'supplier has' : 'suppliers have'} been told.`, 'Deadline changed');
        return res.redirect(303, `/buyer/competitions/${c._id}`);
    }
  });

  return router;
}
