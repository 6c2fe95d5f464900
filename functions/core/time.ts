/** Calendar helpers on ISO strings, kept in UTC unless a function says otherwise. */
export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * 86_400_000);
}

export function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

/**
 * "Today" for dates a citizen reads off a document: the date in the easternmost Russian time zone
 * (Kamchatka, UTC+12), so a date that is today anywhere in Russia is never "in the future".
 */
export function latestRussianDate(at: Date): string {
  return isoDate(new Date(at.getTime() + 12 * 3_600_000));
}
