import { MOSCOW_ZONE, type RussianTimeZone } from '../regions/regions.ts';
import type { MoscowParts } from './moscow-time.ts';

/**
 * The citizen's wall clock. Unlike the centre's Moscow time (moscow-time.ts: a constant UTC+3),
 * a citizen's zone is read from the platform's time-zone data (`Intl.DateTimeFormat` with
 * `timeZone`), never from a hand-written offset: the tz database carries each zone's history
 * (Russia moved most of its zones in 2011, 2014 and 2016) and will carry the next change with a
 * Node (ICU) update, with no change here.
 *
 * The citizen's local calling hours: 08:00–21:00 in their zone (CALLING_HOURS). A slot is inside
 * them when it starts at or after 08:00 and ends by 21:00 on the same local day.
 */
export const CALLING_HOURS = { from: 8 * 60, to: 21 * 60 } as const;

const MINUTE_MS = 60_000;

/** Formatters are costly to build (ICU), cheap to reuse: one per zone for the life of the process. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The same reading as moscowParts gives for Moscow, in any zone of Russia (no weekday: nothing asks). */
export type ZoneParts = Omit<MoscowParts, 'isoWeekday'>;

const pad2 = (n: number): string => String(n).padStart(2, '0');
const pad4 = (n: number): string => String(n).padStart(4, '0');

/** The wall-clock reading of an instant in a zone. */
export function zoneParts(at: Date | string, zone: RussianTimeZone): ZoneParts {
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a valid instant: ${String(at)}`);
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(d)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const { year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0 } = parts;
  return { year, month, day, hour, minute, second, minuteOfDay: hour * 60 + minute, date: `${pad4(year)}-${pad2(month)}-${pad2(day)}` };
}

/** The zone's offset from UTC at that instant, in minutes (Asia/Vladivostok: 600). */
export function zoneOffsetMinutes(at: Date | string, zone: RussianTimeZone): number {
  const d = typeof at === 'string' ? new Date(at) : at;
  const p = zoneParts(d, zone);
  const wall = new Date(0);
  wall.setUTCFullYear(p.year, p.month - 1, p.day);
  wall.setUTCHours(p.hour, p.minute, p.second, 0);
  const exact = Math.floor(d.getTime() / 1000) * 1000;
  return Math.round((wall.getTime() - exact) / MINUTE_MS);
}

/**
 * The zone's offset from Moscow time as Russians write it: '' for Moscow time, '+7', '−1'.
 * The minus is U+2212 (MINUS SIGN), the typographic minus of Russian texts: a Cyrillic SMS is
 * UCS-2 anyway, so it costs no extra characters. Offsets that are not whole hours (none in
 * Russia today) would read '+5:30'.
 */
export function mskOffsetLabel(at: Date | string, zone: RussianTimeZone): string {
  const diff = zoneOffsetMinutes(at, zone) - zoneOffsetMinutes(at, MOSCOW_ZONE);
  if (diff === 0) return '';
  const sign = diff > 0 ? '+' : '\u2212';
  const abs = Math.abs(diff);
  return `${sign}${Math.floor(abs / 60)}${abs % 60 === 0 ? '' : `:${pad2(abs % 60)}`}`;
}

/** 'dd.mm.yyyy HH:MM (МСК+N)' in the citizen's zone: how every SMS and timeline text names a time. */
export function formatCitizenTime(at: Date | string, zone: RussianTimeZone): string {
  const p = zoneParts(at, zone);
  return `${pad2(p.day)}.${pad2(p.month)}.${pad4(p.year)} ${pad2(p.hour)}:${pad2(p.minute)} (МСК${mskOffsetLabel(at, zone)})`;
}

/** ISO 8601 with the zone's offset: 2026-12-03T00:00:00Z in Asia/Vladivostok → '2026-12-03T10:00:00+10:00'. */
export function localIso(at: Date | string, zone: RussianTimeZone): string {
  const p = zoneParts(at, zone);
  const off = zoneOffsetMinutes(at, zone);
  const abs = Math.abs(off);
  const offset = `${off < 0 ? '-' : '+'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  return `${pad4(p.year)}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}${offset}`;
}

/** Does the span [start, end) lie inside the citizen's calling hours (08:00–21:00 local, one local day)? */
export function inCallingHours(span: { start: string; end: string }, zone: RussianTimeZone): boolean {
  const start = zoneParts(span.start, zone);
  if (start.minuteOfDay < CALLING_HOURS.from) return false;
  const minutes = (Date.parse(span.end) - Date.parse(span.start)) / MINUTE_MS;
  return start.minuteOfDay + minutes <= CALLING_HOURS.to;
}
