import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CentreConfig, DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import { estimateWaitMinutes, isPeak, queueLoad, recommendedWindows } from '#core/scheduling/load';
import { moscowParts } from '#core/scheduling/moscow-time';
import { type SlotAvailability, bookableSlots } from '#core/scheduling/slots';

const C = DEFAULT_CENTRE_CONFIG;
const MIN = 60_000;
const DAY = 86_400_000;
const msk = (local: string) => new Date(`${local}+03:00`);
const iso = (local: string) => msk(local).toISOString();
const t = (s: string) => Date.parse(s);

describe('estimated wait', () => {
  it('with no recent calls: the backlog, waiting × slot length / capacity, rounded up', () => {
    expect(estimateWaitMinutes('tech-support', 0, [], C)).toBe(0);
    expect(estimateWaitMinutes('tech-support', 8, [], C)).toBe(30); // 8 × 15 / 4
    expect(estimateWaitMinutes('tech-support', 1, [], C)).toBe(4); // 3.75 → 4
    expect(estimateWaitMinutes('complaints', 3, [], C)).toBe(23); // 3 × 15 / 2 = 22.5 → 23
  });

  it('with recent calls: their median plus the backlog', () => {
    expect(estimateWaitMinutes('tech-support', 2, [30, 90, 600], C)).toBe(9); // 1.5 + 7.5
    expect(estimateWaitMinutes('tech-support', 0, [60, 120, 180, 240], C)).toBe(3); // median 150 s = 2.5 → 3
    expect(estimateWaitMinutes('tech-support', 0, [600], C)).toBe(10);
  });

  it('changes with the recent waits', () => {
    const short = estimateWaitMinutes('services', 2, [60, 120, 180], C);
    const long = estimateWaitMinutes('services', 2, [600, 700, 800], C);
    expect(long).toBeGreaterThan(short);
    expect(long - short).toBe(10); // the median moved from 2 to 11.67 minutes
  });

  it('ignores records that are not a wait', () => {
    expect(estimateWaitMinutes('services', 0, [Number.NaN, -5, Number.POSITIVE_INFINITY, 120], C)).toBe(2);
    expect(estimateWaitMinutes('services', Number.NaN, [], C)).toBe(0);
    expect(estimateWaitMinutes('services', -3, [], C)).toBe(0);
  });

  it('property: grows with every person waiting, for every default queue', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('tech-support', 'services', 'complaints', 'consultations', 'status'),
        fc.integer({ min: 0, max: 500 }),
        fc.array(fc.integer({ min: 0, max: 3600 }), { maxLength: 50 }),
        (queue, waiting, waits) => {
          expect(estimateWaitMinutes(queue, waiting + 1, waits, C)).toBeGreaterThan(estimateWaitMinutes(queue, waiting, waits, C));
        },
      ),
    );
  });

  it('property: every recent wait a minute longer gives a wait at least as long, and one minute longer when nobody waits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.array(fc.integer({ min: 0, max: 3600 }), { minLength: 1, maxLength: 50 }), (waiting, waits) => {
        const before = estimateWaitMinutes('status', waiting, waits, C);
        const after = estimateWaitMinutes('status', waiting, waits.map((w) => w + 60), C);
        expect(after).toBeGreaterThanOrEqual(before);
        if (waiting === 0 && waits.every((w) => w % 60 === 0)) expect(after).toBe(before + 1);
      }),
    );
  });
});

describe('peakNow', () => {
  it.each([
    ['2026-11-30T07:59:59', false],
    ['2026-11-30T08:00:00', true],
    ['2026-11-30T09:59:59', true],
    ['2026-11-30T10:00:00', false],
    ['2026-11-30T13:00:00', false],
    ['2026-11-30T16:59:59', false],
    ['2026-11-30T17:00:00', true],
    ['2026-11-30T19:59:59', true],
    ['2026-11-30T20:00:00', false],
    ['2026-11-28T09:00:00', false], // Saturday: no peak
    ['2026-11-28T17:30:00', false],
    ['2026-11-29T08:30:00', false], // Sunday: closed
    ['2026-11-04T08:30:00', false], // Wednesday, a holiday: closed
    ['2026-12-04T18:00:00', true], // Friday evening
  ])('%s MSK → %s', (local, expected) => {
    expect(isPeak('tech-support', msk(local), C)).toBe(expected);
    expect(queueLoad({ queue: 'tech-support', waiting: 0, recentWaitsSeconds: [], now: msk(local), freeSlots: [] }, C).peakNow).toBe(expected);
  });

  it('follows the configured peaks', () => {
    const cfg: CentreConfig = { ...C, peakPeriods: [{ weekdays: [6], from: '12:00', to: '13:00' }] };
    expect(isPeak('status', msk('2026-11-28T12:30:00'), cfg)).toBe(true);
    expect(isPeak('status', msk('2026-11-30T08:30:00'), cfg)).toBe(false);
    expect(isPeak('status', msk('2026-11-30T08:30:00'), { ...C, peakPeriods: [] })).toBe(false);
  });
});

describe('recommended windows', () => {
  const allFree = (queue: string, now: Date, days: number, booked = new Map<string, number>()) =>
    bookableSlots(queue, now, { from: now, to: new Date(now.getTime() + days * DAY) }, booked, C);

  it('merge free slots into windows between the peaks, earliest three', () => {
    const now = msk('2026-11-30T07:00:00'); // Monday before opening
    expect(recommendedWindows(now, allFree('status', now, 7), C)).toEqual([
      { from: iso('2026-11-30T10:00:00'), to: iso('2026-11-30T17:00:00') },
      { from: iso('2026-12-01T10:00:00'), to: iso('2026-12-01T17:00:00') },
      { from: iso('2026-12-02T10:00:00'), to: iso('2026-12-02T17:00:00') },
    ]);
  });

  it('a full slot splits a window; Saturday has no peak', () => {
    const now = msk('2026-11-28T07:00:00'); // Saturday
    const booked = new Map([[iso('2026-11-28T12:00:00'), 2]]);
    expect(recommendedWindows(now, allFree('complaints', now, 7, booked), C)).toEqual([
      { from: iso('2026-11-28T09:00:00'), to: iso('2026-11-28T12:00:00') },
      { from: iso('2026-11-28T12:15:00'), to: iso('2026-11-28T18:00:00') },
      { from: iso('2026-11-30T10:00:00'), to: iso('2026-11-30T17:00:00') },
    ]);
  });

  it('no free slot, no window', () => {
    const now = msk('2026-11-30T07:00:00');
    expect(recommendedWindows(now, [], C)).toEqual([]);
    const full = allFree('status', now, 1).map((s) => ({ ...s, remaining: 0 }));
    expect(recommendedWindows(now, full, C)).toEqual([]);
  });

  it('queueLoad puts it together', () => {
    const now = msk('2026-11-30T08:30:00');
    const load = queueLoad({ queue: 'tech-support', waiting: 4, recentWaitsSeconds: [300, 360, 420], now, freeSlots: allFree('tech-support', now, 2) }, C);
    expect(load).toEqual({
      queue: 'tech-support',
      waiting: 4,
      estimatedWaitMinutes: 21, // 6 + 4 × 3.75
      peakNow: true,
      recommendedWindows: [
        { from: iso('2026-11-30T10:00:00'), to: iso('2026-11-30T17:00:00') },
        { from: iso('2026-12-01T10:00:00'), to: iso('2026-12-01T17:00:00') },
      ],
    });
  });

  it('property: windows avoid peaks and full slots, are made of free slots only, sorted, at most three, maximal', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-20T00:00:00Z'), noInvalidDate: true }),
        fc.array(fc.nat({ max: 400 }), { maxLength: 200 }),
        (now, fullIdx) => {
          const slots = allFree('services', now, 3);
          const full = new Set(fullIdx.filter((i) => i < slots.length).map((i) => slots[i]!.start));
          const free: SlotAvailability[] = slots.map((s) => ({ ...s, remaining: full.has(s.start) ? 0 : s.remaining }));
          const usable = new Map(
            free
              .filter((s) => {
                const p = moscowParts(s.start);
                const weekday = p.isoWeekday <= 5;
                const inPeak = weekday && ((p.minuteOfDay + 15 > 480 && p.minuteOfDay < 600) || (p.minuteOfDay + 15 > 1020 && p.minuteOfDay < 1200));
                return s.remaining > 0 && !inPeak;
              })
              .map((s) => [s.start, s]),
          );
          const windows = recommendedWindows(now, free, C);
          expect(windows.length).toBeLessThanOrEqual(3);
          const bad: string[] = [];
          let prev = -Infinity;
          for (const w of windows) {
            if (t(w.from) <= prev) bad.push(`${w.from}: not sorted or touching the previous window`);
            prev = t(w.to);
            for (let at = t(w.from); at < t(w.to); at += 15 * MIN) {
              if (!usable.has(new Date(at).toISOString())) bad.push(`${new Date(at).toISOString()} in a window is full, in a peak or not a slot`);
            }
            if (usable.has(w.to)) bad.push(`${w.to}: the window could go on`);
            if (usable.has(new Date(t(w.from) - 15 * MIN).toISOString())) bad.push(`${w.from}: the window could start earlier`);
          }
          expect(bad).toEqual([]);
          // the earliest: no usable slot before the last window's end is left out (windows.length < 3 → none at all)
          const covered = (s: string) => windows.some((w) => t(w.from) <= t(s) && t(s) < t(w.to));
          const limit = windows.length < 3 ? Infinity : prev;
          expect([...usable.keys()].filter((s) => t(s) < limit && !covered(s))).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
