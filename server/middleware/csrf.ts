// CSRF: a synchroniser token kept in the session, required on every state-changing request.
import { NextFunction, Request, Response } from 'express';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

export const csrfProtection = csrfSynchronisedProtection;

/** Makes the session's token available to every form as `csrfToken`. */
export function csrfToken(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = generateToken(req);
  next();
}
