// Network admins as the second person for awards: the awards awaiting approval across councils, one award's
// proposal, and approving it (which sends the letters). Admins see the decision, never the bids.
import { Router } from 'express';
import createError from 'http-errors';
import { Competition } from '../../models/Competition';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { AwardRecord, findAwardFor } from '../../server/services/awards';
import { approveAward } from '../../server/services/awards-approve';
import { awardsAwaitingApproval } from '../../server/services/awards-read';
import { answerApproval, summaryRows } from '../buyer/competitions/award-view';
import { formatDateTime, idParam, linkCell, pageParam, paging } from './helpers';

const PAGE_SIZE = 25;

export function adminAwardsRouter(): Router {
  const router = Router();

  // GET /admin/awards: proposed awards waiting for a second person, oldest first.
  router.get('/awards', async (req, res) => {
    const page = pageParam(req);
    const { total, items } = await awardsAwaitingApproval(page, PAGE_SIZE);
    const pager = paging('/admin/awards', page, total, PAGE_SIZE);
    const rows = items.map((a) => [
      linkCell(`/admin/awards/${a.id}`, a.reference, 'award proposal'),
      { text: a.title }, { text: a.councilName }, { text: formatDateTime(a.proposedAt) },
    ]);
    res.render('admin/awards/list', { pageTitle: 'Awards awaiting approval', rows, pager });
  });

  // GET /admin/awards/:id: one award's proposal and, while proposed, the approval form.
  router.get('/awards/:id', async (req, res) => {
    const award = await findAwardFor(currentUser(req)!, idParam(req));
    if (!award) throw createError(404);
    res.render('admin/awards/show', await showParams(award, servicesOf(req).clock.now(), String(currentUser(req)!._id)));
  });

  // POST /admin/awards/:id/approve: an admin approves as the second person; the letters go out.
  router.post('/awards/:id/approve', async (req, res) => {
    const id = idParam(req);
    const { clock, mailer, config } = servicesOf(req);
    answerApproval(req, res, await approveAward(clock, mailer, config.baseUrl, currentUser(req)!, id), `/admin/awards/${id}`);
  });

  return router;
}

async function showParams(award: AwardRecord, now: Date, me: string) {
  const c = await Competition.findById(award.competition, { title: 1, reference: 1 }).lean();
  return {
    pageTitle: `Award: ${c?.reference ?? ''}`, competition: { reference: c?.reference ?? '', title: c?.title ?? '' },
    summary: await summaryRows(award, now), id: String(award._id),
    canApprove: award.status === 'proposed' && award.live && String(award.proposedBy) !== me,
  };
}
