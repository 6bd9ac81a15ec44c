// Building every bidder's letter for an approved award, from the completed evaluation's ranking, with the pure
// builders in server/domain/awardLetters.ts. Each bidder's letter is built from only its own assessment and the
// winner's; under PA 2023 the contract award notice (published with the letters) is added to each.
import { AwardLetter as AwardLetterContent, AssessedBid, AwardLetterInput, buildAwardLetter, letterProblems, letterText } from '../domain/awardLetters';
import { formatMoney } from '../domain/money';
import { Standstill } from '../domain/standstill';
import { RuleSet } from '../domain/tenderRules';
import { RankedBid } from './evaluation';

/** The PA 2023 contract award notice as each bidder's letter carries it: the winner and the awarded value only. */
export interface AwardNotice {
  publishedAt: Date;
  councilName: string;
  competitionTitle: string;
  reference: string;
  supplierName: string;
  valuePence: number;
  standstillEnd: Date;
}

export type StoredLetter = AwardLetterContent & { notice?: AwardNotice };

export interface LetterFacts {
  ruleSet: RuleSet;
  competition: { id: string; title: string; reference: string };
  councilName: string;
  scaleMax: number;
  winningBid: string;
  valuePence: number;
  characteristics: string;
  standstill: Standstill;
  sentAt: Date;
  baseUrl: string;
}

function methodText(scaleMax: number): string {
  return `Quality and social value: the evaluators' consensus score on the published scale of 0 to ${scaleMax}, divided by ${scaleMax} and multiplied by the criterion's weight. Price: the lowest price divided by the bid's price, multiplied by the criterion's weight.`;
}

/** A bid's assessment for its letter: weighted points per criterion with the moderated rationale. */
export function assessed(r: RankedBid): AssessedBid {
  return {
    bidId: r.bidId,
    supplierName: r.supplierName,
    total: r.total,
    scores: r.criteria.map((k) => ({
      criterion: k.name,
      score: k.points,
      // a price score is explained by the formula alone: no figure, since the lowest price may be another bidder's
      explanation: k.kind === 'price' ? `Scored by the published price formula: the lowest price divided by this bid's price, multiplied by the weight of ${k.weight}.` : k.rationale,
    })),
  };
}

function inputOf(f: LetterFacts, ranking: RankedBid[]): AwardLetterInput {
  const winner = ranking.find((r) => r.bidId === f.winningBid)!;
  return {
    ruleSet: f.ruleSet,
    competitionTitle: f.competition.title,
    councilName: f.councilName,
    criteria: winner.criteria.map((k) => ({ name: k.name, weight: k.weight })),
    method: methodText(f.scaleMax),
    criteriaUrl: `${f.baseUrl}/supplier/opportunities/${f.competition.id}`,
    winner: assessed(winner),
    characteristics: f.characteristics,
    standstill: { end: f.standstill.end, required: f.standstill.required, rule: f.standstill.rule },
    noticePublishedAt: f.ruleSet === 'PA2023_DYNAMIC_MARKET' ? f.sentAt : undefined,
    sentAt: f.sentAt,
  };
}

/** What stops the letters going out (in words), empty when they can be sent. */
export function problemsOf(f: LetterFacts, ranking: RankedBid[]): string[] {
  if (!ranking.some((r) => r.bidId === f.winningBid)) return ['The awarded bid is no longer in the ranking'];
  return letterProblems(inputOf(f, ranking), ranking.map(assessed));
}

/** The notice in plain text, for the e-mail. */
export function noticeText(n: AwardNotice, longDate: (d: Date) => string): string {
  return [
    '', 'Contract award notice',
    `Published on ${longDate(n.publishedAt)} by ${n.councilName}.`,
    `Contract: ${n.competitionTitle} (${n.reference}).`,
    `Awarded to: ${n.supplierName}.`,
    `Value: ${formatMoney(n.valuePence)} excluding VAT.`,
    `The standstill ends at midnight at the end of ${longDate(n.standstillEnd)} (UK time).`,
  ].join('\n');
}

const longFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
export const longDate = (d: Date) => longFormat.format(d).replace(',', '');

/** One letter per ranked bid: its content (stored) and its plain text (stored and e-mailed). */
export function lettersFor(f: LetterFacts, ranking: RankedBid[]): Array<{ bid: RankedBid; content: StoredLetter; text: string }> {
  const input = inputOf(f, ranking);
  const winner = ranking.find((r) => r.bidId === f.winningBid)!;
  const notice: AwardNotice | undefined = f.ruleSet === 'PA2023_DYNAMIC_MARKET'
    ? { publishedAt: f.sentAt, councilName: f.councilName, competitionTitle: f.competition.title, reference: f.competition.reference, supplierName: winner.supplierName, valuePence: f.valuePence, standstillEnd: f.standstill.end }
    : undefined;
  return ranking.map((bid) => {
    const letter = buildAwardLetter(input, assessed(bid));
    const text = letterText(letter) + (notice ? `\n${noticeText(notice, longDate)}` : '');
    return { bid, content: notice ? { ...letter, notice } : letter, text };
  });
}
