// Entering the contract on an award (GET/POST /buyer/contracts/from-award/:awardId): only the owning council's
// buyers, only once standstill has ended and while the award is not challenged. Signed, start and end dates,
// the final value and KPIs (three at least over £5m); the winning bid's commitments become contract commitments.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { londonParts } from '../../server/domain/competitionForms';
import { formatMoney, parsePounds, penceToPounds } from '../../server/domain/money';
import { checkEntry, ContractInput, enterContract, EntryRefusal, ukDate } from '../../server/services/contracts';
import { errorsFrom } from '../../server/validation';
import { flash } from '../render';
import { formatDate, formatDateTime, idParam } from '../admin/helpers';
import { actorOf, dateFrom } from './contracts-view';

export const KPI_ROWS = 5;
const text = (max: number) => z.string().trim().max(max).optional().default('');
const form = z.object(Object.fromEntries([
  ...['signed', 'start', 'end'].flatMap((d) => ['day', 'month', 'year'].map((p) => [`${d}-${p}`, text(10)])),
  ['value', text(40)],
  ...Array.from({ length: KPI_ROWS }, (_, i) => [[`kpi-${i + 1}-name`, text(300)], [`kpi-${i + 1}-target`, text(1000)]]).flat(),
]));

function refusal(res: Response, r: EntryRefusal): void {
  if (r.outcome === 'missing') throw createError(404);
  if (r.outcome === 'contracted' && r.contractId) return res.redirect(303, `/buyer/contracts/${r.contractId}`);
  const message = {
    'not-approved': 'This award has not been approved, so no contract can be entered on it.',
    challenged: 'This award has been challenged. Standstill is suspended: the contract cannot be entered until the challenge is resolved.',
    'in-standstill': `The standstill period has not ended. The contract cannot be entered before ${r.outcome === 'in-standstill' && r.end ? formatDateTime(r.end) : 'standstill ends'}.`,
    contracted: 'A contract has already been entered on this award.',
  }[r.outcome];
  res.status(409).render('buyer/contracts/refused', { pageTitle: 'You cannot enter this contract yet', message });
}

function parse(body: unknown): { input?: ContractInput; fields: Record<string, string> } {
  const parsed = form.safeParse(body ?? {});
  if (!parsed.success) return { fields: { 'signed-day': 'Enter the contract details again' } };
  const v = parsed.data as Record<string, string>;
  const fields: Record<string, string> = {};
  const signedAt = dateFrom(v, 'signed', 'date the contract was signed', fields);
  const start = dateFrom(v, 'start', 'start date', fields);
  const end = dateFrom(v, 'end', 'end date', fields);
  let valuePence: number | undefined;
  if (!v.value) fields.value = 'Enter the final value of the contract';
  else {
    const money = parsePounds(v.value, 'The final value');
    if ('error' in money) fields.value = money.error;
    else valuePence = money.pence;
  }
  const kpis: Array<{ name: string; target: string }> = [];
  for (let i = 1; i <= KPI_ROWS; i++) {
    const name = v[`kpi-${i}-name`];
    const target = v[`kpi-${i}-target`];
    if (name && !target) fields[`kpi-${i}-target`] = `Enter the target for KPI ${i}`;
    else if (target && !name) fields[`kpi-${i}-name`] = `Enter the name of KPI ${i}`;
    else if (name && target) kpis.push({ name, target });
  }
  if (Object.keys(fields).length || !signedAt || !start || !end || valuePence === undefined) return { fields };
  return { input: { signedAt, start, end, valuePence, kpis }, fields };
}

async function renderForm(req: Request, res: Response, values: Record<string, unknown>, fields: Record<string, string> = {}) {
  const check = await checkEntry(actorOf(req), idParam(req, 'awardId'), servicesOf(req).clock.now());
  if (check.outcome !== 'ok') return refusal(res, check);
  const { award, competition, supplierName } = check;
  const errors = Object.keys(fields).length ? errorsFrom(fields) : undefined;
  res.status(errors ? 400 : 200).render('buyer/contracts/new', {
    pageTitle: 'Enter the contract', errors, values, kpiRows: KPI_ROWS, action: `/buyer/contracts/from-award/${award._id}`,
    competition, supplierName, awardValue: formatMoney(award.valuePence), standstillEnd: formatDateTime(award.standstill!.end!),
    pa2023: competition.ruleSet === 'PA2023_DYNAMIC_MARKET',
  });
}

export function contractEntryRouter(): Router {
  const router = Router();

  // GET /buyer/contracts/from-award/:awardId: the contract form, with the awarded value to start from
  router.get('/from-award/:awardId', async (req, res) => {
    const check = await checkEntry(actorOf(req), idParam(req, 'awardId'), servicesOf(req).clock.now());
    const value = check.outcome === 'ok' ? penceToPounds(check.award.valuePence) : '';
    const today = londonParts(servicesOf(req).clock.now());
    await renderForm(req, res, { value, 'signed-day': String(today.day), 'signed-month': String(today.month), 'signed-year': String(today.year) });
  });

  // POST /buyer/contracts/from-award/:awardId: enter it
  router.post('/from-award/:awardId', async (req, res) => {
    const awardId = idParam(req, 'awardId');
    const { input, fields } = parse(req.body);
    const values = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => typeof v === 'string'));
    if (!input) return renderForm(req, res, values, fields);
    const { clock, keyring } = servicesOf(req);
    const outcome = await enterContract(clock, keyring, actorOf(req), awardId, input, ukDate(clock.now()));
    if (outcome.outcome === 'invalid') return renderForm(req, res, values, outcome.problems);
    if (outcome.outcome === 'bid-unreadable') {
      res.status(409).render('buyer/contracts/refused', { pageTitle: 'You cannot enter this contract yet', message: 'The awarded bid could not be read from the tender box, so its social value commitments cannot be copied. Ask the network team for help.' });
      return;
    }
    if (outcome.outcome !== 'entered') return refusal(res, outcome);
    flash(req, `Contract entered. It starts on ${formatDate(input.start)}.`);
    res.redirect(303, `/buyer/contracts/${outcome.id}`);
  });
  return router;
}
