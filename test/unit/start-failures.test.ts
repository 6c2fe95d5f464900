import { describe, expect, it } from 'vitest';
import { memoryDeps } from '#adapters/memory/memory-deps';
import { reconcile } from '#core/reconcile/reconcile';
import { answerRequest } from '#core/requests/answer';
import { createRequest } from '#core/requests/create-request';
import { routeRequest } from '#core/requests/intake';
import type { Workflows } from '#ports/workflows';
import { writtenInput } from './fixtures.ts';

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
    const r = await deps.store.getRequest(id);
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
    const answered = await answerRequest(refusing, 'op-1', id, { text: 'Ответ.' });
    expect(answered.status).toBe('answered');
    expect((await deps.store.getRequest(id))?.failure).toMatchObject({ workflow: 'notice', step: 'Notify' });

    expect(await reconcile(deps)).toMatchObject({ resent: 1 });
    expect(deps.workflows.started.at(-1)).toEqual({ workflow: 'notice', name: `${id}-answered-r1`, input: { requestId: id, kind: 'answered' } });
  });

  it('a start that works leaves no mark', async () => {
    const { deps, refusing } = setup();
    const id = ((await createRequest(refusing, 'user-1', writtenInput())).body as { id: string }).id;
    expect((await deps.store.getRequest(id))?.failure).toBeUndefined();
    expect(deps.workflows.started).toEqual([{ workflow: 'intake', name: id, input: { requestId: id } }]);
  });
});
