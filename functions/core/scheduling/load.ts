import { queueConfig, type CentreConfig } from './centre-config.ts';
import { isoWeekdayOf, moscowParts, parseClock } from './moscow-time.ts';
import { isWorkingDay, type SlotAvailability } from './slots.ts';

/**
 * Live load figures of a queue for GET /v1/contacts `queues`. Pure: the caller reads the queue
 * length, the recent call records and the free slots, and passes them in.
 */
export interface QueueLoadInput {
  queue: string;
  /** Requests waiting for an operator in this queue now (callbacks due and not yet called). */
  waiting: number;
  /**
   * `waitSeconds` of the queue's recent call records (suggested: the calls queued in the last
   * 60 minutes, at most the newest 50). Order does not matter. Non-finite or negative values are
   * ignored.
   */
  recentWaitsSeconds: readonly number[];
  now: Date;
  /** Free slots of the queue ahead (bookableSlots over the next days); used for recommendedWindows. */
  freeSlots: readonly SlotAvailability[];
}

export interface QueueLoadFigures {
  queue: string;
  waiting: number;
  estimatedWaitMinutes: number;
  peakNow: boolean;
  recommendedWindows: { from: string; to: string }[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/**
 * Estimated wait, whole minutes, rounded up (a non-zero wait is never shown as 0):
 *
 *   estimate = baseline + backlog
 *   baseline = median of the recent waits (seconds / 60), or 0 when there are no recent calls
 *   backlog  = waiting × slotMinutes / capacityPerSlot
 *
 * The median says how long callers of this queue have actually been waiting lately, robust to
 * the odd very long or instant call. The backlog adds the people already ahead: each takes about
 * one slot length of operator time, and `capacityPerSlot` operators work the queue in parallel
 * (tech-support: 15 / 4 = 3.75 min per person ahead). With no recent call records the estimate
 * falls back to the backlog alone. It grows strictly with `waiting` and moves with the recent
 * waits: it is never a constant.
 */
export function estimateWaitMinutes(queue: string, waiting: number, recentWaitsSeconds: readonly number[], config: CentreConfig): number {
  const q = queueConfig(queue, config);
  const ahead = Number.isFinite(waiting) && waiting > 0 ? Math.floor(waiting) : 0;
  const waits = recentWaitsSeconds.filter((w) => Number.isFinite(w) && w >= 0);
  const baseline = (median(waits) ?? 0) / 60;
  const backlog = (ahead * q.slotMinutes) / q.capacityPerSlot;
  return Math.max(0, Math.ceil(baseline + backlog - 1e-9));
}

/** Is `at` (Moscow time) inside a configured peak period of its weekday, on a working day of the queue? */
export function isPeak(queue: string, at: Date, config: CentreConfig): boolean {
  const p = moscowParts(at);
  if (!isWorkingDay(queue, p.date, config)) return false;
  return config.peakPeriods.some(
    (pk) => pk.weekdays.includes(p.isoWeekday) && parseClock(pk.from) <= p.minuteOfDay && p.minuteOfDay < parseClock(pk.to),
  );
}

/** Does the span [start, end) overlap a peak period of its Moscow weekday? */
function overlapsPeak(start: Date, end: Date, config: CentreConfig): boolean {
  const p = moscowParts(start);
  const s = p.minuteOfDay;
  const e = s + (end.getTime() - start.getTime()) / MINUTE_MS;
  const weekday = isoWeekdayOf(p.date);
  return config.peakPeriods.some((pk) => pk.weekdays.includes(weekday) && s < parseClock(pk.to) && e > parseClock(pk.from));
}

/**
 * Up to `maxRecommendedWindows` (3) windows in which to call or book: the earliest runs of
 * back-to-back free slots (remaining > 0) that start at or after now, end by now + horizon and
 * touch no peak period. Consecutive slots (one's end = the next's start) merge into one window;
 * a full slot, a peak or the night splits windows.
 */
export function recommendedWindows(
  now: Date,
  freeSlots: readonly SlotAvailability[],
  config: CentreConfig,
): { from: string; to: string }[] {
  const horizon = now.getTime() + config.horizonDays * DAY_MS;
  const usable = freeSlots
    .map((s) => ({ start: new Date(s.start), end: new Date(s.end), remaining: s.remaining }))
    .filter(
      (s) =>
        s.remaining > 0 &&
        !Number.isNaN(s.start.getTime()) &&
        s.start < s.end &&
        s.start.getTime() >= now.getTime() &&
        s.end.getTime() <= horizon &&
        !overlapsPeak(s.start, s.end, config),
    )
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  const windows: { from: Date; to: Date }[] = [];
  for (const s of usable) {
    const last = windows.at(-1);
    if (last && last.to.getTime() === s.start.getTime()) last.to = s.end;
    else if (!last || s.start.getTime() >= last.to.getTime()) {
      if (windows.length === config.maxRecommendedWindows) break;
      windows.push({ from: s.start, to: s.end });
    }
  }
  return windows.map((w) => ({ from: w.from.toISOString(), to: w.to.toISOString() }));
}

/** The `queues` item of GET /v1/contacts for one queue (same shape as QueueLoad in core/contacts/centre.ts). */
export function queueLoad(input: QueueLoadInput, config: CentreConfig): QueueLoadFigures {
  const waiting = Number.isFinite(input.waiting) && input.waiting > 0 ? Math.floor(input.waiting) : 0;
  return {
    queue: input.queue,
    waiting,
    estimatedWaitMinutes: estimateWaitMinutes(input.queue, waiting, input.recentWaitsSeconds, config),
    peakNow: isPeak(input.queue, input.now, config),
    recommendedWindows: recommendedWindows(input.now, input.freeSlots, config),
  };
}
