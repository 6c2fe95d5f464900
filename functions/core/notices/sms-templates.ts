/**
 * Every SMS text, in Russian, in one place. A notice names the request number, never personal
 * data. Codes must fit one SMS part (70 Cyrillic characters): see test/unit/sms-templates.test.ts.
 */
export const NOTICE_KINDS = ['registered', 'scheduled', 'answered', 'missed', 'needs_info', 'comment', 'extended', 'forwarded'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NoticeFacts {
  number: string;
  /**
   * For `scheduled`: the booked time; for `extended`: the new deadline. Already formatted in the
   * citizen's zone with its label, '03.12.2026 10:00 (МСК+7)' (zone-time.ts).
   */
  when?: string;
  /** For `extended` and `forwarded`: the operator's reason (masked free text). */
  reason?: string;
  /** For `forwarded`: the body the request was sent on to. */
  to?: string;
}

/**
 * Free text in an SMS is cut to this many characters (with '…'): the whole reason is in the
 * account's notification, and an SMS of a thousand characters would be fifteen parts.
 */
export const SMS_FREE_TEXT = 100;

export function clip(text: string | undefined, max = SMS_FREE_TEXT): string {
  const t = (text ?? '').trim();
  return t.length <= max ? t : `${t.slice(0, max - 1).trimEnd()}…`;
}

const TEMPLATES: Record<NoticeKind, (f: NoticeFacts) => string> = {
  registered: (f) => `Обращение ${f.number} зарегистрировано. Ответ придёт в личный кабинет.`,
  scheduled: (f) => `Обращение ${f.number}: оператор перезвонит вам ${f.when ?? ''}.`,
  answered: (f) => `На обращение ${f.number} дан ответ. Посмотрите его в личном кабинете.`,
  missed: (f) =>
    `Мы не дозвонились по обращению ${f.number}. Оставьте письменное обращение в личном кабинете.`,
  needs_info: (f) => `Обращение ${f.number}: данные не совпали с профилем. Проверьте их в личном кабинете.`,
  comment: (f) => `В обращении № ${f.number} новое сообщение. Прочитайте его в личном кабинете.`,
  extended: (f) => `Срок ответа на обращение ${f.number} продлён до ${f.when ?? ''}. Причина: ${clip(f.reason)}`,
  forwarded: (f) => `Обращение ${f.number} направлено в ${clip(f.to)}. Причина: ${clip(f.reason)}`,
};

export function noticeText(kind: NoticeKind, facts: NoticeFacts): string {
  return TEMPLATES[kind](facts);
}

export function codeText(code: string): string {
  return `Код подтверждения: ${code}. Никому его не сообщайте.`;
}
