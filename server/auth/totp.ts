// Time-based one-time passwords (RFC 6238) and single-use recovery codes.
import { createHash, randomBytes } from 'node:crypto';
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

const ISSUER = 'Co-op Councils DPS';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(email: string, secret: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret });
}

export async function totpQrSvg(email: string, secret: string): Promise<string> {
  return QRCode.toString(totpUri(email, secret), { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/**
 * Checks a 6-digit code at `now`; returns its time step if valid and newer than `lastStep`
 * (each code works once), else undefined.
 */
export function checkTotp(secret: string, code: string, now: Date, lastStep: number): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = verifySync({ secret, token: code, epoch: Math.floor(now.getTime() / 1000), epochTolerance: [5, 0] }) as { valid: boolean; timeStep?: number };
  if (!result.valid || result.timeStep === undefined || result.timeStep <= lastStep) return undefined;
  return result.timeStep;
}

/** For tests and the demo: the current code for a secret. */
export function totpCode(secret: string, now: Date): string {
  return generateSync({ secret, epoch: Math.floor(now.getTime() / 1000) });
}

export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const raw = randomBytes(5).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
}

export function hashCode(code: string): string {
  return createHash('sha256').update(code.trim().toLowerCase()).digest('hex');
}
