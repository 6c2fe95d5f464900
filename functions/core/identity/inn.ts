/** INN (taxpayer number) check digits: 10 digits for organisations, 12 for individuals. */
const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function checkDigit(digits: string, weights: number[]): number {
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w * Number(digits[i]);
  });
  return (sum % 11) % 10;
}

export function innCheckDigits(prefix: string): string {
  if (prefix.length === 9) return String(checkDigit(prefix, W10));
  const d11 = String(checkDigit(prefix, W11));
  return d11 + String(checkDigit(prefix + d11, W12));
}

export function isValidInn(input: string): boolean {
  if (/^\d{10}$/.test(input)) return checkDigit(input, W10) === Number(input[9]);
  if (/^\d{12}$/.test(input)) {
    return checkDigit(input, W11) === Number(input[10]) && checkDigit(input, W12) === Number(input[11]);
  }
  return false;
}
