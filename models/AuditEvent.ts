// An append-only record of who did what to which record, chained by hash so that tampering shows.
import { InferSchemaType, Schema, model } from 'mongoose';

const schema = new Schema({
  seq: { type: Number, required: true },
  at: { type: Date, required: true },
  actor: { type: Schema.Types.ObjectId, ref: 'User' },
  actorRole: { type: String },
  action: { type: String, required: true },
  targetType: { type: String },
  targetId: { type: String },
  details: { type: Schema.Types.Mixed },
  prevHash: { type: String, required: true },
  hash: { type: String, required: true },
});
// One event per sequence number: two writers racing for the same seq cannot fork the chain.
schema.index({ seq: 1 }, { unique: true });
schema.index({ targetType: 1, targetId: 1, seq: -1 });
schema.index({ actor: 1, seq: -1 });

export type AuditEventData = InferSchemaType<typeof schema>;
export const AuditEvent = model('AuditEvent', schema);
