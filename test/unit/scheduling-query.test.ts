import fc from 'fast-check';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import { parseIsoDateTime, validateSlotQuery } from '#core/scheduling/slots';

const C = DEFAULT_CENTRE_CONFIG;
const DAY = 86_400_000;
const now = new Date('2026-11-30T07:00:00.000Z'); // Monday 10:00 MSK
const iso = (ms: number) => new Date(ms).toISOString();
const codes = (r: ReturnType<typeof validateSlotQuery>) =>
  r.ok ? [] : r.problems.map((p) => `${p.path}:${p.code}`).sort();

describe('validateSlotQuery (GET /v1/callback-slots)', () => {
  it('a good query: the queue of the type, its slot length, the range', () => {
    const r = validateSlotQuery({ type: 'complaint', from: '2026-11-30T12:00:00+03:00', to: '2026-12-01T12:00:00Z' }, now, C);
    expect(r).toEqual({
      ok: true,
      query: {
        type: 'complaint',
        queue: 'complaints',
        slotMinutes: 15,
        from: new Date('2026-11-30T09:00:00Z'),
        to: new Date('2026-12-01T12:00:00Z'),
      },
    });
  });

  it('a `from` in the past is clipped to now', () => {
    const r = validateSlotQuery({ type: 'technical', from: '2026-11-29T21:00:00Z', to: '2026-12-02T00:00:00Z' }, now, C);
    expect(r.ok && r.query.from).toEqual(now);
    expect(r.ok && r.query.queue).toBe('tech-support');
  });

  it('`from` and `to` default to now and now + 7 days', () => {
    const r = validateSlotQuery({ type: 'status_check' }, now, C);
    expect(r.ok && [r.query.from, r.query.to]).toEqual([now, new Date(now.getTime() + 7 * DAY)]);
  });

  it('type: missing or unknown → invalid_value', () => {
    expect(codes(validateSlotQuery({ from: iso(now.getTime()), to: iso(now.getTime() + DAY) }, now, C))).toEqual(['type:invalid_value']);
    expect(codes(validateSlotQuery({ type: 'callback' }, now, C))).toEqual(['type:invalid_value']);
    expect(codes(validateSlotQuery({ type: 'Technical' }, now, C))).toEqual(['type:invalid_value']);
    expect(codes(validateSlotQuery({ type: '__proto__' }, now, C))).toEqual(['type:invalid_value']);
  });

  it.each([
    ['2026-12-01'],
    ['2026-12-01T10:00:00'],
    ['2026-12-01T10:00Z'],
    ['2026-12-01 10:00:00Z'],
    ['2026-02-30T10:00:00Z'],
    ['2026-12-01T24:00:00Z'],
    ['2026-12-01T10:00:00+0300'],
    ['1764572400000'],
    ['tomorrow'],
    [''],
  ])('from/to %j → invalid_format', (bad) => {
    expect(codes(validateSlotQuery({ type: 'technical', from: bad, to: '2026-12-02T00:00:00Z' }, now, C))).toEqual(['from:invalid_format']);
    expect(codes(validateSlotQuery({ type: 'technical', from: '2026-12-01T00:00:00Z', to: bad }, now, C))).toEqual(['to:invalid_format']);
  });

  it('from ≥ to → window_invalid', () => {
    expect(codes(validateSlotQuery({ type: 'technical', from: '2026-12-02T00:00:00Z', to: '2026-12-02T00:00:00Z' }, now, C))).toEqual(['from:window_invalid']);
    expect(codes(validateSlotQuery({ type: 'technical', from: '2026-12-03T00:00:00Z', to: '2026-12-02T00:00:00Z' }, now, C))).toEqual(['from:window_invalid']);
  });

  it('to in the past, or more than 7 days ahead → window_invalid', () => {
    expect(codes(validateSlotQuery({ type: 'technical', from: '2026-11-29T00:00:00Z', to: '2026-11-30T07:00:00Z' }, now, C))).toEqual(['to:window_invalid']);
    expect(codes(validateSlotQuery({ type: 'technical', to: iso(now.getTime() + 7 * DAY + 1) }, now, C))).toEqual(['to:window_invalid']);
    expect(validateSlotQuery({ type: 'technical', to: iso(now.getTime() + 7 * DAY) }, now, C).ok).toBe(true);
  });

  it('a range longer than 7 days → window_invalid even when most of it is in the past', () => {
    expect(codes(validateSlotQuery({ type: 'technical', from: iso(now.getTime() - 6 * DAY - 1), to: iso(now.getTime() + DAY) }, now, C))).toEqual(['from:window_invalid']);
    expect(validateSlotQuery({ type: 'technical', from: iso(now.getTime() - 6 * DAY), to: iso(now.getTime() + DAY) }, now, C).ok).toBe(true);
  });

  it('reports every problem at once', () => {
    expect(codes(validateSlotQuery({ type: 'x', from: 'y', to: '2027-01-01T00:00:00Z' }, now, C))).toEqual([
      'from:invalid_format',
      'to:window_invalid',
      'type:invalid_value',
    ]);
    const r = validateSlotQuery({ type: 'x' }, now, C);
    expect(!r.ok && r.problems[0]?.message).toMatch(/technical/);
  });

  it('property: the accepted form is exactly the HTTP schemas’ z.iso.datetime({ offset: true })', () => {
    const schema = z.iso.datetime({ offset: true });
    const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
    const candidate = fc.oneof(
      fc
        .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), fc.constantFrom('', '.5', '.123', '.123456'), fc.constantFrom('Z', '+03:00', '-05:30', '+24:00', '+03:60', '+0300', ''))
        .map(([y, mo, d, h, mi, s, f, off]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${f}${off}`),
      fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    );
    // Years 0–99 once failed here (Date.UTC maps them to 1900–1999): always try one.
    fc.assert(
      fc.property(candidate, (text) => {
        const ours = parseIsoDateTime(text);
        expect(ours !== undefined).toBe(schema.safeParse(text).success);
        if (ours) expect(ours.getTime()).toBe(Date.parse(text));
      }),
      { numRuns: 1000, examples: [['0000-02-07T00:00:00Z'], ['0099-12-31T23:59:59+03:00'], ['0000-02-29T00:00:00Z'], ['0100-02-29T00:00:00Z']] },
    );
  });
});
