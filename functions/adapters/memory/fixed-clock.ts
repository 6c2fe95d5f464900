import type { Clock } from '#ports/clock';

/** A clock that stands still until a test moves it. */
export interface FixedClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): void;
  advanceSeconds(seconds: number): void;
  advanceMinutes(minutes: number): void;
  advanceDays(days: number): void;
}

export const DEFAULT_NOW = '2026-03-02T09:00:00.000Z';

export function fixedClock(start: Date | string = DEFAULT_NOW): FixedClock {
  const toMs = (at: Date | string) => {
    const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
    if (Number.isNaN(ms)) throw new Error(`fixedClock: not a time: ${String(at)}`);
    return ms;
  };
  let now = toMs(start);
  const clock: FixedClock = {
    now: () => new Date(now),
    set(at) {
      now = toMs(at);
    },
    advance(ms) {
      now += ms;
    },
    advanceSeconds: (s) => clock.advance(s * 1000),
    advanceMinutes: (m) => clock.advance(m * 60_000),
    advanceDays: (d) => clock.advance(d * 86_400_000),
  };
  return clock;
}
