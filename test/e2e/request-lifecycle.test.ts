import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identity, writtenRequest, PROFILE_PHONE_E164 } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';
import { apiClient } from '../support/api-client.ts';

/** A written request's whole life through `npm start`: list, comments, answer with its SMS, cancel. */
let system: StartedSystem;
let citizen: string;
let operator: string;

const call = apiClient(() => system.url);

async function registeredRequest(): Promise<string> {
  const created = await call('/v1/requests', { method: 'POST', token: citizen, body: writtenRequest() });
  const id = created.body.id as string;
  await eventually(async () => ((await call(`/v1/requests/${id}`, { token: citizen })).body.status === 'registered' ? true : undefined), 'registered');
  return id;
}

beforeAll(async () => {
  system = await startSystem();
  citizen = cliToken('citizen-life');
  operator = cliToken('operator-1', 'operator');
  const admin = cliToken('admin-1', 'admin');
  await call('/v1/admin/profiles/citizen-life', { method: 'PUT', token: admin, body: identity() });
});

afterAll(async () => {
  await system?.stop();
});

describe('a written request\'s life', () => {
  it('takes comments (idempotently), an answer with its SMS, and then refuses more comments', async () => {
    const id = await registeredRequest();
    const comment = { text: 'Ошибка повторилась сегодня в 10:15' };
    const first = await call(`/v1/requests/${id}/comments`, { method: 'POST', token: citizen, body: comment, headers: { 'idempotency-key': 'c-1' } });
    expect(first.status).toBe(201);
    const again = await call(`/v1/requests/${id}/comments`, { method: 'POST', token: citizen, body: comment, headers: { 'idempotency-key': 'c-1' } });
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    const other = await call(`/v1/requests/${id}/comments`, { method: 'POST', token: citizen, body: { text: 'другое' }, headers: { 'idempotency-key': 'c-1' } });
    expect(other.status).toBe(422);

    expect((await call(`/v1/ops/requests/${id}/answer`, { method: 'POST', token: citizen, body: { text: 'x' } })).status).toBe(403);
    const answered = await call(`/v1/ops/requests/${id}/answer`, { method: 'POST', token: operator, body: { text: 'Мы отправили код повторно.' } });
    expect(answered.status).toBe(200);
    const detail = await call(`/v1/requests/${id}`, { token: citizen });
    expect(detail.body).toMatchObject({ status: 'answered', answer: { text: 'Мы отправили код повторно.' } });
    expect((detail.body.comments as unknown[]).length).toBe(1);
    expect((detail.body.timeline as { event: string }[]).map((e) => e.event)).toEqual(['received', 'registered', 'answered']);
    const sms = await eventually(async () => {
      const outbox = await call(`/_local/outbox?to=${encodeURIComponent(PROFILE_PHONE_E164)}`);
      return (outbox.body.items as { text: string }[]).find((m) => m.text.includes(detail.body.number as string) && m.text.includes('дан ответ'));
    }, 'the answered SMS');
    expect(sms.text).toContain(detail.body.number as string);

    const late = await call(`/v1/requests/${id}/comments`, { method: 'POST', token: citizen, body: { text: 'ещё' } });
    expect(late).toMatchObject({ status: 409, body: { code: 'request_closed' } });
    expect((await call(`/v1/requests/${id}/cancel`, { method: 'POST', token: citizen })).body.code).toBe('not_cancellable');
  });

  it('cancels an open request once', async () => {
    const id = await registeredRequest();
    expect(await call(`/v1/requests/${id}/cancel`, { method: 'POST', token: citizen })).toMatchObject({ status: 200, body: { status: 'cancelled' } });
    expect((await call(`/v1/requests/${id}/cancel`, { method: 'POST', token: citizen })).status).toBe(409);
    expect((await call(`/v1/requests/${id}`, { token: citizen })).body.status).toBe('cancelled');
  });

  it('lists the caller\'s requests newest first with a cursor', async () => {
    const page1 = await call('/v1/requests?limit=1', { token: citizen });
    expect(page1.status).toBe(200);
    const items = page1.body.items as { id: string; createdAt: string }[];
    expect(items).toHaveLength(1);
    const page2 = await call(`/v1/requests?limit=1&cursor=${page1.body.nextCursor as string}`, { token: citizen });
    const next = (page2.body.items as { createdAt: string }[])[0];
    expect(next && next.createdAt <= (items[0] as { createdAt: string }).createdAt).toBe(true);
    expect((await call('/v1/requests?limit=0', { token: citizen })).status).toBe(400);
    expect((await call('/v1/requests?cursor=bogus', { token: citizen })).body.code).toBe('validation_failed');
  });
});
