// The keyring for sealed bids: makes a competition's data key (stored only wrapped by the master key) and seals
// and opens content under it. Whether someone MAY open a bid is decided by the services (server/services/bids.ts,
// tenderBox.ts); this module only knows keys.
import { newDataKey, open, seal, Sealed, unwrapKey, wrapKey } from './envelope';

export type { Sealed };

export class Keyring {
  constructor(private readonly master: Buffer) {
    if (master.length !== 32) throw new Error('Keyring: the master key must be 32 bytes');
  }

  /** A new data key for a competition, wrapped; store it on the competition. */
  newWrappedKey(competitionId: string): Sealed {
    return wrapKey(this.master, newDataKey(), competitionId);
  }

  private dataKey(competitionId: string, wrapped: Sealed): Buffer {
    return unwrapKey(this.master, wrapped, competitionId);
  }

  sealJson(competition: { id: string; wrappedKey: Sealed }, aad: string, value: unknown): Sealed {
    return this.sealBytes(competition, aad, Buffer.from(JSON.stringify(value), 'utf8'));
  }

  openJson<T>(competition: { id: string; wrappedKey: Sealed }, aad: string, sealed: Sealed): T {
    return JSON.parse(this.openBytes(competition, aad, sealed).toString('utf8')) as T;
  }

  sealBytes(competition: { id: string; wrappedKey: Sealed }, aad: string, bytes: Buffer): Sealed {
    return seal(this.dataKey(competition.id, competition.wrappedKey), bytes, aad);
  }

  openBytes(competition: { id: string; wrappedKey: Sealed }, aad: string, sealed: Sealed): Buffer {
    return open(this.dataKey(competition.id, competition.wrappedKey), sealed, aad);
  }
}
