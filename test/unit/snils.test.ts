import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSnils, parseSnils, snilsCheckNumber } from '#core/identity/snils';
import { withSnilsCheck } from './fixtures.ts';

/** The highest number issued before check numbers existed: 001-001-998. */
const THRESHOLD = 1_001_998;
const WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, 1];
const weightedSum = (nine: string) => [...nine].reduce((s, c, i) => s + Number(c) * (WEIGHTS[i] as number), 0);

describe('SNILS', () => {
  it('accepts the contract example 112-233-445 95 in both written forms', () => {
    expect(parseSnils('112-233-445 95')).toEqual({ ok: true, digits: '11223344595' });
    expect(parseSnils('11223344595')).toEqual({ ok: true, digits: '11223344595' });
    expect(parseSnils(' 112 233 445 95 ')).toEqual({ ok: true, digits: '11223344595' });
    expect(parseSnils('112-233-445-95')).toEqual({ ok: true, digits: '11223344595' });
  });

  it('rejects the contract example with any other check number', () => {
    expect(parseSnils('112-233-445 94').ok).toBe(false);
    expect(parseSnils('112-233-445 59').ok).toBe(false);
    expect(parseSnils('112-233-445 00').ok).toBe(false);
  });

  it('formats bare digits as XXX-XXX-XXX YY', () => {
    expect(formatSnils('11223344595')).toBe('112-233-445 95');
  });

  // Bodies chosen for their weighted sums; expected check numbers worked out by hand from the
  // official rule: < 100 → the sum; 100 and 101 → 00; > 101 → sum mod 101, where 100 → 00.
  it.each([
    ['112233445', 95, '95'],
    ['100358063', 99, '99'],
    ['100172858', 100, '00'],
    ['100444492', 101, '00'],
    ['101716233', 102, '01'],
    ['103197873', 150, '49'],
    ['107877386', 200, '99'],
    ['109766477', 201, '00'], // 201 mod 101 = 100 → 00
    ['116964778', 202, '00'], // 202 mod 101 = 0
    ['106889626', 203, '01'],
    ['198985899', 302, '00'], // 302 mod 101 = 100 → 00
    ['299959665', 303, '00'],
    ['999999989', 403, '00'], // 403 mod 101 = 100 → 00
    ['999999998', 404, '00'],
    ['999999999', 405, '01'],
  ])('body %s (weighted sum %i) has check number %s', (body, sum, check) => {
    expect(weightedSum(body)).toBe(sum);
    expect(String(snilsCheckNumber(body)).padStart(2, '0')).toBe(check);
    expect(parseSnils(body + check).ok).toBe(true);
    expect(parseSnils(formatSnils(body + check)).ok).toBe(true);
    const wrong = String((Number(check) + 1) % 100).padStart(2, '0');
    expect(parseSnils(body + wrong).ok).toBe(false);
  });

  it('does not check numbers up to 001-001-998, and checks from 001-001-999 on', () => {
    expect(parseSnils('001-001-998 00').ok).toBe(true);
    expect(parseSnils('001-001-998 47').ok).toBe(true);
    expect(parseSnils('000-000-001 99').ok).toBe(true);
    // 001001999: 1*7 + 1*4 + 9*3 + 9*2 + 9*1 = 65
    expect(parseSnils('001-001-999 65').ok).toBe(true);
    expect(parseSnils('001-001-999 00').ok).toBe(false);
    expect(parseSnils('001-001-999 64').ok).toBe(false);
  });

  it.each([
    ['', 'empty'],
    ['1122334459', '10 digits'],
    ['112233445950', '12 digits'],
    ['112-233-445 9', 'check number of one digit'],
    ['112-233-445 9a', 'a letter'],
    ['ABC-DEF-GHI JK', 'letters'],
    ['１１２２３３４４５９５', 'full-width digits'],
    ['112/233/445 95', 'slashes'],
    ['+11223344595', 'a sign'],
  ])('rejects %j (%s)', (input) => {
    expect(parseSnils(input).ok).toBe(false);
  });

  const checkedBody = fc.integer({ min: THRESHOLD + 1, max: 999_999_999 }).map((n) => String(n).padStart(9, '0'));

  it('property: a generated SNILS above the threshold with its computed check number is valid, bare or formatted', () => {
    fc.assert(
      fc.property(checkedBody, (body) => {
        const snils = withSnilsCheck(body);
        expect(parseSnils(snils)).toEqual({ ok: true, digits: snils });
        expect(parseSnils(formatSnils(snils))).toEqual({ ok: true, digits: snils });
      }),
      { numRuns: 2000 },
    );
  });

  /** Every way to change exactly one of the 11 digits to another digit. */
  function corruptions(snils: string): { position: number; corrupted: string; delta: number }[] {
    const out: { position: number; corrupted: string; delta: number }[] = [];
    for (let position = 0; position < 11; position += 1) {
      for (let d = 0; d <= 9; d += 1) {
        const original = Number(snils[position]);
        if (d === original) continue;
        out.push({ position, corrupted: snils.slice(0, position) + d + snils.slice(position + 1), delta: d - original });
      }
    }
    return out;
  }

  /*
   * Is every single-digit corruption caught? Not always, and that is the official algorithm, not
   * the code: the check number is (sum mod 101) with 100 folded to 00, so sums ≡ 100 and ≡ 0
   * (mod 101) share the check number 00. The last body digit has weight 1, so raising or lowering
   * it by one moves the sum between 100↔101, 201↔202, 302↔303 or 403↔404 without changing the
   * check number. Any other change moves the sum by w·Δ with 0 < |w·Δ| ≤ 81 < 101, which always
   * changes (sum mod 101). Corruptions that land at or below 001-001-998 are not checked at all.
   */
  it('property: a single-digit corruption that stays above the threshold is rejected unless it is the ±1 change of the 9th digit of a check-00 number', () => {
    fc.assert(
      fc.property(checkedBody, (body) => {
        const snils = withSnilsCheck(body);
        const wrong: string[] = [];
        for (const { position, corrupted, delta } of corruptions(snils)) {
          if (Number(corrupted.slice(0, 9)) <= THRESHOLD) continue;
          const accepted = parseSnils(corrupted).ok;
          // exactly the 100↔101-style pairs may collide
          const before = weightedSum(body) % 101;
          const after = weightedSum(corrupted.slice(0, 9)) % 101;
          const collides =
            snils.slice(9) === '00' && position === 8 && Math.abs(delta) === 1 && ((before === 100 && after === 0) || (before === 0 && after === 100));
          if (accepted !== collides) wrong.push(`${corrupted} accepted=${accepted}`);
        }
        expect(wrong, snils).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: every corruption of a SNILS whose check number is not 00 is rejected (above the threshold)', () => {
    fc.assert(
      fc.property(
        checkedBody.filter((b) => snilsCheckNumber(b) !== 0),
        (body) => {
          const snils = withSnilsCheck(body);
          const missed = corruptions(snils).filter(({ corrupted }) => Number(corrupted.slice(0, 9)) > THRESHOLD && parseSnils(corrupted).ok);
          expect(missed, snils).toEqual([]);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('documents the collisions the official rule cannot catch', () => {
    // sum 100 → 00 and sum 101 → 00: the 9th digit off by one passes the check.
    expect(parseSnils('100-172-858 00').ok).toBe(true);
    expect(parseSnils('100-172-859 00').ok).toBe(true);
    // A corruption that drops the number to 001-001-998 or below is not checked.
    const valid = withSnilsCheck('001002000');
    expect(parseSnils(valid).ok).toBe(true);
    expect(parseSnils(`001001000${valid.slice(9)}`).ok).toBe(true);
  });

  it('the check digits themselves: changing either one is always caught', () => {
    fc.assert(
      fc.property(checkedBody, fc.integer({ min: 9, max: 10 }), fc.integer({ min: 1, max: 9 }), (body, position, shift) => {
        const snils = withSnilsCheck(body);
        const digit = (Number(snils[position]) + shift) % 10;
        const corrupted = snils.slice(0, position) + digit + snils.slice(position + 1);
        expect(parseSnils(corrupted).ok).toBe(false);
      }),
    );
  });
});
