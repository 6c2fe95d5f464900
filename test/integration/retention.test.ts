import { DescribeTimeToLiveCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { withRetentionTtl as stamp } from '#adapters/dynamodb/retention';
import { TABLE } from '#adapters/dynamodb/table-definition';
import type { CallRecord } from '#core/callbacks/model';
import type { OtpRecord } from '#core/otp/otp';
import { RETENTION_DAYS } from '#core/retention';
import type { Stores } from '#ports/stores';
import type { Profile } from '#ports/stores/profiles';
import { STORE_ACCESS, type StoreAccess, familiesOf } from '../../infra/key-prefixes.ts';
import { storedWrittenRequest } from '../support/fixtures.ts';
import { freshTable } from '../support/integration.ts';

const DAY = 86_400;
const TTL = TABLE.ttlAttribute;

async function allItems(client: DynamoDBClient, tableName: string): Promise<Record<string, any>[]> {
  // A test's own look at every item (no function may Scan).
  const out = await DynamoDBDocumentClient.from(client).send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
  return out.Items ?? [];
}

const profile = (userId: string, phone: string): Profile => ({
  userId,
  fullName: 'Иванов Иван',
  fullNameFolded: 'иванов иван',
  snilsHash: 'h1',
  snilsLast2: '95',
  passportHash: 'h2',
  passportLast2: '56',
  phone,
  updatedAt: new Date().toISOString(),
});

function call(id: string, requestId: string | undefined, now: string): CallRecord {
  return {
    id,
    userId: 'user-1',
    ...(requestId ? { requestId } : {}),
    queue: 'general',
    direction: 'outbound',
    phone: '+79990001122',
    operatorId: 'op-1',
    queuedAt: now,
    answeredAt: now,
    endedAt: now,
    waitSeconds: 0,
    durationSeconds: 60,
    outcome: 'answered',
    transcript: [{ at: now, speaker: 'operator', text: 'Здравствуйте' }],
    confirmed: false,
  };
}

function otp(subject: string, issuedAt: string): OtpRecord {
  const expiresAt = new Date(Date.parse(issuedAt) + 300_000).toISOString();
  return { purpose: 'phone-change', subject, codeHash: 'hash', issuedAt, expiresAt, attemptsLeft: 5, used: false, sendTimes: [issuedAt], target: '+79990001122' };
}

/** Writes one of each kind of item the retention rules name. */
async function writeOneOfEach(store: Stores, now: string) {
  const idem = { scope: 'create:user-1:key-1', bodyHash: 'b', statusCode: 202, body: { id: 'r1' }, headers: {}, expiresAt: new Date(Date.now() + DAY * 1000).toISOString() };
  await store.requests.createRequest(storedWrittenRequest('r1', 'N-1'), { at: now, event: 'received' }, idem, now);
  await store.requests.appendComment('r1', { id: 'c1', at: now, author: 'citizen', text: 'Комментарий' }, ['received'], undefined, now);
  await store.requests.recordNotice('r1', 'received', now);
  await store.calls.putCall(call('call-1', 'r1', now));
  await store.profiles.putProfile(profile('user-1', '+79990001122'));
  await store.codes.putOtp(otp('user-1', now), undefined);
  return idem;
}

describe('retention: every request, call and their items expire by DynamoDB TTL (DynamoDB Local)', () => {
  it('the table expires items by the TTL attribute the store stamps', async () => {
    const { client, tableName } = await freshTable();
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ AttributeName: TTL, TimeToLiveStatus: 'ENABLED' });
  });

  it('stamps request, number and call items with their retention from the time written; leaves expiries of their own alone', async () => {
    const { client, tableName, store } = await freshTable();
    const before = Math.floor(Date.now() / 1000);
    const now = new Date().toISOString();
    const idem = await writeOneOfEach(store, now);
    const after = Math.floor(Date.now() / 1000) + 1;
    const items = await allItems(client, tableName);
    const family = (pk: string) => pk.split('#')[0];
    const within = (item: Record<string, any>, days: number) => {
      expect(item[TTL], `${item.PK} ${item.SK}`).toBeGreaterThanOrEqual(before + days * DAY);
      expect(item[TTL], `${item.PK} ${item.SK}`).toBeLessThanOrEqual(after + days * DAY);
    };
    const byFamily = (f: string) => items.filter((i) => family(String(i.PK)) === f);
    // The request: meta, timeline, comment, notice, call link; its number; the call with its transcript.
    expect(byFamily('REQ').map((i) => String(i.SK).split('#')[0]).sort()).toEqual(['CALL', 'CMT', 'EVT', 'META', 'NTC']);
    for (const item of byFamily('REQ')) within(item, RETENTION_DAYS.request);
    for (const item of byFamily('NUM')) within(item, RETENTION_DAYS.request);
    expect(byFamily('CALL')).toHaveLength(1);
    for (const item of byFamily('CALL')) within(item, RETENTION_DAYS.call);
    // Own, shorter expiries: idempotency record, one-time code, queue wait.
    expect(byFamily('IDEM')[0]![TTL]).toBe(Math.floor(Date.parse(idem.expiresAt) / 1000));
    expect(byFamily('OTP')[0]![TTL]).toBeLessThan(before + 2 * DAY);
    expect(byFamily('QWAITS')[0]![TTL]).toBeLessThan(before + 3 * DAY);
    // Reference data replaced by the admin, not expired by time.
    for (const item of [...byFamily('USER'), ...byFamily('PHONE')]) expect(item[TTL], String(item.PK)).toBeUndefined();
  });

  it('a later status change keeps the TTL the request was created with', async () => {
    const { client, tableName, store } = await freshTable();
    const now = new Date().toISOString();
    await store.requests.createRequest(storedWrittenRequest('r2', 'N-2'), { at: now, event: 'received' }, undefined, now);
    const metaOf = async () => (await allItems(client, tableName)).find((i) => i.PK === 'REQ#r2' && i.SK === 'META')!;
    const created = (await metaOf())[TTL];
    expect(created).toBeGreaterThan(0);
    await store.requests.transition('r2', ['received'], { status: 'cancelled' }, { at: new Date().toISOString(), event: 'cancelled' }, new Date().toISOString());
    const meta = await metaOf();
    expect(meta.status).toBe('cancelled');
    expect(meta[TTL]).toBe(created);
  });

  it('the stamp is a pure function of the partition and the time', () => {
    const at = Date.UTC(2026, 0, 1);
    const withRetentionTtl = (item: Record<string, unknown>, nowMs: number) => stamp(item, nowMs);
    expect(withRetentionTtl({ PK: 'REQ#1', SK: 'META' }, at)[TTL]).toBe(at / 1000 + RETENTION_DAYS.request * DAY);
    expect(withRetentionTtl({ PK: 'CALL#1', SK: 'META' }, at)[TTL]).toBe(at / 1000 + RETENTION_DAYS.call * DAY);
    expect(withRetentionTtl({ PK: 'REQ#1', SK: 'META', [TTL]: 5 }, at)[TTL]).toBe(5);
    expect(withRetentionTtl({ PK: 'USER#1', SK: 'PROFILE' }, at)[TTL]).toBeUndefined();
    expect(withRetentionTtl({ PK: 'SLOTS#q#2026-01-01', SK: '09:00' }, at)[TTL]).toBeUndefined();
  });
});


describe('STORE_ACCESS (infra/key-prefixes.ts) holds what each store call really touches (DynamoDB Local)', () => {
  it('every partition each call reads or writes is in the families it declares', async () => {
    const { client, tableName } = await freshTable();
    /** The call running now, as `part.method`. */
    let current: string | undefined;
    const seen: { method: string; kind: 'reads' | 'writes'; partition: string }[] = [];
    const note = (kind: 'reads' | 'writes', partition: unknown) => {
      if (current && typeof partition === 'string') seen.push({ method: current, kind, partition });
    };
    // Marshalled or not (the document client marshals in a later step): the string either way.
    const text = (v: any) => (typeof v === 'string' ? v : v?.S);
    const pkOf = (key: any) => text(key?.[TABLE.partitionKey]);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as any;
        switch (context.commandName) {
          case 'GetItemCommand':
            note('reads', pkOf(input.Key));
            break;
          case 'QueryCommand':
            note('reads', text(input.ExpressionAttributeValues?.[':pk']));
            break;
          case 'BatchGetItemCommand':
            for (const t of Object.values(input.RequestItems) as any[]) for (const k of t.Keys) note('reads', pkOf(k));
            break;
          case 'PutItemCommand':
            note('writes', pkOf(input.Item));
            break;
          case 'UpdateItemCommand':
          case 'DeleteItemCommand':
            note('writes', pkOf(input.Key));
            break;
          case 'TransactWriteItemsCommand':
            for (const t of input.TransactItems) {
              if (t.Put) note('writes', pkOf(t.Put.Item));
              for (const op of [t.Update, t.Delete, t.ConditionCheck]) if (op) note('writes', pkOf(op.Key));
            }
            break;
          default:
            throw new Error(`the store sent ${context.commandName}: not in the grants of infra/stacks/support-center-stack.ts`);
        }
        return next(args);
      },
      { step: 'initialize', name: 'recordPartitions' },
    );
    // Built after the middleware is in place: the store's document client takes the client's stack then.
    const store = dynamoStores(client, tableName);
    // Each call of the store runs with `current` set, so its requests are attributed to it.
    const tracedPart = <T extends object>(part: string, target: T): T =>
      new Proxy(target, {
        get(inner, name: string) {
          const fn = (inner as any)[name];
          return async (...args: unknown[]) => {
            current = `${part}.${name}`;
            try {
              return await fn.apply(inner, args);
            } finally {
              current = undefined;
            }
          };
        },
      });
    const traced = Object.fromEntries(Object.entries(store).map(([part, target]) => [part, tracedPart(part, target)])) as unknown as Stores;

    const now = new Date().toISOString();
    await writeOneOfEach(traced, now);
    await traced.profiles.getProfile('user-1');
    await traced.requests.getLimitWindow('requests', 'user-1');
    await traced.requests.getRequest('r1');
    await traced.requests.getRequestDetail('r1');
    await traced.requests.listRequestsByOwner('user-1', 10);
    await traced.requests.getIdempotencyRecord('create:user-1:key-1', now);
    await traced.requests.noticeSent('r1', 'received');
    await traced.calls.getCall('call-1');
    await traced.calls.listCallsByOwner('user-1', 10);
    await traced.calls.listCallsOfRequest('r1');
    await traced.slots.recentWaits('general', now);
    await traced.codes.getOtp('phone-change', 'user-1');
    await traced.profiles.userByPhone('+79990001122');
    await traced.attachments.listAttachments('r1');
    await traced.attachments.getAttachment('r1', 'a1');
    await traced.slots.countQueue('general');
    await traced.slots.listQueue('general', 10);
    await traced.slots.slotCounts('general', ['2026-01-01']);
    await traced.reconcile.listDueChecks(new Date(Date.now() + DAY * 1000 * 60).toISOString(), 10);
    await traced.requests.createClaim(storedWrittenRequest('r3', 'N-3'), { at: now, event: 'received' }, 'call-1');
    // Calls whose outcome does not matter here (a refused condition still sends the request).
    const tolerate = async (p: Promise<unknown>) => p.catch(() => undefined);
    const code = otp('user-1', now);
    const spent = { ...code, attemptsLeft: 4 };
    await tolerate(traced.codes.spendOtpAttempt('phone-change', 'user-1', now));
    await tolerate(traced.calls.confirmCall('call-1', { ...spent, purpose: 'call-confirmation', subject: 'call-1' }));
    await tolerate(traced.profiles.changeProfilePhone('user-1', '+79990003344', spent, now));
    await tolerate(traced.codes.restoreOtp(code, undefined));
    const attachment = { id: 'a1', requestId: 'r1', fileName: 'скан.pdf', contentType: 'application/pdf' as const, size: 1000, status: 'pending' as const, createdAt: now, uploadExpiresAt: now };
    await tolerate(traced.attachments.createAttachment(attachment, ['received'], { live: 5, total: 20 }, now));
    await tolerate(traced.attachments.settleAttachment('r1', 'a1', 'pending', { status: 'ready' }, { at: now, event: 'attachment_ready' }, now));
    await tolerate(traced.slots.bookSlot('r1', ['received'], { queue: 'general', start: '09:00', day: '2026-01-01', capacity: 2 }, {}, { at: now, event: 'scheduled' }, now));
    const entry = { requestId: 'r1', number: 'N-1', queue: 'general', type: 'technical', dueAt: now, createdAt: now, attempt: 1, phone: '+79990001122', description: 'x', questions: [] };
    await tolerate(traced.slots.enqueue(entry, 'token-1'));
    await traced.requests.transition('r1', ['received'], { status: 'cancelled' }, { at: now, event: 'cancelled' }, now);

    const methods = new Set(seen.map((s) => s.method));
    expect(methods.size).toBeGreaterThanOrEqual(28);
    for (const { method, kind, partition } of seen) {
      const [part, name] = method.split('.') as [keyof typeof STORE_ACCESS, string];
      const declared = (STORE_ACCESS[part] as Record<string, StoreAccess>)[name]![kind];
      expect(familiesOf(partition).some((f) => declared.includes(f)), `${method} ${kind} ${partition}: declared ${declared.join(', ') || 'none'}`).toBe(true);
    }
  });
});
