// The network's social-value measure catalogue (TOMs style): code, theme, outcome, unit and a proxy value per
// unit with the year it was set (proxies are re-based yearly, so a commitment keeps the year it used).
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

const schema = new Schema(
  {
    code: { type: String, required: true, maxlength: 20 },
    theme: { type: String, required: true, maxlength: 200 },
    outcome: { type: String, required: true, maxlength: 300 },
    description: { type: String, required: true, maxlength: 2000 },
    unit: { type: String, required: true, maxlength: 100 },
    // pounds per unit, in pence
    proxyValuePence: { type: Number, required: true, min: 0 },
    proxyYear: { type: Number, required: true, min: 2000, max: 2100 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
schema.index({ code: 1 }, { unique: true });
schema.index({ active: 1, theme: 1, code: 1 });

export type SocialValueMeasureData = InferSchemaType<typeof schema>;
export type SocialValueMeasureDoc = HydratedDocument<SocialValueMeasureData>;
export const SocialValueMeasure = model('SocialValueMeasure', schema);
