/** Full name: 2 to 3 words of Cyrillic letters (hyphenated parts allowed). */
const WORD = /^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$/;

export function foldFullName(input: string): string {
  return input.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}

export function isValidFullName(input: string): boolean {
  // NFC first: ё typed as е + a combining diaeresis is the same letter.
  const words = input.normalize('NFC').trim().split(/\s+/);
  return words.length >= 2 && words.length <= 3 && words.every((w) => WORD.test(w));
}
