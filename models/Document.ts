// An uploaded file's metadata. The bytes live in the database's GridFS bucket, so every app instance
// serves them and one backup holds records and files together.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const SCAN_STATUSES = ['pending', 'clean', 'infected', 'unscanned', 'error'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

const schema = new Schema(
  {
    // the organisation that owns it: only its users (and admins, for vetting) may download it
    owner: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    uploadedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    // what it is evidence of, e.g. 'policy:safeguarding', 'insurance:public-liability'
    purpose: { type: String, required: true, maxlength: 100 },
    application: { type: Schema.Types.ObjectId, ref: 'Application' },
    // for display only; never used as a path
    originalName: { type: String, required: true, maxlength: 255 },
    // found from the content, not the name
    contentType: { type: String, required: true },
    extension: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    gridFsId: { type: Schema.Types.ObjectId, required: true },
    scanStatus: { type: String, enum: SCAN_STATUSES, default: 'pending' },
    deletedAt: { type: Date },
  },
  { timestamps: true },
);
schema.index({ owner: 1, createdAt: -1 });
schema.index({ application: 1, purpose: 1 });

export type DocumentData = InferSchemaType<typeof schema>;
export type StoredDocumentDoc = HydratedDocument<DocumentData>;
export const StoredDocument = model('Document', schema);
