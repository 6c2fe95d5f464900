import { describe, expect, it } from 'vitest';
import { memoryStores } from '#adapters/memory/memory-stores';
import { memoryTable } from '#adapters/memory/memory-table';
import { checkedCalendar } from '#core/calendar/current';
import { type CentreConfig, DEFAULT_CENTRE_CONFIG, DEFAULT_HOURS } from '#core/scheduling/centre-config';
import type { CalendarStore } from '#ports/stores/calendar';
import { freshTable } from '../support/integration.ts';

/**
 * The calendar part on DynamoDB Local, and the memory part held to the same behaviour: the seed
 * until seeded, seeded once however many seed at once, every item back as written.
 */
const AT = '2026-11-30T07:00:00.000Z';
const SEED: CentreConfig = { ...DEFAULT_CENTRE_CONFIG, overrides: { status: { '2026-12-31': { hours: [{ from: '08:00', to: '16:00' }] } } } };

const parts: [string, () => Promise<CalendarStore>][] = [
  ['DynamoDB', async () => (await freshTable(SEED)).store.calendar],
  ['memory', async () => memoryStores(memoryTable(), SEED).calendar],
];

describe.each(parts)('%s calendar part', (_name, make) => {
  it('reads as the seed until seeded; 20 seeders at once store it once', async () => {
    const calendar = await make();
    expect(await calendar.readCalendar()).toEqual(SEED);
    const seeded = await Promise.all(Array.from({ length: 20 }, () => calendar.seedCalendar(AT)));
    expect(seeded.filter(Boolean)).toHaveLength(1);
    expect(await calendar.readCalendar()).toEqual({ ...SEED, holidays: [...SEED.holidays].sort() });
    expect(await calendar.seedCalendar(AT)).toBe(false);
  });

  it('keeps each change, and nothing else, as checkCentreConfig accepts it', async () => {
    const calendar = await make();
    await calendar.seedCalendar(AT);
    await calendar.putHoliday('2028-01-03', AT);
    await calendar.putHoliday('2028-01-03', AT);
    expect(await calendar.deleteHoliday('2026-01-01')).toBe(true);
    expect(await calendar.deleteHoliday('2026-01-01')).toBe(false);
    await calendar.putOverride('tech-support', '2026-12-01', { capacityPerSlot: 1 }, AT);
    await calendar.putOverride('tech-support', '2026-12-02', { hours: [] }, AT);
    expect(await calendar.deleteOverride('status', '2026-12-31')).toBe(true);
    expect(await calendar.deleteOverride('status', '2026-12-31')).toBe(false);
    const week = { 1: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:00' }] };
    expect(await calendar.putQueueCalendar('complaints', { hours: week, slotMinutes: 30, capacityPerSlot: 5 }, AT, 15)).toBe(true);
    // written against a slot length read before this change: refused, nothing written
    expect(await calendar.putQueueCalendar('complaints', { hours: DEFAULT_HOURS, slotMinutes: 20, capacityPerSlot: 1 }, AT, 15)).toBe(false);
    const got = await checkedCalendar({ calendar });
    expect(got.holidays).toContain('2028-01-03');
    expect(got.holidays).not.toContain('2026-01-01');
    expect(got.holidays.filter((h) => h === '2028-01-03')).toHaveLength(1);
    expect(got.overrides?.['tech-support']).toEqual({ '2026-12-01': { capacityPerSlot: 1 }, '2026-12-02': { hours: [] } });
    expect(Object.keys(got.overrides?.status ?? {})).toEqual([]);
    expect(got.queues.complaints).toEqual({ hours: week, slotMinutes: 30, capacityPerSlot: 5 });
    expect(got.queues.status).toEqual(SEED.queues.status);
    expect({ lead: got.leadMinutes, horizon: got.horizonDays, retry: got.retryDelayMinutes, peaks: got.peakPeriods }).toEqual({
      lead: SEED.leadMinutes,
      horizon: SEED.horizonDays,
      retry: SEED.retryDelayMinutes,
      peaks: SEED.peakPeriods,
    });
  });
});
