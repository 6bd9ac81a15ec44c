// Standstill after an award decision, per rule-set (domain.md section 3): when it ends, whether the law requires it,
// and the rule in words for the award page and the letters. Pure functions: the caller passes the instants.
import { RuleSet } from './tenderRules';
import { UkNation, addWorkingDays, endOfLondonDay, isWorkingDay, londonDay } from './workingDays';

export const PCR_STANDSTILL_DAYS = 10;
export const PA_STANDSTILL_WORKING_DAYS = 8;
export const DEFAULT_VOLUNTARY_DAYS = 10;

export interface StandstillOptions {
  /**
   * PA 2023: whether a dynamic-market award must observe the s.51 standstill. The exemption is unsure
   * (domain.md section 3), so it is a setting; the default treats it as required.
   */
  dynamicMarketRequired?: boolean;
  /** Below threshold: the length of the voluntary standstill in calendar days (default 10). */
  voluntaryDays?: number;
}

export interface Standstill {
  /** the last instant of the standstill: midnight (23:59:59.999) at the end of `lastDay`, UK time */
  end: Date;
  /** the UK calendar date (YYYY-MM-DD) on which it ends */
  lastDay: string;
  /** false where the rules do not require one and it is kept as good practice */
  required: boolean;
  /** the rule applied, in words, for the page and the letter */
  rule: string;
}

function addCalendarDays(ymd: string, days: number): string {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The first working day on or after a date. */
function onOrAfterWorkingDay(ymd: string, nation: UkNation): string {
  let day = ymd;
  while (!isWorkingDay(day, nation)) day = addCalendarDays(day, 1);
  return day;
}

/** The n-th calendar day after the UK day of `sentAt`, moved on to the next working day when it is not one. */
function calendarDaysEndingOnWorkingDay(sentAt: Date, days: number, nation: UkNation): string {
  return onOrAfterWorkingDay(addCalendarDays(londonDay(sentAt), days), nation);
}

function checkedDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > 365) throw new RangeError(`A standstill needs a whole number of days from 1 to 365 (got ${days})`);
  return days;
}

/**
 * When the standstill ends after an award decision sent (PCR, below threshold) or a contract award notice
 * published (PA 2023) at `sentAt`, counted on the UK calendar of `nation` (its bank holidays).
 */
export function standstillEnd(ruleSet: RuleSet, sentAt: Date, nation: UkNation = 'England', options: StandstillOptions = {}): Standstill {
  if (ruleSet === 'PA2023_DYNAMIC_MARKET') {
    // s.51(3): eight working days beginning with the first working day after the day the notice is published.
    const lastDay = addWorkingDays(sentAt, PA_STANDSTILL_WORKING_DAYS, nation);
    const required = options.dynamicMarketRequired ?? true;
    const rule = required
      ? 'Procurement Act 2023 section 51: a standstill of 8 working days from the first working day after the contract award notice is published'
      : 'Procurement Act 2023 section 51 does not bind this dynamic-market award (the council\u2019s setting): a voluntary standstill of 8 working days from the first working day after the contract award notice is published, kept as good practice';
    return { end: endOfLondonDay(lastDay), lastDay, required, rule };
  }
  if (ruleSet === 'PCR2015_DPS') {
    // Regulations 86-87 do not bind call-offs from a DPS: the reg 87 period is kept voluntarily.
    const lastDay = calendarDaysEndingOnWorkingDay(sentAt, PCR_STANDSTILL_DAYS, nation);
    const rule =
      'Public Contracts Regulations 2015 regulation 87, kept voluntarily (regulations 86-87 do not bind call-offs from a dynamic purchasing system): until midnight at the end of the 10th day after the award decision was sent electronically, or of the next working day if that day is not one';
    return { end: endOfLondonDay(lastDay), lastDay, required: false, rule };
  }
  const days = checkedDays(options.voluntaryDays ?? DEFAULT_VOLUNTARY_DAYS);
  const lastDay = calendarDaysEndingOnWorkingDay(sentAt, days, nation);
  const rule = `Below threshold no standstill is required: a voluntary standstill until midnight at the end of the ${ordinal(days)} day after the award decision was sent, or of the next working day if that day is not one`;
  return { end: endOfLondonDay(lastDay), lastDay, required: false, rule };
}

/** The contract may be entered only strictly after the standstill has ended. */
export function canEnterContract(end: Date, now: Date): boolean {
  return now.getTime() > end.getTime();
}

/** 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st ... */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}
