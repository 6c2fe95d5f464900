import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PASSPORT_MASK, SNILS_MASK, maskText } from '#core/identity/mask-text';
import { parseSnils, snilsCheckNumber } from '#core/identity/snils';
import { AnswerSchema, ClaimSchema, CommentSchema, CreateRequestSchema, NewAttachmentSchema, RecordCallSchema } from '#http/schemas';
import { parseWith } from '#http/validate';
import { callbackInput, writtenInput } from './fixtures.ts';

/**
 * SNILS and passport numbers typed into free text never survive masking, whatever form they are
 * written in and whatever Cyrillic text surrounds them; numbers that are neither (an invalid
 * check number, phones, dates, an INN) stay as typed.
 */
const CYRILLIC = 'абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';
/** Text around a number: Cyrillic letters, spaces and punctuation, no digits (digits glued on make a longer number). */
const cyrillicText = fc.string({ unit: fc.constantFrom(...CYRILLIC, ' ', ' ', ',', '.', ':', '-', '\n', '«', '»'), maxLength: 40 });

/** A SNILS with a valid check number (bodies above 001-001-998, which have one). */
const validSnils = fc.integer({ min: 1_001_999, max: 999_999_999 }).map((n) => {
  const body = String(n).padStart(9, '0');
  return body + String(snilsCheckNumber(body)).padStart(2, '0');
});

type Form = (d: string) => string;
const FORMS: Record<string, Form> = {
  bare: (d) => d,
  official: (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)} ${d.slice(9)}`,
  spaces: (d) => `${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 9)} ${d.slice(9)}`,
  dashes: (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)}-${d.slice(9)}`,
  'spaced dashes': (d) => `${d.slice(0, 3)} - ${d.slice(3, 6)} - ${d.slice(6, 9)} ${d.slice(9)}`,
  'no space before check': (d) => `${d.slice(0, 3)}-${d.slice(3, 6)}-${d.slice(6, 9)}${d.slice(9)}`,
  'non-breaking spaces': (d) => `${d.slice(0, 3)}\u00a0${d.slice(3, 6)}\u00a0${d.slice(6, 9)}\u00a0${d.slice(9)}`,
  'en dashes': (d) => `${d.slice(0, 3)}–${d.slice(3, 6)}–${d.slice(6, 9)} ${d.slice(9)}`,
};

describe('SNILS in free text', () => {
  it('any valid SNILS, in any of its forms, embedded in random Cyrillic text, never survives', () => {
    fc.assert(
      fc.property(validSnils, fc.constantFrom(...Object.keys(FORMS)), cyrillicText, cyrillicText, (digits, form, before, after) => {
        const out = maskText(`${before}${(FORMS[form] as Form)(digits)}${after}`);
        // The text around it has no digits: any 9-digit run of the SNILS body left over is a leak.
        expect(out.replace(/\D/g, '')).not.toContain(digits.slice(0, 9));
        expect(out).toContain(`${SNILS_MASK} ${digits.slice(9)}`);
        expect(out.startsWith(before)).toBe(true);
        expect(out.endsWith(after)).toBe(true);
        expect(maskText(out)).toBe(out);
      }),
      { numRuns: 2_000 },
    );
  });

  it('masks the issue\'s text, several numbers at once, and numbers glued to letters', () => {
    expect(maskText('паспорт 4512 777777, СНИЛС 111-222-333 72')).toBe('паспорт ** ** ******, СНИЛС ***-***-*** 72');
    expect(maskText('СНИЛС11223344595и 112 233 445 95')).toBe('СНИЛС***-***-*** 95и ***-***-*** 95');
  });

  it('leaves a SNILS-shaped number with a wrong check number, phones, dates, times and an INN as typed', () => {
    fc.assert(
      fc.property(validSnils, cyrillicText, (digits, around) => {
        const wrong = digits.slice(0, 9) + String((Number(digits.slice(9)) + 1) % 100).padStart(2, '0');
        fc.pre(!parseSnils(wrong).ok);
        for (const form of Object.values(FORMS)) {
          const text = `${around}${form(wrong)}${around}`;
          expect(maskText(text)).toBe(text);
        }
      }),
      { numRuns: 500 },
    );
    const untouched = [
      'Позвоните мне: +7 912 345-67-89, или +79123456789, или 8 (912) 345-67-89, или 8-912-345-67-89',
      'Мой номер телефона +7 9123456789, запасной 8 9123456789',
      'Заявление от 12.03.2024, подано 2024-03-12 в 10:15:00, дата рождения 01.01.1990',
      'ИНН 500100732259 и 7707083893, счёт 40817810099910004312',
      'номер заявления 20261126-7KQ3ZD, код 123456',
    ];
    for (const text of untouched) expect(maskText(text)).toBe(text);
  });
});

describe('passport numbers in free text', () => {
  const passport = fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 999_999 })).map(([s, n]) => [String(s).padStart(4, '0'), String(n).padStart(6, '0')] as const);
  const PASSPORT_FORMS: Record<string, (s: string, n: string) => string> = {
    spaced: (s, n) => `${s} ${n}`,
    glued: (s, n) => `${s}${n}`,
    'series split': (s, n) => `${s.slice(0, 2)} ${s.slice(2)} ${n}`,
    'with номер': (s, n) => `${s} номер ${n}`,
    'with №': (s, n) => `${s} № ${n}`,
  };
  const keyword = fc.constantFrom('паспорт', 'Паспорт', 'ПАСПОРТА', 'паспортные данные', 'серия', 'серии', 'номер', 'Номер');
  const shortGap = fc.string({ unit: fc.constantFrom(...CYRILLIC, ' ', ':', ','), maxLength: 18 });

  it('a series and number within 20 characters after a keyword never survives', () => {
    fc.assert(
      fc.property(passport, fc.constantFrom(...Object.keys(PASSPORT_FORMS)), keyword, shortGap, cyrillicText, ([s, n], form, word, gap, tail) => {
        const written = (PASSPORT_FORMS[form] as (a: string, b: string) => string)(s, n);
        const out = maskText(`${word}${gap} ${written}${tail ? ` ${tail}` : ''}`);
        expect(out).toContain(PASSPORT_MASK);
        expect(out.replace(/\D/g, '')).not.toContain(n);
        expect(maskText(out)).toBe(out);
      }),
      { numRuns: 1_000 },
    );
  });

  it('masks the written form and a keyword after the number, and leaves a far-away or keyword-less number alone', () => {
    expect(maskText('серия 4510 номер 123456')).toBe(`серия ${PASSPORT_MASK}`);
    expect(maskText('Паспорт серии 45 10, номер: 123456, выдан в 2015')).toBe(`Паспорт серии ${PASSPORT_MASK}, выдан в 2015`);
    expect(maskText('4510 123456 — это мой паспорт')).toBe(`${PASSPORT_MASK} — это мой паспорт`);
    expect(maskText('Код ошибки 4510 123456 на экране')).toBe('Код ошибки 4510 123456 на экране');
    expect(maskText(`паспорт${' '.repeat(21)}4510 123456`)).toBe(`паспорт${' '.repeat(21)}4510 123456`);
  });
});

describe('masked where input is parsed: every free-text field of the API', () => {
  const LEAK = 'паспорт 4512 777777, СНИЛС 111-222-333 72';
  const MASKED = 'паспорт ** ** ******, СНИЛС ***-***-*** 72';
  const has = (value: unknown) => JSON.stringify(value).includes('777777') || JSON.stringify(value).includes('111-222-333');

  it('written topic, text, desiredOutcome, attempts[].error and a related number that is not an INN', () => {
    const body = writtenInput({
      relatedNumber: '111-222-333 72',
      relatedKind: 'application',
      written: { topic: `Тема: ${LEAK}`.slice(0, 200), text: LEAK, desiredOutcome: LEAK, attempts: [{ at: '2026-03-01T10:00:00Z', error: LEAK }] },
    });
    const parsed = parseWith(CreateRequestSchema, body);
    expect(has(parsed)).toBe(false);
    expect(parsed).toMatchObject({ written: { text: MASKED, desiredOutcome: MASKED, attempts: [{ error: MASKED }] } });
    expect(parsed.relatedNumber).toBe('***-***-*** 72');
    // The identity section is not free text: it is checked and hashed, never stored as typed.
    expect(parsed.identity).toEqual(body.identity);
  });

  it('callback description and note; an INN stays as typed', () => {
    const parsed = parseWith(CreateRequestSchema, callbackInput({ relatedNumber: '7707083893', relatedKind: 'inn', callback: { phone: '+7 495 123-45-67', description: LEAK, note: LEAK } }));
    expect(parsed).toMatchObject({ callback: { description: MASKED, note: MASKED } });
    expect(parsed.relatedNumber).toBe('7707083893');
  });

  it('comments, claims, answers, transcript lines and file names', () => {
    expect(parseWith(CommentSchema, { text: `  ${LEAK}  ` }).text).toBe(MASKED);
    expect(parseWith(ClaimSchema, { text: LEAK }).text).toBe(MASKED);
    expect(parseWith(AnswerSchema, { text: LEAK }).text).toBe(MASKED);
    const call = parseWith(RecordCallSchema, {
      direction: 'inbound',
      phone: '+79123456789',
      queuedAt: '2026-03-02T08:00:00Z',
      endedAt: '2026-03-02T08:05:00Z',
      outcome: 'no_answer',
      transcript: [{ at: '2026-03-02T08:01:00Z', speaker: 'citizen', text: LEAK }],
    });
    expect(call.transcript?.[0]?.text).toBe(MASKED);
    expect(parseWith(NewAttachmentSchema, { fileName: 'СНИЛС 112-233-445 95.png', contentType: 'image/png', size: 10 }).fileName).toBe('СНИЛС ***-***-*** 95.png');
  });
});
