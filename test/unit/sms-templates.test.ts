import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NoticeKind, codeText, noticeText } from '#core/notices/sms-templates';

const KINDS: NoticeKind[] = ['registered', 'scheduled', 'answered', 'missed', 'needs_info'];
const ONE_PART_UCS2 = 70;
const NUMBER = '20260302-7KQ3ZD';

describe('SMS templates', () => {
  it.each(KINDS)('the %s notice names the request number and is in Russian', (kind) => {
    const text = noticeText(kind, { number: NUMBER, when: '03.03 в 10:00' });
    expect(text).toContain(NUMBER);
    expect(text).toMatch(/[А-Яа-яЁё]/);
    expect(text).not.toMatch(/undefined|null|\$\{/);
  });

  it('the scheduled notice names the time exactly as given, with its МСК label, and adds none of its own', () => {
    const text = noticeText('scheduled', { number: NUMBER, when: '03.12.2026 10:00 (МСК+7)' });
    expect(text).toBe(`Обращение ${NUMBER}: оператор перезвонит вам 03.12.2026 10:00 (МСК+7).`);
  });

  it('property: every notice names whatever number it is given', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.stringMatching(/^\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/), (kind, number) => {
        expect(noticeText(kind, { number, when: '01.01 в 09:00' })).toContain(number);
      }),
    );
  });

  it('the missed notice offers a written request', () => {
    expect(noticeText('missed', { number: NUMBER })).toMatch(/письменное обращение/);
  });

  it('codeText("123456") contains the code and fits one SMS part (70 characters)', () => {
    const text = codeText('123456');
    expect(text).toContain('123456');
    expect(text.length).toBeLessThanOrEqual(ONE_PART_UCS2);
  });

  it('property: any 6-digit code fits one part', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{6}$/), (code) => {
        expect(codeText(code).length).toBeLessThanOrEqual(ONE_PART_UCS2);
        expect(codeText(code)).toContain(code);
      }),
    );
  });
});
