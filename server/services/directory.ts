// The public directory of admitted suppliers (issue 4): a supplier is listed while it holds at least one
// active admission. Only whitelisted profile fields ever leave this module (security C13): the queries
// project them explicitly, so contacts, answers, scores and removal reasons are never even read.
import { trusted, Types } from 'mongoose';
import { Admission } from '../../models/Admission';
import { Lot } from '../../models/Lot';
import { Organisation } from '../../models/Organisation';

export const DIRECTORY_PAGE_SIZE = 20;
/** Search words beyond this many are ignored (the text itself is at most 100 characters). */
const MAX_WORDS = 10;

export interface DirectoryFilters {
  /** free text: every word must appear in the name, trading name or description (case-insensitive) */
  q?: string;
  /** a Lot's id */
  lot?: string;
  legalForm?: string;
  nation?: string;
  size?: string;
  vcse?: boolean;
}

export interface DirectoryLot {
  id: string;
  number: number;
  title: string;
}

export interface DirectorySupplier {
  id: string;
  name: string;
  tradingName?: string;
  legalForm?: string;
  registrationScheme?: string;
  registrationNumber?: string;
  nation?: string;
  region?: string;
  size?: string;
  vcse?: boolean;
  website?: string;
  description?: string;
  /** the lots it is actively admitted to, by lot number */
  lots: DirectoryLot[];
}

/** The only Organisation fields a public page may read. */
const PUBLIC_FIELDS = {
  name: 1,
  'profile.tradingName': 1,
  'profile.legalForm': 1,
  'profile.registrationScheme': 1,
  'profile.registrationNumber': 1,
  'profile.nation': 1,
  'profile.region': 1,
  'profile.size': 1,
  'profile.vcse': 1,
  'profile.website': 1,
  'profile.description': 1,
} as const;

/** Escapes every regular-expression metacharacter, so user text only ever matches itself. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** The lots a supplier can be filtered by, in number order. */
export async function directoryLots(): Promise<DirectoryLot[]> {
  const lots = await Lot.find({}, { number: 1, title: 1 }).sort({ number: 1 }).lean();
  return lots.map((l) => ({ id: String(l._id), number: l.number, title: l.title }));
}

/** One page of listed suppliers matching the filters, sorted by name, with the total for "x suppliers found". */
export async function searchDirectory(filters: DirectoryFilters, page: number, pageSize = DIRECTORY_PAGE_SIZE): Promise<{ total: number; items: DirectorySupplier[] }> {
  const admitted: Record<string, unknown> = { status: 'active' };
  if (filters.lot) admitted.lot = filters.lot;
  const supplierIds = (await Admission.distinct('supplier', admitted)) as Types.ObjectId[];
  if (supplierIds.length === 0) return { total: 0, items: [] };

  const query: Record<string, unknown> = { kind: 'supplier', _id: trusted({ $in: supplierIds }) };
  if (filters.legalForm) query['profile.legalForm'] = filters.legalForm;
  if (filters.nation) query['profile.nation'] = filters.nation;
  if (filters.size) query['profile.size'] = filters.size;
  if (filters.vcse !== undefined) query['profile.vcse'] = filters.vcse;
  const words = (filters.q ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_WORDS);
  if (words.length) {
    query.$and = words.map((word) => {
      const pattern = trusted({ $regex: escapeRegex(word), $options: 'i' });
      return { $or: [{ name: pattern }, { 'profile.tradingName': pattern }, { 'profile.description': pattern }] };
    });
  }

  const [total, organisations] = await Promise.all([
    Organisation.countDocuments(query),
    Organisation.find(query, PUBLIC_FIELDS).sort({ name: 1, _id: 1 }).skip((page - 1) * pageSize).limit(pageSize).lean(),
  ]);
  const lots = await activeLotsOf(organisations.map((o) => o._id));
  return { total, items: organisations.map((o) => toPublic(o, lots.get(String(o._id)) ?? [])) };
}

/** A listed supplier's public profile, or null when it is not a supplier or holds no active admission. */
export async function findListedSupplier(id: string): Promise<DirectorySupplier | null> {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) return null;
  const organisation = await Organisation.findOne({ _id: id, kind: 'supplier' }, PUBLIC_FIELDS).lean();
  if (!organisation) return null;
  const lots = (await activeLotsOf([organisation._id])).get(String(organisation._id)) ?? [];
  if (lots.length === 0) return null;
  return toPublic(organisation, lots);
}

/** Active lots per supplier: one query for the admissions and one for their lots, however many suppliers. */
async function activeLotsOf(supplierIds: Types.ObjectId[]): Promise<Map<string, DirectoryLot[]>> {
  const out = new Map<string, DirectoryLot[]>();
  if (supplierIds.length === 0) return out;
  const admissions = await Admission.find({ supplier: trusted({ $in: supplierIds }), status: 'active' }, { supplier: 1, lot: 1 }).lean();
  const lotIds = [...new Set(admissions.map((a) => String(a.lot)))];
  const lots = lotIds.length ? await Lot.find({ _id: trusted({ $in: lotIds }) }, { number: 1, title: 1 }).lean() : [];
  const byId = new Map(lots.map((l) => [String(l._id), { id: String(l._id), number: l.number, title: l.title }]));
  for (const a of admissions) {
    const lot = byId.get(String(a.lot));
    if (!lot) continue;
    const list = out.get(String(a.supplier)) ?? [];
    list.push(lot);
    out.set(String(a.supplier), list);
  }
  for (const list of out.values()) list.sort((a, b) => a.number - b.number);
  return out;
}

function toPublic(o: { _id: Types.ObjectId; name: string; profile?: Record<string, any> | null }, lots: DirectoryLot[]): DirectorySupplier {
  const p = o.profile ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
  return {
    id: String(o._id),
    name: o.name,
    tradingName: str(p.tradingName),
    legalForm: str(p.legalForm),
    registrationScheme: str(p.registrationScheme),
    registrationNumber: str(p.registrationNumber),
    nation: str(p.nation),
    region: str(p.region),
    size: str(p.size),
    vcse: typeof p.vcse === 'boolean' ? p.vcse : undefined,
    website: str(p.website),
    description: str(p.description),
    lots,
  };
}
