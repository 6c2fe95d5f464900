/**
 * Where the time of `POST /v1/requests` goes (docs/operations.md, "The fourth round"): 200 creates
 * as the bench's latency row makes them, each DynamoDB command timed by its name while a create is
 * in flight (so the intake calls that run meanwhile are counted too), with the intakes running
 * (`live`) or held (`held`: the workflow port a no-op). `npx tsx test/bench/profile-create.ts`;
 * `MODES=live,held,live` (the default) and `N` (200) shape it.
 */
import { handler as requestsHandler } from '#functions/http/requests';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { provideDeps } from '#functions/deps';
import { writtenRequest } from '../support/fixtures.ts';
import { benchSystem } from './bench-system.ts';
import { REQUESTS_PER_CITIZEN, citizens } from './citizens.ts';
const context = { getRemainingTimeInMillis: () => 10_000 } as never;
const event = (sub: string, body: unknown) => ({ version: '2.0', routeKey: 'POST /v1/requests', rawPath: '/', headers: { 'content-type': 'application/json' }, requestContext: { requestId: 'b', authorizer: { jwt: { claims: { sub, roles: '[citizen]' }, scopes: null } } }, body: JSON.stringify(body), isBase64Encoded: false }) as never;
const system = await benchSystem('prof-create', async (e) => requestTasks(e as never, context));
const { deps, workflows } = system;
const ops: Record<string, number[]> = {};
let inCreate = false;
system.dynamo.client.middlewareStack.add((next, ctx) => async (args) => {
  const t = performance.now();
  try { return await next(args); } finally { if (inCreate) (ops[(ctx as { commandName: string }).commandName] ??= []).push(performance.now() - t); }
}, { step: 'initialize', name: 'prof' });
const pct = (v: number[], p: number) => { const s = [...v].sort((a, b) => a - b); return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 10) / 10; };
const N = Number(process.env.N ?? 200);
for (const mode of (process.env.MODES ?? 'live,held,live').split(',')) {
  const filers = await citizens(deps, `p-${mode}-${Math.random().toString(36).slice(2, 6)}`, Math.ceil(N / (REQUESTS_PER_CITIZEN - 1)));
  if (mode === 'held') provideDeps({ workflows: { start: async () => undefined, sendTaskSuccess: async () => false, sendTaskFailure: async () => false } as never });
  else provideDeps({ workflows });
  for (const k of Object.keys(ops)) delete ops[k];
  const total: number[] = [];
  for (let i = 0; i < N; i += 1) {
    const f = filers[i % filers.length]!;
    inCreate = true;
    const t = performance.now();
    const out = await requestsHandler(event(f.sub, writtenRequest({ identity: f.identity })), context) as { statusCode: number; body: string };
    total.push(performance.now() - t);
    inCreate = false;
    if (out.statusCode !== 202) throw new Error(out.body);
  }
  await workflows.idle();
  console.log(mode, 'total p50/p99', pct(total, 50), pct(total, 99), Object.entries(ops).map(([k, v]) => `${k} n=${v.length} p50=${pct(v, 50)} p99=${pct(v, 99)}`).join('; '));
}
await system.stop();
process.exit(0);
