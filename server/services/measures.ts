// The social-value measure catalogue: seeded once from server/domain/measureCatalogue.ts, read by bids.
import { trusted } from 'mongoose';
import { SocialValueMeasure } from '../../models/SocialValueMeasure';
import { MEASURE_CATALOGUE } from '../domain/measureCatalogue';

/** Adds any catalogue measure not yet present (by code); never overwrites an admin's changes. */
export async function ensureMeasureCatalogue(): Promise<number> {
  const existing = new Set((await SocialValueMeasure.find({}, { code: 1 }).lean()).map((m) => m.code));
  const missing = MEASURE_CATALOGUE.filter((m) => !existing.has(m.code));
  if (missing.length === 0) return 0;
  try {
    await SocialValueMeasure.insertMany(missing, { ordered: false });
  } catch (err: any) {
    if (err?.code !== 11000 && !err?.writeErrors?.every((e: any) => e.code === 11000)) throw err; // another instance seeded them
  }
  return missing.length;
}

export async function activeMeasures() {
  return SocialValueMeasure.find({ active: true }).sort({ theme: 1, code: 1 }).lean();
}

export async function measuresByCode(codes: string[]) {
  if (codes.length === 0) return [];
  return SocialValueMeasure.find({ code: trusted({ $in: codes.map(String) }) }).lean();
}
