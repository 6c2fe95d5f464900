import type { Deps } from '#ports/deps';
import type { Profile } from '#ports/stores/profiles';
import { ValidationError } from '../errors.ts';
import { type IdentityInput, checkIdentity, storedIdentity } from '../identity/identity.ts';
import { phoneInUse } from '../limits/limits.ts';
import { maskPhone } from '../phone/phone.ts';
import { checkRegionAndZone } from '../regions/regions.ts';
import { latestRussianDate } from '../time.ts';

/** The identity plus where the citizen lives (both optional: region 77, the region's main zone). */
export type ProfileInput = IdentityInput & { region?: string | undefined; timeZone?: string | undefined };

/** Creates or replaces the reference profile. SNILS and passport are kept as keyed hashes only. */
export async function putProfile(deps: Pick<Deps, 'profiles' | 'clock' | 'hasher'>, userId: string, input: ProfileInput) {
  const now = deps.clock.now();
  const place = checkRegionAndZone(input);
  const problems = [...checkIdentity(input, latestRussianDate(now), ''), ...(place.ok ? [] : place.problems)];
  if (problems.length > 0 || !place.ok) throw new ValidationError(problems);
  const stored = await storedIdentity(input, deps.hasher);
  const profile: Profile = { userId, fullName: input.fullName.trim().replace(/\s+/g, ' '), ...stored, ...place.value, updatedAt: now.toISOString() };
  // The phone index is claimed in the same transaction: another profile's number changes nothing.
  const outcome = await deps.profiles.putProfile(profile);
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
      region: place.value.region,
      timeZone: place.value.timeZone,
      updatedAt: profile.updatedAt,
    },
  };
}
