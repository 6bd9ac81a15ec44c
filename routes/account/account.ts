// "Your account" (behind sign-in): details, change password, two-factor for suppliers.
import { Router } from 'express';
import { z } from 'zod';
import { Organisation } from '../../models/Organisation';
import { User } from '../../models/User';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { passwordProblem } from '../../server/auth/passwords';
import { changePassword } from '../../server/services/accounts';
import { errorsFrom, parseForm } from '../../server/validation';
import { flash, renderFormErrors } from '../render';
import { renewSession } from './twoFactor';

const ROLE_NAMES: Record<string, string> = { supplier: 'Supplier', buyer: 'Council buyer', admin: 'Network administrator' };

function changePasswordForm(email: string) {
  return z
    .object({
      currentPassword: z.string({ error: 'Enter your current password' }).min(1, 'Enter your current password').max(1024, 'Your current password is not right'),
      password: z.string({ error: 'Enter a new password' }).min(1, 'Enter a new password'),
      confirmPassword: z.string({ error: 'Confirm your new password' }).min(1, 'Confirm your new password'),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, { email });
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
      else if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords must match' });
    });
}

export function accountRouter(): Router {
  const router = Router();

  router.get('/', async (req, res) => {
    const me = currentUser(req)!;
    const [user, organisation] = await Promise.all([
      User.findById(me._id, { name: 1, email: 1, role: 1, mfa: 1 }).lean(),
      Organisation.findById(me.organisation, { name: 1 }).lean(),
    ]);
    res.render('account/account', {
      account: {
        name: user?.name ?? me.name,
        email: user?.email ?? me.email,
        role: ROLE_NAMES[me.role] ?? me.role,
        organisation: organisation?.name ?? '',
        twoFactor: user?.mfa?.enabled === true,
        recoveryCodesLeft: user?.mfa?.recoveryCodes?.length ?? 0,
      },
      canSetUpTwoFactor: user?.mfa?.enabled !== true,
    });
  });

  router.get('/password', (_req, res) => res.render('account/change-password', { values: {} }));

  router.post('/password', async (req, res) => {
    const user = currentUser(req)!;
    const { clock, loginLimiter, logger } = servicesOf(req);
    const ip = req.ip ?? 'unknown';
    if (!(await loginLimiter.allowed(user.email, ip))) {
      res.set('Retry-After', '900');
      return res.status(429).render('errors/429');
    }
    const form = parseForm(changePasswordForm(user.email), req.body);
    if (!form.ok) return renderFormErrors(res, 'account/change-password', form.errors, form.values);
    const outcome = await changePassword(clock, user._id, form.data.currentPassword, form.data.password);
    if (outcome === 'wrong-current') {
      await loginLimiter.failed(user.email, ip);
      logger.warn({ event: 'auth.reauth_failure', userId: user._id, ip }, 'current password refused');
      return renderFormErrors(res, 'account/change-password', errorsFrom({ currentPassword: 'Your current password is not right' }), {});
    }
    logger.info({ event: 'auth.password_changed', userId: user._id }, 'password changed');
    // Every stored session of the user has ended; this one carries on under a new id.
    await renewSession(req, user, req.session.mfaVerified === true);
    flash(req, 'Your password has been changed. You have been signed out everywhere else.');
    res.redirect(303, '/account');
  });

  return router;
}
