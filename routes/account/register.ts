// Supplier self-registration: an organisation and its first user. The answer never reveals whether an e-mail is taken.
import { Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { passwordProblem } from '../../server/auth/passwords';
import { registerSupplier } from '../../server/services/accounts';
import { emailField, parseForm, requiredText } from '../../server/validation';
import { formRateLimit } from '../../server/middleware/rateLimit';
import { renderFormErrors } from '../render';

const registrationForm = z
  .object({
    organisationName: requiredText('your organisation\u2019s name'),
    name: requiredText('your full name'),
    email: emailField(),
    password: z.string({ error: 'Enter a password' }).min(1, 'Enter a password'),
    confirmPassword: z.string({ error: 'Confirm your password' }).min(1, 'Confirm your password'),
  })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, { email: v.email });
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
    else if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords must match' });
  });

export function registrationRouter(): Router {
  const router = Router();
  router.get('/register', (_req, res) => res.render('account/register', { values: {} }));
  router.post('/register', formRateLimit('register_ip', 10, 60 * 60), async (req, res) => {
    const form = parseForm(registrationForm, req.body);
    if (!form.ok) return renderFormErrors(res, 'account/register', form.errors, form.values);
    const { clock, mailer, config } = servicesOf(req);
    await registerSupplier(clock, mailer, config.baseUrl, form.data);
    res.redirect(303, '/register/check-your-email');
  });
  router.get('/register/check-your-email', (_req, res) => res.render('account/register-done'));
  return router;
}
