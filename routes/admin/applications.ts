// The network's vetting: the queue of submitted applications and the review page, where each admin scores
// the values and principles independently. Clarifications, extensions and decisions: applicationActions.ts.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { currentUser } from '../../server/auth/guards';
import { SCORED_CRITERIA } from '../../server/domain/applicationQuestions';
import { aggregateScores, canSeeOthersScores, dueStatus, extension, reviewOf, Scores, SCORE_SCALE, undecidedLots } from '../../server/domain/vetting';
import { findForReview, listQueue, QUEUE_PAGE_SIZE, QUEUE_STATUSES, saveReview } from '../../server/services/vetting';
import { listLots } from '../../server/services/organisations';
import { errorsFrom, FormErrors, parseForm } from '../../server/validation';
import { flash } from '../render';
import { formatDate, formatDateTime, idParam, linkCell, paging } from './helpers';
import { CRITERIA, daysLeftCell, dueText, outcomeTag, plural, SCORE_ITEMS, snapshotSections, statusTag } from './applicationsView';

export const COMMENT_MAX = 2000;

const objectId = z.string().regex(/^[0-9a-f]{24}$/i);

/** The queue's filters, from the query string; anything else (an array, an unknown status) is a 400. */
export const queueQuery = z.object({
  status: z.enum(QUEUE_STATUSES).default('awaiting'),
  lot: z.union([z.literal(''), objectId]).optional().transform((v) => v || undefined),
  page: z.string().regex(/^[1-9][0-9]{0,5}$/).transform(Number).default(1),
});

export const STATUS_FILTERS: Array<{ value: (typeof QUEUE_STATUSES)[number]; text: string }> = [
  { value: 'awaiting', text: 'Awaiting decision' },
  { value: 'overdue', text: 'Overdue' },
  { value: 'decided', text: 'Decided' },
  { value: 'withdrawn', text: 'Withdrawn' },
  { value: 'all', text: 'All' },
];

const SCORE_VALUES = SCORE_SCALE.map((s) => String(s.score)) as [string, ...string[]];

/** The scoring form: a draft may be partial; a submission needs every criterion scored 0-4 with a comment. */
export function reviewForm(submit: boolean) {
  const shape: Record<string, z.ZodType> = {};
  for (const c of SCORED_CRITERIA) {
    const score = z.enum(SCORE_VALUES, { error: `Select a score from 0 to 4 for ${c.title.toLowerCase()}` });
    const comment = z.string({ error: `Enter a comment on ${c.title.toLowerCase()}` }).trim().max(COMMENT_MAX, `Your comment on ${c.title.toLowerCase()} must be ${COMMENT_MAX} characters or fewer`);
    shape[`score-${c.key}`] = submit ? score : score.optional();
    shape[`comment-${c.key}`] = submit ? comment.min(1, `Enter a comment on ${c.title.toLowerCase()}`) : comment.optional();
  }
  return z.object(shape);
}
const reviewAction = z.object({ action: z.enum(['save', 'submit'], { error: 'Choose to save your scores or submit them' }) });

function scoresFrom(data: Record<string, unknown>): Scores {
  const out: Scores = {};
  for (const c of SCORED_CRITERIA) {
    const score = data[`score-${c.key}`];
    const comment = data[`comment-${c.key}`];
    if (score !== undefined || comment) out[c.key] = { ...(score !== undefined ? { score: Number(score) } : {}), ...(comment ? { comment: String(comment) } : {}) };
  }
  return out;
}

function queueHref(filter: { status: string; lot?: string }, page = 1): string {
  const params = new URLSearchParams();
  if (filter.status !== 'awaiting') params.set('status', filter.status);
  if (filter.lot) params.set('lot', filter.lot);
  if (page > 1) params.set('page', String(page));
  const q = params.toString();
  return q ? `/admin/applications?${q}` : '/admin/applications';
}

export function applicationsRouter(): Router {
  const router = Router();

  // GET /admin/applications: the vetting queue, soonest due first.
  router.get('/applications', async (req, res) => {
    const query = queueQuery.safeParse(req.query);
    if (!query.success) throw createError(400);
    const { status, lot, page } = query.data;
    const now = servicesOf(req).clock.now();
    const [{ total, items }, lots] = await Promise.all([listQueue(now, { status, lot }, page), listLots()]);
    const pager = paging('/admin/applications', page, total, QUEUE_PAGE_SIZE);
    if (pager.component) {
      const c = pager.component as any;
      for (const item of c.items) if (item.number) item.href = queueHref({ status, lot }, item.number);
      if (c.previous) c.previous.href = queueHref({ status, lot }, page - 1);
      if (c.next) c.next.href = queueHref({ status, lot }, page + 1);
    }
    const rows = items.map((a) => {
      const due = dueStatus(a, now);
      return [
        linkCell(`/admin/applications/${a.id}`, a.reference),
        { text: a.supplier },
        { text: a.lots.map((n) => `Lot ${n}`).join(', ') },
        { text: formatDate(a.submittedAt) },
        { text: due ? formatDate(due.dueBy) + (a.extendedDueBy ? ' (extended)' : '') : '' },
        daysLeftCell(due, a.status),
        statusTag(a.status, due),
      ];
    });
    res.render('admin/applications/queue', {
      pageTitle: 'Applications', rows, pager, status, lot,
      statusItems: STATUS_FILTERS.map((s) => ({ ...s, selected: s.value === status })),
      lotItems: [{ value: '', text: 'All lots', selected: !lot }, ...lots.map((l) => ({ value: String(l._id), text: `Lot ${l.number}: ${l.title}`, selected: String(l._id) === lot }))],
    });
  });

  // GET /admin/applications/:id: every answer, the clarifications, decisions and the panel's scores.
  router.get('/applications/:id', async (req, res) => {
    await renderReview(req, res, idParam(req));
  });

  // POST /admin/applications/:id/review: save this reviewer's scores as a draft, or submit them.
  router.post('/applications/:id/review', async (req, res) => {
    const id = idParam(req);
    const action = parseForm(reviewAction, req.body);
    if (!action.ok) return renderReview(req, res, id, { values: action.values, errors: action.errors }, 400);
    const submit = action.data.action === 'submit';
    const form = parseForm(reviewForm(submit), req.body);
    if (!form.ok) return renderReview(req, res, id, { values: form.values, errors: form.errors }, 400);
    const outcome = await saveReview(servicesOf(req).clock, currentUser(req)!, id, scoresFrom(form.data), submit);
    if (outcome === 'missing') throw createError(404);
    if (outcome === 'closed' || outcome === 'locked') {
      const text = outcome === 'locked' ? 'You have already submitted your scores for this application' : 'This application is no longer awaiting a decision, so it cannot be scored';
      return renderReview(req, res, id, { values: req.body as Record<string, unknown>, errors: errorsFrom({ [`score-${CRITERIA[0].key}`]: text }) }, 409);
    }
    if (typeof outcome === 'object') {
      return renderReview(req, res, id, { values: req.body, errors: errorsFrom(Object.fromEntries(outcome.incomplete.map((k) => [`score-${k}`, 'Score every criterion and comment on each']))) }, 400);
    }
    flash(req, outcome === 'submitted' ? 'Your scores have been submitted' : 'Your scores have been saved as a draft');
    res.redirect(303, `/admin/applications/${id}#scores`);
  });

  return router;
}

/** The review page; the scoring form posts back to it, so its errors re-render this page. */
export async function renderReview(req: Request, res: Response, id: string, form: { values?: Record<string, unknown>; errors?: FormErrors } = {}, status = 200): Promise<void> {
  const found = await findForReview(id);
  if (!found) throw createError(404);
  const { app, supplier, lots, documents, names } = found;
  const me = currentUser(req)!;
  const now = servicesOf(req).clock.now();
  const due = dueStatus(app, now);
  const lotName = new Map(lots.map((l) => [String(l._id), `Lot ${l.number}: ${l.title}`]));
  const supplierName = (app.snapshot as any)?.answers?.organisation?.legalName || supplier?.profile?.legalName || supplier?.name || '';

  const summary = [
    { key: { text: 'Reference' }, value: { text: app.reference ?? '' } },
    { key: { text: 'Supplier' }, value: { text: supplierName } },
    { key: { text: 'Lots sought' }, value: { text: lots.map((l) => `Lot ${l.number}: ${l.title}`).join('; ') } },
    { key: { text: 'Received' }, value: { text: formatDateTime(app.submittedAt) } },
    { key: { text: 'Nation (for bank holidays)' }, value: { text: app.nation ?? 'England' } },
    { key: { text: 'Due by' }, value: { text: due ? `${formatDate(due.dueBy)}${app.status === 'submitted' ? ` (${dueText(due)})` : ''}` : '' } },
    ...(app.extendedDueBy ? [{ key: { text: 'Extended' }, value: { text: `From ${formatDate(app.dueBy)} to ${formatDate(app.extendedDueBy)}. Reason: ${app.extensionReason ?? ''}` } }] : []),
    { key: { text: 'Status' }, value: statusTag(app.status, due) },
  ];

  const decisionRows = (app.decisions ?? []).map((d) => [
    { text: lotName.get(String(d.lot)) ?? 'Lot' },
    outcomeTag(d.outcome),
    { text: d.reasons },
    { text: `${names[String(d.decidedBy)] ?? 'An admin'}, ${formatDateTime(d.decidedAt)}` },
  ]);
  const clarifications = (app.clarifications ?? []).map((c) => ({
    question: c.question,
    asked: `Asked by ${names[String(c.askedBy)] ?? 'an admin'} on ${formatDateTime(c.askedAt)}`,
    answer: c.answer,
    answered: c.answeredAt ? `Answered on ${formatDateTime(c.answeredAt)}` : undefined,
  }));

  const mine = reviewOf(app.reviews, me._id);
  const seeOthers = canSeeOthersScores(app.reviews, me._id);
  const aggregate = aggregateScores(app.reviews);
  const othersSubmitted = (app.reviews ?? []).filter((r) => r.submittedAt && String(r.reviewer) !== me._id).length;
  const scoreHead = [{ text: 'Criterion' }, ...aggregate.reviewers.map((r) => ({ text: names[r] ?? 'Reviewer' })), { text: 'Mean', format: 'numeric' }];
  const scoreRows = aggregate.criteria.map((c) => [
    { text: c.title },
    ...aggregate.reviewers.map((r) => {
      const s = c.scores.find((x) => x.reviewer === r);
      return { text: s ? `${s.score}: ${s.comment}` : '' };
    }),
    { text: c.mean === undefined ? '' : String(c.mean), format: 'numeric' },
  ]);
  const values: Record<string, unknown> = form.values ?? {};
  if (!form.values && mine) {
    for (const [k, v] of Object.entries((mine.scores ?? {}) as Scores)) {
      if (v?.score !== undefined) values[`score-${k}`] = String(v.score);
      if (v?.comment) values[`comment-${k}`] = v.comment;
    }
  }
  const canExtend = extension(app, 'reason').ok;
  const pending = undecidedLots(app.lots ?? [], app.decisions);

  res.status(status).render('admin/applications/show', {
    pageTitle: `Application ${app.reference ?? ''}`, id, app, supplierName, summary, decisionRows, clarifications,
    sections: snapshotSections(app.snapshot, documents),
    // each criterion with the supplier's statement on it, so the reviewer scores beside the answer
    criteria: CRITERIA.map((c) => ({ ...c, answer: String((app.snapshot as any)?.answers?.values?.[c.key] ?? 'Not answered') })),
    scoreItems: SCORE_ITEMS, scale: SCORE_SCALE.map((s) => ({ key: { text: s.text }, value: { text: s.hint } })), commentMax: COMMENT_MAX,
    mine, seeOthers, othersSubmitted: plural(othersSubmitted, 'other reviewer'), othersSubmittedCount: othersSubmitted,
    scoreHead, scoreRows, total: aggregate.total,
    open: app.status === 'submitted', canExtend, pendingLots: pending.length,
    values, errors: form.errors,
  });
}
