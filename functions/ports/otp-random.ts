export type { OtpRandom } from '#core/otp/random';
