import type { Deps } from '#ports/deps';
import { NotFoundError, StateConflictError, ValidationError } from '../errors.ts';
import { type CodeDeps, checkCode, sendCode } from '../calls/codes.ts';
import { checkPhone } from '../identity/identity.ts';
import { maskPhone, parsePhone } from '../phone/phone.ts';

/** A new profile phone takes effect once the code sent to that new (mobile) phone comes back. */
export async function requestPhoneChange(deps: CodeDeps, userId: string, input: { phone: string }) {
  const problems = checkPhone(input.phone, 'phone', { mobile: true });
  const parsed = parsePhone(input.phone);
  if (problems.length > 0 || !parsed.ok) throw new ValidationError(problems);
  if (!(await deps.store.getProfile(userId))) throw new NotFoundError('profile');
  return sendCode(deps, 'phone-change', userId, parsed.phone.e164);
}

export async function verifyPhoneChange(deps: Pick<Deps, 'store' | 'clock' | 'hasher' | 'metrics'>, userId: string, code: string) {
  const { used, read } = await checkCode(deps, 'phone-change', userId, code);
  const phone = read.target;
  if (!phone) throw new StateConflictError('code_not_requested', 'No phone change was requested.');
  if (!(await deps.store.changeProfilePhone(userId, phone, used, read, deps.clock.now().toISOString()))) {
    throw new StateConflictError('code_used', 'This code has already been used: request a new code.');
  }
  return { phone: maskPhone(phone) };
}
