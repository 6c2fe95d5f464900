import type { Deps } from '#ports/deps';
import type { Profile } from '#ports/store';
import { ValidationError } from '../errors.ts';
import { type IdentityInput, checkIdentity, storedIdentity } from '../identity/identity.ts';
import { phoneInUse } from '../limits/limits.ts';
import { maskPhone } from '../phone/phone.ts';
import { latestRussianDate } from '../time.ts';

/** Creates or replaces the reference profile. SNILS and passport are kept as keyed hashes only. */
export async function putProfile(deps: Pick<Deps, 'store' | 'clock' | 'hasher'>, userId: string, input: IdentityInput) {
  const now = deps.clock.now();
  const problems = checkIdentity(input, latestRussianDate(now), '');
  if (problems.length > 0) throw new ValidationError(problems);
  const stored = await storedIdentity(input, deps.hasher);
  const profile: Profile = { userId, fullName: input.fullName.trim().replace(/\s+/g, ' '), ...stored, updatedAt: now.toISOString() };
  // The phone index is claimed in the same transaction: another profile's number changes nothing.
  const outcome = await deps.store.putProfile(profile);
  if (outcome === 'phone_in_use') throw phoneInUse();
  const { created } = outcome;
  return {
    statusCode: created ? 201 : 200,
    body: {
      userId,
      fullName: profile.fullName,
      snilsLast2: profile.snilsLast2,
      passportLast2: profile.passportLast2,
      phone: maskPhone(profile.phone),
      ...(profile.registrationAddress !== undefined ? { registrationAddress: profile.registrationAddress } : {}),
      updatedAt: profile.updatedAt,
    },
  };
}
