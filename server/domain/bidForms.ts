// The supplier's bid forms as rules: reading and checking each section's answers (word limits, the price and its
// breakdown, a social-value commitment), what a bid still needs before it can be submitted, and whether bids can
// change at all. Pure: no I/O, no clock (the caller passes `now`).
import { BidContent, CommitmentLine, commitmentValue, PriceLine } from './bidContent';
import { formatMoney, parsePounds } from './money';
import { stageOf, StageInput } from './competitionState';

export type Errors = Record<string, string>;

/** Whether a bid may change: open (strictly before the deadline), closed (at or after it), or cancelled. */
export type BidWindow = 'open' | 'closed' | 'cancelled';

export function bidWindow(c: StageInput, now: Date): BidWindow {
  const stage = stageOf(c, now);
  if (stage === 'open') return 'open';
  return stage === 'cancelled' ? 'cancelled' : 'closed';
}

/** Words as the GOV.UK character count component counts them: runs of non-space characters. */
export function countWords(text: string): number {
  return (String(text).match(/\S+/g) ?? []).length;
}

export interface QuestionRef {
  _id: unknown;
  text: string;
  wordLimit: number;
}

/** An answer's form field (and element id). */
export const answerField = (q: QuestionRef) => `answer-${String(q._id)}`;
export const MAX_ANSWER_CHARS = 50_000;

const plural = (n: number, word: string) => `${n.toLocaleString('en-GB')} ${word}${n === 1 ? '' : 's'}`;

function answerLimitProblem(q: QuestionRef, n: number, text: string): string | undefined {
  if (text.length > MAX_ANSWER_CHARS) return `Your answer to question ${n} must be ${MAX_ANSWER_CHARS.toLocaleString('en-GB')} characters or fewer`;
  const words = countWords(text);
  if (words > q.wordLimit) return `Your answer to question ${n} must be ${plural(q.wordLimit, 'word')} or fewer (it has ${plural(words, 'word')})`;
  return undefined;
}

/**
 * The answers posted for each question (blank answers are kept blank: sections are saved as drafts). Values are
 * echoed back as typed, so nothing is lost when a limit is exceeded.
 */
export function readAnswers(questions: QuestionRef[], body: Record<string, unknown>): { values: Record<string, string>; answers: Record<string, string>; errors: Errors } {
  const values: Record<string, string> = {};
  const answers: Record<string, string> = {};
  const errors: Errors = {};
  questions.forEach((q, i) => {
    const field = answerField(q);
    const raw = body[field];
    const text = typeof raw === 'string' ? raw.replace(/\r\n/g, '\n') : '';
    values[field] = text;
    const problem = answerLimitProblem(q, i + 1, text);
    if (problem) errors[field] = problem;
    if (text.trim()) answers[String(q._id)] = text.trim();
  });
  return { values, answers, errors };
}

/** The breakdown's line slots on the price page (blank ones are ignored). */
export const PRICE_SLOTS = 10;
export const MAX_ITEM_CHARS = 200;

export function readPrice(body: Record<string, unknown>): { values: Record<string, string>; price?: BidContent['price']; errors: Errors } {
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const values: Record<string, string> = { total: str('total') };
  const errors: Errors = {};
  let totalPence: number | undefined;
  if (!values.total.trim()) errors.total = 'Enter the total price';
  else {
    const parsed = parsePounds(values.total, 'Total price');
    if ('error' in parsed) errors.total = parsed.error;
    else if (parsed.pence === 0) errors.total = 'Total price must be more than £0';
    else totalPence = parsed.pence;
  }
  const breakdown: PriceLine[] = [];
  for (let i = 1; i <= PRICE_SLOTS; i++) {
    const item = (values[`item-${i}`] = str(`item-${i}`)).trim();
    const amount = (values[`amount-${i}`] = str(`amount-${i}`)).trim();
    if (!item && !amount) continue;
    if (!item) errors[`item-${i}`] = `Enter what line ${i} of the breakdown is for`;
    else if (item.length > MAX_ITEM_CHARS) errors[`item-${i}`] = `Line ${i}: the item must be ${MAX_ITEM_CHARS} characters or fewer`;
    if (!amount) { errors[`amount-${i}`] = `Enter the amount for line ${i} of the breakdown`; continue; }
    const parsed = parsePounds(amount, `Line ${i}: the amount`);
    if ('error' in parsed) errors[`amount-${i}`] = parsed.error;
    else if (item && item.length <= MAX_ITEM_CHARS) breakdown.push({ item, pence: parsed.pence });
  }
  if (Object.keys(errors).length === 0 && breakdown.length > 0) {
    const sum = breakdown.reduce((s, l) => s + l.pence, 0);
    if (sum !== totalPence) errors.breakdown = `The breakdown adds up to ${formatMoney(sum)} but the total price is ${formatMoney(totalPence!)}. Make them the same`;
  }
  if (Object.keys(errors).length) return { values, errors };
  return { values, price: { totalPence: totalPence!, breakdown }, errors };
}

/** A quantity of a measure's unit: more than 0, at most 2 decimal places. */
export function parseQuantity(text: string): { quantity: number } | { error: string } {
  const t = String(text ?? '').replace(/[,\s]/g, '');
  if (!t) return { error: 'Enter the quantity you commit to' };
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(t)) return { error: 'Quantity must be a number with up to 2 decimal places, like 12 or 7.5' };
  const quantity = Number(t);
  if (quantity <= 0) return { error: 'Quantity must be more than 0' };
  if (quantity > 1_000_000_000) return { error: 'Quantity must be 1,000,000,000 or less' };
  return { quantity };
}

export interface MeasureRef {
  code: string;
  description: string;
  unit: string;
  proxyValuePence: number;
  proxyYear: number;
}

export const MAX_COMMITMENTS = 20;

/** A commitment from the form: a measure of the catalogue and a quantity; the line keeps a snapshot of the measure. */
export function readCommitment(body: Record<string, unknown>, measures: MeasureRef[]): { values: Record<string, string>; line?: CommitmentLine; errors: Errors } {
  const values = { measure: typeof body.measure === 'string' ? body.measure : '', quantity: typeof body.quantity === 'string' ? body.quantity : '' };
  const errors: Errors = {};
  const measure = measures.find((m) => m.code === values.measure);
  if (!measure) errors.measure = 'Select a social value measure';
  const q = parseQuantity(values.quantity);
  if ('error' in q) errors.quantity = q.error;
  if (!measure || 'error' in q) return { values, errors };
  const { code, description, unit, proxyValuePence, proxyYear } = measure;
  return { values, errors, line: { code, description, unit, quantity: q.quantity, proxyValuePence, proxyYear, valuePence: commitmentValue(q.quantity, proxyValuePence) } };
}

export function commitmentsTotal(lines: CommitmentLine[]): number {
  return lines.reduce((s, l) => s + l.valuePence, 0);
}

export interface SubmissionProblem {
  /** the bid section that fixes it: answers or price */
  section: 'answers' | 'price';
  /** the field on that section's page */
  field: string;
  text: string;
}

/** What stops a bid being submitted: every question answered within its word limit, and a price. */
export function submissionProblems(questions: QuestionRef[], content: BidContent): SubmissionProblem[] {
  const problems: SubmissionProblem[] = [];
  questions.forEach((q, i) => {
    const text = content.answers[String(q._id)] ?? '';
    if (!text.trim()) problems.push({ section: 'answers', field: answerField(q), text: `Answer question ${i + 1}: ${q.text}` });
    else {
      const problem = answerLimitProblem(q, i + 1, text);
      if (problem) problems.push({ section: 'answers', field: answerField(q), text: problem });
    }
  });
  if (content.price.totalPence == null) problems.push({ section: 'price', field: 'total', text: 'Enter your total price' });
  return problems;
}
