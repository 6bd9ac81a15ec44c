// What the tender box pages show (the buyer's and the network admin's): the opening state in words, the action the
// signed-in person may take, and an opened bid laid out for reading. Every value is text unless built here escaped.
import { CompetitionRecord, formatDeadline } from '../../../server/services/competitions';
import { BoxState, ListedBid, OpenedBid, OpeningStepView } from '../../../server/services/tenderBox';
import { formatMoney } from '../../../server/domain/money';
import { OPENING_WINDOW_HOURS } from '../../../server/domain/opening';
import { formatSize, typeLabel } from '../../../server/services/documents';
import { escapeHtml } from '../../../server/views/govuk';
import { formatReceivedAt } from '../../../server/services/bids';
import { formatDateTime } from '../../admin/helpers';

const roleName = (role: string) => (role === 'admin' ? 'network admin' : 'buyer of the council');
const person = (s: OpeningStepView, me: string) => (s.by === me ? 'You' : `${s.name} (${roleName(s.role)})`);

export type BoxAction = 'start' | 'confirm' | undefined;

export interface BoxView {
  stage: string;
  /** the heading line of the state, e.g. "Sealed until Friday 4 December 2026, 12:00pm" */
  headline: string;
  paragraphs: string[];
  rows: Array<{ key: { text: string }; value: { text: string } }>;
  action: BoxAction;
  opened: boolean;
}

/**
 * The opening state for `me` (user id and role): what has happened, and whether they may start or confirm.
 * An admin cannot confirm another admin's first step, and nobody confirms their own.
 */
export function boxView(state: BoxState, me: { id: string; role: string }): BoxView {
  const deadline = state.deadline ? formatDeadline(state.deadline) : '';
  const view: BoxView = { stage: state.stage, headline: '', paragraphs: [], rows: [], action: undefined, opened: false };
  const twoPeople = 'Opening needs two different people: two buyers of the council that runs the competition, or one of its buyers and a network admin.';
  switch (state.stage) {
    case 'draft':
      view.headline = 'Not published';
      view.paragraphs.push('This competition has not been published, so there is no tender box yet.');
      break;
    case 'open':
      view.headline = `Sealed until ${deadline}`;
      view.paragraphs.push('Nobody can see the bids, or how many there are, before the deadline: not the council, not the network.', `After the deadline the box stays sealed until it is opened. ${twoPeople}`);
      break;
    case 'cancelled':
      view.headline = 'Cancelled: never opened';
      view.paragraphs.push('This competition was cancelled. Its tender box is never opened: the bids stay sealed.');
      break;
    case 'opened':
      view.opened = true;
      view.headline = 'Opened';
      view.rows.push(
        { key: { text: 'Opened' }, value: { text: formatDateTime(state.opened!.at) } },
        { key: { text: 'First person' }, value: { text: `${person(state.opened!.first, me.id)}, ${formatDateTime(state.opened!.first.at)}` } },
        { key: { text: 'Second person' }, value: { text: `${person(state.opened!.second, me.id)}, ${formatDateTime(state.opened!.second.at)}` } },
      );
      break;
    case 'closed':
      view.headline = 'Sealed: the deadline has passed';
      view.rows.push({ key: { text: 'Deadline' }, value: { text: deadline } });
      if (state.waiting) {
        const w = state.waiting;
        view.rows.push(
          { key: { text: 'Opening started by' }, value: { text: `${person(w, me.id)}, ${formatDateTime(w.at)}` } },
          { key: { text: 'Must be confirmed by' }, value: { text: formatDeadline(w.lapsesAt) } },
        );
        if (w.by === me.id) view.paragraphs.push(`You started opening the box. A second, different person must confirm it within ${OPENING_WINDOW_HOURS} hours: another buyer of the council or a network admin.`);
        else if (w.role === 'admin' && me.role === 'admin') view.paragraphs.push('A network admin started opening the box: the second person must be a buyer of the council.');
        else view.action = 'confirm';
      } else {
        if (state.lapsed) view.paragraphs.push(`${person(state.lapsed, me.id)} started opening the box at ${formatDateTime(state.lapsed.at)}, but nobody confirmed it within ${OPENING_WINDOW_HOURS} hours, so that step lapsed. Opening can be started again.`);
        view.paragraphs.push(`${twoPeople} The second person must confirm within ${OPENING_WINDOW_HOURS} hours of the first.`);
        view.action = 'start';
      }
      break;
  }
  return view;
}

/** A link in a table cell, to one of the buyer's own pages (the href is built from our ids, the text escaped). */
export function buyerLinkCell(href: string, text: string, hiddenText?: string): { html: string } {
  if (!/^\/buyer(\/[A-Za-z0-9-]+)*$/.test(href)) throw new Error(`unexpected link ${href}`);
  const hidden = hiddenText ? `<span class="govuk-visually-hidden"> ${escapeHtml(hiddenText)}</span>` : '';
  return { html: `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}${hidden}</a>` };
}

/** A SHA-256 in monospace, breakable every 16 characters so it wraps in a narrow column instead of overflowing. */
export function fingerprintCell(hex: string): { html: string } {
  const parts = escapeHtml(hex).match(/.{1,16}/g) ?? [];
  return { html: `<span class="app-reference">${parts.join('<wbr>')}</span>` };
}

export function bidRows(competitionId: string, bids: ListedBid[]) {
  return bids.map((b) => [
    buyerLinkCell(`/buyer/competitions/${competitionId}/tender-box/bids/${b.id}`, b.supplier, 'bid'),
    { text: String(b.version), format: 'numeric' },
    { text: formatReceivedAt(b.receivedAt) },
    fingerprintCell(b.fingerprint),
  ]);
}

const words = (text: string) => text.trim().split(/\s+/).filter(Boolean).length;

/** An opened bid for its page: answers beside their questions, the price, the commitments, the attachments. */
export function openedBidView(c: CompetitionRecord, bid: OpenedBid) {
  const criterion = new Map(c.criteria.map((k) => [String(k._id), k.name]));
  const { content } = bid;
  const base = `/buyer/competitions/${c._id}/tender-box/bids/${bid.id}`;
  return {
    receipt: [
      { key: { text: 'Version' }, value: { text: String(bid.version) } },
      { key: { text: 'Received' }, value: { text: `${formatReceivedAt(bid.receivedAt)} (${bid.receivedAt.toISOString()})` } },
      { key: { text: 'Fingerprint (SHA-256)' }, value: fingerprintCell(bid.fingerprint) },
      { key: { text: 'Fingerprint check' }, value: { text: bid.fingerprintMatches ? 'Matches the receipt: this is the bid as submitted' : 'Does not match the receipt: report this to the network' } },
    ],
    answers: c.questions.map((q, i) => {
      const text = content.answers[String(q._id)] ?? '';
      return { number: i + 1, question: q.text, criterion: criterion.get(String(q.criterion)) ?? '', paragraphs: text.split(/\n\s*\n|\r?\n/).filter((p) => p.trim()), words: words(text), wordLimit: q.wordLimit };
    }),
    price: content.price.totalPence == null ? 'Not given' : formatMoney(content.price.totalPence),
    breakdown: content.price.breakdown.map((l) => [{ text: l.item }, { text: formatMoney(l.pence), format: 'numeric' }]),
    commitments: content.commitments.map((l) => [
      { text: `${l.code}: ${l.description}` },
      { text: `${l.quantity} ${l.unit}` },
      { text: `${formatMoney(l.proxyValuePence)} (${l.proxyYear})`, format: 'numeric' },
      { text: formatMoney(l.valuePence), format: 'numeric' },
    ]),
    commitmentsTotal: formatMoney(content.commitments.reduce((s, l) => s + l.valuePence, 0)),
    attachments: content.attachments.map((a) => ({ name: a.name, href: `${base}/attachments/${a.file}`, details: `${typeLabel(a.contentType)}, ${formatSize(a.size)}`, sha256: a.sha256 })),
  };
}
