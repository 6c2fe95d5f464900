/**
 * Moscow local time, the only local time the support centre knows.
 *
 * Moscow has been on UTC+3 all year round since 26 October 2014 (Federal Law No. 248-FZ of
 * 21 July 2014 ended the "permanent summer time" of UTC+4 and Russia has observed no daylight
 * saving time since). The offset is therefore a constant: converting is plain arithmetic, with no
 * time-zone database, no `Intl` and no dependence on the host's TZ. Every date before 2014-10-26
 * would need a different offset; the centre only schedules from "now" onwards, so it never asks.
 *
 * Local dates are ISO calendar dates 'YYYY-MM-DD'; local times are minutes since local midnight
 * (0..1440). UTC instants are `Date`s or ISO strings with `Z`.
 */
export const MOSCOW_OFFSET_MINUTES = 180;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const OFFSET_MS = MOSCOW_OFFSET_MINUTES * MINUTE_MS;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface MoscowParts {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
  hour: number;
  minute: number;
  second: number;
  isoWeekday: IsoWeekday;
  /** 'YYYY-MM-DD', the Moscow calendar date. */
  date: string;
  /** Minutes since Moscow midnight, 0..1439 (seconds dropped). */
  minuteOfDay: number;
}

function toDate(at: Date | string): Date {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a valid instant: ${String(at)}`);
  return d;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

function isoWeekdayOfUtcDay(utcDay: number): IsoWeekday {
  return (utcDay === 0 ? 7 : utcDay) as IsoWeekday;
}

/** The Moscow wall-clock reading of a UTC instant. */
export function moscowParts(at: Date | string): MoscowParts {
  const shifted = new Date(toDate(at).getTime() + OFFSET_MS);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  const hour = shifted.getUTCHours();
  const minute = shifted.getUTCMinutes();
  return {
    year,
    month,
    day,
    hour,
    minute,
    second: shifted.getUTCSeconds(),
    isoWeekday: isoWeekdayOfUtcDay(shifted.getUTCDay()),
    date: `${pad4(year)}-${pad2(month)}-${pad2(day)}`,
    minuteOfDay: hour * 60 + minute,
  };
}

/** The Moscow calendar date ('YYYY-MM-DD') of an instant: 2026-11-26T22:30:00Z → '2026-11-27'. */
export function moscowDate(at: Date | string): string {
  return moscowParts(at).date;
}

/** 'DD.MM.YYYY HH:MM' in Moscow time, as SMS texts name a time: 2026-11-27T07:15:00Z → '27.11.2026 10:15'. */
export function formatMoscow(at: Date | string): string {
  const p = moscowParts(at);
  return `${pad2(p.day)}.${pad2(p.month)}.${pad4(p.year)} ${pad2(p.hour)}:${pad2(p.minute)}`;
}

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight UTC of a local calendar date, as epoch milliseconds; throws on a date that does not exist. */
function calendarDayMs(localDate: string): number {
  const m = LOCAL_DATE.exec(localDate);
  if (!m) throw new RangeError(`Not a calendar date: ${localDate}`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`Not a calendar date: ${localDate}`);
  }
  return ms;
}

/** The UTC instant of a Moscow wall-clock time: ('2026-11-27', 10 * 60) → 2026-11-27T07:00:00Z. */
export function moscowToUtc(localDate: string, minuteOfDay: number): Date {
  return new Date(calendarDayMs(localDate) + minuteOfDay * MINUTE_MS - OFFSET_MS);
}

/** ISO weekday of a calendar date ('2026-11-29' → 7, Sunday). */
export function isoWeekdayOf(localDate: string): IsoWeekday {
  return isoWeekdayOfUtcDay(new Date(calendarDayMs(localDate)).getUTCDay());
}

/** A calendar date moved by whole days ('2026-12-31', 1 → '2027-01-01'). */
export function addLocalDays(localDate: string, days: number): string {
  return new Date(calendarDayMs(localDate) + days * DAY_MS).toISOString().slice(0, 10);
}

const HH_MM = /^(\d{2}):(\d{2})$/;

/** 'HH:MM' (00:00..24:00) → minutes since midnight; throws on anything else (a config error). */
export function parseClock(hhmm: string): number {
  const m = HH_MM.exec(hhmm);
  if (!m) throw new RangeError(`Not a clock time HH:MM: ${hhmm}`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) throw new RangeError(`Not a clock time HH:MM: ${hhmm}`);
  return h * 60 + min;
}
