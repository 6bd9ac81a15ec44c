// Multipart uploads for the routes that take files.
//
// Exported API (kept stable for the routes that take uploads):
//   acceptUpload(fields: string[]) -> express middleware: multer into memory (no temp files) with limits, then the CSRF
//     check (the token is only readable once the body is parsed). Each name in `fields` is a file input taking one
//     file (the question's name); the other form fields land in req.body as usual. A too-large request answers 413,
//     a malformed one 400, a missing or wrong token 403, and nothing is stored. The route's full path must also be
//     registered with registerUploadRoute (re-exported here) or the global CSRF check refuses the multipart POST.
//     Field names (files and text) must be plain: letters, digits, '-' and '_'; a bracketed name such as
//     `title[$ne]` is refused with 400 (multer would expand it into an object). Repeated names become arrays.
//     Limits: 10 MB a file, one file per file field, 200 text fields of up to 100 KB each.
//   uploadedFile(req, field) -> the file for `field` ({ buffer, originalname, size }) or undefined when none was chosen:
//     pass it to storeUpload (server/services/documents.ts) and show an UploadRefused in the error summary.
//   A request sent by public/js/upload-progress.js carries `X-Upload-Progress: 1`; for it, the route's
//     `res.redirect(303, url)` answers 200 `{"redirect": url}` instead, and the script navigates there itself (an
//     XMLHttpRequest would follow the redirect invisibly, load the next page once and use up its flash message).
//   logUploadRefused(req, field, err) -> writes the security log entry for a refused file (security H24); returns err.message.
//
//   router.post('/:id/sections/:section', acceptUpload(['policy-safeguarding']), handler)   // with
//   registerUploadRoute('/supplier/applications/:id/sections/:section')
import { NextFunction, Request, Response } from 'express';
import createError from 'http-errors';
import multer from 'multer';
import { LIMITS, UploadRefused } from '../services/documents';
import { registerUploadRoute, verifyCsrfToken } from './csrf';

export { registerUploadRoute };

export const UPLOAD_LIMITS = {
  fileSize: LIMITS.fileBytes,
  fields: 200,
  fieldSize: 100 * 1024,
  fieldNameSize: 100,
  headerPairs: 100,
  fieldNestingDepth: 0,
};

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

const TOO_LARGE = new Set(['LIMIT_FILE_SIZE', 'LIMIT_PART_COUNT', 'LIMIT_FILE_COUNT', 'LIMIT_FIELD_COUNT', 'LIMIT_FIELD_VALUE']);

export function acceptUpload(fields: string[]) {
  if (fields.length === 0 || fields.some((f) => !/^[A-Za-z0-9_-]{1,100}$/.test(f))) throw new Error('acceptUpload: file field names must be plain names');
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    limits: { ...UPLOAD_LIMITS, files: fields.length, parts: fields.length + UPLOAD_LIMITS.fields },
  }).fields(fields.map((name) => ({ name, maxCount: 1 })));

  return function acceptUploadMiddleware(req: Request, res: Response, next: NextFunction): void {
    // from here on this request is refused or its token is checked: the global CSRF step's deferral is answered
    (req as any).csrfDeferred = false;
    if (!/^multipart\/form-data/i.test(String(req.headers['content-type'] ?? ''))) return next(createError(400, 'expected a multipart form'));
    parse(req, res, (err?: unknown) => {
      if (err) {
        discardFiles(req);
        const code = (err as { code?: string }).code;
        const status = err instanceof multer.MulterError && code && TOO_LARGE.has(code) ? 413 : 400;
        req.log?.warn({ event: 'upload.rejected', code: code ?? 'malformed', status, userId: (req.user as any)?._id }, 'upload refused');
        return next(createError(status, 'upload refused'));
      }
      verifyCsrfToken(req, res, (csrfErr?: unknown) => {
        if (csrfErr) {
          discardFiles(req);
          return next(csrfErr);
        }
        if (req.get('X-Upload-Progress') === '1') redirectAsJson(res);
        next();
      });
    });
  };
}

/** For the progress script: a same-site redirect becomes a small JSON answer naming where to go. */
function redirectAsJson(res: Response): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  (res as any).redirect = (a: unknown, b?: unknown) => {
    const url = typeof a === 'number' ? b : a;
    if (typeof url !== 'string' || !/^\/(?![/\\])/.test(url)) return redirect(a, b);
    res.status(200).set('Cache-Control', 'no-store').json({ redirect: url });
  };
}

/** Drops parsed file buffers (memory storage: nothing on disk to remove). */
function discardFiles(req: Request): void {
  (req as any).files = undefined;
  (req as any).file = undefined;
}

/** The one file posted in `field`, or undefined when the user chose none. */
export function uploadedFile(req: Request, field: string): UploadedFile | undefined {
  const files = (req as any).files as Record<string, Express.Multer.File[]> | undefined;
  const file = files?.[field]?.[0];
  if (!file || !Buffer.isBuffer(file.buffer)) return undefined;
  if (file.size === 0 && file.originalname === '') return undefined;
  return { buffer: file.buffer, originalname: file.originalname, size: file.size };
}

/** Logs a refused file (who, which field, why) and returns the message to show against the field. */
export function logUploadRefused(req: Request, field: string, err: UploadRefused): string {
  req.log?.warn({ event: 'upload.refused', field, code: err.code, status: err.status, userId: (req.user as any)?._id }, 'upload refused');
  return err.message;
}
