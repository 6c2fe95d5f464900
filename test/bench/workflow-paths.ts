import { putProfile } from '#core/profiles/put-profile';
import { createRequest } from '#core/requests/create-request';
import { dynamoStore } from '#adapters/dynamodb/dynamo-store';
import { hmacHasher, systemClock, systemIds } from '#adapters/system';
import { provideDeps } from '#functions/deps';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { ensureTable, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { Outbox } from '#infra/local/outbox';
import { LocalWorkflows } from '#infra/local/workflow-runner';
import { WORKFLOWS } from '#infra/workflows';
import { identity, writtenRequest } from '../support/fixtures.ts';

/** Runs each workflow path once through the real ASL and counts the states it enters. */
export async function workflowPaths() {
  const dynamo = await startDynamoDbLocal();
  try {
    await ensureTable(dynamo.client, 'bench');
    const sms = new Outbox(systemClock);
    const workflows = new LocalWorkflows({
      taskHandlers: { requestTasks: (event) => requestTasks(event as never, {} as never) },
      dynamo: dynamo.client,
      sms,
      tableName: 'bench',
      waitScale: 0,
    });
    const deps = { store: dynamoStore(dynamo.client, 'bench'), sms, workflows, clock: systemClock, ids: systemIds(), hasher: hmacHasher(async () => 'bench-key-0123456789abcdef0123456789') };
    provideDeps(deps);
    await putProfile(deps, 'bench-user', identity());
    const cases = [
      { path: 'written → registered', body: writtenRequest() },
      { path: 'written → needs_info', body: writtenRequest({ identity: identity({ fullName: 'Петров Пётр' }) }) },
    ];
    const rows = [];
    for (const c of cases) {
      const id = ((await createRequest(deps, 'bench-user', c.body)).body as { id: string }).id;
      await workflows.idle();
      const run = workflows.execution('intake', id);
      if (run?.status !== 'SUCCEEDED') throw new Error(`intake ${c.path} ended ${run?.status}: ${run?.error}`);
      rows.push({ workflow: 'intake', type: WORKFLOWS.intake.type, path: c.path, transitions: run.states.length, states: run.states });
    }
    return rows;
  } finally {
    await dynamo.stop();
  }
}
