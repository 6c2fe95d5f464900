import * as z from 'zod';
import { QUEUE_NAMES } from '#core/routing/routing-table';
import type { Profile } from '#ports/stores/profiles';
import { signLocalToken } from './jwt-keys.ts';
import { type TestCitizen, testCitizen } from './test-citizens.ts';

/**
 * `POST /_local/sign-in`: the web app's local-only sign-in, the stand-in for the portal's identity
 * provider (like `npm run token`). It exists only in the local runtime: the cloud stack builds its
 * routes from the route table, which does not have it, and the cloud build of the web app does not
 * call it (web/shared/sign-in-mode.ts). A citizen gets a reference profile on first sign-in (the
 * admin route, so every rule of a real profile applies) and the identity to prefill forms with.
 */
const SignIn = z.strictObject({
  user: z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/),
  role: z.enum(['citizen', 'operator']),
  /** Operators: comma-separated queue names, or `*` for every queue. */
  queues: z.string().max(500).optional(),
});

export interface SignInDeps {
  /** The reference profile of a user, if any. */
  getProfile(userId: string): Promise<Profile | undefined>;
  /** PUT /v1/admin/profiles/{userId} on the running API; returns the HTTP status. */
  putProfile(userId: string, citizen: TestCitizen): Promise<number>;
}

export interface SignInResult {
  status: number;
  body: unknown;
}

/** Operators: `*`, or queue names the routing table knows. */
function parseQueues(value: string | undefined): string[] | string {
  const names = (value ?? '*').split(',').map((q) => q.trim()).filter(Boolean);
  if (names.length === 0 || names.includes('*')) return ['*'];
  const unknown = names.filter((q) => !QUEUE_NAMES.includes(q));
  return unknown.length > 0 ? `Неизвестные очереди: ${unknown.join(', ')}. Есть: ${QUEUE_NAMES.join(', ')} или *.` : names;
}

function problem(status: number, code: string, detail: string): SignInResult {
  return { status, body: { type: `https://support-center.example/problems/${code}`, title: 'Local sign-in', status, code, detail } };
}

export async function localSignIn(raw: unknown, deps: SignInDeps): Promise<SignInResult> {
  const parsed = SignIn.safeParse(raw);
  if (!parsed.success) return problem(400, 'validation_failed', 'user: 1 to 64 letters, digits or ._@-; role: citizen or operator');
  const { user, role } = parsed.data;
  if (role === 'operator') {
    const queues = parseQueues(parsed.data.queues);
    if (typeof queues === 'string') return problem(400, 'validation_failed', queues);
    return { status: 200, body: { token: await signLocalToken(user, ['operator'], 3600, undefined, { queues }), user, role, queues } };
  }
  const citizen = testCitizen(user);
  if (!(await deps.getProfile(user))) {
    const status = await deps.putProfile(user, citizen);
    // 409: the id's phone is another profile's (kept data from another run); say so, sign in nobody.
    if (status !== 200 && status !== 201) return problem(409, 'profile_not_created', `the test profile of ${user} was refused (${status})`);
  }
  const { phoneE164: _e164, region: _region, ...identity } = citizen;
  return { status: 200, body: { token: await signLocalToken(user, ['citizen']), user, role, identity } };
}
