// Working-day arithmetic: weekends, bank holidays by nation, London's calendar across daylight saving.
import { expect } from 'chai';
import { addWorkingDays, endOfLondonDay, isWorkingDay, londonDay, workingDayDeadline, workingDaysBetween } from '../../server/domain/workingDays';

describe('working days', () => {
  it('skips weekends', () => {
    // Friday 20 November 2026 + 1 working day = Monday 23rd.
    expect(addWorkingDays(new Date('2026-11-20T10:00:00Z'), 1)).to.equal('2026-11-23');
    expect(isWorkingDay('2026-11-21')).to.equal(false);
    expect(isWorkingDay('2026-11-22')).to.equal(false);
  });

  it('skips Christmas, Boxing Day substitutes and New Year in England', () => {
    // Thursday 24 Dec 2026: 25th (Fri) holiday, 26-27 weekend, 28th Boxing Day substitute, so the 29th is next.
    expect(addWorkingDays(new Date('2026-12-24T12:00:00Z'), 1)).to.equal('2026-12-29');
    expect(addWorkingDays(new Date('2026-12-31T12:00:00Z'), 1)).to.equal('2027-01-04');
  });

  it('skips Good Friday and Easter Monday in England, but Easter Monday is a working day in Scotland', () => {
    expect(addWorkingDays(new Date('2026-04-02T12:00:00Z'), 1, 'England')).to.equal('2026-04-07');
    expect(addWorkingDays(new Date('2026-04-02T12:00:00Z'), 1, 'Scotland')).to.equal('2026-04-06');
  });

  it('knows Scotland\u2019s 2 January and St Andrew\u2019s Day, which England works', () => {
    expect(isWorkingDay('2026-01-02', 'Scotland')).to.equal(false);
    expect(isWorkingDay('2026-01-02', 'England')).to.equal(true);
    expect(isWorkingDay('2026-11-30', 'Scotland')).to.equal(false);
    expect(isWorkingDay('2026-11-30', 'England')).to.equal(true);
  });

  it('knows St Patrick\u2019s Day in Northern Ireland and treats Wales as England', () => {
    expect(isWorkingDay('2026-03-17', 'Northern Ireland')).to.equal(false);
    expect(isWorkingDay('2026-03-17', 'Wales')).to.equal(true);
    expect(isWorkingDay('2026-04-06', 'Wales')).to.equal(false);
  });

  it('gives 10 working days from receipt as the end of the 10th working day, London time', () => {
    // Received Tuesday 24 Nov 2026: 10 working days later is Tuesday 8 December, ending 23:59:59.999 GMT.
    expect(workingDayDeadline(new Date('2026-11-24T09:00:00Z'), 10).toISOString()).to.equal('2026-12-08T23:59:59.999Z');
    // In Scotland St Andrew's Day (Monday 30 Nov) pushes it to Wednesday 9 December.
    expect(workingDayDeadline(new Date('2026-11-24T09:00:00Z'), 10, 'Scotland').toISOString()).to.equal('2026-12-09T23:59:59.999Z');
  });

  it('uses the London date of an instant, across daylight saving time', () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in London (BST).
    expect(londonDay(new Date('2026-06-30T23:30:00Z'))).to.equal('2026-07-01');
    expect(endOfLondonDay('2026-07-01').toISOString()).to.equal('2026-07-01T22:59:59.999Z');
    expect(endOfLondonDay('2026-01-15').toISOString()).to.equal('2026-01-15T23:59:59.999Z');
  });

  it('counts working days between two instants', () => {
    expect(workingDaysBetween(new Date('2026-11-20T10:00:00Z'), new Date('2026-11-27T10:00:00Z'))).to.equal(5);
    expect(workingDaysBetween(new Date('2026-11-27T10:00:00Z'), new Date('2026-11-20T10:00:00Z'))).to.equal(0);
  });
});
