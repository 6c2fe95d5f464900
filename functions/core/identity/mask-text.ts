import { parseSnils } from './snils.ts';

/**
 * Masks the SNILS and passport numbers a citizen (or an operator) types into free text, before it
 * is stored: what is never kept in clear in a profile must not sit in clear in a comment either.
 *
 * - A SNILS in any written form (11 digits bare, or 3-3-3-2 groups split by a space or a dash) whose
 *   check number is valid (the project's own rule, snils.ts) becomes `***-***-*** YY`: YY, its
 *   check number, is what a citizen or an operator needs to tell two numbers apart.
 * - A passport series and number (4 + 6 digits, spaced or not, or `серия 4510 номер 123456`) within
 *   20 characters of `паспорт`, `серия` or `номер` (any case or ending) becomes `** ** ******`.
 *
 * Digits glued to other digits are a longer number (an INN, an account), not a SNILS or passport;
 * digits right after `+` are a phone, and a 10-digit run right after `+7` or `8` is a phone's tail. The function is
 * idempotent: masked text contains no run of digits either pattern takes.
 */
export const SNILS_MASK = '***-***-***';
export const PASSPORT_MASK = '** ** ******';

/** One separator between SNILS groups: a space (any kind) or a dash, optionally spaced. */
const SEP = String.raw`(?:\s?[-\u2010-\u2015]\s?|\s)?`;
const SNILS = new RegExp(String.raw`(?<![\d+])\d{3}${SEP}\d{3}${SEP}\d{3}${SEP}\d{2}(?!\d)`, 'g');

/** Series "4510" or "45 10", then the number, joined by a separator or by the word `номер`. */
const JOIN = String.raw`(?:[\s\-\u2010-\u2015:,№]{0,3}(?:номер\p{L}{0,3}[\s.:№]{0,3})?)`;
const PASSPORT = new RegExp(String.raw`(?<!\d)(?<!(?:\+7|(?<!\d)8)[\s\-()]{0,2})\d{2}\s?\d{2}${JOIN}\d{6}(?!\d)`, 'giu');
/** The keyword is the whole word (паспорт, паспортные, серии, номера…): 20 characters count from its ends. */
const KEYWORD = /(?:паспорт|сери|номер)\p{L}*/giu;
const NEAR = 20;

function maskSnils(text: string): string {
  return text.replace(SNILS, (found) => {
    const digits = found.replace(/\D/g, '');
    return parseSnils(digits).ok ? `${SNILS_MASK} ${digits.slice(9)}` : found;
  });
}

/** Where the keywords are: [start, end) of each. */
function keywordSpans(text: string): [number, number][] {
  return [...text.matchAll(KEYWORD)].map((m) => [m.index, m.index + m[0].length]);
}

function maskPassports(text: string): string {
  const spans = keywordSpans(text);
  if (spans.length === 0) return text;
  return text.replace(PASSPORT, (found, offset: number) => {
    const end = offset + found.length;
    const near = spans.some(([s, e]) => (e <= offset && offset - e <= NEAR) || (s >= end && s - end <= NEAR) || (s < end && e > offset));
    return near ? PASSPORT_MASK : found;
  });
}

export function maskText(text: string): string {
  return maskPassports(maskSnils(text));
}
