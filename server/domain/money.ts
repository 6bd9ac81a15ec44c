// Money as whole pence (sums stay exact): parsing what people type, and writing it back.
const MONEY = /^£?\s*(-)?\s*((?:\d{1,3}(?:,\d{3})+)|\d+)(?:\.(\d{2}))?$/;
export const MAX_PENCE = 100_000_000_000_00; // £100 billion

/** "£1,500.50" → 150050 pence; an error in words naming `label` otherwise. */
export function parsePounds(text: string, label: string): { pence: number } | { error: string } {
  const m = MONEY.exec(String(text).replace(/\s+/g, ''));
  if (!m) return { error: `${label} must be an amount in pounds, like 1500 or 1500.50` };
  if (m[1]) return { error: `${label} must be 0 or more` };
  const pence = Number(m[2].replace(/,/g, '')) * 100 + Number(m[3] ?? 0);
  if (pence > MAX_PENCE) return { error: `${label} must be £100 billion or less` };
  return { pence };
}

/** 150050 → "1500.50", 150000 → "1500": for putting an amount back in a form field. */
export function penceToPounds(pence: number): string {
  return pence % 100 === 0 ? String(pence / 100) : (pence / 100).toFixed(2);
}

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 0, maximumFractionDigits: 2 });
const poundsAndPence = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** 150000 → "£1,500", 150050 → "£1,500.50". */
export function formatMoney(pence: number): string {
  return pence % 100 === 0 ? pounds.format(pence / 100) : poundsAndPence.format(pence / 100);
}
