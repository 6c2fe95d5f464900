import type { APIGatewayProxyEventV2WithJWTAuthorizer, Context } from 'aws-lambda';
import { handler as requestsHandler } from '#functions/http/requests';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { waitFor } from '#infra/local/free-port';
import { writtenRequest } from '../support/fixtures.ts';
import { benchSystem } from './bench-system.ts';
import { REQUESTS_PER_CITIZEN, citizens } from './citizens.ts';

/**
 * A burst: 8 citizens file 10 written requests each, all 80 at once, through the warm
 * `POST /v1/requests` handler, and the clock runs until every one of them has left `received`
 * (its intake run verified it). 10 each is the per-citizen daily limit, so the burst stays legal.
 */
export const BURST = { citizens: 8, perCitizen: REQUESTS_PER_CITIZEN };

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<{ statusCode?: number; body?: string }>;

function post(sub: string, body: unknown): APIGatewayProxyEventV2WithJWTAuthorizer {
  return {
    version: '2.0',
    routeKey: 'POST /v1/requests',
    rawPath: '/v1/requests',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'bench-burst', authorizer: { jwt: { claims: { sub, roles: '[citizen]' }, scopes: null } } },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export async function burst(): Promise<{ requests: number; allAcceptedMs: number; allPastReceivedMs: number }> {
  const system = await benchSystem('bench-burst', (event) => requestTasks(event as never, {} as never));
  try {
    const people = await citizens(system.deps, 'bench-burst', BURST.citizens);
    const context = { getRemainingTimeInMillis: () => 10_000 } as Context;
    const started = performance.now();
    const replies = await Promise.all(
      people.flatMap((p) => Array.from({ length: BURST.perCitizen }, () => (requestsHandler as Handler)(post(p.sub, writtenRequest({ identity: p.identity })), context))),
    );
    const allAcceptedMs = performance.now() - started;
    const refused = replies.filter((r) => r.statusCode !== 202);
    if (refused.length > 0) throw new Error(`burst: ${refused.length} of ${replies.length} not accepted, e.g. ${refused[0]?.statusCode} ${refused[0]?.body}`);
    const ids = replies.map((r) => (JSON.parse(r.body ?? '{}') as { id: string }).id);
    let pending = ids;
    await waitFor(
      async () => {
        const statuses = await Promise.all(pending.map(async (id) => ({ id, status: (await system.deps.requests.getRequest(id))?.status })));
        pending = statuses.filter((s) => s.status === 'received' || s.status === undefined).map((s) => s.id);
        return pending.length === 0;
      },
      'every burst request past received',
      120_000,
      25,
    );
    return { requests: ids.length, allAcceptedMs: Math.round(allAcceptedMs), allPastReceivedMs: Math.round(performance.now() - started) };
  } finally {
    await system.workflows.idle();
    await system.stop();
  }
}
