// Clarifications: a supplier's question to the council, answered to every invited supplier without the asker;
// and the council's general updates. Substantial information published less than 6 days before the deadline
// leads to an extension being proposed (tenderRules.proposedExtension); the buyer decides.
import { isValidObjectId, trusted, Types } from 'mongoose';
import { Clarification } from '../../models/Clarification';
import { Organisation } from '../../models/Organisation';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { SessionUser } from '../auth/guards';
import { canAskQuestions, stageOf } from '../domain/competitionState';
import { proposedExtension } from '../domain/tenderRules';
import { recordAudit } from './audit';
import { CompetitionRecord, findInvited, findOwned, formatDeadline } from './competitions';
import { notify, notifyOrganisations, usersOf } from './notifications';

type Actor = Pick<SessionUser, '_id' | 'role' | 'organisation'>;

export const QUESTION_MAX = 5000;
export const ANSWER_MAX = 20000;
export const UPDATE_TITLE_MAX = 200;

/** What a supplier may see of a published clarification or update: never who asked. */
export interface PublishedClarification {
  id: string;
  kind: 'question' | 'update';
  question: string;
  answer: string;
  publishedAt: Date;
  substantial: boolean;
}

/** Published questions and updates, newest first; the projection leaves out the asker entirely. */
export async function publishedClarifications(competitionId: unknown): Promise<PublishedClarification[]> {
  const rows = await Clarification.find({ competition: competitionId, status: 'published' } as any, { kind: 1, publishedQuestion: 1, answer: 1, publishedAt: 1, substantial: 1 })
    .sort({ publishedAt: -1, _id: -1 }).lean();
  return rows.map((r) => ({ id: String(r._id), kind: r.kind as 'question' | 'update', question: r.publishedQuestion ?? '', answer: r.answer ?? '', publishedAt: r.publishedAt!, substantial: !!r.substantial }));
}

/** A supplier's own questions still awaiting an answer (only theirs: other suppliers' questions stay private). */
export async function ownQuestionsAwaiting(competitionId: unknown, supplierId: unknown) {
  const rows = await Clarification.find({ competition: competitionId, kind: 'question', status: 'awaiting answer', askedBy: supplierId } as any, { question: 1, askedAt: 1 })
    .sort({ askedAt: 1, _id: 1 }).lean();
  return rows.map((r) => ({ id: String(r._id), question: r.question, askedAt: r.askedAt! }));
}

/** Questions awaiting an answer, oldest first, with the asking supplier's name (the buyer may see who asked). */
export async function questionsAwaiting(competitionId: unknown) {
  const rows = await Clarification.find({ competition: competitionId, kind: 'question', status: 'awaiting answer' } as any).sort({ askedAt: 1, _id: 1 }).lean();
  const names = new Map((await Organisation.find({ _id: trusted({ $in: rows.map((r) => r.askedBy) }) } as any, { name: 1 }).lean()).map((o) => [String(o._id), o.name]));
  return rows.map((r) => ({ id: String(r._id), question: r.question, askedAt: r.askedAt!, askedBy: names.get(String(r.askedBy)) ?? 'A supplier' }));
}

export type AskOutcome = { outcome: 'asked'; id: string } | { outcome: 'missing' } | { outcome: 'closed' };

/**
 * Records a supplier's question (strictly before the clarification deadline) and tells the council's buyers that
 * one is waiting; the message names no supplier.
 */
export async function askQuestion(clock: Clock, mailer: Mailer, baseUrl: string, user: Actor, id: string, text: string): Promise<AskOutcome> {
  const c = await findInvited(user, id);
  if (!c) return { outcome: 'missing' };
  const now = clock.now();
  if (!canAskQuestions(c, now)) return { outcome: 'closed' };
  const q = await Clarification.create({ competition: c._id, kind: 'question', status: 'awaiting answer', question: text, askedBy: user.organisation, askedByUser: user._id, askedAt: now });
  await recordAudit(clock, { actor: user, action: 'clarification.asked', targetType: 'Clarification', targetId: q._id, details: { competition: String(c._id), reference: c.reference } });
  await notify(clock, mailer, baseUrl, await usersOf([c.council], 'buyer'), {
    title: `Clarification question to answer: ${c.title} (${c.reference})`,
    body: [`A supplier has asked a clarification question about \u201c${c.title}\u201d.`, `Question: ${text}`, 'Answer it in the service: the answer is published to every invited supplier without the asker\u2019s name.'].join('\n\n'),
    link: `/buyer/competitions/${c._id}/clarifications/${q._id}/answer`,
  });
  return { outcome: 'asked', id: String(q._id) };
}

/** The council can publish answers and updates while the competition is open for bids. */
export function publishingRefusal(c: CompetitionRecord, now: Date): 'cancelled' | 'passed' | 'not-published' | undefined {
  if (c.status === 'cancelled') return 'cancelled';
  if (c.status !== 'published') return 'not-published';
  return stageOf(c, now) === 'open' ? undefined : 'passed';
}

/** One of the competition's questions still awaiting an answer, or null. */
export async function questionToAnswer(competitionId: unknown, cid: unknown) {
  if (typeof cid !== 'string' || !isValidObjectId(cid)) return null;
  return Clarification.findOne({ _id: cid, competition: competitionId, kind: 'question' } as any).lean();
}

export interface Answer {
  publishedQuestion: string;
  answer: string;
  substantial: boolean;
}

export type PublishOutcome =
  | { outcome: 'published'; id: string; told: number }
  | { outcome: 'missing' }
  | { outcome: 'already' }
  | { outcome: 'cancelled' | 'passed' | 'not-published' };

/** Publishes the answer to a question (with the question as the buyer reworded it) to every invited supplier. */
export async function answerQuestion(clock: Clock, mailer: Mailer, baseUrl: string, user: Actor, id: string, cid: string, input: Answer): Promise<PublishOutcome> {
  const c = await findOwned(user, id);
  if (!c) return { outcome: 'missing' };
  const q = await questionToAnswer(c._id, cid);
  if (!q) return { outcome: 'missing' };
  if (q.status !== 'awaiting answer') return { outcome: 'already' };
  const now = clock.now();
  const refusal = publishingRefusal(c, now);
  if (refusal) return { outcome: refusal };
  const updated = await Clarification.findOneAndUpdate(
    { _id: q._id, status: 'awaiting answer' },
    { $set: { status: 'published', publishedQuestion: input.publishedQuestion, answer: input.answer, substantial: input.substantial, answeredBy: user._id, publishedAt: now } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) return { outcome: 'already' };
  await recordAudit(clock, {
    actor: user, action: 'clarification.published', targetType: 'Clarification', targetId: q._id,
    details: { competition: String(c._id), reference: c.reference, substantial: input.substantial, reworded: input.publishedQuestion !== q.question },
  });
  await tellInvited(clock, mailer, baseUrl, c, `Clarification published: ${c.title} (${c.reference})`,
    [`The council has answered a clarification question about \u201c${c.title}\u201d.`, `Question: ${input.publishedQuestion}`, `Answer: ${input.answer}`], input.substantial);
  return { outcome: 'published', id: String(q._id), told: c.invited.length };
}

export interface Update {
  title: string;
  text: string;
  substantial: boolean;
}

/** Publishes a general update from the council to every invited supplier. */
export async function publishUpdate(clock: Clock, mailer: Mailer, baseUrl: string, user: Actor, id: string, input: Update): Promise<PublishOutcome> {
  const c = await findOwned(user, id);
  if (!c) return { outcome: 'missing' };
  const now = clock.now();
  const refusal = publishingRefusal(c, now);
  if (refusal) return { outcome: refusal };
  const u = await Clarification.create({
    competition: c._id, kind: 'update', status: 'published', question: input.title, publishedQuestion: input.title, answer: input.text,
    substantial: input.substantial, answeredBy: user._id, publishedAt: now,
  });
  await recordAudit(clock, { actor: user, action: 'competition.update-published', targetType: 'Clarification', targetId: u._id, details: { competition: String(c._id), reference: c.reference, substantial: input.substantial } });
  await tellInvited(clock, mailer, baseUrl, c, `Update: ${input.title} \u2013 ${c.title} (${c.reference})`,
    [`The council has published an update about \u201c${c.title}\u201d.`, input.title, input.text], input.substantial);
  return { outcome: 'published', id: String(u._id), told: c.invited.length };
}

async function tellInvited(clock: Clock, mailer: Mailer, baseUrl: string, c: CompetitionRecord, title: string, paragraphs: string[], substantial: boolean) {
  const body = [...paragraphs, ...(substantial ? ['The council considers this substantial new information.'] : []), `Submission deadline: ${formatDeadline(c.deadline!)}.`];
  await notifyOrganisations(clock, mailer, baseUrl, c.invited, { title, body: body.join('\n\n'), link: `/supplier/opportunities/${c._id}` }, 'supplier');
}

/**
 * A published clarification or update of the competition with the deadline extension it calls for now: substantial
 * information that went out less than 6 days before the CURRENT deadline (none once the deadline has been moved).
 */
export async function publishedWithProposal(c: CompetitionRecord, cid: unknown): Promise<{ item: PublishedClarification; proposed?: Date } | null> {
  if (typeof cid !== 'string' || !isValidObjectId(cid)) return null;
  const r = await Clarification.findOne({ _id: new Types.ObjectId(cid), competition: c._id, status: 'published' } as any).lean();
  if (!r) return null;
  const item: PublishedClarification = { id: String(r._id), kind: r.kind as 'question' | 'update', question: r.publishedQuestion ?? '', answer: r.answer ?? '', publishedAt: r.publishedAt!, substantial: !!r.substantial };
  const proposed = item.substantial && c.status === 'published' && c.deadline ? proposedExtension(c.deadline, item.publishedAt) : undefined;
  return { item, proposed };
}
