// A bidder's award letter, for the supplier's organisation only (an invited competition, else 404; no letter, 404):
// their own scores beside the winner's, never another bidder's. The first read is recorded.
import { Router } from 'express';
import createError from 'http-errors';
import { servicesOf } from '../../../server/app';
import { currentUser } from '../../../server/auth/guards';
import { RULE_SET_NAMES } from '../../../server/domain/tenderRules';
import { readLetter } from '../../../server/services/awards-read';
import { formatDate, formatDateTime } from '../../admin/helpers';
import { formatMoney } from '../../../server/domain/money';
import { formatPoints } from '../../../server/domain/awardLetters';
import { loadInvited } from './load';

export function letterRouter(): Router {
  const router = Router();

  // GET /supplier/opportunities/:id/letter: the organisation's letter about the competition's award.
  router.get('/:id/letter', async (req, res) => {
    const c = await loadInvited(req);
    const found = await readLetter(servicesOf(req).clock, currentUser(req)!, c._id);
    if (!found) throw createError(404);
    const { letter: l, cancelledAt } = found;
    const score = (n: number | undefined, weight: number) => (n === undefined ? 'Not assessed' : `${formatPoints(n)} out of ${weight}`);
    res.set('Cache-Control', 'no-store');
    res.render('supplier/opportunities/letter', {
      pageTitle: l.kind === 'assessment-summary' ? 'Assessment summary' : 'Award decision',
      competition: { id: String(c._id), reference: c.reference, title: c.title },
      l, ruleSetName: RULE_SET_NAMES[l.ruleSet], sentAt: formatDateTime(found.sentAt),
      cancelledAt: cancelledAt ? formatDateTime(cancelledAt) : undefined,
      head: [{ text: 'Criterion' }, { text: 'Weight', format: 'numeric' }, { text: 'Your score', format: 'numeric' }, ...(l.won ? [] : [{ text: 'Winning bid’s score', format: 'numeric' }])],
      rows: l.rows.map((r) => [{ text: r.criterion }, { text: `${r.weight}%`, format: 'numeric' }, { text: score(r.yourScore, r.weight), format: 'numeric' }, ...(l.won ? [] : [{ text: score(r.winnerScore, r.weight), format: 'numeric' }])]),
      explanations: l.rows.filter((r) => r.yourExplanation || r.winnerExplanation),
      totals: { yours: formatPoints(l.yourTotal), winner: l.winnerTotal === undefined ? undefined : formatPoints(l.winnerTotal), max: l.maxTotal },
      standstillEnd: formatDate(l.standstill.end),
      challenged: found.challenged,
      // a challenge resolved in the award's favour restarts the standstill: the letter's date is then out of date
      standstillMoved: found.standstillNow && found.standstillNow.getTime() !== l.standstill.end.getTime() ? formatDate(found.standstillNow) : undefined,
      notice: l.notice ? { ...l.notice, publishedAt: formatDate(l.notice.publishedAt), value: formatMoney(l.notice.valuePence), standstillEnd: formatDate(l.notice.standstillEnd) } : undefined,
    });
  });

  return router;
}
