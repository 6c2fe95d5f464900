/** Russian internal passport: series of 4 digits, number of 6, issued since 1997-07-01. */
export interface PassportInput {
  series: string;
  number: string;
  issuedOn: string;
}

const FIRST_ISSUE = '1997-07-01';

export function isRealDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

export function isValidPassport(p: PassportInput, today: string): boolean {
  return (
    /^\d{4}$/.test(p.series) &&
    /^\d{6}$/.test(p.number) &&
    isRealDate(p.issuedOn) &&
    p.issuedOn >= FIRST_ISSUE &&
    p.issuedOn <= today
  );
}

/** The canonical text that is hashed: never stored or logged in clear. */
export function passportFingerprint(p: PassportInput): string {
  return `${p.series}|${p.number}|${p.issuedOn}`;
}
