import { NOTICE_KINDS, type NoticeFacts, type NoticeKind } from './sms-templates.ts';

/**
 * Notifications in the citizen's account: every SMS notice (sms-templates.ts) is also one, with a
 * fuller text (no SMS length to keep to: the reason of an extension or a forwarding in full). The
 * texts are here, beside the SMS ones, and nowhere else. One-time codes are not notices: a code is
 * never kept in clear, so it never becomes a notification.
 */
export const NOTIFICATION_KINDS = NOTICE_KINDS;
export type NotificationKind = NoticeKind;

export interface Notification {
  /** Deterministic: the same notice of the same request always has the same id (notificationId). */
  id: string;
  userId: string;
  at: string;
  kind: NotificationKind;
  requestId?: string;
  callId?: string;
  text: string;
  read: boolean;
}

const TEXTS: Record<NotificationKind, (f: NoticeFacts) => string> = {
  registered: (f) => `Обращение № ${f.number} зарегистрировано. Ответ будет дан в течение 30 дней; он появится здесь.`,
  scheduled: (f) => `Обращение № ${f.number}: оператор перезвонит вам ${f.when ?? ''}.`,
  answered: (f) => `На обращение № ${f.number} дан ответ. Откройте обращение, чтобы прочитать его.`,
  missed: (f) => `Мы не дозвонились по обращению № ${f.number}. Вы можете оставить письменное обращение.`,
  needs_info: (f) => `Обращение № ${f.number}: данные не совпали с профилем. Проверьте их и подайте обращение снова.`,
  comment: (f) => `В обращении № ${f.number} новое сообщение от оператора.`,
  extended: (f) => `Срок ответа на обращение № ${f.number} продлён до ${f.when ?? ''}. Причина: ${f.reason ?? ''}`,
  forwarded: (f) => `Обращение № ${f.number} направлено по компетенции в ${f.to ?? ''}. Причина: ${f.reason ?? ''}`,
};

export function notificationText(kind: NotificationKind, facts: NoticeFacts): string {
  return TEXTS[kind](facts);
}

/**
 * The id of the notification of one notice: the request and the kind, plus what tells apart notices
 * of one kind that may come more than once (each operator comment: its id). A retried step builds
 * the same id, and the store writes it only if absent, so a notice is written once.
 */
export function notificationId(requestId: string, kind: NotificationKind, ref?: string): string {
  return ref ? `${requestId}-${kind}-${ref}` : `${requestId}-${kind}`;
}

/** The notice mark (sent SMS) of the same notice: per comment for comments, once per request otherwise. */
export function noticeMark(kind: NotificationKind, ref?: string): string {
  return ref ? `${kind}#${ref}` : kind;
}
