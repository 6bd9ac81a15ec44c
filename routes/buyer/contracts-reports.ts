// The buyer's side of social-value delivery: a report and its verification (accepted, queried or rejected; a
// comment is required for queried and rejected), its evidence files, and moving a commitment's due date.
import { Request, Response, Router } from 'express';
import createError from 'http-errors';
import { z } from 'zod';
import { servicesOf } from '../../server/app';
import { formatUnits } from '../../server/domain/socialValueTotals';
import { ContractRecord } from '../../server/services/contracts';
import { DocumentNotFound, DocumentUnavailable } from '../../server/services/documents';
import {
  changeDueDate, evidenceNames, findCommitment, findReport, openEvidence, VERDICTS, verifyReport,
} from '../../server/services/socialValueDelivery';
import { errorsFrom, FormErrors, parseForm } from '../../server/validation';
import { flash } from '../render';
import { formatDate, formatDateTime, idParam } from '../admin/helpers';
import { actorOf, dateFrom, loadContract, verificationTag } from './contracts-view';

const verifyForm = z.object({
  verdict: z.enum(VERDICTS, { error: 'Select whether you accept, query or reject the report' }),
  comment: z.string().trim().max(5000, 'The comment must be 5,000 characters or fewer').optional().default(''),
});

async function reportOf(c: ContractRecord, req: Request) {
  const report = await findReport(c, idParam(req, 'reportId'));
  if (!report) throw createError(404);
  return report;
}

async function renderReport(req: Request, res: Response, c: ContractRecord, values: Record<string, unknown> = {}, errors?: FormErrors) {
  const r = await reportOf(c, req);
  const commitment = await findCommitment(c, String(r.commitment));
  const names = await evidenceNames(r.evidence);
  const base = `/buyer/contracts/${c._id}/reports/${r._id}`;
  const status = r.verification?.status ?? 'awaiting';
  res.status(errors ? 400 : 200).render('buyer/contracts/report', {
    pageTitle: `Delivery report: ${commitment?.code ?? ''}`, contract: c, commitment, values, errors, action: base, back: `/buyer/contracts/${c._id}#reports`,
    rows: [
      { key: { text: 'Measure' }, value: { text: commitment ? `${commitment.code}: ${commitment.description}` : '' } },
      { key: { text: 'Period' }, value: { text: `${formatDate(r.periodStart)} to ${formatDate(r.periodEnd)}` } },
      { key: { text: 'Quantity delivered' }, value: { text: `${formatUnits(r.quantityDelivered)} ${commitment?.unit ?? ''}` } },
      { key: { text: 'What was delivered' }, value: { text: r.narrative } },
      { key: { text: 'Outcomes the community defined' }, value: { text: r.outcomes || 'None given' } },
      { key: { text: 'Submitted' }, value: { text: formatDateTime(r.submittedAt) } },
      { key: { text: 'Verification' }, value: verificationTag(status) },
      ...(r.verification?.comment ? [{ key: { text: 'Buyer\u2019s comment' }, value: { text: r.verification.comment } }] : []),
    ],
    evidence: r.evidence.map((id) => ({ href: `${base}/evidence/${id}`, name: names.get(String(id)) ?? 'Evidence file' })),
    awaiting: status === 'awaiting',
  });
}

export function contractReportsRouter(): Router {
  const router = Router();

  router.get('/:id/reports/:reportId', async (req, res) => renderReport(req, res, await loadContract(req)));

  // POST /buyer/contracts/:id/reports/:reportId: the verdict
  router.post('/:id/reports/:reportId', async (req, res) => {
    const c = await loadContract(req);
    const parsed = parseForm(verifyForm, req.body);
    if (!parsed.ok) return renderReport(req, res, c, parsed.values, parsed.errors);
    const reportId = idParam(req, 'reportId');
    const outcome = await verifyReport(servicesOf(req).clock, actorOf(req), c, reportId, parsed.data.verdict, parsed.data.comment);
    if (outcome.outcome === 'missing') throw createError(404);
    if (outcome.outcome === 'invalid') return renderReport(req, res, c, { verdict: parsed.data.verdict, comment: parsed.data.comment }, errorsFrom(outcome.problems));
    if (outcome.outcome === 'already') {
      flash(req, `This report was already verified (${outcome.status}).`, undefined, 'important');
      return res.redirect(303, `/buyer/contracts/${c._id}/reports/${reportId}`);
    }
    flash(req, `Report ${outcome.status}.`);
    res.redirect(303, `/buyer/contracts/${c._id}#reports`);
  });

  // GET /buyer/contracts/:id/reports/:reportId/evidence/:docId: an evidence file of this report only
  router.get('/:id/reports/:reportId/evidence/:docId', async (req, res) => {
    const c = await loadContract(req);
    let opened;
    try {
      opened = await openEvidence(c, idParam(req, 'reportId'), idParam(req, 'docId'));
    } catch (err) {
      if (err instanceof DocumentNotFound) throw createError(404);
      if (err instanceof DocumentUnavailable) throw createError(409, 'This file cannot be downloaded yet');
      throw err;
    }
    if (!opened) throw createError(404);
    res.attachment(opened.document.originalName);
    res.set({ 'Content-Type': opened.document.contentType, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    opened.stream.pipe(res);
  });

  async function renderDueDate(req: Request, res: Response, c: ContractRecord, values?: Record<string, unknown>, errors?: FormErrors) {
    const commitment = await findCommitment(c, idParam(req, 'commitmentId'));
    if (!commitment) throw createError(404);
    const d = commitment.dueBy;
    res.status(errors ? 400 : 200).render('buyer/contracts/due-date', {
      pageTitle: `Change the due date: ${commitment.code}`, commitment, errors, back: `/buyer/contracts/${c._id}#commitments`,
      action: `/buyer/contracts/${c._id}/commitments/${commitment._id}/due-date`,
      values: values ?? { 'due-day': String(d.getUTCDate()), 'due-month': String(d.getUTCMonth() + 1), 'due-year': String(d.getUTCFullYear()) },
    });
  }

  router.get('/:id/commitments/:commitmentId/due-date', async (req, res) => renderDueDate(req, res, await loadContract(req)));

  router.post('/:id/commitments/:commitmentId/due-date', async (req, res) => {
    const c = await loadContract(req);
    const fields: Record<string, string> = {};
    const body = Object.fromEntries(Object.entries(req.body ?? {}).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    const dueBy = dateFrom(body, 'due', 'due date', fields);
    if (!dueBy) return renderDueDate(req, res, c, body, errorsFrom(fields));
    const outcome = await changeDueDate(servicesOf(req).clock, actorOf(req), c, idParam(req, 'commitmentId'), dueBy);
    if (outcome === 'missing') throw createError(404);
    flash(req, `Due date changed to ${formatDate(dueBy)}.`);
    res.redirect(303, `/buyer/contracts/${c._id}#commitments`);
  });
  return router;
}
