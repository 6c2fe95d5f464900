import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '#adapters/memory/fixed-clock';
import { memoryMetrics } from '#adapters/memory/memory-metrics';
import { memorySms } from '#adapters/memory/memory-sms';
import { memoryWorkflows } from '#adapters/memory/memory-workflows';
import { recordCall } from '#core/callbacks/record-call';
import { listOwnNotifications } from '#core/notifications/notifications';
import { putProfile } from '#core/profiles/put-profile';
import { answerRequest } from '#core/requests/answer';
import { createRequest } from '#core/requests/create-request';
import { routeRequest, sendNotice } from '#core/requests/intake';
import { listInbox } from '#core/workspace/inbox';
import { addOperatorComment, extendRequest } from '#core/workspace/operator-actions';
import { reportOverdue } from '#core/workspace/overdue';
import { search } from '#core/workspace/search';
import type { Deps } from '#ports/deps';
import { callbackRequest } from '../support/route-catalog.ts';
import { citizenPhone, identity, writtenRequest } from '../support/fixtures.ts';
import { freshTable, realSystem } from '../support/integration.ts';

/**
 * The workspace's storage on DynamoDB Local: the inbox and the overdue count on GSI3, search by
 * number, phone refs and call time refs, notifications written once; every read a Query or a
 * GetItem (a middleware records the commands: no Scan). And the races where one must win: 20
 * extensions at once, 20 operators commenting on a request nobody holds.
 */
type TestDeps = Deps & { clock: ReturnType<typeof fixedClock> };
let deps: TestDeps;
const commands: { name: string; index?: string }[] = [];
const Q = 'tech-support';
const ops = Array.from({ length: 20 }, (_, i) => ({ id: `op-${String(i).padStart(2, '0')}`, queues: [Q] }));
const A = ops[0] as { id: string; queues: string[] };
let seq = 0;

async function registered(body = writtenRequest()) {
  seq += 1;
  const userId = `ws-it-${seq}`;
  const phone = citizenPhone(userId);
  await putProfile(deps, userId, identity({ phone }));
  const out = (await createRequest(deps, userId, { ...body, identity: identity({ phone }) })).body as { id: string; number: string };
  await routeRequest(deps, out.id);
  return { ...out, userId, phone };
}

beforeAll(async () => {
  const table = await freshTable();
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push({ name: String(context.commandName), index: (args.input as { IndexName?: string }).IndexName });
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  deps = { ...realSystem(), ...table.store, workflows: memoryWorkflows(), sms: memorySms(), metrics: memoryMetrics(), clock: fixedClock(new Date()) } as unknown as TestDeps;
});

describe('indexed reads on DynamoDB Local', () => {
  it('the inbox: GSI3 in deadline order, a cursor, answered ones gone, an extension moves one', async () => {
    const [r1, r2, r3] = [await registered(), await registered(), await registered()];
    const ids = [r1.id, r2.id, r3.id];
    commands.length = 0;
    const page1 = await listInbox(deps, A, Q, 2);
    expect(commands.some((c) => c.name === 'QueryCommand' && c.index === 'GSI3')).toBe(true);
    const all = [...page1.items];
    let cursor = page1.nextCursor;
    while (cursor) {
      const next = await listInbox(deps, A, Q, 2, cursor);
      all.push(...next.items);
      cursor = next.nextCursor;
    }
    // Same deadline (same day): the index does not order ties; each comes once across the pages.
    expect(all.filter((i) => ids.includes(i.id)).map((i) => i.id).sort()).toEqual([...ids].sort());
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    expect(all.map((i) => i.dueBy)).toEqual([...all.map((i) => i.dueBy)].sort());
    await answerRequest(deps, A, r1.id, { text: 'Ответ' });
    await extendRequest(deps, A, r2.id, { days: 5, reason: 'Запрос' });
    const after = (await listInbox(deps, A, Q, 100)).items.map((i) => i.id);
    expect(after).not.toContain(r1.id);
    expect(after.at(-1)).toBe(r2.id);
    expect(commands.some((c) => c.name === 'ScanCommand')).toBe(false);
  });

  it('overdue: counted per queue by a key range on GSI3, not a Scan', async () => {
    const { id } = await registered();
    deps.clock.advanceDays(31);
    commands.length = 0;
    const { overdue } = await reportOverdue(deps);
    expect(overdue).toBeGreaterThanOrEqual(1);
    expect(commands.every((c) => c.name === 'QueryCommand' && c.index === 'GSI3')).toBe(true);
    expect((await listInbox(deps, A, Q, 100)).items.find((i) => i.id === id)?.overdue).toBe(true);
    deps.clock.set(new Date());
  });

  it('search: by number, by any form of a phone (profile, callback, call), by call time ±15 minutes', async () => {
    const written = await registered();
    const callback = await registered({ ...callbackRequest(), type: 'technical' } as never);
    const bySomething = async (query: Record<string, string>) => search(deps, A, query);
    expect((await bySomething({ number: written.number.toLowerCase() })).requests.map((r) => r.id)).toEqual([written.id]);
    expect((await search(deps, { id: 'x', queues: ['services'] }, { number: written.number })).requests).toEqual([]);
    const national = written.phone.slice(2);
    for (const form of [written.phone, `8 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`, national]) {
      expect((await bySomething({ phone: form })).requests.map((r) => r.id), form).toContain(written.id);
    }
    // The callback phone is no profile's: found through its phone ref.
    expect((await bySomething({ phone: '+7 (495) 123-45-67' })).requests.map((r) => r.id)).toContain(callback.id);
    const now = deps.clock.now().getTime();
    const iso = (m: number) => new Date(now + m * 60_000).toISOString();
    // A call about the written request (a callback would need its booking first), from a landline.
    const call = await recordCall(deps, A, { requestId: written.id, direction: 'outbound', phone: '+7 495 123-45-67', queuedAt: iso(-40), answeredAt: iso(-35), endedAt: iso(-20), outcome: 'answered' });
    const around = async (m: number, phone?: string) => (await bySomething({ callAt: iso(m), ...(phone ? { phone } : {}) })).calls.map((c) => c.id);
    expect(await around(-5)).toContain(call.id); // ended 15 minutes before
    expect(await around(-4)).not.toContain(call.id);
    expect(await around(-55)).toContain(call.id); // queued 15 minutes after
    expect(await around(-56)).not.toContain(call.id);
    expect(await around(-30, '84951234567')).toContain(call.id);
    expect(await around(-30, '+79990000000')).not.toContain(call.id);
    expect((await bySomething({ callAt: iso(-30) })).requests.map((r) => r.id)).toContain(written.id);
    expect((await bySomething({ phone: '+74951234567' })).calls.map((c) => c.id)).toContain(call.id);
    expect(commands.some((c) => c.name === 'ScanCommand')).toBe(false);
  });

  it('a notice retried after a failed SMS writes one notification', async () => {
    const { id, userId } = await registered();
    (deps.sms as ReturnType<typeof memorySms>).failNext(1);
    await expect(sendNotice(deps, id, 'registered')).rejects.toThrow();
    await sendNotice(deps, id, 'registered');
    await sendNotice(deps, id, 'registered');
    const list = await listOwnNotifications(deps, userId);
    expect(list.items.map((n) => n.id)).toEqual([`${id}-registered`]);
    expect(list.unread).toBe(1);
  });
});

describe('races on DynamoDB Local', () => {
  it('20 extensions at once: exactly one wins, the others are 409 already_extended', async () => {
    const { id } = await registered();
    const outcomes = await Promise.allSettled(ops.map((op, i) => extendRequest(deps, op, id, { days: 1 + i, reason: `Причина ${i}` })));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : []))).toEqual(Array(19).fill('already_extended'));
    const stored = await deps.requests.getRequest(id);
    expect(stored?.extendedTo).toBe((won[0] as PromiseFulfilledResult<{ dueBy: string }>).value.dueBy);
    const events = (await deps.requests.getRequestDetail(id))?.timeline.filter((e) => e.event === 'extended');
    expect(events).toHaveLength(1);
  });

  it('20 operators comment at once on a request nobody holds: one holds it, only their comment is stored', async () => {
    const { id } = await registered();
    const outcomes = await Promise.allSettled(ops.map((op) => addOperatorComment(deps, op, id, { text: `Вопрос от ${op.id}` })));
    const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [ops[i]?.id] : []));
    expect(won).toHaveLength(1);
    expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : [])).every((c) => c === 'taken')).toBe(true);
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.request).toMatchObject({ status: 'in_progress', assignedTo: won[0] });
    expect(detail?.comments.map((c) => c.text)).toEqual([`Вопрос от ${won[0]}`]);
  });

  it('the holder\'s 20 comments at once are all stored, each with its own notice', async () => {
    const { id } = await registered();
    const workflows = deps.workflows as ReturnType<typeof memoryWorkflows>;
    const before = workflows.started.length;
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => addOperatorComment(deps, A, id, { text: `Сообщение ${i}` })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(20);
    expect((await deps.requests.getRequestDetail(id))?.comments).toHaveLength(20);
    expect(workflows.started.slice(before).filter((s) => s.input.kind === 'comment')).toHaveLength(20);
  });
});
