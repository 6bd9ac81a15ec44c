// What the buyer's drafting forms need that is not a rule of procurement: UK (Europe/London) dates and times typed
// into a form turned into instants and back, whole numbers, and which draft section fixes which publish problem.
// Pure functions: no clock reads, no I/O.

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

export interface TimeParts {
  hour: number;
  minute: number;
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric',
});

/** The UK wall-clock date and time of an instant. */
export function londonParts(at: Date): DateParts & TimeParts {
  const p = Object.fromEntries(LONDON.formatToParts(at).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day), hour: Number(p.hour), minute: Number(p.minute) };
}

const HOUR_MS = 60 * 60 * 1000;

function sameWallClock(a: DateParts & TimeParts, b: DateParts & TimeParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;
}

export type LondonInstant = { ok: true; at: Date } | { ok: false; reason: 'nonexistent' };

/**
 * The instant a UK wall-clock time names. London is UTC+0 (GMT) or UTC+1 (BST), so the instant is the wall time
 * read as UTC less 0 or 1 hour: whichever reads back as the same wall time. When clocks go forward (the last
 * Sunday in March, 1am becomes 2am) the times between do not exist; when they go back (the last Sunday in
 * October, 2am becomes 1am) the hour between 1am and 2am happens twice, and the first (BST) one is taken.
 */
export function londonToUtc(d: DateParts, t: TimeParts): LondonInstant {
  const wall = { ...d, ...t };
  const asUtc = Date.UTC(d.year, d.month - 1, d.day, t.hour, t.minute);
  const candidates = [asUtc - HOUR_MS, asUtc].filter((ms) => sameWallClock(londonParts(new Date(ms)), wall));
  if (candidates.length === 0) return { ok: false, reason: 'nonexistent' };
  return { ok: true, at: new Date(Math.min(...candidates)) };
}

/** "09:05" for an instant's UK time. */
export function londonTimeText(at: Date): string {
  const p = londonParts(at);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string; part?: 'day' | 'month' | 'year' };

/** A date typed into the GOV.UK date input (day, month, year), checked to be a real date. */
export function parseDateInput(day: unknown, month: unknown, year: unknown, label: string): Parsed<DateParts> {
  const [d, m, y] = [day, month, year].map((v) => (typeof v === 'string' ? v.trim() : ''));
  if (!d && !m && !y) return { ok: false, error: `Enter the ${label}`, part: 'day' };
  if (!d) return { ok: false, error: `The ${label} must include a day`, part: 'day' };
  if (!m) return { ok: false, error: `The ${label} must include a month`, part: 'month' };
  if (!y) return { ok: false, error: `The ${label} must include a year`, part: 'year' };
  if (!/^\d{1,2}$/.test(d)) return { ok: false, error: `The ${label} must be a real date`, part: 'day' };
  if (!/^\d{1,2}$/.test(m) || Number(m) < 1 || Number(m) > 12) return { ok: false, error: `The ${label} must be a real date`, part: 'month' };
  if (!/^\d{4}$/.test(y)) return { ok: false, error: `The year of the ${label} must include 4 numbers`, part: 'year' };
  const value = { year: Number(y), month: Number(m), day: Number(d) };
  const check = new Date(Date.UTC(value.year, value.month - 1, value.day));
  if (check.getUTCFullYear() !== value.year || check.getUTCMonth() !== value.month - 1 || check.getUTCDate() !== value.day) {
    return { ok: false, error: `The ${label} must be a real date`, part: 'day' };
  }
  if (value.year < 2000 || value.year > 2100) return { ok: false, error: `The ${label} must be between the years 2000 and 2100`, part: 'year' };
  return { ok: true, value };
}

/** A 24-hour time like "09:30" or "17:00" (one-digit hours allowed). */
export function parseTime24(text: unknown, label: string): Parsed<TimeParts> {
  const s = typeof text === 'string' ? text.trim() : '';
  if (!s) return { ok: false, error: `Enter the time of the ${label}` };
  const m = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.exec(s);
  if (!m) return { ok: false, error: `Enter the time of the ${label} in the 24-hour clock, like 09:30 or 17:00` };
  return { ok: true, value: { hour: Number(m[1]), minute: Number(m[2]) } };
}

/** A whole number from min to max typed into a text input. */
export function parseWholeNumber(text: unknown, min: number, max: number, label: string): Parsed<number> {
  const s = typeof text === 'string' ? text.trim() : '';
  if (!s) return { ok: false, error: `Enter ${label}` };
  if (!/^\d{1,7}$/.test(s) || Number(s) < min || Number(s) > max) return { ok: false, error: `${label.charAt(0).toUpperCase()}${label.slice(1)} must be a whole number from ${min} to ${max}` };
  return { ok: true, value: Number(s) };
}

/** A calendar date kept as UTC midnight (shown in UK time it is the same date all year). */
export function dateOnlyInstant(d: DateParts): Date {
  return new Date(Date.UTC(d.year, d.month - 1, d.day));
}

export function compareDates(a: DateParts, b: DateParts): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** The next whole minute at or after an instant: deadlines are typed to the minute. */
export function ceilToMinute(at: Date): Date {
  return new Date(Math.ceil(at.getTime() / 60000) * 60000);
}

export const DRAFT_SECTIONS = ['details', 'criteria', 'questions', 'deadlines', 'documents'] as const;
export type DraftSection = (typeof DRAFT_SECTIONS)[number];

export const DRAFT_SECTION_TITLES: Record<DraftSection, string> = {
  details: 'Details',
  criteria: 'Award criteria',
  questions: 'Questions for suppliers',
  deadlines: 'Deadlines',
  documents: 'Documents',
};

/** The section page (and the field on it) that fixes each publish problem (keys of publishProblems). */
const PROBLEM_PLACES: Record<string, { section: DraftSection; field: string }> = {
  title: { section: 'details', field: 'title' },
  summary: { section: 'details', field: 'summary' },
  requirement: { section: 'details', field: 'requirement' },
  estimatedValue: { section: 'details', field: 'estimatedValue' },
  contractStart: { section: 'details', field: 'contractStart-day' },
  contractEnd: { section: 'details', field: 'contractEnd-day' },
  criteria: { section: 'criteria', field: 'criteria' },
  questions: { section: 'questions', field: 'questions' },
  deadline: { section: 'deadlines', field: 'deadline-day' },
  clarificationDeadline: { section: 'deadlines', field: 'clarificationDeadline-day' },
};

export function problemPlace(key: string): { section: DraftSection; field: string } {
  return PROBLEM_PLACES[key] ?? { section: 'details', field: key };
}

/** Each section's state from the publish problems: complete when none of its problems remain. Documents are optional. */
export function sectionStates(problems: Record<string, string>, documentCount: number): Record<DraftSection, 'completed' | 'incomplete' | 'optional'> {
  const out = { details: 'completed', criteria: 'completed', questions: 'completed', deadlines: 'completed', documents: documentCount > 0 ? 'completed' : 'optional' } as Record<DraftSection, 'completed' | 'incomplete' | 'optional'>;
  for (const key of Object.keys(problems)) out[problemPlace(key).section] = 'incomplete';
  return out;
}
