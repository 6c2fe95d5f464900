import type { AddressInfo } from 'node:net';
import { type CryptoKey, generateKeyPair } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localVerifyKey, signLocalToken } from '#infra/local/jwt-keys';
import { type HttpHandler, createLocalServer } from '#infra/local/server';

/**
 * The local gateway keeps the tokens it verified, by their text, until they expire: the cache
 * must never let through a token that the JWT check itself would refuse now.
 */
const servers: ReturnType<typeof createLocalServer>[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((done) => s.close(() => done()))));
});

async function gateway(verifyKey: CryptoKey) {
  const calls: string[] = [];
  const handler: HttpHandler = async (event) => {
    calls.push(event.requestContext.authorizer.jwt.claims.sub as string);
    return { statusCode: 200, body: '{}' };
  };
  const handlers = new Proxy({}, { get: () => handler }) as Parameters<typeof createLocalServer>[0]['handlers'];
  const server = createLocalServer({ handlers, verifyKey, extra: async () => undefined });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const get = async (token: string) => (await fetch(`${url}/v1/requests`, { headers: { authorization: `Bearer ${token}` } })).status;
  return { get, calls };
}

describe('local gateway: verified tokens', () => {
  it('answers 401 once a token it accepted has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { get, calls } = await gateway(await localVerifyKey());
    const token = await signLocalToken('cache-user', ['citizen'], 60);
    expect(await get(token)).toBe(200);
    expect(await get(token)).toBe(200);
    vi.setSystemTime(Date.now() + 61_000);
    expect(await get(token)).toBe(401);
    expect(calls).toEqual(['cache-user', 'cache-user']);
  });

  it('answers 401 for a copy of an accepted token with another signature', async () => {
    const { get } = await gateway(await localVerifyKey());
    const token = await signLocalToken('cache-user', ['citizen']);
    expect(await get(token)).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await get(forged)).toBe(401);
  });

  it('does not share what it verified with a gateway that has another key', async () => {
    const token = await signLocalToken('cache-user', ['citizen']);
    const first = await gateway(await localVerifyKey());
    expect(await first.get(token)).toBe(200);
    const other = await gateway((await generateKeyPair('ES256')).publicKey);
    expect(await other.get(token)).toBe(401);
  });
});
