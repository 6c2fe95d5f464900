import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, parsePhone } from '#core/phone/phone';

describe('phone: input forms of the contract', () => {
  it.each([
    ['+79123456789'],
    ['+7 912 345-67-89'],
    ['+7 (912) 345-67-89'],
    ['+7(912)345-67-89'],
    ['8 912 345 67 89'],
    ['8 (912) 345-67-89'],
    ['89123456789'],
    ['7 912 345 67 89'],
    ['79123456789'],
    ['9123456789'],
    ['912 345 67 89'],
    ['(912) 345-67-89'],
    ['8.912.345.67.89'],
    ['+7.912.345.67.89'],
    ['+ 7 9 1 2 3 4 5 6 7 8 9'],
    ['8-9-1-2-3-4-5-6-7-8-9'],
    ['(8)(912)(345)(67)(89)'],
    ['  +7 912 345-67-89  '],
    ['+7\t912\u00a0345-67-89'],
  ])('%j → +79123456789, mobile', (input) => {
    expect(parsePhone(input)).toEqual({ ok: true, phone: { e164: '+79123456789' }, mobile: true });
  });

  it.each([
    ['+7 495 123-45-67 доб. 12', '12'],
    ['+7 495 123-45-67 доб 12', '12'],
    ['+7 495 123-45-67 доб.12', '12'],
    ['+7 495 123-45-67 ДОБ. 12', '12'],
    ['+7 495 123-45-67 ext. 345', '345'],
    ['+7 495 123-45-67 ext 345', '345'],
    ['+7 495 123-45-67 EXT. 345', '345'],
    ['+7 495 123-45-67#7', '7'],
    ['+7 495 123-45-67 # 7', '7'],
    ['+7 495 123-45-67,123456', '123456'],
    ['8 (495) 123-45-67, 1', '1'],
  ])('%j carries the extension %s', (input, extension) => {
    expect(parsePhone(input)).toEqual({ ok: true, phone: { e164: '+74951234567', extension }, mobile: false });
  });

  it.each([
    ['+7 912 345-67-8', 'nine national digits'],
    ['+7 912 345-67-890', 'eleven national digits'],
    ['8 912 345 67 890', 'twelve digits with 8'],
    ['912345678', 'nine bare digits'],
    ['+8 912 345-67-89', 'another country code after +'],
    ['+1 912 345 67 89', 'US'],
    ['+44 20 7946 0958', 'UK'],
    ['69123456789', '11 digits starting with 6'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['телефон', 'words'],
    ['+7 912 345-67-89 звоните вечером', 'trailing junk'],
    ['+7 912 abc 67 89', 'letters inside'],
    ['+7 912 345/67/89', 'slashes'],
    ['+7 012 345-67-89', 'national part starting with 0'],
    ['+7 212 345-67-89', 'national part starting with 2'],
    ['+7 512 345-67-89', 'national part starting with 5'],
    ['+7 912 345-67-89 доб. ', 'extension without digits'],
    ['+7 912 345-67-89 доб. 1234567', 'extension of seven digits'],
    ['++79123456789', 'double plus'],
    ['+7 912 345-67-89 +7 912 345-67-89', 'two numbers'],
  ])('%j is phone_invalid (%s)', (input) => {
    expect(parsePhone(input)).toEqual({ ok: false, code: 'phone_invalid' });
  });

  it.each(['+7 600 123-45-67', '+7 701 123-45-67', '8 727 123 45 67', '77011234567', '7011234567', '+7 (777) 000-00-00'])(
    '%j (Kazakhstan) is phone_not_russian',
    (input) => {
      expect(parsePhone(input)).toEqual({ ok: false, code: 'phone_not_russian' });
    },
  );

  it.each([
    ['+7 495 123-45-67', false],
    ['8 812 123 45 67', false],
    ['+7 343 123-45-67', false],
    ['8 800 100-10-01', false],
    ['+7 912 345-67-89', true],
    ['+7 999 000-00-00', true],
    ['+7 900 000-00-00', true],
  ])('%j mobile = %s (mobile only for national 9xx)', (input, mobile) => {
    const parsed = parsePhone(input);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.mobile).toBe(mobile);
  });
});

describe('maskPhone', () => {
  it('shows only the country code and the last two digits', () => {
    expect(maskPhone('+79123456789')).toBe('+7********89');
    expect(maskPhone('+74951234567')).toBe('+7********67');
  });

  it('property: of the national number only the last two digits survive, and the length stays', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^9\d{9}$/), (national) => {
        const masked = maskPhone(`+7${national}`);
        expect(masked).toHaveLength(12);
        expect(masked.slice(0, 2)).toBe('+7');
        expect(masked.slice(2, 10)).toBe('********');
        expect(masked.slice(10)).toBe(national.slice(8));
      }),
    );
  });
});

describe('phone properties', () => {
  const russianNational = fc
    .tuple(fc.constantFrom('3', '4', '8', '9'), fc.stringMatching(/^\d{9}$/))
    .map(([first, rest]) => first + rest);
  const decoration = fc.array(fc.constantFrom(' ', '-', '.', '(', ')', '  ', '\t'), { maxLength: 2 }).map((d) => d.join(''));
  const extensionForm = fc.tuple(fc.constantFrom('доб. ', 'доб ', 'доб.', 'ext. ', 'ext ', '#', ' #', ',', ', '), fc.stringMatching(/^\d{1,6}$/));

  /** The national number written with one of the allowed prefixes and decorations between any characters. */
  const decorated = (national: string) =>
    fc
      .tuple(
        fc.constantFrom('+7', '8', '7', ''),
        fc.array(decoration, { minLength: 14, maxLength: 14 }),
      )
      .map(([prefix, decorations]) => {
        const chars = [...prefix, ...national];
        return chars.map((c, i) => (decorations[i] ?? '') + c).join('') + (decorations[13] ?? '');
      });

  it('property: any decoration of a valid number normalizes to the same E.164', () => {
    fc.assert(
      fc.property(russianNational.chain((n) => fc.tuple(fc.constant(n), decorated(n))), ([national, input]) => {
        const parsed = parsePhone(input);
        expect(parsed, input).toEqual({ ok: true, phone: { e164: `+7${national}` }, mobile: national.startsWith('9') });
      }),
      { numRuns: 1000 },
    );
  });

  it('property: an extension in any accepted form is split off and kept', () => {
    fc.assert(
      fc.property(
        russianNational.chain((n) => fc.tuple(fc.constant(n), decorated(n), extensionForm)),
        ([national, input, [sep, ext]]) => {
          const parsed = parsePhone(`${input} ${sep}${ext}`);
          expect(parsed).toEqual({ ok: true, phone: { e164: `+7${national}`, extension: ext }, mobile: national.startsWith('9') });
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: normalization is idempotent (the E.164 output parses to itself)', () => {
    fc.assert(
      fc.property(russianNational.chain((n) => decorated(n)), (input) => {
        const first = parsePhone(input);
        expect(first.ok).toBe(true);
        if (!first.ok) return;
        const again = parsePhone(first.phone.e164);
        expect(again).toEqual(first);
      }),
      { numRuns: 500 },
    );
  });

  it('property: national numbers starting with 6 or 7 are phone_not_russian in every form', () => {
    fc.assert(
      fc.property(
        fc.tuple(fc.constantFrom('6', '7'), fc.stringMatching(/^\d{9}$/)).chain(([f, r]) => decorated(f + r)),
        (input) => {
          expect(parsePhone(input)).toEqual({ ok: false, code: 'phone_not_russian' });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: a wrong count of digits is phone_invalid', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.stringMatching(/^\d{1,9}$/), fc.stringMatching(/^\d{12,15}$/)),
        fc.constantFrom('+7', ''),
        (digits, prefix) => {
          expect(parsePhone(prefix + digits)).toEqual({ ok: false, code: 'phone_invalid' });
        },
      ),
    );
  });

  it('property: no string makes parsePhone throw, and an accepted phone is always +7 and 10 digits', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        const parsed = parsePhone(input);
        if (parsed.ok) expect(parsed.phone.e164).toMatch(/^\+7[0-58-9]\d{9}$/);
      }),
      { numRuns: 2000 },
    );
  });
});
