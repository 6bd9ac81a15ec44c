// Every signed-in user's notifications: the list, newest first, and marking them all read.
import { Router } from 'express';
import { servicesOf } from '../server/app';
import { currentUser } from '../server/auth/guards';
import { markAllRead, notificationsFor } from '../server/services/notifications';
import { formatDateTime, pageParam, paging } from './admin/helpers';
import { flash } from './render';

export const NOTIFICATIONS_PAGE_SIZE = 25;

/**
 * A notification's link if it is a path inside the service, else undefined (shown as plain text). Stricter than a
 * leading '/': browsers drop tabs and newlines inside URLs and read '\\' as '/', so '/\n/evil.example' or
 * '/\\evil.example' would leave the site.
 */
export function internalPath(link: unknown): string | undefined {
  return typeof link === 'string' && /^\/(?![/\\])[^\\\s\p{Cc}]*$/u.test(link) ? link : undefined;
}

export function notificationsRouter(): Router {
  const router = Router();

  // GET /notifications
  router.get('/', async (req, res) => {
    const page = pageParam(req);
    const { total, unread, items } = await notificationsFor(currentUser(req)!._id, page, NOTIFICATIONS_PAGE_SIZE);
    const pager = paging('/notifications', page, total, NOTIFICATIONS_PAGE_SIZE);
    const notifications = items.map((n) => ({
      id: String(n._id),
      title: n.title,
      // only a path inside the service becomes a link; anything else is shown as plain text
      href: internalPath(n.link),
      paragraphs: (n.body ?? '').split(/\n+/).map((p) => p.trim()).filter(Boolean),
      at: formatDateTime(n.at),
      iso: new Date(n.at).toISOString(),
      isNew: !n.readAt,
    }));
    res.render('notifications/list', { pageTitle: 'Notifications', notifications, unread, pager });
  });

  // POST /notifications/read-all
  router.post('/read-all', async (req, res) => {
    await markAllRead(servicesOf(req).clock, currentUser(req)!._id);
    flash(req, 'All your notifications are marked as read.');
    res.redirect(303, '/notifications');
  });

  return router;
}
