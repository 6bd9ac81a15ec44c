// The DPS's own settings (one record): the rule-set new competitions default to and the minimum days for
// below-threshold competitions where a council has not set its own.
import { InferSchemaType, Schema, model } from 'mongoose';
import { RULE_SETS } from '../server/domain/tenderRules';

const schema = new Schema(
  {
    key: { type: String, default: 'framework', enum: ['framework'] },
    name: { type: String, default: 'Co-operative Councils Innovation Network DPS', maxlength: 200 },
    defaultRuleSet: { type: String, enum: RULE_SETS, default: 'PA2023_DYNAMIC_MARKET' },
    belowThresholdMinDays: { type: Number, min: 1, max: 60, default: 5 },
  },
  { timestamps: true },
);
schema.index({ key: 1 }, { unique: true });

export type FrameworkSettingsData = InferSchemaType<typeof schema>;
export const FrameworkSettings = model('FrameworkSettings', schema);
