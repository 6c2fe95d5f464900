import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { type MemoryMetrics, memoryMetrics } from '#adapters/memory/memory-metrics';
import { systemClock } from '#adapters/system';
import type { HttpFunction } from '#http/routes';
import { FUNCTIONS, type FunctionId, type ScheduledFunction, type TaskFunction } from '../functions.ts';
import { type DynamoDbLocal, LOCAL_CREDENTIALS, LOCAL_REGION, ensureTable, startDynamoDbLocal } from './dynamodb-local.ts';
import { localVerifyKey, signLocalToken } from './jwt-keys.ts';
import { type LocalObjectStore, type ObjectCreatedEvent, startLocalObjectStore } from './object-store.ts';
import { resolveFromRepo } from './local-paths.ts';
import { Outbox } from './outbox.ts';
import { localSignIn } from './sign-in.ts';
import { ensureWebBuild, webFiles } from './web-app.ts';
import { localWebHeaders } from '../web-security-headers.ts';
import { type HttpHandler, createLocalServer } from './server.ts';
import { WORKFLOWS } from '../workflows.ts';
import type { WorkflowName } from '#ports/workflows';
import { LocalWorkflows, type TaskHandler } from './workflow-runner.ts';
import { clockRoute, localClock } from './local-clock.ts';

/**
 * The whole system on one machine: DynamoDB Local, the attachments bucket (s3rver), the state
 * machines, the SMS outbox and the HTTP API, wired to the same handler modules Lambda runs. `npm start` (main.ts), the e2e tests
 * and the bench all start it through here.
 */
export interface RuntimeOptions {
  port: number;
  host?: string;
  dataDir?: string;
  waitScale: number;
  corsOrigins?: string[];
  /** Build (when stale) and serve the web app at `/` and `/ops/`; `npm start` does, the bench does not. */
  webApp?: boolean;
  /** Where progress lines go (the web app's build). */
  log?: (line: string) => void;
}

export interface LocalRuntime {
  url: string;
  outbox: Outbox;
  metrics: MemoryMetrics;
  /** What the reconciler did at start (resuming the runs the previous process left unfinished). */
  startReconcile: Record<string, number>;
  /** Runs the reconciler now, as its schedule does. */
  reconcile(): Promise<Record<string, number>>;
  workflows: LocalWorkflows;
  dynamo: DynamoDbLocal;
  objects: LocalObjectStore;
  stop(): Promise<void>;
}

/** Each metric's sum so far, by name: what CloudWatch would graph. */
function metricTotals(metrics: MemoryMetrics): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const m of metrics.recorded) totals[m.name] = (totals[m.name] ?? 0) + m.value;
  return totals;
}

export const LOCAL_TABLE_NAME = 'support-center-local';
export const LOCAL_BUCKET_NAME = 'support-center-attachments';

function identityKey(dataDir: string | undefined): string {
  if (!dataDir) return randomBytes(32).toString('hex');
  const file = join(dataDir, 'identity-hash.key');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
  }
  return readFileSync(file, 'utf8').trim();
}

async function loadHandler(fn: FunctionId): Promise<(event: unknown, context: Context) => Promise<unknown>> {
  const mod = (await import(resolveFromRepo(FUNCTIONS[fn].entry))) as { handler?: (event: unknown, context: Context) => Promise<unknown> };
  if (typeof mod.handler !== 'function') throw new Error(`${FUNCTIONS[fn].entry} exports no handler`);
  return mod.handler;
}

function taskContext(fn: string): Context {
  return { functionName: `support-center-local-${fn}`, awsRequestId: 'local', getRemainingTimeInMillis: () => 30_000 } as Context;
}

export async function startLocalRuntime(options: RuntimeOptions): Promise<LocalRuntime> {
  // Every workflow run from before this instant died with the previous process (runs live in memory).
  const startedAt = new Date().toISOString();
  const dynamo = await startDynamoDbLocal(options.dataDir ? { dataDir: join(options.dataDir, 'dynamodb') } : {});
  let objects: LocalObjectStore | undefined;
  try {
    await ensureTable(dynamo.client, LOCAL_TABLE_NAME);
    // Object Created → the workflows the cloud's EventBridge rule starts (WORKFLOWS `trigger`); the
    // runner exists only below, and no upload can arrive before the API listens.
    let objectCreated: (event: ObjectCreatedEvent) => void = () => undefined;
    objects = await startLocalObjectStore({
      bucket: LOCAL_BUCKET_NAME,
      ...(options.dataDir ? { directory: join(options.dataDir, 's3') } : {}),
      ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
      onObjectCreated: (event) => objectCreated(event),
    });
    // The handlers build their SDK clients from these, exactly as in Lambda.
    Object.assign(process.env, {
      TABLE_NAME: LOCAL_TABLE_NAME,
      ATTACHMENTS_BUCKET: LOCAL_BUCKET_NAME,
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_S3: objects.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      IDENTITY_HASH_KEY: identityKey(options.dataDir),
      POWERTOOLS_SERVICE_NAME: 'support-center-local',
    });
    const { calendarFromEnv, profilesFromEnv, provideDeps } = await import('#functions/deps');
    // First start of a data directory: the centre's calendar is seeded from the defaults (with
    // CENTRE_CONFIG's fields), so a fresh `npm start` books as before; later starts keep what is stored.
    await calendarFromEnv().seedCalendar(startedAt);
    if (options.webApp) await ensureWebBuild(options.log);
    const outbox = new Outbox(systemClock, options.dataDir ? join(options.dataDir, 'outbox.jsonl') : undefined);

    const taskHandlers: Partial<Record<TaskFunction, TaskHandler>> = {};
    const httpHandlers = {} as Record<HttpFunction, HttpHandler>;
    const scheduled: { fn: ScheduledFunction; everyMinutes: number; run: (event: unknown) => Promise<unknown> }[] = [];
    for (const fn of Object.keys(FUNCTIONS) as FunctionId[]) {
      const handler = await loadHandler(fn);
      const everyMinutes = FUNCTIONS[fn].everyMinutes;
      if (everyMinutes !== undefined) scheduled.push({ fn: fn as ScheduledFunction, everyMinutes, run: (event) => handler(event, taskContext(fn)) });
      else if (FUNCTIONS[fn].entry.startsWith('functions/tasks/')) taskHandlers[fn as TaskFunction] = (event) => handler(event, taskContext(fn));
      else httpHandlers[fn as HttpFunction] = handler as HttpHandler;
    }
    const workflows = new LocalWorkflows({
      taskHandlers,
      dynamo: dynamo.client,
      sms: outbox,
      tableName: LOCAL_TABLE_NAME,
      waitScale: options.waitScale,
      onFailure: (run) => process.stderr.write(`workflow ${run.workflow} ${run.name} failed: ${run.error ?? 'unknown'}\n`),
    });
    // Metrics stay in memory locally (GET /_local/metrics) instead of EMF lines on stdout.
    const metrics = memoryMetrics();
    // The one clock every handler reads locally: the real time, unless a test moved it (POST /_local/clock).
    const clock = localClock(systemClock);
    provideDeps({ workflows, sms: outbox, metrics, clock });
    const triggered = (Object.keys(WORKFLOWS) as WorkflowName[]).filter((w) => WORKFLOWS[w].trigger === 'attachments:objectCreated');
    objectCreated = (event) => {
      for (const workflow of triggered) {
        workflows.start(workflow, `${event.detail.object.key.replace(/[^A-Za-z0-9-]/g, '-')}-${event.id}`, event as unknown as Record<string, unknown>).catch((error: unknown) => {
          process.stderr.write(`workflow ${workflow} did not start: ${(error as Error).message}\n`);
        });
      }
    };

    // The local sign-in reads profiles from the table and creates them through the admin route.
    const profiles = profilesFromEnv();
    let selfUrl = '';
    const signIn = (body: unknown) =>
      localSignIn(body, {
        getProfile: (userId) => profiles.getProfile(userId),
        async putProfile(userId, citizen) {
          const { phoneE164: _e164, ...profile } = citizen;
          const res = await fetch(`${selfUrl}/v1/admin/profiles/${encodeURIComponent(userId)}`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${await signLocalToken('local-sign-in', ['admin'], 60)}`, 'content-type': 'application/json' },
            body: JSON.stringify(profile),
          });
          await res.arrayBuffer();
          return res.status;
        },
      });
    const server: Server = createLocalServer({
      handlers: httpHandlers,
      verifyKey: await localVerifyKey(),
      corsOrigins: options.corsOrigins,
      ...(options.webApp ? { staticFiles: webFiles(localWebHeaders(objects.endpoint)) } : {}),
      extra: async (method, url, body) => {
        if (method === 'POST' && url.pathname === '/_local/sign-in') return signIn(await body());
        if (method === 'GET' && url.pathname === '/health') return { status: 200, body: { status: 'ok' } };
        if (method === 'GET' && url.pathname === '/_local/outbox') return { status: 200, body: { items: outbox.list(url.searchParams.get('to') ?? undefined) } };
        if (method === 'GET' && url.pathname === '/_local/metrics') return { status: 200, body: { totals: metricTotals(metrics) } };
        return clockRoute(clock, method, url);
      },
    });
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, host, () => resolve());
    });
    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : options.port;
    selfUrl = `http://${host}:${port}`;
    // The schedule of the cloud, played by timers; the first run at start resumes what the last process left.
    const runScheduled = async (event: unknown) => {
      const results: Record<string, number> = {};
      for (const job of scheduled) Object.assign(results, (await job.run(event)) as Record<string, number>);
      return results;
    };
    const startReconcile = await runScheduled({ orphanedBefore: startedAt });
    const timers = scheduled.map((job) =>
      setInterval(() => {
        job.run({}).catch((error: unknown) => process.stderr.write(`${job.fn} failed: ${(error as Error).message}\n`));
      }, job.everyMinutes * 60_000).unref(),
    );
    return {
      url: `http://${host}:${port}`,
      outbox,
      metrics,
      startReconcile,
      reconcile: () => runScheduled({}),
      workflows,
      dynamo,
      objects,
      async stop() {
        for (const timer of timers) clearInterval(timer);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await workflows.stop();
        await objects?.stop();
        await dynamo.stop();
      },
    };
  } catch (error) {
    await objects?.stop();
    await dynamo.stop();
    throw error;
  }
}
