// What a competition looks like to the people reading it: one plain view object for the shared
// views/partials/competition-summary.pug mixin, used by the buyer's preview and overview and by the invited
// supplier's page (so the preview is exactly what suppliers see). The caller gives each document's href,
// because the buyer's download route differs from the supplier's.
import { isValidObjectId, trusted } from 'mongoose';
import { StoredDocument } from '../../../models/Document';
import { Lot } from '../../../models/Lot';
import { Organisation } from '../../../models/Organisation';
import { formatDeadline } from '../../../server/services/competitions';
import { formatSize, typeLabel } from '../../../server/services/documents';
import { formatMoney } from '../../../server/domain/money';
import { RuleSet, RULE_SET_NAMES, CriterionKind } from '../../../server/domain/tenderRules';
import { Stage, STAGE_NAMES, stageOf, timeLeft } from '../../../server/domain/competitionState';
import { escapeHtml } from '../../../server/views/govuk';
import { formatDate, tagCell } from '../../admin/helpers';

export const CRITERION_KIND_NAMES: Record<CriterionKind, string> = {
  quality: 'Quality',
  price: 'Price',
  'social-value': 'Social value',
};

export interface CompetitionDocumentView {
  id: string;
  name: string;
  href: string;
  sizeText: string;
  typeText: string;
}

export interface CompetitionView {
  reference: string;
  title: string;
  councilName: string;
  lotLabel: string;
  ruleSetName: string;
  summary: string;
  requirement: string;
  /** the requirement split at blank lines, one paragraph each */
  requirementParagraphs: string[];
  estimatedValue?: string;
  contractStart?: string;
  contractEnd?: string;
  criteria: Array<{ id: string; name: string; kind: string; kindName: string; weight: number; guidance: string }>;
  questions: Array<{ id: string; number: number; text: string; criterionName: string; wordLimit: number }>;
  clarificationDeadline?: string;
  deadline?: string;
  /** while open for bids only */
  timeLeft?: string;
  documents: CompetitionDocumentView[];
}

/** The minimal shape of a competition record the view needs (a lean Competition). */
export interface CompetitionLike {
  reference: string;
  title: string;
  status: string;
  ruleSet: string;
  summary?: string | null;
  requirement?: string | null;
  estimatedValuePence?: number | null;
  contractStart?: Date | null;
  contractEnd?: Date | null;
  criteria: Array<{ _id?: unknown; name: string; kind: string; weight: number; guidance?: string | null }>;
  questions: Array<{ _id?: unknown; text: string; criterion: unknown; wordLimit: number }>;
  clarificationDeadline?: Date | null;
  deadline?: Date | null;
  opening?: { openedAt?: Date | null } | null;
}

export function lotLabel(lot: { number: number; title: string } | null | undefined): string {
  return lot ? `Lot ${lot.number}: ${lot.title}` : '';
}

/** Builds the view object for +competitionSummary(c). Pure: the caller loads the lot, council and documents. */
export function competitionView(
  c: CompetitionLike,
  opts: { lot: { number: number; title: string } | null | undefined; councilName: string; documents: CompetitionDocumentView[]; now: Date },
): CompetitionView {
  const criterionName = (id: unknown) => c.criteria.find((k) => String(k._id) === String(id))?.name ?? 'Not linked to a criterion';
  const requirement = c.requirement ?? '';
  return {
    reference: c.reference,
    title: c.title,
    councilName: opts.councilName,
    lotLabel: lotLabel(opts.lot),
    ruleSetName: RULE_SET_NAMES[c.ruleSet as RuleSet] ?? c.ruleSet,
    summary: c.summary ?? '',
    requirement,
    requirementParagraphs: requirement.split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean),
    estimatedValue: c.estimatedValuePence == null ? undefined : formatMoney(c.estimatedValuePence),
    contractStart: c.contractStart ? formatDate(c.contractStart) : undefined,
    contractEnd: c.contractEnd ? formatDate(c.contractEnd) : undefined,
    criteria: c.criteria.map((k) => ({
      id: String(k._id), name: k.name, kind: k.kind, kindName: CRITERION_KIND_NAMES[k.kind as CriterionKind] ?? k.kind, weight: k.weight, guidance: k.guidance ?? '',
    })),
    questions: c.questions.map((q, i) => ({ id: String(q._id), number: i + 1, text: q.text, criterionName: criterionName(q.criterion), wordLimit: q.wordLimit })),
    clarificationDeadline: c.clarificationDeadline ? formatDeadline(c.clarificationDeadline) : undefined,
    deadline: c.deadline ? formatDeadline(c.deadline) : undefined,
    timeLeft: c.deadline && stageOf(c, opts.now) === 'open' ? timeLeft(c.deadline, opts.now) : undefined,
    documents: opts.documents,
  };
}

/**
 * The competition's tender documents (those still stored, in the order they were added) for the view, each with
 * the href the caller's route serves it from.
 */
export async function competitionDocuments(documentIds: unknown[], hrefFor: (documentId: string) => string): Promise<CompetitionDocumentView[]> {
  const ids = documentIds.map(String).filter((id) => isValidObjectId(id));
  if (ids.length === 0) return [];
  const docs = await StoredDocument.find({ _id: trusted({ $in: ids }), deletedAt: null } as any).lean();
  const byId = new Map(docs.map((d) => [String(d._id), d]));
  return ids.flatMap((id) => {
    const d = byId.get(id);
    return d ? [{ id, name: d.originalName, href: hrefFor(id), sizeText: formatSize(d.size), typeText: typeLabel(d.contentType) }] : [];
  });
}

/** A table cell linking to one of the buyer's competitions (the href is built from our own id; the text escaped). */
export function competitionLinkCell(id: string, text: string, hiddenText?: string): { html: string } {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new Error(`unexpected competition id ${id}`);
  const hidden = hiddenText ? `<span class="govuk-visually-hidden"> ${escapeHtml(hiddenText)}</span>` : '';
  return { html: `<a class="govuk-link" href="/buyer/competitions/${id}">${escapeHtml(text)}${hidden}</a>` };
}

const STAGE_COLOURS: Record<Stage, 'green' | 'grey' | 'blue' | 'red' | 'yellow'> = { draft: 'grey', open: 'green', closed: 'yellow', opened: 'blue', cancelled: 'red' };

export function stageTagCell(stage: Stage): { html: string } {
  return tagCell(STAGE_NAMES[stage], STAGE_COLOURS[stage]);
}

export function stageTag(stage: Stage): { text: string; classes: string } {
  return { text: STAGE_NAMES[stage], classes: `govuk-tag--${STAGE_COLOURS[stage]}` };
}

/** The rule-set radios, each with a hint saying when it applies and its minimum time for tenders. */
export function ruleSetChoices(settings: { belowThresholdMinDays: number; source: 'council' | 'framework' }) {
  const days = settings.belowThresholdMinDays;
  const whose = settings.source === 'council' ? 'your council\u2019s minimum' : 'the framework\u2019s default, as your council has not set its own';
  return [
    { value: 'PA2023_DYNAMIC_MARKET', text: RULE_SET_NAMES.PA2023_DYNAMIC_MARKET, hint: { text: 'For procurements started on or after 24 February 2025. Suppliers get at least 10 days to bid.' } },
    { value: 'PCR2015_DPS', text: RULE_SET_NAMES.PCR2015_DPS, hint: { text: 'For call-offs under the DPS set up before 24 February 2025. Suppliers get at least 10 days to bid, unless all invited suppliers agree a shorter deadline and you record that agreement.' } },
    { value: 'BELOW_THRESHOLD', text: RULE_SET_NAMES.BELOW_THRESHOLD, hint: { text: `For contracts below the procurement thresholds. Suppliers get at least ${days} ${days === 1 ? 'day' : 'days'} to bid (${whose}).` } },
  ];
}

/** Loads the lot, council name and documents, and builds the view (hrefFor: where this reader downloads a document). */
export async function loadCompetitionView(c: CompetitionLike & { lot: unknown; council: unknown; documents?: unknown[] | null }, now: Date, hrefFor: (documentId: string) => string): Promise<CompetitionView> {
  const [lot, council, documents] = await Promise.all([
    Lot.findById(c.lot, { number: 1, title: 1 }).lean(),
    Organisation.findById(c.council, { name: 1 }).lean(),
    competitionDocuments(c.documents ?? [], hrefFor),
  ]);
  return competitionView(c, { lot, councilName: council?.name ?? '', documents, now });
}

/** The lots a competition can be run in now, as radio items. */
export async function lotChoices() {
  const lots = await Lot.find({ active: true }).sort({ number: 1 }).lean();
  return lots.map((l) => ({ value: String(l._id), text: lotLabel(l), hint: { text: l.description.length > 160 ? l.description.slice(0, 157) + '\u2026' : l.description } }));
}

/** A table cell of action links (Change, Remove) under a draft's own path, each with hidden context for screen readers. */
export function actionsCell(links: Array<{ href: string; text: string; hidden: string }>): { html: string; classes: string } {
  const html = links.map((l) => {
    if (!/^\/buyer\/competitions\/[0-9a-f]{24}(\/[A-Za-z0-9-]+)*$/.test(l.href)) throw new Error(`unexpected link ${l.href}`);
    return `<a class="govuk-link" href="${escapeHtml(l.href)}">${escapeHtml(l.text)}<span class="govuk-visually-hidden"> ${escapeHtml(l.hidden)}</span></a>`;
  }).join(' <span aria-hidden="true">|</span> ');
  return { html, classes: 'app-table__actions' };
}
