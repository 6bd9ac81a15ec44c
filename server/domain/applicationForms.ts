// The generic section form engine: a Section's fields (server/domain/applicationQuestions.ts) become
// (1) the structured form values read from a flat request body, (2) a zod schema that validates them
// and turns them into stored answers, and (3) summary-list rows for check your answers. Pure functions.
//
// Input names are the field's path joined with '-': `legalName`, `start-day`, `corruption-explanation`,
// `caseStudies-0-client`, `caseStudies-1-start-month`. An error's key is the id of the field's first input,
// so the error summary links straight to it.
import { z } from 'zod';
import { Field, Option, Section, lotFields, sectionByKey, wordCount } from './applicationQuestions';
import { errorsFrom, FormErrors } from '../validation';
import { formatMoney, parsePounds, penceToPounds } from './money';

export { formatMoney, penceToPounds };

export type Mode = 'complete' | 'draft';
/** Structured raw input (strings, arrays of strings, objects for dates and yes/no, arrays for repeats). */
export type FormValues = Record<string, any>;
/** A section's stored answers. */
export type Answers = Record<string, any>;

export interface LotRef {
  _id: unknown;
  number: number;
  title: string;
}

/** A section with its fields resolved (the lots section's fields come from the active lots). */
export function resolveSection(key: string, lots: LotRef[]): Section | undefined {
  const section = sectionByKey(key);
  if (!section) return undefined;
  return key === 'lots' ? { ...section, fields: lotFields(lots) } : section;
}

// ---------- reading the request body ----------

/** The highest index present for a repeat group, plus one (so blank items posted back are kept). */
function repeatCount(body: Record<string, unknown>, key: string, max: number): number {
  let n = 0;
  const re = new RegExp(`^${key.replace(/[-]/g, '\\-')}-(\\d{1,3})-`);
  for (const k of Object.keys(body)) {
    const m = re.exec(k);
    if (m) n = Math.max(n, Number(m[1]) + 1);
  }
  return Math.min(n, max);
}

export function readForm(fields: Field[], body: Record<string, unknown>, prefix = ''): FormValues {
  const out: FormValues = {};
  for (const f of fields) {
    const key = prefix + f.name;
    switch (f.kind) {
      case 'date':
        out[f.name] = { day: body[`${key}-day`], month: body[`${key}-month`], year: body[`${key}-year`] };
        break;
      case 'yes-no-explain':
        out[f.name] = { answer: body[key], explanation: body[`${key}-explanation`] };
        break;
      case 'checkboxes': {
        const v = body[key];
        out[f.name] = v === undefined ? [] : Array.isArray(v) ? v : [v];
        break;
      }
      case 'repeat': {
        const n = repeatCount(body, key, f.max);
        out[f.name] = Array.from({ length: n }, (_x, i) => readForm(f.fields, body, `${key}-${i}-`));
        break;
      }
      default:
        out[f.name] = body[key];
    }
  }
  return out;
}

// ---------- stored answers back into form values ----------


export function toFormValues(fields: Field[], answers: Answers | undefined): FormValues {
  const out: FormValues = {};
  const a = answers ?? {};
  for (const f of fields) {
    const v = a[f.name];
    switch (f.kind) {
      case 'money':
        out[f.name] = typeof v === 'number' ? penceToPounds(v) : undefined;
        break;
      case 'date': {
        const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
        out[f.name] = m ? { day: String(Number(m[3])), month: String(Number(m[2])), year: m[1] } : {};
        break;
      }
      case 'yes-no-explain':
        out[f.name] = v && typeof v === 'object' ? { answer: v.answer, explanation: v.explanation } : {};
        break;
      case 'checkboxes':
        out[f.name] = Array.isArray(v) ? v : [];
        break;
      case 'repeat':
        out[f.name] = Array.isArray(v) ? v.map((item) => toFormValues(f.fields, item)) : [];
        break;
      default:
        out[f.name] = typeof v === 'string' ? v : undefined;
    }
  }
  return out;
}

// ---------- validation ----------

function lowerFirst(s: string): string {
  return /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}
const isQuestion = (label: string) => label.trim().endsWith('?');

export function emptyMessage(f: Field): string {
  switch (f.kind) {
    case 'radios':
    case 'yes-no-explain':
      return isQuestion(f.label) ? `Select an answer: ${f.label}` : `Select ${lowerFirst(f.label)}`;
    case 'checkboxes':
      if (f.options.length === 1) return `Confirm ${lowerFirst(f.label)}`;
      return isQuestion(f.label) ? `Select at least one answer: ${f.label}` : `Select ${lowerFirst(f.label)}`;
    case 'file':
      return `Upload ${lowerFirst(f.label)}`;
    case 'date':
      return `Enter ${lowerFirst(f.label)}`;
    default:
      return `Enter ${lowerFirst(f.label)}`;
  }
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** A scalar text input: arrays (a repeated name) and objects are refused; blank is undefined or an error. */
function scalar(label: string, required: boolean, emptyMsg: string, check: (s: string) => string | undefined, convert?: (s: string) => unknown) {
  return z
    .preprocess((v) => (v === undefined || v === null ? '' : v), z.string({ error: `${label}: enter one answer only` }))
    .transform((s, ctx) => {
      const t = s.trim();
      if (!t) {
        if (required) ctx.addIssue({ code: 'custom', message: emptyMsg });
        return undefined;
      }
      const problem = check(t);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return convert ? convert(t) : t;
    });
}

function optionCheck(options: Option[], msg: string) {
  const allowed = new Set(options.map((o) => o.value));
  return (s: string) => (allowed.has(s) ? undefined : msg);
}

function wordsCheck(label: string, maxWords: number) {
  return (s: string) => {
    if (wordCount(s) > maxWords) return `${label} must be ${maxWords} words or fewer`;
    if (s.length > maxWords * 20) return `${label} is too long`;
    return undefined;
  };
}

function dateSchema(label: string, required: boolean, emptyMsg: string) {
  const part = z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string({ error: `${label}: enter one date only` }));
  return z.object({ day: part, month: part, year: part }).transform((d, ctx) => {
    const day = d.day.trim();
    const monthRaw = d.month.trim();
    const year = d.year.trim();
    if (!day && !monthRaw && !year) {
      if (required) ctx.addIssue({ code: 'custom', message: emptyMsg, path: ['day'] });
      return undefined;
    }
    const missing = [!day && 'day', !monthRaw && 'month', !year && 'year'].filter(Boolean) as string[];
    if (missing.length) {
      ctx.addIssue({ code: 'custom', message: `${label} must include a ${missing.join(' and a ')}`, path: [missing[0]] });
      return z.NEVER;
    }
    const named = MONTHS.findIndex((m) => m === monthRaw.toLowerCase() || m.slice(0, 3) === monthRaw.toLowerCase());
    const month = /^\d{1,2}$/.test(monthRaw) ? Number(monthRaw) : named >= 0 ? named + 1 : NaN;
    if (!/^\d{1,2}$/.test(day) || !/^\d{4}$/.test(year) || !(month >= 1 && month <= 12)) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real date`, path: [!/^\d{1,2}$/.test(day) ? 'day' : !(month >= 1 && month <= 12) ? 'month' : 'year'] });
      return z.NEVER;
    }
    const iso = `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`;
    const check = new Date(`${iso}T12:00:00Z`);
    if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 10) !== iso) {
      ctx.addIssue({ code: 'custom', message: `${label} must be a real date`, path: ['day'] });
      return z.NEVER;
    }
    if (Number(year) < 1900 || Number(year) > 2100) {
      ctx.addIssue({ code: 'custom', message: `${label} must be between 1900 and 2100`, path: ['year'] });
      return z.NEVER;
    }
    return iso;
  });
}

function fieldSchema(f: Field, mode: Mode, prefix: string, values: FormValues): z.ZodType {
  const required = mode === 'complete' && f.required !== false;
  const label = prefix + f.label;
  const emptyMsg = prefix + emptyMessage(f);
  switch (f.kind) {
    case 'text': {
      const max = f.maxLength ?? 200;
      return scalar(label, required, emptyMsg, (s) => (s.length > max ? `${label} must be ${max} characters or fewer` : undefined));
    }
    case 'email':
      return scalar(label, required, emptyMsg, (s) =>
        s.length > 254 ? `${label} must be 254 characters or fewer` : /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? undefined : `Enter ${lowerFirst(label)} in the correct format, like name@example.org`,
        (s) => s.toLowerCase());
    case 'url':
      return scalar(label, required, emptyMsg, (s) => {
        if (s.length > 500) return `${label} must be 500 characters or fewer`;
        try {
          const u = new URL(s);
          if ((u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.')) return undefined;
        } catch {
          // fall through
        }
        return `Enter ${lowerFirst(label)} as a full web address starting with https://, like https://www.example.coop`;
      });
    case 'textarea':
      return scalar(label, required, emptyMsg, wordsCheck(label, f.maxWords));
    case 'radios':
      return scalar(label, required, emptyMsg, optionCheck(f.options, emptyMsg));
    case 'checkboxes': {
      const allowed = new Set(f.options.map((o) => o.value));
      return z.array(z.string({ error: emptyMsg }), { error: emptyMsg }).transform((list, ctx) => {
        if (list.some((v) => !allowed.has(v))) {
          ctx.addIssue({ code: 'custom', message: emptyMsg });
          return z.NEVER;
        }
        if (!list.length && required) ctx.addIssue({ code: 'custom', message: emptyMsg });
        return [...new Set(list)];
      });
    }
    case 'money':
      return scalar(label, required, emptyMsg, (s) => {
        const parsed = parsePounds(s, label);
        return 'error' in parsed ? parsed.error : undefined;
      }, (s) => (parsePounds(s, label) as { pence: number }).pence);
    case 'date':
      return dateSchema(label, required, emptyMsg);
    case 'yes-no-explain': {
      const explainLabel = `${label} – ${f.explainLabel}`;
      return z.object({
        answer: scalar(label, required, emptyMsg, optionCheck([{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }], emptyMsg)),
        explanation: scalar(explainLabel, false, '', wordsCheck(`Your explanation (${lowerFirst(f.label)})`, f.explainMaxWords)),
      }).transform((v, ctx) => {
        if (v.answer === 'yes' && !v.explanation && mode === 'complete') {
          ctx.addIssue({ code: 'custom', message: `${prefix}Explain what the organisation has done to put this right: ${f.label}`, path: ['explanation'] });
          return z.NEVER;
        }
        if (!v.answer) return undefined;
        return v.answer === 'yes' ? { answer: 'yes', explanation: v.explanation } : { answer: 'no' };
      });
    }
    case 'file':
      return scalar(label, required, emptyMsg, (s) => (/^[0-9a-f]{24}$/i.test(s) ? undefined : `${emptyMsg} again`));
    case 'repeat': {
      const items: FormValues[] = Array.isArray(values[f.name]) ? values[f.name] : [];
      const itemTitle = f.itemName.charAt(0).toUpperCase() + f.itemName.slice(1);
      const tuple = z.tuple(items.map((item, i) => objectSchema(f.fields, mode, `${itemTitle} ${i + 1}: `, item)) as any);
      // `when` runs the count checks even when an item has errors, so both are reported together.
      const always = { when: () => true };
      return z.preprocess((v) => (Array.isArray(v) ? v : []), tuple)
        .refine((list: unknown) => mode !== 'complete' || (Array.isArray(list) && list.length >= f.min), { message: `Add at least ${f.min} ${pluralise(f.itemName, f.min)}`, ...always })
        .refine((list: unknown) => Array.isArray(list) && list.length <= f.max, { message: `You can add up to ${f.max} ${pluralise(f.itemName, f.max)}`, ...always });
    }
  }
}

/** "case study" -> "case studies" */
export function pluralise(noun: string, n = 2): string {
  if (n === 1) return noun;
  return /[^aeiou]y$/.test(noun) ? noun.slice(0, -1) + 'ies' : noun + 's';
}

function objectSchema(fields: Field[], mode: Mode, prefix: string, values: FormValues) {
  const shape: Record<string, z.ZodType> = {};
  for (const f of fields) shape[f.name] = fieldSchema(f, mode, prefix, values ?? {});
  return z.object(shape).transform((o) => {
    // undefined answers are left out of what is stored
    const out: Answers = {};
    for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
    return out;
  });
}

/** The zod schema for a section's form values: 'complete' needs every required answer; 'draft' checks type and length only. */
export function sectionSchema(section: Section, mode: Mode, values: FormValues): z.ZodType<Answers> {
  return objectSchema(section.fields, mode, '', values) as z.ZodType<Answers>;
}

/** Lots: a statement for each lot chosen (checked on the form values, so it is reported beside any other error). */
function lotStatementErrors(section: Section, values: FormValues): Record<string, string> {
  const out: Record<string, string> = {};
  if (section.key !== 'lots' || !Array.isArray(values.lots)) return out;
  for (const id of values.lots) {
    const f = section.fields.find((x) => x.name === `statement_${id}`);
    const v = f ? values[f.name] : undefined;
    if (f && !(typeof v === 'string' && v.trim())) out[f.name] = `Enter ${lowerFirst(f.label)}`;
  }
  return out;
}

export type SectionResult = { ok: true; answers: Answers } | { ok: false; errors: FormErrors };

/** Validates a section's form values; errors keyed (and linked) by the id of each field's first input, in page order. */
export function validateSection(section: Section, mode: Mode, values: FormValues): SectionResult {
  const result = sectionSchema(section, mode, values).safeParse(values);
  const fields: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      // a yes/no question's radios have the question's own id: drop the trailing 'answer'
      const path = issue.path.map(String);
      if (path.length > 1 && path[path.length - 1] === 'answer') path.pop();
      const key = path.length ? path.join('-') : 'form';
      if (!(key in fields)) fields[key] = issue.message;
    }
  }
  if (mode === 'complete') {
    for (const [key, message] of Object.entries(lotStatementErrors(section, values))) fields[key] ??= message;
  }
  if (result.success && !Object.keys(fields).length) return { ok: true, answers: result.data };
  const order = (key: string) => {
    const i = section.fields.findIndex((f) => key === f.name || key.startsWith(`${f.name}-`));
    return i < 0 ? section.fields.length : i;
  };
  const sorted = Object.fromEntries(Object.entries(fields).sort(([a], [b]) => order(a) - order(b)));
  return { ok: false, errors: errorsFrom(sorted) };
}

/** True when stored answers pass the section's complete validation. */
export function isComplete(section: Section, answers: Answers | undefined): boolean {
  const values = toFormValues(section.fields, answers);
  return validateSection(section, 'complete', values).ok;
}

// ---------- cross-section checks ----------

/** Case studies must number at least `perLot` for each lot sought (matched by the case study's lot number). */
export function caseStudyProblems(lotsSought: LotRef[], caseStudies: Answers[] | undefined, perLot = 2): string[] {
  const problems: string[] = [];
  for (const lot of lotsSought) {
    const n = (caseStudies ?? []).filter((c) => String(c?.lot ?? '').trim() === String(lot.number)).length;
    if (n < perLot) problems.push(`Add at least ${perLot} case studies for lot ${lot.number}: ${lot.title} (you have ${n})`);
  }
  return problems;
}

// ---------- check your answers ----------

const ukDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

export interface SummaryRow {
  key: { text: string };
  value: { text: string };
  actions?: { items: Array<{ href: string; text: string; visuallyHiddenText: string }> };
}

function answerText(f: Field, v: any, documents: Record<string, string>): string {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) return 'Not answered';
  switch (f.kind) {
    case 'radios':
      return f.options.find((o) => o.value === v)?.text ?? String(v);
    case 'checkboxes':
      return (v as string[]).map((x) => f.options.find((o) => o.value === x)?.text ?? x).join('; ');
    case 'money':
      return typeof v === 'number' ? formatMoney(v) : String(v);
    case 'date':
      return ukDate.format(new Date(`${v}T00:00:00Z`));
    case 'yes-no-explain':
      return v.answer === 'yes' ? `Yes. ${v.explanation ?? ''}`.trim() : 'No';
    case 'file':
      return documents[String(v)] ?? 'File uploaded';
    default:
      return String(v);
  }
}

/**
 * Summary-list rows for a section's answers. `changeHref` (optional) adds a Change link to each row,
 * pointing at the field's first input. Lots statements are shown only for lots chosen.
 */
export function summaryRows(section: Section, answers: Answers | undefined, opts: { changeHref?: string; documents?: Record<string, string> } = {}): SummaryRow[] {
  const a = answers ?? {};
  const rows: SummaryRow[] = [];
  const chosenLots = new Set<string>(Array.isArray(a.lots) ? a.lots : []);
  const add = (f: Field, v: any, keyText: string, id: string) => {
    rows.push({
      key: { text: keyText },
      value: { text: answerText(f, v, opts.documents ?? {}) },
      actions: opts.changeHref ? { items: [{ href: `${opts.changeHref}#${id}`, text: 'Change', visuallyHiddenText: keyText }] } : undefined,
    });
  };
  const firstId = (f: Field, base: string) => (f.kind === 'date' ? `${base}-day` : base);
  for (const f of section.fields) {
    if (section.key === 'lots' && f.name.startsWith('statement_') && !chosenLots.has(f.name.slice('statement_'.length))) continue;
    if (f.kind === 'repeat') {
      const items: Answers[] = Array.isArray(a[f.name]) ? a[f.name] : [];
      const itemTitle = f.itemName.charAt(0).toUpperCase() + f.itemName.slice(1);
      if (!items.length) add({ ...f, kind: 'text' } as Field, undefined, f.label, f.name);
      items.forEach((item, i) => {
        for (const sub of f.fields) add(sub, item?.[sub.name], `${itemTitle} ${i + 1}: ${sub.label}`, firstId(sub, `${f.name}-${i}-${sub.name}`));
      });
    } else {
      add(f, a[f.name], f.label, firstId(f, f.name));
    }
  }
  return rows;
}

/** Every document id a section's answers refer to (file fields, repeats included). */
export function documentIds(fields: Field[], answers: Answers | undefined): string[] {
  const out: string[] = [];
  const a = answers ?? {};
  for (const f of fields) {
    if (f.kind === 'file' && typeof a[f.name] === 'string') out.push(a[f.name]);
    if (f.kind === 'repeat' && Array.isArray(a[f.name])) for (const item of a[f.name]) out.push(...documentIds(f.fields, item));
  }
  return out;
}
