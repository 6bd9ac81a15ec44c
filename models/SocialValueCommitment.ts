// A social-value commitment of a contract: the winner's bid commitment made a contract obligation at award
// (measure, quantity, unit, proxy value and its year, due date).
import { InferSchemaType, Schema, model } from 'mongoose';

const schema = new Schema(
  {
    contract: { type: Schema.Types.ObjectId, ref: 'Contract', required: true },
    council: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    code: { type: String, required: true, maxlength: 20 },
    theme: { type: String, maxlength: 200 },
    description: { type: String, required: true, maxlength: 2000 },
    unit: { type: String, required: true, maxlength: 100 },
    quantity: { type: Number, required: true, min: 0 },
    proxyValuePence: { type: Number, required: true, min: 0 },
    proxyYear: { type: Number, required: true },
    dueBy: { type: Date, required: true },
  },
  { timestamps: true },
);
schema.index({ contract: 1, code: 1 });
schema.index({ council: 1 });
schema.index({ supplier: 1 });

export type SocialValueCommitmentData = InferSchemaType<typeof schema>;
export const SocialValueCommitment = model('SocialValueCommitment', schema);
