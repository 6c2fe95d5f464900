import type { Deps } from '#ports/deps';
import { NotFoundError, StateConflictError, ValidationError } from '../errors.ts';
import { type CodeDeps, checkCode, sendCode } from '../calls/codes.ts';
import { checkPhone } from '../identity/identity.ts';
import { phoneInUse } from '../limits/limits.ts';
import { maskPhone, parsePhone } from '../phone/phone.ts';

/**
 * A new profile phone takes effect once the code sent to that new (mobile) phone comes back.
 * A number another profile holds is refused here already (409 `phone_in_use`, no code sent: it
 * could not be taken), and again at verify (it may have been taken in between). The refusal is
 * counted as a send (cooldown and hourly cap), so the route cannot be used to test many numbers
 * for being registered.
 */
export async function requestPhoneChange(deps: CodeDeps & Pick<Deps, 'profiles'>, userId: string, input: { phone: string }) {
  const problems = checkPhone(input.phone, 'phone', { mobile: true });
  const parsed = parsePhone(input.phone);
  if (problems.length > 0 || !parsed.ok) throw new ValidationError(problems);
  if (!(await deps.profiles.getProfile(userId))) throw new NotFoundError('profile');
  const phone = parsed.phone.e164;
  return sendCode(deps, 'phone-change', userId, phone, async () => {
    const holder = await deps.profiles.userByPhone(phone);
    if (holder !== undefined && holder !== userId) throw phoneInUse();
  });
}

export async function verifyPhoneChange(deps: Pick<Deps, 'profiles' | 'codes' | 'clock' | 'hasher' | 'metrics'>, userId: string, code: string) {
  const { used } = await checkCode(deps, 'phone-change', userId, code);
  const phone = used.target;
  if (!phone) throw new StateConflictError('code_not_requested', 'No phone change was requested.');
  const outcome = await deps.profiles.changeProfilePhone(userId, phone, used, deps.clock.now().toISOString());
  if (outcome === 'phone_in_use') throw phoneInUse();
  if (outcome === 'code_used') throw new StateConflictError('code_used', 'This code has already been used: request a new code.');
  return { phone: maskPhone(phone) };
}
