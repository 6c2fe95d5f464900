import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { Clock } from '#ports/clock';
import type { Hasher } from '#ports/hasher';
import type { Ids } from '#ports/ids';
import type { OtpRandom } from '#ports/otp-random';
import type { Sealer } from '#ports/sealer';

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

/** Six digits from the OS CSPRNG, uniform (randomInt has no modulo bias). */
export const cryptoOtpRandom: OtpRandom = { sixDigits: () => String(randomInt(0, 1_000_000)).padStart(6, '0') };

/**
 * AES-256-GCM under a key derived from the service secret (never the secret itself): base64url of
 * iv | tag | ciphertext. A sealed text from another key, or altered, fails to open.
 */
export function aesSealer(loadKey: () => Promise<string>): Sealer {
  let key: Promise<Buffer> | undefined;
  const derived = () => {
    key ??= loadKey().then((secret) => createHmac('sha256', secret).update('seal\u0000v1').digest());
    return key;
  };
  return {
    async seal(text) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', await derived(), iv);
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    async unseal(sealed) {
      const raw = Buffer.from(sealed, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', await derived(), raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
