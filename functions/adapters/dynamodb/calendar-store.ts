import type { CalendarStore } from '#ports/stores/calendar';
import type { Table } from './table-client.ts';

/** The centre's calendar items (issue 14's second half fills this part). */
export function dynamoCalendarStore(_table: Table): CalendarStore {
  return {};
}
