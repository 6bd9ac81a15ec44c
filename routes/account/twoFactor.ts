// Two-factor authentication: the code step after the password, recovery codes, and TOTP enrolment.
import { NextFunction, Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser, homeFor, mfaPending, safeReturnTo, SessionUser } from '../../server/auth/guards';
import { checkTotp, newTotpSecret, totpQrSvg } from '../../server/auth/totp';
import { acceptTotpStep, enableTwoFactor, passwordMatches, totpStateOf, useRecoveryCode } from '../../server/services/accounts';
import { errorsFrom, parseForm } from '../../server/validation';
import { flash, renderFormErrors } from '../render';

declare module 'express-session' {
  interface SessionData {
    /** recovery codes just issued, shown once on the next page and then forgotten */
    issuedRecoveryCodes?: string[];
  }
}

const codeForm = z.object({
  code: z
    .string({ error: 'Enter the 6-digit code from your authenticator app' })
    .transform((s) => s.replace(/[\s-]/g, ''))
    .pipe(z.string().min(1, 'Enter the 6-digit code from your authenticator app').regex(/^\d{6}$/, 'The code must be 6 digits')),
});

const recoveryForm = z.object({
  code: z
    .string({ error: 'Enter a recovery code' })
    .transform((s) => s.replace(/\s/g, '').toLowerCase())
    .pipe(z.string().min(1, 'Enter a recovery code').regex(/^[0-9a-f]{5}-?[0-9a-f]{5}$/, 'Enter a recovery code in the correct format, like 1a2b3-c4d5e'))
    .transform((s) => (s.includes('-') ? s : `${s.slice(0, 5)}-${s.slice(5)}`)),
});

const WRONG_CODE = 'The code is not right, or has already been used. Enter the current code from your authenticator app';
const WRONG_RECOVERY = 'The recovery code is not right, or has already been used';

/**
 * Logs `user` in again under a new session id (passport's logIn regenerates the session), keeping
 * the time of the password step for the absolute timeout and marking two-factor as done.
 */
export function renewSession(req: Request, user: SessionUser, mfaVerified: boolean): Promise<void> {
  const { clock } = servicesOf(req);
  const authAt = req.session.authAt ?? clock.now().getTime();
  return new Promise((resolve, reject) => {
    req.logIn(user, (err) => {
      if (err) return reject(err);
      req.session.authAt = authAt;
      req.session.lastSeen = clock.now().getTime();
      req.session.userId = user._id;
      req.session.mfaVerified = mfaVerified;
      req.session.save((saveErr) => (saveErr ? reject(saveErr) : resolve()));
    });
  });
}

/** Where to go once fully signed in. */
function destination(req: Request, user: SessionUser): string {
  return safeReturnTo(req.session.returnTo) ?? homeFor(user.role);
}

/** The code step: only for a user who has passed the password step, owes a second factor and is enrolled. */
function owingCode(req: Request, res: Response, next: NextFunction): void {
  const user = currentUser(req);
  if (!user || !mfaPending(req)) return res.redirect(302, '/sign-in');
  if (!user.mfa.enabled) return res.redirect(302, '/two-factor/set-up');
  next();
}

/** Enrolment: a user without TOTP who owes it (buyers, admins) or chooses it (suppliers, signed in fully). */
function mayEnrol(req: Request, res: Response, next: NextFunction): void {
  const user = currentUser(req);
  if (!user) return res.redirect(302, '/sign-in');
  if (user.mfa.enabled) return res.redirect(302, mfaPending(req) ? '/sign-in/two-factor' : '/account');
  next();
}

function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.set('Cache-Control', 'no-store');
  next();
}

/** Wrong codes count against the same limit as wrong passwords, kept apart so a correct password does not reset it. */
function limiterKey(user: SessionUser): string {
  return `mfa:${user.email}`;
}

async function tooManyAttempts(req: Request, res: Response, user: SessionUser): Promise<boolean> {
  const { loginLimiter, logger } = servicesOf(req);
  if (await loginLimiter.allowed(limiterKey(user), req.ip ?? 'unknown')) return false;
  logger.warn({ event: 'auth.mfa_rate_limited', userId: user._id, ip: req.ip }, 'two-factor rate limited');
  res.set('Retry-After', '900');
  res.status(429).render('errors/429');
  return true;
}

async function wrongAttempt(req: Request, user: SessionUser): Promise<void> {
  const { loginLimiter, logger } = servicesOf(req);
  await loginLimiter.failed(limiterKey(user), req.ip ?? 'unknown');
  logger.warn({ event: 'auth.mfa_failure', userId: user._id, ip: req.ip }, 'two-factor code refused');
}

/** Two-factor done: a new session id, marked verified (the caller reads returnTo first: the old session is gone). */
async function completeSignIn(req: Request, user: SessionUser, how: string): Promise<void> {
  const { loginLimiter, logger } = servicesOf(req);
  await loginLimiter.succeeded(limiterKey(user), req.ip ?? 'unknown');
  await renewSession(req, user, true);
  logger.info({ event: 'auth.success', userId: user._id, factor: how }, 'signed in (two-factor)');
}

export function twoFactorRouter(): Router {
  const router = Router();

  router.get('/sign-in/two-factor', owingCode, (_req, res) => res.render('account/two-factor', { values: {} }));

  router.post('/sign-in/two-factor', owingCode, async (req, res) => {
    const user = currentUser(req)!;
    if (await tooManyAttempts(req, res, user)) return;
    const form = parseForm(codeForm, req.body);
    if (!form.ok) return renderFormErrors(res, 'account/two-factor', form.errors, form.values);
    const state = await totpStateOf(user._id);
    const step = state && checkTotp(state.secret, form.data.code, servicesOf(req).clock.now(), state.lastStep);
    if (step === undefined || !(await acceptTotpStep(user._id, step))) {
      await wrongAttempt(req, user);
      return renderFormErrors(res, 'account/two-factor', errorsFrom({ code: WRONG_CODE }), {});
    }
    const to = destination(req, user);
    await completeSignIn(req, user, 'totp');
    res.redirect(303, to);
  });

  router.get('/sign-in/recovery-code', owingCode, (_req, res) => res.render('account/recovery-code', { values: {} }));

  router.post('/sign-in/recovery-code', owingCode, async (req, res) => {
    const user = currentUser(req)!;
    if (await tooManyAttempts(req, res, user)) return;
    const form = parseForm(recoveryForm, req.body);
    if (!form.ok) return renderFormErrors(res, 'account/recovery-code', form.errors, form.values);
    const left = await useRecoveryCode(servicesOf(req).clock, user._id, form.data.code);
    if (left === undefined) {
      await wrongAttempt(req, user);
      return renderFormErrors(res, 'account/recovery-code', errorsFrom({ code: WRONG_RECOVERY }), {});
    }
    const to = destination(req, user);
    await completeSignIn(req, user, 'recovery-code');
    flash(req, `You have used a recovery code. You have ${left} recovery ${left === 1 ? 'code' : 'codes'} left.`, undefined, 'important');
    res.redirect(303, to);
  });

  // Enrolment. The secret stays in the session until a code from the user's app confirms it.
  router.get('/two-factor/set-up', mayEnrol, noStore, (req, res) => {
    req.session.pendingTotpSecret ??= newTotpSecret();
    res.render('account/two-factor-set-up', setUpLocals(req, {}));
  });

  router.get('/two-factor/qr.svg', mayEnrol, noStore, async (req, res) => {
    const secret = req.session.pendingTotpSecret;
    if (!secret) return res.status(404).type('text/plain').send('Not found');
    res.type('image/svg+xml').send(await totpQrSvg(currentUser(req)!.email, secret));
  });

  router.post('/two-factor/set-up', mayEnrol, noStore, async (req, res) => {
    const user = currentUser(req)!;
    const pending = mfaPending(req);
    const secret = req.session.pendingTotpSecret;
    if (!secret) return res.redirect(303, '/two-factor/set-up');
    if (await tooManyAttempts(req, res, user)) return;
    const form = parseForm(codeForm, req.body);
    const password = typeof req.body?.password === 'string' ? (req.body.password as string) : '';
    const fields: Record<string, string> = {};
    // Someone already fully signed in confirms their password before changing how they sign in.
    if (!pending && !(password && (await passwordMatches(user._id, password)))) fields.password = password ? 'Your password is not right' : 'Enter your password';
    let step: number | undefined;
    if (!form.ok) fields.code = form.errors.fields.code;
    else if ((step = checkTotp(secret, form.data.code, servicesOf(req).clock.now(), 0)) === undefined) fields.code = 'The code is not right. Enter the current code from your authenticator app';
    if (Object.keys(fields).length) {
      if (fields.password && password) await wrongAttempt(req, user);
      return renderFormErrors(res, 'account/two-factor-set-up', errorsFrom(fields), {}, setUpLocals(req, {}));
    }
    const codes = await enableTwoFactor(servicesOf(req).clock, user._id, secret, step!);
    delete req.session.pendingTotpSecret;
    if (!codes) return res.redirect(303, pending ? '/sign-in/two-factor' : '/account');
    servicesOf(req).logger.info({ event: 'auth.mfa_enabled', userId: user._id }, 'two-factor enabled');
    const returnTo = req.session.returnTo;
    await renewSession(req, { ...user, mfa: { enabled: true } }, true);
    if (pending && returnTo) req.session.returnTo = returnTo;
    req.session.issuedRecoveryCodes = codes;
    res.redirect(303, '/two-factor/recovery-codes');
  });

  // The recovery codes, shown once.
  router.get('/two-factor/recovery-codes', noStore, (req, res) => {
    const user = currentUser(req);
    const codes = req.session.issuedRecoveryCodes;
    if (!user || mfaPending(req) || !codes) return res.redirect(302, user ? '/account' : '/sign-in');
    delete req.session.issuedRecoveryCodes;
    const next = user.role === 'supplier' && !req.session.returnTo ? '/account' : destination(req, user);
    delete req.session.returnTo;
    res.render('account/recovery-codes', { codes, next });
  });

  return router;
}

function setUpLocals(req: Request, extra: Record<string, unknown>): Record<string, unknown> {
  const secret = req.session.pendingTotpSecret ?? '';
  return {
    ...extra,
    values: {},
    pending: mfaPending(req),
    // grouped in fours for typing into an app by hand
    secretGroups: secret.match(/.{1,4}/g)?.join(' ') ?? '',
  };
}
