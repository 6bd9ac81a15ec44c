// The reminder schedule: three working days before (same UK clock time), one day before, and what is due when.
import { expect } from 'chai';
import { deadlinePassed, dueReminder, LOOK_AHEAD_MS, nationOf, reminderTimes, workingDaysBefore } from '../../server/domain/reminderSchedule';
import { UK_NATIONS } from '../../server/domain/workingDays';

const HOUR = 60 * 60 * 1000;
const iso = (d: Date) => d.toISOString();

describe('reminder schedule', () => {
  describe('three working days before', () => {
    it('is three weekdays back at the same time when no weekend is in the way', () => {
      // Friday 4 December 2026, 12:00 GMT -> Tuesday 1 December, 12:00.
      expect(iso(reminderTimes(new Date('2026-12-04T12:00:00Z')).threeWorkingDays)).to.equal('2026-12-01T12:00:00.000Z');
    });

    it('skips the weekend', () => {
      // Monday 7 December 2026 -> Fri 4, Thu 3, Wed 2.
      expect(iso(reminderTimes(new Date('2026-12-07T12:00:00Z')).threeWorkingDays)).to.equal('2026-12-02T12:00:00.000Z');
      // A deadline on a Saturday counts back from Friday: Fri 11, Thu 10, Wed 9.
      expect(iso(reminderTimes(new Date('2026-12-12T09:30:00Z')).threeWorkingDays)).to.equal('2026-12-09T09:30:00.000Z');
    });

    it('skips St Andrew\u2019s Day in Scotland but not in England', () => {
      // Wednesday 2 December 2026: England Tue 1, Mon 30, Fri 27; Scotland skips Monday 30 November.
      const deadline = new Date('2026-12-02T12:00:00Z');
      expect(iso(reminderTimes(deadline, 'England').threeWorkingDays)).to.equal('2026-11-27T12:00:00.000Z');
      expect(iso(reminderTimes(deadline, 'Scotland').threeWorkingDays)).to.equal('2026-11-26T12:00:00.000Z');
    });

    it('skips Good Friday and Easter Monday in England, only Good Friday in Scotland (summer time kept)', () => {
      // Tuesday 7 April 2026, 10:00 BST (09:00 UTC).
      const deadline = new Date('2026-04-07T09:00:00Z');
      expect(iso(reminderTimes(deadline, 'England').threeWorkingDays)).to.equal('2026-03-31T09:00:00.000Z');
      expect(iso(reminderTimes(deadline, 'Scotland').threeWorkingDays)).to.equal('2026-04-01T09:00:00.000Z');
    });

    it('skips Christmas and the Boxing Day substitute', () => {
      // Tuesday 29 December 2026: Mon 28 (substitute), Fri 25 are holidays -> Thu 24, Wed 23, Tue 22.
      expect(iso(reminderTimes(new Date('2026-12-29T12:00:00Z'), 'England').threeWorkingDays)).to.equal('2026-12-22T12:00:00.000Z');
    });

    it('keeps the UK clock time across the change to summer time', () => {
      // Wednesday 1 April 2026, 12:00 BST (11:00 UTC); clocks changed on Sunday 29 March: Friday 27 March, 12:00 GMT.
      const times = reminderTimes(new Date('2026-04-01T11:00:00Z'), 'England');
      expect(iso(times.threeWorkingDays)).to.equal('2026-03-27T12:00:00.000Z');
      // "one day before" is 24 hours before, whatever the clocks do.
      expect(iso(times.oneDay)).to.equal('2026-03-31T11:00:00.000Z');
    });

    it('keeps the UK clock time across the change back to winter time, and at midnight', () => {
      // Tuesday 27 October 2026, 00:00 GMT; clocks went back on Sunday 25th: Thursday 22nd, 00:00 BST (23:00 UTC on the 21st).
      expect(iso(reminderTimes(new Date('2026-10-27T00:00:00Z')).threeWorkingDays)).to.equal('2026-10-21T23:00:00.000Z');
    });

    it('counts back on the UK calendar: just after midnight BST is still the next UK day', () => {
      // 23:30 UTC on Wednesday 10 June 2026 is 00:30 BST on Thursday 11th: back to Monday 8th, 00:30 BST.
      expect(workingDaysBefore(new Date('2026-06-10T23:30:00Z'), 3, 'England')).to.equal('2026-06-08');
      expect(iso(reminderTimes(new Date('2026-06-10T23:30:00Z')).threeWorkingDays)).to.equal('2026-06-07T23:30:00.000Z');
    });

    it('always falls at least three days and within the look-ahead window before the deadline, for every nation', () => {
      for (const nation of UK_NATIONS) {
        for (let day = 0; day < 2 * 366; day++) {
          const deadline = new Date(Date.UTC(2026, 0, 1, 12) + day * 24 * HOUR);
          const lead = deadline.getTime() - reminderTimes(deadline, nation).threeWorkingDays.getTime();
          expect(lead, `${nation} ${iso(deadline)}`).to.be.at.least(3 * 24 * HOUR - HOUR);
          expect(lead, `${nation} ${iso(deadline)}`).to.be.below(LOOK_AHEAD_MS);
        }
      }
    });
  });

  describe('what is due', () => {
    const deadline = new Date('2026-12-04T12:00:00Z'); // Friday; 3 working days: Tue 1 Dec 12:00; 1 day: Thu 3 Dec 12:00
    const at = (s: string) => new Date(s);

    it('is nothing before the three-working-days time', () => {
      expect(dueReminder(at('2026-12-01T11:59:59.999Z'), deadline)).to.equal(undefined);
    });

    it('is the three-working-days reminder from its time until the one-day time', () => {
      expect(dueReminder(at('2026-12-01T12:00:00Z'), deadline)).to.equal('threeWorkingDays');
      expect(dueReminder(at('2026-12-03T11:59:59.999Z'), deadline)).to.equal('threeWorkingDays');
    });

    it('is only the one-day reminder from its time (a missed first window is not made up)', () => {
      expect(dueReminder(at('2026-12-03T12:00:00Z'), deadline)).to.equal('oneDay');
      expect(dueReminder(at('2026-12-04T11:59:59.999Z'), deadline)).to.equal('oneDay');
    });

    it('is no supplier reminder at or after the deadline, when the buyers\u2019 notice is due', () => {
      expect(dueReminder(deadline, deadline)).to.equal(undefined);
      expect(dueReminder(at('2026-12-05T12:00:00Z'), deadline)).to.equal(undefined);
      expect(deadlinePassed(at('2026-12-04T11:59:59.999Z'), deadline)).to.equal(false);
      expect(deadlinePassed(deadline, deadline)).to.equal(true);
    });

    it('follows the council\u2019s nation', () => {
      const wednesday = new Date('2026-12-02T12:00:00Z');
      expect(dueReminder(at('2026-11-26T12:00:00Z'), wednesday, 'England')).to.equal(undefined);
      expect(dueReminder(at('2026-11-26T12:00:00Z'), wednesday, 'Scotland')).to.equal('threeWorkingDays');
    });

    it('skips a reminder timed before publication (the invitation said it all)', () => {
      const publishedAt = at('2026-12-02T09:00:00Z');
      expect(dueReminder(at('2026-12-02T10:00:00Z'), deadline, 'England', publishedAt)).to.equal(undefined);
      expect(dueReminder(at('2026-12-03T12:00:00Z'), deadline, 'England', publishedAt)).to.equal('oneDay');
    });

    it('reads a stored nation, defaulting to England', () => {
      expect(nationOf('Scotland')).to.equal('Scotland');
      expect(nationOf(undefined)).to.equal('England');
      expect(nationOf('Narnia')).to.equal('England');
    });
  });
});
