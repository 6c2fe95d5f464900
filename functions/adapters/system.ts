import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '#ports/clock';
import type { Hasher } from '#ports/hasher';
import type { Ids } from '#ports/ids';

/** The real clock, ids and hashing: small enough to share one module. */
export const systemClock: Clock = { now: () => new Date() };

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function randomCrockford(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i += 1) out += CROCKFORD[(bytes[i] as number) & 31];
  return out;
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i += 1) {
    out = CROCKFORD[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

export function systemIds(clock: Clock = systemClock): Ids {
  return {
    newId: () => encodeTime(clock.now().getTime()) + randomCrockford(16),
    randomChars: randomCrockford,
  };
}

/** HMAC-SHA256 keyed by a secret fetched once; the purpose is mixed in so hashes never cross uses. */
export function hmacHasher(loadKey: () => Promise<string>): Hasher {
  let key: Promise<string> | undefined;
  return {
    async keyed(purpose, text) {
      key ??= loadKey().catch((error: unknown) => {
        key = undefined;
        throw error;
      });
      return createHmac('sha256', await key).update(`${purpose}\u0000${text}`).digest('hex');
    },
    digest: (text) => createHash('sha256').update(text).digest('hex'),
  };
}
