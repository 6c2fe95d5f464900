import { requestCallConfirmation } from '#core/calls/confirmation';
import { recordCall } from '#core/callbacks/record-call';
import { putProfile } from '#core/profiles/put-profile';
import { createRequest, type CreateRequestInput } from '#core/requests/create-request';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { waitFor } from '#infra/local/free-port';
import type { ExecutionRecord } from '#infra/local/workflow-runner';
import { WORKFLOWS } from '#infra/workflows';
import type { WorkflowName } from '#ports/workflows';
import { identity, writtenRequest, everyQueue } from '../support/fixtures.ts';
import { benchSystem } from './bench-system.ts';

/**
 * Runs each workflow path once through the real ASL files on DynamoDB Local (waits skipped) and
 * counts the states each execution enters: a Standard workflow is billed per state transition.
 */
const callbackRequest: CreateRequestInput = {
  channel: 'callback',
  type: 'technical',
  identity: identity(),
  callback: { phone: '+7 495 123-45-67', description: 'Не приходит код' },
};

export async function workflowPaths() {
  const system = await benchSystem('bench', (event) => requestTasks(event as never, {} as never));
  const { deps, workflows } = system;
  try {
    await putProfile(deps, 'bench-user', identity());

    const finished = async (workflow: WorkflowName, id: string): Promise<ExecutionRecord> => {
      let run: ExecutionRecord | undefined;
      await waitFor(async () => {
        run = workflows.execution(workflow, id);
        return run !== undefined && run.status !== 'RUNNING';
      }, `${workflow} ${id} to end`);
      if (run?.status !== 'SUCCEEDED') throw new Error(`${workflow} ${id} ended ${run?.status}: ${run?.error}`);
      return run;
    };
    const queued = async (id: string, attempt: number) =>
      waitFor(async () => (await deps.slots.listQueue('tech-support', 100)).some((e) => e.requestId === id && e.attempt === attempt), `callback ${id} queued`);
    const outcome = (id: string, answered: boolean) => {
      const queuedAt = new Date(Date.now() - 120_000).toISOString();
      const at = new Date(Date.now() - 60_000).toISOString();
      return { requestId: id, direction: 'outbound' as const, phone: '+74951234567', queuedAt, ...(answered ? { answeredAt: at } : {}), endedAt: new Date().toISOString(), outcome: answered ? ('answered' as const) : ('no_answer' as const) };
    };

    const rows: { workflow: string; type: string; path: string; transitions: number; states: string[] }[] = [];
    const row = (workflow: WorkflowName, path: string, run: ExecutionRecord) =>
      rows.push({ workflow, type: WORKFLOWS[workflow].type, path, transitions: run.states.length, states: run.states });

    for (const [path, body] of [
      ['written → registered', writtenRequest()],
      ['written → needs_info', writtenRequest({ identity: identity({ fullName: 'Петров Пётр' }) })],
    ] as const) {
      const id = ((await createRequest(deps, 'bench-user', body)).body as { id: string }).id;
      row('intake', path, await finished('intake', id));
    }

    const answered = ((await createRequest(deps, 'bench-user', callbackRequest)).body as { id: string }).id;
    row('intake', 'callback → handed over', await finished('intake', answered));
    await queued(answered, 1);
    await recordCall(deps, everyQueue('op'), outcome(answered, true));
    row('callback', 'answered at the first attempt', await finished('callback', answered));

    const missed = ((await createRequest(deps, 'bench-user', callbackRequest)).body as { id: string }).id;
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      await queued(missed, attempt);
      await recordCall(deps, everyQueue('op'), outcome(missed, false));
    }
    row('callback', 'missed after 3 attempts', await finished('callback', missed));

    const callId = (await deps.calls.listCallsOfRequest(answered))[0]?.id as string;
    await requestCallConfirmation(deps, 'bench-user', callId);
    const confirmation = workflows.executions().find((e) => e.workflow === 'confirmation');
    if (!confirmation) throw new Error('no confirmation run started');
    row('confirmation', 'code sent, then its 5 minutes', await finished('confirmation', confirmation.name));
    return rows;
  } finally {
    await system.stop();
  }
}
