import { requestView } from '#core/requests/request-view';
import type { RequestDetail } from '#core/requests/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ProfileMissingError, SmsSendError, StaleTransitionError } from '#core/errors';
import type { IdentityInput } from '#core/identity/identity';
import { noticeText } from '#core/notices/sms-templates';
import { putProfile } from '#core/profiles/put-profile';
import { type CreateRequestInput, createRequest } from '#core/requests/create-request';
import { markNeedsInfo, routeRequest, sendNotice, verifyIdentity } from '#core/requests/intake';
import type { RequestType } from '#core/requests/model';
import { ROUTING_TABLE } from '#core/routing/routing-table';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { PROFILE_PHONE_E164, callbackInput, identity, withSnilsCheck, writtenInput } from './fixtures.ts';

let deps: MemoryDeps;
beforeEach(() => {
  deps = memoryDeps();
});

async function file(input: CreateRequestInput, userId = 'user-1'): Promise<{ id: string; number: string }> {
  const out = await createRequest(deps, userId, input);
  return out.body as { id: string; number: string };
}

async function profile(over: Partial<IdentityInput> = {}, userId = 'user-1') {
  await putProfile(deps, userId, identity(over));
}

describe('verifyIdentity', () => {
  it('verifies an identity that matches the profile, up to case, ё and spacing of the name and phone formatting', async () => {
    await profile({ fullName: 'ИВАНОВ   Иван  Иванович', phone: '8 (912) 345 67 89', snils: '11223344595' });
    const { id } = await file(writtenInput({ identity: identity({ fullName: 'иванов иван иванович' }) }));
    expect(await verifyIdentity(deps, id)).toEqual({ verified: true, problems: [], channel: 'written', timeZone: 'Europe/Moscow' });
  });

  it('treats ё and е as the same letter', async () => {
    await profile({ fullName: 'Фёдоров Пётр' });
    const { id } = await file(writtenInput({ identity: identity({ fullName: 'Федоров Петр' }) }));
    expect((await verifyIdentity(deps, id)).verified).toBe(true);
  });

  it('reports each mismatching field', async () => {
    await profile();
    const typed = identity({
      fullName: 'Петров Пётр',
      snils: withSnilsCheck('123456789'),
      passport: { series: '4510', number: '123457', issuedOn: '2015-03-20' },
      phone: '+7 999 000-00-00',
    });
    const { id } = await file(writtenInput({ identity: typed }));
    expect(await verifyIdentity(deps, id)).toEqual({
      verified: false,
      channel: 'written',
      timeZone: 'Europe/Moscow',
      problems: [
        { field: 'fullName', code: 'mismatch' },
        { field: 'snils', code: 'mismatch' },
        { field: 'passport', code: 'mismatch' },
        { field: 'phone', code: 'mismatch' },
      ],
    });
  });

  it.each([
    ['fullName', { fullName: 'Иванов Иван Петрович' }],
    ['snils', { snils: withSnilsCheck('112233446') }],
    ['passport', { passport: { series: '4510', number: '123456', issuedOn: '2015-03-21' } }],
    ['phone', { phone: '+7 912 345-67-80' }],
  ] as const)('a difference only in %s is reported for that field alone', async (field, over) => {
    await profile();
    const { id } = await file(writtenInput({ identity: identity(over) }));
    expect((await verifyIdentity(deps, id)).problems).toEqual([{ field, code: 'mismatch' }]);
  });

  it('without a profile: problem {field: profile, code: not_found}', async () => {
    const { id } = await file(writtenInput());
    expect(await verifyIdentity(deps, id)).toEqual({
      verified: false,
      problems: [{ field: 'profile', code: 'not_found' }],
      channel: 'written',
      timeZone: 'Europe/Moscow',
    });
  });

  it('compares with the profile of the request owner, not another user', async () => {
    await profile({}, 'user-2');
    const { id } = await file(writtenInput(), 'user-1');
    expect((await verifyIdentity(deps, id)).problems).toEqual([{ field: 'profile', code: 'not_found' }]);
  });

  it('a missing request is NotFoundError', async () => {
    await expect(verifyIdentity(deps, 'nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('markNeedsInfo', () => {
  it('moves the request to needs_info with its problems and a timeline event', async () => {
    const { id } = await file(writtenInput());
    deps.clock.advanceMinutes(1);
    const problems = [
      { field: 'snils', code: 'mismatch' },
      { field: 'phone', code: 'mismatch' },
    ] as const;
    expect(await markNeedsInfo(deps, id, [...problems])).toEqual({ notice: 'needs_info' });
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.request).toMatchObject({ status: 'needs_info', problems, updatedAt: '2026-03-02T09:01:00.000Z' });
    expect(detail?.request.route).toBeUndefined();
    expect(detail?.timeline.at(-1)).toEqual({ at: '2026-03-02T09:01:00.000Z', event: 'needs_info', detail: 'snils:mismatch, phone:mismatch' });
  });

  it('asks for no SMS when there is no profile (no proven phone to send it to)', async () => {
    const { id } = await file(writtenInput());
    expect(await markNeedsInfo(deps, id, [{ field: 'profile', code: 'not_found' }])).toEqual({ notice: null });
    expect((await deps.requests.getRequest(id))?.status).toBe('needs_info');
  });

  it('a second markNeedsInfo throws StaleTransitionError', async () => {
    const { id } = await file(writtenInput());
    await markNeedsInfo(deps, id, [{ field: 'phone', code: 'mismatch' }]);
    await expect(markNeedsInfo(deps, id, [{ field: 'phone', code: 'mismatch' }])).rejects.toBeInstanceOf(StaleTransitionError);
  });

  it('cannot route a request that needs info', async () => {
    const { id } = await file(writtenInput());
    await markNeedsInfo(deps, id, [{ field: 'profile', code: 'not_found' }]);
    await expect(routeRequest(deps, id)).rejects.toBeInstanceOf(StaleTransitionError);
  });
});

describe('routeRequest', () => {
  it.each(Object.keys(ROUTING_TABLE) as RequestType[])('registers a written %s request with its route, questions and a 30-day deadline', async (type) => {
    const { id } = await file(writtenInput({ type }));
    deps.clock.advanceMinutes(3);
    expect(await routeRequest(deps, id)).toEqual({ channel: 'written', notice: 'registered' });
    const rule = ROUTING_TABLE[type];
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.request).toMatchObject({
      status: 'registered',
      route: { queue: rule.queue, line: rule.line.phone },
      dueBy: '2026-04-01T20:59:59.999Z', // the end of day 30 after the day of registration (Moscow), not after filing
      updatedAt: '2026-03-02T09:03:00.000Z',
    });
    // The questions come from the routing table once routed; nothing shown before.
    expect(requestView(detail as RequestDetail).questions).toEqual(rule.questions);
    expect(detail?.timeline).toEqual([
      { at: '2026-03-02T09:00:00.000Z', event: 'received' },
      { at: '2026-03-02T09:03:00.000Z', event: 'registered', detail: `queue ${rule.queue}` },
    ]);
  });

  it('shows no questions before routing', async () => {
    const { id } = await file(writtenInput());
    expect(requestView((await deps.requests.getRequestDetail(id)) as RequestDetail).questions).toEqual([]);
  });

  it('routes types to different queues', () => {
    expect(new Set(Object.values(ROUTING_TABLE).map((r) => r.queue)).size).toBe(Object.keys(ROUTING_TABLE).length);
  });

  it('records the route of a callback but leaves it received until scheduling', async () => {
    const { id } = await file(callbackInput({ type: 'status_check' }));
    expect(await routeRequest(deps, id)).toEqual({ channel: 'callback', notice: null });
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.request).toMatchObject({ status: 'received', route: { queue: 'status', line: '88001001005' } });
    expect(detail?.request.dueBy).toBeUndefined();
    expect(detail?.timeline.map((e) => e.event)).toEqual(['received', 'routed']);
  });

  it('a second routeRequest on the same written request throws StaleTransitionError and changes nothing', async () => {
    const { id } = await file(writtenInput());
    await routeRequest(deps, id);
    const before = await deps.requests.getRequestDetail(id);
    deps.clock.advanceMinutes(10);
    await expect(routeRequest(deps, id)).rejects.toBeInstanceOf(StaleTransitionError);
    expect(await deps.requests.getRequestDetail(id)).toEqual(before);
  });
});

describe('sendNotice', () => {
  it('sends the template text naming the request number to the profile phone', async () => {
    await profile({ phone: '8 912 345 67 89' });
    const { id, number } = await file(writtenInput());
    await routeRequest(deps, id);
    expect(await sendNotice(deps, id, 'registered')).toEqual({ sent: true });
    expect(deps.sms.sent).toEqual([{ to: PROFILE_PHONE_E164, text: noticeText('registered', { number }), at: '2026-03-02T09:00:00.000Z' }]);
    expect(deps.sms.sent[0]?.text).toContain(number);
  });

  it('goes to the profile phone even when the request names another contact phone', async () => {
    await profile({ phone: '+7 999 111-22-33' });
    const { id } = await file(writtenInput({ identity: identity(), written: { topic: 't', text: 'x', contactPhone: '+7 912 000-00-00' } }));
    await sendNotice(deps, id, 'needs_info');
    expect(deps.sms.sent.map((s) => s.to)).toEqual(['+79991112233']);
  });

  it('passes the time for scheduled notices', async () => {
    await profile();
    const { id, number } = await file(callbackInput());
    await sendNotice(deps, id, 'scheduled', '03.03 в 10:00');
    expect(deps.sms.sent[0]?.text).toBe(noticeText('scheduled', { number, when: '03.03 в 10:00' }));
    expect(deps.sms.sent[0]?.text).toContain('03.03 в 10:00');
  });

  it('throws SmsSendError when the SMS fails, so the workflow retries; the retry sends once', async () => {
    await profile();
    const { id } = await file(writtenInput());
    deps.sms.failNext(1);
    await expect(sendNotice(deps, id, 'registered')).rejects.toBeInstanceOf(SmsSendError);
    expect(deps.sms.sent).toEqual([]);
    await sendNotice(deps, id, 'registered');
    expect(deps.sms.sent).toHaveLength(1);
  });

  it('throws ProfileMissingError without a profile', async () => {
    const { id } = await file(writtenInput());
    await expect(sendNotice(deps, id, 'needs_info')).rejects.toBeInstanceOf(ProfileMissingError);
  });
});
