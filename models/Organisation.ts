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
  },
  { timestamps: true },
);
schema.index({ kind: 1, name: 1 });

export type OrganisationData = InferSchemaType<typeof schema>;
export type OrganisationDoc = HydratedDocument<OrganisationData>;
export const Organisation = model('Organisation', schema);
