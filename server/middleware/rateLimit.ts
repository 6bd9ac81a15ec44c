// Rate limits for sign-in, registration and password reset, kept in the database so every instance shares them.
import { NextFunction, Request, Response } from 'express';
import mongoose from 'mongoose';
import { RateLimiterMongo, RateLimiterRes } from 'rate-limiter-flexible';

export interface LoginLimiter {
  /** true if this e-mail + address, or this address, may try now */
  allowed(email: string, ip: string): Promise<boolean>;
  failed(email: string, ip: string): Promise<void>;
  succeeded(email: string, ip: string): Promise<void>;
}

const MAX_CONSECUTIVE_PER_USER_IP = 10;
const MAX_PER_IP_PER_DAY = 100;

function limiter(keyPrefix: string, points: number, duration: number, blockDuration = 0) {
  return new RateLimiterMongo({
    storeClient: mongoose.connection,
    dbName: mongoose.connection.db?.databaseName,
    tableName: 'ratelimits',
    keyPrefix,
    points,
    duration,
    blockDuration,
  });
}

export function createLoginLimiter(): LoginLimiter {
  const byUserIp = limiter('login_user_ip', MAX_CONSECUTIVE_PER_USER_IP, 60 * 60, 15 * 60);
  const byIp = limiter('login_ip_day', MAX_PER_IP_PER_DAY, 24 * 60 * 60, 24 * 60 * 60);
  const key = (email: string, ip: string) => `${email.toLowerCase()}_${ip}`;
  return {
    async allowed(email, ip) {
      const [u, i] = await Promise.all([byUserIp.get(key(email, ip)), byIp.get(ip)]);
      return !((u && u.consumedPoints >= MAX_CONSECUTIVE_PER_USER_IP) || (i && i.consumedPoints >= MAX_PER_IP_PER_DAY));
    },
    async failed(email, ip) {
      await Promise.all([byUserIp.consume(key(email, ip)).catch(ignoreLimit), byIp.consume(ip).catch(ignoreLimit)]);
    },
    async succeeded(email, ip) {
      await byUserIp.delete(key(email, ip));
    },
  };
}

function ignoreLimit(err: unknown): void {
  if (!(err instanceof RateLimiterRes)) throw err;
}

/** A per-address limit for a form's POST (registration, reset requests): 429 once spent. */
export function formRateLimit(keyPrefix: string, points: number, durationSeconds: number) {
  let l: RateLimiterMongo | undefined;
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    l ??= limiter(keyPrefix, points, durationSeconds, durationSeconds);
    try {
      await l.consume(req.ip ?? 'unknown');
      next();
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        res.set('Retry-After', String(Math.ceil(err.msBeforeNext / 1000)));
        res.status(429).render('errors/429');
        return;
      }
      next(err);
    }
  };
}
