// A person who signs in: a supplier's user, a council buyer or a network admin.
import { InferSchemaType, Schema, model, HydratedDocument, Types } from 'mongoose';

export const ROLES = ['supplier', 'buyer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const USER_STATUSES = ['active', 'disabled'] as const;

const schema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, maxlength: 254 },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    passwordHash: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    organisation: { type: Schema.Types.ObjectId, ref: 'Organisation', required: true },
    status: { type: String, enum: USER_STATUSES, default: 'active' },
    mfa: {
      // base32 TOTP secret; set once enrolment is confirmed
      secret: { type: String },
      enabled: { type: Boolean, default: false },
      // SHA-256 hashes of unused recovery codes
      recoveryCodes: { type: [String], default: [] },
      // the last accepted TOTP time step, so a code is accepted once only
      lastStep: { type: Number, default: 0 },
    },
    lastSignInAt: { type: Date },
  },
  { timestamps: true },
);
schema.index({ email: 1 }, { unique: true });
schema.index({ organisation: 1, role: 1 });

export type UserData = InferSchemaType<typeof schema>;
export type UserDoc = HydratedDocument<UserData>;
export const User = model('User', schema);

/** Buyers and admins must use two-factor authentication; suppliers may. */
export function mfaRequired(user: { role: string; mfa?: { enabled?: boolean | null } | null }): boolean {
  return user.role === 'buyer' || user.role === 'admin' || user.mfa?.enabled === true;
}

export type UserId = Types.ObjectId;
