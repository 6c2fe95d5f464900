import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CentreConfig, DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import { moscowParts } from '#core/scheduling/moscow-time';
import { type Slot, bookableSlots, bookingCandidates, nextSlot, retryCandidates, slotsInRange } from '#core/scheduling/slots';

const C = DEFAULT_CENTRE_CONFIG;
const MIN = 60_000;
const DAY = 86_400_000;
const msk = (local: string) => new Date(`${local}+03:00`);
const starts = (slots: Slot[]) => slots.map((s) => s.start);
const t = (iso: string) => Date.parse(iso);

const anyNow = fc.date({ min: new Date('2025-12-25T00:00:00Z'), max: new Date('2027-12-20T00:00:00Z'), noInvalidDate: true });

/** A preferred window as create-request accepts it: ends in the future, from < to, both within 7 days. */
const nowAndWindow = anyNow.chain((now) =>
  fc
    .tuple(fc.integer({ min: -2 * 24 * 60, max: 7 * 24 * 60 - 1 }), fc.integer({ min: 1, max: 7 * 24 * 60 }))
    .map(([fromMin, lenMin]) => {
      const from = now.getTime() + fromMin * MIN;
      const to = Math.min(from + lenMin * MIN, now.getTime() + 7 * DAY);
      return { now, window: { from: new Date(from).toISOString(), to: new Date(to).toISOString() } };
    })
    .filter(({ now, window }) => t(window.from) < t(window.to) && t(window.to) > now.getTime()),
);

describe('booking candidates', () => {
  it('respect the lead time: now + 30 minutes, then the next slot boundary', () => {
    expect(bookingCandidates('status', msk('2026-11-30T10:07:00'), undefined, C)[0]?.start).toBe(msk('2026-11-30T10:45:00').toISOString());
    expect(bookingCandidates('status', msk('2026-11-30T10:00:00'), undefined, C)[0]?.start).toBe(msk('2026-11-30T10:30:00').toISOString());
    expect(bookingCandidates('status', msk('2026-11-30T10:00:01'), undefined, C)[0]?.start).toBe(msk('2026-11-30T10:45:00').toISOString());
    // Friday evening: the lead time runs past closing → Saturday 09:00
    expect(bookingCandidates('status', msk('2026-11-27T19:35:00'), undefined, C)[0]?.start).toBe(msk('2026-11-28T09:00:00').toISOString());
  });

  it('without a window: every slot from now + lead to the 7-day horizon, in order', () => {
    const now = msk('2026-11-30T12:00:00');
    const got = bookingCandidates('status', now, undefined, C);
    expect(got).toEqual(slotsInRange('status', new Date(now.getTime() + 30 * MIN), new Date(now.getTime() + 7 * DAY), C));
    expect(got.at(-1)).toEqual({ start: msk('2026-12-07T11:45:00').toISOString(), end: msk('2026-12-07T12:00:00').toISOString() });
  });

  it('with a window: the window first, then the slots after it; never the slots before it', () => {
    const now = msk('2026-11-30T09:00:00');
    const window = { from: msk('2026-12-01T14:00:00').toISOString(), to: msk('2026-12-01T15:00:00').toISOString() };
    const got = bookingCandidates('status', now, window, C);
    expect(starts(got).slice(0, 5)).toEqual(
      ['14:00', '14:15', '14:30', '14:45', '15:00'].map((hm) => msk(`2026-12-01T${hm}:00`).toISOString()),
    );
    expect(got.some((s) => t(s.start) < t(window.from))).toBe(false);
  });

  it('a window shorter than a slot gets the slot starting inside it, else the next one', () => {
    const now = msk('2026-11-30T09:00:00');
    const w1 = { from: msk('2026-12-01T14:00:00').toISOString(), to: msk('2026-12-01T14:10:00').toISOString() };
    expect(bookingCandidates('status', now, w1, C)[0]?.start).toBe(msk('2026-12-01T14:00:00').toISOString());
    const w2 = { from: msk('2026-12-01T14:05:00').toISOString(), to: msk('2026-12-01T14:10:00').toISOString() };
    expect(bookingCandidates('status', now, w2, C)[0]?.start).toBe(msk('2026-12-01T14:15:00').toISOString());
  });

  it('a window entirely on a Sunday yields the Monday slots after it', () => {
    const now = msk('2026-11-27T12:00:00'); // Friday
    const window = { from: msk('2026-11-29T10:00:00').toISOString(), to: msk('2026-11-29T18:00:00').toISOString() };
    const got = bookingCandidates('status', now, window, C);
    expect(got[0]?.start).toBe(msk('2026-11-30T08:00:00').toISOString());
    expect(got.every((s) => moscowParts(s.start).date >= '2026-11-30')).toBe(true);
  });

  it('a window on a holiday yields the next working day', () => {
    const now = msk('2026-11-02T12:00:00');
    const window = { from: msk('2026-11-04T09:00:00').toISOString(), to: msk('2026-11-04T12:00:00').toISOString() };
    expect(bookingCandidates('status', now, window, C)[0]?.start).toBe(msk('2026-11-05T08:00:00').toISOString());
  });

  it('a window that started in the past is clipped to now + lead', () => {
    const now = msk('2026-11-30T11:00:00');
    const window = { from: msk('2026-11-30T08:00:00').toISOString(), to: msk('2026-11-30T12:00:00').toISOString() };
    const got = bookingCandidates('status', now, window, C);
    expect(got[0]?.start).toBe(msk('2026-11-30T11:30:00').toISOString());
    expect(starts(got).slice(0, 3)).toEqual(['11:30', '11:45', '12:00'].map((hm) => msk(`2026-11-30T${hm}:00`).toISOString()));
  });

  it('property: never before now + lead, never past now + 7 days, window first then after it, nothing lost', () => {
    fc.assert(
      fc.property(nowAndWindow, fc.constantFrom('tech-support', 'services', 'complaints', 'consultations', 'status'), ({ now, window }, queue) => {
        const got = bookingCandidates(queue, now, window, C);
        const earliest = now.getTime() + 30 * MIN;
        const horizon = now.getTime() + 7 * DAY;
        const from = t(window.from);
        const to = t(window.to);
        const bad: string[] = [];
        for (const s of got) {
          if (t(s.start) < earliest) bad.push(`${s.start} before the lead time`);
          if (t(s.end) > horizon) bad.push(`${s.end} beyond 7 days`);
          if (t(s.start) < from) bad.push(`${s.start} before the window`);
        }
        expect(bad).toEqual([]);
        const firstAfter = got.findIndex((s) => t(s.start) >= to);
        const inside = firstAfter === -1 ? got : got.slice(0, firstAfter);
        const after = firstAfter === -1 ? [] : got.slice(firstAfter);
        expect(inside.every((s) => t(s.start) >= from && t(s.start) < to)).toBe(true);
        expect(after.every((s) => t(s.start) >= to)).toBe(true);
        for (const part of [inside, after]) {
          for (let i = 1; i < part.length; i += 1) expect(t(part[i]!.start)).toBeGreaterThan(t(part[i - 1]!.start));
        }
        // complete: every bookable slot starting in the window or after it is offered
        const bookable = slotsInRange(queue, new Date(earliest), new Date(horizon), C).filter((s) => t(s.start) >= from);
        expect(new Set(starts(got))).toEqual(new Set(starts(bookable)));
        expect(got).toHaveLength(bookable.length);
      }),
      { numRuns: 200 },
    );
  });

  it('property: without a window, candidates are sorted and within [now + lead, now + 7 days]', () => {
    fc.assert(
      fc.property(anyNow, (now) => {
        const got = bookingCandidates('tech-support', now, undefined, C);
        const next = nextSlot('tech-support', new Date(now.getTime() + 30 * MIN), C);
        if (got.length === 0) {
          // only when the centre is closed for the whole horizon (the New Year holidays)
          expect(t(next!.end)).toBeGreaterThan(now.getTime() + 7 * DAY);
          return;
        }
        expect(got[0]).toEqual(next);
        expect(t(got[0]!.start)).toBeGreaterThanOrEqual(now.getTime() + 30 * MIN);
        expect(t(got.at(-1)!.end)).toBeLessThanOrEqual(now.getTime() + 7 * DAY);
        for (let i = 1; i < got.length; i += 1) expect(t(got[i]!.start)).toBeGreaterThanOrEqual(t(got[i - 1]!.end));
      }),
      { numRuns: 200 },
    );
  });

  it('the New Year closure is longer than the horizon: nothing can be booked then', () => {
    // closed 31 Dec 2026 – 8 Jan 2027; the next slot is Saturday 9 January 09:00
    expect(bookingCandidates('status', msk('2026-12-31T12:00:00'), undefined, C)).toEqual([]);
    expect(bookingCandidates('status', msk('2027-01-02T09:15:00'), undefined, C)[0]?.start).toBe(msk('2027-01-09T09:00:00').toISOString());
    expect(bookingCandidates('status', msk('2026-12-30T19:00:00'), undefined, C)[0]?.start).toBe(msk('2026-12-30T19:30:00').toISOString());
  });

  it('uses the configured lead time and horizon', () => {
    const cfg: CentreConfig = { ...C, leadMinutes: 120, horizonDays: 1 };
    const now = msk('2026-11-30T10:00:00');
    const got = bookingCandidates('status', now, undefined, cfg);
    expect(got[0]?.start).toBe(msk('2026-11-30T12:00:00').toISOString());
    expect(got.at(-1)?.end).toBe(msk('2026-12-01T10:00:00').toISOString());
  });
});

describe('retry candidates', () => {
  it('start 15 minutes from now (not the booking lead time)', () => {
    expect(retryCandidates('status', msk('2026-11-30T10:00:00'), C)[0]?.start).toBe(msk('2026-11-30T10:15:00').toISOString());
    expect(retryCandidates('status', msk('2026-11-30T10:03:00'), C)[0]?.start).toBe(msk('2026-11-30T10:30:00').toISOString());
    expect(retryCandidates('status', msk('2026-11-27T19:50:00'), C)[0]?.start).toBe(msk('2026-11-28T09:00:00').toISOString());
  });

  it('start 15 minutes after the retried slot when the call came before it (an early call, or WAIT_SCALE=0)', () => {
    // The CI failure of 2026-11-26: an evening call on a callback booked for 08:00 next day
    // retried into that same 08:00 slot.
    const first = msk('2026-11-27T08:00:00').toISOString();
    expect(retryCandidates('status', msk('2026-11-26T19:29:00'), C, first)[0]?.start).toBe(msk('2026-11-27T08:15:00').toISOString());
    expect(retryCandidates('status', msk('2026-11-30T10:50:00'), C, msk('2026-11-30T11:00:00').toISOString())[0]?.start).toBe(msk('2026-11-30T11:15:00').toISOString());
    // A call after its slot (the usual case) counts from the call.
    expect(retryCandidates('status', msk('2026-11-30T11:03:00'), C, msk('2026-11-30T11:00:00').toISOString())[0]?.start).toBe(msk('2026-11-30T11:30:00').toISOString());
  });

  it('property: a retry slot starts ≥ 15 min after both now and the retried slot, and ends within 7 days of the later', () => {
    fc.assert(
      fc.property(anyNow, fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }), (now, offsetMin) => {
        const attempt = new Date(now.getTime() + offsetMin * MIN).toISOString();
        const got = retryCandidates('tech-support', now, C, attempt);
        const base = Math.max(now.getTime(), t(attempt));
        expect(got.filter((s) => t(s.start) < base + 15 * MIN || t(s.end) > base + 7 * DAY)).toEqual([]);
        // Nothing open in between is skipped (none at all across the New Year closure is right).
        expect(got).toEqual(slotsInRange('tech-support', new Date(base + 15 * MIN), new Date(base + 7 * DAY), C));
      }),
      { numRuns: 200 },
    );
  });

  it('property: every retry slot starts ≥ now + 15 min and ends ≤ now + 7 days', () => {
    fc.assert(
      fc.property(anyNow, (now) => {
        const got = retryCandidates('complaints', now, C);
        expect(got.filter((s) => t(s.start) < now.getTime() + 15 * MIN || t(s.end) > now.getTime() + 7 * DAY)).toEqual([]);
        expect(got).toEqual(slotsInRange('complaints', new Date(now.getTime() + 15 * MIN), new Date(now.getTime() + 7 * DAY), C));
      }),
      { numRuns: 200 },
    );
  });
});

describe('bookable slots (GET /v1/callback-slots items)', () => {
  const now = msk('2026-11-30T10:00:00');

  it('remaining = capacity − booked, never below 0: a full or overbooked slot is listed with 0; the lead time applies', () => {
    const booked = new Map([
      [msk('2026-11-30T10:30:00').toISOString(), 2],
      [msk('2026-11-30T10:45:00').toISOString(), 1],
      [msk('2026-11-30T11:00:00').toISOString(), 5], // overbooked counter: still 0, never negative
    ]);
    const got = bookableSlots('complaints', now, { from: now, to: msk('2026-11-30T11:30:00') }, booked, C);
    expect(got).toEqual([
      { start: msk('2026-11-30T10:30:00').toISOString(), end: msk('2026-11-30T10:45:00').toISOString(), remaining: 0 },
      { start: msk('2026-11-30T10:45:00').toISOString(), end: msk('2026-11-30T11:00:00').toISOString(), remaining: 1 },
      { start: msk('2026-11-30T11:00:00').toISOString(), end: msk('2026-11-30T11:15:00').toISOString(), remaining: 0 },
      { start: msk('2026-11-30T11:15:00').toISOString(), end: msk('2026-11-30T11:30:00').toISOString(), remaining: 2 },
    ]);
  });

  it('a day override changes that day\'s hours and capacity, even on a holiday; other days keep the week', () => {
    const cfg: CentreConfig = {
      ...C,
      holidays: [...C.holidays, '2026-12-01'],
      overrides: { complaints: { '2026-11-30': { capacityPerSlot: 1 }, '2026-12-01': { hours: [{ from: '10:00', to: '10:30' }] }, '2026-12-02': { hours: [] } } },
    };
    const booked = new Map([[msk('2026-11-30T10:45:00').toISOString(), 2]]);
    const monday = bookableSlots('complaints', now, { from: now, to: msk('2026-11-30T11:15:00') }, booked, cfg);
    // capacity 1 that day: the slot holding 2 bookings shows 0 (the bookings stay), the free ones 1
    expect(monday.map((s) => s.remaining)).toEqual([1, 0, 1]);
    const tuesday = bookableSlots('complaints', now, { from: msk('2026-12-01T00:00:00'), to: msk('2026-12-02T00:00:00') }, new Map(), cfg);
    expect(tuesday.map((s) => s.start)).toEqual([msk('2026-12-01T10:00:00').toISOString(), msk('2026-12-01T10:15:00').toISOString()]);
    expect(tuesday.every((s) => s.remaining === 2)).toBe(true);
    expect(bookableSlots('complaints', now, { from: msk('2026-12-02T00:00:00'), to: msk('2026-12-03T00:00:00') }, new Map(), cfg)).toEqual([]);
    // another queue is not touched by the complaints overrides (but is by the holiday)
    expect(bookableSlots('status', now, { from: msk('2026-12-02T00:00:00'), to: msk('2026-12-03T00:00:00') }, new Map(), cfg).length).toBe(48);
    expect(bookableSlots('status', now, { from: msk('2026-12-01T00:00:00'), to: msk('2026-12-02T00:00:00') }, new Map(), cfg)).toEqual([]);
  });

  it('never beyond now + 7 days, whatever range is asked', () => {
    const got = bookableSlots('tech-support', now, { from: now, to: new Date(now.getTime() + 30 * DAY) }, new Map(), C);
    expect(t(got.at(-1)!.end)).toBeLessThanOrEqual(now.getTime() + 7 * DAY);
    expect(got.every((s) => s.remaining === 4)).toBe(true);
  });
});
