// Forgotten password: ask for a link by e-mail (same answer whether or not the account exists), then set a new password.
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { passwordProblem } from '../../server/auth/passwords';
import { formRateLimit } from '../../server/middleware/rateLimit';
import { RESET_MINUTES, requestPasswordReset, resetPassword, usableToken } from '../../server/services/accounts';
import { emailField, parseForm } from '../../server/validation';
import { flash, renderFormErrors } from '../render';

const requestForm = z.object({ email: emailField() });

/** A new password and its confirmation, checked against the policy. */
export function newPasswordForm(context: { email?: string } = {}) {
  return z
    .object({
      password: z.string({ error: 'Enter a new password' }).min(1, 'Enter a new password'),
      confirmPassword: z.string({ error: 'Confirm your new password' }).min(1, 'Confirm your new password'),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, context);
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
      else if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords must match' });
    });
}

function linkExpired(res: Response): void {
  res.status(410).render('account/link-expired', {
    heading: 'This password reset link has expired or has already been used',
    body: `A link to reset your password works once and for ${RESET_MINUTES} minutes.`,
    againHref: '/password-reset',
    againText: 'Ask for a new link',
  });
}

export function passwordResetRouter(): Router {
  const router = Router();

  router.get('/password-reset', (_req, res) => res.render('account/password-reset', { values: {} }));

  router.post('/password-reset', formRateLimit('password_reset_ip', 10, 60 * 60), async (req, res) => {
    const form = parseForm(requestForm, req.body);
    if (!form.ok) return renderFormErrors(res, 'account/password-reset', form.errors, form.values);
    const { clock, mailer, config } = servicesOf(req);
    await requestPasswordReset(clock, mailer, config.baseUrl, form.data.email);
    // The same answer whether or not there is an account for the address.
    res.redirect(303, '/password-reset/check-your-email');
  });

  router.get('/password-reset/check-your-email', (_req, res) => res.render('account/password-reset-sent', { minutes: RESET_MINUTES }));

  router.get('/password-reset/:token', async (req: Request<{ token: string }>, res) => {
    res.set('Cache-Control', 'no-store');
    const reset = await usableToken(servicesOf(req).clock, 'password-reset', req.params.token);
    if (!reset) return linkExpired(res);
    res.render('account/password-reset-new', { values: {}, email: reset.email });
  });

  router.post('/password-reset/:token', async (req: Request<{ token: string }>, res) => {
    res.set('Cache-Control', 'no-store');
    const { clock, logger } = servicesOf(req);
    const token = req.params.token;
    const reset = await usableToken(clock, 'password-reset', token);
    if (!reset) return linkExpired(res);
    const form = parseForm(newPasswordForm({ email: reset.email }), req.body);
    if (!form.ok) return renderFormErrors(res, 'account/password-reset-new', form.errors, form.values, { email: reset.email });
    if (!(await resetPassword(clock, token, form.data.password))) return linkExpired(res);
    logger.info({ event: 'auth.password_reset', userId: String(reset.user) }, 'password reset');
    // The service ended every stored session of the user; this browser starts afresh too.
    await new Promise<void>((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
    flash(req, 'Your password has been changed. Sign in with your new password.');
    res.redirect(303, '/sign-in');
  });

  return router;
}
