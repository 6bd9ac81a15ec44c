// One evaluator's score for one criterion of one bid, with the required comment. Kept on record after moderation.
import { InferSchemaType, Schema, model } from 'mongoose';

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    bid: { type: Schema.Types.ObjectId, ref: 'Bid', required: true },
    // the bid version that was scored
    version: { type: Number, required: true },
    evaluator: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    criterion: { type: Schema.Types.ObjectId, required: true },
    score: { type: Number, required: true, min: 0, max: 10 },
    comment: { type: String, required: true, maxlength: 5000 },
    savedAt: { type: Date, required: true },
  },
  { timestamps: false },
);
schema.index({ competition: 1, evaluator: 1, bid: 1, criterion: 1 }, { unique: true });
schema.index({ competition: 1, bid: 1 });

export type EvaluatorScoreData = InferSchemaType<typeof schema>;
export const EvaluatorScore = model('EvaluatorScore', schema);
