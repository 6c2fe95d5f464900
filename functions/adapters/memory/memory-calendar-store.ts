import { type CentreConfig, DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import type { CalendarStore } from '#ports/stores/calendar';
import { type MemoryTable, copy } from './memory-table.ts';

/** The centre's calendar as dynamoCalendarStore keeps it: the seed until seeded, then what is stored. */
export function memoryCalendarStore(t: MemoryTable, seed: CentreConfig = DEFAULT_CENTRE_CONFIG): CalendarStore {
  /** The stored calendar, once seeded. */
  const stored = () => t.calendar.value;
  const mutable = () => {
    const c = stored();
    if (!c) throw new Error('the calendar is not seeded (the use-cases seed it before writing)');
    return c;
  };
  return {
    async readCalendar() {
      return copy(stored() ?? seed);
    },

    async seedCalendar() {
      if (stored()) return false;
      t.calendar.value = { ...copy(seed), overrides: copy(seed.overrides ?? {}) };
      return true;
    },

    async putQueueCalendar(queue, config, _at, expectSlotMinutes) {
      const c = mutable();
      if (c.queues[queue]?.slotMinutes !== expectSlotMinutes) return false;
      c.queues = { ...c.queues, [queue]: copy(config) };
      return true;
    },

    async putHoliday(date) {
      const c = mutable();
      if (!c.holidays.includes(date)) c.holidays = [...c.holidays, date].sort();
    },

    async deleteHoliday(date) {
      const c = mutable();
      if (!c.holidays.includes(date)) return false;
      c.holidays = c.holidays.filter((d) => d !== date);
      return true;
    },

    async putOverride(queue, date, override) {
      const c = mutable();
      c.overrides = { ...c.overrides, [queue]: { ...(c.overrides?.[queue] ?? {}), [date]: copy(override) } };
    },

    async deleteOverride(queue, date) {
      const c = mutable();
      const days = c.overrides?.[queue];
      if (!days || !Object.hasOwn(days, date)) return false;
      const { [date]: _gone, ...rest } = days;
      c.overrides = { ...c.overrides, [queue]: rest };
      return true;
    },
  };
}
