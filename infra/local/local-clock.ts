import type { Clock } from '#ports/clock';

/**
 * The local runtime's clock: the real time plus an offset that a test may move forward (or back)
 * through `POST /_local/clock`, so that what depends on days passing (the 59-FZ deadlines, the
 * 7 days for forwarding) can be tried without waiting. Only the local runtime has it (like the
 * outbox); in the cloud every function reads the system clock and no route moves it.
 */
export interface LocalClock extends Clock {
  offsetMs(): number;
  setOffset(ms: number): void;
}

export function localClock(real: Clock): LocalClock {
  let offset = 0;
  return {
    now: () => new Date(real.now().getTime() + offset),
    offsetMs: () => offset,
    setOffset(ms) {
      offset = ms;
    },
  };
}

/** At most a year either way: a typo must not throw the clock into another century. */
const MAX_OFFSET_SECONDS = 366 * 86_400;

/**
 * `GET /_local/clock` → `{ now, offsetSeconds }`; `POST /_local/clock?advanceSeconds=N` moves the
 * clock N seconds on (negative: back); `POST /_local/clock?offsetSeconds=N` sets the offset (0: the
 * real time again). Anything else is 400.
 */
export function clockRoute(clock: LocalClock, method: string, url: URL): { status: number; body: unknown } | undefined {
  if (url.pathname !== '/_local/clock') return undefined;
  const state = () => ({ now: clock.now().toISOString(), offsetSeconds: clock.offsetMs() / 1000 });
  if (method === 'GET') return { status: 200, body: state() };
  if (method !== 'POST') return { status: 405, body: { code: 'method_not_allowed' } };
  const advance = url.searchParams.get('advanceSeconds');
  const set = url.searchParams.get('offsetSeconds');
  const value = Number(advance ?? set);
  if ((advance === null) === (set === null) || !Number.isInteger(value)) {
    return { status: 400, body: { code: 'validation_failed', detail: 'Give advanceSeconds or offsetSeconds, an integer.' } };
  }
  const next = (advance !== null ? clock.offsetMs() / 1000 : 0) + value;
  if (Math.abs(next) > MAX_OFFSET_SECONDS) return { status: 400, body: { code: 'validation_failed', detail: 'The offset is limited to a year.' } };
  clock.setOffset(next * 1000);
  return { status: 200, body: state() };
}
