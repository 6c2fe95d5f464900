import { describe, expect, it } from 'vitest';
import { memoryDeps } from '#adapters/memory/memory-deps';
import { requestPhoneChange, verifyPhoneChange } from '#core/profiles/phone-change';
import { putProfile } from '#core/profiles/put-profile';
import { reconcile } from '#core/reconcile/reconcile';
import { answerRequest } from '#core/requests/answer';
import { createRequest } from '#core/requests/create-request';
import { routeRequest } from '#core/requests/intake';
import type { Workflows } from '#ports/workflows';
import { identity, writtenInput } from './fixtures.ts';
import { everyQueue } from '../support/fixtures.ts';

/**
 * Step Functions refusing a start (throttled, briefly down) after the change it carries on is
 * stored: the caller still gets its answer, and the request is left to the reconciler, due at once.
 */
function refusingWorkflows(inner: Workflows, refusals: { left: number }): Workflows {
  return {
    ...inner,
    start: async (workflow, name, input) => {
      if (refusals.left > 0) {
        refusals.left -= 1;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      return inner.start(workflow, name, input);
    },
  };
}

function setup() {
  const deps = memoryDeps();
  const refusals = { left: 0 };
  return { deps, refusals, refusing: { ...deps, workflows: refusingWorkflows(deps.workflows, refusals) } };
}

describe('a workflow that cannot be started', () => {
  it('a new request is still accepted (202); it is marked for the reconciler, which starts its intake', async () => {
    const { deps, refusals, refusing } = setup();
    refusals.left = 1;
    const created = await createRequest(refusing, 'user-1', writtenInput());
    expect(created.statusCode).toBe(202);
    const id = (created.body as { id: string }).id;
    const r = await deps.requests.getRequest(id);
    expect(r?.status).toBe('received');
    expect(r?.failure).toMatchObject({ workflow: 'intake', step: 'Start', error: 'ThrottlingException' });
    expect(r?.checkAt).toBe(deps.clock.now().toISOString());
    expect(deps.metrics.total('WorkflowStepFailed', { Workflow: 'intake', Step: 'Start' })).toBe(1);
    expect(deps.workflows.started).toEqual([]);

    expect(await reconcile(deps)).toMatchObject({ resumed: 1 });
    expect(deps.workflows.started).toEqual([{ workflow: 'intake', name: `${id}-r1`, input: { requestId: id } }]);
  });

  it("an operator's answer stands (200) when its SMS workflow cannot start; the reconciler sends it", async () => {
    const { deps, refusals, refusing } = setup();
    const id = ((await createRequest(deps, 'user-1', writtenInput())).body as { id: string }).id;
    await routeRequest(deps, id);
    refusals.left = 1;
    const answered = await answerRequest(refusing, everyQueue('op-1'), id, { text: 'Ответ.' });
    expect(answered.status).toBe('answered');
    expect((await deps.requests.getRequest(id))?.failure).toMatchObject({ workflow: 'notice', step: 'Notify' });

    expect(await reconcile(deps)).toMatchObject({ resent: 1 });
    expect(deps.workflows.started.at(-1)).toEqual({ workflow: 'notice', name: `${id}-answered-r1`, input: { requestId: id, kind: 'answered' } });
  });

  it('a start that works leaves no mark', async () => {
    const { deps, refusing } = setup();
    const id = ((await createRequest(refusing, 'user-1', writtenInput())).body as { id: string }).id;
    expect((await deps.requests.getRequest(id))?.failure).toBeUndefined();
    expect(deps.workflows.started).toEqual([{ workflow: 'intake', name: id, input: { requestId: id } }]);
  });

  it('a code whose SMS workflow cannot start costs nothing: no cooldown, no send of the hour, the old code still works', async () => {
    const { deps, refusals, refusing } = setup();
    await putProfile(deps, 'user-1', identity());
    const phone = { phone: '8 (999) 000-11-22' };

    // No code before: the refused send leaves none behind, and a retry goes at once (no 429).
    refusals.left = 1;
    await expect(requestPhoneChange(refusing, 'user-1', phone)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(await deps.codes.getOtp('phone-change', 'user-1')).toBeUndefined();
    await requestPhoneChange(refusing, 'user-1', phone);
    const first = await deps.codes.getOtp('phone-change', 'user-1');
    expect(first?.sendTimes).toHaveLength(1);

    // A code before: a refused resend puts it back, so it still verifies and its cooldown stands.
    deps.clock.advanceSeconds(61);
    refusals.left = 1;
    await expect(requestPhoneChange(refusing, 'user-1', phone)).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(await deps.codes.getOtp('phone-change', 'user-1')).toEqual(first);
    const sent = deps.workflows.started.filter((s) => s.workflow === 'confirmation');
    expect(sent).toHaveLength(1);
    const code = await deps.sealer.unseal((sent[0]?.input as { sealedCode: string }).sealedCode);
    expect(await verifyPhoneChange(deps, 'user-1', code)).toMatchObject({ phone: expect.stringContaining('22') });
  });

  it('a restore never undoes a newer code: it only replaces the record it wrote', async () => {
    const { deps } = setup();
    await putProfile(deps, 'user-1', identity());
    await requestPhoneChange(deps, 'user-1', { phone: '8 (999) 000-11-22' });
    const stored = await deps.codes.getOtp('phone-change', 'user-1');
    if (!stored) throw new Error('no code stored');
    const stale = { ...stored, issuedAt: '2000-01-01T00:00:00.000Z' };
    expect(await deps.codes.restoreOtp(stale, undefined)).toBe(false);
    expect(await deps.codes.getOtp('phone-change', 'user-1')).toEqual(stored);
  });
});
