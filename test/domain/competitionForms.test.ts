// UK dates and times typed into the drafting forms: the conversion to instants across the clock changes, and the
// parsing of dates, 24-hour times and whole numbers.
import { expect } from 'chai';
import {
  ceilToMinute, londonParts, londonTimeText, londonToUtc, parseDateInput, parseTime24, parseWholeNumber, sectionStates,
} from '../../server/domain/competitionForms';

const at = (iso: string) => new Date(iso).toISOString();
const utcOf = (y: number, mo: number, d: number, h: number, mi: number) => {
  const r = londonToUtc({ year: y, month: mo, day: d }, { hour: h, minute: mi });
  return r.ok ? r.at.toISOString() : r.reason;
};

describe('competition forms: UK time', () => {
  it('reads winter times as GMT (UTC+0) and summer times as BST (UTC+1)', () => {
    expect(utcOf(2026, 1, 15, 12, 0)).to.equal(at('2026-01-15T12:00:00Z'));
    expect(utcOf(2026, 7, 15, 12, 0)).to.equal(at('2026-07-15T11:00:00Z'));
    expect(utcOf(2026, 12, 4, 0, 0)).to.equal(at('2026-12-04T00:00:00Z'));
  });

  it('changes offset at 1am UTC on the last Sunday in March (29 March 2026)', () => {
    expect(utcOf(2026, 3, 29, 0, 59)).to.equal(at('2026-03-29T00:59:00Z'));
    // 1:00 to 1:59 do not exist that morning: the clocks jump from 1am to 2am
    expect(utcOf(2026, 3, 29, 1, 0)).to.equal('nonexistent');
    expect(utcOf(2026, 3, 29, 1, 59)).to.equal('nonexistent');
    expect(utcOf(2026, 3, 29, 2, 0)).to.equal(at('2026-03-29T01:00:00Z'));
    // the day before and after keep their own offset all day
    expect(utcOf(2026, 3, 28, 23, 30)).to.equal(at('2026-03-28T23:30:00Z'));
    expect(utcOf(2026, 3, 30, 0, 30)).to.equal(at('2026-03-29T23:30:00Z'));
  });

  it('changes back at 1am UTC on the last Sunday in October (25 October 2026), taking the first of the repeated hour', () => {
    expect(utcOf(2026, 10, 25, 0, 59)).to.equal(at('2026-10-24T23:59:00Z'));
    // 1:30 happens twice: first in BST (00:30 UTC), then in GMT (01:30 UTC); the first is taken
    expect(utcOf(2026, 10, 25, 1, 30)).to.equal(at('2026-10-25T00:30:00Z'));
    expect(utcOf(2026, 10, 25, 2, 0)).to.equal(at('2026-10-25T02:00:00Z'));
    expect(utcOf(2026, 10, 26, 9, 0)).to.equal(at('2026-10-26T09:00:00Z'));
  });

  it('reads an instant back as UK wall time on both sides of the change', () => {
    expect(londonParts(new Date('2026-03-29T00:59:00Z'))).to.deep.equal({ year: 2026, month: 3, day: 29, hour: 0, minute: 59 });
    expect(londonParts(new Date('2026-03-29T01:00:00Z'))).to.deep.equal({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 });
    expect(londonTimeText(new Date('2026-06-30T23:05:00Z'))).to.equal('00:05');
    expect(londonParts(new Date('2026-06-30T23:05:00Z')).day).to.equal(1);
    // round trip for every quarter hour of the autumn change day that is not in the repeated hour
    for (let h = 0; h < 24; h++) {
      if (h === 1) continue;
      const r = londonToUtc({ year: 2026, month: 10, day: 25 }, { hour: h, minute: 15 });
      expect(r.ok && londonParts(r.at)).to.deep.equal({ year: 2026, month: 10, day: 25, hour: h, minute: 15 });
    }
  });

  it('rounds up to the next whole minute', () => {
    expect(ceilToMinute(new Date('2026-12-04T10:00:00.000Z')).toISOString()).to.equal('2026-12-04T10:00:00.000Z');
    expect(ceilToMinute(new Date('2026-12-04T10:00:00.001Z')).toISOString()).to.equal('2026-12-04T10:01:00.000Z');
  });
});

describe('competition forms: parsing', () => {
  it('accepts real dates and says which part is wrong otherwise', () => {
    expect(parseDateInput('4', '12', '2026', 'contract start date')).to.deep.equal({ ok: true, value: { year: 2026, month: 12, day: 4 } });
    expect(parseDateInput('', '', '', 'contract start date')).to.include({ ok: false, error: 'Enter the contract start date' });
    expect(parseDateInput('31', '2', '2027', 'contract start date')).to.include({ ok: false, part: 'day' });
    expect(parseDateInput('29', '2', '2028', 'x').ok).to.equal(true);
    expect(parseDateInput('1', '13', '2027', 'x')).to.include({ ok: false, part: 'month' });
    expect(parseDateInput('1', '1', '27', 'x')).to.include({ ok: false, part: 'year' });
    expect(parseDateInput('1', '', '2027', 'x')).to.include({ ok: false, part: 'month' });
    expect(parseDateInput(['1', '2'], '1', '2027', 'x').ok).to.equal(false);
  });

  it('accepts 24-hour times only', () => {
    expect(parseTime24('09:30', 'deadline')).to.deep.equal({ ok: true, value: { hour: 9, minute: 30 } });
    expect(parseTime24('9:05', 'deadline')).to.deep.equal({ ok: true, value: { hour: 9, minute: 5 } });
    expect(parseTime24('23:59', 'deadline').ok).to.equal(true);
    expect(parseTime24('00:00', 'deadline').ok).to.equal(true);
    for (const bad of ['24:00', '12:60', '5pm', '1230', ' ', '12:3']) expect(parseTime24(bad, 'deadline').ok, bad).to.equal(false);
  });

  it('accepts whole numbers within the range only', () => {
    expect(parseWholeNumber('5000', 1, 5000, 'the word limit')).to.deep.equal({ ok: true, value: 5000 });
    expect(parseWholeNumber('1', 1, 5000, 'the word limit').ok).to.equal(true);
    for (const bad of ['0', '5001', '1.5', '-3', 'ten', '', '1e3']) expect(parseWholeNumber(bad, 1, 5000, 'the word limit').ok, bad).to.equal(false);
  });

  it('marks the section that holds each publish problem incomplete', () => {
    const states = sectionStates({ summary: 'x', deadline: 'y' }, 0);
    expect(states).to.deep.equal({ details: 'incomplete', criteria: 'completed', questions: 'completed', deadlines: 'incomplete', documents: 'optional' });
    expect(sectionStates({}, 2).documents).to.equal('completed');
  });
});
