// A message to a user inside the service (invitations, clarifications, deadline changes, reminders); the same
// event usually goes by e-mail too.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

const schema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    title: { type: String, required: true, maxlength: 300 },
    body: { type: String, maxlength: 5000, default: '' },
    // a path inside the service
    link: { type: String, maxlength: 500 },
    at: { type: Date, required: true },
    readAt: { type: Date },
  },
  { timestamps: false },
);
schema.index({ user: 1, at: -1 });
schema.index({ user: 1, readAt: 1 });

export type NotificationData = InferSchemaType<typeof schema>;
export type NotificationDoc = HydratedDocument<NotificationData>;
export const Notification = model('Notification', schema);
