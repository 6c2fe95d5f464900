import type { Deps } from '#ports/deps';
import type { CentreConfig } from '../scheduling/centre-config.ts';
import { moscowDate } from '../scheduling/moscow-time.ts';
import { checkedCalendar } from './current.ts';

/**
 * Whether the calendar has run out of holidays (the contract's `CalendarStale`): from 1 December
 * (Moscow date) on, no holiday in the next calendar year; and at any time, no holiday in the
 * current one (1 January came and went without the list being extended). Without this the centre
 * would silently work, and book callbacks, on 1 January.
 */
export function calendarStale(config: CentreConfig, now: Date): boolean {
  const today = moscowDate(now);
  const year = Number(today.slice(0, 4));
  const hasYear = (y: number) => config.holidays.some((h) => h.startsWith(`${y}-`));
  if (!hasYear(year)) return true;
  return today.slice(5) >= '12-01' && !hasYear(year + 1);
}

/**
 * The scheduled function's calendar step: seeds a fresh table (so the cloud's table holds the
 * calendar within one schedule period of the first deployment) and reports `CalendarStale` (1 or
 * 0) on every run, so its alarm has a value each period.
 */
export async function reportCalendarStale(deps: Pick<Deps, 'calendar' | 'clock' | 'metrics'>): Promise<number> {
  const now = deps.clock.now();
  await deps.calendar.seedCalendar(now.toISOString());
  const stale = calendarStale(await checkedCalendar(deps), now) ? 1 : 0;
  deps.metrics.put('CalendarStale', {}, stale);
  return stale;
}
