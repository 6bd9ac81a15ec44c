// A clarification: a supplier's question (answered to all without the asker's name) or a buyer's general update.
// `askedBy` is never shown to anyone but the buyer's audit view; published answers carry no supplier.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const CLARIFICATION_KINDS = ['question', 'update'] as const;
export const CLARIFICATION_STATUSES = ['awaiting answer', 'published', 'declined'] as const;

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    kind: { type: String, enum: CLARIFICATION_KINDS, required: true },
    status: { type: String, enum: CLARIFICATION_STATUSES, required: true },
    // the question as asked (suppliers), or the update's title (buyers)
    question: { type: String, required: true, maxlength: 5000 },
    askedBy: { type: Schema.Types.ObjectId, ref: 'Organisation' },
    askedByUser: { type: Schema.Types.ObjectId, ref: 'User' },
    askedAt: { type: Date },
    // the question as published (the buyer may reword it to remove anything identifying)
    publishedQuestion: { type: String, maxlength: 5000 },
    answer: { type: String, maxlength: 20000 },
    answeredBy: { type: Schema.Types.ObjectId, ref: 'User' },
    publishedAt: { type: Date },
    // substantial new information: less than 6 days before the deadline, an extension is proposed
    substantial: { type: Boolean, default: false },
  },
  { timestamps: true },
);
schema.index({ competition: 1, publishedAt: -1 });
schema.index({ competition: 1, status: 1, askedAt: 1 });

export type ClarificationData = InferSchemaType<typeof schema>;
export type ClarificationDoc = HydratedDocument<ClarificationData>;
export const Clarification = model('Clarification', schema);
