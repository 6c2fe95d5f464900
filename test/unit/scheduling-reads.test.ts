import { describe, expect, it } from 'vitest';
import { memoryDeps } from '#adapters/memory/memory-deps';
import { scheduleCallback } from '#core/callbacks/schedule';
import { moscowDate } from '#core/scheduling/moscow-time';
import type { SlotStore } from '#ports/stores/slots';
import { storedCallbackRequest } from '../support/fixtures.ts';

/**
 * How a booking reads the booked counts (each day a DynamoDB query): the first candidate day
 * alone, the other days only when the bookings reach them, and never a slot tried before its
 * day's count was read. Wednesday 2 December 2026, 13:00 Moscow; queue tech-support.
 */
const msk = (local: string) => new Date(`${local}+03:00`);
const FIRST_DAY = '2026-12-02';

async function callbackAt13(options: { countsOfFirstDay?: 'full'; firstDayLostToRaces?: boolean } = {}) {
  const deps = memoryDeps();
  deps.clock.set(msk('2026-12-02T13:00:00'));
  const at = deps.clock.now().toISOString();
  await deps.requests.createRequest(storedCallbackRequest('req-1', '20261202-000001', at), { at, event: 'received' }, undefined, at);
  const log: string[] = [];
  const store = deps.slots;
  const slotCounts: SlotStore['slotCounts'] = async (queue, days) => {
    log.push(`read ${days.join(',')}`);
    const counts = await store.slotCounts(queue, days);
    if (options.countsOfFirstDay === 'full') {
      return new (class extends Map<string, number> {
        override get(start: string) {
          return moscowDate(start) === FIRST_DAY ? 4 : super.get(start);
        }
      })(counts);
    }
    return counts;
  };
  const bookSlot: SlotStore['bookSlot'] = async (...args) => {
    const slot = args[2];
    log.push(`book ${slot.start}`);
    if (options.firstDayLostToRaces && slot.day === FIRST_DAY) return 'full';
    return store.bookSlot(...args);
  };
  const spied = { ...deps, slots: Object.assign(Object.create(store) as SlotStore, { slotCounts, bookSlot }) };
  return { booking: await scheduleCallback(spied, 'req-1'), log };
}

describe('booking reads the counts of the days it reaches', () => {
  it('a first day with a free place: one read, of that day only', async () => {
    const { booking, log } = await callbackAt13();
    expect(booking.scheduledAt).toBe(msk('2026-12-02T13:30:00').toISOString());
    expect(log).toEqual([`read ${FIRST_DAY}`, `book ${booking.scheduledAt}`]);
  });

  it('a full first day: the other days in one more read, then the next day’s first slot', async () => {
    const { booking, log } = await callbackAt13({ countsOfFirstDay: 'full' });
    expect(booking.scheduledAt).toBe(msk('2026-12-03T08:00:00').toISOString());
    expect(log).toHaveLength(3);
    expect(log[0]).toBe(`read ${FIRST_DAY}`);
    expect(log[1]).toMatch(/^read 2026-12-03,2026-12-04,/);
    expect(log[1]).not.toContain(FIRST_DAY);
    expect(log[2]).toBe(`book ${booking.scheduledAt}`);
  });

  it('a first day lost to races: every slot of it tried, then the other days read before any of theirs is tried', async () => {
    const { booking, log } = await callbackAt13({ firstDayLostToRaces: true });
    expect(booking.scheduledAt).toBe(msk('2026-12-03T08:00:00').toISOString());
    const reads = log.flatMap((line, i) => (line.startsWith('read') ? [i] : []));
    expect(reads).toHaveLength(2);
    const triedFirstDay = log.slice(1, reads[1]);
    expect(triedFirstDay.length).toBeGreaterThan(20);
    expect(triedFirstDay.every((line) => line.startsWith('book 2026-12-02'))).toBe(true);
    expect(log.slice((reads[1] as number) + 1)).toEqual([`book ${booking.scheduledAt}`]);
  });
});
