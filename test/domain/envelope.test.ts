// Envelope encryption for sealed bids: round trips, and every wrong key, AAD or byte refused.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadMasterKey, newDataKey, open, seal, unwrapKey, wrapKey } from '../../server/sealing/envelope';

describe('sealed-bid envelope encryption', () => {
  const SENTINEL = 'SENTINEL-price-£48,250-do-not-leak';

  it('seals without plaintext and opens with the same key and AAD', () => {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from(SENTINEL), 'bid:1');
    expect(JSON.stringify(sealed)).to.not.contain('SENTINEL');
    expect(Buffer.from(sealed.data, 'base64').toString('utf8')).to.not.contain('SENTINEL');
    expect(open(key, sealed, 'bid:1').toString()).to.equal(SENTINEL);
    // a fresh IV each time: sealing the same text twice gives different ciphertexts
    expect(seal(key, Buffer.from(SENTINEL), 'bid:1').data).to.not.equal(sealed.data);
  });

  it('refuses the wrong key, the wrong AAD and any changed byte', () => {
    const key = newDataKey();
    const sealed = seal(key, Buffer.from(SENTINEL), 'bid:1');
    expect(() => open(newDataKey(), sealed, 'bid:1')).to.throw();
    expect(() => open(key, sealed, 'bid:2')).to.throw();
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    expect(() => open(key, { ...sealed, data: data.toString('base64') }, 'bid:1')).to.throw();
  });

  it('wraps a data key under the master key, bound to its competition', () => {
    const master = newDataKey();
    const dataKey = newDataKey();
    const wrapped = wrapKey(master, dataKey, 'c1');
    expect(Buffer.from(wrapped.data, 'base64').equals(dataKey)).to.equal(false);
    expect(unwrapKey(master, wrapped, 'c1').equals(dataKey)).to.equal(true);
    expect(() => unwrapKey(master, wrapped, 'c2')).to.throw();
  });

  it('loads the master key from the environment, or creates a key file once (mode 600)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'master-key-'));
    try {
      const file = join(dir, 'keys', 'master.key');
      const first = loadMasterKey(undefined, file);
      expect(first).to.have.length(32);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(loadMasterKey(undefined, file).equals(first)).to.equal(true);
      expect(readFileSync(file, 'utf8')).to.equal(first.toString('base64'));
      const fromEnv = newDataKey();
      expect(loadMasterKey(fromEnv.toString('base64'), file).equals(fromEnv)).to.equal(true);
      expect(() => loadMasterKey('c2hvcnQ=', file)).to.throw(/32 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
