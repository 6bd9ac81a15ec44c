// Envelope encryption for sealed bids (security.md J31): content is encrypted with AES-256-GCM under a data key
// per competition; the data key is stored only wrapped (encrypted) by a master key kept outside the database.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;

/** A ciphertext with what it takes to open it (bar the key); the AAD binds it to its record. */
export interface Sealed {
  v: 1;
  iv: string;
  tag: string;
  data: string;
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Encrypts `plaintext` under `key`; `aad` (e.g. "bid:<id>") must be given again to open it. */
export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { v: 1, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** Decrypts and authenticates; throws if the key, the AAD or any byte is wrong. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

/** A data key encrypted by the master key, bound to the competition it belongs to. */
export function wrapKey(master: Buffer, dataKey: Buffer, competitionId: string): Sealed {
  return seal(master, dataKey, `data-key:${competitionId}`);
}

export function unwrapKey(master: Buffer, wrapped: Sealed, competitionId: string): Buffer {
  return open(master, wrapped, `data-key:${competitionId}`);
}

/**
 * The master key: from the environment (base64 of 32 bytes) in production, else a key file created once
 * (mode 600) beside the data, so a copy of the database alone cannot open bids.
 */
export function loadMasterKey(envValue: string | undefined, keyFile: string): Buffer {
  if (envValue) {
    const key = Buffer.from(envValue, 'base64');
    if (key.length !== KEY_BYTES) throw new Error('BID_MASTER_KEY must be 32 bytes, base64-encoded');
    return key;
  }
  if (existsSync(keyFile)) {
    const key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== KEY_BYTES) throw new Error(`${keyFile} does not hold a 32-byte base64 key`);
    return key;
  }
  mkdirSync(dirname(keyFile), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(keyFile, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  return key;
}
