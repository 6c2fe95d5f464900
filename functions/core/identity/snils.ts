/**
 * SNILS (insurance number of individual ledger account): 9 digits and a 2-digit check number.
 * The official rule: the sum of each digit times its weight (9 down to 1); below 100 the sum is
 * the check number, 100 and 101 give 00, above 101 the remainder mod 101 (100 again gives 00).
 * Numbers up to 001-001-998 were issued before the check number existed and are not checked.
 */
export type SnilsResult = { ok: true; digits: string } | { ok: false };

const SEPARATORS = /[\s-]/g;

export function snilsCheckNumber(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i += 1) sum += Number(nineDigits[i]) * (9 - i);
  if (sum < 100) return sum;
  if (sum === 100 || sum === 101) return 0;
  const rest = sum % 101;
  return rest === 100 ? 0 : rest;
}

export function parseSnils(input: string): SnilsResult {
  const digits = input.replace(SEPARATORS, '');
  if (!/^\d{11}$/.test(digits)) return { ok: false };
  const body = digits.slice(0, 9);
  if (Number(body) <= 1001998) return { ok: true, digits };
  return snilsCheckNumber(body) === Number(digits.slice(9)) ? { ok: true, digits } : { ok: false };
}

export function formatSnils(digits: string): string {
  return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6, 9)} ${digits.slice(9)}`;
}
