import { SmsSendError } from '#core/errors';
import type { Clock } from '#ports/clock';
import type { SmsSender } from '#ports/sms';

export interface SentSms {
  to: string;
  text: string;
  at: string;
}

/** An SMS outbox in memory. `failNext(n)` makes the next n sends throw SmsSendError (nothing recorded). */
export interface MemorySms extends SmsSender {
  readonly sent: readonly SentSms[];
  /** Messages sent to one number, oldest first. */
  to(phone: string): SentSms[];
  failNext(count?: number): void;
  clear(): void;
}

export function memorySms(clock: Clock = { now: () => new Date() }): MemorySms {
  const sent: SentSms[] = [];
  let failures = 0;
  return {
    get sent() {
      return sent.map((s) => ({ ...s }));
    },
    to(phone) {
      return sent.filter((s) => s.to === phone).map((s) => ({ ...s }));
    },
    failNext(count = 1) {
      if (!Number.isInteger(count) || count < 0) throw new Error('failNext needs a non-negative integer');
      failures = count;
    },
    clear() {
      sent.length = 0;
      failures = 0;
    },
    async send(to, text) {
      if (failures > 0) {
        failures -= 1;
        throw new SmsSendError('simulated SMS failure');
      }
      sent.push({ to, text, at: clock.now().toISOString() });
    },
  };
}
