// A supplier's request to join the DPS for one or more lots: answers by section, a frozen snapshot once
// submitted, the vetting panel's reviews, clarifications and a decision per lot.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const APPLICATION_STATUSES = ['draft', 'submitted', 'withdrawn', 'decided'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];
export const SECTION_STATUSES = ['not-started', 'in-progress', 'completed'] as const;
export const DECISION_OUTCOMES = ['admitted', 'rejected'] as const;

const decisionSchema = new Schema(
  {
    lot: { type: Schema.Types.ObjectId, ref: 'Lot', required: true },
    outcome: { type: String, enum: DECISION_OUTCOMES, required: true },
    reasons: { type: String, required: true, maxlength: 5000 },
    decidedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    decidedAt: { type: Date, required: true },
  },
  { _id: false },
);

const clarificationSchema = new Schema({
  question: { type: String, required: true, maxlength: 5000 },
  askedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  askedAt: { type: Date, required: true },
  answer: { type: String, maxlength: 10000 },
  answeredBy: { type: Schema.Types.ObjectId, ref: 'User' },
  answeredAt: { type: Date },
});

const reviewSchema = new Schema({
  reviewer: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  // criterion key (a principle, or 'values') -> score 0-4 and comment
  scores: { type: Schema.Types.Mixed, default: {} },
  submittedAt: { type: Date },
});

const schema = new Schema(
  {
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: APPLICATION_STATUSES, default: 'draft' },
    // section key -> answers (validated by the section's question set in server/domain/applicationQuestions.ts)
    answers: { type: Schema.Types.Mixed, default: {} },
    // section key -> not-started | in-progress | completed
    sectionStatus: { type: Schema.Types.Mixed, default: {} },
    // lots sought (kept in step with the lots section)
    lots: [{ type: Schema.Types.ObjectId, ref: 'Lot' }],
    documents: [{ type: Schema.Types.ObjectId, ref: 'Document' }],
    // set once, at submission
    reference: { type: String },
    submittedAt: { type: Date },
    // the answers as submitted, and their SHA-256, for the receipt
    snapshot: { type: Schema.Types.Mixed },
    snapshotHash: { type: String },
    // UK nation whose bank holidays count for the due-by date (from the organisation section)
    nation: { type: String },
    dueBy: { type: Date },
    extendedDueBy: { type: Date },
    extensionReason: { type: String, maxlength: 2000 },
    withdrawnAt: { type: Date },
    decisions: { type: [decisionSchema], default: [] },
    clarifications: { type: [clarificationSchema], default: [] },
    reviews: { type: [reviewSchema], default: [] },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ supplier: 1, createdAt: -1 });
schema.index({ status: 1, dueBy: 1 });
schema.index({ reference: 1 }, { unique: true, sparse: true });

export type ApplicationData = InferSchemaType<typeof schema>;
export type ApplicationDoc = HydratedDocument<ApplicationData>;
export const Application = model('Application', schema);
