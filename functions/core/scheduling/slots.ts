import type { FieldProblem } from '../errors.ts';
import { REQUEST_TYPES, type RequestType } from '../requests/model.ts';
import { routeFor } from '../routing/routing-table.ts';
import { type CentreConfig, type ClockRange, type DayOverride, queueConfig } from './centre-config.ts';
import { addLocalDays, isoWeekdayOf, moscowDate, moscowToUtc, parseClock } from './moscow-time.ts';
import { isRussianTimeZone, type RussianTimeZone } from '../regions/regions.ts';
import { inCallingHours } from './zone-time.ts';

/**
 * Callback slots: where they lie, which ones a booking should try, and the query rules of
 * GET /v1/callback-slots. Pure functions of (queue, now, config); the slot counters themselves
 * live in storage (the adapter does the conditional write on a counter keyed by queue + start).
 *
 * Slot model
 * - A slot belongs to one queue, lasts `slotMinutes` of that queue and is laid out from the
 *   opening time of each opening range of a working day: 08:00, 08:15, … 19:45 (Mon–Fri) and
 *   09:00 … 17:45 (Sat) by default. Only whole slots are offered: the last one ends at closing.
 * - A working day is a Moscow date that is not in `config.holidays` and whose ISO weekday has
 *   opening hours for that queue (Sunday has none by default). A day's override (`config.overrides`)
 *   replaces that day's hours (even on a holiday) and/or its capacity.
 * - `start`/`end` are UTC ISO strings as `Date#toISOString` writes them
 *   ('2026-11-27T07:15:00.000Z'); `start` is the slot's identity (the counter key, and the
 *   request's `scheduledAt`).
 * - The horizon: a slot is offered only when it ENDS no later than now + `horizonDays`, so every
 *   part of it is "at most 7 days ahead".
 */
export interface Slot {
  start: string;
  end: string;
}

/** A slot with the capacity still free in it (GET /v1/callback-slots items). */
export interface SlotAvailability extends Slot {
  remaining: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function horizonEnd(now: Date, config: CentreConfig): number {
  return now.getTime() + config.horizonDays * DAY_MS;
}

/** The queue's override of one Moscow date, if any. */
export function dayOverride(queue: string, localDate: string, config: CentreConfig): DayOverride | undefined {
  const days = config.overrides && Object.hasOwn(config.overrides, queue) ? config.overrides[queue] : undefined;
  return days && Object.hasOwn(days, localDate) ? days[localDate] : undefined;
}

/** The queue's opening hours on one Moscow date: the day's override, else none on a holiday, else its weekday's. */
function dayHours(queue: string, localDate: string, config: CentreConfig): readonly ClockRange[] {
  const override = dayOverride(queue, localDate, config)?.hours;
  if (override !== undefined) return override;
  if (config.holidays.includes(localDate)) return [];
  return queueConfig(queue, config).hours[isoWeekdayOf(localDate)] ?? [];
}

/** Is this Moscow date ('YYYY-MM-DD') a day on which the queue takes calls? */
export function isWorkingDay(queue: string, localDate: string, config: CentreConfig): boolean {
  return dayHours(queue, localDate, config).length > 0;
}

/** Every slot of one Moscow date, in order (empty on a day off). */
export function daySlots(queue: string, localDate: string, config: CentreConfig): Slot[] {
  const q = queueConfig(queue, config);
  const ranges = dayHours(queue, localDate, config)
    .map((r) => ({ from: parseClock(r.from), to: parseClock(r.to) }))
    .sort((a, b) => a.from - b.from);
  const slots: Slot[] = [];
  let lastEnd = -Infinity;
  for (const r of ranges) {
    for (let m = r.from; m + q.slotMinutes <= r.to; m += q.slotMinutes) {
      if (m < lastEnd) continue; // overlapping ranges (a config error) never yield overlapping slots
      const start = moscowToUtc(localDate, m);
      slots.push({ start: start.toISOString(), end: new Date(start.getTime() + q.slotMinutes * MINUTE_MS).toISOString() });
      lastEnd = m + q.slotMinutes;
    }
  }
  return slots;
}

/** Slots whose start lies in [fromMs, toMs), in order. */
function slotsStartingIn(queue: string, fromMs: number, toMs: number, config: CentreConfig): Slot[] {
  if (!(fromMs < toMs) || !Number.isFinite(fromMs) || !Number.isFinite(toMs)) return [];
  const out: Slot[] = [];
  const lastDate = moscowDate(new Date(toMs));
  // A slot starts on its own Moscow date, so walking the dates from `from` to `to` finds them all.
  for (let d = moscowDate(new Date(fromMs)); d <= lastDate; d = addLocalDays(d, 1)) {
    for (const s of daySlots(queue, d, config)) {
      const t = Date.parse(s.start);
      if (t >= fromMs && t < toMs) out.push(s);
    }
  }
  return out;
}

/**
 * Every slot of the queue lying wholly inside [from, to]: start ≥ from and end ≤ to. A slot that
 * began before `from` (already running) or runs past `to` is not included. Sorted, non-overlapping.
 */
export function slotsInRange(queue: string, from: Date, to: Date, config: CentreConfig): Slot[] {
  const toMs = to.getTime();
  return slotsStartingIn(queue, from.getTime(), toMs, config).filter((s) => Date.parse(s.end) <= toMs);
}

/** The slot of the queue that contains the instant `at` (start ≤ at < end), if the centre is open then. */
export function slotAt(queue: string, at: Date, config: CentreConfig): Slot | undefined {
  const t = at.getTime();
  return daySlots(queue, moscowDate(at), config).find((s) => Date.parse(s.start) <= t && t < Date.parse(s.end));
}

/** Is `at` exactly the start of one of the queue's slots (e.g. to check a stored `scheduledAt`)? */
export function isSlotStart(queue: string, at: Date, config: CentreConfig): boolean {
  return slotAt(queue, at, config)?.start === at.toISOString();
}

/** The first slot starting at or after `at`, looking at most `withinDays` ahead (default a year). */
export function nextSlot(queue: string, at: Date, config: CentreConfig, withinDays = 366): Slot | undefined {
  for (let d = 0, date = moscowDate(at); d <= withinDays; d += 1, date = addLocalDays(date, 1)) {
    const found = daySlots(queue, date, config).find((s) => Date.parse(s.start) >= at.getTime());
    if (found) return found;
  }
  return undefined;
}

/** Slot length and capacity of a queue (the `slotMinutes` of the GET /v1/callback-slots answer). */
export function slotMinutes(queue: string, config: CentreConfig): number {
  return queueConfig(queue, config).slotMinutes;
}

/** How many callbacks a slot of the queue takes: the day's override (`localDate`, Moscow) or the queue's own. */
export function slotCapacity(queue: string, config: CentreConfig, localDate?: string): number {
  const override = localDate === undefined ? undefined : dayOverride(queue, localDate, config)?.capacityPerSlot;
  return override ?? queueConfig(queue, config).capacityPerSlot;
}

export interface TimeWindow {
  from: string;
  to: string;
}

/**
 * The slots a new callback booking should try, in order; the adapter takes the first one whose
 * counter is below capacity (conditional write) and moves on to the next when the write fails.
 *
 * Bookable slots are those starting at or after now + lead and ending by now + horizon.
 * - With a preferred window: first the bookable slots whose START lies in [window.from,
 *   window.to) (the call is due at the slot start, so that is the moment that must fall in the
 *   window; a window shorter than a slot can still get one), then every bookable slot starting at
 *   or after window.to, up to the horizon. Slots before the window are never offered: the
 *   contract says "inside the window, else the earliest after it". A window partly in the past
 *   is thereby clipped to now + lead.
 * - Without a window (or with an unparsable one, which validation rejects earlier): every
 *   bookable slot from now + lead.
 * With the citizen's `timeZone`, only slots inside their local calling hours (08:00–21:00 there)
 * are candidates; the window is still read in absolute time, as given.
 * An empty list means nothing can be booked within the horizon.
 */
export function bookingCandidates(queue: string, now: Date, preferredWindow: TimeWindow | undefined, config: CentreConfig, timeZone?: RussianTimeZone): Slot[] {
  const earliest = new Date(now.getTime() + config.leadMinutes * MINUTE_MS);
  const all = callable(slotsInRange(queue, earliest, new Date(horizonEnd(now, config)), config), timeZone);
  if (!preferredWindow) return all;
  const from = Date.parse(preferredWindow.from);
  const to = Date.parse(preferredWindow.to);
  if (Number.isNaN(from) || Number.isNaN(to)) return all;
  const inside: Slot[] = [];
  const after: Slot[] = [];
  for (const s of all) {
    const t = Date.parse(s.start);
    if (t >= to) after.push(s);
    else if (t >= from) inside.push(s);
  }
  return [...inside, ...after];
}

/**
 * The slots to try for a retry after an unanswered call: every slot starting at or after
 * `retryDelayMinutes` (15) past the later of now and the unanswered attempt's slot, and ending
 * by that same moment + horizon, in order. The lead time does not apply: the retry delay takes
 * its place. Counting from the attempt's slot too matters when the call came early (an operator
 * ahead of time, or local runs with WAIT_SCALE=0): a retry never lands on or before the slot it
 * retries. With the citizen's `timeZone`, only slots inside their calling hours: a retry that
 * would fall after 21:00 local waits for the next morning.
 */
export function retryCandidates(queue: string, now: Date, config: CentreConfig, attemptSlot?: string, timeZone?: RussianTimeZone): Slot[] {
  const base = new Date(Math.max(now.getTime(), attemptSlot === undefined ? 0 : Date.parse(attemptSlot)));
  const earliest = new Date(base.getTime() + config.retryDelayMinutes * MINUTE_MS);
  return callable(slotsInRange(queue, earliest, new Date(horizonEnd(base, config)), config), timeZone);
}

/** The slots inside the citizen's local calling hours; all of them when no zone is given (the centre's view). */
function callable<S extends Slot>(slots: S[], timeZone: RussianTimeZone | undefined): S[] {
  return timeZone === undefined ? slots : slots.filter((s) => inCallingHours(s, timeZone));
}

/** Booked callbacks per slot start (the counter values), keyed by `Slot.start`. Missing = 0. */
export type BookedCounts = ReadonlyMap<string, number>;

/**
 * The items of GET /v1/callback-slots: the queue's slots wholly inside [from, to] that could be
 * booked by time: start ≥ now + lead (what bookingCandidates would offer), end ≤ now + horizon;
 * with a `timeZone`, only those inside its calling hours. `remaining` = that day's capacity −
 * booked, never below 0: a full slot, or one whose capacity was lowered below its bookings (which
 * stay), is listed with `remaining: 0` and is not booked into.
 */
export function bookableSlots(
  queue: string,
  now: Date,
  range: { from: Date; to: Date },
  booked: BookedCounts,
  config: CentreConfig,
  timeZone?: RussianTimeZone,
): SlotAvailability[] {
  const from = Math.max(range.from.getTime(), now.getTime() + config.leadMinutes * MINUTE_MS);
  const to = Math.min(range.to.getTime(), horizonEnd(now, config));
  return callable(slotsInRange(queue, new Date(from), new Date(to), config), timeZone).map((s) => ({
    ...s,
    remaining: Math.max(0, slotCapacity(queue, config, moscowDate(new Date(s.start))) - (booked.get(s.start) ?? 0)),
  }));
}

// ---------------------------------------------------------------------------------------------
// GET /v1/callback-slots?type=T&from=ISO&to=ISO

export interface SlotQueryInput {
  type?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  timeZone?: string | undefined;
}

export interface SlotQuery {
  type: RequestType;
  queue: string;
  slotMinutes: number;
  /** max(from, now): a `from` in the past is clipped to now. */
  from: Date;
  to: Date;
  /** The citizen's zone: only slots inside its calling hours, each with its local start. */
  timeZone?: RussianTimeZone;
}

export type SlotQueryResult = { ok: true; query: SlotQuery } | { ok: false; problems: FieldProblem[] };

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 date-time with seconds and an explicit offset (`Z` or ±HH:MM), of a real calendar
 * day: the same form as the HTTP schemas' `z.iso.datetime({ offset: true })`. Else undefined.
 */
export function parseIsoDateTime(text: string): Date | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined;
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999, and would refuse
  // '0000-02-07' that the schema (and Date.parse) accept.
  const day = new Date(0);
  day.setUTCFullYear(y, mo - 1, d);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return undefined;
  if (m[7] !== 'Z' && (Number(m[8]) > 23 || Number(m[9]) > 59)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function isRequestType(v: string | undefined): v is RequestType {
  return v !== undefined && (REQUEST_TYPES as readonly string[]).includes(v);
}

/**
 * The rules of GET /v1/callback-slots. Every problem is reported at once, one per field at most:
 * - `type` missing or not a request type → type `invalid_value`;
 * - `from`/`to` not an ISO date-time with offset → `invalid_format`;
 * - `to` ≤ now (nothing ahead) or `to` > now + horizon (7 days) → to `window_invalid`;
 * - `from` ≥ `to`, or (with a valid `to`) `to − from` longer than the horizon → from `window_invalid`;
 * - `timeZone` not an IANA zone of Russia (as the tz database spells it) → timeZone `invalid_value`.
 * `from` and `to` are optional: `from` defaults to now and `to` to now + horizon. A `from` in the
 * past is accepted and clipped to now (clients ask for "today" from midnight); the clipped query
 * is what the answer covers. bookableSlots then also drops the slots within the lead time.
 */
export function validateSlotQuery(input: SlotQueryInput, now: Date, config: CentreConfig): SlotQueryResult {
  const problems: FieldProblem[] = [];
  const horizon = horizonEnd(now, config);
  if (!isRequestType(input.type)) {
    problems.push({
      path: 'type',
      code: 'invalid_value',
      message: `type must be one of ${REQUEST_TYPES.join(', ')}.`,
    });
  }
  const from = input.from === undefined ? now : parseIsoDateTime(input.from);
  if (!from) problems.push({ path: 'from', code: 'invalid_format', message: 'from must be an ISO 8601 date-time with an offset.' });
  const to = input.to === undefined ? new Date(horizon) : parseIsoDateTime(input.to);
  if (!to) problems.push({ path: 'to', code: 'invalid_format', message: 'to must be an ISO 8601 date-time with an offset.' });
  let toOk = to !== undefined;
  if (to) {
    toOk = false;
    if (to.getTime() <= now.getTime()) {
      problems.push({ path: 'to', code: 'window_invalid', message: 'to must be in the future.' });
    } else if (to.getTime() > horizon) {
      problems.push({ path: 'to', code: 'window_invalid', message: `to must be at most ${config.horizonDays} days ahead.` });
    } else {
      toOk = true;
    }
  }
  if (from && to) {
    if (from.getTime() >= to.getTime()) {
      problems.push({ path: 'from', code: 'window_invalid', message: 'from must be before to.' });
    } else if (toOk && to.getTime() - from.getTime() > config.horizonDays * DAY_MS) {
      // only worth saying when `to` itself is fine: then `from` lies far in the past
      problems.push({ path: 'from', code: 'window_invalid', message: `The range must be at most ${config.horizonDays} days long.` });
    }
  }
  const zone = input.timeZone;
  if (zone !== undefined && !isRussianTimeZone(zone)) {
    problems.push({ path: 'timeZone', code: 'invalid_value', message: 'timeZone must be an IANA time zone of Russia, e.g. Europe/Moscow or Asia/Kamchatka.' });
  }
  if (problems.length > 0 || !from || !to || !isRequestType(input.type)) return { ok: false, problems };
  const queue = routeFor(input.type).queue;
  return {
    ok: true,
    query: {
      type: input.type,
      queue,
      slotMinutes: slotMinutes(queue, config),
      from: new Date(Math.max(from.getTime(), now.getTime())),
      to,
      ...(zone !== undefined && isRussianTimeZone(zone) ? { timeZone: zone } : {}),
    },
  };
}
