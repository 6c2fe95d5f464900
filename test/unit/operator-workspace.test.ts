import { beforeEach, describe, expect, it } from 'vitest';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { ForbiddenError, NotFoundError, ValidationError } from '#core/errors';
import { putProfile } from '#core/profiles/put-profile';
import { answerRequest } from '#core/requests/answer';
import { takeRequest } from '#core/callbacks/queue';
import { createRequest } from '#core/requests/create-request';
import { routeRequest, sendNotice } from '#core/requests/intake';
import { getOwnRequest } from '#core/requests/get-request';
import { listInbox } from '#core/workspace/inbox';
import { getOperatorRequest } from '#core/workspace/operator-view';
import { addOperatorComment, extendRequest, forwardRequest, releaseRequest } from '#core/workspace/operator-actions';
import { reportOverdue } from '#core/workspace/overdue';
import { listOwnNotifications, readAllOwnNotifications, readOwnNotification } from '#core/notifications/notifications';
import { identity, writtenInput, callbackInput, PROFILE_PHONE_E164 } from './fixtures.ts';

/** The operator's workspace and the 59-FZ actions on in-memory adapters, on a fixed clock. */
let deps: MemoryDeps;
const Q = 'tech-support';
const op = (id: string, queues: string[] = [Q]) => ({ id, queues });
const A = op('op-a');
const B = op('op-b');
const OTHER = op('op-other', ['services']);

async function registered(input = writtenInput(), userId = 'user-1'): Promise<{ id: string; number: string }> {
  await putProfile(deps, userId, identity());
  const out = (await createRequest(deps, userId, input)).body as { id: string; number: string };
  await routeRequest(deps, out.id, 'Asia/Vladivostok');
  return out;
}

beforeEach(() => {
  deps = memoryDeps();
});

describe('the inbox', () => {
  it('lists the queue\'s written requests waiting for an answer, nearest deadline first, with a cursor', async () => {
    const first = await registered();
    deps.clock.advanceDays(1);
    const second = await registered();
    deps.clock.advanceDays(1);
    const third = await registered();
    await registered(writtenInput({ type: 'service_question' }));
    await registered(callbackInput({ type: 'technical' }));
    const page1 = await listInbox(deps, A, Q, 2);
    expect(page1.items.map((i) => i.id)).toEqual([first.id, second.id]);
    expect(page1.items[0]).toMatchObject({ status: 'registered', overdue: false, topic: 'Не приходит СМС-код', attachmentsCount: 0 });
    const page2 = await listInbox(deps, A, Q, 2, page1.nextCursor);
    expect(page2.items.map((i) => i.id)).toEqual([third.id]);
    expect(page2.nextCursor).toBeUndefined();
    await answerRequest(deps, A, second.id, { text: 'Ответ' });
    expect((await listInbox(deps, A, Q)).items.map((i) => i.id)).toEqual([first.id, third.id]);
  });

  it('is 403 for a queue outside the claim and 400 for a cursor it did not issue', async () => {
    await expect(listInbox(deps, OTHER, Q)).rejects.toBeInstanceOf(ForbiddenError);
    for (const cursor of ['bogus', Buffer.from('["2026-01-01T00:00:00.000Z","../x"]').toString('base64url'), Buffer.from('[1,2]').toString('base64url')]) {
      await expect(listInbox(deps, A, Q, 20, cursor)).rejects.toMatchObject({ errors: [{ path: "cursor", code: "invalid_cursor" }] });
    }
  });

  it('says overdue from day 31, and counts it in RequestsOverdue per queue', async () => {
    const { id } = await registered();
    deps.clock.advanceDays(30);
    expect((await listInbox(deps, A, Q)).items[0]?.overdue).toBe(false);
    expect(await reportOverdue(deps)).toEqual({ overdue: 0 });
    deps.clock.advanceDays(1);
    expect((await listInbox(deps, A, Q)).items[0]).toMatchObject({ id, overdue: true });
    expect(await reportOverdue(deps)).toEqual({ overdue: 1 });
    expect(deps.metrics.total('RequestsOverdue', { Queue: Q })).toBe(1);
    expect(deps.metrics.total('RequestsOverdue', { Queue: 'services' })).toBe(0);
    expect(deps.metrics.recorded.filter((m) => m.name === 'RequestsOverdue')).toHaveLength(10);
  });
});

describe("the operator's view", () => {
  it('is the citizen\'s view with full phones, the assignee and the citizen, never a SNILS or passport', async () => {
    const { id } = await registered(writtenInput({ written: { topic: 't', text: 'x', contactPhone: '8 (495) 123-45-67' } }));
    await takeRequest(deps, A, id);
    const view = await getOperatorRequest(deps, B, id);
    expect(view).toMatchObject({
      id,
      assignedTo: 'op-a',
      overdue: false,
      written: { contactPhone: { phone: '+74951234567' } },
      citizen: { userId: 'user-1', fullName: 'Иванов Иван Иванович', phone: PROFILE_PHONE_E164, snilsLast2: '95', passportLast2: '56' },
    });
    const citizen = await getOwnRequest(deps, 'user-1', id);
    expect(Object.keys(view)).toEqual(expect.arrayContaining(Object.keys(citizen)));
    expect(JSON.stringify(view)).not.toMatch(/snilsHash|passportHash|112-233-445/);
    await expect(getOperatorRequest(deps, OTHER, id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('operator comments and release', () => {
  it('a comment takes a request nobody holds, is refused to others, and starts one notice per comment', async () => {
    const { id } = await registered();
    const c1 = await addOperatorComment(deps, A, id, { text: 'Уточните модель телефона' });
    expect(c1).toMatchObject({ author: 'operator', text: 'Уточните модель телефона' });
    expect((await deps.requests.getRequest(id))).toMatchObject({ status: 'in_progress', assignedTo: 'op-a' });
    await expect(addOperatorComment(deps, B, id, { text: 'и я' })).rejects.toMatchObject({ code: 'taken' });
    await expect(addOperatorComment(deps, OTHER, id, { text: 'и я' })).rejects.toBeInstanceOf(NotFoundError);
    const c2 = await addOperatorComment(deps, A, id, { text: 'И версию приложения' });
    expect(deps.workflows.started.filter((s) => s.workflow === 'notice').map((s) => s.name)).toEqual([`${id}-comment-${c1.id}`, `${id}-comment-${c2.id}`]);
    await answerRequest(deps, A, id, { text: 'Ответ' });
    await expect(addOperatorComment(deps, A, id, { text: 'после' })).rejects.toMatchObject({ code: 'request_closed' });
  });

  it('release: only the assignee, back to registered (written) or scheduled (callback)', async () => {
    const { id } = await registered();
    await expect(releaseRequest(deps, A, id)).rejects.toMatchObject({ code: 'not_taken' });
    await takeRequest(deps, A, id);
    await expect(releaseRequest(deps, B, id)).rejects.toMatchObject({ code: 'taken' });
    expect(await releaseRequest(deps, A, id)).toEqual({ id, status: 'registered' });
    expect(await deps.requests.getRequest(id)).toMatchObject({ status: 'registered' });
    expect((await deps.requests.getRequest(id))?.assignedTo).toBeUndefined();
    expect((await listInbox(deps, B, Q)).items.map((i) => i.id)).toEqual([id]);
    await takeRequest(deps, B, id);
  });
});

describe('59-FZ: extension and forwarding', () => {
  it('extends once, before the deadline, moving dueBy everywhere; a callback is not_written', async () => {
    const { id } = await registered();
    const before = (await deps.requests.getRequest(id))?.dueBy as string;
    const out = await extendRequest(deps, A, id, { days: 30, reason: 'Запрос в ведомство' });
    expect(out).toEqual({ id, dueBy: new Date(Date.parse(before) + 30 * 86_400_000).toISOString() });
    expect((await getOwnRequest(deps, 'user-1', id)).dueBy).toBe(out.dueBy);
    expect((await getOperatorRequest(deps, A, id))).toMatchObject({ dueBy: out.dueBy, extendedTo: out.dueBy });
    expect((await listInbox(deps, A, Q)).items[0]?.dueBy).toBe(out.dueBy);
    await expect(extendRequest(deps, A, id, { days: 1, reason: 'ещё' })).rejects.toMatchObject({ code: 'already_extended' });
    const timeline = (await deps.requests.getRequestDetail(id))?.timeline.map((e) => e.event);
    expect(timeline).toEqual(['received', 'registered', 'extended']);
    expect(deps.workflows.started.find((s) => s.name === `${id}-extended`)?.input).toMatchObject({ requestId: id, kind: 'extended', reason: 'Запрос в ведомство' });

    const late = await registered();
    deps.clock.advanceDays(31);
    await expect(extendRequest(deps, A, late.id, { days: 5, reason: 'поздно' })).rejects.toMatchObject({ code: 'overdue' });
    const cb = await registered(callbackInput({ type: 'technical' }));
    await expect(extendRequest(deps, A, cb.id, { days: 5, reason: 'x' })).rejects.toMatchObject({ code: 'not_written' });
  });

  it('forwards through day 7 (final), refuses from day 8', async () => {
    const { id } = await registered();
    const other = await registered();
    deps.clock.advanceDays(7);
    expect(await forwardRequest(deps, A, id, { to: 'Росреестр', reason: 'Кадастр' })).toEqual({ id, status: 'forwarded' });
    expect(await deps.requests.getRequest(id)).toMatchObject({ status: 'forwarded' });
    expect((await listInbox(deps, A, Q)).items.map((i) => i.id)).toEqual([other.id]);
    await expect(forwardRequest(deps, A, id, { to: 'x', reason: 'y' })).rejects.toMatchObject({ code: 'not_answerable' });
    deps.clock.advanceDays(1);
    await expect(forwardRequest(deps, A, other.id, { to: 'Росреестр', reason: 'Кадастр' })).rejects.toMatchObject({ code: 'forward_too_late' });
  });
});

describe('notifications', () => {
  it('every notice writes its notification once, even when the step is retried after a failed SMS', async () => {
    const { id, number } = await registered();
    deps.sms.failNext(1);
    await expect(sendNotice(deps, id, 'registered')).rejects.toThrow();
    await sendNotice(deps, id, 'registered');
    await sendNotice(deps, id, 'registered');
    const list = await listOwnNotifications(deps, 'user-1');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: `${id}-registered`, kind: 'registered', requestId: id, read: false });
    expect(list.items[0]?.text).toContain(number);
    expect(deps.sms.to(PROFILE_PHONE_E164)).toHaveLength(1);
  });

  it('comments, the extension and the answer each become one, in order; unread, read one, read all; another citizen\'s is 404', async () => {
    const { id } = await registered();
    await sendNotice(deps, id, 'registered');
    deps.clock.advanceMinutes(1);
    const c = await addOperatorComment(deps, A, id, { text: 'Вопрос' });
    await sendNotice(deps, id, 'comment', undefined, { ref: c.id });
    deps.clock.advanceMinutes(1);
    await extendRequest(deps, A, id, { days: 10, reason: 'Нужен запрос' });
    await sendNotice(deps, id, 'extended', undefined, { reason: 'Нужен запрос' });
    deps.clock.advanceMinutes(1);
    await answerRequest(deps, A, id, { text: 'Ответ' });
    await sendNotice(deps, id, 'answered');
    const list = await listOwnNotifications(deps, 'user-1');
    expect(list.items.map((n) => n.kind)).toEqual(['answered', 'extended', 'comment', 'registered']);
    expect(list.unread).toBe(4);
    expect(list.items[1]?.text).toContain('Нужен запрос');
    expect(deps.sms.to(PROFILE_PHONE_E164).map((s) => s.text)).toEqual([
      expect.stringContaining('зарегистрировано'),
      expect.stringContaining('новое сообщение'),
      expect.stringContaining('продлён до'),
      expect.stringContaining('дан ответ'),
    ]);
    const page = await listOwnNotifications(deps, 'user-1', 3);
    expect((await listOwnNotifications(deps, 'user-1', 3, page.nextCursor)).items.map((n) => n.kind)).toEqual(['registered']);
    await expect(readOwnNotification(deps, 'intruder', `${id}-answered`)).rejects.toBeInstanceOf(NotFoundError);
    await expect(readOwnNotification(deps, 'user-1', '../x')).rejects.toBeInstanceOf(NotFoundError);
    expect(await readOwnNotification(deps, 'user-1', `${id}-answered`)).toMatchObject({ read: true });
    expect((await listOwnNotifications(deps, 'user-1')).unread).toBe(3);
    expect(await readAllOwnNotifications(deps, 'intruder')).toEqual({ marked: 0, unread: 0 });
    expect(await readAllOwnNotifications(deps, 'user-1')).toEqual({ marked: 3, unread: 0 });
    await expect(listOwnNotifications(deps, 'user-1', 20, 'bogus')).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('search: which way, validated', () => {
  it('exactly one of number, phone or callAt (which may come with phone)', async () => {
    const { searchMode } = await import('#core/workspace/search');
    expect(() => searchMode({})).toThrow(ValidationError);
    expect(() => searchMode({ number: '20261126-7KQ3ZD', phone: '+79123456789' })).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: 'phone', code: 'unexpected' })] }));
    expect(() => searchMode({ number: '2026-7KQ3ZD' })).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: 'number', code: 'invalid_format' })] }));
    expect(() => searchMode({ phone: '12345' })).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ path: 'phone', code: 'phone_invalid' })] }));
    expect(searchMode({ number: ' 20261126-7kq3zd ' })).toEqual({ kind: 'number', number: '20261126-7KQ3ZD' });
    expect(searchMode({ phone: '8 (495) 123-45-67 доб. 12' })).toEqual({ kind: 'phone', phone: '+74951234567' });
    expect(searchMode({ callAt: '2026-03-02T12:20:00+03:00', phone: '9123456789' })).toEqual({ kind: 'time', at: new Date('2026-03-02T09:20:00Z'), phone: '+79123456789' });
  });
});
