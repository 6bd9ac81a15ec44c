// Test data for the vetting pages: lots and submitted applications written straight to the models
// (the supplier journey builds them for real; these follow the same shape: answers by section key, a snapshot).
import { randomInt } from 'node:crypto';
import { Application } from '../../models/Application';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';
import { PRINCIPLES, VALUES_KEY } from '../../server/domain/applicationQuestions';
import { UkNation, workingDayDeadline } from '../../server/domain/workingDays';

let counter = 0;

/** A lot with a number no other lot has (lot numbers are unique, 1 to 99, and the test database is shared). */
export async function uniqueLot(title = 'Test lot'): Promise<{ id: string; number: number; title: string }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const used = new Set((await Lot.find({}, { number: 1 }).lean()).map((l) => l.number));
    const free = Array.from({ length: 99 }, (_x, i) => i + 1).filter((n) => !used.has(n));
    if (!free.length) throw new Error('no free lot numbers left in the test database');
    const number = free[randomInt(0, free.length)];
    try {
      const lot = await Lot.create({ number, title: `${title} ${number}`, description: 'A lot for tests.', active: true });
      return { id: String(lot._id), number, title: lot.title };
    } catch (err: any) {
      if (err?.code !== 11000) throw err;
    }
  }
  throw new Error('could not create a lot');
}

export interface SubmittedOptions {
  supplier?: string;
  createdBy?: string;
  lots: Array<{ id: string; number: number; title: string }>;
  submittedAt: Date;
  nation?: UkNation;
  legalName?: string;
  mainEmail?: string;
  answers?: Record<string, Record<string, unknown>>;
  documents?: string[];
}

/** A submitted application as submitApplication leaves one: reference, receipt time, due-by date, frozen snapshot. */
export async function createSubmittedApplication(opts: SubmittedOptions): Promise<{ id: string; reference: string; supplier: string }> {
  const n = `${Date.now().toString(36)}${counter++}`;
  const nation = opts.nation ?? 'England';
  const supplier = opts.supplier ?? String((await Organisation.create({ kind: 'supplier', name: `Supplier ${n}` }))._id);
  const legalName = opts.legalName ?? `Test Co-operative ${n} Ltd`;
  const answers: Record<string, Record<string, unknown>> = {
    organisation: {
      legalName, legalForm: 'co-operative-society', registrationScheme: 'fca-mutuals', registrationNumber: `RS${counter}`,
      registeredAddress: '1 High Street, Manchester', nation, region: 'North West', size: 'micro', vcse: 'yes',
      description: 'We help councils co-design services with residents.',
    },
    contacts: { mainName: 'Mo Contact', mainEmail: opts.mainEmail ?? `main-${n}@example.org`, mainPhone: '0161 000 0000', bidName: 'Bea Bid', bidEmail: `bid-${n}@example.org` },
    lots: {
      lots: opts.lots.map((l) => l.id),
      ...Object.fromEntries(opts.lots.map((l) => [`statement_${l.id}`, `Why we suit lot ${l.number}.`])),
    },
    exclusion: { corruption: { answer: 'no' }, insolvency: { answer: 'yes', explanation: 'We restructured in 2022 and are now solvent.' } },
    financial: { turnoverLastYear: 12_000_000, turnoverYearBefore: 9_000_000, employersLiability: 500_000_000, publicLiability: 500_000_000, professionalIndemnity: 100_000_000 },
    technical: {
      caseStudies: opts.lots.flatMap((l) => [1, 2].map((k) => ({
        lot: String(l.number), client: `Council ${k}`, start: '2024-01-15', end: '2024-06-30', value: 1_500_000,
        work: `Case study ${k} work for lot ${l.number}.`, outcome: 'Residents shaped the service.', referee: `Ref ${k}, ref${k}@example.org`,
      }))),
    },
    values: { ...Object.fromEntries(PRINCIPLES.map((p) => [p.key, `How we live ${p.title.toLowerCase()}.`])), [VALUES_KEY]: 'Honesty and openness guide us.' },
    policies: {},
    declarations: { truth: ['agreed'], dataUse: ['agreed'], noFees: ['understood'] },
    ...(opts.answers ?? {}),
  };
  const reference = `DPS-APP-T${n}`.toUpperCase();
  const app = await Application.create({
    supplier, createdBy: opts.createdBy ?? supplier, status: 'submitted', answers, reference,
    submittedAt: opts.submittedAt, nation, dueBy: workingDayDeadline(opts.submittedAt, 10, nation),
    snapshot: { answers, lots: opts.lots.map((l) => ({ _id: l.id, number: l.number, title: l.title })), submittedAt: opts.submittedAt.toISOString() },
    snapshotHash: 'test', lots: opts.lots.map((l) => l.id), documents: opts.documents ?? [],
  });
  return { id: String(app._id), reference, supplier };
}
