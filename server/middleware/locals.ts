// What every page template can use: the signed-in user, their navigation, the flash message, the path.
import { NextFunction, Request, Response } from 'express';
import { Notification } from '../../models/Notification';
import { currentUser, mfaPending } from '../auth/guards';
import { govuk, escapeHtml } from '../views/govuk';

const NAVIGATION: Record<string, Array<{ href: string; text: string }>> = {
  supplier: [{ href: '/supplier', text: 'Dashboard' }, { href: '/supplier/opportunities', text: 'Opportunities' }, { href: '/supplier/contracts', text: 'Contracts' }, { href: '/supplier/applications', text: 'Applications' }],
  buyer: [{ href: '/buyer', text: 'Dashboard' }, { href: '/buyer/competitions', text: 'Competitions' }, { href: '/buyer/contracts', text: 'Contracts' }],
  admin: [
    { href: '/admin', text: 'Dashboard' },
    { href: '/admin/applications', text: 'Applications' },
    { href: '/admin/admissions', text: 'Admissions' },
    { href: '/admin/councils', text: 'Councils' },
    { href: '/admin/lots', text: 'Lots' },
    { href: '/admin/measures', text: 'Measures' },
    { href: '/admin/competitions', text: 'Competitions' },
    { href: '/admin/awards', text: 'Awards' },
    { href: '/admin/settings', text: 'Settings' },
    { href: '/admin/outbox', text: 'Outbox' },
  ],
};

function isCurrent(href: string, path: string, exactOnly = false): boolean {
  return path === href || (!exactOnly && path.startsWith(href + '/'));
}

/** The signed-in user's unread notifications (the { user, readAt } index); none shown if the database is away. */
async function unreadCount(req: Request, userId: string): Promise<number> {
  try {
    return await Notification.countDocuments({ user: userId, readAt: null });
  } catch (err) {
    req.log?.warn({ err }, 'could not count unread notifications');
    return 0;
  }
}

/** "Notifications (3 unread)", the count read out in full but shown as "(3)". */
function notificationsItem(unread: number, path: string) {
  const item = { href: '/notifications', active: isCurrent('/notifications', path) };
  if (unread === 0) return { ...item, text: 'Notifications' };
  return { ...item, html: `Notifications (${unread}<span class="govuk-visually-hidden"> unread</span>)` };
}

export async function pageLocals(req: Request, res: Response, next: NextFunction): Promise<void> {
  const user = currentUser(req);
  const signedIn = !!user && !mfaPending(req);
  const items = signedIn ? NAVIGATION[user!.role] ?? [] : [];
  const path = req.path;
  const unread = signedIn ? await unreadCount(req, user!._id) : 0;
  res.locals.user = signedIn ? user : undefined;
  res.locals.govuk = govuk;
  res.locals.escapeHtml = escapeHtml;
  res.locals.currentPath = path;
  res.locals.navigation = [
    // a role's dashboard (its first item) is current only on itself; the rest also on the pages under them
    ...items.map((i, n) => ({ ...i, active: isCurrent(i.href, path, n === 0) })),
    // the public supplier directory, for everyone
    { href: '/suppliers', text: 'Supplier directory', active: isCurrent('/suppliers', path) },
    ...(signedIn ? [notificationsItem(unread, path), { href: '/account', text: 'Your account', active: isCurrent('/account', path) }] : []),
  ];
  res.locals.unreadNotifications = unread;
  res.locals.signedInPending = !!user && !signedIn;
  res.locals.flash = req.session?.flash;
  if (req.session?.flash) delete req.session.flash;
  next();
}
