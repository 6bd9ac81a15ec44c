// Social-value delivery on a contract: the supplier reports what it delivered against a commitment (with evidence
// and community-defined outcomes), the buyer verifies each report (accepted, queried, rejected) and may move a
// commitment's due date. Only accepted reports count as delivered (server/domain/socialValueTotals.ts).
import { isValidObjectId, trusted, Types } from 'mongoose';
import { Readable } from 'node:stream';
import { SocialValueCommitment } from '../../models/SocialValueCommitment';
import { SocialValueReport, VerificationStatus } from '../../models/SocialValueReport';
import { StoredDocument } from '../../models/Document';
import { Clock } from '../clock';
import { socialValueTotals, SocialValueTotals } from '../domain/socialValueTotals';
import { recordAudit } from './audit';
import { Actor, ContractRecord } from './contracts';
import { DocumentInfo, openDownload } from './documents';

export const VERDICTS = ['accepted', 'queried', 'rejected'] as const;
export type Verdict = (typeof VERDICTS)[number];

export async function commitmentsOf(contractId: unknown) {
  return SocialValueCommitment.find({ contract: String(contractId) }).sort({ code: 1, _id: 1 }).lean();
}

export async function reportsOf(contractId: unknown) {
  return SocialValueReport.find({ contract: String(contractId) }).sort({ submittedAt: -1, _id: -1 }).lean();
}

export interface Delivery {
  commitments: Awaited<ReturnType<typeof commitmentsOf>>;
  reports: Awaited<ReturnType<typeof reportsOf>>;
  totals: SocialValueTotals;
}

/** A contract's commitments, reports and totals: the same figures on the buyer's and the supplier's pages. */
export async function deliveryOf(contractId: unknown): Promise<Delivery> {
  const [commitments, reports] = await Promise.all([commitmentsOf(contractId), reportsOf(contractId)]);
  const totals = socialValueTotals(
    commitments.map((c) => ({ id: String(c._id), code: c.code, description: c.description, unit: c.unit, quantity: c.quantity, proxyValuePence: c.proxyValuePence, proxyYear: c.proxyYear })),
    reports.map((r) => ({ commitment: String(r.commitment), quantityDelivered: r.quantityDelivered, status: r.verification?.status ?? 'awaiting' })),
  );
  return { commitments, reports, totals };
}

export interface ReportInput {
  commitment: string;
  periodStart: Date;
  periodEnd: Date;
  quantityDelivered: number;
  narrative: string;
  outcomes: string;
  /** ids of documents already stored with owner = the supplier */
  evidence: string[];
}

/** The supplier's delivery report on one of the contract's commitments; written as 'awaiting' verification. */
export async function submitReport(clock: Clock, actor: Actor, contract: ContractRecord, input: ReportInput): Promise<{ outcome: 'submitted'; id: string } | { outcome: 'missing' }> {
  if (String(actor.organisation) !== String(contract.supplier) || !isValidObjectId(input.commitment)) return { outcome: 'missing' };
  const commitment = await SocialValueCommitment.findOne({ _id: input.commitment, contract: contract._id }, { _id: 1, code: 1 }).lean();
  if (!commitment) return { outcome: 'missing' };
  const report = await SocialValueReport.create({
    contract: contract._id, commitment: commitment._id, supplier: contract.supplier, periodStart: input.periodStart, periodEnd: input.periodEnd,
    quantityDelivered: input.quantityDelivered, narrative: input.narrative, outcomes: input.outcomes,
    evidence: input.evidence.map((id) => new Types.ObjectId(id)), submittedBy: actor._id as Types.ObjectId, submittedAt: clock.now(),
  });
  await recordAudit(clock, {
    actor, action: 'social-value.report-submitted', targetType: 'SocialValueReport', targetId: report._id,
    details: { contract: String(contract._id), commitment: String(commitment._id), code: commitment.code, quantityDelivered: input.quantityDelivered, evidence: input.evidence.length },
  });
  return { outcome: 'submitted', id: String(report._id) };
}

export async function findReport(contract: ContractRecord, reportId: string) {
  if (!isValidObjectId(reportId)) return null;
  return SocialValueReport.findOne({ _id: reportId, contract: contract._id }).lean();
}

/** The comment a verdict needs: queried and rejected reports must say why. */
export function verdictProblems(verdict: Verdict, comment: string): Record<string, string> {
  return verdict !== 'accepted' && !comment ? { comment: `Enter a comment saying why the report is ${verdict}` } : {};
}

export type VerifyOutcome = { outcome: 'verified'; status: Verdict } | { outcome: 'missing' } | { outcome: 'already'; status: VerificationStatus } | { outcome: 'invalid'; problems: Record<string, string> };

/** The buyer's verdict on a report awaiting verification (a conditional update: a report is verified once). */
export async function verifyReport(clock: Clock, actor: Actor, contract: ContractRecord, reportId: string, verdict: Verdict, comment: string): Promise<VerifyOutcome> {
  if (actor.role !== 'buyer' || String(actor.organisation) !== String(contract.council)) return { outcome: 'missing' };
  const problems = verdictProblems(verdict, comment);
  if (Object.keys(problems).length) return { outcome: 'invalid', problems };
  const report = await findReport(contract, reportId);
  if (!report) return { outcome: 'missing' };
  const at = clock.now();
  const done = await SocialValueReport.updateOne(
    { _id: report._id, 'verification.status': 'awaiting' },
    { $set: { verification: { status: verdict, comment, by: actor._id, at } }, $inc: { __v: 1 } },
  );
  if (done.modifiedCount === 0) {
    const now = await SocialValueReport.findById(report._id, { verification: 1 }).lean();
    return { outcome: 'already', status: (now?.verification?.status ?? 'awaiting') as VerificationStatus };
  }
  await recordAudit(clock, {
    actor, action: `social-value.report-${verdict}`, targetType: 'SocialValueReport', targetId: report._id,
    details: { contract: String(contract._id), commitment: String(report.commitment), quantityDelivered: report.quantityDelivered },
  });
  return { outcome: 'verified', status: verdict };
}

/** The buyer moves a commitment's due date. */
export async function changeDueDate(clock: Clock, actor: Actor, contract: ContractRecord, commitmentId: string, dueBy: Date): Promise<'changed' | 'missing'> {
  if (actor.role !== 'buyer' || String(actor.organisation) !== String(contract.council) || !isValidObjectId(commitmentId)) return 'missing';
  const before = await SocialValueCommitment.findOneAndUpdate({ _id: commitmentId, contract: contract._id }, { $set: { dueBy } });
  if (!before) return 'missing';
  await recordAudit(clock, { actor, action: 'social-value.due-date-changed', targetType: 'SocialValueCommitment', targetId: before._id, details: { contract: String(contract._id), from: before.dueBy, to: dueBy } });
  return 'changed';
}

export async function findCommitment(contract: ContractRecord, commitmentId: string) {
  if (!isValidObjectId(commitmentId)) return null;
  return SocialValueCommitment.findOne({ _id: commitmentId, contract: contract._id }).lean();
}

/** Names and ids of the evidence files of some reports (the supplier's documents), for listing. */
export async function evidenceNames(ids: unknown[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const docs = await StoredDocument.find({ _id: trusted({ $in: ids.map((i) => String(i)) }) } as any, { originalName: 1 }).lean();
  return new Map(docs.map((d) => [String(d._id), d.originalName]));
}

/**
 * An evidence file of a report on the buyer's council's contract. The council may read exactly the files its
 * supplier attached to this report, so after those checks the document is opened as its owner would open it.
 */
export async function openEvidence(contract: ContractRecord, reportId: string, documentId: string): Promise<{ document: DocumentInfo; stream: Readable } | null> {
  const report = await findReport(contract, reportId);
  if (!report || !report.evidence.some((e) => String(e) === documentId)) return null;
  return openDownload(documentId, { _id: String(report.submittedBy), role: 'supplier', organisation: String(contract.supplier) });
}
