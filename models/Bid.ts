// A supplier's bid in one competition: one record per competition and supplier (unique, so two identical
// submits cannot make two bids). Its content lives only sealed (AES-256-GCM under the competition's data key):
// the working draft, and each submitted version with its exact receipt time and SHA-256 fingerprint.
// Resubmitting adds a version and marks the previous one superseded; withdrawing marks the current one withdrawn.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const VERSION_STATUSES = ['submitted', 'superseded', 'withdrawn'] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

const sealedSchema = new Schema({ v: Number, iv: String, tag: String, data: String }, { _id: false });

const versionSchema = new Schema(
  {
    n: { type: Number, required: true },
    status: { type: String, enum: VERSION_STATUSES, required: true },
    // sealed BidContent (server/services/bids.ts); AAD `bid:<bid id>:v<n>`
    sealed: { type: sealedSchema, required: true },
    // server time at commit, never taken from the request
    receivedAt: { type: Date, required: true },
    // SHA-256 of the canonical submitted content (shown on the receipt, recomputable after opening)
    fingerprint: { type: String, required: true },
    submittedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    withdrawnAt: { type: Date },
    withdrawnBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { _id: false },
);

const schema = new Schema(
  {
    competition: { type: Schema.Types.ObjectId, ref: 'Competition', required: true },
    supplier: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    // the draft being prepared (sealed too); AAD `bid:<bid id>:draft`
    draft: {
      sealed: { type: sealedSchema },
      savedAt: { type: Date },
      savedBy: { type: Schema.Types.ObjectId, ref: 'User' },
      // bumped on every save and submit: a submit names the revision it read, so a repeated submit is a no-op
      revision: { type: Number, default: 0 },
    },
    versions: { type: [versionSchema], default: [] },
    // GridFS ids of this bid's (encrypted) attachment files, for clean-up; names and hashes are inside the seal
    files: { type: [Schema.Types.ObjectId], default: [] },
  },
  { timestamps: true, optimisticConcurrency: true },
);
schema.index({ competition: 1, supplier: 1 }, { unique: true });
schema.index({ supplier: 1, updatedAt: -1 });

export type BidData = InferSchemaType<typeof schema>;
export type BidDoc = HydratedDocument<BidData>;
export const Bid = model('Bid', schema);
