import type { RequestType } from '../requests/model.ts';

/**
 * Where each type of request goes: its operator queue, the support line that serves it and the
 * preliminary questions an operator will ask. The one place routing is decided.
 */
/** A support line; its hours are its queue's week in the centre's calendar (contacts/centre.ts). */
export interface Line {
  phone: string;
  display: string;
}

export interface RouteRule {
  queue: string;
  line: Line;
  questions: string[];
}

export const ROUTING_TABLE: Record<RequestType, RouteRule> = {
  technical: {
    queue: 'tech-support',
    line: { phone: '88001001001', display: '8 800 100-10-01' },
    questions: [
      'Какой браузер или приложение вы используете?',
      'Какой текст ошибки вы видите?',
      'Приходит ли СМС-код на телефон из профиля?',
    ],
  },
  service_question: {
    queue: 'services',
    line: { phone: '88001001002', display: '8 800 100-10-02' },
    questions: ['Какая услуга вас интересует?', 'В каком регионе вы получаете услугу?'],
  },
  complaint: {
    queue: 'complaints',
    line: { phone: '88001001003', display: '8 800 100-10-03' },
    questions: ['На что или на кого вы жалуетесь?', 'Когда это произошло?', 'Какого решения вы ждёте?'],
  },
  consultation: {
    queue: 'consultations',
    line: { phone: '88001001004', display: '8 800 100-10-04' },
    questions: ['Какую форму или процедуру вы оформляете?', 'На каком шаге возникло затруднение?'],
  },
  status_check: {
    queue: 'status',
    line: { phone: '88001001005', display: '8 800 100-10-05' },
    questions: ['Какой номер у заявления?', 'Когда вы подали заявление?'],
  },
};

export function routeFor(type: RequestType): RouteRule {
  return ROUTING_TABLE[type];
}

/** Every operator queue, in routing-table order: what a `queues: ["*"]` claim stands for. */
export const QUEUE_NAMES: readonly string[] = [...new Set(Object.values(ROUTING_TABLE).map((r) => r.queue))];
