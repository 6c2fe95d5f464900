import { describe, expect, it, vi } from 'vitest';
import { logger, scrub, scrubValue } from '#adapters/logger';

const ANY_DIGIT_RUN = /\d[\s\-().]{0,2}\d[\s\-().]{0,2}\d[\s\-().]{0,2}\d[\s\-().]{0,2}\d[\s\-().]{0,2}\d/;

/** What the logger really prints for one info line (Powertools writes JSON to stdout). */
function printed(message: string, attributes: Record<string, unknown>): string {
  const lines: string[] = [];
  // Powertools prints through its own Console instance, one JSON document per call.
  const out = (logger as unknown as { console: Pick<Console, 'info'> }).console;
  const spy = vi.spyOn(out, 'info').mockImplementation((line: unknown) => {
    lines.push(String(line));
  });
  const level = logger.getLevelName();
  logger.setLogLevel('INFO'); // the environment may set a higher level (POWERTOOLS_LOG_LEVEL)
  try {
    logger.info(message, attributes);
  } finally {
    logger.setLogLevel(level);
    spy.mockRestore();
  }
  expect(lines).toHaveLength(1);
  return lines.join('');
}

describe('scrub', () => {
  it.each([
    ['СНИЛС 112-233-445 95 не совпал', '112-233-445 95'],
    ['snils=11223344595', '11223344595'],
    ['паспорт 4510 123456', '4510 123456'],
    ['паспорт 4510123456', '4510123456'],
    ['номер 123456', '123456'],
    ['тел. +7 912 345-67-89', '+7 912 345-67-89'],
    ['тел. +79123456789', '+79123456789'],
    ['тел. 8 (912) 345-67-89', '8 (912) 345-67-89'],
    ['тел. +7(495)123-45-67', '+7(495)123-45-67'],
    ['тел. 8.912.345.67.89', '8.912.345.67.89'],
    ['тел. 9123456789', '9123456789'],
    ['тел. (912) 345 67 89', '(912) 345 67 89'],
    ['code 654321 sent', '654321'],
  ])('masks the digits in %j', (text, secret) => {
    const out = scrub(text);
    expect(out).not.toContain(secret);
    expect(out).not.toMatch(ANY_DIGIT_RUN);
    expect(out).toContain('[redacted-digits]');
  });

  it('leaves short numbers and ordinary words alone', () => {
    expect(scrub('status 202 in 35 ms, attempt 3 of 5')).toBe('status 202 in 35 ms, attempt 3 of 5');
    expect(scrub('route POST /v1/requests')).toBe('route POST /v1/requests');
  });

  it('masks personal digits inside an error message and its stack', () => {
    const error = new Error('no profile for SNILS 112-233-445 95 and phone +7 912 345-67-89, code 123456');
    const value = scrubValue('error', error) as { name: string; message: string; stack?: string };
    expect(value.name).toBe('Error');
    for (const text of [value.message, value.stack ?? '']) {
      expect(text).not.toContain('112-233-445');
      expect(text).not.toContain('345-67-89');
      expect(text).not.toContain('123456');
    }
    expect(value.stack).toContain('logger.test.ts');
  });
});

describe('scrubValue by field name', () => {
  it.each(['snils', 'phone', 'passport', 'fullName', 'code', 'contactPhone', 'passportNumber', 'registrationAddress', 'otp', 'authorization'])('redacts the field %s', (key) => {
    expect(scrubValue(key, 'Иванов Иван 42')).toBe('[redacted]');
    expect(scrubValue(key, 42)).toBe('[redacted]');
  });

  it.each([
    ['route', 'POST /v1/requests'],
    ['status', 202],
    ['durationMs', 35],
    ['correlationId', 'abc-1'],
    ['level', 'INFO'],
  ])('keeps the field %s', (key, value) => {
    expect(scrubValue(key, value)).toBe(value);
  });
});

describe('the logger output', () => {
  it('prints no personal data from attributes, messages or errors, and keeps the operational fields', () => {
    const out = printed('verify failed for +7 912 345-67-89', {
      route: 'POST /v1/requests',
      status: 400,
      durationMs: 12,
      snils: '112-233-445 95',
      phone: '+79123456789',
      fullName: 'Иванов Иван Иванович',
      code: '123456',
      error: new Error('SNILS 11223344595 mismatch'),
    });
    for (const secret of ['112-233-445', '11223344595', '9123456789', '345-67-89', 'Иванов', '123456']) expect(out).not.toContain(secret);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed).toMatchObject({ route: 'POST /v1/requests', status: 400, durationMs: 12, snils: '[redacted]', phone: '[redacted]', fullName: '[redacted]', code: '[redacted]' });
  });
});
