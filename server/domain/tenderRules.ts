// Mini-competition rules (issue 5): rule-sets, the minimum time for tenders, award criteria weights, and when
// late clarifications call for a longer deadline. Pure functions: the caller passes the instants.

export const RULE_SETS = ['PCR2015_DPS', 'PA2023_DYNAMIC_MARKET', 'BELOW_THRESHOLD'] as const;
export type RuleSet = (typeof RULE_SETS)[number];

export const RULE_SET_NAMES: Record<RuleSet, string> = {
  PCR2015_DPS: 'Public Contracts Regulations 2015 (dynamic purchasing system)',
  PA2023_DYNAMIC_MARKET: 'Procurement Act 2023 (dynamic market)',
  BELOW_THRESHOLD: 'Below threshold (the council\u2019s contract procedure rules)',
};

const DAY_MS = 24 * 60 * 60 * 1000;
export const MIN_TENDER_DAYS = 10;
export const SOCIAL_VALUE_MIN_WEIGHT = 10;
export const LATE_INFORMATION_DAYS = 6;

export interface DeadlineSettings {
  /** the council's minimum for below-threshold competitions, in days (from its settings) */
  belowThresholdMinDays: number;
}

export interface DeadlineCheck {
  ok: boolean;
  /** the earliest deadline the rule allows */
  earliest: Date;
  /** the rule applied, in words, for the page */
  rule: string;
}

/**
 * Checks a submission deadline against the rule-set: at least 10 days from publication under PCR 2015 (reg 34)
 * and PA 2023 (s.54), the council's own minimum below threshold. Under PCR a shorter deadline agreed with every
 * invited supplier is allowed, but only with that agreement recorded.
 */
export function checkTenderDeadline(ruleSet: RuleSet, publishedAt: Date, deadline: Date, settings: DeadlineSettings, agreementRecorded = false): DeadlineCheck {
  if (ruleSet === 'BELOW_THRESHOLD') {
    const days = settings.belowThresholdMinDays;
    const earliest = new Date(publishedAt.getTime() + days * DAY_MS);
    return { ok: deadline >= earliest, earliest, rule: `Below threshold: the council\u2019s contract procedure rules need at least ${days} days from publication` };
  }
  const earliest = new Date(publishedAt.getTime() + MIN_TENDER_DAYS * DAY_MS);
  if (ruleSet === 'PCR2015_DPS') {
    if (agreementRecorded && deadline > publishedAt) {
      return { ok: true, earliest: publishedAt, rule: 'PCR 2015 regulation 34: a shorter deadline agreed with all invited suppliers (agreement recorded)' };
    }
    return { ok: deadline >= earliest, earliest, rule: 'PCR 2015 regulation 34: at least 10 days from the invitation, unless a shorter deadline is agreed with all invited suppliers' };
  }
  return { ok: deadline >= earliest, earliest, rule: 'Procurement Act 2023 section 54: at least 10 days from the invitation' };
}

export const CRITERION_KINDS = ['quality', 'price', 'social-value'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

export interface CriterionInput {
  name: string;
  kind: CriterionKind;
  /** whole percent */
  weight: number;
}

/** Problems with a set of award criteria, in words for the page (empty when they are acceptable). */
export function criteriaProblems(criteria: CriterionInput[], socialValueReason?: string): string[] {
  const problems: string[] = [];
  if (criteria.length === 0) return ['Add at least one award criterion'];
  if (criteria.some((c) => !Number.isInteger(c.weight) || c.weight <= 0 || c.weight > 100)) problems.push('Each weight must be a whole percentage from 1 to 100');
  const total = criteria.reduce((s, c) => s + c.weight, 0);
  if (total !== 100) problems.push(`The weights must total 100% (they total ${total}%)`);
  if (criteria.filter((c) => c.kind === 'price').length > 1) problems.push('Use one price criterion');
  const social = criteria.filter((c) => c.kind === 'social-value').reduce((s, c) => s + c.weight, 0);
  if (social < SOCIAL_VALUE_MIN_WEIGHT && !socialValueReason?.trim()) {
    problems.push(`Social value must be weighted at least ${SOCIAL_VALUE_MIN_WEIGHT}%, or record why not`);
  }
  return problems;
}

/**
 * Substantial information published less than 6 days before the deadline should extend it in proportion:
 * the deadline proposed is 6 days after the information went out (undefined when no extension is due).
 */
export function proposedExtension(deadline: Date, informationAt: Date): Date | undefined {
  if (informationAt >= deadline) return undefined;
  if (deadline.getTime() - informationAt.getTime() >= LATE_INFORMATION_DAYS * DAY_MS) return undefined;
  return new Date(informationAt.getTime() + LATE_INFORMATION_DAYS * DAY_MS);
}

/** Open for bids strictly before the deadline: a bid at the deadline instant is late (security.md J29). */
export function isOpenForBids(deadline: Date, now: Date): boolean {
  return now.getTime() < deadline.getTime();
}
