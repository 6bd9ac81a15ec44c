// Standstill end dates per rule-set: weekends, bank holidays by nation, UK midnight across daylight saving.
import { expect } from 'chai';
import { canEnterContract, ordinal, standstillEnd } from '../../server/domain/standstill';

const iso = (d: Date) => d.toISOString();

describe('standstill: PCR 2015 (voluntary for DPS call-offs)', () => {
  it('sent on a Friday: the 10th day is a Monday and it ends at midnight at its end (GMT)', () => {
    const s = standstillEnd('PCR2015_DPS', new Date('2026-11-06T15:00:00Z'));
    expect(s.lastDay).to.equal('2026-11-16');
    expect(iso(s.end)).to.equal('2026-11-16T23:59:59.999Z');
    expect(s.required).to.equal(false);
    expect(s.rule).to.match(/regulation 87/).and.match(/10th day/).and.match(/voluntarily/);
  });

  it('a 10th day on a Saturday or a Sunday moves to the Monday', () => {
    // Sent Wednesday 4 Nov: the 10th day is Saturday 14th; sent Thursday 5th: Sunday 15th.
    expect(standstillEnd('PCR2015_DPS', new Date('2026-11-04T09:00:00Z')).lastDay).to.equal('2026-11-16');
    expect(standstillEnd('PCR2015_DPS', new Date('2026-11-05T09:00:00Z')).lastDay).to.equal('2026-11-16');
    // Sent Tuesday 3rd: the 10th day is Friday 13th, a working day, so no move.
    expect(standstillEnd('PCR2015_DPS', new Date('2026-11-03T09:00:00Z')).lastDay).to.equal('2026-11-13');
  });

  it('a 10th day on Christmas Day or Boxing Day 2026 moves past the Boxing Day substitute to Tuesday 29th', () => {
    // Sent Tuesday 15 Dec: 10th day Friday 25th (Christmas), then the weekend, then Monday 28th (Boxing Day substitute).
    expect(iso(standstillEnd('PCR2015_DPS', new Date('2026-12-15T12:00:00Z')).end)).to.equal('2026-12-29T23:59:59.999Z');
    // Sent Wednesday 16 Dec: 10th day Saturday 26th (Boxing Day).
    expect(standstillEnd('PCR2015_DPS', new Date('2026-12-16T12:00:00Z')).lastDay).to.equal('2026-12-29');
    // Sent Friday 18 Dec: 10th day Monday 28th, the substitute holiday.
    expect(standstillEnd('PCR2015_DPS', new Date('2026-12-18T12:00:00Z')).lastDay).to.equal('2026-12-29');
  });

  it('a 10th day on Easter Monday 2027 moves to Tuesday in England, but not in Scotland where it is a working day (BST)', () => {
    const sent = new Date('2027-03-19T11:00:00Z');
    const england = standstillEnd('PCR2015_DPS', sent, 'England');
    const scotland = standstillEnd('PCR2015_DPS', sent, 'Scotland');
    expect(england.lastDay).to.equal('2027-03-30');
    expect(iso(england.end)).to.equal('2027-03-30T22:59:59.999Z');
    expect(scotland.lastDay).to.equal('2027-03-29');
    expect(iso(scotland.end)).to.equal('2027-03-29T22:59:59.999Z');
  });

  it('counts from the UK day of sending, not the UTC day (00:30 BST is still the 12th in London)', () => {
    const s = standstillEnd('PCR2015_DPS', new Date('2026-10-11T23:30:00Z'));
    expect(s.lastDay).to.equal('2026-10-22');
    expect(iso(s.end)).to.equal('2026-10-22T22:59:59.999Z');
  });

  it('across the October change from BST to GMT the end is UK midnight', () => {
    // Sent Wednesday 14 Oct (BST): 10th day Saturday 24th (BST), moved to Monday 26th, after the clocks go back on the 25th.
    expect(iso(standstillEnd('PCR2015_DPS', new Date('2026-10-14T08:00:00Z')).end)).to.equal('2026-10-26T23:59:59.999Z');
    // Sent Tuesday 13 Oct: 10th day Friday 23rd, still BST.
    expect(iso(standstillEnd('PCR2015_DPS', new Date('2026-10-13T08:00:00Z')).end)).to.equal('2026-10-23T22:59:59.999Z');
  });
});

describe('standstill: PA 2023 (8 working days from the contract award notice)', () => {
  it('published on a Monday: ends at the end of the Thursday of the following week', () => {
    const s = standstillEnd('PA2023_DYNAMIC_MARKET', new Date('2026-11-02T10:00:00Z'));
    expect(s.lastDay).to.equal('2026-11-12');
    expect(iso(s.end)).to.equal('2026-11-12T23:59:59.999Z');
    expect(s.required).to.equal(true);
    expect(s.rule).to.match(/section 51/).and.match(/8 working days/);
  });

  it('published on a Friday: counting starts on the Monday and ends on the Wednesday week', () => {
    expect(standstillEnd('PA2023_DYNAMIC_MARKET', new Date('2026-11-06T16:00:00Z')).lastDay).to.equal('2026-11-18');
  });

  it('published on a bank holiday (Good Friday 2027): England skips Easter Monday, Scotland does not', () => {
    const published = new Date('2027-03-26T10:00:00Z');
    const england = standstillEnd('PA2023_DYNAMIC_MARKET', published, 'England');
    expect(england.lastDay).to.equal('2027-04-08');
    expect(iso(england.end)).to.equal('2027-04-08T22:59:59.999Z');
    expect(standstillEnd('PA2023_DYNAMIC_MARKET', published, 'Scotland').lastDay).to.equal('2027-04-07');
  });

  it('over Christmas and New Year the holidays do not count', () => {
    // Thursday 17 Dec 2026: 18, 21, 22, 23, 24, (25, 28 holidays), 29, 30, 31.
    expect(iso(standstillEnd('PA2023_DYNAMIC_MARKET', new Date('2026-12-17T10:00:00Z')).end)).to.equal('2026-12-31T23:59:59.999Z');
    // Monday 21 Dec: 22, 23, 24, 29, 30, 31, (1 Jan), 4, 5 Jan 2027; Scotland also has 4 Jan (2 January substitute).
    expect(standstillEnd('PA2023_DYNAMIC_MARKET', new Date('2026-12-21T10:00:00Z'), 'England').lastDay).to.equal('2027-01-05');
    expect(standstillEnd('PA2023_DYNAMIC_MARKET', new Date('2026-12-21T10:00:00Z'), 'Scotland').lastDay).to.equal('2027-01-06');
  });

  it('where the council treats dynamic-market awards as exempt, the same period is voluntary and says so', () => {
    const s = standstillEnd('PA2023_DYNAMIC_MARKET', new Date('2026-11-02T10:00:00Z'), 'England', { dynamicMarketRequired: false });
    expect(s.lastDay).to.equal('2026-11-12');
    expect(s.required).to.equal(false);
    expect(s.rule).to.match(/voluntary/).and.match(/does not bind/);
  });
});

describe('standstill: below threshold (voluntary)', () => {
  it('defaults to 10 calendar days ending as PCR does, not required', () => {
    const s = standstillEnd('BELOW_THRESHOLD', new Date('2026-11-04T09:00:00Z'));
    expect(s.lastDay).to.equal('2026-11-16');
    expect(iso(s.end)).to.equal('2026-11-16T23:59:59.999Z');
    expect(s.required).to.equal(false);
    expect(s.rule).to.match(/no standstill is required/).and.match(/10th day/);
  });

  it('takes another number of days, moved on to a working day, and refuses nonsense', () => {
    // Monday 2 Nov + 5 days = Saturday 7th, moved to Monday 9th.
    const s = standstillEnd('BELOW_THRESHOLD', new Date('2026-11-02T09:00:00Z'), 'England', { voluntaryDays: 5 });
    expect(s.lastDay).to.equal('2026-11-09');
    expect(s.rule).to.match(/5th day/);
    expect(() => standstillEnd('BELOW_THRESHOLD', new Date(), 'England', { voluntaryDays: 0 })).to.throw(RangeError);
    expect(() => standstillEnd('BELOW_THRESHOLD', new Date(), 'England', { voluntaryDays: 2.5 })).to.throw(RangeError);
  });
});

describe('entering the contract', () => {
  it('is allowed only strictly after the standstill ends', () => {
    const { end } = standstillEnd('PCR2015_DPS', new Date('2026-11-06T15:00:00Z'));
    expect(canEnterContract(end, new Date(end.getTime() - 60_000))).to.equal(false);
    expect(canEnterContract(end, end)).to.equal(false);
    expect(canEnterContract(end, new Date(end.getTime() + 1))).to.equal(true);
  });

  it('writes ordinals for the rule', () => {
    expect([1, 2, 3, 4, 10, 11, 12, 13, 21, 22, 23, 111].map(ordinal)).to.deep.equal(['1st', '2nd', '3rd', '4th', '10th', '11th', '12th', '13th', '21st', '22nd', '23rd', '111th']);
  });
});
