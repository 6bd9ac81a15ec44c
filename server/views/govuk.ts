// Renders the official GOV.UK Frontend component templates (nunjucks) from pug: `!= govuk('button', { text: 'Save' })`.
// The components escape their `text` parameters; never pass user input in an `html` parameter.
import { dirname } from 'node:path';
import nunjucks from 'nunjucks';

const frontendRoot = dirname(dirname(require.resolve('govuk-frontend/package.json')));
const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(`${frontendRoot}/govuk-frontend/dist`), {
  autoescape: true,
  throwOnUndefined: false,
});

const templates = new Map<string, nunjucks.Template>();

function macroName(component: string): string {
  return 'govuk' + component.split('-').map((p) => p[0].toUpperCase() + p.slice(1)).join('');
}

function template(component: string): nunjucks.Template {
  let t = templates.get(component);
  if (!t) {
    if (!/^[a-z-]+$/.test(component)) throw new Error(`unknown GOV.UK component ${component}`);
    const name = macroName(component);
    t = nunjucks.compile(`{% from "govuk/components/${component}/macro.njk" import ${name} %}{{ ${name}(params) }}`, env);
    templates.set(component, t);
  }
  return t;
}

export function govuk(component: string, params: Record<string, unknown> = {}): string {
  return template(component).render({ params });
}

/** Escapes text for the few `html` parameters we build ourselves (e.g. a link inside a notification banner). */
export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
