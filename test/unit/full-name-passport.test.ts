import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldFullName, isValidFullName } from '#core/identity/full-name';
import { isRealDate, isValidPassport, passportFingerprint } from '#core/identity/passport';

describe('full name', () => {
  it('folds case, ё/Ё to е and runs of spaces', () => {
    expect(foldFullName('Фёдоров Пётр Семёнович')).toBe('федоров петр семенович');
    expect(foldFullName('ФЁДОРОВ  ПЁТР   СЕМЁНОВИЧ')).toBe('федоров петр семенович');
    expect(foldFullName('  федоров\tпетр \n семенович ')).toBe('федоров петр семенович');
    expect(foldFullName('Салтыкова-Щедрина Мария')).toBe('салтыкова-щедрина мария');
  });

  it('makes spellings that differ only in case, ё and spacing equal, and others not', () => {
    expect(foldFullName('Алёна Ёлкина')).toBe(foldFullName('алена   ЕЛКИНА'));
    expect(foldFullName('Иванов Иван')).not.toBe(foldFullName('Иванова Иван'));
    expect(foldFullName('Иванов Иван')).not.toBe(foldFullName('Иван Иванов'));
  });

  it('property: folding is idempotent and case-insensitive', () => {
    const word = fc.stringMatching(/^[А-Яа-яЁё]{1,10}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 3 }), fc.array(fc.constantFrom(' ', '  ', '\t'), { minLength: 3, maxLength: 3 }), (words, gaps) => {
        const name = words.map((w, i) => (gaps[i] ?? ' ') + w).join('');
        const folded = foldFullName(name);
        expect(foldFullName(folded)).toBe(folded);
        expect(foldFullName(name.toUpperCase())).toBe(folded);
        expect(folded).not.toMatch(/ё|\s\s|^\s|\s$/);
      }),
    );
  });

  it.each([
    'Иванов Иван',
    'Иванов Иван Иванович',
    'иванов иван иванович',
    'Фёдоров Пётр',
    'Салтыков-Щедрин Михаил Евграфович',
    'Римский-Корсаков Николай Андреевич',
    '  Иванов   Иван  ',
    'Ким Ен Су',
  ])('accepts %j', (name) => {
    expect(isValidFullName(name)).toBe(true);
  });

  it.each([
    ['Иванов', 'one word'],
    ['Иванов Иван Иванович Младший', 'four words'],
    ['', 'empty'],
    ['   ', 'blank'],
    ['Ivanov Ivan', 'Latin'],
    ['Иванов Ivan', 'mixed scripts'],
    ['Ивaнов Иван', 'a Latin "a" inside a Cyrillic word'],
    ['Иванов Иван2', 'a digit'],
    ['Иванов -Иван', 'a leading hyphen'],
    ['Иванов- Иван', 'a trailing hyphen'],
    ['Иванов--Петров Иван', 'two hyphens in a row'],
    ['Иванов Иван.', 'a dot'],
    ["Д'Артаньян Шарль", 'an apostrophe'],
  ])('rejects %j (%s)', (name) => {
    expect(isValidFullName(name)).toBe(false);
  });
});

describe('passport', () => {
  const TODAY = '2026-03-02';
  const passport = (over: Partial<{ series: string; number: string; issuedOn: string }> = {}) => ({
    series: '4510',
    number: '123456',
    issuedOn: '2015-03-20',
    ...over,
  });

  it('accepts a 4-digit series, 6-digit number and a real past date', () => {
    expect(isValidPassport(passport(), TODAY)).toBe(true);
    expect(isValidPassport(passport({ series: '0000', number: '000000' }), TODAY)).toBe(true);
  });

  it.each([
    ['451', 'three digits'],
    ['45100', 'five digits'],
    ['45 10', 'a space'],
    ['45a0', 'a letter'],
    ['', 'empty'],
  ])('rejects series %j (%s)', (series) => {
    expect(isValidPassport(passport({ series }), TODAY)).toBe(false);
  });

  it.each([
    ['12345', 'five digits'],
    ['1234567', 'seven digits'],
    ['12345a', 'a letter'],
    ['123 456', 'a space'],
    ['', 'empty'],
  ])('rejects number %j (%s)', (number) => {
    expect(isValidPassport(passport({ number }), TODAY)).toBe(false);
  });

  it('accepts the first issue day 1997-07-01 and rejects the day before', () => {
    expect(isValidPassport(passport({ issuedOn: '1997-07-01' }), TODAY)).toBe(true);
    expect(isValidPassport(passport({ issuedOn: '1997-06-30' }), TODAY)).toBe(false);
    expect(isValidPassport(passport({ issuedOn: '1990-01-01' }), TODAY)).toBe(false);
  });

  it('accepts today and rejects tomorrow', () => {
    expect(isValidPassport(passport({ issuedOn: TODAY }), TODAY)).toBe(true);
    expect(isValidPassport(passport({ issuedOn: '2026-03-03' }), TODAY)).toBe(false);
    expect(isValidPassport(passport({ issuedOn: '2030-01-01' }), TODAY)).toBe(false);
  });

  it('accepts 2024-02-29 and rejects 2023-02-29 and other impossible dates', () => {
    expect(isValidPassport(passport({ issuedOn: '2024-02-29' }), TODAY)).toBe(true);
    expect(isValidPassport(passport({ issuedOn: '2000-02-29' }), TODAY)).toBe(true);
    for (const issuedOn of ['2023-02-29', '2100-02-29', '2015-02-30', '2015-04-31', '2015-13-01', '2015-00-10', '2015-01-00', '2015-01-32']) {
      expect(isRealDate(issuedOn), issuedOn).toBe(false);
      expect(isValidPassport(passport({ issuedOn }), '2200-01-01'), issuedOn).toBe(false);
    }
  });

  it.each(['2015-3-20', '20.03.2015', '2015/03/20', '2015-03-20T00:00:00Z', ' 2015-03-20', '', 'yesterday'])('rejects the date format %j', (issuedOn) => {
    expect(isValidPassport(passport({ issuedOn }), TODAY)).toBe(false);
  });

  it('property: isRealDate agrees with the calendar for every day from 1997 to 2030', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1997, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] as number;
        expect(isRealDate(iso)).toBe(d <= days);
      }),
      { numRuns: 1000 },
    );
  });

  it('fingerprints series, number and date into one canonical text', () => {
    expect(passportFingerprint(passport())).toBe('4510|123456|2015-03-20');
    expect(passportFingerprint(passport({ number: '123457' }))).not.toBe(passportFingerprint(passport()));
  });
});
