import type { FieldProblem } from '../errors.ts';
import type { Hasher } from '#ports/hasher';
import type { HashedIdentity } from '../requests/model.ts';
import { parsePhone } from '../phone/phone.ts';
import { foldFullName, isValidFullName } from './full-name.ts';
import { type PassportInput, isValidPassport, passportFingerprint } from './passport.ts';
import { parseSnils } from './snils.ts';

/** Identity as a citizen or an admin types it. */
export interface IdentityInput {
  fullName: string;
  snils: string;
  passport: PassportInput;
  registrationAddress?: string;
  phone: string;
}

/** Every synchronous rule of the contract's "Identity and phone rules", all problems at once. */
export function checkIdentity(identity: IdentityInput, today: string, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isValidFullName(identity.fullName)) {
    problems.push({ path: `${prefix}fullName`, code: 'name_invalid', message: 'Full name must be 2 to 3 words in Cyrillic letters.' });
  }
  if (!parseSnils(identity.snils).ok) {
    problems.push({ path: `${prefix}snils`, code: 'snils_invalid', message: 'SNILS must be 11 digits with a valid check number.' });
  }
  if (!isValidPassport(identity.passport, today)) {
    problems.push({
      path: `${prefix}passport`,
      code: 'passport_invalid',
      message: 'Passport needs a 4-digit series, a 6-digit number and a real issue date from 1997-07-01 to today.',
    });
  }
  problems.push(...checkPhone(identity.phone, `${prefix}phone`, { mobile: true }));
  return problems;
}

export function checkPhone(input: string, path: string, need: { mobile: boolean }): FieldProblem[] {
  const parsed = parsePhone(input);
  if (!parsed.ok) {
    const message =
      parsed.code === 'phone_not_russian' ? 'Only Russian numbers are served (+7 6xx/7xx is Kazakhstan).' : 'Phone must have 10 national digits.';
    return [{ path, code: parsed.code, message }];
  }
  if (need.mobile && !parsed.mobile) {
    return [{ path, code: 'phone_not_mobile', message: 'SMS can only go to a mobile number (+7 9xx).' }];
  }
  return [];
}

/** Only call after checkIdentity found nothing: it trusts the input's shape. */
export async function storedIdentity(identity: IdentityInput, hasher: Hasher): Promise<HashedIdentity> {
  const snils = parseSnils(identity.snils);
  const phone = parsePhone(identity.phone);
  if (!snils.ok || !phone.ok) throw new Error('storedIdentity called on unchecked identity');
  const stored: HashedIdentity = {
    fullNameFolded: foldFullName(identity.fullName),
    snilsHash: await hasher.keyed('snils', snils.digits),
    snilsLast2: snils.digits.slice(-2),
    passportHash: await hasher.keyed('passport', passportFingerprint(identity.passport)),
    passportLast2: identity.passport.number.slice(-2),
    phone: phone.phone.e164,
  };
  if (identity.registrationAddress !== undefined) stored.registrationAddress = identity.registrationAddress;
  return stored;
}
