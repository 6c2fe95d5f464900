import type { OtpRecord } from '#core/otp/otp';

/** The reference profile verification compares with. SNILS and passport only as keyed hashes. */
export interface Profile {
  userId: string;
  fullName: string;
  fullNameFolded: string;
  snilsHash: string;
  snilsLast2: string;
  passportHash: string;
  passportLast2: string;
  registrationAddress?: string;
  phone: string;
  /** The subject's code and the citizen's IANA zone (functions/core/regions); absent on older profiles: 77, Moscow. */
  region?: string;
  timeZone?: string;
  updatedAt: string;
}

/** How a phone change ended: `phone_in_use` (another profile holds it) and `code_used` change nothing. */
export type PhoneChangeOutcome = 'changed' | 'code_used' | 'phone_in_use';

/** Reference profiles and their phone index (a phone number belongs to one profile). */
export interface ProfileStore {
  getProfile(userId: string): Promise<Profile | undefined>;
  /**
   * Creates or replaces, claiming the phone's index item (conditionally: `phone_in_use` when
   * another profile holds that number, and nothing is written) and releasing the old number's.
   */
  putProfile(profile: Profile): Promise<{ created: boolean } | 'phone_in_use'>;
  /** The user whose profile phone this is (profiles keep a phone index). */
  userByPhone(e164: string): Promise<string | undefined>;
  /**
   * The right code for a phone change: the code is used, the profile's phone changed, the new
   * number's index claimed (only if no other profile holds it) and the old one's released, together.
   * Writes across parts (the code of `codes`) in one transaction; it lives here, with its main entity.
   */
  changeProfilePhone(userId: string, phone: string, spent: OtpRecord, at: string): Promise<PhoneChangeOutcome>;
}
