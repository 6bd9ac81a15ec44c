// Deadline reminders: invited suppliers with no submitted bid hear three working days and one day before the
// deadline; the council's buyers hear once it has passed and the tender box can be opened. Run by the scheduler.
// Every send is claimed first with a ScheduledSend (unique job + key), so it goes out once however many
// processes run this and however often they restart; the key carries the deadline, so a changed deadline
// earns fresh reminders.
import { Types, trusted } from 'mongoose';
import { Bid } from '../../models/Bid';
import { Competition } from '../../models/Competition';
import { Organisation } from '../../models/Organisation';
import { ScheduledSend } from '../../models/ScheduledSend';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { deadlinePassed, dueReminder, LOOK_AHEAD_MS, LOOK_BACK_MS, nationOf, REMINDER_JOBS, ReminderKind } from '../domain/reminderSchedule';
import { recordAudit } from './audit';
import { formatDeadline } from './competitions';
import { Message, notify, usersOf } from './notifications';

export interface ReminderSummary {
  /** published competitions whose deadline is near enough to look at */
  competitions: number;
  /** supplier reminders sent (one per supplier organisation) */
  reminders: number;
  /** buyers' "deadline passed" notices sent (one per competition) */
  deadlineNotices: number;
  /** sends found already claimed by an earlier or parallel run, so skipped */
  alreadySent: number;
  /** e-mail addresses whose mail failed (the notification in the service was still written) */
  emailFailed: string[];
}

interface Due {
  _id: Types.ObjectId;
  title: string;
  reference: string;
  council: Types.ObjectId;
  invited: Types.ObjectId[];
  deadline: Date;
  publishedAt?: Date | null;
}

/** Claims one send; false when it was claimed before (a duplicate key: someone already sent it). */
async function claim(job: string, key: string, at: Date): Promise<boolean> {
  try {
    await ScheduledSend.create({ job, key, at });
    return true;
  } catch (err: any) {
    if (err?.code === 11000) return false;
    throw err;
  }
}

/** Sends a claimed message; if sending fails outright the claim is released so a later run tries again. */
async function sendClaimed(job: string, key: string, send: () => Promise<string[]>): Promise<string[]> {
  try {
    return await send();
  } catch (err) {
    await ScheduledSend.deleteOne({ job, key });
    throw err;
  }
}

function supplierMessage(c: Due, kind: ReminderKind): Message {
  const when = kind === 'oneDay' ? 'one day' : 'three working days';
  return {
    title: `Reminder: ${when} left to bid for ${c.title}`,
    body: `The deadline for bids for ${c.title} (${c.reference}) is ${formatDeadline(c.deadline)} (UK time). `
      + 'Your organisation has not submitted a bid yet. Bids cannot be submitted, changed or withdrawn at or after the deadline.',
    link: `/supplier/opportunities/${c._id}/bid`,
  };
}

function buyerMessage(c: Due): Message {
  return {
    title: `Deadline passed: ${c.title}`,
    body: `The deadline for bids for ${c.title} (${c.reference}) passed at ${formatDeadline(c.deadline)} (UK time). `
      + 'The tender box can now be opened: it takes two authorised people.',
    link: `/buyer/competitions/${c._id}/tender-box`,
  };
}

async function remindSuppliers(clock: Clock, mailer: Mailer, baseUrl: string, c: Due, kind: ReminderKind, summary: ReminderSummary): Promise<void> {
  // A supplier whose current version is submitted has bid; withdrawn or superseded-only counts as no bid.
  const bidders = await Bid.find({ competition: c._id, 'versions.status': 'submitted' }, { supplier: 1 }).lean();
  const hasBid = new Set(bidders.map((b) => String(b.supplier)));
  const job = REMINDER_JOBS[kind];
  let sent = 0;
  for (const supplier of c.invited.filter((s) => !hasBid.has(String(s)))) {
    const key = `${c._id}:${supplier}:${c.deadline.toISOString()}`;
    if (!(await claim(job, key, clock.now()))) {
      summary.alreadySent++;
      continue;
    }
    const users = await usersOf([supplier], 'supplier');
    summary.emailFailed.push(...(await sendClaimed(job, key, () => notify(clock, mailer, baseUrl, users, supplierMessage(c, kind)))));
    sent++;
  }
  summary.reminders += sent;
  if (sent) await recordAudit(clock, { actor: null, action: 'competition.reminders-sent', targetType: 'Competition', targetId: c._id, details: { job, deadline: c.deadline } }); // no count: with the invited list it would tell how many have bid
}

async function tellBuyers(clock: Clock, mailer: Mailer, baseUrl: string, c: Due, summary: ReminderSummary): Promise<void> {
  const job = REMINDER_JOBS.deadlinePassed;
  const key = `${c._id}:${c.deadline.toISOString()}`;
  if (!(await claim(job, key, clock.now()))) {
    summary.alreadySent++;
    return;
  }
  const buyers = await usersOf([c.council], 'buyer');
  summary.emailFailed.push(...(await sendClaimed(job, key, () => notify(clock, mailer, baseUrl, buyers, buyerMessage(c)))));
  summary.deadlineNotices++;
  await recordAudit(clock, { actor: null, action: 'competition.deadline-passed-notice', targetType: 'Competition', targetId: c._id, details: { buyers: buyers.length, deadline: c.deadline } });
}

/**
 * Sends whatever is due at the clock's now: looks only at published competitions whose deadline is within the
 * window around now (the status + deadline index). Cancelled competitions and drafts get nothing.
 */
export async function runDueReminders(clock: Clock, mailer: Mailer, baseUrl: string): Promise<ReminderSummary> {
  const now = clock.now();
  const summary: ReminderSummary = { competitions: 0, reminders: 0, deadlineNotices: 0, alreadySent: 0, emailFailed: [] };
  const window = { $gt: new Date(now.getTime() - LOOK_BACK_MS), $lte: new Date(now.getTime() + LOOK_AHEAD_MS) };
  const competitions = (await Competition.find(
    { status: 'published', deadline: trusted(window) } as any,
    { title: 1, reference: 1, council: 1, invited: 1, deadline: 1, publishedAt: 1 },
  ).lean()) as Due[];
  summary.competitions = competitions.length;
  if (competitions.length === 0) return summary;
  const councils = await Organisation.find({ _id: trusted({ $in: [...new Set(competitions.map((c) => String(c.council)))] }) } as any, { nation: 1 }).lean();
  const nation = new Map(councils.map((o) => [String(o._id), nationOf(o.nation)]));
  for (const c of competitions) {
    if (deadlinePassed(now, c.deadline)) {
      await tellBuyers(clock, mailer, baseUrl, c, summary);
      continue;
    }
    const kind = dueReminder(now, c.deadline, nation.get(String(c.council)) ?? 'England', c.publishedAt ?? undefined);
    if (kind) await remindSuppliers(clock, mailer, baseUrl, c, kind, summary);
  }
  return summary;
}
