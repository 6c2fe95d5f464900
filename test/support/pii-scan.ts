/**
 * Looks for one person's data in text (log output, response bodies) in every form it could be
 * written: SNILS as bare digits or with dashes/spaces, passport series and number apart or
 * together, phones as E.164, with 8, or formatted, names and address words in any case, `ё` as
 * `е`, and JSON `\uXXXX` escapes decoded first.
 */
export interface Person {
  /** 11 digits each. */
  snils: string[];
  passports: { series: string; number: string }[];
  /** 10 national digits each (after +7 / 8). */
  phones: string[];
  fullNames: string[];
  addresses: string[];
  /** Distinctive words of the addresses (street, town). */
  addressWords: string[];
  /** Secrets that must not appear as a standalone token (one-time codes). */
  secrets?: string[];
}

export interface Leak {
  kind: string;
  what: string;
  line: string;
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

function decodeEscapes(line: string): string {
  return line.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/ё/g, 'е');
}

/** `text` as a standalone token: not glued to other letters or digits. */
function hasToken(text: string, token: string): boolean {
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}

export function snilsForms(digits: string): string[] {
  const [a, b, c, d] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6, 9), digits.slice(9)];
  return [digits, `${a}-${b}-${c} ${d}`, `${a}-${b}-${c}-${d}`, `${a} ${b} ${c} ${d}`, `${a}${b}${c} ${d}`, `${a}-${b}-${c}${d}`];
}

export function phoneForms(national: string): string[] {
  const [op, a, b, c] = [national.slice(0, 3), national.slice(3, 6), national.slice(6, 8), national.slice(8)];
  return [`+7${national}`, `8${national}`, `7${national}`, national, `+7 ${op} ${a}-${b}-${c}`, `8 (${op}) ${a}-${b}-${c}`, `+7 (${op}) ${a} ${b} ${c}`];
}

export function findLeaks(text: string, person: Person): Leak[] {
  const leaks: Leak[] = [];
  const words = person.fullNames.flatMap((n) => n.split(/[\s-]+/)).filter((w) => w.length >= 3);
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const line = decodeEscapes(raw);
    const withoutIds = line.replace(UUID, ' ');
    // Separators people and formatters put into numbers, gone: what is left of a number is its digits.
    const digits = withoutIds.replace(/[\s\-().+/_]/g, '');
    const folded = fold(withoutIds);
    const seen = new Set<string>();
    const add = (kind: string, what: string) => {
      const id = `${kind.split(' ')[0]}|${what.replace(/\D/g, '') || what}`;
      if (seen.has(id)) return;
      seen.add(id);
      leaks.push({ kind, what, line: raw.slice(0, 300) });
    };
    for (const s of person.snils) {
      if (digits.includes(s)) add('snils', s);
      else if (digits.includes(s.slice(0, 9))) add('snils (first nine digits)', s.slice(0, 9));
      for (const form of snilsForms(s)) if (line.includes(form)) add('snils', form);
    }
    for (const p of person.passports) {
      if (hasToken(withoutIds, p.series)) add('passport series', p.series);
      if (hasToken(withoutIds, p.number)) add('passport number', p.number);
      if (digits.includes(`${p.series}${p.number}`)) add('passport series+number', `${p.series} ${p.number}`);
    }
    for (const phone of person.phones) {
      if (digits.includes(phone)) add('phone', phone);
      for (const form of phoneForms(phone)) if (line.includes(form)) add('phone', form);
    }
    for (const name of person.fullNames) if (folded.includes(fold(name))) add('full name', name);
    for (const word of words) if (folded.includes(fold(word))) add('name word', word);
    for (const secret of person.secrets ?? []) if (hasToken(withoutIds, secret)) add('secret', secret);
    for (const address of person.addresses) if (folded.includes(fold(address))) add('address', address);
    for (const word of person.addressWords) if (folded.includes(fold(word))) add('address word', word);
  }
  return leaks;
}
