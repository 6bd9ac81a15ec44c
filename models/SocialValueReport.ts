// A supplier's report of social value delivered against one commitment for a period, with evidence and
// community-defined (qualitative) outcomes beside the numbers; the buyer verifies it.
import { InferSchemaType, Schema, model } from 'mongoose';

export const VERIFICATION_STATUSES = ['awaiting', 'accepted', 'queried', 'rejected'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

const schema = new Schema(
  {
    contract: { type: Schema.Types.ObjectId, ref: 'Contract', required: true },
    commitment: { type: Schema.Types.ObjectId, ref: 'SocialValueCommitment', required: true },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    periodStart: { type: Date, required: true },
    periodEnd: { type: Date, required: true },
    quantityDelivered: { type: Number, required: true, min: 0 },
    narrative: { type: String, required: true, maxlength: 10000 },
    // qualitative, community-defined outcomes, in the community's own words
    outcomes: { type: String, maxlength: 10000, default: '' },
    evidence: { type: [Schema.Types.ObjectId], ref: 'Document', default: [] },
    submittedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    submittedAt: { type: Date, required: true },
    verification: {
      status: { type: String, enum: VERIFICATION_STATUSES, default: 'awaiting' },
      comment: { type: String, maxlength: 5000 },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      at: { type: Date },
    },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ contract: 1, periodEnd: -1 });
schema.index({ commitment: 1, periodEnd: -1 });
schema.index({ 'verification.status': 1, submittedAt: 1 });

export type SocialValueReportData = InferSchemaType<typeof schema>;
export const SocialValueReport = model('SocialValueReport', schema);
