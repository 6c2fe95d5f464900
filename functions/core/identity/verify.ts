import type { Profile } from '#ports/stores/profiles';
import type { IdentityProblem, StoredIdentity } from '../requests/model.ts';

/** Compares what the citizen typed with the reference profile; an empty list means verified. */
export function compareWithProfile(identity: StoredIdentity, profile: Profile | undefined): IdentityProblem[] {
  if (!profile) return [{ field: 'profile', code: 'not_found' }];
  const problems: IdentityProblem[] = [];
  if (identity.fullNameFolded !== profile.fullNameFolded) problems.push({ field: 'fullName', code: 'mismatch' });
  if (identity.snilsHash !== profile.snilsHash) problems.push({ field: 'snils', code: 'mismatch' });
  if (identity.passportHash !== profile.passportHash) problems.push({ field: 'passport', code: 'mismatch' });
  if (identity.phone !== profile.phone) problems.push({ field: 'phone', code: 'mismatch' });
  return problems;
}
