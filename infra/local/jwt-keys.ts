import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type CryptoKey, type JWK, SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import { ROLE_SCOPES } from '#http/routes';
import { LOCAL_STATE_DIR } from './local-paths.ts';

/**
 * The local stand-in for the portal's identity provider: an ES256 key pair made on first use and
 * kept in .local/ (git-ignored), shared by `npm run token` and the local server.
 */
export const LOCAL_ISSUER = 'https://idp.local.support-center';
export const LOCAL_AUDIENCE = 'support-center';
export const LOCAL_ALG = 'ES256';

const KEY_FILE = join(LOCAL_STATE_DIR, 'jwt-es256.json');

export interface KeyFile {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A fresh key pair, not yet stored. */
export async function newKeyFile(): Promise<KeyFile> {
  const { privateKey, publicKey } = await generateKeyPair(LOCAL_ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}-${process.pid}`;
  return { kid, privateJwk: await exportJWK(privateKey), publicJwk: await exportJWK(publicKey) };
}

/** Stores `file` at `path` unless a key is there already; answers the key that is stored. */
function storeKeyFile(path: string, file: KeyFile): KeyFile {
  mkdirSync(dirname(path), { recursive: true });
  const kid = file.kid;
  // Written whole under a name of its own, then linked into place: link() fails if the file is
  // already there, so when two processes race the first one's key wins for both, and nobody ever
  // reads a half-written file (a `wx` create followed by the write left that window open).
  const draft = `${path}.${kid}`;
  writeFileSync(draft, JSON.stringify(file), { mode: 0o600 });
  try {
    linkSync(draft, path);
    return file;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } finally {
    unlinkSync(draft);
  }
}

/** The key stored at `path`, made with `make` and stored when there is none. */
export async function keyFileAt(path: string, make: () => Promise<KeyFile> = newKeyFile): Promise<KeyFile> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return storeKeyFile(path, await make());
  }
}

const keyFile = () => keyFileAt(KEY_FILE);

export async function localSigningKey(): Promise<{ kid: string; key: CryptoKey }> {
  const file = await keyFile();
  return { kid: file.kid, key: (await importJWK(file.privateJwk, LOCAL_ALG)) as CryptoKey };
}

export async function localVerifyKey(): Promise<CryptoKey> {
  const file = await keyFile();
  return (await importJWK(file.publicJwk, LOCAL_ALG)) as CryptoKey;
}

/**
 * The claims a staff member's token carries besides `roles`: the OAuth `scope` that names each staff
 * role (ROLE_SCOPES: the gateway checks it on every staff route) and, for an operator, the queues
 * they work (every queue, `["*"]`, unless named).
 */
export function staffClaims(roles: readonly string[], queues?: readonly string[]): Record<string, unknown> {
  const scopes = roles.flatMap((r) => (r === 'operator' || r === 'admin' ? [ROLE_SCOPES[r]] : []));
  return {
    ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    ...(roles.includes('operator') ? { queues: queues ?? ['*'] } : {}),
  };
}

/** A token as the portal's identity provider would issue it, signed with the local key. */
export async function signLocalToken(
  sub: string,
  roles: string[],
  ttlSeconds = 3600,
  now = Math.floor(Date.now() / 1000),
  options: { queues?: readonly string[] } = {},
): Promise<string> {
  return signLocalClaims(sub, { roles, ...staffClaims(roles, options.queues) }, ttlSeconds, now);
}

/** Any claims, signed with the local key (tests of claims no identity provider should issue). */
export async function signLocalClaims(sub: string, claims: Record<string, unknown>, ttlSeconds = 3600, now = Math.floor(Date.now() / 1000)): Promise<string> {
  const { kid, key } = await localSigningKey();
  return new SignJWT(claims)
    .setProtectedHeader({ alg: LOCAL_ALG, kid, typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key);
}
