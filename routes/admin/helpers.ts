// Small helpers the admin journeys share: ids from the path, page numbers, the pagination component, dates, links in tables.
import { Request } from 'express';
import createError from 'http-errors';
import { escapeHtml, govuk } from '../../server/views/govuk';

/** The :id path parameter as a 24-hex-digit ObjectId string, or a 404. */
export function idParam(req: Request, name = 'id'): string {
  const id = req.params[name];
  if (typeof id !== 'string' || !/^[0-9a-f]{24}$/i.test(id)) throw createError(404);
  return id;
}

/** `?page=N` (default 1); anything but one whole number from 1 up is a 400. */
export function pageParam(req: Request): number {
  const raw = (req.query as Record<string, unknown>).page;
  if (raw === undefined) return 1;
  if (typeof raw !== 'string' || !/^[1-9][0-9]{0,5}$/.test(raw)) throw createError(400);
  return Number(raw);
}

export interface Paging {
  page: number;
  pages: number;
  total: number;
  from: number;
  to: number;
  /** parameters for govuk('pagination'), or undefined when everything fits on one page */
  component?: Record<string, unknown>;
}

/** Page counts and the GOV.UK pagination component's parameters; a page past the last is a 404. */
export function paging(basePath: string, page: number, total: number, pageSize: number): Paging {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  if (page > pages) throw createError(404);
  const href = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  if (pages === 1) return { page, pages, total, from, to };
  const items: Array<Record<string, unknown>> = [];
  let last = 0;
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 1) {
      if (last && n - last > 1) items.push({ ellipsis: true });
      items.push({ number: n, href: href(n), current: n === page });
      last = n;
    }
  }
  return {
    page, pages, total, from, to,
    component: {
      items,
      previous: page > 1 ? { href: href(page - 1) } : undefined,
      next: page < pages ? { href: href(page + 1) } : undefined,
    },
  };
}

const dateTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit', hourCycle: 'h12' });
const dateOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', day: 'numeric', month: 'long', year: 'numeric' });

/** "24 November 2026 at 10:00am" in UK time, as GOV.UK style asks. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = new Date(value);
  const parts = Object.fromEntries(dateTime.formatToParts(d).map((p) => [p.type, p.value]));
  return `${parts.day} ${parts.month} ${parts.year} at ${parts.hour}:${parts.minute}${String(parts.dayPeriod).toLowerCase()}`;
}

export function formatDate(value: Date | string | null | undefined): string {
  return value ? dateOnly.format(new Date(value)) : '';
}

/**
 * A table cell holding a link. The one place admin pages build an `html` parameter:
 * the text is escaped here and the href is built from our own ids, never from input.
 */
export function linkCell(href: string, text: string, hiddenText?: string): { html: string } {
  if (!/^\/admin(\/[A-Za-z0-9-]+)*$/.test(href)) throw new Error(`unexpected link ${href}`);
  const hidden = hiddenText ? `<span class="govuk-visually-hidden"> ${escapeHtml(hiddenText)}</span>` : '';
  return { html: `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}${hidden}</a>` };
}

/** A table cell holding a GOV.UK tag (the component escapes its text). */
export function tagCell(text: string, colour?: 'green' | 'grey' | 'blue' | 'red' | 'yellow'): { html: string } {
  return { html: govuk('tag', { text, classes: colour ? `govuk-tag--${colour}` : undefined }) };
}
