import type { Ids } from '#ports/ids';

/**
 * Request numbers look like `20261126-7KQ3ZD`: the UTC date a citizen can read, then six random
 * Crockford base32 characters (about a billion per day). No counter, so no hot item under load;
 * uniqueness is enforced by a conditional write of a number claim in the creating transaction.
 */
export function newRequestNumber(now: Date, ids: Ids): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '');
  return `${day}-${ids.randomChars(6)}`;
}
