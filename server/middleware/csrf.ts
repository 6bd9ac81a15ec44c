// CSRF: a synchroniser token kept in the session, required on every state-changing request.
// Multipart bodies are parsed only by the upload routes (acceptUpload in ./uploads), so the global check cannot read
// their token: a multipart POST skips it ONLY on a path registered with registerUploadRoute, where acceptUpload
// checks the token itself once multer has parsed the body. Every other multipart request is refused with 403.
// So every route on a registered path must run acceptUpload first: register exact paths, not broad patterns.
import { NextFunction, Request, Response } from 'express';
import createError from 'http-errors';
import { csrfSync } from 'csrf-sync';

const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const fromBody = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (typeof fromBody === 'string') return fromBody;
    const header = req.headers['x-csrf-token'];
    return typeof header === 'string' ? header : undefined;
  },
});

/** The token check alone, for acceptUpload to run after multer. */
export const verifyCsrfToken = csrfSynchronisedProtection;

const uploadRoutes: RegExp[] = [];

/**
 * Declares a full path (as the browser posts it, e.g. '/supplier/applications/:id/sections/:section') whose route runs
 * acceptUpload; `:name` matches one path segment. Call it where the router is built.
 */
export function registerUploadRoute(path: string): void {
  if (!path.startsWith('/')) throw new Error(`upload route must be a full path: ${path}`);
  const source = path
    .split('/')
    .map((seg) => (/^:\w+$/.test(seg) ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const re = new RegExp(`^${source}/?$`);
  if (!uploadRoutes.some((r) => r.source === re.source)) uploadRoutes.push(re);
}

export function isUploadRoute(path: string): boolean {
  return uploadRoutes.some((re) => re.test(path));
}

export function isMultipart(req: Request): boolean {
  return /^multipart\//i.test(String(req.headers['content-type'] ?? '').trim());
}

export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  if (isMultipart(req) && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
    if (req.method === 'POST' && isUploadRoute(req.path)) {
      // acceptUpload clears this once it has checked the token; a registered path whose handler forgot to run it
      // (a wiring mistake: it would take the POST unchecked) is reported loudly.
      (req as any).csrfDeferred = true;
      res.once('finish', () => {
        if ((req as any).csrfDeferred) req.log?.error({ event: 'csrf.deferred.unchecked', path: req.path, status: res.statusCode }, 'multipart POST on an upload route was never CSRF-checked: does its route run acceptUpload?');
      });
      return next();
    }
    return next(createError(403, 'multipart body not accepted here'));
  }
  csrfSynchronisedProtection(req, res, next);
}

/** Makes the session's token available to every form as `csrfToken`. */
export function csrfToken(req: Request, res: Response, next: NextFunction): void {
  res.locals.csrfToken = generateToken(req);
  next();
}
