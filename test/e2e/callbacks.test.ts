import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_PHONE_E164, identity } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';
import { apiClient } from '../support/api-client.ts';

/** Callbacks through `npm start` with WAIT_SCALE=0: to `completed`, and to `missed` after three unanswered attempts. */
let system: StartedSystem;
let citizen: string;
let operator: string;

const call = apiClient(() => system.url);

interface QueueItem {
  requestId: string;
  attempt: number;
  phone: string;
  dueAt: string;
}

async function inQueue(id: string, attempt: number): Promise<QueueItem> {
  return eventually(async () => {
    const queue = await call('/v1/ops/queues/consultations', { token: operator });
    return (queue.body.items as QueueItem[]).find((e) => e.requestId === id && e.attempt === attempt);
  }, `request ${id}, attempt ${attempt}, in the operator queue`);
}

async function newCallback(): Promise<string> {
  const body = {
    channel: 'callback',
    type: 'consultation',
    identity: identity(),
    callback: { phone: '8 (495) 123-45-67', description: 'Как заполнить заявление на загранпаспорт?' },
  };
  const created = await call('/v1/requests', { method: 'POST', token: citizen, body });
  expect(created.status).toBe(202);
  return created.body.id as string;
}

function outcome(requestId: string, result: 'answered' | 'no_answer', waitSeconds: number) {
  const queuedAt = new Date(Date.now() - 3_600_000);
  const answeredAt = new Date(queuedAt.getTime() + waitSeconds * 1000);
  return {
    requestId,
    direction: 'outbound',
    phone: '+74951234567',
    queuedAt: queuedAt.toISOString(),
    ...(result === 'answered' ? { answeredAt: answeredAt.toISOString() } : {}),
    endedAt: new Date(answeredAt.getTime() + 120_000).toISOString(),
    outcome: result,
    ...(result === 'answered'
      ? {
          transcript: [
            { at: answeredAt.toISOString(), speaker: 'operator', text: 'Здравствуйте, служба поддержки.' },
            { at: new Date(answeredAt.getTime() + 5000).toISOString(), speaker: 'citizen', text: 'Подскажите, как заполнить заявление.' },
          ],
        }
      : {}),
  };
}

beforeAll(async () => {
  system = await startSystem();
  citizen = cliToken('citizen-cb');
  operator = cliToken('operator-cb', 'operator');
  await call('/v1/admin/profiles/citizen-cb', { method: 'PUT', token: cliToken('admin-1', 'admin'), body: identity() });
});

afterAll(async () => {
  await system?.stop();
});

describe('callbacks through npm start', () => {
  it('runs a callback from request to completed', async () => {
    const id = await newCallback();
    const queued = await inQueue(id, 1);
    expect(queued.phone).toBe('+74951234567');
    const scheduled = await call(`/v1/requests/${id}`, { token: citizen });
    expect(scheduled.body).toMatchObject({ status: 'scheduled', scheduledAt: queued.dueAt, route: { queue: 'consultations' } });
    const sms = await eventually(async () => {
      const outbox = await call(`/_local/outbox?to=${encodeURIComponent(PROFILE_PHONE_E164)}`);
      return (outbox.body.items as { text: string }[]).find((m) => m.text.includes(scheduled.body.number as string));
    }, 'the scheduled SMS');
    expect(sms.text).toMatch(/\d\d\.\d\d\.\d{4} \d\d:\d\d \(МСК\)/);

    expect((await call(`/v1/ops/requests/${id}/take`, { method: 'POST', token: operator })).body).toMatchObject({ status: 'in_progress' });
    const other = cliToken('operator-2', 'operator');
    expect((await call(`/v1/ops/requests/${id}/take`, { method: 'POST', token: other })).body.code).toBe('taken');
    const recorded = await call('/v1/ops/calls', { method: 'POST', token: operator, body: outcome(id, 'answered', 720) });
    expect(recorded).toMatchObject({ status: 201, body: { waitSeconds: 720, durationSeconds: 120 } });
    const queue = await call('/v1/ops/queues/consultations', { token: operator });
    expect((queue.body.items as QueueItem[]).some((e) => e.requestId === id)).toBe(false);

    const done = await call(`/v1/requests/${id}`, { token: citizen });
    expect(done.body.status).toBe('completed');
    expect(done.body.calls).toEqual([expect.objectContaining({ id: recorded.body.id, waitSeconds: 720, outcome: 'answered', claimEligible: true, confirmed: false })]);
    const calls = await call('/v1/calls', { token: citizen });
    expect((calls.body.items as { id: string }[]).map((c) => c.id)).toContain(recorded.body.id);
  });

  it('retries an unanswered callback and ends missed after three attempts, with the SMS offering a written request', async () => {
    const id = await newCallback();
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await inQueue(id, attempt);
      const recorded = await call('/v1/ops/calls', { method: 'POST', token: operator, body: outcome(id, 'no_answer', 30) });
      expect(recorded.status).toBe(201);
    }
    const missed = await eventually(async () => {
      const r = await call(`/v1/requests/${id}`, { token: citizen });
      return r.body.status === 'missed' ? r : undefined;
    }, 'missed');
    expect((missed.body.calls as unknown[]).length).toBe(3);
    const texts = await eventually(async () => {
      const outbox = await call(`/_local/outbox?to=${encodeURIComponent(PROFILE_PHONE_E164)}`);
      const mine = (outbox.body.items as { text: string }[]).filter((m) => m.text.includes(missed.body.number as string));
      return mine.length === 2 ? mine.map((m) => m.text) : undefined;
    }, 'the missed SMS');
    expect(texts[1]).toContain('письменное обращение');
  });

  it('lists only the slots inside Kamchatka’s calling hours for ?timeZone=Asia/Kamchatka, each with its local start', async () => {
    const plain = await call('/v1/callback-slots?type=technical');
    const kamchatka = await call('/v1/callback-slots?type=technical&timeZone=Asia/Kamchatka');
    expect(kamchatka.status).toBe(200);
    const items = kamchatka.body.items as { start: string; end: string; remaining: number; localStart: string }[];
    expect(items.length).toBeGreaterThan(0);
    for (const s of items) {
      expect(s.localStart).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+12:00$/);
      expect(Date.parse(s.localStart)).toBe(Date.parse(s.start));
      // the centre's 08:00–20:00 MSK meets 08:00–21:00 in Kamchatka (MSK+9) from 17:00 to 21:00 local
      const hour = Number(s.localStart.slice(11, 13));
      expect(hour >= 17 && hour < 21).toBe(true);
    }
    const starts = new Set((plain.body.items as { start: string }[]).map((s) => s.start));
    expect(items.every((s) => starts.has(s.start))).toBe(true);
    expect(items.length).toBeLessThan(starts.size);
    for (const bad of ['Europe/Kyiv', 'Asia/Tokyo', 'asia/kamchatka', '%E2%80%AE']) {
      const refused = await call(`/v1/callback-slots?type=technical&timeZone=${bad}`);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'timeZone' })] });
    }
  });

  it('takes a profile’s region and zone, and refuses a zone outside Russia or outside the region', async () => {
    const admin = cliToken('admin-1', 'admin');
    const put = (extra: Record<string, string>) => call('/v1/admin/profiles/citizen-tz', { method: 'PUT', token: admin, body: { ...identity(), phone: '+7 912 000-11-22', ...extra } });
    expect((await put({ region: '41' })).body).toMatchObject({ region: '41', timeZone: 'Asia/Kamchatka' });
    expect((await put({ region: '77', timeZone: 'Asia/Kamchatka' })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'timeZone', code: 'timezone_not_in_region' })] });
    expect((await put({ timeZone: 'Europe/Berlin' })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'timeZone' })] });
    expect((await put({ region: '99' })).body).toMatchObject({ status: 400, errors: [expect.objectContaining({ path: 'region' })] });
  });

  it('lists bookable slots and live queues publicly', async () => {
    const slots = await call('/v1/callback-slots?type=technical');
    expect(slots.status).toBe(200);
    expect(slots.body.slotMinutes).toBe(15);
    expect((await call('/v1/callback-slots?type=nope')).status).toBe(400);
    const contacts = await call('/v1/contacts');
    const queues = contacts.body.queues as { queue: string; estimatedWaitMinutes: number; peakNow: boolean }[];
    expect(queues.map((q) => q.queue).sort()).toEqual(['complaints', 'consultations', 'services', 'status', 'tech-support']);
  });
});
