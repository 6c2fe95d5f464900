import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addLocalDays,
  formatMoscow,
  isoWeekdayOf,
  moscowDate,
  moscowParts,
  moscowToUtc,
  parseClock,
} from '#core/scheduling/moscow-time';

/** Independent oracle: the IANA zone database as Node's ICU knows it. */
const intl = new Intl.DateTimeFormat('ru-RU', {
  timeZone: 'Europe/Moscow',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const viaIntl = (d: Date) => intl.format(d).replace(',', '');

// 2015-01-01 .. 2035-01-01: after the last Moscow offset change (26 October 2014).
const instant = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-01-01T00:00:00Z'), noInvalidDate: true });

describe('Moscow time (UTC+3, no DST)', () => {
  it('formats as the SMS names a time', () => {
    expect(formatMoscow('2026-11-27T07:15:00Z')).toBe('27.11.2026 10:15');
    expect(formatMoscow(new Date('2026-11-27T07:15:00.000Z'))).toBe('27.11.2026 10:15');
  });

  it('crosses midnight: a UTC evening is the next Moscow day', () => {
    expect(formatMoscow('2026-11-26T22:30:00Z')).toBe('27.11.2026 01:30');
    expect(moscowDate('2026-11-26T22:30:00Z')).toBe('2026-11-27');
    expect(formatMoscow('2026-11-26T20:59:59Z')).toBe('26.11.2026 23:59');
    expect(moscowDate('2026-11-26T20:59:59Z')).toBe('2026-11-26');
    expect(formatMoscow('2026-11-26T21:00:00Z')).toBe('27.11.2026 00:00');
    expect(formatMoscow('2026-12-31T21:00:00Z')).toBe('01.01.2027 00:00');
    expect(moscowDate('2026-12-31T21:00:00Z')).toBe('2027-01-01');
  });

  it('summer and winter have the same offset', () => {
    expect(formatMoscow('2026-07-01T09:00:00Z')).toBe('01.07.2026 12:00');
    expect(formatMoscow('2026-01-15T09:00:00Z')).toBe('15.01.2026 12:00');
  });

  it('accepts offsets in the input and answers in Moscow time', () => {
    expect(formatMoscow('2026-11-27T10:15:00+03:00')).toBe('27.11.2026 10:15');
    expect(formatMoscow('2026-11-27T12:15:00+05:00')).toBe('27.11.2026 10:15');
  });

  it('parts, weekday and minute of day', () => {
    const p = moscowParts('2026-11-28T22:10:05Z'); // Sunday 29 Nov, 01:10:05 MSK
    expect(p).toEqual({
      year: 2026,
      month: 11,
      day: 29,
      hour: 1,
      minute: 10,
      second: 5,
      isoWeekday: 7,
      date: '2026-11-29',
      minuteOfDay: 70,
    });
    expect(isoWeekdayOf('2026-11-30')).toBe(1);
    expect(isoWeekdayOf('2026-11-28')).toBe(6);
  });

  it('converts Moscow wall-clock time to UTC', () => {
    expect(moscowToUtc('2026-11-27', 10 * 60).toISOString()).toBe('2026-11-27T07:00:00.000Z');
    expect(moscowToUtc('2026-11-27', 60).toISOString()).toBe('2026-11-26T22:00:00.000Z');
    expect(moscowToUtc('2026-11-27', 24 * 60).toISOString()).toBe('2026-11-27T21:00:00.000Z');
  });

  it('rejects what is not a date or a clock time', () => {
    expect(() => formatMoscow('not a date')).toThrow(RangeError);
    expect(() => moscowToUtc('2026-02-30', 0)).toThrow(RangeError);
    expect(() => isoWeekdayOf('2026-13-01')).toThrow(RangeError);
    expect(() => parseClock('8:00')).toThrow(RangeError);
    expect(() => parseClock('24:30')).toThrow(RangeError);
    expect(() => parseClock('12:60')).toThrow(RangeError);
    expect(parseClock('24:00')).toBe(1440);
    expect(parseClock('08:15')).toBe(495);
  });

  it('calendar days move across months and years', () => {
    expect(addLocalDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addLocalDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addLocalDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('property: formatMoscow agrees with the Europe/Moscow zone database', () => {
    fc.assert(
      fc.property(instant, (d) => {
        expect(formatMoscow(d)).toBe(viaIntl(d));
      }),
      { numRuns: 500 },
    );
  });

  it('property: moscowToUtc inverts moscowParts (to the minute)', () => {
    fc.assert(
      fc.property(instant, (d) => {
        const p = moscowParts(d);
        const back = moscowToUtc(p.date, p.minuteOfDay).getTime();
        expect(d.getTime() - back).toBeGreaterThanOrEqual(0);
        expect(d.getTime() - back).toBeLessThan(60_000);
        expect(isoWeekdayOf(p.date)).toBe(p.isoWeekday);
      }),
      { numRuns: 500 },
    );
  });
});
