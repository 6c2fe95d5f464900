import type { Problem } from './api.ts';

/**
 * A problem document (RFC 9457) as sentences a citizen or an operator understands: one for the
 * whole answer (from its `code`), and one per field (from each `errors[]` entry, keyed by its
 * `path`, e.g. `identity.snils`), which the forms show beside the field it belongs to.
 */
const CODE_SENTENCES: Record<string, string> = {
  validation_failed: 'Проверьте выделенные поля.',
  snils_invalid: 'СНИЛС указан с ошибкой: проверьте цифры.',
  passport_invalid: 'Проверьте серию (4 цифры), номер (6 цифр) и дату выдачи паспорта.',
  name_invalid: 'Укажите фамилию, имя и отчество русскими буквами.',
  phone_invalid: 'Номер телефона должен содержать 10 цифр после +7 или 8.',
  phone_not_russian: 'Укажите российский номер телефона.',
  phone_not_mobile: 'Для СМС нужен номер мобильного телефона.',
  inn_invalid: 'ИНН указан с ошибкой: проверьте цифры.',
  window_invalid: 'Выберите время звонка в ближайшие 7 дней.',
  too_many_open_callbacks: 'У вас уже 3 заказанных звонка. Дождитесь их или отмените один из них.',
  rate_limited: 'Слишком много обращений подряд. Попробуйте позже.',
  request_closed: 'Обращение закрыто: добавить к нему ничего нельзя.',
  too_many_comments: 'К обращению добавлено максимальное число комментариев.',
  too_many_attachments: 'К обращению можно прикрепить не больше 5 файлов.',
  not_cancellable: 'Это обращение уже нельзя отменить.',
  not_ready: 'Файл ещё проверяется или был отклонён.',
  code_invalid: 'Неверный код.',
  code_locked: 'Код введён неверно 5 раз. Запросите новый код.',
  code_expired: 'Срок действия кода истёк. Запросите новый код.',
  code_used: 'Этот код уже использован. Запросите новый код.',
  code_not_requested: 'Сначала запросите код.',
  code_resend_too_soon: 'Новый код можно будет запросить чуть позже.',
  code_send_limit: 'Код запрашивали слишком часто. Попробуйте через час.',
  already_confirmed: 'Звонок уже подтверждён.',
  not_confirmed: 'Сначала подтвердите звонок кодом из СМС.',
  claim_not_eligible: 'Претензию можно подать, только если ожидание длилось больше 10 минут.',
  already_claimed: 'Претензия по этому звонку уже подана.',
  profile_missing: 'Профиль не найден: обратитесь в поддержку портала.',
  taken: 'Обращение уже взял в работу другой оператор.',
  not_takeable: 'Это обращение сейчас нельзя взять в работу.',
  not_answerable: 'На это обращение сейчас нельзя ответить.',
  not_written: 'Это можно сделать только с письменным обращением.',
  not_taken: 'Обращение никто не взял в работу: возвращать нечего.',
  already_extended: 'Срок ответа уже продлевали: продлить можно один раз.',
  overdue: 'Срок ответа уже истёк: продлить его нельзя.',
  forward_too_late: 'Перенаправить можно только в течение 7 дней после регистрации.',
  not_awaiting_call: 'Этот звонок сейчас не ожидается.',
  times_out_of_order: 'Проверьте время: постановка в очередь, ответ и завершение должны идти по порядку.',
  time_in_future: 'Время не может быть в будущем.',
  time_too_old: 'Время не может быть раньше, чем сутки назад.',
  not_found: 'Не найдено.',
  forbidden: 'Недостаточно прав.',
  unauthenticated: 'Войдите снова.',
  idempotency_key_reused: 'Форма уже была отправлена с другими данными. Обновите страницу.',
  payload_too_large: 'Слишком большой объём данных.',
};

/** Field problems that are about the shape (zod's codes) rather than a domain rule. */
const SHAPE_SENTENCES: Record<string, string> = {
  too_small: 'Заполните это поле.',
  too_big: 'Слишком длинный текст.',
  invalid_type: 'Заполните это поле.',
  invalid_format: 'Неверный формат.',
  invalid_value: 'Выберите значение из списка.',
};

export interface ProblemText {
  /** The sentence for the whole answer. */
  message: string;
  /** Sentences by field path (`identity.snils`, `written.topic`). */
  fields: Record<string, string>;
  code: string;
}

export function sentenceFor(code: string): string | undefined {
  return CODE_SENTENCES[code] ?? SHAPE_SENTENCES[code];
}

/** `code_invalid` carries `attemptsLeft` beside `code` (the document declares it on that code's schema). */
export function attemptsLeft(problem: Problem): number | undefined {
  return problem.code === 'code_invalid' ? problem.attemptsLeft : undefined;
}

export function problemText(problem: Problem | undefined, fallback = 'Не получилось. Попробуйте ещё раз.'): ProblemText {
  if (!problem || typeof problem !== 'object') return { message: fallback, fields: {}, code: 'unknown' };
  const fields: Record<string, string> = {};
  for (const e of 'errors' in problem ? problem.errors : []) fields[e.path] ??= sentenceFor(e.code) ?? 'Проверьте это поле.';
  let message = sentenceFor(problem.code) ?? fallback;
  const left = attemptsLeft(problem);
  if (problem.code === 'code_invalid' && left !== undefined) message = `Неверный код. Осталось попыток: ${left}.`;
  return { message, fields, code: problem.code };
}

/** Retry-After, in seconds, of a 429. */
export function retryAfter(response: Response): number | undefined {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
