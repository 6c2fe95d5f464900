import { attachmentView } from '../attachments/model.ts';
import { maskPhone } from '../phone/phone.ts';
import { routeFor } from '../routing/routing-table.ts';
import { deadlineInForce } from './deadlines.ts';
import type { RequestDetail, SupportRequest } from './model.ts';

/** What a citizen sees of their request: never a SNILS or passport, phones masked. */
export function requestSummary(r: SupportRequest) {
  return {
    id: r.id,
    number: r.number,
    channel: r.channel,
    type: r.type,
    status: r.status,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    ...(r.scheduledAt ? { scheduledAt: r.scheduledAt } : {}),
  };
}

function maskedPhone(p: { e164: string; extension?: string }) {
  return p.extension ? { phone: maskPhone(p.e164), extension: p.extension } : { phone: maskPhone(p.e164) };
}

export function requestView(detail: RequestDetail) {
  const r = detail.request;
  return {
    ...requestSummary(r),
    ...(r.relatedNumber !== undefined ? { relatedNumber: r.relatedNumber } : {}),
    ...(r.relatedKind !== undefined ? { relatedKind: r.relatedKind } : {}),
    ...(r.written
      ? {
          written: {
            topic: r.written.topic,
            text: r.written.text,
            attempts: r.written.attempts.map((a) => ({ ...a, ...(a.phone ? { phone: maskPhone(a.phone) } : {}) })),
            ...(r.written.contactPhone ? { contactPhone: maskedPhone(r.written.contactPhone) } : {}),
            ...(r.written.desiredOutcome !== undefined ? { desiredOutcome: r.written.desiredOutcome } : {}),
          },
        }
      : {}),
    ...(r.callback
      ? {
          callback: {
            ...maskedPhone(r.callback.phone),
            description: r.callback.description,
            ...(r.callback.note !== undefined ? { note: r.callback.note } : {}),
            ...(r.callback.preferredWindow ? { preferredWindow: r.callback.preferredWindow } : {}),
          },
        }
      : {}),
    route: r.route ?? null,
    // The routing table's questions for the type, once routed: not copied into every request
    // (a copy pushed a written request over 1 KB, doubling each write's units).
    questions: r.route ? routeFor(r.type).questions : [],
    problems: r.problems ?? [],
    // The deadline in force: an extension's once there is one (deadlines.ts).
    ...(deadlineInForce(r) !== undefined ? { dueBy: deadlineInForce(r) } : {}),
    ...(r.answer ? { answer: { text: r.answer.text, at: r.answer.at } } : {}),
    ...(r.claimOf ? { claimOf: r.claimOf } : {}),
    timeline: detail.timeline.filter((e) => !e.internal).map(({ at, event, detail: d }) => ({ at, event, ...(d !== undefined ? { detail: d } : {}) })),
    comments: detail.comments,
    attachments: detail.attachments.map(attachmentView),
  };
}
