import type { Schemas } from './api.ts';

/** The Russian words for the API's enumerations, one place for both faces. */
export type Status = Schemas['RequestDetail']['status'];
export type RequestType = Schemas['RequestDetail']['type'];
export type CallOutcome = Schemas['NewCall']['outcome'];

export const STATUS_LABELS: Record<Status, string> = {
  received: 'Принято',
  needs_info: 'Нужны уточнения',
  registered: 'Зарегистрировано',
  scheduled: 'Звонок запланирован',
  in_progress: 'В работе',
  answered: 'Дан ответ',
  completed: 'Звонок состоялся',
  missed: 'Не дозвонились',
  cancelled: 'Отменено',
  forwarded: 'Перенаправлено',
};

export const TYPE_LABELS: Record<RequestType, string> = {
  technical: 'Технический вопрос (вход, СМС-коды, ошибки сайта)',
  service_question: 'Вопрос об услуге (сроки, документы)',
  complaint: 'Жалоба',
  consultation: 'Консультация (как заполнить заявление)',
  status_check: 'Статус поданного заявления',
};

export const TYPE_SHORT: Record<RequestType, string> = {
  technical: 'Технический вопрос',
  service_question: 'Вопрос об услуге',
  complaint: 'Жалоба',
  consultation: 'Консультация',
  status_check: 'Статус заявления',
};

export const REQUEST_TYPES = Object.keys(TYPE_LABELS) as RequestType[];

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  answered: 'Разговор состоялся',
  no_answer: 'Не ответили',
  busy: 'Занято',
  failed: 'Сбой связи',
};

export const CHANNEL_LABELS: Record<string, string> = {
  phone: 'Телефон',
  callback: 'Обратный звонок',
  written: 'Письменное обращение',
  chat: 'Чат',
};

export const ATTACHMENT_STATUS_LABELS: Record<Schemas['Attachment']['status'], string> = {
  pending: 'Проверяется',
  ready: 'Проверен',
  rejected: 'Отклонён: файл не совпал с заявленным типом или размером',
};

export const PROBLEM_FIELD_LABELS: Record<string, string> = {
  fullName: 'ФИО',
  snils: 'СНИЛС',
  passport: 'паспорт',
  phone: 'телефон',
  profile: 'профиль',
};

/** Timeline events that are not a status, in Russian (a status event reads as its status). */
const EVENT_LABELS: Record<string, string> = {
  attachment_ready: 'Файл проверен',
  attachment_rejected: 'Файл отклонён',
  claim_filed: 'Подана претензия',
  extended: 'Срок ответа продлён',
  routed: 'Направлено в очередь',
  call_unanswered: 'Звонок без ответа',
  rescheduled: 'Назначен повторный звонок',
  callback_resumed: 'Звонок назначен снова',
  workflow_failed: 'Сбой обработки',
};

export function eventLabel(event: string): string {
  return (STATUS_LABELS as Record<string, string>)[event] ?? EVENT_LABELS[event] ?? event;
}

/** A time the way the API writes it into texts, in the citizen's zone: `03.12.2026 10:00 (МСК+7)`. */
const TIME_IN_TEXT = /\d{2}\.\d{2}\.\d{4} \d{2}:\d{2} \(МСК(?:[+-]\d{1,2})?\)/;

/**
 * A line of the citizen's history. An event's `detail` is mostly a note for staff (the queue, the
 * operator's id, the attempt and its outcome, a file's id, in English), which the workspace shows
 * as it is; a citizen is shown only what they were also told: the new deadline and its reason,
 * where the request went and why, and the time a call was booked for (in their own zone).
 */
export function citizenEventText(e: { event: string; detail?: string }): string {
  const label = eventLabel(e.event);
  if (!e.detail) return label;
  if (e.event === 'extended' || e.event === 'forwarded') return `${label}: ${e.detail}`;
  const time = e.event === 'scheduled' || e.event === 'rescheduled' ? TIME_IN_TEXT.exec(e.detail)?.[0] : undefined;
  return time ? `${label}: ${time}` : label;
}
