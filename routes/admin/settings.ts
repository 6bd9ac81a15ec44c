// Admins: the framework's settings: the rule-set new competitions start with, and the minimum days for
// below-threshold competitions where a council has not set its own (one record, audited on every change).
import { Response, Router } from 'express';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { parseWholeNumber } from '../../server/domain/competitionForms';
import { RULE_SETS, RULE_SET_NAMES } from '../../server/domain/tenderRules';
import { frameworkSettings } from '../../server/services/competitions';
import { saveFrameworkSettings } from '../../server/services/competitionDrafting';
import { FormErrors, parseForm } from '../../server/validation';
import { flash } from '../render';

/** The minimum days field, shared with the council form (a whole number from 1 to 60). */
export function minDaysField(label: string) {
  return z.unknown().transform((v, ctx) => {
    const r = parseWholeNumber(v, 1, 60, label);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.error });
    return r.ok ? r.value : 0;
  });
}

export const settingsForm = z.object({
  defaultRuleSet: z.enum(RULE_SETS, { error: 'Select the rules new competitions start with' }),
  belowThresholdMinDays: minDaysField('the minimum number of days'),
});

const ruleSetItems = RULE_SETS.map((r) => ({ value: r, text: RULE_SET_NAMES[r] }));

function render(res: Response, values: Record<string, unknown>, errors?: FormErrors, status = 200): void {
  res.status(status).render('admin/settings', { pageTitle: 'Framework settings', ruleSets: ruleSetItems, values, errors });
}

export function settingsRouter(): Router {
  const router = Router();

  // GET /admin/settings
  router.get('/settings', async (_req, res) => {
    const s = await frameworkSettings();
    render(res, { defaultRuleSet: s.defaultRuleSet, belowThresholdMinDays: String(s.belowThresholdMinDays) });
  });

  // POST /admin/settings
  router.post('/settings', async (req, res) => {
    const form = parseForm(settingsForm, req.body);
    if (!form.ok) return render(res, form.values, form.errors, 400);
    await saveFrameworkSettings(servicesOf(req).clock, currentUser(req)!, form.data);
    flash(req, 'Framework settings saved');
    res.redirect(303, '/admin/settings');
  });

  return router;
}
