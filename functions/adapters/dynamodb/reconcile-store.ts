import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ReconcileStore } from '#ports/stores/reconcile';
import { keys } from './keys.ts';
import type { Table } from './table-client.ts';

/** The reconciler's due checks: GSI2 `CHECK`, sorted by a request's `checkAt` (sparse, keys only). */
export function dynamoReconcileStore(table: Table): ReconcileStore {
  return {
    async listDueChecks(until, limit, after) {
      const out = await table.doc.send(
        new QueryCommand({
          TableName: table.name,
          IndexName: 'GSI2',
          KeyConditionExpression: 'GSI2PK = :pk AND GSI2SK <= :until',
          ExpressionAttributeValues: { ':pk': keys.checkPartition, ':until': until },
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { ...keys.request(after.id), ...keys.requestCheck(after.checkAt) } } : {}),
        }),
      );
      return (out.Items ?? []).map((item) => ({ id: keys.requestIdOf(String(item.PK)), checkAt: String(item.GSI2SK) }));
    },
  };
}
