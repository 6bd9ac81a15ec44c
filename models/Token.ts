// Single-use, expiring links sent by e-mail: buyer invitations and password resets. Only a hash is stored.
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const TOKEN_PURPOSES = ['invitation', 'password-reset'] as const;

const schema = new Schema(
  {
    purpose: { type: String, enum: TOKEN_PURPOSES, required: true },
    tokenHash: { type: String, required: true },
    email: { type: String, required: true, lowercase: true, trim: true },
    // invitation: the council and role the new user joins as; reset: the user
    organisation: { type: Schema.Types.ObjectId, ref: 'Organisation' },
    role: { type: String },
    user: { type: Schema.Types.ObjectId, ref: 'User' },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date },
  },
  { timestamps: true },
);
schema.index({ tokenHash: 1 }, { unique: true });
schema.index({ purpose: 1, organisation: 1, createdAt: -1 });

export type TokenData = InferSchemaType<typeof schema>;
export type TokenDoc = HydratedDocument<TokenData>;
export const Token = model('Token', schema);
