import type { Deps } from '#ports/deps';
import { RateLimitedError } from '../errors.ts';
import { sendCounted } from '../notices/send-counted.ts';
import { type OtpPurpose, type OtpRecord, type VerifyFailure, hashCode, issueCode, judgeTry, refusal, verifyError } from '../otp/otp.ts';

/**
 * Sending and checking one-time codes, for every purpose: the code is issued and its hash stored
 * here; the code itself travels only sealed, through the confirmation workflow, to the SMS.
 */
export type CodeDeps = Pick<Deps, 'codes' | 'clock' | 'hasher' | 'sealer' | 'otpRandom' | 'workflows'>;

/**
 * `beforeSend` runs once the send is counted (the record stored) and before the code goes out: a
 * refusal there (it throws) keeps the send counted, so refusals are bounded like sends are.
 */
export async function sendCode(deps: CodeDeps, purpose: OtpPurpose, subject: string, phone: string, beforeSend?: () => Promise<void>) {
  const now = deps.clock.now();
  const prev = await deps.codes.getOtp(purpose, subject);
  const code = deps.otpRandom.sixDigits();
  const decision = await issueCode(prev, now, code, deps.hasher, purpose, subject, phone);
  if (decision.kind === 'rate_limited') throw decision.error;
  // Conditional on the record read: of two sends at once, one wins and the other waits its turn.
  if (!(await deps.codes.putOtp(decision.record, prev?.issuedAt))) {
    throw new RateLimitedError(60, 'code_resend_too_soon', 'A code is being sent right now; try again in a minute.');
  }
  await beforeSend?.();
  const sealedCode = await deps.sealer.seal(code);
  try {
    await deps.workflows.start('confirmation', `${purpose}-${subject}-${now.getTime()}`, { purpose, subject, sealedCode });
  } catch (error) {
    // The code will never be sent: put back what was there, so this send costs the citizen
    // neither the 60 s cooldown nor one of the hour's sends, and a retry can go at once.
    // A restore that fails too leaves the cooldown to run out, as before; the start's error is the one to report.
    await deps.codes.restoreOtp(decision.record, prev).catch(() => false);
    throw error;
  }
  return decision.response;
}

/** How often a refused spend is tried again when the record read next looks spendable (a new code arrived in between). */
const SPEND_ROUNDS = 3;

/**
 * Checks a code. A try is spent first, atomically (the store's conditional write), and only then
 * is the guess compared with the code that try was spent on: parallel guesses can never share a
 * try, and a guess that got no try is never compared, so its answer (locked, used, expired) cannot
 * tell a right code from a wrong one. `ok` hands back the spent record to store as used with the
 * action; every other outcome throws its error.
 */
export async function checkCode(deps: Pick<Deps, 'codes' | 'clock' | 'hasher' | 'metrics'>, purpose: OtpPurpose, subject: string, code: string): Promise<{ used: OtpRecord }> {
  const expected = { purpose, subject };
  for (let round = 1; ; round += 1) {
    const now = deps.clock.now();
    const spent = await deps.codes.spendOtpAttempt(purpose, subject, now.toISOString());
    if (spent) {
      const decision = await judgeTry(spent, code, deps.hasher, expected);
      if (decision.kind === 'ok') return { used: decision.record };
      if (decision.kind === 'invalid' && decision.attemptsLeft === 0) deps.metrics.put('CodesLocked', { Purpose: purpose });
      throw verifyError(decision as VerifyFailure);
    }
    const refused = refusal(await deps.codes.getOtp(purpose, subject), now, expected);
    if (refused) throw verifyError(refused);
    // Spendable now, so the record changed after the refused spend (a new code was sent): try on it.
    if (round >= SPEND_ROUNDS) throw verifyError({ kind: 'used' });
  }
}

/**
 * The confirmation workflow's send step: opens the sealed code and sends it to the record's phone,
 * unless a newer code replaced it, it was used or it expired (then there is nothing to send).
 */
export async function deliverCode(deps: Pick<Deps, 'codes' | 'clock' | 'hasher' | 'sealer' | 'sms' | 'metrics'>, purpose: OtpPurpose, subject: string, sealedCode: string, text: (code: string) => string) {
  const record = await deps.codes.getOtp(purpose, subject);
  const code = await deps.sealer.unseal(sealedCode);
  const live = record && !record.used && record.target && Date.parse(record.expiresAt) >= deps.clock.now().getTime();
  if (!live || (await hashCode(deps.hasher, purpose, subject, code)) !== record.codeHash) return { sent: false };
  await sendCounted(deps, `code_${purpose}`, record.target as string, text(code));
  return { sent: true };
}

/** The workflow's last step, after the code's lifetime: whether it was used. */
export async function closeCode(deps: Pick<Deps, 'codes'>, purpose: OtpPurpose, subject: string) {
  const record = await deps.codes.getOtp(purpose, subject);
  return { used: record?.used === true };
}
