// Shared helpers for route handlers: rendering a form with its errors, and flash messages.
import { Request, Response } from 'express';
import { FormErrors } from '../server/validation';

/** Re-renders a form with the GOV.UK error summary: status 400, the user's answers kept. */
export function renderFormErrors(res: Response, view: string, errors: FormErrors, values: Record<string, unknown>, extra: Record<string, unknown> = {}, status = 400): void {
  res.status(status).render(view, { ...extra, errors, values });
}

export function flash(req: Request, text: string, heading?: string, type: 'success' | 'important' = 'success'): void {
  req.session.flash = { text, heading, type };
}
