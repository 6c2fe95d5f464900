import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dynamoStores } from '#adapters/dynamodb/stores';
import { type DynamoDbLocal, ensureTable, startDynamoDbLocal } from '#infra/local/dynamodb-local';
import { storedWrittenRequest } from '../support/fixtures.ts';

/**
 * What `npm start` with DATA_DIR promises a 202: the request the store reported created is on disk.
 * DynamoDB Local 1.25.1 answers TransactWriteItems before its COMMIT runs (the store creates a
 * request in one transaction), so a crash right after the answer lost it: 8 of 10 transactions on
 * this 2-core machine under load. The emulator is killed (SIGKILL) right after 20 creates at
 * once, started again on the same directory, and every created request must be there.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'dynamodb-durability-'));
const TABLE_NAME = 'durability-test';
let dynamo: DynamoDbLocal | undefined;
afterAll(async () => {
  await dynamo?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('DynamoDB Local on disk, killed right after acknowledging writes', () => {
  // Three emulator starts, each a few seconds of JVM start-up on a loaded machine.
  it('keeps every request the store reported created (20 at once, then kill -9), round after round', { timeout: 120_000 }, async () => {
    dynamo = await startDynamoDbLocal({ dataDir });
    await ensureTable(dynamo.client, TABLE_NAME);
    const created: string[] = [];
    for (const round of [1, 2]) {
      const store = dynamoStores(dynamo.client, TABLE_NAME);
      const now = new Date().toISOString();
      const ids = Array.from({ length: 20 }, (_, i) => `durable-${round}-${i}`);
      const outcomes = await Promise.all(
        ids.map((id, i) => store.requests.createRequest(storedWrittenRequest(id, `D-${round}-${i}`, now), { at: now, event: 'received' }, undefined, now)),
      );
      expect(outcomes.every((o) => o.kind === 'created')).toBe(true);
      created.push(...ids);
      await dynamo.crash();

      dynamo = await startDynamoDbLocal({ dataDir });
      const after = dynamoStores(dynamo.client, TABLE_NAME);
      const found = await Promise.all(created.map(async (id) => `${id} ${(await after.requests.getRequest(id))?.id === id ? 'found' : 'lost'}`));
      expect(found).toEqual(created.map((id) => `${id} found`));
    }
  });
});
