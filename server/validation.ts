// Form validation with zod, shaped for the GOV.UK error summary and inline field errors.
import { z } from 'zod';

export interface FormErrors {
  /** field name -> message, for inline errors */
  fields: Record<string, string>;
  /** in page order, for the error summary */
  list: Array<{ text: string; href: string }>;
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors; values: Record<string, unknown> };

/** Parses a request body; on failure returns the first message per field and the values to re-show. */
export function parseForm<T>(schema: z.ZodType<T>, body: unknown): FormResult<T> {
  const input = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (!(field in fields)) fields[field] = issue.message;
  }
  return { ok: false, errors: errorsFrom(fields), values: safeValues(input) };
}

export function errorsFrom(fields: Record<string, string>): FormErrors {
  return { fields, list: Object.entries(fields).map(([field, text]) => ({ text, href: `#${field}` })) };
}

/** Only string values are echoed back into a form; passwords never are. */
function safeValues(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) {
    if (/password|_csrf|code/i.test(k)) continue;
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v;
  }
  return out;
}

/** A required single-line text field with GOV.UK-style messages. */
export function requiredText(label: string, max = 200) {
  return z
    .string({ error: `Enter ${label}` })
    .trim()
    .min(1, `Enter ${label}`)
    .max(max, `${capitalise(label)} must be ${max} characters or fewer`);
}

export function emailField() {
  return z
    .string({ error: 'Enter an email address' })
    .trim()
    .min(1, 'Enter an email address')
    .max(254, 'Email address must be 254 characters or fewer')
    .toLowerCase()
    .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Enter an email address in the correct format, like name@example.org');
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
