// Structured logs (pino) that never contain passwords, tokens, codes or cookies.
import pino, { Logger, DestinationStream } from 'pino';

export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.confirmPassword',
  '*.currentPassword',
  '*._csrf',
  '*.token',
  '*.code',
  '*.secret',
  '*.sid',
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { service: 'coop-dps' },
    },
    destination,
  );
}

export type { Logger };
