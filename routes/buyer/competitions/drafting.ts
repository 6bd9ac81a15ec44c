// Drafting a competition: the council's list, a new draft, then (in the drafting-*.ts modules) its overview and
// preview, its sections, and publishing. Mounted at /buyer/competitions behind requireRole('buyer'); every
// /:id route loads the competition through loadOwned (another council's is a 404).
import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { Lot } from '../../../models/Lot';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { stageOf, STAGE_NAMES } from '../../../server/domain/competitionState';
import { RULE_SETS } from '../../../server/domain/tenderRules';
import { createDraft, deadlineSettingsFor, formatDeadline, frameworkSettings, listForCouncil, PAGE_SIZE } from '../../../server/services/competitions';
import { errorsFrom, FormErrors, parseForm, requiredText } from '../../../server/validation';
import { flash } from '../../render';
import { pageParam, paging } from '../../admin/helpers';
import { competitionLinkCell, lotChoices, lotLabel, ruleSetChoices, stageTagCell } from './drafting-view';
import { actor, BASE } from './drafting-shared';
import { overviewRouter } from './drafting-overview';
import { publishRouter } from './drafting-publish';
import { detailsRouter } from './drafting-details';
import { criteriaRouter } from './drafting-criteria';
import { questionsRouter } from './drafting-questions';
import { deadlinesRouter } from './drafting-deadlines';
import { documentsRouter } from './drafting-documents';

export const newDraftForm = z.object({
  title: requiredText('a title', 200),
  lot: z.string({ error: 'Select the lot' }).regex(/^[0-9a-f]{24}$/i, 'Select the lot'),
  ruleSet: z.enum(RULE_SETS, { error: 'Select the rules this competition runs under' }),
});

async function renderNew(req: Request, res: Response, values: Record<string, unknown>, errors?: FormErrors, status = 200): Promise<void> {
  const council = currentUser(req)!.organisation;
  const [lots, settings] = await Promise.all([lotChoices(), deadlineSettingsFor(council)]);
  res.status(status).render('buyer/competitions/draft-new', { pageTitle: 'Create a competition', lots, ruleSets: ruleSetChoices(settings), values, errors });
}

export function draftingRouter(): Router {
  const router = Router();

  // GET /buyer/competitions: the council's competitions, newest change first, 25 a page.
  router.get('/', async (req, res) => {
    const page = pageParam(req);
    const { total, items } = await listForCouncil(currentUser(req)!.organisation, page);
    const pager = paging(BASE, page, total, PAGE_SIZE);
    const lots = new Map((await Lot.find({}, { number: 1, title: 1 }).lean()).map((l) => [String(l._id), l]));
    const now = servicesOf(req).clock.now();
    const rows = items.map((c) => [
      competitionLinkCell(String(c._id), c.reference, c.title),
      { text: c.title },
      { text: lotLabel(lots.get(String(c.lot))) },
      stageTagCell(stageOf(c, now)),
      { text: c.deadline ? formatDeadline(c.deadline) : 'Not set' },
    ]);
    res.render('buyer/competitions/list', { pageTitle: 'Competitions', rows, pager, stageNames: STAGE_NAMES });
  });

  // GET and POST /buyer/competitions/new: title, lot and rule-set start a draft with its reference.
  router.get('/new', async (req, res) => {
    await renderNew(req, res, { ruleSet: (await frameworkSettings()).defaultRuleSet });
  });
  router.post('/new', async (req, res) => {
    const form = parseForm(newDraftForm, req.body);
    if (!form.ok) return renderNew(req, res, form.values, form.errors, 400);
    const { clock, keyring } = servicesOf(req);
    const created = await createDraft(clock, keyring, actor(req), form.data);
    if (created.outcome === 'no-lot') return renderNew(req, res, { ...form.data }, errorsFrom({ lot: 'Select a lot that is open' }), 400);
    flash(req, `Draft ${created.reference} created. Complete each section, then publish it.`);
    res.redirect(303, `${BASE}/${created.id}`);
  });

  router.use(overviewRouter());
  router.use(publishRouter());
  router.use(detailsRouter());
  router.use(criteriaRouter());
  router.use(questionsRouter());
  router.use(deadlinesRouter());
  router.use(documentsRouter());
  return router;
}
