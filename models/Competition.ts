// A council's mini-competition (call-off) in one lot: the requirement, award criteria and questions, deadlines,
// the suppliers invited at publication (frozen), the sealed tender box's wrapped key and its two-person opening.
// Open/closed is derived from the clock (deadline), never stored: only draft, published and cancelled are states.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';
import { CRITERION_KINDS, RULE_SETS } from '../server/domain/tenderRules';

export const COMPETITION_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type CompetitionStatus = (typeof COMPETITION_STATUSES)[number];

const criterionSchema = new Schema({
  name: { type: String, required: true, maxlength: 200 },
  kind: { type: String, enum: CRITERION_KINDS, required: true },
  weight: { type: Number, required: true, min: 1, max: 100 },
  guidance: { type: String, maxlength: 5000, default: '' },
});

const questionSchema = new Schema({
  text: { type: String, required: true, maxlength: 2000 },
  // the _id of the criterion this question is scored under
  criterion: { type: Schema.Types.ObjectId, required: true },
  wordLimit: { type: Number, required: true, min: 1, max: 5000 },
});

const deadlineChangeSchema = new Schema(
  {
    field: { type: String, enum: ['deadline', 'clarificationDeadline'], default: 'deadline' },
    from: { type: Date, required: true },
    to: { type: Date, required: true },
    reason: { type: String, required: true, maxlength: 2000 },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const openingStepSchema = new Schema(
  {
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    role: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { _id: false },
);

const schema = new Schema(
  {
    reference: { type: String, required: true },
    council: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    lot: { type: Schema.Types.ObjectId, ref: 'Lot', required: true },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    status: { type: String, enum: COMPETITION_STATUSES, default: 'draft' },
    title: { type: String, required: true, maxlength: 200 },
    summary: { type: String, maxlength: 1000, default: '' },
    requirement: { type: String, maxlength: 20000, default: '' },
    ruleSet: { type: String, enum: RULE_SETS, required: true },
    // pounds ex VAT, held in pence so sums are exact
    estimatedValuePence: { type: Number, min: 0 },
    contractStart: { type: Date },
    contractEnd: { type: Date },
    criteria: { type: [criterionSchema], default: [] },
    // why social value is weighted under 10%, when it is
    socialValueReason: { type: String, maxlength: 2000 },
    questions: { type: [questionSchema], default: [] },
    clarificationDeadline: { type: Date },
    deadline: { type: Date },
    // PCR 2015 only: a deadline shorter than 10 days agreed with every invited supplier
    shorterDeadlineAgreement: {
      recordedAt: { type: Date },
      recordedBy: { type: Schema.Types.ObjectId, ref: 'User' },
      note: { type: String, maxlength: 2000 },
    },
    // Document ids (the buyer's tender documents, public to invited suppliers once published)
    documents: { type: [Schema.Types.ObjectId], ref: 'Document', default: [] },
    publishedAt: { type: Date },
    publishedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    // every supplier with an active admission to the lot at publication; never changed afterwards
    invited: { type: [Schema.Types.ObjectId], ref: 'Organisation', default: [] },
    deadlineChanges: { type: [deadlineChangeSchema], default: [] },
    cancellation: {
      reason: { type: String, maxlength: 2000 },
      at: { type: Date },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
    },
    // the competition's data key, encrypted by the master key (server/sealing/keyring.ts)
    sealing: {
      wrappedKey: { v: Number, iv: String, tag: String, data: String },
    },
    // two-person opening after the deadline: the first step, then the second by someone else
    opening: {
      first: { type: openingStepSchema },
      second: { type: openingStepSchema },
      openedAt: { type: Date },
    },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ reference: 1 }, { unique: true });
schema.index({ council: 1, updatedAt: -1 });
schema.index({ invited: 1, deadline: -1 });
schema.index({ status: 1, deadline: 1 });
schema.index({ lot: 1, status: 1 });

export type CompetitionData = InferSchemaType<typeof schema>;
export type CompetitionDoc = HydratedDocument<CompetitionData>;
export const Competition = model('Competition', schema);
