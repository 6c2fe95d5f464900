/**
 * Every SMS text, in Russian, in one place. A notice names the request number, never personal
 * data. Codes must fit one SMS part (70 Cyrillic characters): see test/unit/sms-templates.test.ts.
 */
export type NoticeKind = 'registered' | 'scheduled' | 'answered' | 'missed' | 'needs_info';

export interface NoticeFacts {
  number: string;
  /** For `scheduled`: already formatted in the citizen's zone with its label, '03.12.2026 10:00 (МСК+7)' (zone-time.ts). */
  when?: string;
}

const TEMPLATES: Record<NoticeKind, (f: NoticeFacts) => string> = {
  registered: (f) => `Обращение ${f.number} зарегистрировано. Ответ придёт в личный кабинет.`,
  scheduled: (f) => `Обращение ${f.number}: оператор перезвонит вам ${f.when ?? ''}.`,
  answered: (f) => `На обращение ${f.number} дан ответ. Посмотрите его в личном кабинете.`,
  missed: (f) =>
    `Мы не дозвонились по обращению ${f.number}. Оставьте письменное обращение в личном кабинете.`,
  needs_info: (f) => `Обращение ${f.number}: данные не совпали с профилем. Проверьте их в личном кабинете.`,
};

export function noticeText(kind: NoticeKind, facts: NoticeFacts): string {
  return TEMPLATES[kind](facts);
}

export function codeText(code: string): string {
  return `Код подтверждения: ${code}. Никому его не сообщайте.`;
}
