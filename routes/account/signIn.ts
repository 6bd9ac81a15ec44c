// Sign in and sign out. Unknown e-mail and wrong password get the same answer; failures are rate limited.
import { NextFunction, Request, Response, Router } from 'express';
import passport from 'passport';
import { z } from 'zod';
import { User, mfaRequired } from '../../models/User';
import { homeFor, safeReturnTo, SessionUser } from '../../server/auth/guards';
import { servicesOf } from '../../server/app';
import { errorsFrom, parseForm } from '../../server/validation';
import { renderFormErrors } from '../render';

const signInForm = z.object({
  email: z.string({ error: 'Enter your email address' }).trim().min(1, 'Enter your email address').max(254, 'Enter your email address'),
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(1024, 'Enter your password'),
});

const WRONG = 'Enter a correct email address and password';

export function signInRouter(): Router {
  const router = Router();

  router.get('/sign-in', (_req, res) => res.render('account/sign-in', { values: {} }));

  router.post('/sign-in', async (req: Request, res: Response, next: NextFunction) => {
    const { logger, loginLimiter, clock } = servicesOf(req);
    const form = parseForm(signInForm, req.body);
    if (!form.ok) return renderFormErrors(res, 'account/sign-in', form.errors, form.values);
    const { email } = form.data;
    const ip = req.ip ?? 'unknown';
    if (!(await loginLimiter.allowed(email, ip))) {
      logger.warn({ event: 'auth.rate_limited', ip }, 'sign-in rate limited');
      res.set('Retry-After', '900');
      return res.status(429).render('errors/429');
    }
    passport.authenticate('local', async (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) {
        await loginLimiter.failed(email, ip);
        logger.warn({ event: 'auth.failure', ip }, 'sign-in failed');
        return renderFormErrors(res, 'account/sign-in', errorsFrom({ email: WRONG }), { email }, {}, 401);
      }
      await loginLimiter.succeeded(email, ip);
      const returnTo = safeReturnTo(req.session.returnTo);
      // passport regenerates the session here, so a session id fixed before sign-in is worthless.
      req.logIn(user, async (loginErr) => {
        if (loginErr) return next(loginErr);
        const now = clock.now().getTime();
        req.session.authAt = now;
        req.session.lastSeen = now;
        req.session.userId = user._id;
        req.session.mfaVerified = false;
        logger.info({ event: 'auth.success', userId: user._id }, 'signed in (password)');
        await User.updateOne({ _id: user._id }, { $set: { lastSignInAt: clock.now() } });
        if (mfaRequired(user)) {
          if (returnTo) req.session.returnTo = returnTo;
          return res.redirect(303, user.mfa.enabled ? '/sign-in/two-factor' : '/two-factor/set-up');
        }
        res.redirect(303, returnTo ?? homeFor(user.role));
      });
    })(req, res, next);
  });

  router.post('/sign-out', (req, res, next) => {
    const userId = (req.user as SessionUser | undefined)?._id;
    req.logOut((err) => {
      if (err) return next(err);
      req.session.destroy((destroyErr) => {
        if (destroyErr) return next(destroyErr);
        servicesOf(req).logger.info({ event: 'auth.signout', userId }, 'signed out');
        res.redirect(303, '/signed-out');
      });
    });
  });
  router.get('/signed-out', (_req, res) => res.render('account/signed-out'));
  return router;
}
