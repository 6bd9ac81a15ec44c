// What the supplier's Opportunities pages show: each competition's stage as a tag (Open, Closing soon, Closed,
// Cancelled) and how far the supplier's own bid has got (read from version statuses and the draft's save time
// only: never any content, which stays sealed).
import { trusted } from 'mongoose';
import { Bid } from '../../../models/Bid';
import { Lot } from '../../../models/Lot';
import { Organisation } from '../../../models/Organisation';
import { canAskQuestions, isClosingSoon, stageOf, timeLeft } from '../../../server/domain/competitionState';
import { CompetitionRecord, formatDeadline, listForSupplier, PAGE_SIZE } from '../../../server/services/competitions';
import { ownQuestionsAwaiting, publishedClarifications } from '../../../server/services/clarifications';
import { escapeHtml, govuk } from '../../../server/views/govuk';
import { competitionDocuments, competitionView, lotLabel } from '../../buyer/competitions/drafting-view';
import { formatDateTime, paging } from '../../admin/helpers';

export type Tag = { text: string; classes: string };

/** The competition's stage for a supplier, as a GOV.UK tag. */
export function stageTag(c: Pick<CompetitionRecord, 'status' | 'deadline' | 'opening'>, now: Date): Tag {
  const stage = stageOf(c, now);
  if (stage === 'cancelled') return { text: 'Cancelled', classes: 'govuk-tag--red' };
  if (stage === 'open') return isClosingSoon(c, now) ? { text: 'Closing soon', classes: 'govuk-tag--orange' } : { text: 'Open', classes: 'govuk-tag--green' };
  return { text: 'Closed', classes: 'govuk-tag--grey' };
}

export type BidProgress = 'submitted' | 'withdrawn' | 'draft' | 'none';

export const BID_TAGS: Record<BidProgress, Tag> = {
  submitted: { text: 'Bid submitted', classes: 'govuk-tag--green' },
  withdrawn: { text: 'Bid withdrawn', classes: 'govuk-tag--grey' },
  draft: { text: 'Draft saved', classes: 'govuk-tag--yellow' },
  none: { text: 'Not started', classes: 'govuk-tag--grey' },
};

/** The supplier's bid progress in each competition, reading only version statuses and the draft's save time. */
export async function bidProgress(supplierId: unknown, competitionIds: unknown[]): Promise<Map<string, BidProgress>> {
  const out = new Map<string, BidProgress>();
  if (competitionIds.length === 0) return out;
  const bids = await Bid.find({ competition: trusted({ $in: competitionIds }), supplier: supplierId } as any, { competition: 1, 'versions.status': 1, 'draft.savedAt': 1 }).lean<Array<{ competition: unknown; versions?: Array<{ status: string }>; draft?: { savedAt?: Date } }>>();
  for (const b of bids) {
    const statuses = (b.versions ?? []).map((v) => v.status);
    const progress: BidProgress = statuses.includes('submitted') ? 'submitted' : statuses.at(-1) === 'withdrawn' ? 'withdrawn' : b.draft?.savedAt ? 'draft' : 'none';
    out.set(String(b.competition), progress);
  }
  return out;
}

/** Lot labels and council names for a set of competitions. */
export async function namesFor(competitions: Array<Pick<CompetitionRecord, 'lot' | 'council'>>) {
  const [lots, councils] = await Promise.all([
    Lot.find({ _id: trusted({ $in: competitions.map((c) => c.lot) }) } as any, { number: 1, title: 1 }).lean(),
    Organisation.find({ _id: trusted({ $in: competitions.map((c) => c.council) }) } as any, { name: 1 }).lean(),
  ]);
  return {
    lot: (id: unknown) => lots.find((l) => String(l._id) === String(id)),
    council: (id: unknown) => councils.find((o) => String(o._id) === String(id))?.name ?? '',
  };
}

/** The Opportunities list: one table row per competition the supplier was invited to, with paging. */
export async function opportunityList(supplierId: unknown, page: number, now: Date) {
  const { total, items } = await listForSupplier(supplierId, page, PAGE_SIZE);
  const pages = paging('/supplier/opportunities', page, total, PAGE_SIZE);
  const [names, progress] = await Promise.all([namesFor(items), bidProgress(supplierId, items.map((c) => c._id))]);
  const rows = items.map((c) => {
    const href = `/supplier/opportunities/${c._id}`;
    const deadline = c.deadline ? formatDeadline(c.deadline) : '';
    const left = c.deadline && stageOf(c, now) === 'open' ? `${timeLeft(c.deadline, now)} left` : '';
    const bid = BID_TAGS[progress.get(String(c._id)) ?? 'none'];
    // the one html cell: every value escaped here, the href built from our own id
    const title = `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(c.title)}</a>`
      + `<br><span class="govuk-body-s">${escapeHtml(c.reference)}<br>${escapeHtml(lotLabel(names.lot(c.lot)))}</span>`;
    return [
      { html: title },
      { text: names.council(c.council) },
      { html: `${escapeHtml(deadline)}${left ? `<br><span class="govuk-body-s">${escapeHtml(left)}</span>` : ''}` },
      { html: govuk('tag', stageTag(c, now)) },
      { html: govuk('tag', bid) },
    ];
  });
  return { rows, paging: pages };
}

/** Everything the competition page shows an invited supplier (the Q&A without askers; only their own open questions). */
export async function opportunityPage(c: CompetitionRecord, supplierId: unknown, now: Date) {
  const [names, progress, documents, published, awaiting] = await Promise.all([
    namesFor([c]),
    bidProgress(supplierId, [c._id]),
    competitionDocuments(c.documents ?? [], (docId) => `/supplier/opportunities/${c._id}/documents/${docId}`),
    publishedClarifications(c._id),
    ownQuestionsAwaiting(c._id, supplierId),
  ]);
  const stage = stageOf(c, now);
  return {
    id: String(c._id),
    title: c.title,
    reference: c.reference,
    summary: competitionView(c, { lot: names.lot(c.lot), councilName: names.council(c.council), documents, now }),
    stageTag: stageTag(c, now),
    open: stage === 'open',
    deadline: c.deadline ? formatDeadline(c.deadline) : '',
    timeLeft: stage === 'open' && c.deadline ? timeLeft(c.deadline, now) : '',
    clarificationDeadline: c.clarificationDeadline ? formatDeadline(c.clarificationDeadline) : '',
    canAsk: canAskQuestions(c, now),
    bidTag: BID_TAGS[progress.get(String(c._id)) ?? 'none'],
    cancellation: c.status === 'cancelled' ? { reason: c.cancellation?.reason ?? '', at: formatDateTime(c.cancellation?.at) } : undefined,
    deadlineChanges: (c.deadlineChanges ?? []).slice().reverse().map((d) => ({
      what: d.field === 'clarificationDeadline' ? 'Deadline for questions' : 'Submission deadline',
      from: formatDeadline(d.from), to: formatDeadline(d.to), reason: d.reason, at: formatDateTime(d.at),
    })),
    published: published.map((p) => ({ ...p, publishedAt: formatDateTime(p.publishedAt), paragraphs: paragraphs(p.answer) })),
    awaiting: awaiting.map((q) => ({ ...q, askedAt: formatDateTime(q.askedAt) })),
  };
}

/** Text split at blank lines, for paragraphs on a page. */
export function paragraphs(text: string): string[] {
  return text.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);
}
