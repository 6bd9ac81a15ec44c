// What the award pages show, shared by the buyer's pages and the network admin's: the award's summary rows, its
// letters, refusal pages, and the answer to an approval.
import { Request, Response } from 'express';
import { trusted } from 'mongoose';
import { AwardLetter } from '../../../models/AwardLetter';
import { Organisation } from '../../../models/Organisation';
import { formatMoney } from '../../../server/domain/money';
import { AwardRecord } from '../../../server/services/awards';
import { ApproveOutcome } from '../../../server/services/awards-approve';
import { userNames } from '../../../server/services/evaluation';
import { formatDate, formatDateTime, tagCell } from '../../admin/helpers';
import { flash } from '../../render';

export const STATUS_TAGS: Record<string, { text: string; colour: 'blue' | 'green' | 'yellow' | 'red' | 'grey' }> = {
  proposed: { text: 'Awaiting approval', colour: 'blue' },
  approved: { text: 'Approved: in standstill', colour: 'green' },
  challenged: { text: 'Challenged: standstill suspended', colour: 'red' },
  cancelled: { text: 'Cancelled', colour: 'grey' },
  contracted: { text: 'Contracted', colour: 'green' },
};

export function refused(res: Response, status: number, heading: string, paragraphs: string[], backHref: string, backText: string): void {
  res.status(status).render('buyer/competitions/award-refused', { pageTitle: heading, heading, paragraphs, backHref, backText });
}

type Row = { key: { text: string }; value: { text?: string; html?: string } };

/** The award's facts as GOV.UK summary-list rows (only what the council decided: no other bidder's details). */
export async function summaryRows(a: AwardRecord, now: Date): Promise<Row[]> {
  const supplier = (await Organisation.findById(a.supplier, { name: 1 }).lean())?.name ?? 'Unknown supplier';
  const people = [a.proposedBy, a.approvedBy, a.challenge?.by, a.cancellation?.by].filter(Boolean).map(String);
  const names = await userNames(people);
  const who = (id: unknown, at: unknown) => `${names.get(String(id)) ?? 'Unknown user'} on ${formatDateTime(at as Date)}`;
  const tag = STATUS_TAGS[a.status] ?? { text: a.status, colour: 'grey' };
  const rows: Row[] = [
    { key: { text: 'Status' }, value: tagCell(tag.text, tag.colour) },
    { key: { text: 'Awarded to' }, value: { text: supplier } },
    { key: { text: 'Value' }, value: { text: `${formatMoney(a.valuePence)} excluding VAT` } },
    { key: { text: 'Ranked first' }, value: { text: a.topRanked ? 'Yes' : 'No' } },
  ];
  if (!a.topRanked && a.reason) rows.push({ key: { text: 'Why not the top-ranked bid' }, value: { text: a.reason } });
  rows.push(
    { key: { text: 'Characteristics and relative advantages' }, value: { text: a.characteristics } },
    { key: { text: 'Proposed by' }, value: { text: who(a.proposedBy, a.proposedAt) } },
  );
  if (a.approvedBy) rows.push({ key: { text: 'Approved by' }, value: { text: who(a.approvedBy, a.approvedAt) } });
  if (a.lettersSentAt) rows.push({ key: { text: 'Letters sent' }, value: { text: formatDateTime(a.lettersSentAt) } });
  if (a.standstill?.end) {
    const over = now.getTime() > a.standstill.end.getTime();
    const suspended = a.status === 'challenged';
    rows.push(
      { key: { text: 'Standstill ends' }, value: { text: `Midnight at the end of ${formatDate(a.standstill.end)}${suspended ? ' (suspended by a challenge)' : over ? ' (ended)' : ''}` } },
      { key: { text: 'Standstill required by law' }, value: { text: a.standstill.required ? 'Yes' : 'No: kept voluntarily as good practice' } },
      { key: { text: 'Standstill rule' }, value: { text: a.standstill.rule ?? '' } },
    );
  }
  if (a.challenge?.at) {
    rows.push({ key: { text: 'Challenge recorded' }, value: { text: `${who(a.challenge.by, a.challenge.at)}: ${a.challenge.note ?? ''}` } });
    if (a.challenge.resolvedAt) rows.push({ key: { text: 'Challenge resolved' }, value: { text: `${formatDateTime(a.challenge.resolvedAt)}${a.challenge.resolution ? `: ${a.challenge.resolution}` : ''}` } });
  }
  if (a.cancellation?.at) rows.push({ key: { text: 'Cancelled' }, value: { text: `${who(a.cancellation.by, a.cancellation.at)}: ${a.cancellation.reason ?? ''}` } });
  return rows;
}

/** The letters sent for an award: one row per bidder (name, result, sent, read). */
export async function letterRows(a: AwardRecord) {
  const letters = await AwardLetter.find({ award: a._id }, { supplier: 1, won: 1, sentAt: 1, readAt: 1 }).lean();
  const orgs = await Organisation.find({ _id: trusted({ $in: letters.map((l) => String(l.supplier)) }) } as any, { name: 1 }).lean();
  const name = new Map(orgs.map((o) => [String(o._id), o.name]));
  return letters
    .map((l) => ({ name: name.get(String(l.supplier)) ?? 'Unknown supplier', l }))
    .sort((x, y) => x.name.localeCompare(y.name))
    .map(({ name: n, l }) => [{ text: n }, l.won ? tagCell('Successful', 'green') : tagCell('Unsuccessful', 'grey'), { text: formatDateTime(l.sentAt) }, { text: l.readAt ? formatDateTime(l.readAt) : 'Not yet read' }]);
}

/** Answers an approval (buyer or admin): 303 on success, else a clear refusal page. */
export function answerApproval(req: Request, res: Response, outcome: ApproveOutcome, backHref: string): void {
  switch (outcome.outcome) {
    case 'approved':
      flash(req, `The award is approved and ${outcome.letters} letters were sent. The standstill ends at midnight at the end of ${formatDate(outcome.standstillEnd)}.`);
      return res.redirect(303, backHref);
    case 'missing':
      return refused(res, 404, 'Page not found', ['There is no such award.'], backHref, 'Back');
    case 'same-person':
      return refused(res, 403, 'You cannot approve your own proposal', ['A different person must approve the award: another buyer of the council or a network admin.'], backHref, 'Back to the award');
    case 'not-proposed':
      return refused(res, 409, 'This award is no longer waiting for approval', [`Someone else has acted on it meanwhile: it is now ${(STATUS_TAGS[outcome.status]?.text ?? outcome.status).toLowerCase()}.`], backHref, 'Back to the award');
    case 'letter-problems':
      return refused(res, 409, 'The letters cannot be sent', ['The award was not approved. Put these right first:', ...outcome.problems], backHref, 'Back to the award');
  }
}
