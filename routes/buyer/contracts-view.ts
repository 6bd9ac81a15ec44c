// What the buyer's and the supplier's contract pages share: loading the contract in the path (scoped to the user's
// organisation, else 404), dates typed into forms, and the figures (summary, KPIs, commitments, reports) as
// GOV.UK component parameters. The same numbers feed the SVG chart and the table beside it.
import { Request } from 'express';
import createError from 'http-errors';
import { currentUser } from '../../server/auth/guards';
import { dateOnlyInstant, parseDateInput } from '../../server/domain/competitionForms';
import { formatMoney } from '../../server/domain/money';
import { formatUnits } from '../../server/domain/socialValueTotals';
import { ContractRecord, findForCouncil, findForSupplier, kpiState } from '../../server/services/contracts';
import { Delivery } from '../../server/services/socialValueDelivery';
import { escapeHtml, govuk } from '../../server/views/govuk';
import { formatDate, formatDateTime, idParam } from '../admin/helpers';

export function actorOf(req: Request) {
  const u = currentUser(req)!;
  return { _id: u._id, role: u.role, organisation: u.organisation };
}

/** The :id contract of the buyer's council (buyer routes) or of the supplier's organisation (supplier routes). */
export async function loadContract(req: Request): Promise<ContractRecord> {
  const u = currentUser(req)!;
  const id = idParam(req);
  const contract = u.role === 'buyer' ? await findForCouncil(u.organisation, id) : u.role === 'supplier' ? await findForSupplier(u.organisation, id) : null;
  if (!contract) throw createError(404);
  return contract;
}

/** A GOV.UK date input's three parts (`<id>-day` ...) as a UTC-midnight date; a problem goes into `errors`. */
export function dateFrom(body: Record<string, unknown>, id: string, label: string, errors: Record<string, string>): Date | undefined {
  const parsed = parseDateInput(body[`${id}-day`], body[`${id}-month`], body[`${id}-year`], label);
  if (!parsed.ok) {
    errors[`${id}-${parsed.part ?? 'day'}`] = parsed.error;
    return undefined;
  }
  return dateOnlyInstant(parsed.value);
}

/** A link the page builds from its own ids; the text is escaped. */
export function link(href: string, text: string, hidden?: string): string {
  if (!/^\/(buyer|supplier)\/contracts(\/[A-Za-z0-9.-]+)*(\?[a-z]+=[0-9a-f]{24})?$/.test(href)) throw new Error(`unexpected link ${href}`);
  const extra = hidden ? `<span class="govuk-visually-hidden"> ${escapeHtml(hidden)}</span>` : '';
  return `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}${extra}</a>`;
}

const VERIFICATION_TAGS: Record<string, { text: string; colour: string }> = {
  awaiting: { text: 'Awaiting verification', colour: 'blue' },
  accepted: { text: 'Accepted', colour: 'green' },
  queried: { text: 'Queried', colour: 'yellow' },
  rejected: { text: 'Rejected', colour: 'red' },
};

export function verificationTag(status: string): { html: string } {
  const t = VERIFICATION_TAGS[status] ?? VERIFICATION_TAGS.awaiting;
  return { html: govuk('tag', { text: t.text, classes: `govuk-tag--${t.colour}` }) };
}

/** The summary list of the contract's facts, and the details notice reminder under PA 2023. */
export function summaryRows(c: ContractRecord, supplierName: string, councilName: string) {
  return [
    { key: { text: 'Reference' }, value: { text: c.reference } },
    { key: { text: 'Council' }, value: { text: councilName } },
    { key: { text: 'Supplier' }, value: { text: supplierName } },
    { key: { text: 'Signed' }, value: { text: formatDate(c.signedAt) } },
    { key: { text: 'Starts' }, value: { text: formatDate(c.start) } },
    { key: { text: 'Ends' }, value: { text: formatDate(c.end) } },
    { key: { text: 'Value' }, value: { text: formatMoney(c.valuePence) } },
  ];
}

export function kpiRows(c: ContractRecord, now: Date, base?: string) {
  return c.kpis.map((k) => {
    const state = kpiState(k.ratings, c.start, now);
    const last = state.lastRating ? `${state.lastRating.rating} (${formatDate(state.lastRating.at)})${state.lastRating.comment ? `: ${state.lastRating.comment}` : ''}` : 'Not rated yet';
    const due = state.overdue
      ? { html: `${govuk('tag', { text: 'Rating overdue', classes: 'govuk-tag--red' })} <span class="govuk-body-s">Not rated in the last 12 months (due ${escapeHtml(formatDate(state.dueBy))})</span>` }
      : { text: `Next rating due by ${formatDate(state.dueBy)}` };
    const row: Array<Record<string, unknown>> = [{ text: k.name }, { text: k.target }, { text: last }, due];
    if (base) row.push({ html: link(`${base}/kpis/${k._id}/rate`, 'Rate', `KPI: ${k.name}`) });
    return row;
  });
}

/** The figures table: committed against delivered per measure, in units and proxy pounds, and the total. */
export function figuresRows(d: Delivery) {
  const rows = d.totals.measures.map((m) => [
    { text: `${m.code}: ${m.description}` },
    { text: `${formatUnits(m.committedUnits)} ${m.unit}`, format: 'numeric' },
    { text: `${formatUnits(m.deliveredUnits)} ${m.unit}`, format: 'numeric' },
    { text: `${formatMoney(m.proxyValuePence)} per ${m.unit} (${m.proxyYear})`, format: 'numeric' },
    { text: formatMoney(m.committedPence), format: 'numeric' },
    { text: formatMoney(m.deliveredPence), format: 'numeric' },
    { text: `${m.percentDelivered}%`, format: 'numeric' },
  ]);
  rows.push([
    { html: '<strong>Total</strong>' } as any, { text: '' }, { text: '' }, { text: '' },
    { html: `<strong>${escapeHtml(formatMoney(d.totals.committedPence))}</strong>`, format: 'numeric' } as any,
    { html: `<strong>${escapeHtml(formatMoney(d.totals.deliveredPence))}</strong>`, format: 'numeric' } as any,
    { html: `<strong>${d.totals.percentDelivered}%</strong>`, format: 'numeric' } as any,
  ]);
  return rows;
}

export const FIGURES_HEAD = ['Measure', 'Committed (units)', 'Delivered (units)', 'Proxy value', 'Committed (£)', 'Delivered (£)', 'Delivered']
  .map((text, i) => ({ text, format: i > 0 ? 'numeric' : undefined }));

/** Each commitment with its due date and what is awaiting verification. */
export function commitmentRows(d: Delivery, base: string, role: 'buyer' | 'supplier') {
  return d.commitments.map((c) => {
    const m = d.totals.measures.find((x) => x.id === String(c._id))!;
    const action = role === 'buyer'
      ? link(`${base}/commitments/${c._id}/due-date`, 'Change due date', `for ${c.code}`)
      : link(`${base}/reports/new?commitment=${c._id}`, 'Report delivery', `for ${c.code}`);
    return [
      { text: `${c.code}: ${c.description}` },
      { text: formatDate(c.dueBy) },
      { text: m.awaitingUnits ? `${formatUnits(m.awaitingUnits)} ${c.unit}` : 'None', format: 'numeric' },
      { html: action },
    ];
  });
}

/** The reports, newest first, with their verification; the buyer's rows link to verify. */
export function reportRows(d: Delivery, base: string, role: 'buyer' | 'supplier') {
  const code = new Map(d.commitments.map((c) => [String(c._id), c]));
  return d.reports.map((r) => {
    const c = code.get(String(r.commitment));
    const status = r.verification?.status ?? 'awaiting';
    const label = `${c?.code ?? ''} ${formatDate(r.periodStart)} to ${formatDate(r.periodEnd)}`;
    return [
      role === 'buyer' ? { html: link(`${base}/reports/${r._id}`, label, status === 'awaiting' ? '(verify)' : '(view)') } : { text: label },
      { text: `${formatUnits(r.quantityDelivered)} ${c?.unit ?? ''}`, format: 'numeric' },
      { text: formatDateTime(r.submittedAt) },
      verificationTag(status),
      { text: r.verification?.comment ?? '' },
    ];
  });
}
