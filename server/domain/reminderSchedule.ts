// When invited suppliers are reminded of a competition's deadline, and when the buyers hear it has passed.
// Pure functions: the caller passes the deadline, the council's nation and `now`.
//
// The two reminders:
// - "three working days before": the same UK clock time as the deadline, on the working day that is three working
//   days before the deadline's own (UK) day, counting back over weekends and the nation's bank holidays. A deadline
//   of Friday 12:00 is reminded on Tuesday 12:00; Monday 12:00 on the Wednesday before.
// - "one day before": the deadline minus 24 hours.
// Only the latest reminder whose time has come is due (an app down through the first window sends just the
// second), a reminder timed before publication is not sent (the invitation said it all), and nothing goes to
// suppliers at or after the deadline: then the buyers' "deadline passed" notice is due instead.
import { isWorkingDay, londonDay, UkNation, UK_NATIONS } from './workingDays';

export const REMINDER_JOBS = {
  threeWorkingDays: 'reminder-3-working-days',
  oneDay: 'reminder-1-day',
  deadlinePassed: 'deadline-passed',
} as const;
export type ReminderKind = 'threeWorkingDays' | 'oneDay';

const HOUR = 60 * 60 * 1000;

export interface ReminderTimes {
  threeWorkingDays: Date;
  oneDay: Date;
}

/** An organisation's stored nation as a UK nation for bank holidays (England when unset or unknown). */
export function nationOf(value: unknown): UkNation {
  return (UK_NATIONS as readonly string[]).includes(String(value)) ? (value as UkNation) : 'England';
}

function dayBefore(ymd: string): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** The London calendar date `n` working days before the London date of `at`. */
export function workingDaysBefore(at: Date, n: number, nation: UkNation): string {
  let day = londonDay(at);
  let counted = 0;
  while (counted < n) {
    day = dayBefore(day);
    if (isWorkingDay(day, nation)) counted++;
  }
  return day;
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** London's offset from UTC in milliseconds at an instant (0 in winter, one hour in summer). */
function londonOffset(at: Date): number {
  const p = Object.fromEntries(londonParts.formatToParts(at).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant on London date `ymd` showing the same London clock time as `like`. Clocks change on Sundays at
 * 01:00 UTC, never on a working day, so the time always exists and is never ambiguous where we use it.
 */
function sameLondonTimeOn(ymd: string, like: Date): Date {
  const clock = like.getTime() + londonOffset(like);
  const msOfDay = ((clock % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR);
  const naive = Date.parse(`${ymd}T00:00:00Z`) + msOfDay;
  return new Date(naive - londonOffset(new Date(naive - HOUR)));
}

export function reminderTimes(deadline: Date, nation: UkNation = 'England'): ReminderTimes {
  return {
    threeWorkingDays: sameLondonTimeOn(workingDaysBefore(deadline, 3, nation), deadline),
    oneDay: new Date(deadline.getTime() - 24 * HOUR),
  };
}

/**
 * The supplier reminder due at `now`, if any: the later of the two once its time has come, never at or after
 * the deadline, never one timed before `publishedAt`.
 */
export function dueReminder(now: Date, deadline: Date, nation: UkNation = 'England', publishedAt?: Date): ReminderKind | undefined {
  if (now.getTime() >= deadline.getTime()) return undefined;
  const times = reminderTimes(deadline, nation);
  const kind: ReminderKind | undefined = now >= times.oneDay ? 'oneDay' : now >= times.threeWorkingDays ? 'threeWorkingDays' : undefined;
  if (kind && publishedAt && times[kind] < publishedAt) return undefined;
  return kind;
}

/** The buyers' notice is due from the deadline itself (the box can be opened then). */
export function deadlinePassed(now: Date, deadline: Date): boolean {
  return now.getTime() >= deadline.getTime();
}

/**
 * How far around `now` a competition's deadline can be for something to be due: a reminder can fall up to
 * three working days plus a long bank-holiday weekend before it (Christmas, Easter: about a week); a "deadline
 * passed" notice more than a week late is no news and is not sent.
 */
export const LOOK_AHEAD_MS = 14 * 24 * HOUR;
export const LOOK_BACK_MS = 7 * 24 * HOUR;
