/**
 * The random source of one-time codes (a port: the core never draws randomness itself).
 * An implementation must use a cryptographically secure generator, uniform over 000000..999999
 * (e.g. `crypto.randomInt(0, 1_000_000)` zero-padded), never `Math.random`.
 */
export interface OtpRandom {
  /** Six decimal digits, leading zeros kept: '000000'..'999999'. */
  sixDigits(): string;
}
