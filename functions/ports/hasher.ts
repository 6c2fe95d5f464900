/** Hashing the core needs without touching a crypto library or a secret itself. */
export interface Hasher {
  /** HMAC under the service's secret key: for SNILS, passports and one-time codes. */
  keyed(purpose: string, text: string): Promise<string>;
  /** Plain SHA-256, hex: for fingerprints of request bodies. */
  digest(text: string): string;
}
