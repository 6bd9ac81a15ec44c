// What a bid holds, and how it is fingerprinted and bound to its record when sealed. Shared by the supplier's
// side (server/services/bids.ts) and the tender box (server/services/tenderBox.ts). Pure: no I/O, no clock.
import { createHash } from 'node:crypto';

export interface PriceLine {
  item: string;
  pence: number;
}

export interface CommitmentLine {
  /** the catalogue measure's code, and what it said when chosen (proxies are re-based yearly) */
  code: string;
  description: string;
  unit: string;
  quantity: number;
  proxyValuePence: number;
  proxyYear: number;
  /** quantity x proxy, rounded to whole pence */
  valuePence: number;
}

export interface AttachmentRef {
  /** the GridFS id of the encrypted bytes */
  file: string;
  name: string;
  contentType: string;
  extension: string;
  size: number;
  sha256: string;
}

export interface BidContent {
  /** answer text by question id */
  answers: Record<string, string>;
  price: { totalPence: number | null; breakdown: PriceLine[] };
  commitments: CommitmentLine[];
  attachments: AttachmentRef[];
}

export function emptyBidContent(): BidContent {
  return { answers: {}, price: { totalPence: null, breakdown: [] }, commitments: [], attachments: [] };
}

/** The AAD that binds sealed content to its bid and slot, so a sealed blob cannot be moved to another record. */
export function bidAad(bidId: string, slot: 'draft' | number): string {
  return slot === 'draft' ? `bid:${bidId}:draft` : `bid:${bidId}:v${slot}`;
}

export function attachmentAad(bidId: string, fileId: string): string {
  return `bid-file:${bidId}:${fileId}`;
}

export function commitmentValue(quantity: number, proxyValuePence: number): number {
  return Math.round(quantity * proxyValuePence);
}

function canonical(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (typeof value === 'object') {
    const keys = Object.keys(value as object).filter((k) => (value as any)[k] !== undefined).sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical((value as any)[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

export interface ReceiptFacts {
  competition: string;
  supplier: string;
  version: number;
  /** ISO string of the server's receipt time */
  receivedAt: string;
}

/**
 * The receipt's SHA-256 fingerprint: of the canonical JSON of what was submitted (answers, price, commitments and
 * each attachment's name and SHA-256) with the competition, supplier, version and receipt time. Anyone holding the
 * opened content can recompute it.
 */
export function fingerprint(content: BidContent, facts: ReceiptFacts): string {
  return createHash('sha256').update(canonical({ content, ...facts })).digest('hex');
}
