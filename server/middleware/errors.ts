// Error pages: 404, 403, 413, 429, 503 (database away) and a generic 500 with a correlation id.
import { NextFunction, Request, Response } from 'express';
import createError, { HttpError } from 'http-errors';
import { Logger } from '../logger';
import { escapeHtml, govuk } from '../views/govuk';

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(createError(404));
}

function isDatabaseUnavailable(err: any): boolean {
  const name = String(err?.name ?? '');
  return /MongoServerSelectionError|MongoNetworkError|MongoNotConnectedError|MongoTopologyClosedError|MongooseServerSelectionError/.test(name)
    || /Client must be connected|buffering timed out|connection .* closed|Topology is closed/i.test(String(err?.message ?? ''));
}

export function errorHandler(logger: Logger) {
  // Express recognises error handlers by their four parameters.
  return (err: any, req: Request, res: Response, _next: NextFunction): void => {
    let status = err instanceof HttpError || typeof err?.status === 'number' ? (err.status ?? err.statusCode) : 500;
    if (err?.code === 'EBADCSRFTOKEN' || err?.message === 'invalid csrf token') status = 403;
    if (err?.type === 'entity.too.large') status = 413;
    if (isDatabaseUnavailable(err)) status = 503;
    const requestId = String(req.id ?? '');
    if (status >= 500) logger.error({ err, requestId, path: req.path }, 'request failed');
    else if (status === 403 || status === 401) logger.warn({ requestId, userId: (req.user as any)?._id, path: req.path, event: 'authz.denied', status }, 'access denied');
    if (res.headersSent) return;
    res.status(status);
    if (status === 503) {
      res.set('Retry-After', '10');
      // The session cannot be saved while the database is away; do not try at the end of this response.
      delete (req as any).session;
    }
    // The error may have come before the page locals were set.
    res.locals.govuk ??= govuk;
    res.locals.escapeHtml ??= escapeHtml;
    res.locals.navigation ??= [];
    const view = [401, 403, 404, 413, 429, 503].includes(status) ? `errors/${status}` : status < 500 ? 'errors/400' : 'errors/500';
    res.render(view, { requestId, status }, (renderErr: Error | null, html?: string) => {
      if (renderErr) {
        res.type('text/plain').send(status >= 500 ? `Sorry, there is a problem with the service. Reference: ${requestId}` : 'Error');
        return;
      }
      res.send(html);
    });
  };
}
