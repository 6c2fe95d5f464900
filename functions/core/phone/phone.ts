/**
 * Russian phone numbers: `+7…`, `8…`, `7…` or 10 bare digits, with spaces, dashes, dots and
 * brackets anywhere, and an optional extension (`доб. N`, `доб N`, `ext. N`, `#N`, `,N`).
 */
export interface Phone {
  e164: string;
  extension?: string;
}

export type PhoneResult =
  | { ok: true; phone: Phone; mobile: boolean }
  | { ok: false; code: 'phone_invalid' | 'phone_not_russian' };

const EXTENSION = /(?:доб\.?|ext\.?|#|,)\s*(\d{1,6})\s*$/iu;
const DECORATION = /[\s\-.()]/g;

export function parsePhone(input: string): PhoneResult {
  let rest = input.trim();
  let extension: string | undefined;
  const ext = EXTENSION.exec(rest);
  if (ext) {
    extension = ext[1];
    rest = rest.slice(0, ext.index);
  }
  const compact = rest.replace(DECORATION, '');
  let national: string;
  if (/^\+7\d{10}$/.test(compact)) national = compact.slice(2);
  else if (/^[78]\d{10}$/.test(compact)) national = compact.slice(1);
  else if (/^\d{10}$/.test(compact)) national = compact;
  else return { ok: false, code: 'phone_invalid' };
  if (national[0] === '6' || national[0] === '7') return { ok: false, code: 'phone_not_russian' };
  // Russian national numbers start with 3, 4 or 8 (geographic and non-geographic codes) or 9 (mobile).
  if (!/^[3489]/.test(national)) return { ok: false, code: 'phone_invalid' };
  const phone: Phone = extension ? { e164: `+7${national}`, extension } : { e164: `+7${national}` };
  return { ok: true, phone, mobile: national[0] === '9' };
}

/** What a citizen may see of a phone: everything but the last two digits masked. */
export function maskPhone(e164: string): string {
  return `+7${'*'.repeat(8)}${e164.slice(-2)}`;
}
