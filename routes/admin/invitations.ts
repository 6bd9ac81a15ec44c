// Buyer invitations: from a council's page, an admin invites a buyer by e-mail (a single-use link valid for 7 days).
import { Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { emailField, errorsFrom, parseForm } from '../../server/validation';
import { inviteBuyerToCouncil } from '../../server/services/organisations';
import { flash } from '../render';
import { renderCouncil } from './councils';
import { idParam } from './helpers';

const invitationForm = z.object({ email: emailField() });

const REFUSALS = {
  exists: 'An account already exists for this email address. The person can sign in, or reset their password if they have forgotten it',
  lapsed: 'You cannot invite buyers to a council whose membership has lapsed. Change its status to active first',
} as const;

export function invitationsRouter(): Router {
  const router = Router();

  // POST /admin/councils/:id/invitations
  router.post('/councils/:id/invitations', async (req, res) => {
    const id = idParam(req);
    const form = parseForm(invitationForm, req.body);
    if (!form.ok) return renderCouncil(req, res, id, { values: form.values, errors: form.errors }, 400);
    const { clock, mailer, config } = servicesOf(req);
    const outcome = await inviteBuyerToCouncil(clock, mailer, config.baseUrl, currentUser(req)!, id, form.data.email);
    if (outcome === 'missing') throw createError(404);
    if (outcome !== 'sent') {
      return renderCouncil(req, res, id, { values: { email: form.data.email }, errors: errorsFrom({ email: REFUSALS[outcome] }) }, 400);
    }
    flash(req, `Invitation sent to ${form.data.email}`);
    res.redirect(303, `/admin/councils/${id}`);
  });

  return router;
}
