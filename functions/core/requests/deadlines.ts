import { addLocalDays, moscowDate, moscowToUtc } from '../scheduling/moscow-time.ts';
import type { Status, SupportRequest } from './model.ts';

/**
 * The clocks of Federal Law 59-FZ for written requests, pure and in one place. The law counts in
 * calendar days "со дня регистрации": the day of registration is day 0, a term of N days ends at
 * the end of day N (art. 12: an answer within 30 days; art. 8 part 3: forwarding within 7 days;
 * art. 12 part 2: the head may extend the term once, by at most 30 days). Days are the centre's
 * days: Moscow time, where the request is registered.
 */
export const ANSWER_DAYS = 30;
export const FORWARD_DAYS = 7;
export const MAX_EXTENSION_DAYS = 30;

/** The statuses of a written request that still wait for an answer (the inbox, the overdue count). */
export const AWAITING_ANSWER: readonly Status[] = ['registered', 'in_progress'];

/** The last instant of a Moscow calendar date: 23:59:59.999 МСК. */
function endOfMoscowDay(date: string): string {
  return new Date(moscowToUtc(date, 24 * 60).getTime() - 1).toISOString();
}

/** The answer deadline of a request registered at `registeredAt`: the end of day 30. */
export function answerDueBy(registeredAt: Date | string): string {
  return endOfMoscowDay(addLocalDays(moscowDate(registeredAt), ANSWER_DAYS));
}

/** The Moscow date of registration, read back from the first deadline (the stored `dueBy`, which never moves). */
export function registrationDate(dueBy: string): string {
  return addLocalDays(moscowDate(dueBy), -ANSWER_DAYS);
}

/** The last instant a request may still be forwarded: the end of day 7 after registration. */
export function forwardBy(dueBy: string): string {
  return endOfMoscowDay(addLocalDays(registrationDate(dueBy), FORWARD_DAYS));
}

/** What the clocks need of a request: its first deadline and, once extended, the new one. */
export type Deadlines = Pick<SupportRequest, 'dueBy' | 'extendedTo' | 'status' | 'channel'>;

/** The deadline in force: the extension's when there is one. */
export function deadlineInForce(r: Pick<SupportRequest, 'dueBy' | 'extendedTo'>): string | undefined {
  return r.extendedTo ?? r.dueBy;
}

/** Overdue: a written request still waiting for its answer after its deadline in force. */
export function isOverdue(r: Deadlines, now: Date): boolean {
  const due = deadlineInForce(r);
  return r.channel === 'written' && AWAITING_ANSWER.includes(r.status) && due !== undefined && now.getTime() > Date.parse(due);
}

/** The deadline after an extension of `days` (1..30): the end of that many days after the deadline's day. */
export function extendedDeadline(dueBy: string, days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > MAX_EXTENSION_DAYS) throw new RangeError(`extension of ${days} days`);
  return endOfMoscowDay(addLocalDays(moscowDate(dueBy), days));
}

/** Why an extension is refused, or undefined when it is allowed now. */
export function extensionRefusal(r: Deadlines, now: Date): 'already_extended' | 'overdue' | undefined {
  if (r.extendedTo !== undefined) return 'already_extended';
  const due = deadlineInForce(r);
  if (due === undefined || now.getTime() > Date.parse(due)) return 'overdue';
  return undefined;
}

/** Whether a request may still be forwarded now (within 7 days of registration). */
export function mayForward(r: Pick<SupportRequest, 'dueBy'>, now: Date): boolean {
  return r.dueBy !== undefined && now.getTime() <= Date.parse(forwardBy(r.dueBy));
}
