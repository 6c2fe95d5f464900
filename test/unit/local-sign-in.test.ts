import { describe, expect, it } from 'vitest';
import { isValidFullName } from '#core/identity/full-name';
import { isValidPassport } from '#core/identity/passport';
import { parseSnils } from '#core/identity/snils';
import { parsePhone } from '#core/phone/phone';
import { checkRegionAndZone } from '#core/regions/regions';
import { findRoute, ROUTES } from '#http/routes';
import { localVerifyKey } from '#infra/local/jwt-keys';
import { localSignIn } from '#infra/local/sign-in';
import { testCitizen } from '#infra/local/test-citizens';
import { decodeJwt, jwtVerify } from 'jose';
import type { Profile } from '#ports/stores/profiles';

/**
 * The local sign-in (POST /_local/sign-in) and its test citizens: every identity passes the rules
 * a real profile must pass, the same id always gives the same identity, a profile is created on
 * first sign-in only, and the route is no route of the API (so the cloud stack never has it).
 */
const IDS = Array.from({ length: 200 }, (_, i) => `citizen-${i}`);

describe('test citizens', () => {
  it('each has a valid SNILS check number, passport, Cyrillic name, mobile phone and a zone of its region', () => {
    for (const id of IDS) {
      const c = testCitizen(id);
      expect(parseSnils(c.snils).ok, `${id}: ${c.snils}`).toBe(true);
      expect(isValidPassport(c.passport, '2026-12-01'), id).toBe(true);
      expect(isValidFullName(c.fullName), id).toBe(true);
      const phone = parsePhone(c.phone);
      expect(phone.ok && phone.mobile && phone.phone.e164, id).toBe(c.phoneE164);
      expect(c.phoneE164, id).toMatch(/^\+79\d{9}$/);
      expect(checkRegionAndZone({ region: c.region, timeZone: c.timeZone }).ok, id).toBe(true);
    }
  });

  it('the same id gives the same identity; different ids different SNILS and phones', () => {
    expect(testCitizen('web-written')).toEqual(testCitizen('web-written'));
    const phones = new Set(IDS.map((id) => testCitizen(id).phoneE164));
    const snils = new Set(IDS.map((id) => testCitizen(id).snils));
    expect(phones.size).toBe(IDS.length);
    expect(snils.size).toBe(IDS.length);
  });
});

function fakeProfiles() {
  const profiles = new Map<string, Profile>();
  const puts: string[] = [];
  return {
    puts,
    deps: {
      getProfile: async (userId: string) => profiles.get(userId),
      async putProfile(userId: string) {
        puts.push(userId);
        profiles.set(userId, { userId } as Profile);
        return 201;
      },
    },
  };
}

describe('POST /_local/sign-in', () => {
  it('a citizen: a token the local gateway accepts, the identity to prefill, and a profile on first sign-in only', async () => {
    const { deps, puts } = fakeProfiles();
    const first = await localSignIn({ user: 'citizen-7', role: 'citizen' }, deps);
    const second = await localSignIn({ user: 'citizen-7', role: 'citizen' }, deps);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(puts).toEqual(['citizen-7']);
    const body = first.body as { token: string; identity: { snils: string; phone: string } };
    const { payload } = await jwtVerify(body.token, await localVerifyKey());
    expect(payload.sub).toBe('citizen-7');
    expect(payload.roles).toEqual(['citizen']);
    expect(payload.scope).toBeUndefined();
    expect(body.identity.snils).toBe(testCitizen('citizen-7').snils);
  });

  it('an operator: the staff scope and the queues asked for; unknown queues are refused', async () => {
    const { deps, puts } = fakeProfiles();
    const ok = await localSignIn({ user: 'op-1', role: 'operator', queues: 'consultations, complaints' }, deps);
    expect(ok.status).toBe(200);
    const claims = decodeJwt((ok.body as { token: string }).token);
    expect(claims.roles).toEqual(['operator']);
    expect(claims.scope).toBe('support-center/operator');
    expect(claims.queues).toEqual(['consultations', 'complaints']);
    expect(decodeJwt(((await localSignIn({ user: 'op-1', role: 'operator' }, deps)).body as { token: string }).token).queues).toEqual(['*']);
    expect((await localSignIn({ user: 'op-1', role: 'operator', queues: 'nowhere' }, deps)).status).toBe(400);
    expect(puts).toEqual([]);
  });

  it('refuses other roles and malformed users, and never signs an admin', async () => {
    const { deps } = fakeProfiles();
    for (const body of [{ user: 'a', role: 'admin' }, { user: '', role: 'citizen' }, { user: 'a b', role: 'citizen' }, { user: 'x'.repeat(65), role: 'citizen' }, undefined, 'x', { user: 'a', role: 'citizen', roles: ['admin'] }]) {
      expect((await localSignIn(body, deps)).status, JSON.stringify(body)).toBe(400);
    }
  });

  it('a refused profile (its phone held by another profile) signs nobody in', async () => {
    const result = await localSignIn({ user: 'citizen-9', role: 'citizen' }, { getProfile: async () => undefined, putProfile: async () => 409 });
    expect(result.status).toBe(409);
    expect(JSON.stringify(result.body)).not.toContain('token');
  });

  it('is not a route of the API: neither the cloud stack nor its gateway has it', () => {
    expect(findRoute('POST /_local/sign-in')).toBeUndefined();
    expect(ROUTES.some((r) => r.path.startsWith('/_local'))).toBe(false);
  });
});
