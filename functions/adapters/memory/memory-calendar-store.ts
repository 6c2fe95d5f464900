import type { CalendarStore } from '#ports/stores/calendar';
import type { MemoryTable } from './memory-table.ts';

/** The centre's calendar (issue 14's second half fills this part). */
export function memoryCalendarStore(_t: MemoryTable): CalendarStore {
  return {};
}
