// Server-rendered SVG charts: readable without JavaScript, every text escaped, an accessible name (role="img",
// <title> and <desc>), and series told apart by their written labels as well as by colour. Pages show the
// chart as an <img> with alt text and give the same numbers in a table beside it.
import { formatMoney } from '../domain/money';
import { formatUnits, SocialValueTotals } from '../domain/socialValueTotals';

export interface Bar {
  /** the value drawn (all bars share one scale) */
  value: number;
  /** the text written beside the bar, e.g. "Committed: £4,500" */
  text: string;
}

export interface BarGroup {
  label: string;
  bars: Bar[];
}

export interface BarChart {
  title: string;
  description: string;
  /** one name per bar position in a group, for the legend */
  series: string[];
  groups: BarGroup[];
}

/** GOV.UK blue and green: each over 4.5:1 against white, so bars and their edges stay visible. */
export const SERIES_COLOURS = ['#1d70b8', '#00703c', '#4c2c92', '#d4351c'];
const TEXT = '#0b0c0c';

export function escapeXml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Long labels are cut (with an ellipsis) so they fit; the table beside the chart has them in full. */
export function shorten(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max - 1).trimEnd() + '…';
}

const WIDTH = 720;
const LEFT = 16;
const BAR_AREA = 420;
const BAR_H = 22;
const GAP = 6;

/** A horizontal grouped bar chart as an SVG document. */
export function barChartSvg(chart: BarChart): string {
  const max = Math.max(0, ...chart.groups.flatMap((g) => g.bars.map((b) => b.value)));
  const parts: string[] = [];
  let y = 16;
  // legend: a swatch and the series name, so colour is never the only cue
  chart.series.forEach((name, i) => {
    const x = LEFT + i * 220;
    parts.push(`<rect x="${x}" y="${y}" width="16" height="16" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/>`);
    parts.push(`<text x="${x + 24}" y="${y + 13}">${escapeXml(shorten(name, 28))}</text>`);
  });
  y += 40;
  if (chart.groups.length === 0) {
    parts.push(`<text x="${LEFT}" y="${y}">Nothing to show yet</text>`);
    y += 20;
  }
  for (const group of chart.groups) {
    parts.push(`<text x="${LEFT}" y="${y}" font-weight="bold">${escapeXml(shorten(group.label, 80))}</text>`);
    y += 8;
    group.bars.forEach((bar, i) => {
      const w = max > 0 ? Math.max(bar.value > 0 ? 2 : 0, Math.round((bar.value / max) * BAR_AREA)) : 0;
      parts.push(`<rect x="${LEFT}" y="${y}" width="${w}" height="${BAR_H}" fill="${SERIES_COLOURS[i % SERIES_COLOURS.length]}"/>`);
      parts.push(`<text x="${LEFT + w + 8}" y="${y + BAR_H - 6}">${escapeXml(shorten(bar.text, 60))}</text>`);
      y += BAR_H + GAP;
    });
    y += 24;
  }
  const height = y;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title chart-desc" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Arial, Helvetica, sans-serif" font-size="16" fill="${TEXT}">`,
    `<title id="chart-title">${escapeXml(chart.title)}</title>`,
    `<desc id="chart-desc">${escapeXml(chart.description)}</desc>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

/** The contract's social value, committed against delivered per measure in proxy pounds (units differ by measure). */
export function socialValueChart(title: string, totals: SocialValueTotals): BarChart {
  return {
    title,
    description: socialValueSummary(totals),
    series: ['Committed', 'Delivered (accepted)'],
    groups: totals.measures.map((m) => ({
      label: `${m.code}: ${m.description}`,
      bars: [
        { value: m.committedPence, text: `Committed: ${formatMoney(m.committedPence)} (${formatUnits(m.committedUnits)} ${m.unit})` },
        { value: m.deliveredPence, text: `Delivered: ${formatMoney(m.deliveredPence)} (${formatUnits(m.deliveredUnits)} ${m.unit})` },
      ],
    })),
  };
}

/** One sentence for alt text and <desc>: the totals in words. */
export function socialValueSummary(totals: SocialValueTotals): string {
  if (totals.measures.length === 0) return 'No social value commitments on this contract.';
  const n = totals.measures.length;
  return `Social value committed against delivered for ${n} ${n === 1 ? 'measure' : 'measures'}: ${formatMoney(totals.deliveredPence)} delivered (accepted reports) of ${formatMoney(totals.committedPence)} committed, ${totals.percentDelivered}%. The table on the page gives every figure.`;
}
