import './polyfills.ts';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '#adapters/dynamodb/table-definition';
import { checkJava } from './java.ts';
import { freePort, waitFor } from './free-port.ts';
import { startDurableEndpoint } from './durable-endpoint.ts';

/**
 * Amazon's DynamoDB Local, from the jar the npm package amplify-dynamodb-simulator ships. In
 * memory unless a data directory is given. The table comes from the same definition as the CDK's.
 */
export interface DynamoDbLocal {
  /** With a data directory, the durable endpoint in front of the emulator (durable-endpoint.ts). */
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
  /** Tests only: SIGKILL the emulator, as a crash would, and wait until it is gone. */
  crash(): Promise<void>;
}

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'eu-central-1';

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
}

export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
}

export function createTableInput(tableName: string): CreateTableCommandInput {
  const attributes = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const index of TABLE.indexes) {
    attributes.add(index.partitionKey);
    attributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
      IndexName: index.name,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
}

/** Creates the table when it does not exist yet (a kept DATA_DIR already has it). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true } }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    await addMissingIndexes(client, tableName);
  }
}

/**
 * A kept DATA_DIR holds the table as an older version made it: an index the definition gained
 * since (GSI3, the operators' inboxes) is added, as the CDK deployment adds it in the cloud, and
 * waited for until active (DynamoDB Local backfills it from the existing items).
 */
async function addMissingIndexes(client: DynamoDBClient, tableName: string): Promise<void> {
  const input = createTableInput(tableName);
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  const present = new Set((described.Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of input.GlobalSecondaryIndexes ?? []) {
    if (present.has(index.IndexName)) continue;
    const names = new Set(index.KeySchema?.map((k) => k.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: input.AttributeDefinitions?.filter((a) => names.has(a.AttributeName)),
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: index.Projection } }],
      }),
    );
    await waitFor(
      async () => {
        const table = await client.send(new DescribeTableCommand({ TableName: tableName }));
        return table.Table?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.IndexName)?.IndexStatus === 'ACTIVE';
      },
      `index ${String(index.IndexName)}`,
      30_000,
      100,
    );
  }
}

/**
 * The emulator's JVM compiles with C1 only. A local run lasts seconds to minutes, and C2's
 * optimising compiles never pay for themselves in that time: measured on this 2-core machine, Java
 * CPU per `POST /v1/requests` with its intake (12 DynamoDB calls) went from ~40 ms to ~18 ms, and
 * start-up from ~4.8 s to ~2.5 s of CPU (docs/operations.md, "What made the local runtime fast").
 * `DYNAMODB_LOCAL_JVM_FLAGS` replaces them, to compare flags with the bench.
 */
export const JVM_FLAGS = ['-XX:TieredStopAtLevel=1'];

function jvmFlags(): string[] {
  const override = process.env.DYNAMODB_LOCAL_JVM_FLAGS;
  return override === undefined ? JVM_FLAGS : override.split(' ').filter(Boolean);
}

export async function startDynamoDbLocal(options: { dataDir?: string } = {}): Promise<DynamoDbLocal> {
  checkJava();
  const dir = emulatorDir();
  const port = await freePort();
  // -sharedDb: one database whatever the access key and region of the client.
  const storage = [...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']), '-sharedDb'];
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  // The emulator's scratch: its working directory when in memory (it writes a metadata file there:
  // keep it out of the repo) and its java.io.tmpdir (it unpacks a 0.9 MB SQLite library there on
  // every start). Removed when it stops, so test runs leave nothing behind in /tmp. With a data
  // directory it lives inside it, emptied at each start: a process killed with SIGKILL (the
  // restart test) then leaves nothing in /tmp either.
  const scratch = options.dataDir ? join(options.dataDir, '.tmp') : mkdtempSync(join(tmpdir(), 'dynamodb-local-'));
  const removeScratch = () => rmSync(scratch, { recursive: true, force: true });
  if (options.dataDir) {
    removeScratch();
    mkdirSync(scratch);
  }
  const child: ChildProcess = spawn(
    'java',
    [...jvmFlags(), `-Djava.io.tmpdir=${scratch}`, `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', join(dir, 'DynamoDBLocal.jar'), ...storage, '-port', String(port)],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.dataDir ?? scratch },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  let exited = false;
  child.on('exit', () => {
    exited = true;
    removeScratch();
  });
  const stopChild = () => {
    if (!exited) child.kill('SIGTERM');
    // At process exit the child's own exit event never comes: remove the scratch now.
    removeScratch();
  };
  process.once('exit', stopChild);

  const endpoint = `http://127.0.0.1:${port}`;
  const client = localDynamoClient(endpoint);
  try {
    await waitFor(
      async () => {
        await client.send(new ListTablesCommand({}));
        return true;
      },
      'DynamoDB Local',
      30_000,
      100,
      () => (exited ? `the emulator exited: ${stderr.trim() || 'no output'}` : undefined),
    );
  } catch (error) {
    stopChild();
    throw error;
  }
  // On disk, a transaction is answered only once committed (durable-endpoint.ts); in memory a
  // crash loses everything anyway, and the bench measures the emulator unproxied.
  let durable: Awaited<ReturnType<typeof startDurableEndpoint>> | undefined;
  if (options.dataDir) {
    try {
      durable = await startDurableEndpoint(endpoint, client);
    } catch (error) {
      stopChild();
      throw error;
    }
  }
  const untilExited = () => new Promise<void>((done) => (exited ? done() : child.once('exit', () => done())));
  return {
    endpoint: durable?.endpoint ?? endpoint,
    client: durable ? localDynamoClient(durable.endpoint) : client,
    async stop() {
      await durable?.stop();
      // The exit hook stays until the emulator is gone: a stop that hangs and ends in process.exit
      // still signals it.
      if (!exited) {
        const gone = untilExited();
        child.kill('SIGTERM');
        await gone;
      }
      process.removeListener('exit', stopChild);
    },
    async crash() {
      const gone = untilExited();
      child.kill('SIGKILL');
      await gone;
      await durable?.stop();
      process.removeListener('exit', stopChild);
    },
  };
}
