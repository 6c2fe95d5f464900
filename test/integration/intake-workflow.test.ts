import { answerDueBy } from '#core/requests/deadlines';
import { beforeEach, describe, expect, it } from 'vitest';
import { SmsSendError } from '#core/errors';
import { putProfile } from '#core/profiles/put-profile';
import { createRequest } from '#core/requests/create-request';
import { provideDeps, resetDeps } from '#functions/deps';
import type { Deps } from '#ports/deps';
import type { SmsSender } from '#ports/sms';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { LOCAL_TABLE_NAME } from '#infra/local/runtime';
import { LocalWorkflows } from '#infra/local/workflow-runner';
import { PROFILE_PHONE_E164, identity, writtenRequest } from '../support/fixtures.ts';
import { eventually, freshTable, realSystem } from '../support/integration.ts';

/**
 * The real statemachines/intake.asl.json, run by aws-local-stepfunctions, with its Lambda tasks
 * bound to the real task handler module, over DynamoDB Local.
 */
class FlakySms implements SmsSender {
  sent: { to: string; text: string }[] = [];
  constructor(public failuresLeft = 0) {}
  async send(to: string, text: string) {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new SmsSendError('simulated SNS outage');
    }
    this.sent.push({ to, text });
  }
}

async function setup(smsFailures = 0) {
  const { client, tableName, store } = await freshTable();
  const sms = new FlakySms(smsFailures);
  const workflows = new LocalWorkflows({
    taskHandlers: { requestTasks: (event) => requestTasks(event as never, {} as never) },
    dynamo: client,
    sms,
    tableName: tableName ?? LOCAL_TABLE_NAME,
    waitScale: 0,
  });
  const deps: Deps = { ...store, sms, workflows, ...realSystem() };
  provideDeps(deps);
  return { deps, sms, workflows };
}

async function finalStatus(deps: Deps, id: string, workflows: LocalWorkflows) {
  await workflows.idle();
  return eventually(async () => {
    const r = await deps.requests.getRequest(id);
    return r && r.status !== 'received' ? r : undefined;
  }, `request ${id} to leave received`);
}

describe('intake state machine', () => {
  beforeEach(() => resetDeps());

  it('registers a verified written request, routes it and sends one SMS', async () => {
    const { deps, sms, workflows } = await setup();
    await putProfile(deps, 'user-1', identity());
    const created = await createRequest(deps, 'user-1', writtenRequest());
    const id = (created.body as { id: string }).id;
    const request = await finalStatus(deps, id, workflows);
    expect(request.status).toBe('registered');
    expect(request.route).toEqual({ queue: 'tech-support', line: '88001001001' });
    expect(request.dueBy).toBe(answerDueBy(request.updatedAt));
    expect(Date.parse(request.dueBy ?? '') - Date.parse(request.updatedAt)).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(Date.parse(request.dueBy ?? '') - Date.parse(request.updatedAt)).toBeLessThan(31 * 86_400_000);
    expect(sms.sent).toEqual([{ to: PROFILE_PHONE_E164, text: expect.stringContaining(request.number) }]);
    const run = workflows.execution('intake', id);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.states).toEqual(['VerifyIdentity', 'Verified?', 'Route', 'Notice?', 'Notify', 'Done']);
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.timeline.map((e) => e.event)).toEqual(['received', 'registered']);
  });

  it('gives needs_info with a problem per differing field, and routes nothing', async () => {
    const { deps, sms, workflows } = await setup();
    await putProfile(deps, 'user-1', identity());
    const body = writtenRequest({ identity: identity({ fullName: 'Петров Иван Иванович', passport: { series: '4510', number: '654321', issuedOn: '2015-03-20' } }) });
    const id = ((await createRequest(deps, 'user-1', body)).body as { id: string }).id;
    const request = await finalStatus(deps, id, workflows);
    expect(request.status).toBe('needs_info');
    expect(request.problems).toEqual([
      { field: 'fullName', code: 'mismatch' },
      { field: 'passport', code: 'mismatch' },
    ]);
    expect(request.route).toBeUndefined();
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]?.text).toContain(request.number);
  });

  it('reports a missing profile as profile/not_found and sends no SMS (there is no phone to trust)', async () => {
    const { deps, sms, workflows } = await setup();
    const id = ((await createRequest(deps, 'nobody', writtenRequest())).body as { id: string }).id;
    const request = await finalStatus(deps, id, workflows);
    expect(request.status).toBe('needs_info');
    expect(request.problems).toEqual([{ field: 'profile', code: 'not_found' }]);
    expect(sms.sent).toHaveLength(0);
    const run = workflows.execution('intake', id);
    expect(run?.status).toBe('SUCCEEDED');
    expect(run?.states).not.toContain('Notify');
  });

  it('retries a failing SMS send until it goes through', async () => {
    const { deps, sms, workflows } = await setup(2);
    await putProfile(deps, 'user-1', identity());
    const id = ((await createRequest(deps, 'user-1', writtenRequest())).body as { id: string }).id;
    await finalStatus(deps, id, workflows);
    expect(sms.failuresLeft).toBe(0);
    expect(sms.sent).toHaveLength(1);
    expect(workflows.execution('intake', id)?.states.filter((s) => s === 'Notify').length).toBe(1);
  });

  it('keeps the request registered when SMS keeps failing, and records the lost notice for the reconciler', async () => {
    const { deps, sms, workflows } = await setup(100);
    await putProfile(deps, 'user-1', identity());
    const id = ((await createRequest(deps, 'user-1', writtenRequest())).body as { id: string }).id;
    await finalStatus(deps, id, workflows);
    await workflows.idle();
    const request = await deps.requests.getRequest(id);
    expect(request?.status).toBe('registered');
    expect(request?.failure).toMatchObject({ workflow: 'intake', step: 'Notify', error: 'SmsSendError' });
    expect(request?.checkAt).toBe(request?.failure?.at);
    expect(sms.sent).toHaveLength(0);
    const run = workflows.execution('intake', id);
    expect(run?.status).toBe('FAILED');
    expect(run?.states.slice(-2)).toEqual(['RecordFailure', 'Failed']);
  });

  it('runs twice harmlessly: the second run finds the request moved on and sends nothing', async () => {
    const { deps, sms, workflows } = await setup();
    await putProfile(deps, 'user-1', identity());
    const id = ((await createRequest(deps, 'user-1', writtenRequest())).body as { id: string }).id;
    await finalStatus(deps, id, workflows);
    await workflows.start('intake', `${id}-again`, { requestId: id });
    await workflows.idle();
    expect(workflows.execution('intake', `${id}-again`)?.states.at(-1)).toBe('AlreadyHandled');
    expect(sms.sent).toHaveLength(1);
  });
});
