// Presentation for the supplier's application pages: status tags, task-list items, table cells, dates.
import { escapeHtml, govuk } from '../../server/views/govuk';
import { SECTIONS } from '../../server/domain/applicationQuestions';

export const BASE = '/supplier/applications';

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  submitted: { text: 'Submitted', classes: 'govuk-tag--blue' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--orange' },
  decided: { text: 'Decided', classes: 'govuk-tag--green' },
};

export function statusTag(status: string): { text: string; classes: string } {
  return STATUS_TAGS[status] ?? { text: status, classes: 'govuk-tag--grey' };
}

/** A table cell holding a link to one of our own application pages (the href is built from our ids). */
export function linkCell(href: string, text: string, hiddenText?: string): { html: string } {
  if (!/^\/supplier\/applications(\/[A-Za-z0-9-]+)*$/.test(href)) throw new Error(`unexpected link ${href}`);
  const hidden = hiddenText ? `<span class="govuk-visually-hidden"> ${escapeHtml(hiddenText)}</span>` : '';
  return { html: `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}${hidden}</a>` };
}

export function tagCell(status: string): { html: string } {
  return { html: govuk('tag', statusTag(status)) };
}

const SECTION_STATUS = {
  'completed': { text: 'Completed' },
  'in-progress': { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } },
  'not-started': { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } },
} as const;

/** The GOV.UK task list's items: one per section, then check your answers (enabled once all are completed). */
export function taskListItems(id: string, statuses: Record<string, keyof typeof SECTION_STATUS>) {
  const items: Array<Record<string, unknown>> = SECTIONS.map((s) => ({
    title: { text: s.title },
    href: `${BASE}/${id}/sections/${s.key}`,
    status: SECTION_STATUS[statuses[s.key]],
  }));
  const allDone = SECTIONS.every((s) => statuses[s.key] === 'completed');
  items.push(allDone
    ? { title: { text: 'Check your answers and submit' }, href: `${BASE}/${id}/check-answers`, status: { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } } }
    : { title: { text: 'Check your answers and submit' }, status: { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' } });
  return { items, completed: SECTIONS.filter((s) => statuses[s.key] === 'completed').length, total: SECTIONS.length, allDone };
}

const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', second: '2-digit', hourCycle: 'h12' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** "24 November 2026 at 10:00:05am (UK time)": the exact receipt time, to the second. */
export function formatReceiptTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const parts = Object.fromEntries(dateTime.formatToParts(new Date(value)).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}:${parts.second}${String(parts.dayPeriod).toLowerCase()} (UK time)`;
}

export function formatDate(value: Date | string | null | undefined): string {
  return value ? dateOnly.format(new Date(value)) : '';
}
