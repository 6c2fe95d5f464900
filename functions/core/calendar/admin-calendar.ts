import type { Deps } from '#ports/deps';
import { type FieldProblem, NotFoundError, StateConflictError, ValidationError } from '../errors.ts';
import { QUEUE_NAMES } from '../routing/routing-table.ts';
import { type CentreConfig, type ClockRange, type DayOverride, type IsoWeekday, type QueueConfig, checkCentreConfig, hoursProblems, isCalendarDate } from '../scheduling/centre-config.ts';
import { addLocalDays, moscowDate } from '../scheduling/moscow-time.ts';
import { checkedCalendar } from './current.ts';

/**
 * The administrator's calendar routes (docs/api.md, "The centre's calendar"). Every change is
 * checked by the rules every calendar obeys (hoursProblems, checkCentreConfig), then seeds a fresh
 * table (so it never lands on half a calendar), then is stored, and answers the
 * whole calendar as it is afterwards, read from the table (not through the 10 s cache). No change
 * touches a booking: bookings are slot counters and requests, which the calendar never writes.
 */
type CalendarDeps = Pick<Deps, 'calendar' | 'clock'>;

export interface CalendarView {
  queues: { queue: string; hours: QueueConfig['hours']; slotMinutes: number; capacityPerSlot: number }[];
  holidays: string[];
  overrides: ({ queue: string; date: string } & DayOverride)[];
  leadMinutes: number;
  horizonDays: number;
}

export function calendarView(c: CentreConfig): CalendarView {
  return {
    queues: Object.entries(c.queues).map(([queue, q]) => ({ queue, hours: q.hours, slotMinutes: q.slotMinutes, capacityPerSlot: q.capacityPerSlot })),
    holidays: [...c.holidays].sort(),
    overrides: Object.entries(c.overrides ?? {})
      .flatMap(([queue, days]) => Object.entries(days).map(([date, o]) => ({ queue, date, ...o })))
      .sort((a, b) => (a.date === b.date ? (a.queue < b.queue ? -1 : 1) : a.date < b.date ? -1 : 1)),
    leadMinutes: c.leadMinutes,
    horizonDays: c.horizonDays,
  };
}

/** Dates an administrator may name: real calendar dates of 2000–2099 (older or later ones are typos). */
function checkDate(date: string): void {
  if (!isCalendarDate(date) || date < '2000-01-01' || date > '2099-12-31') {
    throw new ValidationError([{ path: 'date', code: 'invalid_value', message: 'date must be a calendar date YYYY-MM-DD of 2000–2099.' }]);
  }
}

function checkQueue(queue: string): void {
  if (!QUEUE_NAMES.includes(queue)) throw new NotFoundError('queue');
}

function rangeProblems(path: string, ranges: readonly ClockRange[], slotMinutes: number): FieldProblem[] {
  return hoursProblems(ranges, slotMinutes).map((p) => ({
    path: p.field === 'range' ? `${path}.${p.index}` : `${path}.${p.index}.${p.field}`,
    code: p.field === 'range' ? 'hours_invalid' : 'invalid_format',
    message: p.message,
  }));
}

/** The changed calendar must still be a calendar: whatever checkCentreConfig finds is a 400 too. */
function checkWhole(config: CentreConfig, path: string): void {
  const problems = checkCentreConfig(config);
  if (problems.length > 0) throw new ValidationError(problems.map((message) => ({ path, code: 'calendar_invalid', message })));
}

/**
 * Seeds a fresh table, right before the first write: every check runs before it, so a refused
 * change writes nothing at all. (Unseeded, the calendar reads as the seed, so the checks saw what
 * seeding stores.)
 */
async function seed(deps: CalendarDeps): Promise<string> {
  const at = deps.clock.now().toISOString();
  await deps.calendar.seedCalendar(at);
  return at;
}

async function answer(deps: CalendarDeps): Promise<CalendarView> {
  return calendarView(await checkedCalendar(deps));
}

export async function getCalendar(deps: Pick<Deps, 'calendar'>): Promise<CalendarView> {
  return answer(deps as CalendarDeps);
}

/** Any booked place in the queue's slots from now to the horizon (a slotMinutes change would orphan it). */
async function hasBookingsAhead(deps: Pick<Deps, 'slots' | 'clock'>, queue: string, horizonDays: number): Promise<boolean> {
  const now = deps.clock.now();
  const days: string[] = [];
  for (let d = moscowDate(now), i = 0; i <= horizonDays; i += 1, d = addLocalDays(d, 1)) days.push(d);
  const counts = await deps.slots.slotCounts(queue, days);
  return [...counts].some(([start, booked]) => booked > 0 && Date.parse(start) >= now.getTime());
}

export async function putQueueCalendar(deps: Pick<Deps, 'calendar' | 'slots' | 'clock'>, queue: string, input: QueueConfig): Promise<CalendarView> {
  checkQueue(queue);
  const problems = Object.entries(input.hours).flatMap(([day, ranges]) => rangeProblems(`hours.${day}`, ranges ?? [], input.slotMinutes));
  if (problems.length > 0) throw new ValidationError(problems);
  const calendar = await checkedCalendar(deps);
  const current = calendar.queues[queue];
  if (!current) throw new NotFoundError('queue');
  const hours = Object.fromEntries(Object.entries(input.hours).filter(([, r]) => (r ?? []).length > 0)) as Partial<Record<IsoWeekday, readonly ClockRange[]>>;
  const next: QueueConfig = { hours, slotMinutes: input.slotMinutes, capacityPerSlot: input.capacityPerSlot };
  checkWhole({ ...calendar, queues: { ...calendar.queues, [queue]: next } }, 'hours');
  if (next.slotMinutes !== current.slotMinutes && (await hasBookingsAhead(deps, queue, calendar.horizonDays))) {
    throw new StateConflictError('calendar_in_use', `The ${queue} queue has bookings ahead on its ${current.slotMinutes}-minute slots; slotMinutes can change once they are past.`);
  }
  if (!(await deps.calendar.putQueueCalendar(queue, next, await seed(deps), current.slotMinutes))) {
    throw new StateConflictError('calendar_changed', 'The queue’s calendar changed meanwhile: read it again and retry.');
  }
  return answer(deps);
}

export async function putHoliday(deps: CalendarDeps, date: string): Promise<CalendarView> {
  checkDate(date);
  await deps.calendar.putHoliday(date, await seed(deps));
  return answer(deps);
}

export async function deleteHoliday(deps: CalendarDeps, date: string): Promise<CalendarView> {
  checkDate(date);
  if (!(await checkedCalendar(deps)).holidays.includes(date)) throw new NotFoundError('holiday');
  await seed(deps);
  if (!(await deps.calendar.deleteHoliday(date))) throw new NotFoundError('holiday');
  return answer(deps);
}

export async function putOverride(deps: CalendarDeps, queue: string, date: string, input: DayOverride): Promise<CalendarView> {
  checkQueue(queue);
  checkDate(date);
  if (input.hours === undefined && input.capacityPerSlot === undefined) {
    throw new ValidationError([{ path: '', code: 'required', message: 'An override names hours, capacityPerSlot or both.' }]);
  }
  const calendar = await checkedCalendar(deps);
  const slotMinutes = calendar.queues[queue]?.slotMinutes ?? 0;
  const problems = rangeProblems('hours', input.hours ?? [], slotMinutes);
  if (problems.length > 0) throw new ValidationError(problems);
  const override: DayOverride = { ...(input.hours !== undefined ? { hours: input.hours } : {}), ...(input.capacityPerSlot !== undefined ? { capacityPerSlot: input.capacityPerSlot } : {}) };
  checkWhole({ ...calendar, overrides: { ...calendar.overrides, [queue]: { ...(calendar.overrides?.[queue] ?? {}), [date]: override } } }, 'hours');
  await deps.calendar.putOverride(queue, date, override, await seed(deps));
  return answer(deps);
}

export async function deleteOverride(deps: CalendarDeps, queue: string, date: string): Promise<CalendarView> {
  checkQueue(queue);
  checkDate(date);
  const days = (await checkedCalendar(deps)).overrides?.[queue];
  if (!days || !Object.hasOwn(days, date)) throw new NotFoundError('override');
  await seed(deps);
  if (!(await deps.calendar.deleteOverride(queue, date))) throw new NotFoundError('override');
  return answer(deps);
}
