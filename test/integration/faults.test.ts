import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { type MemoryMetrics, memoryMetrics } from '#adapters/memory/memory-metrics';
import { createAttachment } from '#core/attachments/attachments';
import { objectKeyOf } from '#core/attachments/model';
import { SmsSendError } from '#core/errors';
import { recordCall } from '#core/callbacks/record-call';
import { putProfile } from '#core/profiles/put-profile';
import { MAX_RESUMES } from '#core/reconcile/expectations';
import { reconcile } from '#core/reconcile/reconcile';
import { createRequest } from '#core/requests/create-request';
import type { SupportRequest } from '#core/requests/model';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#infra/local/dynamodb-local';
import { LocalWorkflows } from '#infra/local/workflow-runner';
import type { Deps } from '#ports/deps';
import type { SmsSender } from '#ports/sms';
import type { Stores } from '#ports/stores';
import { PROFILE_PHONE_E164, answeredCallBody, identity, writtenRequest, everyQueue } from '../support/fixtures.ts';
import { eventually, freshTable, realSystem } from '../support/integration.ts';
import { dynamoFaults, injectFaults } from '../support/sdk-faults.ts';

/**
 * Faults against the real ASL files and DynamoDB Local: each is retried with backoff where it is
 * transient; otherwise the Catch path records a named failure and a metric, and the reconciler
 * moves the request on. Nothing is lost and nothing is left where nothing would move it.
 */
class SwitchableSms implements SmsSender {
  sent: { to: string; text: string }[] = [];
  failing = 0;
  async send(to: string, text: string) {
    if (this.failing > 0) {
      this.failing -= 1;
      throw new SmsSendError('simulated SNS outage');
    }
    this.sent.push({ to, text });
  }
}

/** A task that throws `error` (by name) the next `times` times it is called as `task`. */
interface TaskFault {
  task: string;
  times: number;
  error: string;
}

type Handler = (event: unknown) => Promise<unknown>;

function faultyTasks(faults: TaskFault[]): Handler {
  return async (event) => {
    const fault = faults.find((f) => f.task === (event as { task: string }).task && f.times > 0);
    if (fault) {
      fault.times -= 1;
      throw Object.assign(new Error(`injected ${fault.error}`), { name: fault.error });
    }
    return requestTasks(event as never, {} as never);
  };
}

interface System {
  deps: Deps & { metrics: MemoryMetrics };
  /** The store of the runner's tasks (may be a faulty one); `deps`' parts are always the plain ones. */
  sms: SwitchableSms;
  workflows: LocalWorkflows;
  faults: TaskFault[];
  /** A new runner over the same table: the local runtime after a restart (every run gone). */
  restart(): LocalWorkflows;
}

async function system(
  options: { taskStore?: (client: DynamoDBClient, tableName: string) => Stores; outcomeTimeoutScale?: number; attachmentCheck?: Handler } = {},
): Promise<System> {
  const { client, tableName, store } = await freshTable();
  const sms = new SwitchableSms();
  const faults: TaskFault[] = [];
  const metrics = memoryMetrics();
  const makeRunner = () =>
    new LocalWorkflows({
      taskHandlers: { requestTasks: faultyTasks(faults), ...(options.attachmentCheck ? { attachmentCheck: options.attachmentCheck } : {}) },
      dynamo: client,
      sms,
      tableName,
      waitScale: 0,
      ...(options.outcomeTimeoutScale !== undefined ? { outcomeTimeoutScale: options.outcomeTimeoutScale } : {}),
    });
  const workflows = makeRunner();
  const deps = { ...store, sms, workflows, ...realSystem(), metrics };
  provideDeps({ ...deps, ...(options.taskStore ? options.taskStore(client, tableName) : {}) });
  await putProfile(deps, 'user-1', identity());
  const result: System = {
    deps,
    sms,
    workflows,
    faults,
    restart() {
      const fresh = makeRunner();
      result.workflows = fresh;
      deps.workflows = fresh;
      provideDeps({ workflows: fresh });
      return fresh;
    },
  };
  return result;
}

async function created(s: System, body = writtenRequest()): Promise<string> {
  return ((await createRequest(s.deps, 'user-1', body)).body as { id: string }).id;
}

async function settled(s: System, id: string, what: (r: SupportRequest) => boolean, label: string): Promise<SupportRequest> {
  return eventually(async () => {
    await s.workflows.idle();
    const r = await s.deps.requests.getRequest(id);
    return r && what(r) ? r : undefined;
  }, label);
}

/** The reconciler as its schedule runs it, at a given moment (the clock is the only thing faked). */
function reconcileAt(s: System, at: Date, orphanedBefore?: string) {
  return reconcile({ ...s.deps, clock: { now: () => at } }, orphanedBefore ? { orphanedBefore } : {});
}

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000);

function callbackBody() {
  return {
    channel: 'callback' as const,
    type: 'technical' as const,
    identity: identity(),
    callback: { phone: '+7 495 123-45-67', description: 'Не приходит СМС-код' },
  };
}

function unanswered(requestId: string) {
  const queuedAt = new Date(Date.now() - 120_000).toISOString();
  return { requestId, direction: 'outbound' as const, phone: '+74951234567', queuedAt, endedAt: new Date(Date.now() - 60_000).toISOString(), outcome: 'no_answer' as const };
}

const answered = (requestId: string) => answeredCallBody(requestId);

describe('faults in the intake workflow', () => {
  beforeEach(() => resetDeps());

  it('DynamoDB throttling beyond the SDK retries: the task fails by name, the state machine retries it, the request is registered once', async () => {
    // The tasks' store retries twice with tiny backoff; the next three transactional writes are throttled.
    let throttle: ReturnType<typeof injectFaults> | undefined;
    const s = await system({
      taskStore: (_, tableName) => {
        const client = new DynamoDBClient({
          endpoint: inject('dynamoEndpoint'),
          region: LOCAL_REGION,
          credentials: LOCAL_CREDENTIALS,
          maxAttempts: 2,
          retryStrategy: new ConfiguredRetryStrategy(2, () => 5),
        });
        throttle = injectFaults(client, { command: 'TransactWriteItemsCommand', fault: dynamoFaults.provisionedThroughputExceeded(), times: 3 });
        return dynamoStores(client, tableName);
      },
    });
    const id = await created(s);
    const r = await settled(s, id, (x) => x.status !== 'received', 'the request to leave received');
    expect(r.status).toBe('registered');
    expect(r.failure).toBeUndefined();
    // Route's write: 2 SDK attempts throttled (task fails), then the state machine's retry: 1 more throttled, 1 through.
    expect(throttle?.records.map((a) => a.outcome).slice(0, 4)).toEqual(['faulted', 'faulted', 'faulted', 'passed']);
    expect(s.workflows.execution('intake', id)?.states.filter((x) => x === 'Route')).toHaveLength(1);
    expect(s.workflows.execution('intake', id)?.status).toBe('SUCCEEDED');
    const timeline = (await s.deps.requests.getRequestDetail(id))?.timeline.map((e) => e.event);
    expect(timeline?.filter((e) => e === 'registered')).toHaveLength(1);
    expect(s.sms.sent).toHaveLength(1);
  });

  it('a task that throws a transient error twice is retried and the run succeeds', async () => {
    const s = await system();
    s.faults.push({ task: 'verifyIdentity', times: 2, error: 'InternalServerError' });
    const id = await created(s);
    expect((await settled(s, id, (x) => x.status !== 'received', 'registered')).status).toBe('registered');
    expect(s.faults[0]?.times).toBe(0);
    expect(s.deps.metrics.total('WorkflowStepFailed')).toBe(0);
  });

  it('a task that keeps throwing: named failure and metric, the run fails, the reconciler restarts intake, one SMS', async () => {
    const s = await system();
    // A bug, not a transient fault: no retry, straight to the Catch.
    s.faults.push({ task: 'routeRequest', times: 1, error: 'TypeError' });
    const id = await created(s);
    const failed = await settled(s, id, (x) => x.failure !== undefined, 'the failure to be recorded');
    expect(failed.status).toBe('received');
    expect(failed.failure).toMatchObject({ workflow: 'intake', step: 'Route', error: 'TypeError' });
    expect(s.deps.metrics.total('WorkflowStepFailed', { Workflow: 'intake', Step: 'Route' })).toBe(1);
    expect(s.workflows.execution('intake', id)?.status).toBe('FAILED');
    // The citizen's history shows no machinery.
    const detail = await s.deps.requests.getRequestDetail(id);
    expect(detail?.timeline.find((e) => e.event === 'workflow_failed')?.internal).toBe(true);

    const report = await reconcileAt(s, new Date());
    expect(report).toMatchObject({ resumed: 1, failed: 0 });
    const done = await settled(s, id, (x) => x.status === 'registered', 'registered after the resume');
    expect(done.failure).toBeUndefined();
    expect(done.checkAt).toBeUndefined();
    expect(done.resumes).toBe(1);
    expect(s.workflows.execution('intake', `${id}-r1`)?.status).toBe('SUCCEEDED');
    expect(s.sms.sent).toHaveLength(1);
    expect(s.deps.metrics.total('RequestsReconciled', { Action: 'resume_intake' })).toBe(1);
    // Nothing is owed any more: a later run leaves it alone.
    expect(await reconcileAt(s, inMinutes(60))).toMatchObject({ checked: 0 });
  });

  it('SMS that keeps failing: counted per attempt, the notice is resent by the reconciler once SNS is back, and checked delivered', async () => {
    const s = await system();
    s.sms.failing = 1000;
    const id = await created(s);
    const failed = await settled(s, id, (x) => x.failure !== undefined, 'the lost notice to be recorded');
    expect(failed.status).toBe('registered');
    expect(failed.failure).toMatchObject({ step: 'Notify', error: 'SmsSendError' });
    // 1 try + 4 retries of the Notify state, each counted.
    expect(s.deps.metrics.total('SmsFailed', { Notice: 'registered' })).toBe(5);

    s.sms.failing = 0;
    expect(await reconcileAt(s, new Date())).toMatchObject({ resent: 1 });
    await settled(s, id, () => s.sms.sent.length === 1, 'the resent SMS');
    expect(s.sms.sent[0]?.text).toContain(failed.number);
    // Ten minutes on, the reconciler sees the notice delivered and lets the request go.
    expect(await reconcileAt(s, inMinutes(11))).toMatchObject({ cleared: 1 });
    const after = await s.deps.requests.getRequest(id);
    expect(after?.checkAt).toBeUndefined();
    expect(after?.failure).toBeUndefined();
    expect(s.sms.sent).toHaveLength(1);
  });

  it('after MAX_RESUMES the reconciler hands the request to an operator, once', async () => {
    const s = await system();
    s.faults.push({ task: 'verifyIdentity', times: 1000, error: 'TypeError' });
    const id = await created(s);
    await settled(s, id, (x) => x.failure !== undefined, 'first failure');
    for (let i = 1; i <= MAX_RESUMES; i += 1) {
      expect(await reconcileAt(s, inMinutes(6 * i))).toMatchObject({ resumed: 1 });
      await settled(s, id, (x) => x.failure !== undefined, `failure after resume ${i}`);
    }
    expect(await reconcileAt(s, inMinutes(6 * (MAX_RESUMES + 1)))).toMatchObject({ handedOver: 1, resumed: 0 });
    const r = await s.deps.requests.getRequest(id);
    expect(r?.attention).toMatchObject({ reason: 'intake_stuck' });
    expect(r?.checkAt).toBeUndefined();
    expect(s.deps.metrics.total('RequestsNeedOperator', { Reason: 'intake_stuck' })).toBe(1);
    expect(await reconcileAt(s, inMinutes(600))).toMatchObject({ checked: 0 });
  });

  it('two reconcilers at once resume a stuck request once', async () => {
    const s = await system();
    s.faults.push({ task: 'routeRequest', times: 1, error: 'TypeError' });
    const id = await created(s);
    await settled(s, id, (x) => x.failure !== undefined, 'the failure');
    const reports = await Promise.all([reconcileAt(s, new Date()), reconcileAt(s, new Date()), reconcileAt(s, new Date())]);
    expect(reports.reduce((n, r) => n + r.resumed, 0)).toBe(1);
    await settled(s, id, (x) => x.status === 'registered', 'registered');
    expect(s.workflows.executions().filter((e) => e.workflow === 'intake' && e.name.startsWith(`${id}-r`))).toHaveLength(1);
    expect(s.sms.sent).toHaveLength(1);
  });
});

describe('faults in the callback workflow', () => {
  beforeEach(() => resetDeps());

  async function queued(s: System, id: string, attempt: number) {
    return eventually(async () => (await s.deps.slots.listQueue('tech-support', 100)).find((e) => e.requestId === id && e.attempt === attempt), `attempt ${attempt} queued`);
  }

  async function slotTotal(s: System, r: SupportRequest): Promise<number> {
    const counts = await s.deps.slots.slotCounts('tech-support', [r.scheduledAt?.slice(0, 10) as string, new Date(Date.parse(r.scheduledAt as string) + 3 * 3600_000).toISOString().slice(0, 10)]);
    return [...counts.values()].reduce((a, b) => a + b, 0);
  }

  it('an operator outcome that never comes counts as an unanswered attempt; after three the request is missed with its SMS', async () => {
    // AwaitOutcome's two hours become one second.
    const s = await system({ outcomeTimeoutScale: 1 / 7200 });
    const id = await created(s, callbackBody() as never);
    const r = await settled(s, id, (x) => x.status === 'missed', 'missed after three silent attempts');
    expect(r.attempts).toBe(3);
    expect(r.checkAt).toBeUndefined();
    const run = s.workflows.execution('callback', id);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.states.filter((x) => x === 'OutcomeLost')).toHaveLength(3);
    const texts = s.sms.sent.filter((m) => m.to === PROFILE_PHONE_E164).map((m) => m.text);
    expect(texts.at(-1)).toContain('письменное обращение');
    expect(await s.deps.slots.listQueue('tech-support', 100)).toEqual([]);
  });

  it('a callback whose run died (restart) is resumed on its booking, never booked twice, and completes', async () => {
    const s = await system();
    const id = await created(s, callbackBody() as never);
    await queued(s, id, 1);
    const before = (await s.deps.requests.getRequest(id)) as SupportRequest;
    const booked = await slotTotal(s, before);
    expect(booked).toBe(1);

    // The runtime restarts: the old run and its task token are gone.
    await s.workflows.stop();
    const restartedAt = new Date().toISOString();
    s.restart();
    const report = await reconcileAt(s, new Date(), restartedAt);
    expect(report).toMatchObject({ resumed: 1, failed: 0 });
    const resumed = s.workflows.execution('callback', `${id}-r1`);
    await eventually(async () => ((await s.deps.requests.getRequest(id))?.taskToken !== before.taskToken ? true : undefined), 'a fresh task token');
    expect(resumed?.states.slice(0, 3)).toEqual(['Resume?', 'Resume', 'WaitUntilDue']);
    const after = (await s.deps.requests.getRequest(id)) as SupportRequest;
    expect(after.scheduledAt).toBe(before.scheduledAt);
    expect(await slotTotal(s, after)).toBe(booked);
    // The SMS about the booking is not sent again.
    expect(s.sms.sent).toHaveLength(1);

    await recordCall(s.deps, everyQueue('op-1'), answered(id));
    const done = await settled(s, id, (x) => x.status === 'completed', 'completed');
    expect(done.checkAt).toBeUndefined();
    expect(s.workflows.execution('callback', `${id}-r1`)?.status).toBe('SUCCEEDED');
  });

  it('a lost scheduled SMS: the run goes on to the call; the reconciler resends the SMS and starts no second run', async () => {
    const s = await system();
    s.sms.failing = 5;
    const id = await created(s, callbackBody() as never);
    await queued(s, id, 1);
    // Not `settled`: this run stays alive, waiting for its call.
    const r = await eventually(async () => {
      const got = await s.deps.requests.getRequest(id);
      return got?.failure ? got : undefined;
    }, 'the lost notice recorded');
    expect(r.failure).toMatchObject({ workflow: 'callback', step: 'NotifyScheduled', error: 'SmsSendError' });
    expect(s.workflows.execution('callback', id)?.status).toBe('RUNNING');
    // An operator takes it meanwhile; the reconciler then only resends the SMS.
    await s.deps.requests.transition(id, ['scheduled'], { status: 'in_progress', assignedTo: 'op-1' }, { at: new Date().toISOString(), event: 'in_progress' }, new Date().toISOString());
    expect(await reconcileAt(s, new Date())).toMatchObject({ resent: 1, resumed: 0 });
    await eventually(async () => (s.sms.sent.length === 1 ? true : undefined), 'the resent SMS');
    expect(s.sms.sent[0]?.text).toContain('перезвонит');
    expect(s.workflows.executions().filter((e) => e.workflow === 'callback')).toHaveLength(1);
    await recordCall(s.deps, everyQueue('op-1'), answered(id));
    const done = await settled(s, id, (x) => x.status === 'completed', 'completed');
    expect(done.failure).toBeUndefined();
    expect(done.checkAt).toBeUndefined();
  });

  it('a retry that dies mid-way is resumed and the remaining attempts still end in missed', async () => {
    const s = await system();
    const id = await created(s, callbackBody() as never);
    await queued(s, id, 1);
    await recordCall(s.deps, everyQueue('op-1'), unanswered(id));
    await queued(s, id, 2);
    await s.workflows.stop();
    const restartedAt = new Date().toISOString();
    s.restart();
    expect(await reconcileAt(s, new Date(), restartedAt)).toMatchObject({ resumed: 1 });
    for (const attempt of [2, 3]) {
      await eventually(async () => ((await s.deps.requests.getRequest(id))?.taskToken ? true : undefined), `attempt ${attempt} waits for its outcome`);
      await queued(s, id, attempt);
      await recordCall(s.deps, everyQueue('op-1'), unanswered(id));
    }
    const r = await settled(s, id, (x) => x.status === 'missed', 'missed');
    expect(r.attempts).toBe(3);
  });
});

describe('faults in the attachment check', () => {
  beforeEach(() => resetDeps());

  /** The storage side of the check, as an S3 that holds the declared file (or is down). */
  const storage = (down: boolean): Handler => async (event) => {
    const { task, key } = event as { task: string; key: string };
    if (down) throw Object.assign(new Error('injected S3 outage'), { name: 'InternalError' });
    return task === 'inspectUpload' ? { key, found: true, size: 1234, kind: 'application/pdf' } : {};
  };

  async function uploaded(s: System) {
    const requestId = await created(s);
    const attachment = await createAttachment(s.deps, 'user-1', requestId, { fileName: 'скан.pdf', contentType: 'application/pdf', size: 1234 });
    const key = objectKeyOf(requestId, attachment.id);
    await s.workflows.start('attachment', `object-created-${attachment.id}`, { detail: { object: { key } } });
    await s.workflows.idle();
    return { requestId, attachmentId: attachment.id, run: s.workflows.execution('attachment', `object-created-${attachment.id}`) };
  }

  for (const [step, setup] of [
    ['Inspect', { attachmentCheck: storage(true) }],
    ['Settle', { attachmentCheck: storage(false) }],
  ] as const) {
    it(`a check whose ${step} step keeps failing gives the attachment up (rejected, check_failed): never pending for good`, async () => {
      const s = await system(setup);
      if (step === 'Settle') s.faults.push({ task: 'settleAttachment', times: 100, error: 'Error' });
      const { requestId, attachmentId, run } = await uploaded(s);
      expect(run?.status).toBe('FAILED');
      expect(run?.states.slice(-2)).toEqual(['GiveUp', 'Failed']);
      expect(await s.deps.attachments.getAttachment(requestId, attachmentId)).toMatchObject({ status: 'rejected', reason: 'check_failed' });
      const timeline = (await s.deps.requests.getRequestDetail(requestId))?.timeline ?? [];
      expect(timeline.filter((e) => e.event === 'attachment_rejected')).toEqual([expect.objectContaining({ detail: `${attachmentId}: check_failed` })]);
      expect(s.deps.metrics.total('WorkflowStepFailed', { Workflow: 'attachment', Step: step })).toBe(1);
    });
  }

  it('a check that works is not given up: ready, no metric', async () => {
    const s = await system({ attachmentCheck: storage(false) });
    const { requestId, attachmentId, run } = await uploaded(s);
    expect(run?.status).toBe('SUCCEEDED');
    expect(await s.deps.attachments.getAttachment(requestId, attachmentId)).toMatchObject({ status: 'ready' });
    expect(s.deps.metrics.total('WorkflowStepFailed', { Workflow: 'attachment', Step: 'Inspect' })).toBe(0);
  });
});
