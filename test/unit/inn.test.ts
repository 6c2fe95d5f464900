import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { innCheckDigits, isValidInn } from '#core/identity/inn';

const W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const sum = (digits: string, weights: number[]) => weights.reduce((s, w, i) => s + w * Number(digits[i]), 0);

const digitsArb = (length: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: length, maxLength: length }).map((d) => d.join(''));

function corruptions(inn: string) {
  const out: { position: number; corrupted: string; delta: number }[] = [];
  for (let position = 0; position < inn.length; position += 1) {
    for (let d = 0; d <= 9; d += 1) {
      const original = Number(inn[position]);
      if (d !== original) out.push({ position, corrupted: inn.slice(0, position) + d + inn.slice(position + 1), delta: d - original });
    }
  }
  return out;
}

describe('INN', () => {
  it('accepts real public INNs', () => {
    expect(isValidInn('7707083893')).toBe(true); // Sberbank
    expect(isValidInn('7736050003')).toBe(true); // Gazprom
    expect(isValidInn('500100732259')).toBe(true);
  });

  it('computes the check digits of those INNs', () => {
    expect(innCheckDigits('770708389')).toBe('3');
    expect(innCheckDigits('773605000')).toBe('3');
    expect(innCheckDigits('5001007322')).toBe('59');
  });

  it('computes (sum mod 11) mod 10, so a remainder of 10 gives 0', () => {
    // 2*0+4*0+10*0+3*0+5*0+9*0+4*0+6*0+8*4 = 32 → 32 mod 11 = 10 → 0
    expect(sum('000000004', W10) % 11).toBe(10);
    expect(innCheckDigits('000000004')).toBe('0');
    expect(isValidInn('0000000040')).toBe(true);
  });

  it.each(['7707083894', '500100732258', '500100732269', '770708389', '77070838930', '5001007322590', '', '770708389a', ' 7707083893', '7707-083893', '７７０７０８３８９３'])(
    'rejects %j',
    (input) => {
      expect(isValidInn(input)).toBe(false);
    },
  );

  it('property: generated 10- and 12-digit INNs with computed check digits are valid', () => {
    fc.assert(
      fc.property(digitsArb(9), digitsArb(10), (p10, p12) => {
        expect(isValidInn(p10 + innCheckDigits(p10))).toBe(true);
        expect(isValidInn(p12 + innCheckDigits(p12))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  /*
   * 12 digits: every single-digit corruption is caught. Proof: changing digit i by Δ changes the
   * two check sums by W11[i]·Δ and W12[i]·Δ. (s mod 11) mod 10 only collides when the sum moves
   * between the classes 0 and 10 mod 11, i.e. w·Δ ≡ ±1 (mod 11), and that would be needed for both
   * sums at once, i.e. W12[i] ≡ ±W11[i] (mod 11), which holds for no i (checked below). A change of
   * either check digit is caught by its own comparison.
   */
  it('no position of a 12-digit INN has W12 ≡ ±W11 (mod 11)', () => {
    W11.forEach((w11, i) => {
      const w12 = W12[i] as number;
      expect((w12 - w11) % 11).not.toBe(0);
      expect((w12 + w11) % 11).not.toBe(0);
    });
  });

  it('property: every single-digit corruption of a valid 12-digit INN is rejected', () => {
    fc.assert(
      fc.property(digitsArb(10), (prefix) => {
        const inn = prefix + innCheckDigits(prefix);
        const missed = corruptions(inn).filter(({ corrupted }) => isValidInn(corrupted));
        expect(missed, inn).toEqual([]);
      }),
      { numRuns: 3000 },
    );
  });

  /*
   * 10 digits: mod 11 then mod 10 can collide. When the sum is ≡ 10 or ≡ 0 (mod 11) the check
   * digit is 0 either way, so a change with W10[i]·Δ ≡ ±1 (mod 11) that moves the sum between those
   * two classes passes. What holds: with a check digit other than 0 every single corruption is
   * caught; with 0, only such ±1-class moves pass.
   */
  it('property: every single-digit corruption of a 10-digit INN whose check digit is not 0 is rejected', () => {
    fc.assert(
      fc.property(
        digitsArb(9).filter((p) => innCheckDigits(p) !== '0'),
        (prefix) => {
          const inn = prefix + innCheckDigits(prefix);
          const missed = corruptions(inn).filter(({ corrupted }) => isValidInn(corrupted));
        expect(missed, inn).toEqual([]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('property: a corruption of a 10-digit INN that passes is always a 0↔10 (mod 11) move with check digit 0', () => {
    fc.assert(
      fc.property(digitsArb(9), (prefix) => {
        const inn = prefix + innCheckDigits(prefix);
        for (const { position, corrupted, delta } of corruptions(inn)) {
          if (!isValidInn(corrupted)) continue;
          expect(position).toBeLessThan(9);
          expect(inn[9]).toBe('0');
          const classes = [sum(inn, W10) % 11, sum(corrupted, W10) % 11].sort((a, b) => a - b);
          expect(classes).toEqual([0, 10]);
          expect([1, 10]).toContain((((W10[position] as number) * delta) % 11 + 11) % 11);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('documents a real collision of the 10-digit rule', () => {
    expect(isValidInn('7425369140')).toBe(true);
    // second digit 4 → 7: the sum grows by W10[1]·3 = 12 ≡ 1 (mod 11), from ≡ 10 to ≡ 0: check digit 0 both times
    expect(sum('7425369140', W10) % 11).toBe(10);
    expect(sum('7725369140', W10) % 11).toBe(0);
    expect(isValidInn('7725369140')).toBe(true);
  });
});
