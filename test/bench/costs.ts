import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { handler as notificationsHandler } from '#functions/http/notifications';
import { handler as opsHandler } from '#functions/http/ops';
import { handler as requestsHandler } from '#functions/http/requests';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { waitFor } from '#infra/local/free-port';
import { COST_GOALS, PRICES } from '#infra/prices';
import { provideDeps } from '#functions/deps';
import { answeredCallBody, writtenRequest } from '../support/fixtures.ts';
import { benchSystem } from './bench-system.ts';
import { REQUESTS_PER_CITIZEN, citizens } from './citizens.ts';

/**
 * Latency of the hot routes (warm handlers against DynamoDB Local), DynamoDB capacity per call
 * (ReturnConsumedCapacity on every command), and the cost of 1,000 written requests and 1,000
 * callbacks from the counted work of one of each, priced with infra/prices.ts.
 */
type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<{ statusCode?: number; body?: string }>;

interface Meter {
  rcu: number;
  wcu: number;
  calls: number;
}

/** Asks DynamoDB for the capacity of every command and adds it up. */
function meter(client: DynamoDBClient): Meter {
  const m: Meter = { rcu: 0, wcu: 0, calls: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      m.calls += 1;
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as { ReadCapacityUnits?: number; WriteCapacityUnits?: number; CapacityUnits?: number }[]) {
        m.rcu += c.ReadCapacityUnits ?? 0;
        m.wcu += c.WriteCapacityUnits ?? 0;
        if (c.ReadCapacityUnits === undefined && c.WriteCapacityUnits === undefined) m.rcu += c.CapacityUnits ?? 0;
      }
      return out;
    },
    { step: 'initialize', name: 'benchCapacityMeter' },
  );
  return m;
}

function event(routeKey: string, sub: string, roles: string, init: { body?: unknown; params?: Record<string, string>; query?: Record<string, string> } = {}) {
  return {
    version: '2.0',
    routeKey,
    rawPath: '/',
    headers: { 'content-type': 'application/json' },
    ...(init.params ? { pathParameters: init.params } : {}),
    ...(init.query ? { queryStringParameters: init.query } : {}),
    requestContext: { requestId: 'bench', authorizer: { jwt: { claims: roles === '[operator]' ? { sub, roles, scope: 'support-center/operator', queues: '[*]' } : { sub, roles }, scopes: null } } },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

const context = { getRemainingTimeInMillis: () => 10_000 } as Context;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) * 10) / 10;
}

/**
 * The creates filed before the timed ones, reported in a row of their own: the first calls of a
 * fresh process pay for the JIT of node and of DynamoDB Local's JVM, which a warm Lambda in front of
 * DynamoDB never pays again. Their intakes are still running when the timed creates start, so those
 * share the cores with intakes exactly as before.
 */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 100);
/** The warm-up's own row: what the first creates of a fresh process took. */
export const FIRST_CREATES = `POST /v1/requests, the first ${WARM_UP} of a fresh process`;

export async function costsAndLatency(samples = 200) {
  let taskInvocations = 0;
  let taskMs = 0;
  const system = await benchSystem('bench-costs', async (e) => {
    const t = performance.now();
    try {
      return await requestTasks(e as never, context);
    } finally {
      taskInvocations += 1;
      taskMs += performance.now() - t;
    }
  });
  const { deps, workflows } = system;
  const m = meter(system.dynamo.client);
  try {
    // The samples (warm-up and timed) are spread over citizens so that none goes past the
    // per-citizen limits (10 new requests a day); `user` files the costed requests below (3 in all).
    const [user, ...filers] = await citizens(deps, 'bench-user', 1 + Math.ceil((WARM_UP + samples) / (REQUESTS_PER_CITIZEN - 1)));
    if (!user) throw new Error('no bench citizen');
    const owner = (i: number) => filers[i % filers.length] as typeof user;

    // Latency of warm handlers: create, get, list.
    const timings: Record<string, number[]> = { [FIRST_CREATES]: [], 'POST /v1/requests': [], 'GET /v1/requests/{id}': [], 'GET /v1/requests': [] };
    const timed = async (name: string, h: Handler, e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
      const t = performance.now();
      const out = await h(e, context);
      timings[name]?.push(performance.now() - t);
      return out;
    };
    const ids: { id: string; sub: string }[] = [];
    for (let i = 0; i < WARM_UP + samples; i += 1) {
      const { sub, identity } = owner(i);
      const out = await timed(i < WARM_UP ? FIRST_CREATES : 'POST /v1/requests', requestsHandler as Handler, event('POST /v1/requests', sub, '[citizen]', { body: writtenRequest({ identity }) }));
      if (out.statusCode !== 202) throw new Error(`POST /v1/requests answered ${out.statusCode}: ${out.body}`);
      if (i >= WARM_UP) ids.push({ id: (JSON.parse(out.body ?? '{}') as { id: string }).id, sub });
    }
    for (const { id, sub } of ids) await timed('GET /v1/requests/{id}', requestsHandler as Handler, event('GET /v1/requests/{id}', sub, '[citizen]', { params: { id } }));
    for (let i = 0; i < samples; i += 1) await timed('GET /v1/requests', requestsHandler as Handler, event('GET /v1/requests', owner(i).sub, '[citizen]', { query: { limit: '20' } }));
    // Capacity of one call of each route, alone: the workflows are held (a no-op port) so that
    // nothing a call starts is counted with it.
    await workflows.idle();
    provideDeps({ workflows: { start: async () => undefined, sendTaskSuccess: async () => false, sendTaskFailure: async () => false } });
    const capacity: Record<string, { rcu: number; wcu: number }> = {};
    const probe = async (name: string, h: Handler, e: APIGatewayProxyEventV2WithJWTAuthorizer) => {
      const before = { rcu: m.rcu, wcu: m.wcu };
      const out = await h(e, context);
      capacity[name] = { rcu: Math.round((m.rcu - before.rcu) * 10) / 10, wcu: Math.round((m.wcu - before.wcu) * 10) / 10 };
      return out;
    };
    const probed = JSON.parse((await probe('POST /v1/requests', requestsHandler as Handler, event('POST /v1/requests', user.sub, '[citizen]', { body: writtenRequest({ identity: user.identity }) }))).body ?? '{}') as { id: string };
    await probe('GET /v1/requests/{id}', requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id: probed.id } }));
    await probe('GET /v1/requests', requestsHandler as Handler, event('GET /v1/requests', user.sub, '[citizen]', { query: { limit: '20' } }));
    provideDeps({ workflows });
    const latency = Object.entries(timings).map(([route, values]) => ({
      route,
      p50Ms: percentile(values, 50),
      p99Ms: percentile(values, 99),
      samples: values.length,
      ...(route === 'POST /v1/requests' ? { afterWarmUp: WARM_UP } : {}),
      ...(capacity[route] ? { rcuPerCall: capacity[route].rcu, wcuPerCall: capacity[route].wcu } : {}),
    }));

    // The counted work of one written request, from filing to the answer's SMS.
    const measure = async (name: string, run: () => Promise<{ http: number; httpMs: number }>) => {
      await waitFor(async () => workflows.executions().every((e) => e.status !== 'RUNNING' || e.workflow === 'callback'), 'quiet workflows', 60_000);
      const before = { ...m, taskInvocations, taskMs, runs: workflows.executions().length };
      const { http, httpMs } = await run();
      const runs = workflows.executions().slice(before.runs);
      return {
        name,
        httpCalls: http,
        lambdaInvocations: http + (taskInvocations - before.taskInvocations),
        lambdaMs: httpMs + (taskMs - before.taskMs),
        standardTransitions: runs.filter((r) => r.workflow === 'callback' || r.workflow === 'confirmation').reduce((n, r) => n + r.states.length, 0),
        expressRuns: runs.filter((r) => r.workflow === 'intake' || r.workflow === 'notice').length,
        rcu: m.rcu - before.rcu,
        wcu: m.wcu - before.wcu,
        dynamoCalls: m.calls - before.calls,
      };
    };
    const http = async (h: Handler, e: APIGatewayProxyEventV2WithJWTAuthorizer, acc: { http: number; httpMs: number }) => {
      const t = performance.now();
      const out = await h(e, context);
      acc.http += 1;
      acc.httpMs += performance.now() - t;
      return JSON.parse(out.body ?? '{}') as Record<string, unknown>;
    };
    const written = await measure('written request', async () => {
      const acc = { http: 0, httpMs: 0 };
      const created = await http(requestsHandler as Handler, event('POST /v1/requests', user.sub, '[citizen]', { body: writtenRequest({ identity: user.identity }) }), acc);
      const id = created.id as string;
      await waitFor(async () => workflows.execution('intake', id)?.status === 'SUCCEEDED', 'intake');
      for (let i = 0; i < 3; i += 1) await http(requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id } }), acc);
      await http(opsHandler as Handler, event('POST /v1/ops/requests/{id}/answer', 'op', '[operator]', { params: { id }, body: { text: 'Ответ' } }), acc);
      await waitFor(async () => workflows.execution('notice', `${id}-answered`)?.status === 'SUCCEEDED', 'notice');
      await http(requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id } }), acc);
      return acc;
    });
    // The conversation the workspace exists for: one question, one reply, then the answer, with
    // the citizen reading their notifications once (3 notices: registered, comment, answered).
    const conversation = await measure('written request, 1 question + 1 reply', async () => {
      const acc = { http: 0, httpMs: 0 };
      const created = await http(requestsHandler as Handler, event('POST /v1/requests', user.sub, '[citizen]', { body: writtenRequest({ identity: user.identity }) }), acc);
      const id = created.id as string;
      await waitFor(async () => workflows.execution('intake', id)?.status === 'SUCCEEDED', 'intake');
      for (let i = 0; i < 3; i += 1) await http(requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id } }), acc);
      await http(opsHandler as Handler, event('GET /v1/ops/inbox/{queue}', 'op', '[operator]', { params: { queue: 'tech-support' }, query: { limit: '20' } }), acc);
      await http(opsHandler as Handler, event('GET /v1/ops/requests/{id}', 'op', '[operator]', { params: { id } }), acc);
      const question = await http(opsHandler as Handler, event('POST /v1/ops/requests/{id}/comments', 'op', '[operator]', { params: { id }, body: { text: 'Уточните модель телефона' } }), acc);
      await waitFor(async () => workflows.execution('notice', `${id}-comment-${String(question.id)}`)?.status === 'SUCCEEDED', 'comment notice');
      await http(requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id } }), acc);
      await http(requestsHandler as Handler, event('POST /v1/requests/{id}/comments', user.sub, '[citizen]', { params: { id }, body: { text: 'Xiaomi, Android 14' } }), acc);
      await http(opsHandler as Handler, event('GET /v1/ops/requests/{id}', 'op', '[operator]', { params: { id } }), acc);
      await http(opsHandler as Handler, event('POST /v1/ops/requests/{id}/answer', 'op', '[operator]', { params: { id }, body: { text: 'Ответ' } }), acc);
      await waitFor(async () => workflows.execution('notice', `${id}-answered`)?.status === 'SUCCEEDED', 'notice');
      await http(requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id } }), acc);
      await http(notificationsHandler as Handler, event('GET /v1/notifications', user.sub, '[citizen]', { query: { limit: '20' } }), acc);
      return acc;
    });
    const callback = await measure('callback', async () => {
      const acc = { http: 0, httpMs: 0 };
      const body = { channel: 'callback', type: 'technical', identity: user.identity, callback: { phone: '+7 495 123-45-67', description: 'x' } };
      const id = (await http(requestsHandler as Handler, event('POST /v1/requests', user.sub, '[citizen]', { body }), acc)).id as string;
      await waitFor(async () => (await deps.slots.listQueue('tech-support', 200)).some((e) => e.requestId === id), 'queued');
      for (let i = 0; i < 3; i += 1) await http(requestsHandler as Handler, event('GET /v1/requests/{id}', user.sub, '[citizen]', { params: { id } }), acc);
      await http(opsHandler as Handler, event('GET /v1/ops/queues/{queue}', 'op', '[operator]', { params: { queue: 'tech-support' } }), acc);
      await http(opsHandler as Handler, event('POST /v1/ops/calls', 'op', '[operator]', { body: answeredCallBody(id) }), acc);
      await waitFor(async () => workflows.execution('callback', id)?.status === 'SUCCEEDED', 'callback');
      return acc;
    });

    const price = (w: typeof written) => {
      const p = PRICES;
      const lambda = w.lambdaInvocations * (p.lambda.perMillionRequests / 1e6) + (w.lambdaMs / 1000) * p.lambda.memoryGb * p.lambda.perGbSecond;
      const api = w.httpCalls * (p.httpApi.perMillionRequests / 1e6);
      const sfn = w.standardTransitions * (p.stepFunctions.standardPerThousandTransitions / 1000) + w.expressRuns * (p.stepFunctions.expressPerMillionRequests / 1e6) + w.expressRuns * 0.1 * 0.0625 * p.stepFunctions.expressPerGbSecond;
      const ddb = w.wcu * (p.dynamodb.perMillionWriteUnits / 1e6) + w.rcu * (p.dynamodb.perMillionReadUnits / 1e6);
      return Math.round((lambda + api + sfn + ddb) * 1000 * 10000) / 10000;
    };
    const costs = [
      { ...written, usdPerThousand: price(written), goal: COST_GOALS.writtenPerThousand },
      { ...conversation, usdPerThousand: price(conversation), goal: COST_GOALS.conversationPerThousand },
      { ...callback, usdPerThousand: price(callback), goal: COST_GOALS.callbackPerThousand },
    ].map((c) => ({ ...c, lambdaMs: Math.round(c.lambdaMs), rcu: Math.round(c.rcu * 10) / 10, wcu: Math.round(c.wcu * 10) / 10, withinGoal: c.usdPerThousand < c.goal }));
    return { latency, costs };
  } finally {
    await system.stop();
  }
}
