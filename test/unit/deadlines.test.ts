import { describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/memory/fixed-clock';
import {
  answerDueBy,
  deadlineInForce,
  extendedDeadline,
  extensionRefusal,
  forwardBy,
  isOverdue,
  mayForward,
  registrationDate,
} from '#core/requests/deadlines';
import type { SupportRequest } from '#core/requests/model';

/**
 * The 59-FZ clocks on a fixed clock, across their boundaries. Registered 2026-03-02 12:00 МСК
 * (09:00Z): day 0 is 2 March; day 30 is 1 April, day 7 is 9 March (Moscow dates).
 */
const REGISTERED = '2026-03-02T09:00:00.000Z';
const msk = (date: string, time: string) => new Date(`${date}T${time}+03:00`);

function written(over: Partial<SupportRequest> = {}): Pick<SupportRequest, 'dueBy' | 'extendedTo' | 'status' | 'channel'> {
  return { channel: 'written', status: 'registered', dueBy: answerDueBy(REGISTERED), ...over };
}

describe('the 59-FZ clocks', () => {
  const clock = fixedClock(REGISTERED);

  it('the answer is due by the end of day 30 after the day of registration, Moscow time', () => {
    expect(answerDueBy(REGISTERED)).toBe('2026-04-01T20:59:59.999Z');
    expect(registrationDate(answerDueBy(REGISTERED))).toBe('2026-03-02');
    // Late in the Moscow evening is already the next Moscow day.
    expect(answerDueBy('2026-03-02T21:30:00.000Z')).toBe('2026-04-02T20:59:59.999Z');
  });

  it('day 30 at 23:59 is not overdue; day 31 is', () => {
    clock.set(msk('2026-04-01', '23:59:00'));
    expect(isOverdue(written(), clock.now())).toBe(false);
    clock.set(msk('2026-04-01', '23:59:59.999'));
    expect(isOverdue(written(), clock.now())).toBe(false);
    clock.set(msk('2026-04-02', '00:00:00'));
    expect(isOverdue(written(), clock.now())).toBe(true);
    clock.set(msk('2026-04-02', '10:00:00'));
    expect(isOverdue(written({ status: 'in_progress' }), clock.now())).toBe(true);
  });

  it('an answered, forwarded or cancelled request, or a callback, is never overdue', () => {
    clock.set(msk('2026-05-01', '12:00:00'));
    for (const status of ['answered', 'forwarded', 'cancelled'] as const) expect(isOverdue(written({ status }), clock.now())).toBe(false);
    expect(isOverdue(written({ channel: 'callback', status: 'scheduled' }), clock.now())).toBe(false);
  });

  it('an extension of 30 days moves the deadline to the end of day 60, and overdue follows it', () => {
    const extendedTo = extendedDeadline(answerDueBy(REGISTERED), 30);
    expect(extendedTo).toBe('2026-05-01T20:59:59.999Z');
    const r = written({ extendedTo });
    expect(deadlineInForce(r)).toBe(extendedTo);
    clock.set(msk('2026-04-02', '00:00:00'));
    expect(isOverdue(r, clock.now())).toBe(false);
    clock.set(msk('2026-05-01', '23:59:00'));
    expect(isOverdue(r, clock.now())).toBe(false);
    clock.set(msk('2026-05-02', '00:00:00'));
    expect(isOverdue(r, clock.now())).toBe(true);
    // The first deadline still says when it was registered.
    expect(registrationDate(r.dueBy as string)).toBe('2026-03-02');
  });

  it('an extension is allowed once, and only up to the deadline', () => {
    clock.set(msk('2026-04-01', '23:59:00'));
    expect(extensionRefusal(written(), clock.now())).toBeUndefined();
    clock.set(msk('2026-04-02', '00:00:00'));
    expect(extensionRefusal(written(), clock.now())).toBe('overdue');
    clock.set(msk('2026-03-10', '10:00:00'));
    expect(extensionRefusal(written({ extendedTo: extendedDeadline(answerDueBy(REGISTERED), 1) }), clock.now())).toBe('already_extended');
    expect(() => extendedDeadline(answerDueBy(REGISTERED), 0)).toThrow(RangeError);
    expect(() => extendedDeadline(answerDueBy(REGISTERED), 31)).toThrow(RangeError);
    expect(extendedDeadline(answerDueBy(REGISTERED), 1)).toBe('2026-04-02T20:59:59.999Z');
  });

  it('forwarding is allowed through day 7 after registration and refused on day 8', () => {
    const r = written();
    expect(forwardBy(r.dueBy as string)).toBe('2026-03-09T20:59:59.999Z');
    clock.set(msk('2026-03-02', '12:00:01'));
    expect(mayForward(r, clock.now())).toBe(true);
    clock.set(msk('2026-03-09', '23:59:00'));
    expect(mayForward(r, clock.now())).toBe(true);
    clock.set(msk('2026-03-10', '00:00:00'));
    expect(mayForward(r, clock.now())).toBe(false);
    // An extension does not move the forwarding limit: it counts from registration.
    expect(mayForward(written({ extendedTo: extendedDeadline(r.dueBy as string, 30) }), clock.now())).toBe(false);
  });

  it('across a month and a year end', () => {
    expect(answerDueBy('2026-12-15T09:00:00Z')).toBe('2027-01-14T20:59:59.999Z');
    expect(forwardBy(answerDueBy('2026-12-28T09:00:00Z'))).toBe('2027-01-04T20:59:59.999Z');
  });
});
