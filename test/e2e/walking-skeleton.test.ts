import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalToken, LOCAL_AUDIENCE, LOCAL_ISSUER, localSigningKey } from '#infra/local/jwt-keys';
import { identity, writtenRequest, PROFILE_PHONE_E164 } from '../support/fixtures.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';
import { eventually } from '../support/integration.ts';
import { apiClient } from '../support/api-client.ts';

/** `npm start` as a user runs it: a profile, then written requests through the real state machine. */
let system: StartedSystem;
let admin: string;
let citizen: string;

const call = apiClient(() => system.url);

async function untilStatus(id: string, token: string, notStatus = 'received') {
  return eventually(async () => {
    const r = await call(`/v1/requests/${id}`, { token });
    return r.body?.status !== notStatus ? r.body : undefined;
  }, `request ${id} to leave ${notStatus}`);
}

beforeAll(async () => {
  system = await startSystem();
  admin = cliToken('admin-1', 'admin');
  citizen = cliToken('citizen-e2e');
});

afterAll(async () => {
  await system?.stop();
});

describe('the walking skeleton through npm start', () => {
  it('answers /health and the public contacts', async () => {
    expect((await call('/health')).status).toBe(200);
    const contacts = await call('/v1/contacts');
    expect(contacts.status).toBe(200);
    expect((contacts.body?.lines as unknown[]).length).toBe(5);
  });

  it('prints only a JWT from the token command', () => {
    expect(cliToken('someone')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  it('takes a written request to registered, with the SMS in the outbox', async () => {
    const profile = await call('/v1/admin/profiles/citizen-e2e', { method: 'PUT', token: admin, body: identity() });
    expect(profile.status).toBe(201);
    expect(JSON.stringify(profile.body)).not.toContain('123456');
    const created = await call('/v1/requests', { method: 'POST', token: citizen, body: writtenRequest() });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'received', channel: 'written', type: 'technical' });
    expect(created.headers.get('location')).toBe(`/v1/requests/${created.body?.id as string}`);
    const done = await untilStatus(created.body?.id as string, citizen);
    expect(done).toMatchObject({ status: 'registered', route: { queue: 'tech-support' } });
    expect(JSON.stringify(done)).not.toMatch(/112-?233-?445|4510|123456|9123456789/);
    // The SMS is the workflow's last step, after the status change: poll for it.
    const sms = await eventually(async () => {
      const outbox = await call(`/_local/outbox?to=${encodeURIComponent(PROFILE_PHONE_E164)}`);
      return (outbox.body?.items as { text: string }[]).find((m) => m.text.includes(done?.number as string));
    }, 'the registered SMS');
    expect(sms.text).toContain('зарегистрировано');
  });

  it('gives needs_info when the identity differs from the profile', async () => {
    await call('/v1/admin/profiles/citizen-e2e', { method: 'PUT', token: admin, body: identity() });
    const body = writtenRequest({ identity: identity({ snils: '123-456-789 64' }) });
    const created = await call('/v1/requests', { method: 'POST', token: citizen, body });
    expect(created.status).toBe(202);
    const done = await untilStatus(created.body?.id as string, citizen);
    expect(done).toMatchObject({ status: 'needs_info', problems: [{ field: 'snils', code: 'mismatch' }] });
  });

  it('hides one citizen\'s request from another behind a 404', async () => {
    const created = await call('/v1/requests', { method: 'POST', token: citizen, body: writtenRequest() });
    const other = await signLocalToken('someone-else', ['citizen']);
    const peek = await call(`/v1/requests/${created.body?.id as string}`, { token: other });
    const missing = await call('/v1/requests/01NOTAREQUEST000000000000', { token: other });
    expect(peek.status).toBe(404);
    expect(peek.headers.get('content-type')).toContain('application/problem+json');
    expect(peek.body?.code).toBe(missing.body?.code);
  });

  it('refuses missing, expired, wrong-audience, wrong-issuer and unsigned tokens with 401', async () => {
    const { key, kid } = await localSigningKey();
    const now = Math.floor(Date.now() / 1000);
    const expired = await signLocalToken('citizen-e2e', ['citizen'], 60, now - 3600);
    const wrongAud = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject('x').setIssuer(LOCAL_ISSUER).setAudience('other').setExpirationTime('1h').sign(key);
    const wrongIss = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject('x').setIssuer('https://evil').setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(key);
    const unsigned = new UnsecuredJWT({ roles: ['admin'] }).setSubject('x').setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').encode();
    const tampered = `${citizen.trim().slice(0, -4)}AAAA`;
    for (const token of [undefined, expired, wrongAud, wrongIss, unsigned, tampered, 'garbage']) {
      const res = await call('/v1/requests/x', token === undefined ? {} : { token });
      expect(res.status, `token ${String(token).slice(0, 20)}`).toBe(401);
      expect(res.body?.code).toBe('unauthenticated');
    }
  });

  it('gives a citizen 403 on the admin route, before looking at the body', async () => {
    const res = await call('/v1/admin/profiles/x', { method: 'PUT', token: citizen, body: '{not json' });
    expect(res.status).toBe(403);
  });

  it('answers CORS preflight with the allowed headers', async () => {
    const res = await fetch(`${system.url}/v1/requests`, {
      method: 'OPTIONS',
      headers: { origin: 'https://portal.example', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://portal.example');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
  });

  it('logs no SNILS, passport number or phone while serving requests', () => {
    const log = system.output();
    expect(log).toContain('"route":"POST /v1/requests"');
    expect(log).not.toMatch(/112-?233-?445|11223344595|123456|9123456789|912 345/);
  });

  it('stops everything it started on Ctrl-C', async () => {
    expect(system.dynamoEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(system.dynamoEndpoint)).status).toBeGreaterThan(0);
    await system.stop('SIGINT');
    await eventually(async () => (/stopped\./.test(system.output()) ? true : undefined), 'the runtime to say it stopped');
    await expect(fetch(`${system.url}/health`)).rejects.toThrow();
    await eventually(
      () => fetch(system.dynamoEndpoint).then(() => undefined, () => true),
      'DynamoDB Local to be gone',
    );
  });
});
