import { SignJWT, UnsecuredJWT, generateKeyPair } from 'jose';
import { LOCAL_ALG, LOCAL_AUDIENCE, LOCAL_ISSUER, localSigningKey, signLocalToken } from '#infra/local/jwt-keys';

/**
 * Authorization headers the API must refuse with 401, each named. Every token claims all three
 * roles for `sub`, so a check that let one through would also pass the role check and show.
 */
export interface BadCredential {
  name: string;
  /** undefined: no Authorization header at all. */
  authorization: string | undefined;
}

const ALL_ROLES = ['citizen', 'operator', 'admin'];

function flipSignatureByte(token: string): string {
  const [header, payload, signature] = token.trim().split('.') as [string, string, string];
  const bytes = Buffer.from(signature, 'base64url');
  bytes[10] = (bytes[10] ?? 0) ^ 0x01;
  return `${header}.${payload}.${bytes.toString('base64url')}`;
}

function swapPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.trim().split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes }), 'utf8').toString('base64url')}.${signature}`;
}

export async function badCredentials(sub: string): Promise<BadCredential[]> {
  const { key, kid } = await localSigningKey();
  const now = Math.floor(Date.now() / 1000);
  const signed = (build: (jwt: SignJWT) => SignJWT) =>
    build(new SignJWT({ roles: ALL_ROLES }).setProtectedHeader({ alg: LOCAL_ALG, kid, typ: 'JWT' }).setSubject(sub).setIssuedAt(now)).sign(key);
  const valid = await signLocalToken(sub, ALL_ROLES);
  const otherKey = (await generateKeyPair(LOCAL_ALG)).privateKey;
  const bearer = (token: string) => `Bearer ${token.trim()}`;
  return [
    { name: 'no token', authorization: undefined },
    { name: 'expired', authorization: bearer(await signLocalToken(sub, ALL_ROLES, 60, now - 3_600)) },
    { name: 'wrong audience', authorization: bearer(await signed((j) => j.setIssuer(LOCAL_ISSUER).setAudience('another-api').setExpirationTime(now + 3_600))) },
    { name: 'wrong issuer', authorization: bearer(await signed((j) => j.setIssuer('https://idp.evil.example').setAudience(LOCAL_AUDIENCE).setExpirationTime(now + 3_600))) },
    { name: 'no exp', authorization: bearer(await signed((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE))) },
    { name: 'not yet valid', authorization: bearer(await signed((j) => j.setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setNotBefore(now + 3_600).setExpirationTime(now + 7_200))) },
    {
      name: 'alg none',
      authorization: bearer(new UnsecuredJWT({ roles: ALL_ROLES }).setSubject(sub).setIssuer(LOCAL_ISSUER).setAudience(LOCAL_AUDIENCE).setIssuedAt(now).setExpirationTime(now + 3_600).encode()),
    },
    {
      name: 'HS256 with a guessed secret',
      authorization: bearer(
        await new SignJWT({ roles: ALL_ROLES })
          .setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' })
          .setSubject(sub)
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setExpirationTime(now + 3_600)
          .sign(new TextEncoder().encode('secret-secret-secret-secret-1234')),
      ),
    },
    {
      name: 'signed by another key with the same kid',
      authorization: bearer(
        await new SignJWT({ roles: ALL_ROLES })
          .setProtectedHeader({ alg: LOCAL_ALG, kid, typ: 'JWT' })
          .setSubject(sub)
          .setIssuer(LOCAL_ISSUER)
          .setAudience(LOCAL_AUDIENCE)
          .setExpirationTime(now + 3_600)
          .sign(otherKey),
      ),
    },
    { name: 'tampered signature', authorization: bearer(flipSignatureByte(valid)) },
    { name: 'tampered payload', authorization: bearer(swapPayload(valid, { sub: `${sub}-other`, exp: now + 86_400 })) },
    { name: 'signature stripped', authorization: bearer(`${valid.trim().split('.').slice(0, 2).join('.')}.`) },
    { name: 'not a JWT', authorization: 'Bearer not-a-jwt' },
    { name: 'empty bearer', authorization: 'Bearer ' },
    { name: 'Basic scheme', authorization: `Basic ${Buffer.from(`${sub}:password`).toString('base64')}` },
    { name: 'token without scheme', authorization: valid.trim() },
  ];
}
