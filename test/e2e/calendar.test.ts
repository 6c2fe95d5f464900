import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moscowDate } from '#core/scheduling/moscow-time';
import { apiClient } from '../support/api-client.ts';
import { identity } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';

/**
 * The centre's calendar as data, through `npm start`: an administrator's change reaches the slot
 * list within 10 s (polled with that deadline), never moves a booking, and bad changes are refused.
 * Consultations are the queue of these callbacks; tech-support is left alone for other tests' sake.
 */
let system: StartedSystem;
let admin: string;
let citizen: string;
const call = apiClient(() => system.url);
const CALENDAR_DEADLINE_MS = 10_000;

interface SlotItem {
  start: string;
  remaining: number;
}

async function slots(): Promise<SlotItem[]> {
  const got = await call('/v1/callback-slots?type=consultation');
  expect(got.status).toBe(200);
  return got.body.items as SlotItem[];
}

async function bookedCallback(): Promise<{ id: string; scheduledAt: string }> {
  // A window an hour ahead: the booked slot then stays outside the slot list's 30-minute lead while the test looks at it.
  const hour = 3_600_000;
  const preferredWindow = { from: new Date(Date.now() + hour).toISOString(), to: new Date(Date.now() + 3 * hour).toISOString() };
  const body = { channel: 'callback', type: 'consultation', identity: identity(), callback: { phone: '8 (495) 123-45-67', description: 'Как записаться на приём?', preferredWindow } };
  const created = await call('/v1/requests', { method: 'POST', token: citizen, body });
  expect(created.status).toBe(202);
  const id = created.body.id as string;
  const scheduledAt = await eventually(async () => {
    const r = await call(`/v1/requests/${id}`, { token: citizen });
    return typeof r.body.scheduledAt === 'string' ? r.body.scheduledAt : undefined;
  }, `callback ${id} booked`);
  return { id, scheduledAt };
}

beforeAll(async () => {
  system = await startSystem();
  admin = cliToken('admin-cal', 'admin');
  citizen = cliToken('citizen-cal');
  expect((await call('/v1/admin/profiles/citizen-cal', { method: 'PUT', token: admin, body: identity() })).status).toBe(201);
});

afterAll(async () => {
  await system?.stop();
});

describe('the centre’s calendar through npm start', () => {
  it('is seeded on first start: the defaults, without the holidays CENTRE_CONFIG takes out', async () => {
    const got = await call('/v1/admin/calendar', { token: admin });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ leadMinutes: 30, horizonDays: 7, holidays: [], overrides: [] });
    expect((got.body.queues as { queue: string; slotMinutes: number; capacityPerSlot: number }[]).find((q) => q.queue === 'consultations')).toMatchObject({ slotMinutes: 15, capacityPerSlot: 3 });
    expect((await call('/v1/admin/calendar', { token: cliToken('op-cal', 'operator') })).status).toBe(403);
    expect((await call('/v1/admin/calendar', { token: citizen })).status).toBe(403);
  });

  it('an override lowering a booked slot’s capacity keeps the booking; the slot shows remaining 0', async () => {
    const { id, scheduledAt } = await bookedCallback();
    const day = moscowDate(scheduledAt);
    const put = await call(`/v1/admin/calendar/overrides/consultations/${day}`, { method: 'PUT', token: admin, body: { capacityPerSlot: 1 } });
    expect(put.status).toBe(200);
    expect(put.body.overrides).toEqual([{ queue: 'consultations', date: day, capacityPerSlot: 1 }]);
    await eventually(async () => ((await slots()).find((s) => s.start === scheduledAt)?.remaining === 0 ? true : undefined), 'the booked slot at remaining 0', CALENDAR_DEADLINE_MS);
    const after = await call(`/v1/requests/${id}`, { token: citizen });
    expect(after.body.scheduledAt).toBe(scheduledAt);
    expect(['scheduled', 'in_progress']).toContain(after.body.status);
    // A slot length change now would orphan that booking: 409, nothing changes.
    const week = { 1: [{ from: '08:00', to: '20:00' }], 2: [{ from: '08:00', to: '20:00' }], 3: [{ from: '08:00', to: '20:00' }], 4: [{ from: '08:00', to: '20:00' }], 5: [{ from: '08:00', to: '20:00' }], 6: [{ from: '09:00', to: '18:00' }] };
    const longer = await call('/v1/admin/calendar/queues/consultations', { method: 'PUT', token: admin, body: { hours: week, slotMinutes: 30, capacityPerSlot: 3 } });
    expect(longer).toMatchObject({ status: 409, body: { code: 'calendar_in_use' } });
    const same = await call('/v1/admin/calendar', { token: admin });
    expect((same.body.queues as { queue: string; slotMinutes: number }[]).find((q) => q.queue === 'consultations')?.slotMinutes).toBe(15);
    expect((await call(`/v1/admin/calendar/overrides/consultations/${day}`, { method: 'DELETE', token: admin })).status).toBe(200);
  });

  it('a holiday for tomorrow: the slot list loses tomorrow within 10 s, and gets it back when it is removed', async () => {
    const tomorrow = moscowDate(new Date(Date.now() + 86_400_000));
    const day = (items: SlotItem[]) => items.filter((s) => moscowDate(s.start) === tomorrow);
    const before = day(await slots());
    // (a Sunday has no slots to lose: then the day after shows the same rule)
    const target = before.length > 0 ? tomorrow : moscowDate(new Date(Date.now() + 2 * 86_400_000));
    const onTarget = (items: SlotItem[]) => items.filter((s) => moscowDate(s.start) === target);
    expect(onTarget(await slots()).length).toBeGreaterThan(0);
    const put = await call(`/v1/admin/calendar/holidays/${target}`, { method: 'PUT', token: admin });
    expect(put.status).toBe(200);
    expect(put.body.holidays).toContain(target);
    await eventually(async () => (onTarget(await slots()).length === 0 ? true : undefined), `${target} gone from the slot list`, CALENDAR_DEADLINE_MS);
    expect((await call(`/v1/admin/calendar/holidays/${target}`, { method: 'DELETE', token: admin })).status).toBe(200);
    await eventually(async () => (onTarget(await slots()).length > 0 ? true : undefined), `${target} back in the slot list`, CALENDAR_DEADLINE_MS);
    expect((await call(`/v1/admin/calendar/holidays/${target}`, { method: 'DELETE', token: admin })).status).toBe(404);
  });

  it('refuses bad hours with 400 and hostile names, and changes nothing', async () => {
    const before = await call('/v1/admin/calendar', { token: admin });
    const overlapping = { hours: { 1: [{ from: '08:00', to: '13:00' }, { from: '12:00', to: '18:00' }] }, slotMinutes: 15, capacityPerSlot: 2 };
    const refused = await call('/v1/admin/calendar/queues/status', { method: 'PUT', token: admin, body: overlapping });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_failed', errors: [{ path: 'hours.1.1', code: 'hours_invalid' }] } });
    const notClock = await call('/v1/admin/calendar/queues/status', { method: 'PUT', token: admin, body: { ...overlapping, hours: { 2: [{ from: '8:00', to: '25:00' }] } } });
    expect(notClock.status).toBe(400);
    expect((notClock.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['hours.2.0.from', 'hours.2.0.to']);
    const backwards = await call('/v1/admin/calendar/overrides/status/2026-12-31', { method: 'PUT', token: admin, body: { hours: [{ from: '18:00', to: '08:00' }] } });
    expect(backwards).toMatchObject({ status: 400, body: { errors: [{ path: 'hours.0', code: 'hours_invalid' }] } });
    for (const path of ['/v1/admin/calendar/holidays/2026-02-30', '/v1/admin/calendar/holidays/1999-12-31', '/v1/admin/calendar/overrides/status/tomorrow']) {
      expect((await call(path, { method: 'PUT', token: admin, body: { capacityPerSlot: 1 } })).status).toBe(400);
    }
    expect((await call('/v1/admin/calendar/queues/__proto__', { method: 'PUT', token: admin, body: overlapping })).status).toBe(400);
    expect((await call('/v1/admin/calendar/queues/nope', { method: 'PUT', token: admin, body: { hours: {}, slotMinutes: 15, capacityPerSlot: 1 } })).status).toBe(404);
    expect((await call('/v1/admin/calendar/queues/status', { method: 'PUT', token: admin, body: { ...overlapping, hours: {}, isAdmin: true } })).status).toBe(400);
    expect((await call('/v1/admin/calendar', { token: admin })).body).toEqual(before.body);
  });
});
