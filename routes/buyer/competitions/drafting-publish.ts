// Publishing a draft: a confirmation page (how many suppliers would be invited now, the deadline), then publish()
// sends it to every supplier with an active admission to the lot at that moment.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { Organisation } from '../../../models/Organisation';
import { servicesOf } from '../../../server/app';
import { CompetitionRecord, deadlineSettingsFor, formatDeadline, publish, publishProblems } from '../../../server/services/competitions';
import { invitationCount } from '../../../server/services/competitionDrafting';
import { FormErrors } from '../../../server/validation';
import { flash } from '../../render';
import { actor, BASE, loadDraft, publishProblemErrors, renderMessage, renderNotDraft } from './drafting-shared';
import { loadCompetitionView } from './drafting-view';
import { buyerDocumentHref } from './drafting-overview';

function renderLapsed(res: Response, id: unknown): void {
  renderMessage(res, 403, {
    title: 'Your council\u2019s membership has lapsed: it cannot publish competitions',
    paragraphs: ['Only active member councils can buy through the DPS. Your draft is kept: contact the network team to renew your council\u2019s membership, then publish it.'],
    links: [{ href: `${BASE}/${id}`, text: 'Back to the competition' }],
  });
}

async function renderConfirm(req: Request, res: Response, c: CompetitionRecord, errors?: FormErrors, status = 200): Promise<void> {
  const now = servicesOf(req).clock.now();
  const [invited, view] = await Promise.all([invitationCount(c.lot), loadCompetitionView(c, now, buyerDocumentHref)]);
  // before a failed POST, show what would stop it now (the POST's own list is in the error summary)
  const problems = errors ? undefined : publishProblemErrors(c._id, publishProblems(c, await deadlineSettingsFor(c.council), now)).list;
  res.status(status).render('buyer/competitions/draft-publish', {
    pageTitle: 'Publish this competition', id: String(c._id), c: view, invited, deadline: c.deadline ? formatDeadline(c.deadline) : undefined, problems, errors,
  });
}

async function isLapsed(c: CompetitionRecord): Promise<boolean> {
  const council = await Organisation.findById(c.council, { status: 1 }).lean();
  return council?.status !== 'active';
}

export function publishRouter(): Router {
  const router = Router();

  // GET /buyer/competitions/:id/publish
  router.get('/:id/publish', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    if (await isLapsed(c)) return renderLapsed(res, c._id);
    await renderConfirm(req, res, c);
  });

  // POST /buyer/competitions/:id/publish
  router.post('/:id/publish', async (req, res) => {
    const c = await loadDraft(req, res);
    if (!c) return;
    const { clock, mailer, config } = servicesOf(req);
    const out = await publish(clock, mailer, config.baseUrl, actor(req), String(c._id));
    switch (out.outcome) {
      case 'published': {
        const failed = out.emailFailed.length ? ` The invitation e-mail to ${out.emailFailed.length} could not be sent; they have it in the service.` : '';
        flash(req, `Published: ${out.invited} ${out.invited === 1 ? 'supplier' : 'suppliers'} invited.${failed}`);
        return res.redirect(303, `${BASE}/${c._id}`);
      }
      case 'problems':
        return renderConfirm(req, res, c, publishProblemErrors(c._id, out.problems), 400);
      case 'lapsed':
        return renderLapsed(res, c._id);
      case 'not-draft':
        return renderNotDraft(res, c._id);
      default:
        throw createError(404);
    }
  });

  return router;
}
