// The evaluation of a competition's opened bids (issue 6): the panel the buyer names, each evaluator's conflict
// declaration (made before they see any bid), the scoring scale, who leads moderation, and the buyer's recorded
// tie-break. Individual scores are EvaluatorScore records; consensus scores are ModeratedScore records.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

const conflictSchema = new Schema(
  {
    // the bid the evaluator has a conflict with (absent: a conflict with the whole competition)
    bid: { type: Schema.Types.ObjectId, ref: 'Bid' },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation' },
    note: { type: String, required: true, maxlength: 2000 },
  },
  { _id: false },
);

const evaluatorSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    addedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    addedAt: { type: Date, required: true },
    // set when the evaluator has declared (no conflicts, or the conflicts listed); nothing is shown before
    declaredAt: { type: Date },
    conflicts: { type: [conflictSchema], default: [] },
    // a conflict with the whole competition removes the evaluator (kept on record)
    removedAt: { type: Date },
    removedReason: { type: String, maxlength: 2000 },
    // the evaluator's own scores are final: only then may they see the others'
    submittedAt: { type: Date },
  },
  { _id: false },
);

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    council: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    // scores are whole numbers from 0 to scaleMax (the published scale)
    scaleMax: { type: Number, default: 4, min: 1, max: 10 },
    // the lead evaluator sets the consensus scores
    lead: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    evaluators: { type: [evaluatorSchema], default: [] },
    // the buyer's order for bids still tied on total and quality (bid ids, best first), with the reason
    tieBreak: {
      order: { type: [Schema.Types.ObjectId], default: undefined },
      reason: { type: String, maxlength: 2000 },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      at: { type: Date },
    },
    // moderation finished: the consensus scores are final and the ranking can be used for an award
    // each bid's price as read (audited) from its opened content when the evaluation was completed: the ranking's
    // input, kept so the award reads the prices it was ranked on without decrypting again
    prices: {
      type: [new Schema({ bid: { type: Schema.Types.ObjectId, ref: 'Bid', required: true }, pricePence: { type: Number, required: true } }, { _id: false })],
      default: undefined,
    },
    completedAt: { type: Date },
    completedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ competition: 1 }, { unique: true });
schema.index({ 'evaluators.user': 1 });

export type EvaluationData = InferSchemaType<typeof schema>;
export type EvaluationDoc = HydratedDocument<EvaluationData>;
export const Evaluation = model('Evaluation', schema);
