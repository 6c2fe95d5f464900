import type { Ids } from '#ports/ids';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * Deterministic ids: `newId()` gives 26-character, increasing, ULID-shaped ids (`01TEST…0001`,
 * `…0002`); `randomChars(n)` counts up in Crockford base32, so every call gives a new value
 * unless a test scripts the values with `queueChars` (e.g. to force a number collision).
 */
export interface SequenceIds extends Ids {
  queueChars(...values: string[]): void;
  reset(): void;
}

function base32(n: number, length: number): string {
  let out = '';
  let rest = n;
  for (let i = 0; i < length; i += 1) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function sequenceIds(prefix = '01TEST'): SequenceIds {
  if (prefix.length > 20 || [...prefix].some((c) => !CROCKFORD.includes(c))) throw new Error('prefix must be ≤ 20 Crockford characters');
  let ids = 0;
  let chars = 0;
  const queued: string[] = [];
  return {
    newId() {
      ids += 1;
      return prefix + base32(ids, 26 - prefix.length);
    },
    randomChars(length) {
      const next = queued.shift();
      if (next !== undefined) {
        if (next.length !== length) throw new Error(`queued chars "${next}" do not have length ${length}`);
        return next;
      }
      chars += 1;
      return base32(chars, length);
    },
    queueChars(...values) {
      queued.push(...values);
    },
    reset() {
      ids = 0;
      chars = 0;
      queued.length = 0;
    },
  };
}
