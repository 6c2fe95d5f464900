import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '#infra/local/jwt-keys';
import { apiClient } from '../support/api-client.ts';
import { citizenPhone, identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, startSystem } from '../support/local-process.ts';

/**
 * The whole written path through `npm start`, both sides: a citizen files a request with a file;
 * an operator of its queue finds it in the inbox, opens it, reads the text, downloads the file and
 * asks a question; the citizen sees the comment and a notification and replies; the operator
 * extends the deadline once (the second time is 409) and answers; the citizen's notifications show
 * each step in order, and the request ends `answered`.
 */
let system: StartedSystem;
const call = apiClient(() => system.url);
const CITIZEN = 'ws-citizen';
const PHONE = citizenPhone(CITIZEN);
const QUEUE = 'tech-support';
const tokens: Record<string, string> = {};
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function outboxTexts(): Promise<string[]> {
  const out = await call(`/_local/outbox?to=${encodeURIComponent(PHONE)}`);
  return (out.body.items as { text: string }[]).map((m) => m.text);
}

beforeAll(async () => {
  system = await startSystem();
  Object.assign(tokens, {
    citizen: await signLocalToken(CITIZEN, ['citizen']),
    stranger: await signLocalToken('ws-stranger', ['citizen']),
    operator: await signLocalToken('ws-operator', ['operator'], 3600, undefined, { queues: [QUEUE] }),
    admin: await signLocalToken('ws-admin', ['admin']),
  });
  const put = await call(`/v1/admin/profiles/${CITIZEN}`, { method: 'PUT', token: tokens.admin, body: identity({ phone: PHONE }) });
  expect(put.status).toBe(201);
});

afterAll(async () => {
  await system?.stop();
});

describe('a written request, from filing to the answer, through the operator workspace', () => {
  it('walks every step, and the citizen is told of each in order', async () => {
    // The citizen files a request and attaches a file.
    const created = await call('/v1/requests', { method: 'POST', token: tokens.citizen, body: writtenRequest({ identity: identity({ phone: PHONE }) }) });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    const number = created.body.number as string;
    await eventually(async () => ((await call(`/v1/requests/${id}`, { token: tokens.citizen })).body.status === 'registered' ? true : undefined), 'registered', 20_000);
    const attached = await call(`/v1/requests/${id}/attachments`, { method: 'POST', token: tokens.citizen, body: { fileName: 'ошибка.png', contentType: 'image/png', size: PNG.length } });
    expect(attached.status).toBe(201);
    const upload = attached.body.upload as { url: string; method: string; headers: Record<string, string> };
    expect((await fetch(upload.url, { method: upload.method, headers: upload.headers, body: PNG })).status).toBe(200);
    const attachmentId = attached.body.id as string;
    await eventually(async () => {
      const d = await call(`/v1/requests/${id}`, { token: tokens.citizen });
      return (d.body.attachments as { id: string; status: string }[]).some((a) => a.id === attachmentId && a.status === 'ready') ? true : undefined;
    }, 'the file checked', 20_000);

    // The operator finds it in the inbox of the queue, nearest deadline first.
    const inbox = await eventually(async () => {
      const page = await call(`/v1/ops/inbox/${QUEUE}?limit=100`, { token: tokens.operator });
      expect(page.status).toBe(200);
      return (page.body.items as { id: string }[]).find((i) => i.id === id) ? page : undefined;
    }, 'the request in the inbox', 20_000);
    const items = inbox.body.items as { id: string; dueBy: string; overdue: boolean; attachmentsCount: number; status: string; topic: string; number: string }[];
    expect(items.map((i) => i.dueBy)).toEqual([...items.map((i) => i.dueBy)].sort());
    expect(items.find((i) => i.id === id)).toMatchObject({ number, status: 'registered', overdue: false, attachmentsCount: 1, topic: 'Не приходит СМС-код' });
    expect((await call('/v1/ops/inbox/services', { token: tokens.operator })).status).toBe(403);

    // Opens it: the text, the citizen with the full phone, never a SNILS or passport.
    const view = await call(`/v1/ops/requests/${id}`, { token: tokens.operator });
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({
      id,
      status: 'registered',
      overdue: false,
      written: { text: writtenRequest().written?.text },
      citizen: { userId: CITIZEN, fullName: 'Иванов Иван Иванович', phone: PHONE, snilsLast2: '95', passportLast2: '56', timeZone: 'Europe/Moscow' },
    });
    expect(view.body.assignedTo).toBeUndefined();
    expect(JSON.stringify(view.body)).not.toMatch(/112-233-445|11223344595|123456|snilsHash|passportHash/);

    // Downloads the file.
    const download = await call(`/v1/requests/${id}/attachments/${attachmentId}`, { token: tokens.operator });
    expect(download.status).toBe(200);
    const file = await fetch(download.body.url as string);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);

    // Asks a question: it takes the request, and the citizen gets an SMS and a notification.
    const question = await call(`/v1/ops/requests/${id}/comments`, { method: 'POST', token: tokens.operator, body: { text: 'Укажите, пожалуйста, модель телефона.' } });
    expect(question.status).toBe(201);
    expect(question.body).toMatchObject({ author: 'operator', text: 'Укажите, пожалуйста, модель телефона.' });
    const seen = await call(`/v1/requests/${id}`, { token: tokens.citizen });
    expect(seen.body.status).toBe('in_progress');
    expect((seen.body.comments as { author: string; text: string }[]).map((c) => c.author)).toEqual(['operator']);
    await eventually(async () => ((await outboxTexts()).some((t) => t.includes(`№ ${number}`) && t.includes('новое сообщение')) ? true : undefined), 'the comment SMS', 20_000);
    const afterQuestion = await eventually(async () => {
      const n = await call('/v1/notifications', { token: tokens.citizen });
      return (n.body.items as { kind: string }[]).some((i) => i.kind === 'comment') ? n : undefined;
    }, 'the comment notification', 20_000);
    expect(afterQuestion.body.unread).toBe(2);

    // The citizen replies with an ordinary comment.
    const reply = await call(`/v1/requests/${id}/comments`, { method: 'POST', token: tokens.citizen, body: { text: 'Телефон Xiaomi, Android 14.' } });
    expect(reply.status).toBe(201);
    const inboxAfter = await call(`/v1/ops/inbox/${QUEUE}?limit=100`, { token: tokens.operator });
    expect((inboxAfter.body.items as { id: string }[]).find((i) => i.id === id)).toMatchObject({ status: 'in_progress', assignedTo: 'ws-operator', lastCommentBy: 'citizen' });

    // Extends the deadline once; the second time is 409.
    const extended = await call(`/v1/ops/requests/${id}/extend`, { method: 'POST', token: tokens.operator, body: { days: 10, reason: 'Нужен ответ разработчиков приложения.' } });
    expect(extended.status).toBe(200);
    expect(Date.parse(extended.body.dueBy as string)).toBe(Date.parse(view.body.dueBy as string) + 10 * 86_400_000);
    const again = await call(`/v1/ops/requests/${id}/extend`, { method: 'POST', token: tokens.operator, body: { days: 5, reason: 'Ещё раз.' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'already_extended' } });
    const extendedView = await call(`/v1/ops/requests/${id}`, { token: tokens.operator });
    expect(extendedView.body).toMatchObject({ dueBy: extended.body.dueBy, extendedTo: extended.body.dueBy, assignedTo: 'ws-operator' });
    expect((await call(`/v1/requests/${id}`, { token: tokens.citizen })).body.dueBy).toBe(extended.body.dueBy);

    // Answers.
    const answered = await call(`/v1/ops/requests/${id}/answer`, { method: 'POST', token: tokens.operator, body: { text: 'Обновите приложение до версии 5.2.' } });
    expect(answered.status).toBe(200);
    const final = await call(`/v1/requests/${id}`, { token: tokens.citizen });
    expect(final.body).toMatchObject({ status: 'answered', answer: { text: 'Обновите приложение до версии 5.2.' } });
    expect((final.body.timeline as { event: string }[]).map((e) => e.event)).toEqual(['received', 'registered', 'attachment_ready', 'in_progress', 'extended', 'answered']);
    const inboxLast = await call(`/v1/ops/inbox/${QUEUE}?limit=100`, { token: tokens.operator });
    expect((inboxLast.body.items as { id: string }[]).some((i) => i.id === id)).toBe(false);

    // The citizen's notifications: each step, newest first, every one unread until read.
    const notifications = await eventually(async () => {
      const n = await call('/v1/notifications', { token: tokens.citizen });
      return (n.body.items as unknown[]).length >= 4 ? n : undefined;
    }, 'four notifications', 20_000);
    const list = notifications.body.items as { id: string; kind: string; requestId: string; text: string; read: boolean; at: string }[];
    expect(list.map((n) => n.kind)).toEqual(['answered', 'extended', 'comment', 'registered']);
    expect(list.every((n) => n.requestId === id && n.text.includes(number) && !n.read)).toBe(true);
    expect(list.find((n) => n.kind === 'extended')?.text).toContain('Нужен ответ разработчиков приложения.');
    expect(notifications.body.unread).toBe(4);
    const sms = await outboxTexts();
    expect(sms.filter((t) => t.includes(number)).length).toBe(4);

    // Reading them: another citizen's is 404; one, then all.
    const first = list[0] as { id: string };
    expect((await call(`/v1/notifications/${first.id}/read`, { method: 'POST', token: tokens.stranger })).status).toBe(404);
    const read = await call(`/v1/notifications/${first.id}/read`, { method: 'POST', token: tokens.citizen });
    expect(read).toMatchObject({ status: 200, body: { id: first.id, read: true } });
    expect((await call('/v1/notifications', { token: tokens.citizen })).body.unread).toBe(3);
    const all = await call('/v1/notifications/read-all', { method: 'POST', token: tokens.citizen });
    expect(all).toMatchObject({ status: 200, body: { marked: 3, unread: 0 } });
    const page = await call('/v1/notifications?limit=2', { token: tokens.citizen });
    expect(page.body.unread).toBe(0);
    expect((page.body.items as { kind: string }[]).map((n) => n.kind)).toEqual(['answered', 'extended']);
    const rest = await call(`/v1/notifications?limit=2&cursor=${page.body.nextCursor as string}`, { token: tokens.citizen });
    expect((rest.body.items as { kind: string }[]).map((n) => n.kind)).toEqual(['comment', 'registered']);
    expect((await call('/v1/notifications?cursor=bogus', { token: tokens.citizen })).status).toBe(400);
    expect((await call('/v1/notifications', { token: tokens.stranger })).body).toMatchObject({ items: [], unread: 0 });
  });
});
