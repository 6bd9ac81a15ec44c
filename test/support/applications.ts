// Helpers for tests of the supplier's application journey and of vetting: lots to apply for, valid answers
// for every section (as the forms post them), and a function that drives an application to 'submitted'.
import { Types } from 'mongoose';
import request from 'supertest';
import { Application } from '../../models/Application';
import { StoredDocument } from '../../models/Document';
import { Lot } from '../../models/Lot';
import { PRINCIPLES, SECTIONS, VALUES_KEY, EXCLUSION_GROUNDS } from '../../server/domain/applicationQuestions';
import { createUser, signIn, submit, TestApp, TestUser } from './app';

export type Fields = Record<string, string | string[]>;

export interface TestLot {
  id: string;
  number: number;
  title: string;
}

/** Active lots with these numbers, created if missing (lot numbers are unique across the shared test database). */
export async function ensureLots(numbers: number[] = [91, 92]): Promise<TestLot[]> {
  const out: TestLot[] = [];
  for (const number of numbers) {
    const lot = await Lot.findOneAndUpdate(
      { number },
      { $set: { active: true }, $setOnInsert: { title: `Test lot ${number}`, description: `Work of test lot ${number}.` } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    out.push({ id: String(lot!._id), number: lot!.number, title: lot!.title });
  }
  return out;
}

/**
 * A stored document record owned by the organisation, standing in for an upload (its bytes are not in GridFS).
 * Tests of the application's answers use it; tests of uploads themselves go through the upload route.
 */
export async function fakeDocument(organisation: string, uploadedBy: string, purpose: string, name = `${purpose.replace(/\W+/g, '-')}.pdf`): Promise<string> {
  const doc = await StoredDocument.create({
    owner: organisation, uploadedBy, purpose, originalName: name, contentType: 'application/pdf', extension: 'pdf',
    size: 1234, sha256: 'a'.repeat(64), gridFsId: new Types.ObjectId(), scanStatus: 'clean',
  });
  return String(doc._id);
}

const words = (n: number, word = 'co-operation') => Array.from({ length: n }, () => word).join(' ');

/** Valid answers for every section, as the forms post them; file fields need document ids (see fakeDocument). */
export function validAnswers(lots: TestLot[], files: Record<string, string>, overrides: Partial<Record<string, Fields>> = {}): Record<string, Fields> {
  const caseStudies: Fields = {};
  let i = 0;
  for (const lot of lots) {
    for (let k = 0; k < 2; k++, i++) {
      Object.assign(caseStudies, {
        [`caseStudies-${i}-lot`]: String(lot.number),
        [`caseStudies-${i}-client`]: `Example Borough Council ${i + 1}`,
        [`caseStudies-${i}-start-day`]: '1', [`caseStudies-${i}-start-month`]: '4', [`caseStudies-${i}-start-year`]: '2024',
        [`caseStudies-${i}-end-day`]: '31', [`caseStudies-${i}-end-month`]: '3', [`caseStudies-${i}-end-year`]: '2025',
        [`caseStudies-${i}-value`]: '18500.50',
        [`caseStudies-${i}-work`]: 'Co-designed a community wealth building strategy with residents.',
        [`caseStudies-${i}-outcome`]: 'Local spend rose by a fifth within a year.',
        [`caseStudies-${i}-referee`]: `Ada Referee, ada${i}@example.gov.uk`,
      });
    }
  }
  const base: Record<string, Fields> = {
    organisation: {
      legalName: 'Riverside Workers Co-operative Limited', tradingName: 'Riverside Co-op', legalForm: 'co-operative-society',
      registrationScheme: 'fca-mutuals', registrationNumber: 'RS007123', registeredAddress: '1 Mill Lane, Hebden Bridge, HX7 8AA',
      nation: 'England', region: 'Yorkshire and the Humber', size: 'micro', vcse: 'yes', website: 'https://riverside.example.coop',
      description: 'A worker co-operative doing participatory research and policy design with councils.',
    },
    contacts: { mainName: 'Mo Main', mainEmail: 'main.contact@example.coop', mainPhone: '01234 567890', bidName: 'Bea Bid', bidEmail: 'bids@example.coop' },
    lots: {
      lots: lots.map((l) => l.id),
      ...Object.fromEntries(lots.map((l) => [`statement_${l.id}`, `We have delivered ${l.title} work for five councils.`])),
    },
    exclusion: Object.fromEntries(EXCLUSION_GROUNDS.map((g) => [g.name, 'no'])),
    financial: {
      turnoverLastYear: '250000', turnoverYearBefore: '£210,000.50', employersLiability: '5000000', publicLiability: '5000000',
      professionalIndemnity: '1000000', publicLiabilityCertificate: files.publicLiabilityCertificate, professionalIndemnityCertificate: files.professionalIndemnityCertificate,
    },
    technical: caseStudies,
    values: Object.fromEntries([...PRINCIPLES.map((p) => p.key), VALUES_KEY].map((k) => [k, `Our members ${words(20)} every day (${k}).`])),
    policies: {
      equality: files.equality, safeguarding: files.safeguarding, environmental: files.environmental,
      modernSlavery: files.modernSlavery, dataProtection: files.dataProtection,
    },
    declarations: { truth: 'agreed', dataUse: 'agreed', noFees: 'understood' },
  };
  for (const [k, v] of Object.entries(overrides)) base[k] = { ...base[k], ...v };
  return base;
}

/** The file fields every valid application needs, as fake documents owned by the user's organisation. */
export async function requiredFiles(user: TestUser): Promise<Record<string, string>> {
  const purposes: Record<string, string> = {
    publicLiabilityCertificate: 'insurance:public-liability', professionalIndemnityCertificate: 'insurance:professional-indemnity',
    equality: 'policy:equality', safeguarding: 'policy:safeguarding', environmental: 'policy:environmental',
    modernSlavery: 'policy:modern-slavery', dataProtection: 'policy:data-protection',
  };
  const out: Record<string, string> = {};
  for (const [field, purpose] of Object.entries(purposes)) out[field] = await fakeDocument(user.organisation, user.id, purpose);
  return out;
}

export const applicationPath = (id: string, rest = '') => `/supplier/applications/${id}${rest}`;
export const sectionPath = (id: string, key: string) => applicationPath(id, `/sections/${key}`);

/** Starts a new application from the list page; returns its id. */
export async function startApplication(agent: request.Agent): Promise<string> {
  const res = await submit(agent, '/supplier/applications', {});
  if (res.status !== 303) throw new Error(`starting an application answered ${res.status}`);
  const m = /\/supplier\/applications\/([0-9a-f]{24})$/.exec(res.headers.location);
  if (!m) throw new Error(`unexpected redirect ${res.headers.location}`);
  return m[1];
}

/** Posts one section with "Save and continue" (or another action). */
export async function saveSection(agent: request.Agent, id: string, key: string, fields: Fields, action = 'continue') {
  return submit(agent, sectionPath(id, key), { ...fields, action });
}

/** Fills every section with valid answers, in task-list order; throws if a section does not save. */
export async function fillApplication(agent: request.Agent, id: string, answers: Record<string, Fields>): Promise<void> {
  for (const s of SECTIONS) {
    const res = await saveSection(agent, id, s.key, answers[s.key]);
    if (res.status !== 303) throw new Error(`section ${s.key} answered ${res.status}: ${res.text.slice(0, 2000)}`);
  }
}

export interface SubmittedApplication {
  user: TestUser;
  agent: request.Agent;
  id: string;
  reference: string;
  lots: TestLot[];
}

/**
 * A new supplier (or the one given) with a submitted application for the lots (default: test lots 91 and 92).
 * `overrides` replace fields of the valid answers, section by section (e.g. { organisation: { nation: 'Scotland' } }).
 */
export async function submittedApplication(t: TestApp, opts: { user?: TestUser; lots?: TestLot[]; overrides?: Partial<Record<string, Fields>> } = {}): Promise<SubmittedApplication> {
  const user = opts.user ?? (await createUser('supplier'));
  const agent = await signIn(t, user);
  const lots = opts.lots ?? (await ensureLots());
  const id = await startApplication(agent);
  await fillApplication(agent, id, validAnswers(lots, await requiredFiles(user), opts.overrides));
  const res = await submit(agent, applicationPath(id, '/submit'), {}, applicationPath(id, '/check-answers'));
  if (res.status !== 303) throw new Error(`submit answered ${res.status}: ${res.text.slice(0, 2000)}`);
  const app = await Application.findById(id).lean();
  if (app?.status !== 'submitted') throw new Error(`application is ${app?.status}, not submitted`);
  return { user, agent, id, reference: app.reference!, lots };
}
