import { describe, expect, it } from 'vitest';
import { innCheckDigits } from '#core/identity/inn';
import { type CreateRequestInput, checkCreateRules } from '#core/requests/create-request';
import { callbackInput, identity, writtenInput } from './fixtures.ts';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const at = (offsetMinutes: number) => new Date(NOW.getTime() + offsetMinutes * 60_000).toISOString();
const DAY = 24 * 60;

const VALID_INN10 = '7707083893';
const INVALID_INN10 = '7707083894';
const VALID_INN12 = '500100732259';
const INVALID_INN12 = '500100732258';

/** Only path and code: the messages are for people. */
function codes(input: CreateRequestInput, now = NOW) {
  return checkCreateRules(input, now).map(({ path, code }) => ({ path, code }));
}

describe('checkCreateRules', () => {
  it('finds nothing wrong with valid written and callback requests', () => {
    expect(checkCreateRules(writtenInput(), NOW)).toEqual([]);
    expect(checkCreateRules(callbackInput(), NOW)).toEqual([]);
    expect(
      checkCreateRules(
        writtenInput({
          relatedKind: 'inn',
          relatedNumber: VALID_INN12,
          written: {
            topic: 't',
            text: 'x',
            contactPhone: '+7 495 123-45-67 доб. 3',
            attempts: [{ at: at(-60), phone: '8 (495) 765-43-21' }, { at: at(-30) }],
            desiredOutcome: 'Ответ',
          },
        }),
        NOW,
      ),
    ).toEqual([]);
  });

  it('gives every problem a path, a code and a message', () => {
    const problems = checkCreateRules(
      writtenInput({ identity: identity({ snils: '1', fullName: 'X', phone: '1' }), callback: { phone: 'x', description: 'd' } }),
      NOW,
    );
    expect(problems.length).toBeGreaterThan(3);
    for (const p of problems) {
      expect(p.path).toEqual(expect.any(String));
      expect(p.code).toMatch(/^[a-z_]+$/);
      expect(p.message.length).toBeGreaterThan(5);
    }
  });

  describe('identity', () => {
    it('snils_invalid at identity.snils', () => {
      expect(codes(writtenInput({ identity: identity({ snils: '112-233-445 94' }) }))).toEqual([{ path: 'identity.snils', code: 'snils_invalid' }]);
      expect(codes(writtenInput({ identity: identity({ snils: '1122334459' }) }))).toEqual([{ path: 'identity.snils', code: 'snils_invalid' }]);
    });

    it('passport_invalid at identity.passport for a bad series, number, impossible, early or future date', () => {
      const bad = [
        { series: '451', number: '123456', issuedOn: '2015-03-20' },
        { series: '4510', number: '12345', issuedOn: '2015-03-20' },
        { series: '4510', number: '123456', issuedOn: '2023-02-29' },
        { series: '4510', number: '123456', issuedOn: '1997-06-30' },
        { series: '4510', number: '123456', issuedOn: '2026-03-03' },
      ];
      for (const passport of bad) {
        expect(codes(writtenInput({ identity: identity({ passport }) })), JSON.stringify(passport)).toEqual([{ path: 'identity.passport', code: 'passport_invalid' }]);
      }
      expect(codes(writtenInput({ identity: identity({ passport: { series: '4510', number: '123456', issuedOn: '2026-03-02' } }) }))).toEqual([]);
    });

    it('name_invalid at identity.fullName', () => {
      expect(codes(writtenInput({ identity: identity({ fullName: 'Ivanov Ivan' }) }))).toEqual([{ path: 'identity.fullName', code: 'name_invalid' }]);
      expect(codes(writtenInput({ identity: identity({ fullName: 'Иванов' }) }))).toEqual([{ path: 'identity.fullName', code: 'name_invalid' }]);
    });

    it('identity.phone must be a Russian mobile: landline → phone_not_mobile, 7xx → phone_not_russian, junk → phone_invalid', () => {
      expect(codes(writtenInput({ identity: identity({ phone: '+7 495 123-45-67' }) }))).toEqual([{ path: 'identity.phone', code: 'phone_not_mobile' }]);
      expect(codes(writtenInput({ identity: identity({ phone: '+7 701 123-45-67' }) }))).toEqual([{ path: 'identity.phone', code: 'phone_not_russian' }]);
      expect(codes(writtenInput({ identity: identity({ phone: '12345' }) }))).toEqual([{ path: 'identity.phone', code: 'phone_invalid' }]);
    });
  });

  describe('relatedNumber', () => {
    it('inn_invalid for a 10- or 12-digit number with wrong check digits when relatedKind is inn', () => {
      expect(codes(writtenInput({ relatedKind: 'inn', relatedNumber: INVALID_INN10 }))).toEqual([{ path: 'relatedNumber', code: 'inn_invalid' }]);
      expect(codes(writtenInput({ relatedKind: 'inn', relatedNumber: INVALID_INN12 }))).toEqual([{ path: 'relatedNumber', code: 'inn_invalid' }]);
      const prefix = '123456789';
      const wrong = String((Number(innCheckDigits(prefix)) + 1) % 10);
      expect(codes(writtenInput({ relatedKind: 'inn', relatedNumber: prefix + wrong }))).toEqual([{ path: 'relatedNumber', code: 'inn_invalid' }]);
    });

    it('accepts valid INNs', () => {
      expect(codes(writtenInput({ relatedKind: 'inn', relatedNumber: VALID_INN10 }))).toEqual([]);
      expect(codes(writtenInput({ relatedKind: 'inn', relatedNumber: VALID_INN12 }))).toEqual([]);
    });

    it('does not check other kinds, no kind, or numbers that are not 10 or 12 digits', () => {
      for (const relatedKind of ['application', 'payment', 'other'] as const) {
        expect(codes(writtenInput({ relatedKind, relatedNumber: INVALID_INN10 }))).toEqual([]);
      }
      expect(codes(writtenInput({ relatedNumber: INVALID_INN10 }))).toEqual([]);
      for (const relatedNumber of ['12345678901', '123456789', '1234567890123', 'ИНН 7707083894', '77070838-94']) {
        expect(codes(writtenInput({ relatedKind: 'inn', relatedNumber })), relatedNumber).toEqual([]);
      }
    });
  });

  describe('written', () => {
    it('written.contactPhone may be a landline but must be a valid Russian phone', () => {
      const withContact = (contactPhone: string) => writtenInput({ written: { topic: 't', text: 'x', contactPhone } });
      expect(codes(withContact('+7 495 123-45-67 доб. 5'))).toEqual([]);
      expect(codes(withContact('+7 495 123-45'))).toEqual([{ path: 'written.contactPhone', code: 'phone_invalid' }]);
      expect(codes(withContact('+7 700 123-45-67'))).toEqual([{ path: 'written.contactPhone', code: 'phone_not_russian' }]);
    });

    it('written.attempts.N.phone names the attempt by its index', () => {
      const input = writtenInput({
        written: {
          topic: 't',
          text: 'x',
          attempts: [{ at: at(-10), phone: '+7 495 123-45-67' }, { at: at(-5) }, { at: at(-1), phone: 'не помню' }, { at: at(-1), phone: '+7 600 000-00-00' }],
        },
      });
      expect(codes(input)).toEqual([
        { path: 'written.attempts.2.phone', code: 'phone_invalid' },
        { path: 'written.attempts.3.phone', code: 'phone_not_russian' },
      ]);
    });
  });

  describe('callback', () => {
    it('callback.phone may be a landline (with an extension)', () => {
      expect(codes(callbackInput({ callback: { phone: '8 (495) 123-45-67 доб. 12', description: 'd' } }))).toEqual([]);
      expect(codes(callbackInput({ callback: { phone: '+7 912 345-67-89', description: 'd' } }))).toEqual([]);
    });

    it('callback.phone must still be a valid Russian phone', () => {
      expect(codes(callbackInput({ callback: { phone: '+7 495 123', description: 'd' } }))).toEqual([{ path: 'callback.phone', code: 'phone_invalid' }]);
      expect(codes(callbackInput({ callback: { phone: '+7 727 123-45-67', description: 'd' } }))).toEqual([{ path: 'callback.phone', code: 'phone_not_russian' }]);
    });

    const windowed = (from: string, to: string) => callbackInput({ callback: { phone: '+7 495 123-45-67', description: 'd', preferredWindow: { from, to } } });
    const invalid = [{ path: 'callback.preferredWindow', code: 'window_invalid' }];

    it('accepts a window in the next 7 days, including one ending exactly 7 days ahead', () => {
      expect(codes(windowed(at(60), at(120)))).toEqual([]);
      expect(codes(windowed(at(7 * DAY - 60), at(7 * DAY)))).toEqual([]);
    });

    it('window_invalid for a window in the past', () => {
      expect(codes(windowed(at(-120), at(-60)))).toEqual(invalid);
      expect(codes(windowed(at(-60), at(0)))).toEqual(invalid);
    });

    it('window_invalid when from >= to', () => {
      expect(codes(windowed(at(120), at(120)))).toEqual(invalid);
      expect(codes(windowed(at(180), at(120)))).toEqual(invalid);
    });

    it('window_invalid beyond 7 days ahead', () => {
      expect(codes(windowed(at(60), at(7 * DAY + 1)))).toEqual(invalid);
      expect(codes(windowed(at(8 * DAY), at(8 * DAY + 60)))).toEqual(invalid);
    });

    it('window_invalid for times that are not times', () => {
      expect(codes(windowed('soon', at(60)))).toEqual(invalid);
    });
  });

  describe('channel sections', () => {
    it('the section the channel names is required', () => {
      expect(codes({ ...writtenInput(), written: undefined })).toEqual([{ path: 'written', code: 'required' }]);
      expect(codes({ ...callbackInput(), callback: undefined })).toEqual([{ path: 'callback', code: 'required' }]);
    });

    it("the other channel's section is unexpected", () => {
      expect(codes(writtenInput({ callback: { phone: '+7 495 123-45-67', description: 'd' } }))).toEqual([{ path: 'callback', code: 'unexpected' }]);
      expect(codes(callbackInput({ written: { topic: 't', text: 'x' } }))).toEqual([{ path: 'written', code: 'unexpected' }]);
    });

    it('swapped sections give both problems', () => {
      const swapped: CreateRequestInput = { ...callbackInput(), channel: 'written' };
      expect(codes(swapped)).toEqual(expect.arrayContaining([{ path: 'written', code: 'required' }, { path: 'callback', code: 'unexpected' }]));
    });
  });

  it('reports every problem at once', () => {
    const input: CreateRequestInput = {
      channel: 'callback',
      type: 'technical',
      identity: {
        fullName: 'John Smith',
        snils: '112-233-445 00',
        passport: { series: '45', number: '123456', issuedOn: '2023-02-29' },
        phone: '+7 495 123-45-67',
      },
      relatedKind: 'inn',
      relatedNumber: INVALID_INN10,
      written: { topic: 't', text: 'x', contactPhone: '123', attempts: [{ at: at(-1), phone: '+7 600 123-45-67' }] },
      callback: { phone: 'x', description: 'd', preferredWindow: { from: at(60), to: at(30) } },
    };
    expect(codes(input)).toEqual(
      expect.arrayContaining([
        { path: 'identity.fullName', code: 'name_invalid' },
        { path: 'identity.snils', code: 'snils_invalid' },
        { path: 'identity.passport', code: 'passport_invalid' },
        { path: 'identity.phone', code: 'phone_not_mobile' },
        { path: 'written', code: 'unexpected' },
        { path: 'relatedNumber', code: 'inn_invalid' },
        { path: 'written.contactPhone', code: 'phone_invalid' },
        { path: 'written.attempts.0.phone', code: 'phone_not_russian' },
        { path: 'callback.phone', code: 'phone_invalid' },
        { path: 'callback.preferredWindow', code: 'window_invalid' },
      ]),
    );
    expect(codes(input)).toHaveLength(10);
  });
});
