import type { IsoWeekday } from './moscow-time.ts';
import { parseClock } from './moscow-time.ts';

/**
 * The support centre's calendar: opening hours per queue, slot length and capacity, booking lead
 * time and horizon, public holidays, day overrides and peak periods. Every scheduling function
 * takes a `CentreConfig` argument; the use-cases read it from the table through
 * core/calendar/current.ts (10 s cache). `DEFAULT_CENTRE_CONFIG` is what a fresh table is seeded
 * with (its fields replaced by the environment's CENTRE_CONFIG in tests and local runs:
 * `overriddenCentreConfig`); `hoursProblems` and `checkCentreConfig` are the rules every calendar,
 * stored or changed, obeys.
 *
 * All clock times are Moscow local time ('HH:MM', see moscow-time.ts) and intervals are
 * half-open: { from: '08:00', to: '20:00' } means 08:00 ≤ t < 20:00, so the last 15-minute
 * slot of that day is 19:45–20:00.
 */
export type { IsoWeekday } from './moscow-time.ts';

/** A half-open span of Moscow wall-clock time within one day, 'HH:MM'..'HH:MM' ('24:00' allowed as an end). */
export interface ClockRange {
  from: string;
  to: string;
}

export interface QueueConfig {
  /**
   * Opening hours per ISO weekday (1 = Monday … 7 = Sunday). A weekday that is missing or has an
   * empty list is closed. Several ranges per day are allowed (e.g. a lunch break); they must not
   * overlap. Slots are laid out from each range's `from` and only whole slots are offered.
   */
  hours: Partial<Record<IsoWeekday, readonly ClockRange[]>>;
  /** Length of one callback slot, minutes. */
  slotMinutes: number;
  /** How many callbacks one slot of this queue can take (operators working the queue in parallel). */
  capacityPerSlot: number;
}

/**
 * One queue's day that differs from its week (a short day before a holiday, extra staff): `hours`
 * replace that weekday's hours (an empty list closes the queue that day, and hours open it even on
 * a holiday: the more specific rule wins); `capacityPerSlot` replaces the queue's for that day.
 */
export interface DayOverride {
  hours?: readonly ClockRange[];
  capacityPerSlot?: number;
}

/** A busy period in which citizens are advised not to call (and not offered a recommended window). */
export interface PeakPeriod {
  /** Which ISO weekdays it applies to. */
  weekdays: readonly IsoWeekday[];
  from: string;
  to: string;
}

export interface CentreConfig {
  /** Keyed by queue name: the `queue` values of ROUTING_TABLE. */
  queues: Readonly<Record<string, QueueConfig>>;
  /** No booking starts sooner than now + lead (minutes): time for the SMS and for the operator to prepare. */
  leadMinutes: number;
  /** No slot ends later than now + horizon (days); also the longest range GET /v1/callback-slots accepts. */
  horizonDays: number;
  /** A retry after an unanswered call is booked no sooner than now + this (minutes). */
  retryDelayMinutes: number;
  /**
   * Moscow calendar dates ('YYYY-MM-DD') on which the centre is closed whatever the weekday.
   * The list is the official Russian non-working holidays plus the days off they were moved to.
   */
  holidays: readonly string[];
  /** Per queue, per Moscow date ('YYYY-MM-DD'): the days that differ from the queue's week. */
  overrides?: Readonly<Record<string, Readonly<Record<string, DayOverride>>>>;
  /** When the phone lines are busiest (used for `peakNow` and to keep recommended windows out of them). */
  peakPeriods: readonly PeakPeriod[];
  /** At most this many recommended windows per queue in GET /v1/contacts. */
  maxRecommendedWindows: number;
}

const WEEKDAYS: readonly IsoWeekday[] = [1, 2, 3, 4, 5];

/** Mon–Fri 08:00–20:00 and Sat 09:00–18:00 (Moscow); closed on Sunday. */
export const DEFAULT_HOURS: QueueConfig['hours'] = {
  1: [{ from: '08:00', to: '20:00' }],
  2: [{ from: '08:00', to: '20:00' }],
  3: [{ from: '08:00', to: '20:00' }],
  4: [{ from: '08:00', to: '20:00' }],
  5: [{ from: '08:00', to: '20:00' }],
  6: [{ from: '09:00', to: '18:00' }],
};

/**
 * Official non-working holidays of the Russian Federation (Labour Code, art. 112): 1–8 January,
 * 23 February, 8 March, 1 May, 9 May, 12 June, 4 November; plus the days off they move to.
 *
 * 2026: Government decree of 24 September 2025 moved 3 January (Sat) to 9 January and 4 January
 *   (Sun) to 31 December; by art. 112 itself 8 March (Sun) moves to Monday 9 March and 9 May (Sat)
 *   to Monday 11 May.
 * 2027: no transfer decree was known when this list was written, so only the transfers art. 112
 *   makes by itself (a holiday on a Saturday or Sunday, other than 1–8 January, moves to the next
 *   working day): 1 May (Sat) → 3 May, 9 May (Sun) → 10 May, 12 June (Sat) → 14 June.
 *   Add the decree's days (for 2 and 3 January) once it is published.
 *
 * Ordinary Saturdays next to a holiday are not listed: the centre works on Saturdays.
 */
export const RUSSIAN_HOLIDAYS_2026_2027: readonly string[] = [
  // 2026
  '2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08',
  '2026-01-09', // transferred from Sat 3 January (decree)
  '2026-02-23',
  '2026-03-08',
  '2026-03-09', // 8 March falls on a Sunday (art. 112)
  '2026-05-01',
  '2026-05-09',
  '2026-05-11', // 9 May falls on a Saturday (art. 112)
  '2026-06-12',
  '2026-11-04',
  '2026-12-31', // transferred from Sun 4 January (decree)
  // 2027
  '2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
  '2027-02-23',
  '2027-03-08',
  '2027-05-01',
  '2027-05-03', // 1 May falls on a Saturday (art. 112)
  '2027-05-09',
  '2027-05-10', // 9 May falls on a Sunday (art. 112)
  '2027-06-12',
  '2027-06-14', // 12 June falls on a Saturday (art. 112)
  '2027-11-04',
];

/**
 * Peaks: weekday mornings 08:00–10:00 (people call before work, right at opening) and weekday
 * evenings 17:00–20:00 (after work, until closing). Saturdays have no peak: the load is spread
 * over a shorter day. Half-open: 10:00 itself is no longer the morning peak.
 */
export const DEFAULT_PEAK_PERIODS: readonly PeakPeriod[] = [
  { weekdays: WEEKDAYS, from: '08:00', to: '10:00' },
  { weekdays: WEEKDAYS, from: '17:00', to: '20:00' },
];

function queue(capacityPerSlot: number): QueueConfig {
  return { hours: DEFAULT_HOURS, slotMinutes: 15, capacityPerSlot };
}

export const DEFAULT_CENTRE_CONFIG: CentreConfig = {
  queues: {
    'tech-support': queue(4),
    services: queue(3),
    complaints: queue(2),
    consultations: queue(3),
    status: queue(2),
  },
  leadMinutes: 30,
  horizonDays: 7,
  retryDelayMinutes: 15,
  holidays: RUSSIAN_HOLIDAYS_2026_2027,
  peakPeriods: DEFAULT_PEAK_PERIODS,
  maxRecommendedWindows: 3,
};

/** The config of one queue; an unknown queue is a wiring bug, not user input, so it throws. */
export function queueConfig(queueName: string, config: CentreConfig): QueueConfig {
  const q = Object.hasOwn(config.queues, queueName) ? config.queues[queueName] : undefined;
  if (!q) throw new Error(`No centre hours configured for queue "${queueName}"`);
  return q;
}

/** A real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(text: string): boolean {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(text);
}

/** A problem of one day's hours: which range (`index`, in the order given) and which part. */
export interface HoursProblem {
  index: number;
  field: 'from' | 'to' | 'range';
  message: string;
}

/**
 * The rules of one day's opening hours, the same for a queue's week, a day's override and the
 * admin routes: each clock is 'HH:MM' ('24:00' as an end), each range ends after it starts and
 * holds at least one slot, and no two ranges overlap (touching is fine: 13:00–14:00, 14:00–15:00).
 */
export function hoursProblems(ranges: readonly ClockRange[], slotMinutes: number): HoursProblem[] {
  const problems: HoursProblem[] = [];
  const clock = (index: number, field: 'from' | 'to', s: string): number | undefined => {
    try {
      return parseClock(s);
    } catch {
      problems.push({ index, field, message: `"${s}" is not HH:MM` });
      return undefined;
    }
  };
  const parsed = ranges
    .map((r, index) => ({ r, index, from: clock(index, 'from', r.from), to: clock(index, 'to', r.to) }))
    .filter((p): p is { r: ClockRange; index: number; from: number; to: number } => p.from !== undefined && p.to !== undefined)
    .sort((a, b) => a.from - b.from);
  parsed.forEach((p, i) => {
    if (p.from >= p.to) problems.push({ index: p.index, field: 'range', message: `${p.r.from}–${p.r.to} is empty (it ends before it starts)` });
    const prev = parsed[i - 1];
    if (prev && prev.to > p.from) problems.push({ index: p.index, field: 'range', message: `ranges overlap at ${p.r.from}` });
    if (slotMinutes > 0 && p.to > p.from && p.to - p.from < slotMinutes) problems.push({ index: p.index, field: 'range', message: `${p.r.from}–${p.r.to} is shorter than one slot` });
  });
  return problems;
}

/**
 * Sanity checks for a config (run by the unit tests on the default one, and worth running at
 * start-up on any other, and by the calendar's reader on what the table holds): clock strings parse,
 * ranges are non-empty and do not overlap, lengths and capacities are positive integers, holidays
 * and overrides are of real dates and known queues. Returns the problems found.
 */
export function checkCentreConfig(config: CentreConfig): string[] {
  const problems: string[] = [];
  const positiveInt = (n: number) => Number.isInteger(n) && n > 0;
  const clock = (where: string, s: string): number | undefined => {
    try {
      return parseClock(s);
    } catch {
      problems.push(`${where}: "${s}" is not HH:MM`);
      return undefined;
    }
  };
  for (const [name, q] of Object.entries(config.queues)) {
    if (!positiveInt(q.slotMinutes)) problems.push(`${name}: slotMinutes must be a positive integer`);
    if (!positiveInt(q.capacityPerSlot)) problems.push(`${name}: capacityPerSlot must be a positive integer`);
    for (const [day, ranges] of Object.entries(q.hours)) {
      if (!/^[1-7]$/.test(day)) problems.push(`${name}: weekday ${day} is not 1..7`);
      for (const p of hoursProblems(ranges ?? [], q.slotMinutes)) problems.push(`${name}/${day}: ${p.message}`);
    }
  }
  for (const [name, days] of Object.entries(config.overrides ?? {})) {
    const q = Object.hasOwn(config.queues, name) ? config.queues[name] : undefined;
    if (!q) problems.push(`override of unknown queue "${name}"`);
    for (const [date, o] of Object.entries(days)) {
      if (!isCalendarDate(date)) problems.push(`override ${name}/${date}: "${date}" is not a calendar date`);
      if (o.capacityPerSlot !== undefined && !positiveInt(o.capacityPerSlot)) problems.push(`override ${name}/${date}: capacityPerSlot must be a positive integer`);
      if (o.hours === undefined && o.capacityPerSlot === undefined) problems.push(`override ${name}/${date}: changes nothing`);
      for (const p of hoursProblems(o.hours ?? [], q?.slotMinutes ?? 0)) problems.push(`override ${name}/${date}: ${p.message}`);
    }
  }
  for (const p of config.peakPeriods) {
    const from = clock('peak', p.from);
    const to = clock('peak', p.to);
    if (from !== undefined && to !== undefined && from >= to) problems.push(`peak ${p.from}–${p.to} is empty`);
  }
  for (const h of config.holidays) {
    if (!isCalendarDate(h)) problems.push(`holiday "${h}" is not a calendar date`);
  }
  if (!(config.leadMinutes >= 0)) problems.push('leadMinutes must be ≥ 0');
  if (!(config.retryDelayMinutes >= 0)) problems.push('retryDelayMinutes must be ≥ 0');
  if (!(config.horizonDays > 0)) problems.push('horizonDays must be > 0');
  if (!(config.maxRecommendedWindows >= 0)) problems.push('maxRecommendedWindows must be ≥ 0');
  return problems;
}

/**
 * The base config with some top-level fields replaced by a JSON object's: how a deployment or a
 * test run changes the centre without a code change (CENTRE_CONFIG, e.g. `{"holidays": []}`).
 * Throws naming every problem: not a JSON object, an unknown field, a field of the wrong kind, a
 * queue left out, or whatever checkCentreConfig finds in the result.
 */
export function overriddenCentreConfig(base: CentreConfig, json: string): CentreConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('CENTRE_CONFIG: not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('CENTRE_CONFIG: must be a JSON object of centre config fields');
  const problems: string[] = [];
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(parsed)) {
    if (!Object.hasOwn(base, key)) {
      problems.push(`unknown field "${key}"`);
      continue;
    }
    const expected: unknown = base[key as keyof CentreConfig];
    const kind = (v: unknown) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
    if (kind(value) !== kind(expected)) problems.push(`"${key}" must be a${kind(expected) === 'array' || kind(expected) === 'object' ? 'n' : ''} ${kind(expected)}`);
    else merged[key] = value;
  }
  const config = merged as unknown as CentreConfig;
  if (problems.length === 0) {
    const missing = Object.keys(base.queues).filter((q) => !Object.hasOwn(config.queues, q));
    if (missing.length > 0) problems.push(`queues must keep ${missing.join(', ')}`);
    try {
      problems.push(...checkCentreConfig(config));
    } catch {
      problems.push('a field is malformed (see CentreConfig)');
    }
  }
  if (problems.length > 0) throw new Error(`CENTRE_CONFIG: ${problems.join('; ')}`);
  return config;
}
