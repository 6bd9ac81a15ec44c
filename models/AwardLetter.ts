// The letter each bidder receives about an award: its content is built by server/domain/awardLetters.ts and
// holds only the recipient's own scores beside the winner's (never another losing bidder's name, price or answers).
import { InferSchemaType, Schema, model } from 'mongoose';

const schema = new Schema(
  {
    award: { type: Schema.Types.ObjectId, ref: 'Award', required: true },
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    bid: { type: Schema.Types.ObjectId, ref: 'Bid', required: true },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    won: { type: Boolean, required: true },
    // the structured letter (criteria, scores, winner, characteristics, standstill) and its plain-text rendering
    content: { type: Schema.Types.Mixed, required: true },
    text: { type: String, required: true },
    sentAt: { type: Date, required: true },
    readAt: { type: Date },
  },
  { timestamps: false },
);
schema.index({ award: 1, supplier: 1 }, { unique: true });
schema.index({ supplier: 1, sentAt: -1 });

export type AwardLetterData = InferSchemaType<typeof schema>;
export const AwardLetter = model('AwardLetter', schema);
