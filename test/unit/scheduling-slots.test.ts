import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTING_TABLE } from '#core/routing/routing-table';
import { centreFromEnv } from '#functions/deps';
import { REQUEST_TYPES } from '#core/requests/model';
import { type CentreConfig, DEFAULT_CENTRE_CONFIG, checkCentreConfig, overriddenCentreConfig, queueConfig } from '#core/scheduling/centre-config';
import { moscowParts } from '#core/scheduling/moscow-time';
import { daySlots, isSlotStart, isWorkingDay, nextSlot, slotAt, slotsInRange } from '#core/scheduling/slots';

const C = DEFAULT_CENTRE_CONFIG;
const QUEUES = [...new Set(REQUEST_TYPES.map((t) => ROUTING_TABLE[t].queue))];
const MIN = 60_000;
const DAY = 86_400_000;
const msk = (local: string) => new Date(`${local}+03:00`);

/** Expected Moscow hours, minutes since midnight: weekday → [open, close). */
const HOURS: Record<number, [number, number] | undefined> = {
  1: [480, 1200],
  2: [480, 1200],
  3: [480, 1200],
  4: [480, 1200],
  5: [480, 1200],
  6: [540, 1080],
};

describe('centre config', () => {
  it('has hours for every queue of the routing table and passes its own checks', () => {
    for (const q of QUEUES) expect(queueConfig(q, C).slotMinutes).toBe(15);
    expect(Object.keys(C.queues).sort()).toEqual([...QUEUES].sort());
    expect(checkCentreConfig(C)).toEqual([]);
    expect(C.leadMinutes).toBe(30);
    expect(C.horizonDays).toBe(7);
    expect(C.retryDelayMinutes).toBe(15);
    expect(queueConfig('tech-support', C).capacityPerSlot).toBe(4);
  });

  it('lists the official 2026 and 2027 holidays', () => {
    for (const year of [2026, 2027]) {
      for (const md of ['01-01', '01-02', '01-03', '01-04', '01-05', '01-06', '01-07', '01-08', '02-23', '03-08', '05-01', '05-09', '06-12', '11-04']) {
        expect(C.holidays).toContain(`${year}-${md}`);
      }
    }
    // transfers: decree (2026-01-09, 2026-12-31) and art. 112 of the Labour Code
    for (const d of ['2026-01-09', '2026-03-09', '2026-05-11', '2026-12-31', '2027-05-03', '2027-05-10', '2027-06-14']) {
      expect(C.holidays).toContain(d);
    }
    // an ordinary Saturday next to a holiday is a working day of the centre
    expect(C.holidays).not.toContain('2026-05-02');
  });

  it('an unknown queue is a wiring error', () => {
    expect(() => queueConfig('nope', C)).toThrow(/nope/);
    expect(() => queueConfig('__proto__', C)).toThrow();
  });

  it('checkCentreConfig reports broken configs', () => {
    const bad: CentreConfig = {
      ...C,
      queues: {
        a: { hours: { 1: [{ from: '10:00', to: '09:00' }], 2: [{ from: '8:00', to: '12:00' }] }, slotMinutes: 0, capacityPerSlot: 1.5 },
        b: { hours: { 3: [{ from: '08:00', to: '12:00' }, { from: '11:00', to: '13:00' }] }, slotMinutes: 15, capacityPerSlot: 1 },
      },
      holidays: ['2026-02-30', '2026-13-01', 'x'],
      peakPeriods: [{ weekdays: [1], from: '10:00', to: '10:00' }],
    };
    const problems = checkCentreConfig(bad);
    expect(problems.length).toBeGreaterThanOrEqual(9);
    expect(problems.join('\n')).toMatch(/slotMinutes/);
    expect(problems.join('\n')).toMatch(/capacityPerSlot/);
    expect(problems.join('\n')).toMatch(/is empty/);
    expect(problems.join('\n')).toMatch(/not HH:MM/);
    expect(problems.join('\n')).toMatch(/overlap/);
    expect(problems.join('\n')).toMatch(/2026-02-30/);
    expect(problems.join('\n')).toMatch(/2026-13-01/);
  });
});

describe('CENTRE_CONFIG overrides (overriddenCentreConfig)', () => {
  it('replaces the named top-level fields and keeps the rest', () => {
    const got = overriddenCentreConfig(C, '{"holidays": [], "leadMinutes": 60}');
    expect(got).toEqual({ ...C, holidays: [], leadMinutes: 60 });
    expect(C.holidays.length).toBeGreaterThan(20); // the default itself is untouched
    expect(isWorkingDay('tech-support', '2027-01-04', got)).toBe(true);
    expect(isWorkingDay('tech-support', '2027-01-04', C)).toBe(false);
    expect(overriddenCentreConfig(C, '{}')).toEqual(C);
  });

  it('refuses, naming every problem: not JSON, not an object, unknown fields, wrong kinds', () => {
    expect(() => overriddenCentreConfig(C, '{holidays: []}')).toThrow('CENTRE_CONFIG: not JSON');
    for (const notObject of ['[]', 'null', '"x"', '5']) expect(() => overriddenCentreConfig(C, notObject)).toThrow(/must be a JSON object/);
    expect(() => overriddenCentreConfig(C, '{"holiday": [], "leadMinutes": "30", "queues": [], "horizonDays": null}')).toThrow(
      'CENTRE_CONFIG: unknown field "holiday"; "leadMinutes" must be a number; "queues" must be an object; "horizonDays" must be a number',
    );
  });

  it('refuses what checkCentreConfig refuses, a queue left out, and malformed nested values', () => {
    expect(() => overriddenCentreConfig(C, '{"holidays": ["2026-02-30"], "horizonDays": 0}')).toThrow(/2026-02-30.*horizonDays must be > 0/);
    expect(() => overriddenCentreConfig(C, '{"queues": {"status": {"hours": {}, "slotMinutes": 15, "capacityPerSlot": 2}}}')).toThrow(/queues must keep .*tech-support/);
    const malformed = JSON.stringify({ queues: Object.fromEntries(Object.keys(C.queues).map((q) => [q, 1])) });
    expect(() => overriddenCentreConfig(C, malformed)).toThrow(/malformed/);
  });

  it('the handlers\' centre comes from the environment: unset or empty is the default', () => {
    const saved = process.env.CENTRE_CONFIG;
    try {
      delete process.env.CENTRE_CONFIG;
      expect(centreFromEnv()).toBe(C);
      process.env.CENTRE_CONFIG = '';
      expect(centreFromEnv()).toBe(C);
      process.env.CENTRE_CONFIG = '{"holidays":[]}';
      expect(centreFromEnv().holidays).toEqual([]);
      process.env.CENTRE_CONFIG = '{"holidays":5}';
      expect(() => centreFromEnv()).toThrow('CENTRE_CONFIG: "holidays" must be an array');
      process.env.CENTRE_CONFIG = '{';
      expect(() => centreFromEnv()).toThrow(/CENTRE_CONFIG/);
    } finally {
      if (saved === undefined) delete process.env.CENTRE_CONFIG;
      else process.env.CENTRE_CONFIG = saved;
    }
  });
});

describe('slots of a day', () => {
  it('a weekday: 48 slots of 15 minutes, 08:00–20:00 Moscow time', () => {
    const slots = daySlots('tech-support', '2026-11-30', C); // Monday
    expect(slots).toHaveLength(48);
    expect(slots[0]).toEqual({ start: '2026-11-30T05:00:00.000Z', end: '2026-11-30T05:15:00.000Z' });
    expect(slots.at(-1)).toEqual({ start: '2026-11-30T16:45:00.000Z', end: '2026-11-30T17:00:00.000Z' });
  });

  it('Saturday hours differ: 09:00–18:00, 36 slots', () => {
    const slots = daySlots('services', '2026-11-28', C);
    expect(slots).toHaveLength(36);
    expect(slots[0]?.start).toBe('2026-11-28T06:00:00.000Z');
    expect(slots.at(-1)?.end).toBe('2026-11-28T15:00:00.000Z');
  });

  it('no slots on Sunday or on a public holiday', () => {
    expect(daySlots('services', '2026-11-29', C)).toEqual([]); // Sunday
    expect(daySlots('services', '2026-11-04', C)).toEqual([]); // Wednesday, Unity Day
    expect(daySlots('services', '2027-05-10', C)).toEqual([]); // Monday, moved from 9 May
    expect(daySlots('services', '2026-01-09', C)).toEqual([]); // Friday, moved by decree
    expect(isWorkingDay('services', '2026-11-05', C)).toBe(true);
    expect(isWorkingDay('services', '2026-11-04', C)).toBe(false);
    expect(isWorkingDay('services', '2026-11-29', C)).toBe(false);
  });

  it('a config may open on Sunday, use other slot lengths and split a day', () => {
    const custom: CentreConfig = {
      ...C,
      holidays: [],
      queues: {
        x: {
          hours: { 7: [{ from: '10:00', to: '12:00' }], 1: [{ from: '13:00', to: '14:10' }, { from: '09:00', to: '11:00' }] },
          slotMinutes: 30,
          capacityPerSlot: 1,
        },
      },
    };
    expect(daySlots('x', '2026-11-29', custom).map((s) => s.start)).toEqual(['2026-11-29T07:00:00.000Z', '2026-11-29T07:30:00.000Z', '2026-11-29T08:00:00.000Z', '2026-11-29T08:30:00.000Z']);
    // Monday: ranges sorted, only whole slots (13:00, 13:30; not 14:00–14:30)
    expect(daySlots('x', '2026-11-30', custom).map((s) => moscowParts(s.start).minuteOfDay / 60)).toEqual([9, 9.5, 10, 10.5, 13, 13.5]);
    expect(daySlots('x', '2026-12-01', custom)).toEqual([]);
  });
});

describe('slotsInRange', () => {
  it('a whole ordinary week has 5 × 48 + 36 slots', () => {
    // Monday 2026-11-16 00:00 MSK .. Monday 2026-11-23 00:00 MSK
    expect(slotsInRange('status', msk('2026-11-16T00:00:00'), msk('2026-11-23T00:00:00'), C)).toHaveLength(276);
  });

  it('counts only slots wholly inside [from, to]', () => {
    const slots = slotsInRange('status', msk('2026-11-30T10:05:00'), msk('2026-11-30T11:10:00'), C);
    expect(slots.map((s) => s.start)).toEqual(['2026-11-30T07:15:00.000Z', '2026-11-30T07:30:00.000Z', '2026-11-30T07:45:00.000Z']);
    expect(slotsInRange('status', msk('2026-11-30T10:00:00'), msk('2026-11-30T10:15:00'), C)).toHaveLength(1);
    expect(slotsInRange('status', msk('2026-11-30T10:00:00'), msk('2026-11-30T10:00:00'), C)).toEqual([]);
    expect(slotsInRange('status', msk('2026-11-30T11:00:00'), msk('2026-11-30T10:00:00'), C)).toEqual([]);
  });

  it('property: never outside hours, never on Sunday or a holiday, sorted, aligned, inside [from, to]', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2025-12-20T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.constantFrom(...QUEUES),
        (from, minutes, queue) => {
          const to = new Date(from.getTime() + minutes * MIN);
          const slots = slotsInRange(queue, from, to, C);
          const bad: string[] = [];
          let prevEnd = -Infinity;
          for (const s of slots) {
            const start = Date.parse(s.start);
            const end = Date.parse(s.end);
            const p = moscowParts(s.start);
            const [open, close] = HOURS[p.isoWeekday] ?? [NaN, NaN];
            if (!s.start.endsWith('Z') || !s.end.endsWith('Z')) bad.push(`${s.start}: not UTC`);
            if (end - start !== 15 * MIN) bad.push(`${s.start}: not 15 minutes`);
            if (start < from.getTime() || end > to.getTime()) bad.push(`${s.start}: outside the range`);
            if (start < prevEnd) bad.push(`${s.start}: not sorted or overlapping`);
            if (p.isoWeekday === 7) bad.push(`${s.start}: Sunday`);
            if (C.holidays.includes(p.date)) bad.push(`${s.start}: holiday`);
            if (!(p.minuteOfDay >= open && p.minuteOfDay + 15 <= close)) bad.push(`${s.start}: outside hours`);
            if ((p.minuteOfDay - open) % 15 !== 0 || p.second !== 0) bad.push(`${s.start}: not aligned`);
            prevEnd = end;
          }
          expect(bad).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: complete — every open quarter-hour inside the range is a slot', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-20T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 3 * 24 * 60 }),
        (from, minutes) => {
          const to = new Date(from.getTime() + minutes * MIN);
          const got = new Set(slotsInRange('complaints', from, to, C).map((s) => s.start));
          // brute force: every 15-minute mark of the UTC clock (Moscow is a whole-hour offset)
          const first = Math.ceil(from.getTime() / (15 * MIN)) * 15 * MIN;
          const bad: string[] = [];
          for (let t = first; t + 15 * MIN <= to.getTime(); t += 15 * MIN) {
            const p = moscowParts(new Date(t));
            const h = HOURS[p.isoWeekday];
            const open = h !== undefined && !C.holidays.includes(p.date) && p.minuteOfDay >= h[0] && p.minuteOfDay + 15 <= h[1];
            if (got.has(new Date(t).toISOString()) !== open) bad.push(new Date(t).toISOString());
          }
          expect(bad).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('slot lookups', () => {
  it('slotAt and isSlotStart', () => {
    expect(slotAt('status', msk('2026-11-30T10:07:00'), C)).toEqual({ start: '2026-11-30T07:00:00.000Z', end: '2026-11-30T07:15:00.000Z' });
    expect(slotAt('status', msk('2026-11-30T20:00:00'), C)).toBeUndefined();
    expect(slotAt('status', msk('2026-11-29T12:00:00'), C)).toBeUndefined();
    expect(isSlotStart('status', msk('2026-11-30T10:15:00'), C)).toBe(true);
    expect(isSlotStart('status', msk('2026-11-30T10:16:00'), C)).toBe(false);
    expect(isSlotStart('status', msk('2026-11-30T07:45:00'), C)).toBe(false);
  });

  it('nextSlot skips the night, Sunday and holidays', () => {
    expect(nextSlot('status', msk('2026-11-27T19:50:00'), C)?.start).toBe('2026-11-28T06:00:00.000Z'); // Fri → Sat 09:00
    expect(nextSlot('status', msk('2026-11-28T18:00:00'), C)?.start).toBe('2026-11-30T05:00:00.000Z'); // Sat → Mon 08:00
    expect(nextSlot('status', msk('2026-12-30T20:00:00'), C)?.start).toBe('2027-01-09T06:00:00.000Z'); // → Sat 9 Jan 09:00
    expect(nextSlot('status', msk('2026-11-30T10:00:00'), C)?.start).toBe('2026-11-30T07:00:00.000Z');
    const closed: CentreConfig = { ...C, queues: { x: { hours: {}, slotMinutes: 15, capacityPerSlot: 1 } } };
    expect(nextSlot('x', msk('2026-11-30T10:00:00'), closed)).toBeUndefined();
  });

  it('slots do not depend on the time of day of the query (day walk covers the start date)', () => {
    const a = slotsInRange('status', msk('2026-11-30T00:00:00'), new Date(msk('2026-11-30T00:00:00').getTime() + DAY), C);
    expect(a).toEqual(daySlots('status', '2026-11-30', C));
  });
});
