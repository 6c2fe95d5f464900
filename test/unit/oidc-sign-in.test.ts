import { createHash, randomBytes } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { type CryptoKey, SignJWT, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KeyValueStore, type OidcConfig, beginSignIn, completeSignIn } from '../../web/shared/oidc.ts';

/**
 * The cloud sign-in (web/shared/oidc.ts: authorization code with PKCE through oauth4webapi)
 * against a fake OpenID Connect provider on loopback that checks what a real one checks: the
 * client, the redirect URI, S256, the code used once and its verifier; its tokens are signed
 * JWTs. Every sabotage of the round trip must fail the sign-in.
 */
const CLIENT = 'support-center-web';
const REDIRECT = 'https://support.example/auth/callback';
let server: Server;
let issuer = '';
let key: CryptoKey;
const codes = new Map<string, { challenge: string; nonce: string; redirectUri: string }>();
/** Sabotage switches for the provider. */
const provider = { nonce: undefined as string | undefined, audience: CLIENT, issuer: undefined as string | undefined };

const b64url = (buf: Buffer) => buf.toString('base64url');

async function jwt(claims: Record<string, unknown>, audience: string): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(provider.issuer ?? issuer)
    .setAudience(audience)
    .setSubject('citizen-77')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key);
}

beforeAll(async () => {
  key = (await generateKeyPair('RS256')).privateKey;
  server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/.well-known/openid-configuration') {
        return json(200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          code_challenge_methods_supported: ['S256'],
          id_token_signing_alg_values_supported: ['RS256'],
        });
      }
      if (url.pathname === '/authorize') {
        const q = url.searchParams;
        if (q.get('client_id') !== CLIENT || q.get('redirect_uri') !== REDIRECT || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256') {
          return json(400, { error: 'invalid_request' });
        }
        const code = b64url(randomBytes(16));
        codes.set(code, { challenge: q.get('code_challenge') ?? '', nonce: q.get('nonce') ?? '', redirectUri: q.get('redirect_uri') ?? '' });
        const back = new URL(REDIRECT);
        back.searchParams.set('code', code);
        back.searchParams.set('state', q.get('state') ?? '');
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        let body = '';
        for await (const chunk of req) body += chunk;
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        if (!grant || form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== CLIENT || form.get('redirect_uri') !== grant.redirectUri) {
          return json(400, { error: 'invalid_grant' });
        }
        if (b64url(createHash('sha256').update(verifier).digest()) !== grant.challenge) return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
        return json(200, {
          token_type: 'Bearer',
          expires_in: 300,
          access_token: await jwt({ roles: ['operator'], queues: ['consultations'], scope: 'support-center/operator' }, 'support-center'),
          id_token: await jwt({ nonce: provider.nonce ?? grant.nonce }, provider.audience),
        }, { 'cache-control': 'no-store' });
      }
      json(404, { error: 'not_found' });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const config = (): OidcConfig => ({ issuer, clientId: CLIENT, scope: 'openid' });
const insecure = { insecureForTests: true };

/** The browser's part: follow the authorization URL to the provider's redirect back. */
async function authorize(url: string): Promise<URL> {
  const res = await fetch(url, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') as string);
}

describe('OpenID Connect sign-in (authorization code + PKCE)', () => {
  it('signs in: the access token, the subject, the roles and queues it carries, and where to go back to', async () => {
    const store = memoryStore();
    const url = new URL(await beginSignIn(config(), REDIRECT, '/ops/', store, insecure));
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The verifier never leaves the browser.
    expect(url.href).not.toContain(JSON.parse(store.data.values().next().value as string).verifier);
    const session = await completeSignIn(config(), await authorize(url.href), REDIRECT, store, insecure);
    expect(session.user).toBe('citizen-77');
    expect(session.roles).toEqual(['operator']);
    expect(session.queues).toEqual(['consultations']);
    expect(session.returnTo).toBe('/ops/');
    expect(session.token.split('.')).toHaveLength(3);
    expect(store.data.size).toBe(0);
  });

  it('refuses a callback whose state is not the one sent (a forged or replayed redirect)', async () => {
    const store = memoryStore();
    const back = await authorize(await beginSignIn(config(), REDIRECT, '/', store, insecure));
    back.searchParams.set('state', 'forged');
    await expect(completeSignIn(config(), back, REDIRECT, store, insecure)).rejects.toThrow();
  });

  it('refuses a code traded with another verifier (PKCE: an intercepted code is useless)', async () => {
    const store = memoryStore();
    const back = await authorize(await beginSignIn(config(), REDIRECT, '/', store, insecure));
    const pending = JSON.parse(store.data.values().next().value as string) as { verifier: string };
    store.setItem('support-center:oidc-pending', JSON.stringify({ ...pending, verifier: 'x'.repeat(43) }));
    await expect(completeSignIn(config(), back, REDIRECT, store, insecure)).rejects.toThrow();
  });

  it('refuses an ID token with another nonce, another audience or another issuer', async () => {
    for (const sabotage of [{ nonce: 'other' }, { audience: 'someone-else' }, { issuer: 'https://evil.example' }]) {
      Object.assign(provider, sabotage);
      const store = memoryStore();
      const back = await authorize(await beginSignIn(config(), REDIRECT, '/', store, insecure));
      await expect(completeSignIn(config(), back, REDIRECT, store, insecure), JSON.stringify(sabotage)).rejects.toThrow();
      Object.assign(provider, { nonce: undefined, audience: CLIENT, issuer: undefined });
    }
  });

  it('refuses a callback with no sign-in pending in the tab, and a code used twice', async () => {
    const store = memoryStore();
    const back = await authorize(await beginSignIn(config(), REDIRECT, '/', store, insecure));
    await completeSignIn(config(), back, REDIRECT, store, insecure);
    await expect(completeSignIn(config(), back, REDIRECT, store, insecure)).rejects.toThrow(/no sign-in is pending/);
    const again = memoryStore();
    const url = await beginSignIn(config(), REDIRECT, '/', again, insecure);
    const pending = again.getItem('support-center:oidc-pending') as string;
    const code = await authorize(url);
    await completeSignIn(config(), code, REDIRECT, again, insecure);
    again.setItem('support-center:oidc-pending', pending);
    await expect(completeSignIn(config(), code, REDIRECT, again, insecure)).rejects.toThrow();
  });

  it('refuses plain http unless a test says so (the provider must be https)', async () => {
    await expect(beginSignIn(config(), REDIRECT, '/', memoryStore())).rejects.toThrow();
  });
});
