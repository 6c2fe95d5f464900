import { putProfile } from '#core/profiles/put-profile';
import type { Deps } from '#ports/deps';
import { identity } from '../support/fixtures.ts';

/**
 * Citizens for the bench and the load test, each with a profile of their own phone (a phone
 * belongs to one profile). Enough of them keeps every figure inside the per-citizen limits: at
 * most 10 new requests per citizen in 24 hours, 3 open callbacks, 20 comments an hour.
 */
export const REQUESTS_PER_CITIZEN = 10;

/** The n-th citizen's phone: +7 9xx, unique for n < 10^9 and distinct from the fixtures' phone. */
export function citizenPhone(n: number): string {
  return `+7 9${String(10_000_000 + n).padStart(9, '0')}`;
}

/** Every citizen this process makes gets the next phone: no two profiles share one. */
let made = 0;

export function citizen(prefix: string) {
  const n = made;
  made += 1;
  return { sub: `${prefix}-${n}`, identity: identity({ phone: citizenPhone(n) }) };
}

/** `count` citizens with their profiles stored, ready to file requests. */
export async function citizens(deps: Pick<Deps, 'profiles' | 'hasher' | 'clock'>, prefix: string, count: number) {
  const all = Array.from({ length: count }, () => citizen(prefix));
  await Promise.all(all.map((c) => putProfile(deps, c.sub, c.identity)));
  return all;
}
