// A buyer accepts an admin's invitation: chooses a name and password. The link works once and expires.
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { Organisation } from '../../models/Organisation';
import { servicesOf } from '../../server/app';
import { passwordProblem } from '../../server/auth/passwords';
import { acceptInvitation, INVITATION_DAYS, usableToken } from '../../server/services/accounts';
import { parseForm, requiredText } from '../../server/validation';
import { flash, renderFormErrors } from '../render';

function invitationForm(email: string) {
  return z
    .object({
      name: requiredText('your full name'),
      password: z.string({ error: 'Enter a password' }).min(1, 'Enter a password'),
      confirmPassword: z.string({ error: 'Confirm your password' }).min(1, 'Confirm your password'),
    })
    .superRefine((v, ctx) => {
      const problem = passwordProblem(v.password, { email });
      if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
      else if (v.password !== v.confirmPassword) ctx.addIssue({ code: 'custom', path: ['confirmPassword'], message: 'Passwords must match' });
    });
}

function linkExpired(res: Response, exists = false): void {
  res.status(410).render('account/link-expired', exists
    ? {
        heading: 'You already have an account',
        body: 'There is already an account for this email address. Sign in, or reset your password if you have forgotten it.',
        againHref: '/sign-in',
        againText: 'Sign in',
      }
    : {
        heading: 'This invitation has expired or has already been used',
        body: `An invitation link works once and for ${INVITATION_DAYS} days. Ask the network team to invite you again.`,
        againHref: '/sign-in',
        againText: 'Sign in if you have already created your account',
      });
}

async function invitationLocals(invitation: { email: string; organisation?: unknown }) {
  const council = invitation.organisation ? await Organisation.findById(invitation.organisation, { name: 1 }).lean() : null;
  return { email: invitation.email, councilName: council?.name };
}

export function invitationRouter(): Router {
  const router = Router();

  router.get('/invitations/:token', async (req: Request<{ token: string }>, res) => {
    res.set('Cache-Control', 'no-store');
    const invitation = await usableToken(servicesOf(req).clock, 'invitation', req.params.token);
    if (!invitation) return linkExpired(res);
    res.render('account/invitation', { values: {}, ...(await invitationLocals(invitation)) });
  });

  router.post('/invitations/:token', async (req: Request<{ token: string }>, res) => {
    res.set('Cache-Control', 'no-store');
    const { clock, logger } = servicesOf(req);
    const token = req.params.token;
    const invitation = await usableToken(clock, 'invitation', token);
    if (!invitation) return linkExpired(res);
    const form = parseForm(invitationForm(invitation.email), req.body);
    if (!form.ok) return renderFormErrors(res, 'account/invitation', form.errors, form.values, await invitationLocals(invitation));
    const result = await acceptInvitation(clock, token, { name: form.data.name, password: form.data.password });
    if (!result.ok) return linkExpired(res, result.reason === 'exists');
    logger.info({ event: 'account.invitation_accepted', userId: result.userId }, 'invitation accepted');
    flash(req, 'Your account has been created. Sign in to continue. You will then set up two-factor authentication.');
    res.redirect(303, '/sign-in');
  });

  return router;
}
