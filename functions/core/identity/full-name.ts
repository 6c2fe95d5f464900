/** Full name: 2 to 3 words of Cyrillic letters (hyphenated parts allowed). */
const WORD = /^[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*$/;

export function foldFullName(input: string): string {
  return input.trim().replace(/\s+/g, ' ').toLowerCase().replace(/ё/g, 'е');
}

export function isValidFullName(input: string): boolean {
  const words = input.trim().split(/\s+/);
  return words.length >= 2 && words.length <= 3 && words.every((w) => WORD.test(w));
}
