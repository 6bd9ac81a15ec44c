// The contract entered after standstill (issue 6): dates, final value, the PA 2023 contract details notice due
// date, and KPIs (at least three over £5m, each rated at least every 12 months).
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';
import { RULE_SETS } from '../server/domain/tenderRules';

export const KPI_RATINGS = ['Good', 'Approaching target', 'Requires improvement', 'Inadequate'] as const;
export type KpiRating = (typeof KPI_RATINGS)[number];

const ratingSchema = new Schema(
  {
    rating: { type: String, enum: KPI_RATINGS, required: true },
    comment: { type: String, maxlength: 5000, default: '' },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { _id: false },
);

const kpiSchema = new Schema({
  name: { type: String, required: true, maxlength: 300 },
  target: { type: String, required: true, maxlength: 1000 },
  ratings: { type: [ratingSchema], default: [] },
});

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    award: { type: Schema.Types.ObjectId, ref: 'Award', required: true },
    council: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    ruleSet: { type: String, enum: RULE_SETS, required: true },
    reference: { type: String, required: true },
    title: { type: String, required: true, maxlength: 200 },
    signedAt: { type: Date, required: true },
    start: { type: Date, required: true },
    end: { type: Date, required: true },
    valuePence: { type: Number, required: true, min: 0 },
    // PA 2023 s.53: the contract details notice is due within 30 days of signing
    detailsNoticeDueBy: { type: Date },
    detailsNoticePublishedAt: { type: Date },
    kpis: { type: [kpiSchema], default: [] },
    enteredBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    enteredAt: { type: Date, required: true },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ award: 1 }, { unique: true });
schema.index({ council: 1, signedAt: -1 });
schema.index({ supplier: 1, signedAt: -1 });

export type ContractData = InferSchemaType<typeof schema>;
export type ContractDoc = HydratedDocument<ContractData>;
export const Contract = model('Contract', schema);
