// A lot of the DPS: a category of work suppliers are admitted to and competitions are run in.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

const schema = new Schema(
  {
    number: { type: Number, required: true, min: 1, max: 99 },
    title: { type: String, required: true, trim: true, maxlength: 120 },
    description: { type: String, required: true, trim: true, maxlength: 2000 },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
schema.index({ number: 1 }, { unique: true });

export type LotData = InferSchemaType<typeof schema>;
export type LotDoc = HydratedDocument<LotData>;
export const Lot = model('Lot', schema);
