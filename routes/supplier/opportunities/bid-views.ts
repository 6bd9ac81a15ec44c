// How the bid pages describe a bid: its status, what each section holds, and the receipts of its versions.
// Every value is text (rendered escaped), bar the tags the GOV.UK component builds.
import { BidContent } from '../../../server/domain/bidContent';
import { commitmentsTotal, countWords } from '../../../server/domain/bidForms';
import { formatMoney } from '../../../server/domain/money';
import { BidRecord, formatReceivedAt } from '../../../server/services/bids';
import { formatDateTime } from '../../admin/helpers';
import { bidPath } from './bid-common';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export interface BidStatus {
  tag: { text: string; classes: string };
  detail: string;
  /** the version currently submitted, if any */
  current?: number;
  /** changes saved after the current version was submitted */
  changedSince: boolean;
}

export function bidStatus(bid: BidRecord | null): BidStatus {
  const versions = bid?.versions ?? [];
  const current = versions.find((v) => v.status === 'submitted');
  const last = versions.at(-1);
  const savedAt = bid?.draft?.savedAt ?? undefined;
  if (current) {
    return {
      tag: { text: 'Submitted', classes: 'govuk-tag--green' }, current: current.n,
      detail: `Version ${current.n}, received ${formatReceivedAt(current.receivedAt)}`,
      changedSince: !!savedAt && savedAt > current.receivedAt,
    };
  }
  if (last?.status === 'withdrawn') {
    return { tag: { text: 'Withdrawn', classes: 'govuk-tag--orange' }, detail: `Version ${last.n} withdrawn at ${formatReceivedAt(last.withdrawnAt!)}. You can submit again before the deadline.`, changedSince: false };
  }
  if (savedAt) return { tag: { text: 'Draft', classes: 'govuk-tag--blue' }, detail: `Last saved ${formatDateTime(savedAt)}`, changedSince: false };
  return { tag: { text: 'Not started', classes: 'govuk-tag--grey' }, detail: 'You have not saved any part of your bid yet', changedSince: false };
}

/** One summary-list row per section: what is saved, and a link to change it while the competition is open. */
export function sectionRows(c: { _id: unknown; questions: unknown[] }, content: BidContent, open: boolean) {
  const answered = Object.values(content.answers).filter((a) => a.trim()).length;
  const { totalPence, breakdown } = content.price;
  const sections = [
    { key: 'answers', name: 'Answers', value: `${answered} of ${plural(c.questions.length, 'question')} answered` },
    { key: 'price', name: 'Price', value: totalPence == null ? 'Not entered' : `${formatMoney(totalPence)} excluding VAT${breakdown.length ? `, in ${plural(breakdown.length, 'line')}` : ''}` },
    { key: 'social-value', name: 'Social value commitments', value: content.commitments.length ? `${plural(content.commitments.length, 'commitment')} worth ${formatMoney(commitmentsTotal(content.commitments))}` : 'None' },
    { key: 'attachments', name: 'Attachments', value: content.attachments.length ? content.attachments.map((a) => a.name).join(', ') : 'None' },
  ];
  return sections.map((s) => ({
    key: { text: s.name },
    value: { text: s.value },
    actions: open ? { items: [{ href: bidPath(c, `/${s.key}`), text: 'Change', visuallyHiddenText: s.name.toLowerCase() }] } : undefined,
  }));
}

const STATUS_TAGS: Record<string, { text: string; classes: string }> = {
  submitted: { text: 'Current', classes: 'govuk-tag--green' },
  superseded: { text: 'Superseded', classes: 'govuk-tag--grey' },
  withdrawn: { text: 'Withdrawn', classes: 'govuk-tag--orange' },
};

export const versionTag = (status: string) => STATUS_TAGS[status] ?? { text: status, classes: 'govuk-tag--grey' };

/** The receipts of every submitted version, newest first. */
export function receiptRows(c: { _id: unknown }, bid: BidRecord | null) {
  return [...(bid?.versions ?? [])].reverse().map((v) => ({
    n: v.n, receivedAt: formatReceivedAt(v.receivedAt), iso: v.receivedAt.toISOString(), fingerprint: v.fingerprint, tag: versionTag(v.status),
    href: bidPath(c, `/receipts/${v.n}`),
  }));
}

/** The review page's view of the answers: each question with its answer's paragraphs and word count. */
export function answerViews(questions: Array<{ _id: unknown; text: string; wordLimit: number }>, content: BidContent) {
  return questions.map((q, i) => {
    const text = content.answers[String(q._id)] ?? '';
    return { n: i + 1, text: q.text, paragraphs: text.split(/\n\s*\n|\n/).filter((p) => p.trim()), words: countWords(text), wordLimit: q.wordLimit };
  });
}
