// What the scheduler has sent: one record per (job, subject), claimed before sending, so a reminder goes out once
// even across restarts and several app instances. Also holds the scheduler's lease (job 'lease').
import { InferSchemaType, Schema, model } from 'mongoose';

const schema = new Schema({
  // e.g. 'reminder-3-working-days', 'reminder-1-day', 'deadline-passed'
  job: { type: String, required: true, maxlength: 100 },
  // e.g. '<competition id>:<supplier id>:<deadline ISO>' (a changed deadline earns fresh reminders)
  key: { type: String, required: true, maxlength: 300 },
  at: { type: Date, required: true },
  holder: { type: String },
  until: { type: Date },
});
schema.index({ job: 1, key: 1 }, { unique: true });

export type ScheduledSendData = InferSchemaType<typeof schema>;
export const ScheduledSend = model('ScheduledSend', schema);
