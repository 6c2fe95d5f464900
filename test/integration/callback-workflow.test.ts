import { beforeEach, describe, expect, it } from 'vitest';
import { takeRequest } from '#core/callbacks/queue';
import { recordCall } from '#core/callbacks/record-call';
import { callbackSlots } from '#core/callbacks/slots-view';
import { putProfile } from '#core/profiles/put-profile';
import { cancelOwnRequest } from '#core/requests/cancel';
import { createRequest } from '#core/requests/create-request';
import { formatMoscow } from '#core/scheduling/moscow-time';
import { formatCitizenTime, zoneParts } from '#core/scheduling/zone-time';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { LocalWorkflows } from '#infra/local/workflow-runner';
import { Outbox } from '#infra/local/outbox';
import type { Deps } from '#ports/deps';
import { PROFILE_PHONE_E164, identity, storedCallbackRequest, everyQueue } from '../support/fixtures.ts';
import { eventually, freshTable, realSystem } from '../support/integration.ts';

/**
 * The real intake and callback ASL over DynamoDB Local: a callback is booked, queued when due
 * (WAIT_SCALE 0 makes it due at once), and resumed by the operator's recorded outcome.
 */
async function setup(place: { region?: string; timeZone?: string } = {}) {
  const { client, tableName, store } = await freshTable();
  const system = realSystem();
  const sms = new Outbox(system.clock);
  const workflows = new LocalWorkflows({
    taskHandlers: { requestTasks: (event) => requestTasks(event as never, {} as never) },
    dynamo: client,
    sms,
    tableName,
    waitScale: 0,
  });
  const deps: Deps = { ...store, sms, workflows, ...system };
  provideDeps(deps);
  await putProfile(deps, 'user-1', { ...identity(), ...place });
  return { deps, sms, workflows };
}

function callbackBody() {
  return {
    channel: 'callback' as const,
    type: 'technical' as const,
    identity: identity(),
    callback: { phone: '+7 495 123-45-67 доб. 12', description: 'Не приходит СМС-код', note: 'Лучше после обеда' },
  };
}

async function queuedCallback(deps: Deps) {
  const id = ((await createRequest(deps, 'user-1', callbackBody())).body as { id: string }).id;
  const entry = await eventually(async () => (await deps.slots.listQueue('tech-support', 100)).find((e) => e.requestId === id), `callback ${id} in the queue`);
  return { id, entry };
}

function call(requestId: string, outcome: 'answered' | 'no_answer', waitSeconds = 30) {
  const queuedAt = new Date(Date.now() - (waitSeconds + 60) * 1000);
  const answeredAt = new Date(queuedAt.getTime() + waitSeconds * 1000);
  return {
    requestId,
    direction: 'outbound' as const,
    phone: '+74951234567',
    queuedAt: queuedAt.toISOString(),
    ...(outcome === 'answered' ? { answeredAt: answeredAt.toISOString() } : {}),
    endedAt: new Date(answeredAt.getTime() + 45_000).toISOString(),
    outcome,
  };
}

describe('callback workflow', () => {
  beforeEach(() => resetDeps());

  it('books a slot, tells the time in Moscow time, queues the call, and completes on an answered call', async () => {
    const { deps, sms, workflows } = await setup();
    const { id, entry } = await queuedCallback(deps);
    const request = await deps.requests.getRequest(id);
    expect(request?.status).toBe('scheduled');
    expect(entry).toMatchObject({ queue: 'tech-support', phone: '+74951234567', extension: '12', attempt: 1, dueAt: request?.scheduledAt });
    expect(sms.list(PROFILE_PHONE_E164).map((m) => m.text)).toEqual([expect.stringContaining(formatMoscow(request?.scheduledAt as string))]);

    const taken = await takeRequest(deps, everyQueue('op-1'), id);
    expect(taken.status).toBe('in_progress');
    await expect(takeRequest(deps, everyQueue('op-2'), id)).rejects.toMatchObject({ code: 'taken' });

    const recorded = await recordCall(deps, everyQueue('op-1'), call(id, 'answered', 42));
    expect(recorded).toMatchObject({ waitSeconds: 42, durationSeconds: 45 });
    expect(await deps.slots.listQueue('tech-support', 100)).toEqual([]);
    await eventually(async () => (workflows.execution('callback', id)?.status === 'SUCCEEDED' ? true : undefined), 'the callback run to end');
    expect((await deps.requests.getRequest(id))?.status).toBe('completed');
    const run = workflows.execution('callback', id);
    // Billed transitions of a callback answered at the first attempt (goal: at most 15).
    expect(run?.states).toEqual(['Resume?', 'Schedule', 'FirstBooking?', 'NotifyScheduled', 'WaitUntilDue', 'AwaitOutcome', 'Answered?', 'Done']);
    const calls = await deps.calls.listCallsOfRequest(id);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ userId: 'user-1', outcome: 'answered', operatorId: 'op-1' });
  });

  it('a Vladivostok profile: the zone travels from verification to the booking, daytime there, and the SMS names (МСК+7)', async () => {
    const { deps, sms } = await setup({ region: '25' });
    const { id, entry } = await queuedCallback(deps);
    const request = await deps.requests.getRequest(id);
    expect(request?.timeZone).toBe('Asia/Vladivostok');
    const local = zoneParts(entry.dueAt, 'Asia/Vladivostok');
    expect(local.minuteOfDay).toBeGreaterThanOrEqual(8 * 60);
    expect(local.minuteOfDay + 15).toBeLessThanOrEqual(21 * 60);
    const when = formatCitizenTime(entry.dueAt, 'Asia/Vladivostok');
    expect(when).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d \(МСК\+7\)$/);
    expect(sms.list(PROFILE_PHONE_E164).map((m) => m.text)).toEqual([`Обращение ${request?.number}: оператор перезвонит вам ${when}.`]);
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.timeline.find((e) => e.event === 'scheduled')?.detail).toBe(`${when}, queue tech-support`);
  });

  it('retries an unanswered callback 15 minutes on, and after three attempts is missed with its SMS', async () => {
    const { deps, sms, workflows } = await setup();
    const { id } = await queuedCallback(deps);
    const first = (await deps.requests.getRequest(id))?.scheduledAt as string;
    let previous = first;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const entry = await eventually(async () => (await deps.slots.listQueue('tech-support', 100)).find((e) => e.requestId === id && e.attempt === attempt), `attempt ${attempt} queued`);
      if (attempt > 1) {
        // A retry is booked at least 15 minutes after the unanswered call (a minute of slack for
        // this test's own run) and after the slot it retries (WAIT_SCALE 0 calls before the slot).
        expect(Date.parse(entry.dueAt)).toBeGreaterThanOrEqual(Date.now() + 14 * 60_000);
        expect(Date.parse(entry.dueAt)).toBeGreaterThanOrEqual(Date.parse(previous) + 15 * 60_000);
      }
      previous = entry.dueAt;
      await recordCall(deps, everyQueue('op-1'), call(id, 'no_answer'));
    }
    await eventually(async () => (workflows.execution('callback', id)?.status === 'SUCCEEDED' ? true : undefined), 'the callback run to end');
    const request = await deps.requests.getRequest(id);
    expect(request?.status).toBe('missed');
    expect(request?.attempts).toBe(3);
    expect(request?.scheduledAt).not.toBe(first);
    const texts = sms.list(PROFILE_PHONE_E164).map((m) => m.text);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('письменное обращение');
    expect(await deps.slots.listQueue('tech-support', 100)).toEqual([]);
    await expect(recordCall(deps, everyQueue('op-1'), call(id, 'no_answer'))).rejects.toMatchObject({ code: 'not_awaiting_call' });
  });

  it('never overbooks: 100 concurrent bookings of a slot with capacity 4 leave exactly 4 in it', async () => {
    const { deps } = await setup();
    const store = deps;
    const at = new Date().toISOString();
    const ids = Array.from({ length: 100 }, (_, i) => `01M8C2${String(i).padStart(20, '0')}`);
    await Promise.all(
      ids.map((id, i) =>
        store.requests.createRequest(storedCallbackRequest(id, `N-${i}`, at), { at, event: 'received' }, undefined, at),
      ),
    );
    const slots = ['2027-03-01T05:00:00.000Z', '2027-03-01T05:15:00.000Z', '2027-03-01T05:30:00.000Z'];
    const placed = await Promise.all(
      ids.map(async (id) => {
        for (const start of slots) {
          const out = await store.slots.bookSlot(id, ['received'], { queue: 'tech-support', start, day: '2027-03-01', capacity: 4 }, { status: 'scheduled', scheduledAt: start }, { at, event: 'scheduled' }, at);
          if (out === 'booked') return start;
        }
        return 'none';
      }),
    );
    const counts = await store.slots.slotCounts('tech-support', ['2027-03-01']);
    expect(slots.map((s) => counts.get(s))).toEqual([4, 4, 4]);
    expect(placed.filter((p) => p === slots[0])).toHaveLength(4);
    expect(placed.filter((p) => p === 'none')).toHaveLength(88);
    const stored = await Promise.all(ids.map((id) => store.requests.getRequest(id)));
    expect(stored.filter((r) => r?.status === 'scheduled')).toHaveLength(12);
  });

  it('frees a cancelled callback\'s place once, even when cancel is sent twice at the same moment', async () => {
    const { deps } = await setup();
    const { id } = await queuedCallback(deps);
    const request = await deps.requests.getRequest(id);
    const slot = request?.slot as { queue: string; start: string };
    const day = (s: string) => new Date(Date.parse(s) + 3 * 3_600_000).toISOString().slice(0, 10);
    const before = (await deps.slots.slotCounts(slot.queue, [day(slot.start)])).get(slot.start);
    expect(before).toBe(1);
    const results = await Promise.allSettled([cancelOwnRequest(deps, 'user-1', id), cancelOwnRequest(deps, 'user-1', id)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await deps.slots.slotCounts(slot.queue, [day(slot.start)])).get(slot.start)).toBe(0);
    expect(await deps.slots.listQueue('tech-support', 100)).toEqual([]);
  });

  it('shows the booked place in the public slot list', async () => {
    const { deps } = await setup();
    const { id } = await queuedCallback(deps);
    const start = (await deps.requests.getRequest(id))?.scheduledAt as string;
    const view = await callbackSlots(deps, { type: 'technical' });
    expect(view.slotMinutes).toBe(15);
    const slot = view.items.find((s) => s.start === start);
    // Capacity 4 in tech-support: one place taken (or the slot is already inside the lead time).
    if (slot) expect(slot.remaining).toBe(3);
    expect(view.items.every((s) => s.remaining > 0 && s.remaining <= 4)).toBe(true);
  });
});
