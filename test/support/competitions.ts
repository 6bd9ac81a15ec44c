// Test data for competitions: admitted suppliers, and a draft or published competition built through the real
// services (createDraft, updateDraft, publish) on the test app's clock, mailer and master key.
import { Types } from 'mongoose';
import { Admission } from '../../models/Admission';
import { Competition } from '../../models/Competition';
import { Keyring } from '../../server/sealing/keyring';
import { createDraft, DraftPatch, publish, updateDraft } from '../../server/services/competitions';
import { RuleSet } from '../../server/domain/tenderRules';
import { createUser, TestApp, TestUser, TEST_MASTER_KEY } from './app';
import { uniqueLot } from './vetting';

export const testKeyring = () => new Keyring(TEST_MASTER_KEY);
const DAY = 24 * 60 * 60 * 1000;

/** A supplier user whose organisation has an active admission to the lot. */
export async function admittedSupplier(lotId: string, at: Date): Promise<TestUser> {
  const user = await createUser('supplier');
  await Admission.create({ supplier: user.organisation, lot: lotId, application: new Types.ObjectId(), status: 'active', admittedAt: at, history: [{ status: 'active', reason: 'Admitted (test)', at }] });
  return user;
}

/** A complete, publishable draft's content: three criteria (quality 60, price 30, social value 10), two questions. */
export function validDraftContent(now: Date, deadlineDays = 14): DraftPatch {
  const quality = new Types.ObjectId();
  const price = new Types.ObjectId();
  const social = new Types.ObjectId();
  return {
    summary: 'Help us design a community wealth building strategy with residents.',
    requirement: 'We need a partner to run six co-design workshops and write a strategy.',
    estimatedValuePence: 1_800_000,
    contractStart: new Date(now.getTime() + 40 * DAY),
    contractEnd: new Date(now.getTime() + 220 * DAY),
    criteria: [
      { _id: quality, name: 'Approach and delivery', kind: 'quality', weight: 60, guidance: 'How you will run the workshops.' },
      { _id: price, name: 'Price', kind: 'price', weight: 30, guidance: '' },
      { _id: social, name: 'Social value', kind: 'social-value', weight: 10, guidance: 'Commitments from the catalogue.' },
    ] as any,
    questions: [
      { _id: new Types.ObjectId(), text: 'Describe your approach to co-design with residents.', criterion: quality, wordLimit: 500 },
      { _id: new Types.ObjectId(), text: 'What social value will you deliver locally?', criterion: social, wordLimit: 300 },
    ] as any,
    clarificationDeadline: new Date(now.getTime() + Math.floor(deadlineDays / 2) * DAY),
    deadline: new Date(now.getTime() + deadlineDays * DAY),
  };
}

export interface CompetitionFixture {
  id: string;
  reference: string;
  lot: { id: string; number: number; title: string };
  buyer: TestUser;
  /** a second buyer of the same council (for two-person opening) */
  buyer2: TestUser;
  /** suppliers admitted to the lot before publication (so invited) */
  suppliers: TestUser[];
  deadline: Date;
}

export interface CompetitionOptions {
  suppliers?: number;
  deadlineDays?: number;
  ruleSet?: RuleSet;
  title?: string;
  publish?: boolean;
}

/** A council with two buyers, a lot with admitted suppliers, and a competition (published unless publish: false). */
export async function competitionFixture(t: TestApp, opts: CompetitionOptions = {}): Promise<CompetitionFixture> {
  const now = t.clock.now();
  const lot = await uniqueLot('Competition lot');
  const buyer = await createUser('buyer');
  const buyer2 = await createUser('buyer', { organisation: buyer.organisation });
  const suppliers: TestUser[] = [];
  for (let i = 0; i < (opts.suppliers ?? 2); i++) suppliers.push(await admittedSupplier(lot.id, now));
  const actor = { _id: buyer.id, role: 'buyer' as const, organisation: buyer.organisation };
  const created = await createDraft(t.clock, testKeyring(), actor, { title: opts.title ?? 'Community wealth building strategy', lot: lot.id, ruleSet: opts.ruleSet ?? 'PA2023_DYNAMIC_MARKET' });
  if (created.outcome !== 'created') throw new Error('could not create a draft');
  const content = validDraftContent(now, opts.deadlineDays ?? 14);
  if ((await updateDraft(t.clock, actor, created.id, content)) !== 'saved') throw new Error('could not fill the draft');
  if (opts.publish !== false) {
    const published = await publish(t.clock, t.mailer, 'http://localhost:3000', actor, created.id);
    if (published.outcome !== 'published') throw new Error(`could not publish: ${JSON.stringify(published)}`);
  }
  const saved = await Competition.findById(created.id).lean();
  return { id: created.id, reference: created.reference, lot, buyer, buyer2, suppliers, deadline: saved!.deadline! };
}
