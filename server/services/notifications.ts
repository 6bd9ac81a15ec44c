// Telling people things: a notification in the service for each user, and the same message by e-mail.
// A mail failure is logged by the caller's outcome, never undoes the notification (the service is the record).
import { trusted, Types } from 'mongoose';
import { Notification } from '../../models/Notification';
import { User } from '../../models/User';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';

export interface Message {
  title: string;
  /** plain text, used in the service and as the e-mail body */
  body: string;
  /** a path inside the service, e.g. /supplier/opportunities/<id> */
  link?: string;
}

type Id = string | Types.ObjectId;

/** The active users of organisations (suppliers or councils), optionally of one role. */
export async function usersOf(organisations: Id[], role?: 'supplier' | 'buyer'): Promise<Array<{ _id: Types.ObjectId; email: string; name: string }>> {
  if (organisations.length === 0) return [];
  const filter: Record<string, unknown> = { organisation: trusted({ $in: organisations.map(String) }), status: 'active' };
  if (role) filter.role = role;
  return User.find(filter as any, { email: 1, name: 1 }).lean();
}

/**
 * Notifies every given user in the service and by e-mail. Returns the addresses whose e-mail failed, so the caller
 * can say so; the in-service notifications are written first and whatever happens to the mail.
 */
export async function notify(clock: Clock, mailer: Mailer, baseUrl: string, users: Array<{ _id: Id; email: string }>, message: Message): Promise<string[]> {
  if (users.length === 0) return [];
  const at = clock.now();
  await Notification.insertMany(users.map((u) => ({ user: u._id, title: message.title, body: message.body, link: message.link, at })));
  const text = message.link ? `${message.body}\n\n${baseUrl}${message.link}` : message.body;
  const failed: string[] = [];
  await Promise.all(users.map(async (u) => {
    try {
      await mailer.send({ to: u.email, subject: message.title, text });
    } catch {
      failed.push(u.email);
    }
  }));
  return failed;
}

/** Notifies every active user of the given organisations (all of a supplier's people hear of an invitation). */
export async function notifyOrganisations(clock: Clock, mailer: Mailer, baseUrl: string, organisations: Id[], message: Message, role?: 'supplier' | 'buyer'): Promise<string[]> {
  return notify(clock, mailer, baseUrl, await usersOf(organisations, role), message);
}

export async function notificationsFor(userId: Id, page = 1, pageSize = 25) {
  const [total, unread, items] = await Promise.all([
    Notification.countDocuments({ user: userId }),
    Notification.countDocuments({ user: userId, readAt: null }),
    Notification.find({ user: userId }).sort({ at: -1, _id: -1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
  ]);
  return { total, unread, items };
}

export async function markAllRead(clock: Clock, userId: Id): Promise<void> {
  await Notification.updateMany({ user: userId, readAt: null }, { $set: { readAt: clock.now() } });
}
