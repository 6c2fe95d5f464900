import type { Deps } from '#ports/deps';
import { type CentreConfig, checkCentreConfig } from '../scheduling/centre-config.ts';
import { shortCache } from '../short-cache.ts';

/**
 * How stale the calendar a booking, a retry, a slot list or a live estimate reads may be: each
 * instance keeps what it read for at most this long (by the clock port), so an administrator's
 * change is seen everywhere within 10 s, and a burst of bookings reads the table once per 10 s.
 */
export const CALENDAR_TTL_MS = 10_000;

const readers = new WeakMap<object, () => Promise<CentreConfig>>();

/**
 * The calendar as stored, checked as strictly as checkCentreConfig checks any calendar: a table
 * that holds a broken one (written past the admin routes) fails loudly here rather than booking
 * callbacks into nonsense.
 */
export async function checkedCalendar(deps: Pick<Deps, 'calendar'>): Promise<CentreConfig> {
  const config = await deps.calendar.readCalendar();
  const problems = checkCentreConfig(config);
  if (problems.length > 0) throw new Error(`the stored calendar is invalid: ${problems.join('; ')}`);
  return config;
}

/** The centre's calendar, at most CALENDAR_TTL_MS old on this instance (one cache per calendar part). */
export function currentCentre(deps: Pick<Deps, 'calendar' | 'clock'>): Promise<CentreConfig> {
  let read = readers.get(deps.calendar);
  if (!read) {
    const { calendar, clock } = deps;
    read = shortCache(CALENDAR_TTL_MS, () => clock.now().getTime(), () => checkedCalendar({ calendar }));
    readers.set(calendar, read);
  }
  return read();
}
