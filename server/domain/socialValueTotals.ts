// Social value committed against delivered, per measure (one contract commitment) and in total, in units and in
// proxy pounds. Only reports the buyer ACCEPTED count as delivered; reports awaiting verification are shown apart.
// Pure: no I/O, no clock. Quantities carry up to 2 decimals, so sums are kept in hundredths to stay exact.

export interface CommitmentFigures {
  id: string;
  code: string;
  description: string;
  unit: string;
  quantity: number;
  proxyValuePence: number;
  proxyYear: number;
}

export interface ReportFigures {
  commitment: string;
  quantityDelivered: number;
  status: string;
}

export interface MeasureTotal extends CommitmentFigures {
  committedUnits: number;
  deliveredUnits: number;
  /** reported but not yet verified: not counted as delivered */
  awaitingUnits: number;
  committedPence: number;
  deliveredPence: number;
  /** delivered proxy pounds as a whole percentage of committed (floored; may pass 100) */
  percentDelivered: number;
}

export interface SocialValueTotals {
  measures: MeasureTotal[];
  committedPence: number;
  deliveredPence: number;
  percentDelivered: number;
}

const hundredths = (n: number) => Math.round(n * 100);
const valueOf = (unitHundredths: number, proxyPence: number) => Math.round((unitHundredths * proxyPence) / 100);
const percent = (part: number, whole: number) => (whole > 0 ? Math.floor((part * 100) / whole) : 0);

export function socialValueTotals(commitments: CommitmentFigures[], reports: ReportFigures[]): SocialValueTotals {
  const delivered = new Map<string, number>();
  const awaiting = new Map<string, number>();
  for (const r of reports) {
    const into = r.status === 'accepted' ? delivered : r.status === 'awaiting' ? awaiting : undefined;
    if (into) into.set(r.commitment, (into.get(r.commitment) ?? 0) + hundredths(r.quantityDelivered));
  }
  const measures = commitments.map((c) => {
    const committed = hundredths(c.quantity);
    const done = delivered.get(c.id) ?? 0;
    const committedPence = valueOf(committed, c.proxyValuePence);
    const deliveredPence = valueOf(done, c.proxyValuePence);
    return {
      ...c,
      committedUnits: committed / 100,
      deliveredUnits: done / 100,
      awaitingUnits: (awaiting.get(c.id) ?? 0) / 100,
      committedPence,
      deliveredPence,
      percentDelivered: percent(deliveredPence, committedPence),
    };
  });
  const committedPence = measures.reduce((s, m) => s + m.committedPence, 0);
  const deliveredPence = measures.reduce((s, m) => s + m.deliveredPence, 0);
  return { measures, committedPence, deliveredPence, percentDelivered: percent(deliveredPence, committedPence) };
}

/** "1.5", "12", "0.25": a quantity as people write it. */
export function formatUnits(n: number): string {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(n);
}
