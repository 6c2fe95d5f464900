import { memoryMetrics } from '#adapters/memory/memory-metrics';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { aesSealer, cryptoOtpRandom, hmacHasher, systemClock, systemIds } from '#adapters/system';
import { provideDeps, resetDeps } from '#functions/deps';
import { ensureTable, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { Outbox } from '#infra/local/outbox';
import { LocalWorkflows, type TaskHandler } from '#infra/local/workflow-runner';
import { ANY_DAY_CENTRE } from '../support/any-day-centre.ts';

/**
 * The system the bench measures, in-process: DynamoDB Local, the real ASL run with waits skipped,
 * the outbox, and the real adapters over them, provided to every handler module.
 */
export async function benchSystem(tableName: string, requestTasks: TaskHandler) {
  const dynamo = await startDynamoDbLocal();
  await ensureTable(dynamo.client, tableName);
  const sms = new Outbox(systemClock);
  const workflows = new LocalWorkflows({ taskHandlers: { requestTasks }, dynamo: dynamo.client, sms, tableName, waitScale: 0 });
  const key = async () => 'bench-key-0123456789abcdef0123456789';
  const deps = {
    ...dynamoStores(dynamo.client, tableName),
    sms,
    workflows,
    clock: systemClock,
    ids: systemIds(),
    hasher: hmacHasher(key),
    sealer: aesSealer(key),
    otpRandom: cryptoOtpRandom,
    metrics: memoryMetrics(),
    // The bench books callbacks on whatever day it runs: the calendar without holidays.
    centre: ANY_DAY_CENTRE,
  };
  resetDeps();
  provideDeps(deps);
  return {
    dynamo,
    deps,
    workflows,
    async stop() {
      resetDeps();
      await dynamo.stop();
    },
  };
}
