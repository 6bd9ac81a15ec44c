// Working days in the UK: weekends and the bank holidays of the nation concerned (from date-holidays),
// counted on the London calendar. Pure functions: the caller passes the instant.
import Holidays from 'date-holidays';

export const UK_NATIONS = ['England', 'Wales', 'Scotland', 'Northern Ireland'] as const;
export type UkNation = (typeof UK_NATIONS)[number];

// England and Wales share bank holidays; Scotland and Northern Ireland have their own.
const REGION: Record<UkNation, string> = { England: 'ENG', Wales: 'WLS', Scotland: 'SCT', 'Northern Ireland': 'NIR' };
const calendars = new Map<UkNation, Holidays>();
const holidayCache = new Map<string, Set<string>>();

function holidaysOf(nation: UkNation, year: number): Set<string> {
  const key = `${nation}:${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    let cal = calendars.get(nation);
    if (!cal) calendars.set(nation, (cal = new Holidays('GB', REGION[nation])));
    set = new Set(cal.getHolidays(year).filter((h) => h.type === 'public' || h.type === 'bank').map((h) => h.date.slice(0, 10)));
    holidayCache.set(key, set);
  }
  return set;
}

const londonDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar date (YYYY-MM-DD) in London at an instant. */
export function londonDay(at: Date): string {
  return londonDate.format(at);
}

function nextDay(ymd: string, delta = 1): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

export function isWorkingDay(ymd: string, nation: UkNation = 'England'): boolean {
  const dow = new Date(`${ymd}T12:00:00Z`).getUTCDay();
  if (dow === 0 || dow === 6) return false;
  return !holidaysOf(nation, Number(ymd.slice(0, 4))).has(ymd);
}

/** The date of the n-th working day after the London date of `from` (n >= 1). */
export function addWorkingDays(from: Date, n: number, nation: UkNation = 'England'): string {
  let day = londonDay(from);
  let counted = 0;
  while (counted < n) {
    day = nextDay(day);
    if (isWorkingDay(day, nation)) counted++;
  }
  return day;
}

/** Working days after the London date of `from`, up to and including the London date of `to` (0 if not after). */
export function workingDaysBetween(from: Date, to: Date, nation: UkNation = 'England'): number {
  let day = londonDay(from);
  const end = londonDay(to);
  let count = 0;
  while (day < end) {
    day = nextDay(day);
    if (isWorkingDay(day, nation)) count++;
  }
  return count;
}

/** The last instant (23:59:59.999 London time) of a London calendar date. */
export function endOfLondonDay(ymd: string): Date {
  const midnightUtc = Date.parse(`${nextDay(ymd)}T00:00:00Z`);
  // London is UTC or UTC+1: find the offset at the following midnight.
  const offsetHours = londonDay(new Date(midnightUtc - 60 * 60 * 1000)) === nextDay(ymd) ? 1 : 0;
  return new Date(midnightUtc - offsetHours * 60 * 60 * 1000 - 1);
}

/** A deadline of `n` working days from receipt: the end of the n-th working day after the day of receipt. */
export function workingDayDeadline(receivedAt: Date, n: number, nation: UkNation = 'England'): Date {
  return endOfLondonDay(addWorkingDays(receivedAt, n, nation));
}
