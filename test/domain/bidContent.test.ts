// The bid record's pure parts: the fingerprint (canonical, so key order does not matter; every fact counts), the
// AAD binding sealed content to its bid and slot, and commitment values.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { attachmentAad, bidAad, BidContent, commitmentValue, emptyBidContent, fingerprint } from '../../server/domain/bidContent';
import { Keyring } from '../../server/sealing/keyring';

const facts = { competition: 'c1', supplier: 's1', version: 1, receivedAt: '2026-12-01T09:30:15.123Z' };

function content(): BidContent {
  return { ...emptyBidContent(), answers: { q1: 'Answer one', q2: 'Answer two' }, price: { totalPence: 1000, breakdown: [{ item: 'All', pence: 1000 }] } };
}

describe('bidContent', () => {
  it('fingerprints the same content the same way whatever the key order', () => {
    const a = content();
    const b: BidContent = { attachments: [], commitments: [], price: { breakdown: [{ pence: 1000, item: 'All' }], totalPence: 1000 }, answers: { q2: 'Answer two', q1: 'Answer one' } };
    expect(fingerprint(a, facts)).to.equal(fingerprint(b, facts)).and.match(/^[0-9a-f]{64}$/);
  });

  it('changes the fingerprint with any answer, the version, the supplier or the receipt time', () => {
    const base = fingerprint(content(), facts);
    const changed = content();
    changed.answers.q1 = 'Answer one.';
    expect(fingerprint(changed, facts)).to.not.equal(base);
    expect(fingerprint(content(), { ...facts, version: 2 })).to.not.equal(base);
    expect(fingerprint(content(), { ...facts, supplier: 's2' })).to.not.equal(base);
    expect(fingerprint(content(), { ...facts, receivedAt: '2026-12-01T09:30:15.124Z' })).to.not.equal(base);
  });

  it('binds sealed content to its bid and slot: opening it as another bid or version fails', () => {
    const keyring = new Keyring(randomBytes(32));
    const competition = { id: 'c1', wrappedKey: keyring.newWrappedKey('c1') };
    const sealed = keyring.sealJson(competition, bidAad('bid1', 1), content());
    expect(keyring.openJson(competition, bidAad('bid1', 1), sealed)).to.deep.equal(content());
    expect(() => keyring.openJson(competition, bidAad('bid1', 'draft'), sealed)).to.throw();
    expect(() => keyring.openJson(competition, bidAad('bid2', 1), sealed)).to.throw();
    expect(attachmentAad('bid1', 'f1')).to.not.equal(attachmentAad('bid2', 'f1'));
  });

  it('values commitments in whole pence', () => {
    expect(commitmentValue(2.55, 1700)).to.equal(4335);
    expect(commitmentValue(0.33, 25)).to.equal(8);
  });
});
