// What the vetting pages show: the snapshot's answers by section (evidence linked to its download route),
// due-by text and tags. Text is escaped here wherever an `html` parameter is built.
import { Field, SCORED_CRITERIA, SECTIONS, lotFields } from '../../server/domain/applicationQuestions';
import { DueStatus, SCORE_SCALE } from '../../server/domain/vetting';
import { escapeHtml } from '../../server/views/govuk';
import { tagCell } from './helpers';

const pounds = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
const penceFormat = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const ukDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

export interface DocInfo {
  originalName: string;
  size: number;
  scanStatus?: string | null;
}

type Value = { text: string } | { html: string };

function money(pence: number): string {
  return pence % 100 === 0 ? pounds.format(pence / 100) : penceFormat.format(pence / 100);
}

/** A link to an evidence document's authorised download route; the name is escaped, the id is checked. */
export function documentLink(id: string, doc: DocInfo | undefined): Value {
  if (!/^[0-9a-f]{24}$/i.test(id)) return { text: 'File not found' };
  if (!doc) return { text: 'File not found' };
  const kb = Math.max(1, Math.round(doc.size / 1024));
  const scan = doc.scanStatus && doc.scanStatus !== 'clean' ? ` (${doc.scanStatus === 'unscanned' ? 'not virus-scanned' : `virus scan: ${doc.scanStatus}`})` : '';
  return { html: `<a class="govuk-link" href="/documents/${escapeHtml(id)}">${escapeHtml(doc.originalName)}</a> <span class="govuk-body-s">${escapeHtml(`${kb} KB${scan}`)}</span>` };
}

function answerValue(f: Field, v: any, documents: Record<string, DocInfo>): Value {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) return { text: 'Not answered' };
  switch (f.kind) {
    case 'radios':
      return { text: f.options.find((o) => o.value === v)?.text ?? String(v) };
    case 'checkboxes':
      return { text: (Array.isArray(v) ? v : [v]).map((x: string) => f.options.find((o) => o.value === x)?.text ?? String(x)).join('; ') };
    case 'money':
      return { text: typeof v === 'number' ? money(v) : String(v) };
    case 'date':
      return { text: typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? ukDate.format(new Date(`${v}T00:00:00Z`)) : String(v) };
    case 'yes-no-explain':
      return { text: v && v.answer === 'yes' ? `Yes. ${v.explanation ?? ''}`.trim() : 'No' };
    case 'file':
      return documentLink(String(v), documents[String(v)]);
    default:
      return { text: typeof v === 'object' ? JSON.stringify(v) : String(v) };
  }
}

export interface SectionView {
  key: string;
  title: string;
  rows: Array<{ key: { text: string }; value: Value }>;
}

/** Every answer of the submitted snapshot, section by section, in the question set's order. */
export function snapshotSections(snapshot: any, documents: Record<string, DocInfo>): SectionView[] {
  const answers = snapshot?.answers ?? {};
  const lots: Array<{ _id: string; number: number; title: string }> = Array.isArray(snapshot?.lots) ? snapshot.lots : [];
  return SECTIONS.map((section) => {
    const a = answers[section.key] ?? {};
    const fields = section.key === 'lots' ? lotFields(lots) : section.fields;
    const rows: SectionView['rows'] = [];
    for (const f of fields) {
      if (section.key === 'lots' && f.name.startsWith('statement_') && !(Array.isArray(a.lots) && a.lots.includes(f.name.slice('statement_'.length)))) continue;
      if (f.kind === 'repeat') {
        const items: any[] = Array.isArray(a[f.name]) ? a[f.name] : [];
        const itemTitle = f.itemName.charAt(0).toUpperCase() + f.itemName.slice(1);
        if (!items.length) rows.push({ key: { text: f.label }, value: { text: 'Not answered' } });
        items.forEach((item, i) => {
          for (const sub of f.fields) rows.push({ key: { text: `${itemTitle} ${i + 1}: ${sub.label}` }, value: answerValue(sub, item?.[sub.name], documents) });
        });
      } else {
        rows.push({ key: { text: f.label }, value: answerValue(f, a[f.name], documents) });
      }
    }
    return { key: section.key, title: section.title, rows };
  });
}

/** "5 working days left", "Due today", "Overdue by 2 working days". */
export function dueText(due: DueStatus | undefined): string {
  if (!due) return '';
  if (due.overdue) return due.daysOverdue === 0 ? 'Overdue' : `Overdue by ${plural(due.daysOverdue, 'working day')}`;
  return due.daysLeft === 0 ? 'Due today' : `${plural(due.daysLeft, 'working day')} left`;
}

export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

export function statusTag(status: string, due?: DueStatus) {
  if (status === 'submitted') return due?.overdue ? tagCell('Overdue', 'red') : tagCell('Awaiting decision', 'blue');
  if (status === 'decided') return tagCell('Decided', 'green');
  if (status === 'withdrawn') return tagCell('Withdrawn', 'grey');
  return tagCell(status);
}

/** The days-left cell: plain text, or a red tag when overdue. */
export function daysLeftCell(due: DueStatus | undefined, status: string): { text: string } | { html: string } {
  if (!due || status !== 'submitted') return { text: '' };
  return due.overdue ? tagCell(dueText(due), 'red') : { text: dueText(due) };
}

export function outcomeTag(outcome: string) {
  return outcome === 'admitted' ? tagCell('Admitted', 'green') : tagCell('Rejected', 'red');
}

export function admissionTag(status: string) {
  return status === 'active' ? tagCell('Active', 'green') : status === 'suspended' ? tagCell('Suspended', 'yellow') : tagCell('Removed', 'red');
}

export const SCORE_ITEMS = SCORE_SCALE.map((s) => ({ value: String(s.score), text: s.text }));
export const CRITERIA = SCORED_CRITERIA;
