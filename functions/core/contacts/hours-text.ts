import type { ClockRange, IsoWeekday, QueueConfig } from '../scheduling/centre-config.ts';
import { parseClock } from '../scheduling/moscow-time.ts';

/**
 * The centre's weekly hours as the contacts page prints them, from the calendar itself (so they
 * change when an administrator changes the calendar): 'Пн–Пт 08:00–20:00, Сб 09:00–18:00 (МСК)'.
 * Consecutive weekdays with the same hours share one entry; a day with a break reads
 * '08:00–13:00 и 14:00–20:00'. Holidays and day overrides are dates, not the week, and are left out.
 */
const DAY_NAMES: Record<IsoWeekday, string> = { 1: 'Пн', 2: 'Вт', 3: 'Ср', 4: 'Чт', 5: 'Пт', 6: 'Сб', 7: 'Вс' };
const WEEK: readonly IsoWeekday[] = [1, 2, 3, 4, 5, 6, 7];

function dayText(ranges: readonly ClockRange[]): string {
  return [...ranges]
    .sort((a, b) => parseClock(a.from) - parseClock(b.from))
    .map((r) => `${r.from}–${r.to}`)
    .join(' и ');
}

export function weekHoursText(hours: QueueConfig['hours']): string {
  const runs: { first: IsoWeekday; last: IsoWeekday; text: string }[] = [];
  for (const day of WEEK) {
    const ranges = hours[day] ?? [];
    if (ranges.length === 0) continue;
    const text = dayText(ranges);
    const last = runs.at(-1);
    if (last && last.last === day - 1 && last.text === text) last.last = day;
    else runs.push({ first: day, last: day, text });
  }
  if (runs.length === 0) return 'не работает';
  const days = (r: { first: IsoWeekday; last: IsoWeekday }) => (r.first === r.last ? DAY_NAMES[r.first] : `${DAY_NAMES[r.first]}–${DAY_NAMES[r.last]}`);
  return `${runs.map((r) => `${days(r)} ${r.text}`).join(', ')} (МСК)`;
}

/** The hours of any of several queues' weeks: each weekday's ranges merged where they overlap or touch. */
export function unionOfWeeks(weeks: readonly QueueConfig['hours'][]): QueueConfig['hours'] {
  const union: Partial<Record<IsoWeekday, ClockRange[]>> = {};
  for (const day of WEEK) {
    const ranges = weeks.flatMap((w) => w[day] ?? []).sort((a, b) => parseClock(a.from) - parseClock(b.from));
    const merged: ClockRange[] = [];
    for (const r of ranges) {
      const last = merged.at(-1);
      if (last && parseClock(r.from) <= parseClock(last.to)) {
        if (parseClock(r.to) > parseClock(last.to)) merged[merged.length - 1] = { from: last.from, to: r.to };
      } else merged.push({ ...r });
    }
    if (merged.length > 0) union[day] = merged;
  }
  return union;
}
