// Who may open the sealed tender box, and when the first step lapses: the pure rules, table-driven.
import { expect } from 'chai';
import { FirstStep, hasLapsed, isAuthorisedOpener, lapsesAt, maySecond, Opener, readRefusal } from '../../server/domain/opening';

const COUNCIL = 'c0000000000000000000000a';
const OTHER = 'c0000000000000000000000b';
const NETWORK = 'n0000000000000000000000a';
const HOUR = 60 * 60 * 1000;
const T0 = new Date('2026-12-01T12:00:00Z');

const buyerA: Opener = { by: 'u1', role: 'buyer', organisation: COUNCIL };
const buyerB: Opener = { by: 'u2', role: 'buyer', organisation: COUNCIL };
const otherBuyer: Opener = { by: 'u3', role: 'buyer', organisation: OTHER };
const adminA: Opener = { by: 'u4', role: 'admin', organisation: NETWORK };
const adminB: Opener = { by: 'u5', role: 'admin', organisation: NETWORK };
const supplier: Opener = { by: 'u6', role: 'supplier', organisation: COUNCIL };
const first = (o: Opener, at = T0): FirstStep => ({ ...o, at });

describe('opening the tender box: who may', () => {
  it('authorises the owning council\u2019s buyers and network admins only', () => {
    expect(isAuthorisedOpener(buyerA, COUNCIL)).to.equal(true);
    expect(isAuthorisedOpener(adminA, COUNCIL)).to.equal(true);
    expect(isAuthorisedOpener(otherBuyer, COUNCIL)).to.equal(false);
    expect(isAuthorisedOpener(supplier, COUNCIL)).to.equal(false);
    expect(isAuthorisedOpener({ by: 'x', role: 'buyer', organisation: null }, COUNCIL)).to.equal(false);
  });

  const cases: Array<[string, Opener, Opener, string]> = [
    ['two buyers of the council', buyerA, buyerB, 'ok'],
    ['a buyer then an admin', buyerA, adminA, 'ok'],
    ['an admin then a buyer', adminA, buyerB, 'ok'],
    ['the same buyer twice', buyerA, { ...buyerA }, 'same-person'],
    ['the same admin twice', adminA, { ...adminA }, 'same-person'],
    ['two different admins', adminA, adminB, 'two-admins'],
    ['another council\u2019s buyer second', buyerA, otherBuyer, 'not-authorised'],
    ['another council\u2019s buyer first', otherBuyer, buyerA, 'not-authorised'],
    ['a supplier second', buyerA, supplier, 'not-authorised'],
  ];
  for (const [name, a, b, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const verdict = maySecond(first(a), b, COUNCIL, new Date(T0.getTime() + HOUR));
      expect(verdict.ok ? 'ok' : verdict.reason).to.equal(expected);
    });
  }

  it('the first step lapses at 24 hours exactly: 1 ms before is in time, the instant itself is not', () => {
    expect(lapsesAt(first(buyerA)).toISOString()).to.equal('2026-12-02T12:00:00.000Z');
    const justInTime = new Date(T0.getTime() + 24 * HOUR - 1);
    const atLapse = new Date(T0.getTime() + 24 * HOUR);
    expect(hasLapsed(first(buyerA), justInTime)).to.equal(false);
    expect(maySecond(first(buyerA), buyerB, COUNCIL, justInTime)).to.deep.equal({ ok: true });
    expect(hasLapsed(first(buyerA), atLapse)).to.equal(true);
    expect(maySecond(first(buyerA), buyerB, COUNCIL, atLapse)).to.deep.equal({ ok: false, reason: 'lapsed' });
  });

  it('the same person never counts twice, even after the first step lapsed', () => {
    expect(maySecond(first(buyerA), buyerA, COUNCIL, new Date(T0.getTime() + 48 * HOUR))).to.deep.equal({ ok: false, reason: 'same-person' });
  });
});

describe('reading sealed bids: refused until opened', () => {
  it('gives the reason per stage', () => {
    expect(readRefusal('draft')).to.equal('before the deadline');
    expect(readRefusal('open')).to.equal('before the deadline');
    expect(readRefusal('closed')).to.equal('not opened');
    expect(readRefusal('cancelled')).to.equal('not opened');
    expect(readRefusal('opened')).to.equal(undefined);
  });
});
