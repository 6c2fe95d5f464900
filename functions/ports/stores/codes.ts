import type { OtpPurpose, OtpRecord } from '#core/otp/otp';

/** One-time codes (hashes only), one live record per (purpose, subject). */
export interface CodeStore {
  getOtp(purpose: OtpPurpose, subject: string): Promise<OtpRecord | undefined>;
  /** Stores a newly issued code in place of `prevIssuedAt`'s (absent: none may exist). False when another send won. */
  putOtp(record: OtpRecord, prevIssuedAt: string | undefined): Promise<boolean>;
  /**
   * Undoes `putOtp(ours, …)` when its code could not be sent: `prev` back in its place (absent:
   * no record), only while `ours` is still the stored one. False when something replaced it since.
   */
  restoreOtp(ours: OtpRecord, prev: OtpRecord | undefined): Promise<boolean>;
  /**
   * Spends one try of the live code of (purpose, subject) in one atomic conditional write, BEFORE
   * any guess is compared: only while it exists, is unused, has tries left and has not expired at
   * `now`. Answers the record as it is after the spend (the code to compare against), or undefined
   * when no try could be spent (then nothing was written; read the record to say why).
   */
  spendOtpAttempt(purpose: OtpPurpose, subject: string, now: string): Promise<OtpRecord | undefined>;
}
