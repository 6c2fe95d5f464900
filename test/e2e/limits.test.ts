import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { citizenPhone, identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';

/**
 * Issue 11, findings 1–3, through `npm start` (HTTP, the local gateway, DynamoDB Local, the real
 * workflows): 20 guesses at once against one code, 20 posts at once against the per-citizen
 * limits, and a number that another profile holds. Every citizen here has a phone of its own.
 */
let system: StartedSystem;
let admin: string;
const call = apiClient(() => system.url);

const identityOf = (sub: string) => identity({ phone: citizenPhone(sub) });

async function citizen(sub: string): Promise<string> {
  const put = await call(`/v1/admin/profiles/${sub}`, { method: 'PUT', token: admin, body: identityOf(sub) });
  expect(put.status).toBe(201);
  return cliToken(sub);
}

async function codeSentTo(e164: string): Promise<string> {
  return eventually(async () => {
    const outbox = await call(`/_local/outbox?to=${encodeURIComponent(e164)}`);
    const text = (outbox.body.items as { text: string }[]).at(-1)?.text ?? '';
    return /(\d{6})/.exec(text)?.[1];
  }, `a code sent to ${e164}`);
}

beforeAll(async () => {
  system = await startSystem();
  admin = cliToken('admin-limits', 'admin');
});

afterAll(async () => {
  await system?.stop();
});

describe('limits and trust through npm start', () => {
  it('20 wrong codes at once: 5 × 400 code_invalid, 15 × 429 code_locked; the right code afterwards is refused the same way', async () => {
    const token = await citizen('limits-otp');
    const newPhone = '+79990001122';
    expect((await call('/v1/profile/phone', { method: 'POST', token, body: { phone: newPhone } })).status).toBe(202);
    const right = await codeSentTo(newPhone);
    const wrong = Array.from({ length: 20 }, (_, i) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0'));
    const replies = await Promise.all(wrong.map((code) => call('/v1/profile/phone/verify', { method: 'POST', token, body: { code } })));
    const invalid = replies.filter((r) => r.status === 400);
    const locked = replies.filter((r) => r.status === 429);
    expect(invalid.map((r) => r.body.code)).toEqual(Array(5).fill('code_invalid'));
    expect(invalid.map((r) => r.body.attemptsLeft).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(locked).toHaveLength(15);
    for (const r of locked) {
      expect(r.body.code).toBe('code_locked');
      expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // The right code now: the very same answer as a wrong one (no oracle), and the phone stays.
    const late = await call('/v1/profile/phone/verify', { method: 'POST', token, body: { code: right } });
    const lateWrong = await call('/v1/profile/phone/verify', { method: 'POST', token, body: { code: wrong[0] } });
    expect(late.status).toBe(429);
    expect(late.body).toEqual(lateWrong.body);
  });

  it('20 callback posts at once: exactly 3 × 202, 17 × 409 too_many_open_callbacks', async () => {
    const sub = 'limits-open';
    const token = await citizen(sub);
    const body = { channel: 'callback', type: 'technical', identity: identityOf(sub), callback: { phone: '+7 495 123-45-67', description: 'Не приходит код' } };
    const replies = await Promise.all(Array.from({ length: 20 }, () => call('/v1/requests', { method: 'POST', token, body })));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(3);
    const refused = replies.filter((r) => r.status === 409);
    expect(refused).toHaveLength(17);
    for (const r of refused) expect(r.body.code).toBe('too_many_open_callbacks');
    // Cancelling one gives its place back.
    const id = replies.find((r) => r.status === 202)?.body.id as string;
    expect((await call(`/v1/requests/${id}/cancel`, { method: 'POST', token })).status).toBe(200);
    expect((await call('/v1/requests', { method: 'POST', token, body })).status).toBe(202);
  });

  it('20 written posts at once: exactly 10 × 202, 10 × 429 rate_limited with Retry-After about a day', async () => {
    const sub = 'limits-day';
    const token = await citizen(sub);
    const replies = await Promise.all(Array.from({ length: 20 }, () => call('/v1/requests', { method: 'POST', token, body: writtenRequest({ identity: identityOf(sub) }) })));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(10);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited).toHaveLength(10);
    for (const r of limited) {
      expect(r.body.code).toBe('rate_limited');
      const retryAfter = Number(r.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(86_400 - 120);
      expect(retryAfter).toBeLessThanOrEqual(86_400);
    }
    expect(((await call('/v1/requests?limit=50', { token })).body.items as unknown[]).length).toBe(10);
  });

  it('a profile put or a phone change to a number another profile holds is 409 phone_in_use; nothing changes, no code is sent', async () => {
    const owner = 'limits-phone-a';
    await citizen(owner);
    const other = await call('/v1/admin/profiles/limits-phone-b', { method: 'PUT', token: admin, body: identityOf(owner) });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('phone_in_use');
    const token = await citizen('limits-phone-c');
    const before = (await call(`/_local/outbox?to=${encodeURIComponent(citizenPhone(owner))}`)).body.items as unknown[];
    const change = await call('/v1/profile/phone', { method: 'POST', token, body: { phone: citizenPhone(owner) } });
    expect(change.status).toBe(409);
    expect(change.body.code).toBe('phone_in_use');
    expect((await call(`/_local/outbox?to=${encodeURIComponent(citizenPhone(owner))}`)).body.items).toEqual(before);
  });
});
