import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { localDynamoClient } from '#infra/local/dynamodb-local';
import { signLocalToken } from '#infra/local/jwt-keys';
import { LOCAL_TABLE_NAME } from '#infra/local/runtime';
import { citizenPhone } from '../bench/citizens.ts';
import { answeredCallBody, identity, writtenRequest } from '../support/fixtures.ts';
import { loadClient } from './load-http.ts';

/**
 * A bounded load on the local runtime, loopback only: many citizens file written and callback
 * requests, comment and poll; operators answer and call back. It stops by itself after a fixed
 * number of citizens or its time limit, and returns what it saw plus latency figures.
 *
 * Each citizen is distinct, with a phone of their own, and stays far inside the per-citizen limits
 * (10 new requests a day, 3 open callbacks, 20 comments an hour): 2 requests, 1 callback, 1 comment.
 */
export interface LoadOptions {
  url: string;
  dynamoEndpoint: string;
  citizens: number;
  /** The first citizens warm the runtime up (node's JIT, DynamoDB Local's JVM): `steady` leaves them out. */
  warmUpCitizens: number;
  concurrency: number;
  timeLimitMs: number;
}

/** Calls per second and latency over a stretch of the run. */
export interface LoadFigures {
  requests: number;
  durationMs: number;
  throughputPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadResult extends LoadFigures {
  /**
   * From the moment the first citizen after the warm-up starts until the last citizen is done: the
   * runtime warm, citizens and operators at work together (the operators' tail, answering the last
   * requests on an otherwise idle runtime, is left out too). Null when the run has no such stretch.
   */
  steady: (LoadFigures & { fromCitizen: number }) | null;
  statuses: Record<string, number>;
  accepted: { id: string; channel: string; userId: string }[];
  unfinished: string[];
  overbookedSlots: string[];
  duplicateSms: string[];
  serverErrors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** The calls that started within [from, to) (ms since the run began), over that stretch. */
function figures(calls: { startedMs: number; ms: number }[], from: number, to: number): LoadFigures {
  const within = calls.filter((c) => c.startedMs >= from && c.startedMs < to);
  const sorted = within.map((c) => c.ms).sort((a, b) => a - b);
  const durationMs = Math.max(1, Math.round(to - from));
  const round = (n: number) => Math.round(n * 10) / 10;
  return { requests: within.length, durationMs, throughputPerSecond: round((within.length / durationMs) * 1000), p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const started = Date.now();
  const deadline = started + options.timeLimitMs;
  const origin = performance.now();
  const calls: { startedMs: number; ms: number }[] = [];
  let steadyFrom: number | undefined;
  let citizensDoneAt = 0;
  const statuses: Record<string, number> = {};
  const accepted: LoadResult['accepted'] = [];
  /** Written requests no answer has been taken for yet: the operators' work list. */
  const unanswered = new Set<string>();
  let serverErrors = 0;
  const client = loadClient(options.url);

  const timed = async (method: string, path: string, token: string, body?: unknown) => {
    const t = performance.now();
    const reply = await client.send(method, path, { token, ...(body === undefined ? {} : { body }) });
    calls.push({ startedMs: t - origin, ms: performance.now() - t });
    statuses[reply.status] = (statuses[reply.status] ?? 0) + 1;
    if (reply.status >= 500) serverErrors += 1;
    return reply;
  };
  const sleepUntil = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // One token per caller, as a portal session holds it: signing is the driver's work, not the API's,
  // and it shares the machine's cores with the runtime it measures.
  const tokens = new Map<string, Promise<string>>();
  const tokenOf = (sub: string, role: string) => {
    let token = tokens.get(sub);
    if (!token) tokens.set(sub, (token = signLocalToken(sub, [role])));
    return token;
  };
  const admin = await tokenOf('load-admin', 'admin');
  const operator = await tokenOf('load-operator', 'operator');

  const citizen = async (n: number) => {
    if (n === options.warmUpCitizens) steadyFrom = performance.now() - origin;
    const sub = `load-citizen-${n}`;
    const token = await tokenOf(sub, 'citizen');
    const phone = citizenPhone(n);
    await timed('PUT', `/v1/admin/profiles/${sub}`, admin, identity({ phone }));
    const written = await timed('POST', '/v1/requests', token, writtenRequest({ identity: identity({ phone }) }));
    if (written.status === 202) {
      accepted.push({ id: written.json?.id as string, channel: 'written', userId: sub });
      unanswered.add(written.json?.id as string);
    }
    const callback = await timed('POST', '/v1/requests', token, {
      channel: 'callback',
      type: n % 2 === 0 ? 'technical' : 'consultation',
      identity: identity({ phone }),
      callback: { phone: '+7 495 123-45-67', description: `Нагрузочный звонок ${n}` },
    });
    if (callback.status === 202) accepted.push({ id: callback.json?.id as string, channel: 'callback', userId: sub });
    // Poll like a portal page would, then comment while the written request is open.
    for (let i = 0; i < 20 && Date.now() < deadline; i += 1) {
      const r = await timed('GET', `/v1/requests/${written.json?.id as string}`, token);
      if (r.json?.status !== 'received') break;
      await sleepUntil(50);
    }
    await timed('POST', `/v1/requests/${written.json?.id as string}/comments`, token, { text: `Комментарий ${n}` });
    await timed('GET', '/v1/requests?limit=5', token);
  };

  // Operators work the queues and answer written requests until every request is final. Each
  // written request is answered until one answer is taken (a 409 while its intake has not yet
  // registered it is tried again); an answered one is not sent again, as no operator would.
  const final = new Set(['answered', 'completed', 'needs_info', 'missed', 'cancelled']);
  let citizensDone = false;
  const operators = async () => {
    while (Date.now() < deadline) {
      let worked = 0;
      for (const queue of ['tech-support', 'consultations']) {
        const list = await timed('GET', `/v1/ops/queues/${queue}?limit=50`, operator);
        for (const entry of (list.json?.items as { requestId: string }[] | undefined) ?? []) {
          const reply = await timed('POST', '/v1/ops/calls', operator, answeredCallBody(entry.requestId));
          if (reply.status === 201) worked += 1;
        }
      }
      for (const id of [...unanswered]) {
        const reply = await timed('POST', `/v1/ops/requests/${id}/answer`, operator, { text: 'Ответ оператора' });
        if (reply.status === 200) {
          worked += 1;
          unanswered.delete(id);
        }
      }
      if (citizensDone && worked === 0 && (await allFinal())) return;
      await sleepUntil(100);
    }
  };
  const statusOf = async (a: LoadResult['accepted'][number]) =>
    (await client.send('GET', `/v1/requests/${a.id}`, { token: await tokenOf(a.userId, 'citizen') })).json?.status as string;
  const allFinal = async () => (await Promise.all(accepted.map(statusOf))).every((s) => final.has(s));

  const ops = operators();
  let next = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < options.citizens && Date.now() < deadline) {
        const n = next;
        next += 1;
        await citizen(n);
      }
    }),
  );
  citizensDone = true;
  citizensDoneAt = performance.now() - origin;
  await ops;
  const durationMs = Date.now() - started;

  const unfinished: string[] = [];
  for (const a of accepted) {
    const status = await statusOf(a);
    if (!final.has(status)) unfinished.push(`${a.channel} ${a.id}: ${status}`);
  }

  // Straight from the table: no slot holds more than its capacity, no request event texted twice.
  const dynamo = localDynamoClient(options.dynamoEndpoint);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await dynamo.send(new ScanCommand({ TableName: LOCAL_TABLE_NAME, ExclusiveStartKey: start as never }));
    items.push(...(out.Items ?? []).map((i) => unmarshall(i)));
    start = out.LastEvaluatedKey as Record<string, unknown> | undefined;
  } while (start);
  const capacity: Record<string, number> = { 'tech-support': 4, consultations: 3 };
  const overbookedSlots = items
    .filter((i) => i.kind === 'slot' && Number(i.booked) > (capacity[String(i.PK).split('#')[1] as string] ?? 0))
    .map((i) => `${String(i.PK)} ${String(i.SK)}: ${String(i.booked)}`);
  const outbox = (await client.send('GET', '/_local/outbox')).json?.items as { to: string; text: string }[];
  const seen = new Map<string, number>();
  for (const m of outbox) seen.set(`${m.to} ${m.text}`, (seen.get(`${m.to} ${m.text}`) ?? 0) + 1);
  const duplicateSms = [...seen].filter(([, count]) => count > 1).map(([key]) => key);

  client.close();
  return {
    ...figures(calls, 0, durationMs),
    steady: steadyFrom === undefined || citizensDoneAt <= steadyFrom ? null : { fromCitizen: options.warmUpCitizens, ...figures(calls, steadyFrom, citizensDoneAt) },
    statuses,
    accepted,
    unfinished,
    overbookedSlots,
    duplicateSms,
    serverErrors,
  };
}
