import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { logger } from '#adapters/logger';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as adminHandler } from '#http/admin';
import { openApiDocument } from '#http/openapi';
import { handler as publicHandler } from '#http/public';
import { IDENTITY, type EventOptions, httpEvent, lambdaContext } from './fixtures.ts';
import { staffClaims } from '../support/http-event.ts';

/** `region` and `timeZone` of PUT /v1/admin/profiles/{userId}, and `?timeZone=` of the slot list, through the real handlers. */
const PUT_PROFILE = 'PUT /v1/admin/profiles/{userId}';
const ADMIN = staffClaims('admin-1', ['admin']);

let deps: MemoryDeps;
beforeAll(() => logger.setLogLevel('SILENT'));
beforeEach(() => {
  deps = memoryDeps();
  deps.clock.set('2026-12-02T04:00:00.000Z');
  provideDeps(deps);
});
afterEach(() => resetDeps());

async function call(handler: typeof adminHandler, routeKey: string, options: EventOptions) {
  const result = await handler(httpEvent(routeKey, options), lambdaContext);
  return { status: result.statusCode ?? 0, body: JSON.parse(result.body ?? '{}') as Record<string, unknown> };
}

const put = (body: Record<string, unknown>) => call(adminHandler, PUT_PROFILE, { claims: ADMIN, pathParameters: { userId: 'user-1' }, body: { ...IDENTITY, ...body } });
const stored = () => deps.table.snapshot().profiles.find((p) => p.userId === 'user-1');

describe('profile region and time zone', () => {
  it('defaults to region 77 and Moscow time', async () => {
    const res = await put({});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ region: '77', timeZone: 'Europe/Moscow' });
    expect(stored()).toMatchObject({ region: '77', timeZone: 'Europe/Moscow' });
  });

  it('a region alone gets its main zone; a region that spans several takes one of its own', async () => {
    expect((await put({ region: '25' })).body).toMatchObject({ region: '25', timeZone: 'Asia/Vladivostok' });
    expect((await put({ region: '14', timeZone: 'Asia/Ust-Nera' })).body).toMatchObject({ region: '14', timeZone: 'Asia/Ust-Nera' });
    expect(stored()).toMatchObject({ region: '14', timeZone: 'Asia/Ust-Nera' });
  });

  it.each([
    [{ region: '99' }, 'region', 'invalid_value'],
    [{ region: '80' }, 'region', 'invalid_value'],
    [{ region: '7' }, 'region', 'invalid_format'],
    [{ region: 77 }, 'region', 'invalid_type'],
    [{ timeZone: 'Europe/Kyiv' }, 'timeZone', 'invalid_value'],
    [{ timeZone: 'UTC' }, 'timeZone', 'invalid_value'],
    [{ timeZone: 'europe/moscow' }, 'timeZone', 'invalid_value'],
    [{ region: '77', timeZone: 'Asia/Kamchatka' }, 'timeZone', 'timezone_not_in_region'],
    [{ timeZone: 'Asia/Yakutsk' }, 'timeZone', 'timezone_not_in_region'],
  ])('%j is 400 validation_failed at %s (%s), and nothing is stored', async (body, path, code) => {
    const res = await put(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path, code })] });
    expect(stored()).toBeUndefined();
  });

  it('reports a bad region together with the identity’s problems', async () => {
    const res = await put({ snils: '112-233-445 96', region: '00' });
    expect(res.status).toBe(400);
    expect((res.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['region', 'snils']);
  });
});

describe('GET /v1/callback-slots?timeZone=', () => {
  const slots = (query: Record<string, string>) => {
    const event = httpEvent('GET /v1/callback-slots', {});
    event.queryStringParameters = query;
    event.rawQueryString = new URLSearchParams(query).toString();
    return publicHandler(event, lambdaContext).then((r) => ({ status: r.statusCode ?? 0, body: JSON.parse(r.body ?? '{}') as Record<string, unknown> }));
  };

  it('lists the Kamchatka day with local starts', async () => {
    const res = await slots({ type: 'technical', timeZone: 'Asia/Kamchatka' });
    expect(res.status).toBe(200);
    const items = res.body.items as { start: string; localStart: string }[];
    expect(items[0]).toMatchObject({ start: '2026-12-02T05:00:00.000Z', localStart: '2026-12-02T17:00:00+12:00' });
  });

  it.each(['Asia/Tokyo', 'Moscow', 'Europe/Moscow\u202e', 'x'.repeat(300)])('refuses timeZone=%s with 400 at timeZone', async (timeZone) => {
    const res = await slots({ type: 'technical', timeZone });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'timeZone' })] });
  });

  it('the OpenAPI document declares the parameter, its zones, localStart and the profile fields', () => {
    const doc = openApiDocument() as unknown as {
      paths: Record<string, Record<string, { parameters?: { name: string; schema: { enum?: string[] } }[] }>>;
      components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
    };
    const param = doc.paths['/v1/callback-slots']?.get?.parameters?.find((p) => p.name === 'timeZone');
    expect(param?.schema.enum).toContain('Asia/Kamchatka');
    expect(param?.schema.enum).not.toContain('Europe/Kyiv');
    expect(JSON.stringify(doc.components.schemas.CallbackSlots)).toContain('localStart');
    expect(Object.keys(doc.components.schemas.Profile?.properties ?? {})).toEqual(expect.arrayContaining(['region', 'timeZone']));
    expect(doc.components.schemas.ProfileView?.required).toEqual(expect.arrayContaining(['region', 'timeZone']));
  });
});
