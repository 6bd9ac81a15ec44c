// Demo data for issue 5: the demo suppliers admitted to lots, and three of Oldham's competitions at different
// stages (a draft; one open for bids with a published clarification; one whose deadline has passed with two sealed
// bids awaiting the two-person opening). Built through the real services, with clocks set in the past where a
// stage needs it, so every record, seal and audit event is what the service would have written.
import { Types } from 'mongoose';
import { Admission } from '../../models/Admission';
import { Application } from '../../models/Application';
import { Organisation } from '../../models/Organisation';
import { Clock } from '../clock';
import { Mailer } from '../mail/mailer';
import { Keyring } from '../sealing/keyring';
import { londonParts, londonToUtc } from '../domain/competitionForms';
import { BidContent } from '../domain/bidContent';
import { createDraft, DraftPatch, publish, updateDraft } from './competitions';
import { answerQuestion, askQuestion } from './clarifications';
import { changeDraft, findBid, submitBid } from './bids';
import { activeMeasures } from './measures';

const DAY = 24 * 60 * 60 * 1000;
type Person = { _id: string; role: 'buyer' | 'supplier' | 'admin'; organisation: string; email: string };

export interface DemoParties {
  admin: Person;
  buyer: Person;
  suppliers: Array<{ organisation: string; user?: Person }>;
  lots: Array<{ _id: Types.ObjectId; number: number }>;
}

const at = (ms: number): Clock => ({ now: () => new Date(ms) });

/** Noon (UK time) `days` days after `from`'s UK date. */
function noonAfter(from: Date, days: number): Date {
  const p = londonParts(new Date(from.getTime() + days * DAY));
  const r = londonToUtc({ year: p.year, month: p.month, day: p.day }, { hour: 12, minute: 0 });
  return r.ok ? r.at : new Date(from.getTime() + days * DAY);
}

const PROFILES = [
  { legalForm: 'co-operative society', registrationScheme: 'FCA mutuals register', registrationNumber: 'RS007701', nation: 'England', region: 'North West', size: 'small', vcse: true, description: 'A worker co-operative helping councils co-design policy with residents.' },
  { legalForm: 'community interest company', registrationScheme: 'Companies House', registrationNumber: '11223344', nation: 'England', region: 'Yorkshire and the Humber', size: 'micro', vcse: true, description: 'Community wealth building strategies, anchor institution networks and local procurement.' },
  { legalForm: 'co-operative society', registrationScheme: 'FCA mutuals register', registrationNumber: 'RS008123', nation: 'Wales', region: 'Wales', size: 'micro', vcse: true, description: 'Open policy making and participatory democracy.' },
  { legalForm: 'private company limited by shares', registrationScheme: 'Companies House', registrationNumber: '09876543', nation: 'Scotland', region: 'Scotland', size: 'medium', vcse: false, description: 'Social value measurement and evaluation.' },
];

/** Every demo supplier gets a profile, a decided application and active admissions to lots 1 and 2 (some to 3 and 4). */
async function admitSuppliers(now: Date, p: DemoParties): Promise<void> {
  for (const [i, s] of p.suppliers.entries()) {
    await Organisation.updateOne({ _id: s.organisation }, { $set: { profile: { ...PROFILES[i % PROFILES.length], legalName: (await Organisation.findById(s.organisation).lean())!.name } } });
    const lots = p.lots.filter((l) => l.number <= 2 || (i + l.number) % 2 === 0);
    const decidedAt = new Date(now.getTime() - 30 * DAY);
    const application = await Application.create({
      supplier: s.organisation, createdBy: s.user?._id ?? p.admin._id, status: 'decided', lots: lots.map((l) => l._id),
      reference: `DPS-APP-DEMO-${String(i + 1).padStart(3, '0')}`, submittedAt: new Date(now.getTime() - 40 * DAY), nation: PROFILES[i % PROFILES.length].nation,
      decisions: lots.map((l) => ({ lot: l._id, outcome: 'admitted', reasons: 'Meets the conditions for membership of this lot (demo data).', decidedBy: p.admin._id, decidedAt })),
    });
    await Admission.insertMany(lots.map((l) => ({ supplier: s.organisation, lot: l._id, application: application._id, status: 'active', admittedAt: decidedAt, history: [{ status: 'active', reason: 'Admitted (demo data)', at: decidedAt, by: p.admin._id }] })));
  }
}

function content(now: Date, deadlineDays: number): DraftPatch {
  const quality = new Types.ObjectId();
  const price = new Types.ObjectId();
  const social = new Types.ObjectId();
  return {
    summary: 'We want a partner to help residents and anchor institutions shape Oldham\u2019s next community wealth building strategy.',
    requirement: 'Run six co-design workshops across the borough with residents, local VCSEs and anchor institutions; review the evidence from the first strategy; and write a draft strategy with an action plan and measures of success. The work starts in the new year and runs for six months.',
    estimatedValuePence: 1_800_000,
    contractStart: new Date(now.getTime() + 40 * DAY),
    contractEnd: new Date(now.getTime() + 220 * DAY),
    criteria: [
      { _id: quality, name: 'Approach and delivery', kind: 'quality', weight: 60, guidance: 'How you will run the workshops and reach residents who are seldom heard.' },
      { _id: price, name: 'Price', kind: 'price', weight: 30, guidance: 'Lowest price / your price x 30.' },
      { _id: social, name: 'Social value', kind: 'social-value', weight: 10, guidance: 'Commitments from the network\u2019s measure catalogue, delivered in Oldham.' },
    ] as any,
    questions: [
      { _id: new Types.ObjectId(), text: 'Describe your approach to co-design with residents, including how you will reach people who are seldom heard.', criterion: quality, wordLimit: 500 },
      { _id: new Types.ObjectId(), text: 'What social value will you deliver in Oldham, and how will you evidence it?', criterion: social, wordLimit: 300 },
    ] as any,
    clarificationDeadline: noonAfter(now, Math.floor(deadlineDays / 2)),
    deadline: noonAfter(now, deadlineDays),
  };
}

async function competition(clock: Clock, keyring: Keyring, mailer: Mailer, baseUrl: string, buyer: Person, lot: Types.ObjectId, title: string, deadlineDays: number, publishIt: boolean): Promise<string> {
  const created = await createDraft(clock, keyring, buyer, { title, lot: String(lot), ruleSet: 'PA2023_DYNAMIC_MARKET' });
  if (created.outcome !== 'created') throw new Error('demo: could not create a competition');
  await updateDraft(clock, buyer, created.id, content(clock.now(), deadlineDays));
  if (publishIt) {
    const out = await publish(clock, mailer, baseUrl, buyer, created.id);
    if (out.outcome !== 'published') throw new Error(`demo: could not publish (${JSON.stringify(out)})`);
  }
  return created.id;
}

async function sealedBid(clock: Clock, keyring: Keyring, mailer: Mailer, baseUrl: string, supplier: Person, competitionId: string, pounds: number, answers: string[]): Promise<void> {
  const { findInvited } = await import('./competitions');
  const c = (await findInvited(supplier, competitionId))!;
  const measures = await activeMeasures();
  const [volunteering, local] = [measures.find((m) => m.code === 'CCIN-C1') ?? measures[0], measures.find((m) => m.code === 'CCIN-L1') ?? measures[1]];
  const line = (m: typeof volunteering, quantity: number) => ({ code: m.code, description: m.description, unit: m.unit, quantity, proxyValuePence: m.proxyValuePence, proxyYear: m.proxyYear, valuePence: Math.round(quantity * m.proxyValuePence) });
  const draft = (b: BidContent): BidContent => ({
    ...b,
    answers: Object.fromEntries(c.questions.map((q, i) => [String(q._id), answers[i] ?? answers[0]])),
    price: { totalPence: pounds * 100, breakdown: [{ item: 'Workshops (6)', pence: Math.round(pounds * 60) }, { item: 'Evidence review and strategy', pence: pounds * 100 - Math.round(pounds * 60) }] },
    commitments: [line(volunteering, 120), line(local, 2500)],
  });
  const saved = await changeDraft(clock, keyring, supplier, c, 'answers', draft);
  if (saved.outcome !== 'saved') throw new Error('demo: could not save a bid');
  const bid = await findBid(c._id, supplier.organisation);
  const out = await submitBid(clock, keyring, mailer, baseUrl, supplier, competitionId, bid!.draft!.revision ?? 0);
  if (out.outcome !== 'submitted') throw new Error(`demo: could not submit a bid (${JSON.stringify(out)})`);
}

/** Seeds the demo suppliers' admissions and Oldham's competitions; `clock` is now. */
export async function seedDemoCompetitions(clock: Clock, keyring: Keyring, mailer: Mailer, baseUrl: string, p: DemoParties): Promise<void> {
  const now = clock.now().getTime();
  await admitSuppliers(clock.now(), p);
  const [lot1, lot2, lot3] = p.lots;
  const [s1, s2] = p.suppliers.map((s) => s.user).filter((u): u is Person => !!u);

  // open for bids, with one question answered to everyone
  const open = await competition(clock, keyring, mailer, baseUrl, p.buyer, lot1._id, 'Community wealth building strategy for Oldham', 14, true);
  const asked = await askQuestion(at(now + 60_000), mailer, baseUrl, s2, open, 'Can the workshops be held in the evenings so that working residents can come?');
  if (asked.outcome === 'asked') {
    await answerQuestion(at(now + 120_000), mailer, baseUrl, p.buyer, open, asked.id, { publishedQuestion: 'Can the workshops be held in the evenings so that working residents can come?', answer: 'Yes. We expect at least half of the workshops to be held in the evening or at weekends.', substantial: false });
  }

  // deadline passed two days ago: two sealed bids wait for two people to open the box
  const published = now - 16 * DAY;
  const closed = await competition(at(published), keyring, mailer, baseUrl, p.buyer, lot2._id, 'Prototype a co-operative home care service', 14, true);
  await sealedBid(at(published + 5 * DAY), keyring, mailer, baseUrl, s1, closed, 17_500, ['We will co-design the service with care workers and people who draw on care, through four design sprints.', 'We will recruit two apprentices from Oldham and give 120 hours of volunteering to local carers\u2019 groups.']);
  await sealedBid(at(published + 9 * DAY), keyring, mailer, baseUrl, s2, closed, 16_900, ['Our approach starts from the care co-operatives already working in Greater Manchester.', 'We will spend at least \u00a32,500 with local VCSEs and volunteer 120 hours with carers.']);

  // a draft still being written
  await competition(clock, keyring, mailer, baseUrl, p.buyer, lot3._id, 'Training for councillors on co-operative governance', 21, false);
}
