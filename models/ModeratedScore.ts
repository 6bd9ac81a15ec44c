// The consensus score for one criterion of one bid, set by the lead evaluator with a rationale after moderation.
import { InferSchemaType, Schema, model } from 'mongoose';

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    bid: { type: Schema.Types.ObjectId, ref: 'Bid', required: true },
    criterion: { type: Schema.Types.ObjectId, required: true },
    score: { type: Number, required: true, min: 0, max: 10 },
    rationale: { type: String, required: true, maxlength: 5000 },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { timestamps: false },
);
schema.index({ competition: 1, bid: 1, criterion: 1 }, { unique: true });

export type ModeratedScoreData = InferSchemaType<typeof schema>;
export const ModeratedScore = model('ModeratedScore', schema);
