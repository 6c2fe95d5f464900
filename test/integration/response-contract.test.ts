import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryWorkflows } from '#adapters/memory/memory-workflows';
import { settleUpload } from '#core/attachments/check';
import { objectKeyOf } from '#core/attachments/model';
import { routeRequest } from '#core/requests/intake';
import { addLocalDays, moscowDate } from '#core/scheduling/moscow-time';
import { provideDeps, resetDeps } from '#functions/deps';
import { statusOf } from '#http/problem-schemas';
import { ROUTES, type RouteDef } from '#http/routes';
import type { Stores } from '#ports/stores';
import { citizenPhone, identity, storedCallbackRequest, storedWrittenRequest, writtenRequest } from '../support/fixtures.ts';
import { type EventInput, handlerFor, httpEvent, lambdaContext, staffClaims } from '../support/http-event.ts';
import { freshTable, realSystem } from '../support/integration.ts';
import { callbackRequest } from '../support/route-catalog.ts';
import { responseViolations } from '../support/response-contract.ts';

/**
 * Every route of the table, driven through the real handler modules over DynamoDB Local, on its
 * success paths and its error paths; every answer is checked against what the route table declares
 * (response-contract.ts: status, content type, headers, and a body the closed schema accepts). A
 * handler that sends a property the schema does not declare, leaves out a required one, answers a
 * status or a problem code its route does not list, fails here.
 */
const CITIZEN = 'rc-citizen';
const OTHER = 'rc-other';
const BUSY = 'rc-busy';
const NO_PROFILE = 'rc-no-profile';
const CODE = '123456';
const WRONG = '000000';

/** Own codes of a route this file does not reach, and the test that does. */
const NOT_DRIVEN_HERE: [string, string][] = [
  ['addComment rate_limited', 'test/integration/citizen-limits.test.ts: 30 parallel comments create exactly 20'],
  ['addComment too_many_comments', 'test/integration/citizen-limits.test.ts: a request takes at most 100 comments'],
  ['fileClaim rate_limited', 'test/integration/citizen-limits.test.ts: claims count'],
  ['putQueueCalendar calendar_changed', 'test/integration/calendar-store.test.ts: a queue write against a stale slotMinutes is refused (only a race between two changes reaches it)'],
  ['addOperatorComment too_many_comments', 'test/integration/citizen-limits.test.ts: a request takes at most 100 comments (operator comments count toward the same cap)'],
  ['verifyConfirmation code_used', 'test/integration/otp-phone-races.test.ts: only a race between two right codes reaches it'],
];

let clockOffsetMs = 0;
const seen = new Map<string, Set<string>>();
const violations: string[] = [];
let store: Stores;
const deps = () => ({ ...store, clock: { now: () => new Date(Date.now() + clockOffsetMs) } });

interface Sent {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

function routeOf(operation: string): RouteDef {
  const route = (ROUTES as readonly RouteDef[]).find((r) => r.operation === operation);
  if (!route) throw new Error(`no route ${operation}`);
  return route;
}

const citizen = (sub = CITIZEN) => ({ sub });
const operator = (sub = 'rc-op-1', queues: readonly string[] = ['*']) => staffClaims(sub, ['operator'], queues);
const admin = () => staffClaims('rc-admin', ['admin']);

async function send(operation: string, input: Omit<EventInput, 'body'> & { body?: unknown; contentType?: string } = {}): Promise<Sent> {
  const route = routeOf(operation);
  const headers: Record<string, string> = { ...input.headers };
  if (input.body !== undefined) headers['content-type'] = input.contentType ?? 'application/json';
  const body = input.body === undefined ? undefined : typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  const handler = await handlerFor(route);
  const { body: _body, contentType: _type, ...rest } = input;
  const result = await handler(httpEvent(route, { ...rest, headers, ...(body !== undefined ? { body } : {}) }), lambdaContext(route));
  const status = result.statusCode ?? 200;
  const raw = result.body === undefined ? undefined : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  const found = responseViolations(route, { status, headers: result.headers, body: raw });
  violations.push(...found.map((v) => `${operation} → ${status}: ${v}`));
  const text = typeof raw === 'string' ? raw : '';
  const json = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {};
  const seenHere = seen.get(operation) ?? new Set<string>();
  seenHere.add(status < 400 ? String(status) : `${status} ${String(json.code)}`);
  seen.set(operation, seenHere);
  return { status, body: json, headers: Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])) };
}

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
let seq = 0;
/** Request ids as the service makes them (26 characters of Crockford base 32), so cursors over them are valid. */
const seedId = () => `01RC${String((seq += 1)).padStart(22, '0')}`;

async function seed(request: ReturnType<typeof storedCallbackRequest>) {
  await store.requests.createRequest(request, { at: request.createdAt, event: 'received' }, undefined, request.createdAt);
  return request;
}

describe('every answer of every route is the one the route table declares', () => {
  beforeAll(async () => {
    ({ store } = await freshTable());
    provideDeps({ ...store, workflows: memoryWorkflows(), ...realSystem(), otpRandom: { sixDigits: () => CODE }, clock: deps().clock });
  });
  afterAll(() => resetDeps());

  it('public routes', async () => {
    expect((await send('getContacts')).status).toBe(200);
    expect((await send('getOpenApi')).status).toBe(200);
    const slots = await send('getCallbackSlots', { query: { type: 'technical', timeZone: 'Asia/Kamchatka' } });
    expect(slots.status).toBe(200);
    expect((slots.body.items as unknown[]).length).toBeGreaterThan(0);
    expect((await send('getCallbackSlots', { query: { type: 'nope' } })).status).toBe(400);
    expect((await send('getCallbackSlots', { query: { type: 'technical', from: ago(-60), to: ago(-30) } })).status).toBe(400);
    expect((await send('getContacts', { body: 'x'.repeat(300 * 1024), contentType: 'text/plain' })).status).toBe(413);
  });

  it('profiles (admin)', async () => {
    expect((await send('putProfile', { claims: admin(), params: { userId: CITIZEN }, body: identity() })).status).toBe(201);
    expect((await send('putProfile', { claims: admin(), params: { userId: CITIZEN }, body: { ...identity(), region: '41' } })).status).toBe(200);
    expect((await send('putProfile', { claims: admin(), params: { userId: OTHER }, body: identity() })).body.code).toBe('phone_in_use');
    expect((await send('putProfile', { claims: admin(), params: { userId: OTHER }, body: identity({ phone: '+7 916 000-11-22' }) })).status).toBe(201);
    expect((await send('putProfile', { claims: admin(), params: { userId: OTHER }, body: { ...identity(), region: '00' } })).status).toBe(400);
    expect((await send('putProfile', { claims: citizen(), params: { userId: CITIZEN }, body: identity() })).status).toBe(403);
    expect((await send('putProfile', { params: { userId: CITIZEN }, body: identity() })).status).toBe(401);
    expect((await send('putProfile', { claims: admin(), params: { userId: CITIZEN }, body: 'x', contentType: 'text/plain' })).status).toBe(415);
  });

  it('citizen requests: create, list, read, comment, attach, cancel', async () => {
    const key = { 'idempotency-key': 'rc-key-1' };
    const created = await send('createRequest', { claims: citizen(), headers: key, body: writtenRequest() });
    expect(created.status).toBe(202);
    expect(created.headers.location).toBe(`/v1/requests/${String(created.body.id)}`);
    expect((await send('createRequest', { claims: citizen(), headers: key, body: writtenRequest({ type: 'complaint' }) })).status).toBe(422);
    expect((await send('createRequest', { claims: citizen(), body: { ...writtenRequest(), channel: 'fax' } })).status).toBe(400);
    expect((await send('createRequest', { claims: citizen(), body: callbackRequest() })).status).toBe(202);
    const id = String(created.body.id);

    const page = await send('listRequests', { claims: citizen(), query: { limit: '1' } });
    expect(page.body.nextCursor).toEqual(expect.any(String));
    expect((await send('listRequests', { claims: citizen(), query: { cursor: String(page.body.nextCursor) } })).status).toBe(200);
    expect((await send('listRequests', { claims: citizen(), query: { cursor: 'not-ours' } })).status).toBe(400);

    expect((await send('getRequest', { claims: citizen(), params: { id } })).body.written).toBeDefined();
    expect((await send('getRequest', { claims: citizen(OTHER), params: { id } })).status).toBe(404);
    expect((await send('getRequest', { claims: citizen(), params: { id: 'x'.repeat(65) } })).status).toBe(400);

    expect((await send('addComment', { claims: citizen(), params: { id }, headers: { 'idempotency-key': 'rc-c-1' }, body: { text: 'Добавляю подробности' } })).status).toBe(201);

    const file = { fileName: 'screen.png', contentType: 'image/png', size: 2048 };
    const attached = await send('createAttachment', { claims: citizen(), params: { id }, body: file });
    expect(attached.status).toBe(201);
    const attachmentId = String(attached.body.id);
    expect((await send('getAttachment', { claims: citizen(), params: { id, attachmentId } })).body.code).toBe('not_ready');
    await settleUpload(deps() as never, { key: objectKeyOf(id, attachmentId), found: true, size: 2048, kind: 'image/png' });
    expect((await send('getAttachment', { claims: citizen(), params: { id, attachmentId } })).status).toBe(200);
    expect((await send('getRequest', { claims: citizen(), params: { id } })).body.attachments).toHaveLength(1);
    for (let i = 0; i < 4; i += 1) expect((await send('createAttachment', { claims: citizen(), params: { id }, body: file })).status).toBe(201);
    expect((await send('createAttachment', { claims: citizen(), params: { id }, body: file })).body.code).toBe('too_many_attachments');

    expect((await send('cancelRequest', { claims: citizen(), params: { id } })).status).toBe(200);
    expect((await send('cancelRequest', { claims: citizen(), params: { id } })).body.code).toBe('not_cancellable');
    expect((await send('addComment', { claims: citizen(), params: { id }, body: { text: 'Ещё' } })).body.code).toBe('request_closed');
    expect((await send('createAttachment', { claims: citizen(), params: { id }, body: file })).body.code).toBe('request_closed');
  });

  it('the per-citizen limits: the 4th open callback is 409, the 11th request of a day 429', async () => {
    for (let i = 0; i < 3; i += 1) expect((await send('createRequest', { claims: citizen(BUSY), body: callbackRequest() })).status).toBe(202);
    expect((await send('createRequest', { claims: citizen(BUSY), body: callbackRequest() })).body.code).toBe('too_many_open_callbacks');
    for (let i = 0; i < 7; i += 1) expect((await send('createRequest', { claims: citizen(BUSY), body: writtenRequest() })).status).toBe(202);
    const limited = await send('createRequest', { claims: citizen(BUSY), body: writtenRequest() });
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('operators: queue, take, answer, attachments, calls', async () => {
    const written = await seed({ ...storedWrittenRequest(seedId(), '20261201-RC0001'), userId: CITIZEN, status: 'registered', route: { queue: 'tech-support', line: '88001001001' }, dueBy: ago(-60 * 24 * 30) });
    expect((await send('takeRequest', { claims: operator(), params: { id: written.id } })).status).toBe(200);
    expect((await send('takeRequest', { claims: operator('rc-op-2'), params: { id: written.id } })).body.code).toBe('taken');
    expect((await send('answerRequest', { claims: operator('rc-op-2'), params: { id: written.id }, body: { text: 'Ответ' } })).body.code).toBe('taken');
    expect((await send('answerRequest', { claims: operator(), params: { id: written.id }, body: { text: 'Код отправлен повторно.' } })).status).toBe(200);
    expect((await send('answerRequest', { claims: operator(), params: { id: written.id }, body: { text: 'Ещё раз' } })).body.code).toBe('not_answerable');
    expect((await send('takeRequest', { claims: operator(), params: { id: written.id } })).body.code).toBe('not_takeable');
    expect((await send('getRequest', { claims: citizen(), params: { id: written.id } })).body.answer).toBeDefined();
    expect((await send('listRequestAttachments', { claims: operator(), params: { id: written.id } })).status).toBe(200);
    expect((await send('listRequestAttachments', { claims: operator('rc-op-3', ['services']), params: { id: written.id } })).status).toBe(404);

    const at = ago(5);
    const callback = await seed({
      ...storedCallbackRequest(seedId(), '20261201-RC0002', ago(60), { status: 'scheduled', scheduledAt: at, taskToken: 'rc-token-1' }),
      userId: CITIZEN,
      callback: { phone: { e164: '+74951234567', extension: '12' }, description: 'Не приходит код', note: 'После 18:00', preferredWindow: { from: ago(30), to: ago(-30) } },
    });
    const entry = { requestId: callback.id, number: callback.number, queue: 'tech-support', type: 'technical', dueAt: at, createdAt: callback.createdAt, attempt: 1, phone: '+74951234567', extension: '12', description: 'Не приходит код', note: 'После 18:00', questions: ['Какой браузер?'] };
    await store.slots.enqueue(entry, 'rc-token-1');
    const queue = await send('listQueue', { claims: operator(), params: { queue: 'tech-support' }, query: { limit: '10' } });
    expect(queue.body.items).toHaveLength(1);
    expect((await send('listQueue', { claims: operator('rc-op-3', ['services']), params: { queue: 'tech-support' } })).status).toBe(403);
    expect((await send('listQueue', { claims: operator(), params: { queue: 'tech-support' }, query: { limit: '0' } })).status).toBe(400);
    expect((await send('answerRequest', { claims: operator(), params: { id: callback.id }, body: { text: 'x' } })).body.code).toBe('not_written');
    expect((await send('getRequest', { claims: citizen(), params: { id: callback.id } })).body.callback).toBeDefined();

    // A 12-minute wait: eligible for a claim.
    const long = { requestId: callback.id, direction: 'outbound', phone: '+74951234567', queuedAt: ago(15), answeredAt: ago(3), endedAt: ago(1), outcome: 'answered', transcript: [{ at: ago(2), speaker: 'operator', text: 'Здравствуйте!' }] };
    expect((await send('recordCall', { claims: operator(), body: long })).status).toBe(201);
    expect((await send('recordCall', { claims: operator(), body: long })).body.code).toBe('not_awaiting_call');
    expect((await send('recordCall', { claims: operator(), body: { ...long, requestId: '01RCNOSUCHREQUEST000000000' } })).status).toBe(404);
    expect((await send('recordCall', { claims: operator(), body: { ...long, queuedAt: ago(-10) } })).status).toBe(400);
    expect((await send('recordCall', { claims: citizen(), body: long })).status).toBe(403);

    const short = await seed({ ...storedCallbackRequest(seedId(), '20261201-RC0003', ago(60), { status: 'scheduled', scheduledAt: at, taskToken: 'rc-token-2' }), userId: CITIZEN });
    expect((await send('recordCall', { claims: operator(), body: { ...long, requestId: short.id, queuedAt: ago(4), answeredAt: undefined, outcome: 'no_answer', transcript: undefined } })).status).toBe(201);
    expect((await send('getRequest', { claims: citizen(), params: { id: callback.id } })).body.calls).toHaveLength(1);

    const held = await seed({ ...storedCallbackRequest(seedId(), '20261201-RC0004', ago(60), { status: 'scheduled', scheduledAt: at, taskToken: 'rc-token-3' }), userId: CITIZEN });
    expect((await send('takeRequest', { claims: operator('rc-op-2'), params: { id: held.id } })).status).toBe(200);
    expect((await send('recordCall', { claims: operator(), body: { ...long, requestId: held.id } })).body.code).toBe('taken');
    // A citizen without a reference profile, with a long-wait call.
    const orphan = await seed({ ...storedCallbackRequest(seedId(), '20261201-RC0005', ago(60), { status: 'scheduled', scheduledAt: at, taskToken: 'rc-token-4' }), userId: NO_PROFILE });
    expect((await send('recordCall', { claims: operator(), body: { ...long, requestId: orphan.id } })).status).toBe(201);
  });

  it('calls: confirmation code, transcript, claim', async () => {
    const calls = await send('listCalls', { claims: citizen() });
    const items = calls.body.items as { id: string; claimEligible: boolean }[];
    expect(items).toHaveLength(2);
    const eligible = items.find((c) => c.claimEligible)?.id as string;
    const notEligible = items.find((c) => !c.claimEligible)?.id as string;

    expect((await send('getTranscript', { claims: citizen(), params: { callId: eligible } })).body.code).toBe('not_confirmed');
    expect((await send('verifyConfirmation', { claims: citizen(), params: { callId: notEligible }, body: { code: CODE } })).body.code).toBe('code_not_requested');
    expect((await send('requestConfirmation', { claims: citizen(), params: { callId: eligible } })).status).toBe(202);
    expect((await send('requestConfirmation', { claims: citizen(), params: { callId: eligible } })).body.code).toBe('code_resend_too_soon');
    const wrong = await send('verifyConfirmation', { claims: citizen(), params: { callId: eligible }, body: { code: WRONG } });
    expect(wrong.body).toMatchObject({ code: 'code_invalid', attemptsLeft: 4 });
    expect((await send('verifyConfirmation', { claims: citizen(), params: { callId: eligible }, body: { code: 'abc' } })).status).toBe(400);
    expect((await send('verifyConfirmation', { claims: citizen(), params: { callId: eligible }, body: { code: CODE } })).status).toBe(200);
    expect((await send('verifyConfirmation', { claims: citizen(), params: { callId: eligible }, body: { code: CODE } })).status).toBe(409);
    expect((await send('requestConfirmation', { claims: citizen(), params: { callId: eligible } })).body.code).toBe('already_confirmed');
    const pdf = await send('getTranscript', { claims: citizen(), params: { callId: eligible } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-disposition']).toContain('.pdf');
    expect((await send('getTranscript', { claims: citizen(OTHER), params: { callId: eligible } })).status).toBe(404);

    const claim = await send('fileClaim', { claims: citizen(), params: { callId: eligible }, body: { text: 'Ждал больше 10 минут.' } });
    expect(claim.status).toBe(201);
    expect(claim.body).toMatchObject({ channel: 'written', type: 'complaint', claimOf: { callId: eligible } });
    expect((await send('fileClaim', { claims: citizen(), params: { callId: eligible }, body: { text: 'Ещё раз' } })).body.code).toBe('already_claimed');
    expect((await send('fileClaim', { claims: citizen(), params: { callId: notEligible }, body: { text: 'Коротко' } })).body.code).toBe('claim_not_eligible');

    // The code's life on the other call: locked after 5 wrong tries, expired after 5 minutes, 5 sends an hour.
    expect((await send('requestConfirmation', { claims: citizen(), params: { callId: notEligible } })).status).toBe(202);
    for (let i = 0; i < 5; i += 1) await send('verifyConfirmation', { claims: citizen(), params: { callId: notEligible }, body: { code: WRONG } });
    expect((await send('verifyConfirmation', { claims: citizen(), params: { callId: notEligible }, body: { code: CODE } })).body.code).toBe('code_locked');
    clockOffsetMs += 61_000;
    expect((await send('requestConfirmation', { claims: citizen(), params: { callId: notEligible } })).status).toBe(202);
    clockOffsetMs += 6 * 60_000;
    expect((await send('verifyConfirmation', { claims: citizen(), params: { callId: notEligible }, body: { code: CODE } })).body.code).toBe('code_expired');
    for (let i = 0; i < 3; i += 1) {
      clockOffsetMs += 61_000;
      expect((await send('requestConfirmation', { claims: citizen(), params: { callId: notEligible } })).status).toBe(202);
    }
    clockOffsetMs += 61_000;
    expect((await send('requestConfirmation', { claims: citizen(), params: { callId: notEligible } })).body.code).toBe('code_send_limit');

    const orphanCall = ((await send('listCalls', { claims: citizen(NO_PROFILE) })).body.items as { id: string }[])[0]?.id as string;
    expect((await send('requestConfirmation', { claims: citizen(NO_PROFILE), params: { callId: orphanCall } })).body.code).toBe('profile_missing');
    expect((await send('fileClaim', { claims: citizen(NO_PROFILE), params: { callId: orphanCall }, body: { text: 'Долго ждал' } })).body.code).toBe('profile_missing');
  });

  it('the centre\'s calendar (admin): read, change a queue, holidays, overrides', async () => {
    const read = await send('getCalendar', { claims: admin() });
    expect(read.status).toBe(200);
    const queues = read.body.queues as { queue: string; hours: Record<string, unknown>; slotMinutes: number; capacityPerSlot: number }[];
    const consultations = queues.find((q) => q.queue === 'consultations');
    expect(consultations).toBeDefined();
    const { queue: _name, ...week } = consultations as NonNullable<typeof consultations>;
    const tomorrow = addLocalDays(moscowDate(new Date(Date.now() + clockOffsetMs)), 1);
    // A booking ahead in the queue: its slot length may no longer change.
    const booked = await seed({ ...storedCallbackRequest(seedId(), '20261201-RC0009', ago(5)), userId: 'rc-calendar' });
    const start = new Date(`${tomorrow}T10:00:00+03:00`).toISOString();
    expect(await store.slots.bookSlot(booked.id, ['received'], { queue: 'consultations', start, day: tomorrow, capacity: 5 }, { status: 'scheduled', scheduledAt: start }, { at: ago(0), event: 'scheduled' }, ago(0))).toBe('booked');
    expect((await send('putQueueCalendar', { claims: admin(), params: { queue: 'consultations' }, body: { ...week, capacityPerSlot: week.capacityPerSlot + 1 } })).status).toBe(200);
    expect((await send('putQueueCalendar', { claims: admin(), params: { queue: 'consultations' }, body: { ...week, slotMinutes: week.slotMinutes * 2 } })).body.code).toBe('calendar_in_use');
    const overlapping = { ...week, hours: { 1: [{ from: '09:00', to: '12:00' }, { from: '11:00', to: '13:00' }] } };
    expect((await send('putQueueCalendar', { claims: admin(), params: { queue: 'consultations' }, body: overlapping })).status).toBe(400);
    expect((await send('putQueueCalendar', { claims: admin(), params: { queue: 'no-such-queue' }, body: week })).status).toBe(404);
    expect((await send('putHoliday', { claims: admin(), params: { date: tomorrow } })).status).toBe(200);
    expect((await send('putHoliday', { claims: admin(), params: { date: '2026-02-30' } })).status).toBe(400);
    expect((await send('deleteHoliday', { claims: admin(), params: { date: tomorrow } })).status).toBe(200);
    expect((await send('deleteHoliday', { claims: admin(), params: { date: tomorrow } })).status).toBe(404);
    expect((await send('putOverride', { claims: admin(), params: { queue: 'consultations', date: tomorrow }, body: { capacityPerSlot: 1 } })).status).toBe(200);
    expect((await send('deleteOverride', { claims: admin(), params: { queue: 'consultations', date: tomorrow } })).status).toBe(200);
    expect((await send('deleteOverride', { claims: admin(), params: { queue: 'consultations', date: tomorrow } })).status).toBe(404);
    expect((await send('getCalendar', { claims: operator() })).status).toBe(403);
    expect((await send('getCalendar')).status).toBe(401);
  });

  it('the profile phone: change, in use, expired, locked', async () => {
    const minutes = (n: number) => {
      clockOffsetMs += n * 60_000;
    };
    expect((await send('verifyPhoneChange', { claims: citizen(), body: { code: CODE } })).body.code).toBe('code_not_requested');
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-12-34' } })).status).toBe(202);
    expect((await send('verifyPhoneChange', { claims: citizen(), body: { code: WRONG } })).body.code).toBe('code_invalid');
    expect((await send('verifyPhoneChange', { claims: citizen(), body: { code: CODE } })).status).toBe(200);
    expect((await send('verifyPhoneChange', { claims: citizen(), body: { code: CODE } })).body.code).toBe('code_used');
    minutes(2);
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 000-11-22' } })).body.code).toBe('phone_in_use');
    minutes(2);
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-77-88' } })).status).toBe(202);
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-77-88' } })).body.code).toBe('code_resend_too_soon');
    minutes(6);
    expect((await send('verifyPhoneChange', { claims: citizen(), body: { code: CODE } })).body.code).toBe('code_expired');
    minutes(2);
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-77-88' } })).status).toBe(202);
    for (let i = 0; i < 5; i += 1) await send('verifyPhoneChange', { claims: citizen(), body: { code: WRONG } });
    const locked = await send('verifyPhoneChange', { claims: citizen(), body: { code: CODE } });
    expect(locked.body.code).toBe('code_locked');
    expect((await send('requestPhoneChange', { claims: citizen(OTHER + '-none'), body: { phone: '+7 916 555-99-00' } })).status).toBe(404);

    // Taken by another profile between the code and its use.
    minutes(2);
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-44-33' } })).status).toBe(202);
    expect((await send('putProfile', { claims: admin(), params: { userId: OTHER }, body: identity({ phone: '+7 916 555-44-33' }) })).status).toBe(200);
    expect((await send('verifyPhoneChange', { claims: citizen(), body: { code: CODE } })).body.code).toBe('phone_in_use');
    for (let i = 0; i < 6; i += 1) {
      minutes(1.1);
      await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-66-55' } });
    }
    expect((await send('requestPhoneChange', { claims: citizen(), body: { phone: '+7 916 555-66-55' } })).body.code).toMatch(/^code_(send_limit|resend_too_soon)$/);
  });

  it('the operator\'s workspace, 59-FZ and notifications', async () => {
    const DESK = 'rc-desk';
    const phone = citizenPhone(DESK);
    expect((await send('putProfile', { claims: admin(), params: { userId: DESK }, body: identity({ phone }) })).status).toBe(201);
    const file = async () => {
      const created = await send('createRequest', { claims: citizen(DESK), body: writtenRequest({ identity: identity({ phone }) }) });
      expect(created.status).toBe(202);
      const id = created.body.id as string;
      await routeRequest(deps(), id);
      return { id, number: created.body.number as string };
    };
    const first = await file();
    const inbox = await send('listInbox', { claims: operator(), params: { queue: 'tech-support' }, query: { limit: '1' } });
    expect(inbox.status).toBe(200);
    expect((await send('listInbox', { claims: operator('rc-op-3', ['services']), params: { queue: 'tech-support' } })).status).toBe(403);
    expect((await send('listInbox', { claims: operator(), params: { queue: 'tech-support' }, query: { cursor: 'forged' } })).status).toBe(400);
    const view = await send('getOperatorRequest', { claims: operator(), params: { id: first.id } });
    expect(view.body).toMatchObject({ channel: 'written', citizen: { userId: DESK } });
    expect((await send('getOperatorRequest', { claims: operator('rc-op-3', ['services']), params: { id: first.id } })).status).toBe(404);

    expect((await send('addOperatorComment', { claims: operator(), params: { id: first.id }, body: { text: 'Уточните, пожалуйста, номер заявления.' } })).status).toBe(201);
    expect((await send('addOperatorComment', { claims: operator('rc-op-2'), params: { id: first.id }, body: { text: 'Другой оператор' } })).body.code).toBe('taken');
    expect((await send('releaseRequest', { claims: operator('rc-op-2'), params: { id: first.id } })).body.code).toBe('taken');
    expect((await send('releaseRequest', { claims: operator(), params: { id: first.id } })).status).toBe(200);
    expect((await send('releaseRequest', { claims: operator(), params: { id: first.id } })).body.code).toBe('not_taken');
    expect((await send('extendRequest', { claims: operator(), params: { id: first.id }, body: { days: 5, reason: 'Нужен запрос в другой орган' } })).status).toBe(200);
    expect((await send('extendRequest', { claims: operator(), params: { id: first.id }, body: { days: 5, reason: 'Ещё раз' } })).body.code).toBe('already_extended');
    expect((await send('extendRequest', { claims: operator(), params: { id: first.id }, body: { days: 31, reason: 'x' } })).status).toBe(400);

    const second = await file();
    expect((await send('forwardRequest', { claims: operator(), params: { id: second.id }, body: { to: 'Социальный фонд России', reason: 'Вопрос о пенсии' } })).status).toBe(200);
    expect((await send('forwardRequest', { claims: operator(), params: { id: second.id }, body: { to: 'Туда же', reason: 'Ещё раз' } })).body.code).toBe('not_answerable');
    expect((await send('addOperatorComment', { claims: operator(), params: { id: second.id }, body: { text: 'После пересылки' } })).body.code).toBe('request_closed');
    const callback = await seed({ ...storedCallbackRequest(seedId(), '20261201-RC0010', ago(30), { status: 'scheduled', scheduledAt: ago(-60), route: { queue: 'tech-support', line: '88001001001' } }), userId: DESK });
    expect((await send('extendRequest', { claims: operator(), params: { id: callback.id }, body: { days: 5, reason: 'x' } })).body.code).toBe('not_written');
    expect((await send('forwardRequest', { claims: operator(), params: { id: callback.id }, body: { to: 'Орган', reason: 'x' } })).body.code).toBe('not_written');
    expect((await send('extendRequest', { claims: operator(), params: { id: second.id }, body: { days: 5, reason: 'После пересылки' } })).body.code).toBe('not_answerable');

    expect((await send('search', { claims: operator(), query: { number: first.number } })).status).toBe(200);
    expect((await send('search', { claims: operator(), query: { phone } })).status).toBe(200);
    expect((await send('search', { claims: operator(), query: { callAt: ago(10) } })).status).toBe(200);
    expect((await send('search', { claims: operator(), query: {} })).status).toBe(400);

    // The 59-FZ clocks: a third request on day 8 (too late to forward) and day 32 (too late to extend).
    const third = await file();
    expect((await send('addOperatorComment', { claims: operator(), params: { id: third.id }, body: { text: 'Беру в работу.' } })).status).toBe(201);
    expect((await send('extendRequest', { claims: operator('rc-op-2'), params: { id: third.id }, body: { days: 5, reason: 'Не мой' } })).body.code).toBe('taken');
    expect((await send('forwardRequest', { claims: operator('rc-op-2'), params: { id: third.id }, body: { to: 'Орган', reason: 'Не мой' } })).body.code).toBe('taken');
    const before = clockOffsetMs;
    clockOffsetMs += 8 * 24 * 3600_000;
    expect((await send('forwardRequest', { claims: operator(), params: { id: third.id }, body: { to: 'Орган', reason: 'Поздно' } })).body.code).toBe('forward_too_late');
    clockOffsetMs += 24 * 24 * 3600_000;
    expect((await send('extendRequest', { claims: operator(), params: { id: third.id }, body: { days: 5, reason: 'Поздно' } })).body.code).toBe('overdue');
    clockOffsetMs = before;

    // Notifications: the notice step writes them (here straight into the store, as that step does).
    const at = ago(1);
    await store.notifications.putNotification({ id: `${first.id}-registered`, userId: DESK, at, kind: 'registered', requestId: first.id, text: 'Обращение зарегистрировано.', read: false });
    const list = await send('listNotifications', { claims: citizen(DESK), query: { limit: '10' } });
    expect(list.body).toMatchObject({ unread: 1 });
    expect((await send('listNotifications', { claims: citizen(DESK), query: { cursor: 'forged' } })).status).toBe(400);
    expect((await send('readNotification', { claims: citizen(OTHER), params: { id: `${first.id}-registered` } })).status).toBe(404);
    expect((await send('readNotification', { claims: citizen(DESK), params: { id: `${first.id}-registered` } })).status).toBe(200);
    expect((await send('readAllNotifications', { claims: citizen(DESK) })).status).toBe(200);
    expect((await send('listNotifications')).status).toBe(401);
  });

  it('no answer broke the declarations, and every route answered a success and each of its own codes', () => {
    expect(violations).toEqual([]);
    const report = Object.fromEntries([...seen].map(([op, statuses]) => [op, [...statuses].sort()]));
    const undriven: string[] = [];
    for (const route of ROUTES as readonly RouteDef[]) {
      const statuses = report[route.operation] ?? [];
      expect(statuses.filter((s) => Number(s) < 300), `${route.operation} answered ${statuses.join(', ')}`).not.toEqual([]);
      for (const code of route.errors ?? []) if (!statuses.includes(`${statusOf(code)} ${code}`)) undriven.push(`${route.operation} ${code}`);
    }
    // Codes too costly to reach through every route here; each has its own test (named beside it).
    expect(undriven.sort()).toEqual(NOT_DRIVEN_HERE.map(([what]) => what).sort());
  });
});
