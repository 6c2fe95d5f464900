export interface Ids {
  /** A unique, time-ordered id (ULID). */
  newId(): string;
  /** Random characters for human-readable numbers (Crockford base32, no I L O U). */
  randomChars(length: number): string;
}
