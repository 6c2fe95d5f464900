import { describe, expect, it } from 'vitest';
import { memoryDeps } from '#adapters/memory/memory-deps';
import { memoryStores } from '#adapters/memory/memory-stores';
import { memoryTable } from '#adapters/memory/memory-table';
import { deleteHoliday, deleteOverride, getCalendar, putHoliday, putOverride, putQueueCalendar } from '#core/calendar/admin-calendar';
import { calendarStale, reportCalendarStale } from '#core/calendar/calendar-stale';
import { CALENDAR_TTL_MS, currentCentre } from '#core/calendar/current';
import { contactsWithLoad, callbackSlots } from '#core/callbacks/slots-view';
import { scheduleCallback } from '#core/callbacks/schedule';
import { weekHoursText } from '#core/contacts/hours-text';
import { NotFoundError, StateConflictError, ValidationError } from '#core/errors';
import { DEFAULT_CENTRE_CONFIG, DEFAULT_HOURS } from '#core/scheduling/centre-config';
import { storedCallbackRequest } from '../support/fixtures.ts';

/**
 * The centre's calendar as data (memory parts, fake clock): the admin changes, the 10 s cache,
 * bookings kept whatever changes, the contacts page's hours, CalendarStale. Monday 30 November 2026.
 */
const msk = (local: string) => new Date(`${local}+03:00`);
const NOW = msk('2026-11-30T10:00:00');
const week = (from: string, to: string) => Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ from, to }]]));

function setup() {
  const deps = memoryDeps();
  deps.clock.set(NOW);
  return deps;
}

type Deps = ReturnType<typeof setup>;
const slotDays = async (deps: Deps) => {
  const view = await callbackSlots(deps, { type: 'technical' });
  return [...new Set(view.items.map((s) => s.start.slice(0, 10)))];
};

async function bookedCallback(deps: Deps, id: string) {
  const at = deps.clock.now().toISOString();
  await deps.requests.createRequest(storedCallbackRequest(id, `N-${id}`, at), { at, event: 'received' }, undefined, at);
  return scheduleCallback(deps, id);
}

describe('the calendar lives in the table', () => {
  it('a fresh table reads as the defaults, and the first admin write seeds all of it', async () => {
    const deps = setup();
    expect(await currentCentre(deps)).toEqual(DEFAULT_CENTRE_CONFIG);
    const view = await getCalendar(deps);
    expect(view.queues.map((q) => q.queue)).toEqual(['tech-support', 'services', 'complaints', 'consultations', 'status']);
    expect(view).toMatchObject({ leadMinutes: 30, horizonDays: 7, overrides: [] });
    expect(deps.table.calendar.value).toBeUndefined();
    await putHoliday(deps, '2026-12-07');
    expect(deps.table.calendar.value?.holidays).toEqual([...DEFAULT_CENTRE_CONFIG.holidays, '2026-12-07'].sort());
    expect(deps.table.calendar.value?.queues).toEqual(DEFAULT_CENTRE_CONFIG.queues);
  });

  it('a holiday for tomorrow leaves the slot list within 10 s (the cache), not before the cache ends', async () => {
    const deps = setup();
    expect(await slotDays(deps)).toContain('2026-12-01');
    await putHoliday(deps, '2026-12-01');
    // The contract's bound is 10 s; the cache is exactly that long (a read per 10 s per instance).
    expect(CALENDAR_TTL_MS).toBe(10_000);
    deps.clock.advance(9_999);
    expect(await slotDays(deps)).toContain('2026-12-01');
    deps.clock.advance(1);
    const days = await slotDays(deps);
    expect(days).not.toContain('2026-12-01');
    expect(days).toContain('2026-12-02');
    await deleteHoliday(deps, '2026-12-01');
    deps.clock.advance(CALENDAR_TTL_MS);
    expect(await slotDays(deps)).toContain('2026-12-01');
  });

  it('an override lowering capacity below the bookings keeps them; the slot shows remaining 0 and takes no more', async () => {
    const deps = setup();
    // 10 s before NOW, so that after the cache's 10 s the booked 10:30 slot is still outside the lead time
    deps.clock.set(new Date(NOW.getTime() - CALENDAR_TTL_MS));
    const first = await bookedCallback(deps, 'r1');
    const second = await bookedCallback(deps, 'r2');
    expect(second.scheduledAt).toBe(first.scheduledAt); // tech-support takes 4 a slot
    await putOverride(deps, 'tech-support', '2026-11-30', { capacityPerSlot: 1 });
    deps.clock.advance(CALENDAR_TTL_MS);
    const slot = (await callbackSlots(deps, { type: 'technical' })).items.find((s) => s.start === first.scheduledAt);
    expect(slot?.remaining).toBe(0);
    expect((await deps.requests.getRequest('r1'))).toMatchObject({ status: 'scheduled', scheduledAt: first.scheduledAt });
    expect((await deps.requests.getRequest('r2'))).toMatchObject({ status: 'scheduled', scheduledAt: first.scheduledAt });
    const third = await bookedCallback(deps, 'r3');
    expect(Date.parse(third.scheduledAt)).toBeGreaterThan(Date.parse(first.scheduledAt));
    expect((await deps.slots.slotCounts('tech-support', ['2026-11-30'])).get(first.scheduledAt)).toBe(2);
    await deleteOverride(deps, 'tech-support', '2026-11-30');
    deps.clock.advance(CALENDAR_TTL_MS);
    expect((await currentCentre(deps)).overrides?.['tech-support']).toEqual({});
  });

  it('slotMinutes cannot change while the queue has bookings ahead (409 calendar_in_use); hours and capacity can', async () => {
    const deps = setup();
    await bookedCallback(deps, 'r1');
    const tech = { hours: DEFAULT_HOURS, slotMinutes: 30, capacityPerSlot: 4 };
    await expect(putQueueCalendar(deps, 'tech-support', tech)).rejects.toMatchObject({ code: 'calendar_in_use' });
    expect((await getCalendar(deps)).queues.find((q) => q.queue === 'tech-support')?.slotMinutes).toBe(15);
    const view = await putQueueCalendar(deps, 'tech-support', { ...tech, slotMinutes: 15, capacityPerSlot: 6 });
    expect(view.queues.find((q) => q.queue === 'tech-support')).toMatchObject({ slotMinutes: 15, capacityPerSlot: 6 });
    // another queue has no bookings: its slot length may change
    const services = await putQueueCalendar(deps, 'services', { hours: week('09:00', '18:00'), slotMinutes: 30, capacityPerSlot: 3 });
    expect(services.queues.find((q) => q.queue === 'services')).toMatchObject({ slotMinutes: 30, hours: week('09:00', '18:00') });
    // once the booking is past, tech-support's may change too
    deps.clock.advanceDays(2);
    await expect(putQueueCalendar(deps, 'tech-support', tech)).resolves.toBeDefined();
  });

  it('refuses bad hours with a 400 per range: overlapping, not HH:MM, ending before they start, shorter than a slot', async () => {
    const deps = setup();
    const bad = {
      hours: {
        1: [{ from: '08:00', to: '13:00' }, { from: '12:00', to: '18:00' }],
        2: [{ from: '8:00', to: '18:00' }],
        3: [{ from: '18:00', to: '08:00' }],
        4: [{ from: '08:00', to: '08:10' }],
      },
      slotMinutes: 15,
      capacityPerSlot: 2,
    };
    const error = await putQueueCalendar(deps, 'status', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).errors).toEqual([
      { path: 'hours.1.1', code: 'hours_invalid', message: 'ranges overlap at 12:00' },
      { path: 'hours.2.0.from', code: 'invalid_format', message: '"8:00" is not HH:MM' },
      { path: 'hours.3.0', code: 'hours_invalid', message: '18:00–08:00 is empty (it ends before it starts)' },
      { path: 'hours.4.0', code: 'hours_invalid', message: '08:00–08:10 is shorter than one slot' },
    ]);
    await expect(putOverride(deps, 'status', '2026-12-01', { hours: [{ from: '10:00', to: '12:00' }, { from: '11:59', to: '13:00' }] })).rejects.toBeInstanceOf(ValidationError);
    await expect(putOverride(deps, 'status', '2026-12-01', {})).rejects.toBeInstanceOf(ValidationError);
    // a refused change writes nothing at all: not even the seed
    expect(deps.table.calendar.value).toBeUndefined();
  });

  it('refuses a slot length the day overrides no longer fit (checked as a whole calendar)', async () => {
    const deps = setup();
    await putOverride(deps, 'status', '2026-12-24', { hours: [{ from: '08:00', to: '08:30' }] });
    await expect(putQueueCalendar(deps, 'status', { hours: DEFAULT_HOURS, slotMinutes: 60, capacityPerSlot: 2 })).rejects.toMatchObject({
      errors: [{ path: 'hours', code: 'calendar_invalid', message: 'override status/2026-12-24: 08:00–08:30 is shorter than one slot' }],
    });
  });

  it('unknown queues and missing items are 404; dates must be real', async () => {
    const deps = setup();
    await expect(putQueueCalendar(deps, 'nope', { hours: {}, slotMinutes: 15, capacityPerSlot: 1 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(putOverride(deps, '__proto__', '2026-12-01', { capacityPerSlot: 1 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteHoliday(deps, '2026-12-02')).rejects.toBeInstanceOf(NotFoundError);
    await expect(deleteOverride(deps, 'status', '2026-12-02')).rejects.toBeInstanceOf(NotFoundError);
    for (const date of ['2026-02-30', '2026-13-01', '1999-12-31', '2100-01-01']) {
      await expect(putHoliday(deps, date)).rejects.toMatchObject({ errors: [{ path: 'date', code: 'invalid_value' }] });
    }
  });

  it('a calendar broken in the table (written past the routes) fails loudly instead of booking into it', async () => {
    const table = memoryTable();
    const deps = memoryDeps(memoryStores(table));
    await deps.calendar.seedCalendar(NOW.toISOString());
    const stored = table.calendar.value;
    if (!stored) throw new Error('not seeded');
    stored.queues = { ...stored.queues, status: { hours: { 1: [{ from: '09:00', to: '08:00' }] }, slotMinutes: 15, capacityPerSlot: 2 } };
    await expect(currentCentre(deps)).rejects.toThrow(/stored calendar is invalid/);
    expect(StateConflictError).toBeDefined();
  });
});

describe('one source of truth for the centre’s hours', () => {
  it('prints the week from the calendar', () => {
    expect(weekHoursText(DEFAULT_HOURS)).toBe('Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)');
    expect(weekHoursText({ 1: [{ from: '14:00', to: '20:00' }, { from: '08:00', to: '13:00' }], 3: [{ from: '08:00', to: '20:00' }] })).toBe(
      'Пн 08:00–13:00 и 14:00–20:00, Ср 08:00–20:00 (МСК)',
    );
    expect(weekHoursText({})).toBe('не работает');
  });

  it('the contacts page changes with the calendar: channels are the union of the queues, each line its queue', async () => {
    const deps = setup();
    const before = await contactsWithLoad(deps);
    expect(before.channels.find((c) => c.channel === 'phone')?.hours).toBe('Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)');
    expect(before.lines.every((l) => l.hours === 'Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)')).toBe(true);
    await putQueueCalendar(deps, 'complaints', { hours: { ...week('09:00', '17:00'), 7: [{ from: '10:00', to: '14:00' }] }, slotMinutes: 15, capacityPerSlot: 2 });
    deps.clock.advance(CALENDAR_TTL_MS);
    const after = await contactsWithLoad(deps);
    expect(after.lines.find((l) => l.type === 'complaint')?.hours).toBe('Пн–Пт 09:00–17:00, Вс 10:00–14:00 (МСК)');
    expect(after.lines.find((l) => l.type === 'technical')?.hours).toBe('Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)');
    expect(after.channels.find((c) => c.channel === 'callback')?.hours).toBe('Пн–Пт 08:00–20:00, Сб 09:00–18:00, Вс 10:00–14:00 (МСК)');
  });
});

describe('CalendarStale', () => {
  const withHolidays = (holidays: string[]) => ({ ...DEFAULT_CENTRE_CONFIG, holidays });
  it('is 1 from 1 December (Moscow) without holidays of next year, and whenever this year has none', () => {
    const upTo2027 = withHolidays(['2026-01-01', '2027-01-01']);
    expect(calendarStale(upTo2027, msk('2026-12-01T00:00:00'))).toBe(false);
    expect(calendarStale(upTo2027, msk('2027-11-30T23:59:00'))).toBe(false);
    // 21:00 UTC on 30 November is already 1 December in Moscow
    expect(calendarStale(upTo2027, new Date('2027-11-30T21:00:00Z'))).toBe(true);
    expect(calendarStale(upTo2027, msk('2027-12-31T12:00:00'))).toBe(true);
    expect(calendarStale(upTo2027, msk('2028-01-01T09:00:00'))).toBe(true);
    expect(calendarStale(withHolidays([...upTo2027.holidays, '2028-01-01']), msk('2027-12-01T09:00:00'))).toBe(false);
    expect(calendarStale(DEFAULT_CENTRE_CONFIG, msk('2026-12-01T09:00:00'))).toBe(false);
    expect(calendarStale(DEFAULT_CENTRE_CONFIG, msk('2027-12-01T09:00:00'))).toBe(true);
  });

  it('the scheduled step seeds the table, then reports 0 or 1 each run; a holiday of next year clears it', async () => {
    const deps = setup();
    deps.clock.set(msk('2027-12-01T09:00:00'));
    expect(await reportCalendarStale(deps)).toBe(1);
    expect(deps.table.calendar.value).toBeDefined();
    await putHoliday(deps, '2028-01-01');
    expect(await reportCalendarStale(deps)).toBe(0);
    expect(deps.metrics.recorded.filter((m) => m.name === 'CalendarStale').map((m) => m.value)).toEqual([1, 0]);
  });
});
