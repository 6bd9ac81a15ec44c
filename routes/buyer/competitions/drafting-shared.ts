// What the drafting routes share: the acting buyer, loading a draft (409 page once published), answering a
// service's outcome, the posted values to show again, and links to a draft's section pages.
import { Request, Response } from 'express';
import createError from 'http-errors';
import { currentUser } from '../../../server/auth/guards';
import { CompetitionRecord } from '../../../server/services/competitions';
import { EditOutcome, Problems } from '../../../server/services/competitionDrafting';
import { DraftSection, problemPlace } from '../../../server/domain/competitionForms';
import { errorsFrom, FormErrors } from '../../../server/validation';
import { flash } from '../../render';
import { loadOwned } from './load';

export const BASE = '/buyer/competitions';

export const sectionHref = (id: unknown, section: DraftSection) => `${BASE}/${id}/${section}`;

export function actor(req: Request) {
  const u = currentUser(req)!;
  return { _id: u._id, role: u.role, organisation: u.organisation };
}

/** The page for something that can no longer be done: status 409 (published, or cancelled) or 403 (a lapsed council). */
export function renderMessage(res: Response, status: number, view: { title: string; paragraphs: string[]; links?: Array<{ href: string; text: string }> }): void {
  res.status(status).render('buyer/competitions/draft-message', { pageTitle: view.title, ...view });
}

export function renderNotDraft(res: Response, id: unknown, status = 'published'): void {
  if (status === 'cancelled') {
    return renderMessage(res, 409, { title: 'This competition has been cancelled', paragraphs: ['It can no longer be changed.'], links: [{ href: `${BASE}/${id}`, text: 'Back to the competition' }] });
  }
  renderMessage(res, 409, {
    title: 'This competition has been published: use clarifications or change the deadline',
    paragraphs: ['Once a competition is published its details, criteria and questions are fixed, so every invited supplier bids on the same terms. Tell suppliers about anything new as a clarification or update, or change the deadline.'],
    links: [
      { href: `${BASE}/${id}/clarifications`, text: 'Clarifications and updates' },
      { href: `${BASE}/${id}/deadline`, text: 'Change the deadline' },
      { href: `${BASE}/${id}`, text: 'Back to the competition' },
    ],
  });
}

/** The buyer's own competition if it is still a draft; otherwise the 409 page is sent and undefined returned. */
export async function loadDraft(req: Request, res: Response): Promise<CompetitionRecord | undefined> {
  const c = await loadOwned(req);
  if (c.status === 'draft') return c;
  renderNotDraft(res, c._id, c.status);
  return undefined;
}

/**
 * Answers a drafting service's outcome: saved -> flash and 303; refused -> the form again with the problems (400);
 * missing -> 404; not a draft any more -> the 409 page.
 */
export async function answer(req: Request, res: Response, id: string, outcome: EditOutcome | { outcome: string }, saved: { flash: string; to: string }, refused: (errors: FormErrors) => Promise<void> | void): Promise<void> {
  switch (outcome.outcome) {
    case 'saved':
      flash(req, saved.flash);
      return res.redirect(303, saved.to);
    case 'refused':
      return refused(errorsFrom((outcome as { problems: Problems }).problems));
    case 'not-draft':
      return renderNotDraft(res, id);
    default:
      throw createError(404);
  }
}

/** The posted strings, to put back in the form (never anything but strings). */
export function postedValues(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (typeof v === 'string' && k !== '_csrf') out[k] = v;
  }
  return out;
}

/** Field errors in the order the fields appear on the page (the error summary follows it). */
export function inPageOrder(fields: Record<string, string>, order: string[]): FormErrors {
  const ordered: Record<string, string> = {};
  for (const key of order) if (fields[key]) ordered[key] = fields[key];
  for (const [key, text] of Object.entries(fields)) if (!(key in ordered)) ordered[key] = text;
  return errorsFrom(ordered);
}

/** The error summary for publish problems: each links to the field on the section page that fixes it. */
export function publishProblemErrors(id: unknown, problems: Record<string, string>): FormErrors {
  return {
    fields: {},
    list: Object.entries(problems).map(([key, text]) => {
      const place = problemPlace(key);
      return { text, href: `${sectionHref(id, place.section)}#${place.field}` };
    }),
  };
}

/** The id of a criterion, question or document in the path (24 hex digits), or a 404. */
export function subId(req: Request, name: string): string {
  const v = req.params[name];
  if (typeof v !== 'string' || !/^[0-9a-f]{24}$/i.test(v)) throw createError(404);
  return v;
}
