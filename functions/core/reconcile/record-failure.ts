import type { Deps } from '#ports/deps';
import type { WorkflowName } from '#ports/workflows';
import { NotFoundError, StaleTransitionError } from '../errors.ts';
import { STATUSES } from '../requests/model.ts';

/**
 * A workflow step gave up after its retries (its Catch path runs this). The request keeps its
 * status (the contract's statuses say what the citizen waits for, not how the machinery fares),
 * gains a named `failure` and an internal history event, and becomes due for the reconciler at
 * once, which resumes it. Counted, so the WorkflowStepFailed alarm fires.
 *
 * `failed` is the Catch's output under the step's name: `{ [step]: { Error, Cause } }`.
 */
export type WorkflowFailure = Record<string, { Error?: string }>;

export async function recordWorkflowFailure(deps: Pick<Deps, 'requests' | 'clock' | 'metrics'>, requestId: string, workflow: string, failed: WorkflowFailure) {
  const [step, info] = Object.entries(failed)[0] ?? ['unknown', {}];
  // The error's name only: a Cause may quote input, and input may hold personal data.
  const error = info.Error ?? 'unknown';
  deps.metrics.put('WorkflowStepFailed', { Workflow: workflow, Step: step });
  const at = deps.clock.now().toISOString();
  try {
    await deps.requests.transition(
      requestId,
      STATUSES,
      { failure: { workflow, step, error, at }, checkAt: at },
      { at, event: 'workflow_failed', detail: `${workflow}.${step}: ${error}`, internal: true },
      at,
    );
  } catch (cause) {
    // Nothing to resume: the request is gone.
    if (cause instanceof StaleTransitionError || cause instanceof NotFoundError) return { recorded: false, step };
    throw cause;
  }
  return { recorded: true, step };
}

/**
 * Starts the workflow that carries a stored change on. If Step Functions refuses (throttled,
 * briefly down), the change stays stored and the request is marked as a failed `step` of that
 * workflow, due for the reconciler at once: the caller's answer stands, nothing is lost, and a
 * retry by the client is not needed (nor would it help: the write is done).
 */
export async function startOrLeaveToReconciler(
  deps: Pick<Deps, 'requests' | 'clock' | 'metrics' | 'workflows'>,
  start: { workflow: WorkflowName; name: string; input: Record<string, unknown> },
  requestId: string,
  step: string,
): Promise<void> {
  try {
    await deps.workflows.start(start.workflow, start.name, start.input);
  } catch (error) {
    await recordWorkflowFailure(deps, requestId, start.workflow, { [step]: { Error: (error as Error).name } });
  }
}
