// An organisation: the network itself, a member council (buyer side) or a supplier (affiliate).
import { InferSchemaType, Schema, model, HydratedDocument } from 'mongoose';

export const ORGANISATION_KINDS = ['network', 'council', 'supplier'] as const;
export const COUNCIL_TYPES = ['unitary', 'county', 'district', 'borough', 'combined authority', 'police and crime commissioner'] as const;
export const NATIONS = ['England', 'Wales', 'Scotland', 'Northern Ireland'] as const;
export const MEMBERSHIPS = ['full', 'associate'] as const;
export const COUNCIL_STATUSES = ['active', 'lapsed'] as const;

const schema = new Schema(
  {
    kind: { type: String, enum: ORGANISATION_KINDS, required: true },
    name: { type: String, required: true, trim: true, maxlength: 200 },
    // councils only
    councilType: { type: String, enum: COUNCIL_TYPES },
    nation: { type: String, enum: NATIONS },
    membership: { type: String, enum: MEMBERSHIPS },
    status: { type: String, enum: COUNCIL_STATUSES, default: 'active' },
    // councils only: the minimum days for a below-threshold competition under its contract procedure rules
    // (unset: the framework's default)
    belowThresholdMinDays: { type: Number, min: 1, max: 60 },
    // suppliers only: the public profile, copied from the latest submitted application
    // (kept current by the supplier afterwards, changes audited)
    profile: {
      legalName: { type: String },
      tradingName: { type: String },
      legalForm: { type: String },
      registrationScheme: { type: String },
      registrationNumber: { type: String },
      nation: { type: String },
      region: { type: String },
      size: { type: String },
      vcse: { type: Boolean },
      website: { type: String },
      description: { type: String },
    },
  },
  { timestamps: true },
);
schema.index({ kind: 1, name: 1 });
schema.index({ kind: 1, 'profile.nation': 1 });

export type OrganisationData = InferSchemaType<typeof schema>;
export type OrganisationDoc = HydratedDocument<OrganisationData>;
export const Organisation = model('Organisation', schema);
