// Bids through the front door: a supplier saves each section and submits through the real routes (CSRF on),
// as a browser would. For tests of the supplier's bid and of the tender box that needs real bids in it.
import { expect } from 'chai';
import request from 'supertest';
import * as cheerio from 'cheerio';
import { csrfFrom, signIn, submit, TestApp, TestUser } from './app';

export const bidUrl = (competitionId: string, rest = '') => `/supplier/opportunities/${competitionId}/bid${rest}`;

export interface TestBidOptions {
  /** an agent already signed in as the supplier (else one is signed in) */
  agent?: request.Agent;
  /** one answer per question, in order (default: a short answer naming the supplier) */
  answers?: string[];
  /** the total in pounds (default 12000) */
  price?: string;
  breakdown?: Array<{ item: string; amount: string }>;
  attachment?: { name: string; bytes: Buffer };
}

export interface SubmittedTestBid {
  agent: request.Agent;
  version: number;
  receiptPath: string;
}

/** The answer fields of the competition's answers page, in question order. */
export async function answerFields(agent: request.Agent, competitionId: string): Promise<string[]> {
  const res = await agent.get(bidUrl(competitionId, '/answers'));
  expect(res.status, 'answers page').to.equal(200);
  return cheerio.load(res.text)('textarea').map((_, el) => cheerio.load(el)('textarea').attr('name')).get();
}

export async function saveAnswers(agent: request.Agent, competitionId: string, answers: string[]) {
  const fields = await answerFields(agent, competitionId);
  return submit(agent, bidUrl(competitionId, '/answers'), Object.fromEntries(fields.map((f, i) => [f, answers[i] ?? ''])));
}

export async function savePrice(agent: request.Agent, competitionId: string, total: string, breakdown: Array<{ item: string; amount: string }> = []) {
  const fields: Record<string, string> = { total };
  breakdown.forEach((l, i) => {
    fields[`item-${i + 1}`] = l.item;
    fields[`amount-${i + 1}`] = l.amount;
  });
  return submit(agent, bidUrl(competitionId, '/price'), fields);
}

/** Uploads one attachment (multipart, with the form's CSRF token). */
export async function uploadAttachment(agent: request.Agent, competitionId: string, name: string, bytes: Buffer) {
  const path = bidUrl(competitionId, '/attachments');
  const token = await csrfFrom(agent, path);
  return agent.post(path).field('_csrf', token).attach('file', bytes, { filename: name, contentType: 'application/octet-stream' });
}

/** The review page's hidden revision, and posting it to submit (extra fields are sent too: they must be ignored). */
export async function submitFromReview(agent: request.Agent, competitionId: string, extra: Record<string, string> = {}) {
  const page = await agent.get(bidUrl(competitionId, '/review'));
  const $ = cheerio.load(page.text);
  const revision = $('input[name=revision]').val();
  const _csrf = $('input[name=_csrf]').first().val();
  if (typeof revision !== 'string' || typeof _csrf !== 'string') throw new Error(`no submit form on the review page (status ${page.status})`);
  return agent.post(bidUrl(competitionId, '/submit')).type('form').send({ ...extra, revision, _csrf });
}

/** Saves answers, a price (and optionally an attachment) and submits; checks it reached a receipt. */
export async function submitBidThroughRoutes(t: TestApp, supplier: TestUser, competitionId: string, opts: TestBidOptions = {}): Promise<SubmittedTestBid> {
  const agent = opts.agent ?? (await signIn(t, supplier));
  const fields = await answerFields(agent, competitionId);
  const answers = opts.answers ?? fields.map((_, i) => `Answer ${i + 1} from ${supplier.email}.`);
  expect((await saveAnswers(agent, competitionId, answers)).status, 'save answers').to.equal(303);
  expect((await savePrice(agent, competitionId, opts.price ?? '12000', opts.breakdown)).status, 'save price').to.equal(303);
  if (opts.attachment) expect((await uploadAttachment(agent, competitionId, opts.attachment.name, opts.attachment.bytes)).status, 'upload').to.equal(303);
  const res = await submitFromReview(agent, competitionId);
  expect(res.status, 'submit').to.equal(303);
  const m = /\/receipts\/(\d+)$/.exec(String(res.headers.location));
  if (!m) throw new Error(`submit did not lead to a receipt: ${res.headers.location}`);
  return { agent, version: Number(m[1]), receiptPath: res.headers.location };
}
