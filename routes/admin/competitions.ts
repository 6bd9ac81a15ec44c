// Network admins and competitions' tender boxes: those past their deadline awaiting opening (with whether a first
// step waits) and opened ones; one competition's box, where an admin can be one of the two people who open it.
// Admins never read bids: any route that would is refused (403), audited and logged as a security alert.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { STAGE_NAMES, stageOf } from '../../server/domain/competitionState';
import { formatDeadline } from '../../server/services/competitions';
import { ADMIN_VIEWS, AdminView, boxForAdmin, listForOpening, ReadTarget, refuseAdminRead, takeOpeningStep } from '../../server/services/tenderBox';
import { parseForm } from '../../server/validation';
import { openingForm } from '../buyer/competitions/tenderBox';
import { answerOpening, answerRefusedRead } from '../buyer/competitions/tenderBox-answers';
import { boxView } from '../buyer/competitions/tenderBox-view';
import { formatDateTime, idParam, linkCell, paging, tagCell } from './helpers';

const PAGE_SIZE = 25;
const listQuery = z.object({
  view: z.enum(ADMIN_VIEWS).default('awaiting'),
  page: z.string().regex(/^[1-9][0-9]{0,5}$/).transform(Number).default(1),
});
const listHref = (view: AdminView, page = 1) => `/admin/competitions${view === 'opened' ? '?view=opened' : ''}${page > 1 ? `${view === 'opened' ? '&' : '?'}page=${page}` : ''}`;

async function renderBox(req: Request, res: Response, id: string, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
  const now = servicesOf(req).clock.now();
  const found = await boxForAdmin(now, id);
  if (!found) throw createError(404);
  const { competition: c, councilName, state } = found;
  const me = currentUser(req)!;
  res.status(status).render('admin/competitions/show', {
    pageTitle: `Tender box: ${c.reference}`, competition: { id, reference: c.reference, title: c.title },
    summary: [
      { key: { text: 'Title' }, value: { text: c.title } },
      { key: { text: 'Council' }, value: { text: councilName } },
      { key: { text: 'Deadline' }, value: { text: c.deadline ? formatDeadline(c.deadline) : '' } },
      { key: { text: 'Stage' }, value: { text: STAGE_NAMES[stageOf(c, now)] } },
    ],
    box: boxView(state, { id: String(me._id), role: me.role }), formAction: `/admin/competitions/${id}/open`, ...extra,
  });
}

/** An admin on a route that would read bids: refused and audited (404 only for a competition that does not exist). */
async function refuseRead(req: Request, res: Response, target: ReadTarget): Promise<void> {
  const id = idParam(req);
  const refused = await refuseAdminRead(servicesOf(req).clock, currentUser(req)!, id, target);
  if (refused.outcome === 'missing') throw createError(404);
  answerRefusedRead(req, res, refused, target, `/admin/competitions/${id}`);
}

export function adminCompetitionsRouter(): Router {
  const router = Router();

  // GET /admin/competitions: tender boxes awaiting opening (?view=opened: those opened), paginated.
  router.get('/competitions', async (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) throw createError(400);
    const { view, page } = query.data;
    const { total, counts, items } = await listForOpening(servicesOf(req).clock.now(), view, page, PAGE_SIZE);
    const pager = paging('/admin/competitions', page, total, PAGE_SIZE);
    if (pager.component) {
      const c = pager.component as any;
      for (const item of c.items) if (item.number) item.href = listHref(view, item.number);
      if (c.previous) c.previous.href = listHref(view, page - 1);
      if (c.next) c.next.href = listHref(view, page + 1);
    }
    const rows = items.map((c) => [
      linkCell(`/admin/competitions/${c._id}`, c.reference, 'tender box'),
      { text: c.title },
      { text: c.councilName },
      { text: formatDateTime(c.deadline) },
      view === 'opened' ? { text: formatDateTime(c.opening?.openedAt) } : c.waiting ? tagCell('First step waiting', 'yellow') : tagCell('Not started', 'grey'),
    ]);
    res.render('admin/competitions/list', { pageTitle: 'Tender boxes', view, rows, pager, counts, awaitingHref: listHref('awaiting'), openedHref: listHref('opened') });
  });

  // GET /admin/competitions/:id: the tender box's state and, after the deadline, the opening step an admin may take.
  router.get('/competitions/:id', async (req, res) => {
    await renderBox(req, res, idParam(req));
  });

  // POST /admin/competitions/:id/open: an admin's opening step (first or second; never with another admin).
  router.post('/competitions/:id/open', async (req, res) => {
    const id = idParam(req);
    const form = parseForm(openingForm, req.body);
    if (!form.ok) return renderBox(req, res, id, { errors: form.errors, values: form.values }, 400);
    const { clock, mailer, config } = servicesOf(req);
    const outcome = await takeOpeningStep(clock, mailer, config.baseUrl, currentUser(req)!, id);
    answerOpening(req, res, outcome, `/admin/competitions/${id}`);
  });

  // Routes that would read bids: admins open boxes but never read them.
  router.get('/competitions/:id/bids', (req, res) => refuseRead(req, res, { what: 'bids list' }));
  router.get('/competitions/:id/bids/:bidId', (req, res) => refuseRead(req, res, { what: 'bid', bid: idParam(req, 'bidId') }));
  router.get('/competitions/:id/bids/:bidId/attachments/:fileId', (req, res) => refuseRead(req, res, { what: 'attachment', bid: idParam(req, 'bidId'), file: idParam(req, 'fileId') }));
  return router;
}
