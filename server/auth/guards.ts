// Access guards: signed in (with two-factor done where required), and role checks declared on routers.
import { NextFunction, Request, Response } from 'express';
import createError from 'http-errors';
import { mfaRequired, Role } from '../../models/User';

export interface SessionUser {
  _id: string;
  email: string;
  name: string;
  role: Role;
  organisation: string;
  mfa: { enabled: boolean };
}

export function currentUser(req: Request): SessionUser | undefined {
  return req.user as SessionUser | undefined;
}

/** Signed in with a password but still owing a second factor. */
export function mfaPending(req: Request): boolean {
  const user = currentUser(req);
  return !!user && mfaRequired(user) && req.session.mfaVerified !== true;
}

export function requireSignedIn(req: Request, res: Response, next: NextFunction): void {
  const user = currentUser(req);
  if (!user) {
    if (req.method === 'GET' || req.method === 'HEAD') {
      req.session.returnTo = req.originalUrl;
      return res.redirect(302, '/sign-in');
    }
    return next(createError(401));
  }
  if (mfaPending(req)) {
    return res.redirect(302, user.mfa.enabled ? '/sign-in/two-factor' : '/two-factor/set-up');
  }
  next();
}

export function requireRole(...roles: Role[]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const user = currentUser(req);
    if (!user || !roles.includes(user.role)) return next(createError(403));
    next();
  };
}

/** Where each role lands after signing in. */
export function homeFor(role: Role): string {
  return role === 'admin' ? '/admin' : role === 'buyer' ? '/buyer' : '/supplier';
}

/** Only same-site paths may be redirected to after sign-in. */
export function safeReturnTo(url: unknown): string | undefined {
  return typeof url === 'string' && /^\/(?![/\\])/.test(url) ? url : undefined;
}
