// A supplier admitted to a lot, with its status over time (active, suspended, removed) and the reasons.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const ADMISSION_STATUSES = ['active', 'suspended', 'removed'] as const;
export type AdmissionStatus = (typeof ADMISSION_STATUSES)[number];
export const REMOVAL_GROUNDS = ['excluded', 'excludable', 'no longer meets the conditions'] as const;

const historySchema = new Schema(
  {
    status: { type: String, enum: ADMISSION_STATUSES, required: true },
    reason: { type: String, required: true, maxlength: 5000 },
    ground: { type: String, enum: REMOVAL_GROUNDS },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { _id: false },
);

const schema = new Schema(
  {
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    lot: { type: Schema.Types.ObjectId, ref: 'Lot', required: true },
    application: { type: Schema.Types.ObjectId, ref: 'Application', required: true },
    status: { type: String, enum: ADMISSION_STATUSES, default: 'active' },
    admittedAt: { type: Date, required: true },
    history: { type: [historySchema], default: [] },
  },
  { timestamps: true },
);
// One admission per supplier and lot: re-admission after removal updates it.
schema.index({ supplier: 1, lot: 1 }, { unique: true });
schema.index({ lot: 1, status: 1 });

export type AdmissionData = InferSchemaType<typeof schema>;
export type AdmissionDoc = HydratedDocument<AdmissionData>;
export const Admission = model('Admission', schema);
