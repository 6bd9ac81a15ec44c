// Password hashing (argon2id) and policy: length only, no composition rules, common passwords refused.
import argon2 from 'argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

// OWASP / ASVS minimums are m >= 19 MiB, t >= 2, p = 1; these exceed them.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;

// The most common passwords from breach corpora (ranked list shipped with zxcvbn-ts).
const COMMON = new Set((dictionary['passwords-common'] as string[]).slice(0, 10_000).map((p) => p.toLowerCase()));

export async function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// Verified against when the e-mail is unknown, so both answers take the same time.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
  return dummyHash;
}

/** Why a new password is not acceptable, or undefined if it is. */
export function passwordProblem(password: string, context: { email?: string; name?: string } = {}): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `Password must be ${PASSWORD_MIN} characters or more`;
  if (length > PASSWORD_MAX) return `Password must be ${PASSWORD_MAX} characters or fewer`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'Password is too common. Choose a password that is harder to guess, such as three random words';
  if (context.email && lower === context.email.toLowerCase()) return 'Password must not be your email address';
  return undefined;
}
