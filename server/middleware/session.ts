// Sessions kept in the database (so any app instance can serve any request), with idle and absolute timeouts.
import { NextFunction, Request, Response } from 'express';
import session from 'express-session';
import { MongoStore } from 'connect-mongo';
import mongoose from 'mongoose';
import { Clock } from '../clock';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export function sessionCookieName(secure: boolean): string {
  // The __Host- prefix needs Secure, which plain-http development cannot send.
  return secure ? '__Host-sid' : 'sid';
}

export function sessions(secret: string, secure: boolean) {
  return session({
    name: sessionCookieName(secure),
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: false,
    proxy: secure ? true : undefined,
    cookie: { httpOnly: true, secure, sameSite: 'lax', path: '/', maxAge: ABSOLUTE_TIMEOUT_MS },
    store: MongoStore.create({
      client: mongoose.connection.getClient() as any,
      // the database mongoose uses, which a dbName option can make differ from the client's default one
      dbName: mongoose.connection.db?.databaseName,
      collectionName: 'sessions',
      ttl: ABSOLUTE_TIMEOUT_MS / 1000,
      stringify: false,
      autoRemove: 'native',
    }),
  });
}

/** Ends a signed-in session idle for 30 minutes or older than 12 hours (measured by the app's clock). */
export function sessionTimeouts(clock: Clock) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const now = clock.now().getTime();
    const s = req.session;
    if (s && s.authAt) {
      const idle = now - (s.lastSeen ?? s.authAt) > IDLE_TIMEOUT_MS;
      const expired = now - s.authAt > ABSOLUTE_TIMEOUT_MS;
      if (idle || expired) {
        s.regenerate((err) => {
          if (err) return next(err);
          req.session.flash = { text: 'You were signed out because you had not done anything for a while. Sign in again to continue.', type: 'important' };
          res.redirect(303, '/sign-in');
        });
        return;
      }
      s.lastSeen = now;
    }
    next();
  };
}
