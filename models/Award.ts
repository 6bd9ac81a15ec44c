// The award decision of a competition (issue 6): proposed by a buyer (normally to the top-ranked bid; any other
// choice needs a recorded reason), approved by a second buyer or a network admin, then letters go to every bidder
// and the standstill runs. Only one live award per competition (a unique partial index), so two buyers awarding at
// once leave exactly one; a cancelled award is kept, not live.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';
import { RULE_SETS } from '../server/domain/tenderRules';

export const AWARD_STATUSES = ['proposed', 'approved', 'challenged', 'cancelled', 'contracted'] as const;
export type AwardStatus = (typeof AWARD_STATUSES)[number];

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    council: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    bid: { type: Schema.Types.ObjectId, ref: 'Bid', required: true },
    // the bid version awarded, and its supplier
    version: { type: Number, required: true },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    ruleSet: { type: String, enum: RULE_SETS, required: true },
    status: { type: String, enum: AWARD_STATUSES, required: true },
    // true until cancelled: at most one live award per competition
    live: { type: Boolean, default: true },
    // the winning bid's price: the awarded value, in pence
    valuePence: { type: Number, required: true, min: 0 },
    topRanked: { type: Boolean, required: true },
    // why another bid than the top-ranked one (required then)
    reason: { type: String, maxlength: 5000 },
    // the characteristics and relative advantages of the winning bid, for the letters
    characteristics: { type: String, required: true, maxlength: 10000 },
    proposedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    proposedAt: { type: Date, required: true },
    approvedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    approvedAt: { type: Date },
    lettersSentAt: { type: Date },
    standstill: {
      end: { type: Date },
      required: { type: Boolean },
      rule: { type: String, maxlength: 500 },
    },
    challenge: {
      at: { type: Date },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      note: { type: String, maxlength: 5000 },
      resolvedAt: { type: Date },
      resolution: { type: String, maxlength: 5000 },
    },
    cancellation: {
      at: { type: Date },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      reason: { type: String, maxlength: 5000 },
    },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ competition: 1 }, { unique: true, partialFilterExpression: { live: true } });
schema.index({ council: 1, status: 1, updatedAt: -1 });
schema.index({ supplier: 1, updatedAt: -1 });

export type AwardData = InferSchemaType<typeof schema>;
export type AwardDoc = HydratedDocument<AwardData>;
export const Award = model('Award', schema);
