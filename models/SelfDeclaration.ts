// A renewed self-declaration the network asks an admitted supplier for (domain.md section 1: due in 5 working days).
// The supplier answers the application's exclusion grounds and declarations again. Status is derived from the
// timestamps and the clock: requested, submitted, or overdue (not submitted by the end of dueBy).
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const SELF_DECLARATION_STATUSES = ['requested', 'submitted', 'overdue'] as const;
export type SelfDeclarationStatus = (typeof SELF_DECLARATION_STATUSES)[number];
export const SELF_DECLARATION_DAYS = 5;

const schema = new Schema(
  {
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    /** the admission page it was asked from (for the link back) */
    admission: { type: Schema.Types.ObjectId, ref: 'Admission' },
    requestedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    requestedAt: { type: Date, required: true },
    /** what the admin told the supplier about why it is asked */
    reason: { type: String, required: true, maxlength: 2000 },
    nation: { type: String, required: true },
    dueBy: { type: Date, required: true },
    /** the supplier's id while the request is unanswered: the unique index allows one open request at a time */
    outstanding: { type: Schema.Types.ObjectId },
    /** answers by section key: { exclusion: {...}, declarations: {...} } */
    answers: { type: Schema.Types.Mixed },
    submittedAt: { type: Date },
    submittedBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);
schema.index({ outstanding: 1 }, { unique: true, sparse: true });
schema.index({ supplier: 1, requestedAt: -1 });

/** requested, submitted or overdue at `now`. */
export function selfDeclarationStatus(d: { submittedAt?: Date | null; dueBy: Date }, now: Date): SelfDeclarationStatus {
  if (d.submittedAt) return 'submitted';
  return now.getTime() > new Date(d.dueBy).getTime() ? 'overdue' : 'requested';
}

export type SelfDeclarationData = InferSchemaType<typeof schema>;
export type SelfDeclarationDoc = HydratedDocument<SelfDeclarationData>;
export const SelfDeclaration = model('SelfDeclaration', schema);
