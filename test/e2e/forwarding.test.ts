import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken } from '#infra/local/jwt-keys';
import { apiClient } from '../support/api-client.ts';
import { citizenPhone, identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, startSystem } from '../support/local-process.ts';

/**
 * 59-FZ forwarding through `npm start`, with the days driven by the local clock control
 * (`POST /_local/clock`) instead of waited for: a request is forwarded on day 2 and the citizen is
 * told where and why (SMS and notification); another, filed the same day, is refused on day 8. The
 * same clock makes a request overdue on day 31 in the inbox.
 */
let system: StartedSystem;
const call = apiClient(() => system.url);
const CITIZEN = 'fwd-citizen';
const PHONE = citizenPhone(CITIZEN);
const DAY = 86_400;
const tokens: Record<string, string> = {};

async function advanceDays(days: number) {
  const moved = await call(`/_local/clock?advanceSeconds=${days * DAY}`, { method: 'POST' });
  expect(moved.status).toBe(200);
  return moved.body as { now: string; offsetSeconds: number };
}

async function registered(): Promise<{ id: string; number: string }> {
  const created = await call('/v1/requests', { method: 'POST', token: tokens.citizen, body: writtenRequest({ identity: identity({ phone: PHONE }) }) });
  expect(created.status).toBe(202);
  const id = created.body.id as string;
  await eventually(async () => ((await call(`/v1/requests/${id}`, { token: tokens.citizen })).body.status === 'registered' ? true : undefined), 'registered', 20_000);
  return { id, number: created.body.number as string };
}

beforeAll(async () => {
  system = await startSystem();
  Object.assign(tokens, {
    citizen: await signLocalToken(CITIZEN, ['citizen']),
    operator: await signLocalToken('fwd-operator', ['operator'], 3600, undefined, { queues: ['tech-support'] }),
    admin: await signLocalToken('fwd-admin', ['admin']),
  });
  expect((await call(`/v1/admin/profiles/${CITIZEN}`, { method: 'PUT', token: tokens.admin, body: identity({ phone: PHONE }) })).status).toBe(201);
});

afterAll(async () => {
  await system?.stop();
});

describe('forwarding under 59-FZ, on a driven clock', () => {
  it('the clock control is local, validated, and moves what handlers read', async () => {
    const now = await call('/_local/clock');
    expect(now.body).toMatchObject({ offsetSeconds: 0 });
    expect((await call('/_local/clock?advanceSeconds=abc', { method: 'POST' })).status).toBe(400);
    expect((await call('/_local/clock', { method: 'POST' })).status).toBe(400);
    expect((await call(`/_local/clock?offsetSeconds=${400 * DAY}`, { method: 'POST' })).status).toBe(400);
  });

  it('forwards on day 2 (final, told where and why), refuses on day 8, and shows overdue from day 31', async () => {
    const a = await registered();
    const b = await registered();
    const c = await registered();

    await advanceDays(2);
    const forwarded = await call(`/v1/ops/requests/${a.id}/forward`, {
      method: 'POST',
      token: tokens.operator,
      body: { to: 'Министерство цифрового развития', reason: 'Вопрос о работе портала в регионе.' },
    });
    expect(forwarded).toMatchObject({ status: 200, body: { id: a.id, status: 'forwarded' } });
    const detail = await call(`/v1/requests/${a.id}`, { token: tokens.citizen });
    expect(detail.body.status).toBe('forwarded');
    expect((detail.body.timeline as { event: string; detail?: string }[]).at(-1)).toMatchObject({
      event: 'forwarded',
      detail: 'Министерство цифрового развития: Вопрос о работе портала в регионе.',
    });
    // Final: no comment, no second forward, no answer.
    expect((await call(`/v1/requests/${a.id}/comments`, { method: 'POST', token: tokens.citizen, body: { text: 'ещё' } })).body.code).toBe('request_closed');
    expect((await call(`/v1/ops/requests/${a.id}/forward`, { method: 'POST', token: tokens.operator, body: { to: 'x', reason: 'y' } })).status).toBe(409);
    expect((await call(`/v1/ops/requests/${a.id}/answer`, { method: 'POST', token: tokens.operator, body: { text: 'x' } })).body.code).toBe('not_answerable');
    const sms = await eventually(async () => {
      const out = await call(`/_local/outbox?to=${encodeURIComponent(PHONE)}`);
      return (out.body.items as { text: string }[]).find((m) => m.text.includes(a.number) && m.text.includes('направлено'));
    }, 'the forwarding SMS', 20_000);
    expect(sms.text).toContain('Министерство цифрового развития');
    const notification = await eventually(async () => {
      const n = await call('/v1/notifications', { token: tokens.citizen });
      return (n.body.items as { kind: string; requestId: string; text: string }[]).find((i) => i.kind === 'forwarded' && i.requestId === a.id);
    }, 'the forwarding notification', 20_000);
    expect(notification.text).toContain('Вопрос о работе портала в регионе.');

    await advanceDays(6);
    const late = await call(`/v1/ops/requests/${b.id}/forward`, { method: 'POST', token: tokens.operator, body: { to: 'Министерство', reason: 'Не наш вопрос.' } });
    expect(late).toMatchObject({ status: 409, body: { code: 'forward_too_late' } });
    expect((await call(`/v1/requests/${b.id}`, { token: tokens.citizen })).body.status).toBe('registered');

    // Day 8: not overdue yet; day 31: overdue, and an extension is refused as overdue.
    const inboxDay8 = await call('/v1/ops/inbox/tech-support?limit=100', { token: tokens.operator });
    expect((inboxDay8.body.items as { id: string; overdue: boolean }[]).find((i) => i.id === b.id)?.overdue).toBe(false);
    await advanceDays(23);
    const inboxDay31 = await call('/v1/ops/inbox/tech-support?limit=100', { token: tokens.operator });
    const items = inboxDay31.body.items as { id: string; overdue: boolean }[];
    expect(items.find((i) => i.id === b.id)?.overdue).toBe(true);
    expect(items.find((i) => i.id === c.id)?.overdue).toBe(true);
    expect(items.some((i) => i.id === a.id)).toBe(false);
    expect((await call(`/v1/ops/requests/${c.id}`, { token: tokens.operator })).body.overdue).toBe(true);
    const tooLate = await call(`/v1/ops/requests/${c.id}/extend`, { method: 'POST', token: tokens.operator, body: { days: 5, reason: 'Поздно.' } });
    expect(tooLate).toMatchObject({ status: 409, body: { code: 'overdue' } });
    await call('/_local/clock?offsetSeconds=0', { method: 'POST' });
  });
});
