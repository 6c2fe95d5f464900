import type { CodeStore } from '#ports/stores/codes';
import { type MemoryTable, copy } from './memory-table.ts';

/** One-time codes, as dynamoCodeStore keeps them. */
export function memoryCodeStore(t: MemoryTable): CodeStore {
  return {
    async getOtp(purpose, subject) {
      const record = t.otps.get(`${purpose}#${subject}`);
      return record ? copy(record) : undefined;
    },

    async putOtp(record, prevIssuedAt) {
      const current = t.otps.get(t.otpKey(record));
      if (prevIssuedAt === undefined ? current !== undefined : current?.issuedAt !== prevIssuedAt) return false;
      t.otps.set(t.otpKey(record), copy(record));
      return true;
    },

    async restoreOtp(ours, prev) {
      if (t.otps.get(t.otpKey(ours))?.issuedAt !== ours.issuedAt) return false;
      if (prev) t.otps.set(t.otpKey(ours), copy(prev));
      else t.otps.delete(t.otpKey(ours));
      return true;
    },

    async spendOtpAttempt(purpose, subject, now) {
      // The DynamoDB condition: exists, unused, tries left, not expired (ISO times compare as text).
      const record = t.otps.get(`${purpose}#${subject}`);
      if (!record || record.used || !(record.attemptsLeft > 0) || !(record.expiresAt >= now)) return undefined;
      const spent = { ...record, attemptsLeft: record.attemptsLeft - 1 };
      t.otps.set(t.otpKey(spent), spent);
      return copy(spent);
    },
  };
}
