// What each bidder's award letter says (domain.md section 3), as plain data the pages and e-mails render:
// PCR 2015 reg 86 (kept for below-threshold awards as good practice) and the PA 2023 assessment summary
// (Procurement Regulations 2024 reg 31). A letter is built from the recipient's own assessment and the winner's
// only, and copies named fields rather than spreading inputs, so another losing bidder's name, price, scores or
// answers can never reach it.
import { RULE_SET_NAMES, RuleSet } from './tenderRules';
import { londonDay } from './workingDays';

/** An award criterion as published: its name and weight (whole percent). */
export interface LetterCriterion {
  name: string;
  weight: number;
}

/** One criterion's weighted score for a bid (out of the criterion's weight), with the moderated explanation. */
export interface CriterionScore {
  criterion: string;
  score: number;
  explanation?: string;
}

/** A bid as assessed (the minimal shape of the scoring result this module needs). */
export interface AssessedBid {
  bidId: string;
  supplierName: string;
  scores: CriterionScore[];
  total: number;
  /** PA 2023 reg 31(3)(c): any further explanation of why the contract is not awarded to this bidder */
  notAwardedReason?: string;
}

export interface AwardLetterInput {
  ruleSet: RuleSet;
  competitionTitle: string;
  councilName: string;
  criteria: LetterCriterion[];
  /** how the criteria were scored, in words (the scale, the price formula) */
  method: string;
  /** where the full award criteria can be read */
  criteriaUrl?: string;
  winner: AssessedBid;
  /** the characteristics and relative advantages of the winning bid, written by the buyer */
  characteristics: string;
  standstill: { end: Date; required: boolean; rule: string };
  /** PA 2023: when the contract award notice is published (it starts the standstill) */
  noticePublishedAt?: Date;
  sentAt: Date;
}

export interface LetterRow {
  criterion: string;
  weight: number;
  /** undefined where the criterion was not assessed for this bid */
  yourScore?: number;
  yourExplanation?: string;
  /** the winner's, in a letter to an unsuccessful bidder */
  winnerScore?: number;
  winnerExplanation?: string;
}

export interface AwardLetter {
  ruleSet: RuleSet;
  kind: 'award-decision' | 'assessment-summary';
  won: boolean;
  competitionTitle: string;
  councilName: string;
  recipientName: string;
  winnerName: string;
  rows: LetterRow[];
  yourTotal: number;
  winnerTotal?: number;
  maxTotal: number;
  method: string;
  criteriaUrl?: string;
  characteristics?: string;
  notAwardedReason?: string;
  standstill: { end: Date; lastDay: string; required: boolean; rule: string };
  noticePublishedAt?: Date;
  sentAt: Date;
}

function scoreOf(bid: AssessedBid, criterion: string): CriterionScore | undefined {
  return bid.scores.find((s) => s.criterion === criterion);
}

function clean(text: string | undefined): string | undefined {
  const t = text?.trim();
  return t ? t : undefined;
}

/** The letter to one bidder. Only `recipient` and `input.winner` are read for bidder data. */
export function buildAwardLetter(input: AwardLetterInput, recipient: AssessedBid): AwardLetter {
  const won = recipient.bidId === input.winner.bidId;
  const summary = input.ruleSet === 'PA2023_DYNAMIC_MARKET';
  const rows: LetterRow[] = input.criteria.map((c) => {
    const mine = scoreOf(recipient, c.name);
    const row: LetterRow = { criterion: c.name, weight: c.weight, yourScore: mine?.score, yourExplanation: clean(mine?.explanation) };
    if (!won) {
      const theirs = scoreOf(input.winner, c.name);
      row.winnerScore = theirs?.score;
      // Reg 31(3) gives the winning tender's explanation too; a reg 86 letter gives its scores and advantages.
      if (summary) row.winnerExplanation = clean(theirs?.explanation);
    }
    return row;
  });
  return {
    ruleSet: input.ruleSet,
    kind: summary ? 'assessment-summary' : 'award-decision',
    won,
    competitionTitle: input.competitionTitle,
    councilName: input.councilName,
    recipientName: recipient.supplierName,
    winnerName: input.winner.supplierName,
    rows,
    yourTotal: recipient.total,
    winnerTotal: won ? undefined : input.winner.total,
    maxTotal: input.criteria.reduce((sum, c) => sum + c.weight, 0),
    method: input.method,
    criteriaUrl: input.criteriaUrl,
    characteristics: won ? undefined : clean(input.characteristics),
    notAwardedReason: won ? undefined : clean(recipient.notAwardedReason),
    standstill: { end: input.standstill.end, lastDay: londonDay(input.standstill.end), required: input.standstill.required, rule: input.standstill.rule },
    noticePublishedAt: summary ? input.noticePublishedAt : undefined,
    sentAt: input.sentAt,
  };
}

/** One letter per assessed bid, the winner's included. */
export function buildAwardLetters(input: AwardLetterInput, bids: AssessedBid[]): AwardLetter[] {
  return bids.map((bid) => buildAwardLetter(input, bid));
}

/** What stops the letters going out, in words for the buyer's page (empty when they can be sent). */
export function letterProblems(input: AwardLetterInput, bids: AssessedBid[]): string[] {
  const problems: string[] = [];
  if (!bids.some((b) => b.bidId === input.winner.bidId)) problems.push('The winning bid is not among the assessed bids');
  if (input.ruleSet !== 'PA2023_DYNAMIC_MARKET' && !clean(input.characteristics)) {
    problems.push('Describe the characteristics and relative advantages of the winning bid');
  }
  // The characteristics go to every unsuccessful bidder: naming another one would disclose it.
  const text = input.characteristics.toLowerCase();
  for (const bid of bids) {
    if (bid.bidId !== input.winner.bidId && bid.supplierName.trim() && text.includes(bid.supplierName.trim().toLowerCase())) {
      problems.push(`The characteristics of the winning bid must not name another bidder (${bid.supplierName})`);
    }
  }
  for (const bid of bids) {
    for (const c of input.criteria) {
      const s = scoreOf(bid, c.name);
      if (!s) problems.push(`${bid.supplierName} has no score for ${c.name}`);
      else if (input.ruleSet === 'PA2023_DYNAMIC_MARKET' && !clean(s.explanation)) problems.push(`Explain the score for ${c.name} of ${bid.supplierName}\u2019s bid`);
    }
  }
  if (input.ruleSet === 'PA2023_DYNAMIC_MARKET' && !input.noticePublishedAt) problems.push('Give the date the contract award notice is published');
  return problems;
}

const longDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

/** 'Monday 16 November 2026' (the GOV.UK style, no comma), on the UK calendar. */
function longDate(at: Date): string {
  const part = (type: string) => longDateFormat.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('day')} ${part('month')} ${part('year')}`;
}

/** A weighted score to at most two decimal places. */
export function formatPoints(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function scoreLine(label: string, score: number | undefined, weight: number): string {
  return `  ${label}: ${score === undefined ? 'not assessed' : `${formatPoints(score)} out of ${weight}`}`;
}

/** The plain-text e-mail body of a letter. */
export function letterText(letter: AwardLetter): string {
  const summary = letter.kind === 'assessment-summary';
  const lines: string[] = [
    `Dear ${letter.recipientName},`,
    '',
    `${summary ? 'Assessment summary' : 'Award decision'}: ${letter.competitionTitle}`,
    `From ${letter.councilName}, under the ${RULE_SET_NAMES[letter.ruleSet]}.`,
    '',
    letter.won
      ? 'Your bid was the most advantageous on the published criteria: the council intends to award the contract to you.'
      : `Your bid was not successful. The council intends to award the contract to ${letter.winnerName}.`,
    '',
    'How bids were scored',
    letter.method,
  ];
  if (letter.criteriaUrl) lines.push(`The full award criteria: ${letter.criteriaUrl}`);
  lines.push('', 'Scores per criterion (weighted)');
  for (const row of letter.rows) {
    lines.push('', `${row.criterion} (weight ${row.weight}%)`, scoreLine('Your score', row.yourScore, row.weight));
    if (row.yourExplanation) lines.push(`  Why: ${row.yourExplanation}`);
    if (!letter.won) {
      lines.push(scoreLine('Winning bid\u2019s score', row.winnerScore, row.weight));
      if (row.winnerExplanation) lines.push(`  Why: ${row.winnerExplanation}`);
    }
  }
  lines.push('', `Your total: ${formatPoints(letter.yourTotal)} out of ${letter.maxTotal}`);
  if (letter.winnerTotal !== undefined) lines.push(`Winning bid\u2019s total: ${formatPoints(letter.winnerTotal)} out of ${letter.maxTotal}`);
  if (letter.characteristics) lines.push('', 'Characteristics and relative advantages of the winning bid', letter.characteristics);
  if (letter.notAwardedReason) lines.push('', 'Why the contract is not awarded to you', letter.notAwardedReason);
  lines.push('', 'Standstill');
  if (summary && letter.noticePublishedAt) {
    lines.push(`The contract award notice is published on ${longDate(letter.noticePublishedAt)}; it starts the standstill.`);
  }
  lines.push(
    `The standstill ends at midnight at the end of ${longDate(letter.standstill.end)} (UK time).${letter.standstill.required ? '' : ' It is voluntary: the rules do not require one here.'}`,
    /[.!?]$/.test(letter.standstill.rule) ? letter.standstill.rule : `${letter.standstill.rule}.`,
    'The council will not enter into the contract before the standstill ends.',
  );
  return lines.join('\n');
}
