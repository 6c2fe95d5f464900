import { Agent, type IncomingHttpHeaders, type Server, createServer, request } from 'node:http';
import { type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { freePort } from './free-port.ts';

/**
 * DynamoDB Local 1.25.1 answers TransactWriteItems before the transaction is committed: its
 * `SQLiteDBAccess.commitTransaction` puts the COMMIT on the emulator's one SQLite job queue and
 * returns without waiting for it (every other call there waits for its job). A process killed
 * between the answer and that job loses a write it acknowledged: a `202` for a request that is
 * gone after `npm start` comes back on the same DATA_DIR (the restart test, under load). AWS
 * never does that, so the emulator is not allowed to either.
 *
 * This endpoint stands in front of the emulator and holds back the answer to a transaction until
 * the COMMIT has run: it sends one more call through the same queue (a one-item Scan of a table
 * the transaction wrote) and answers only when that call is back. The queue runs its jobs in order
 * on one thread, so the COMMIT, queued first, has run by then. Every other call passes unchanged.
 */
const ASYNC_COMMIT_TARGETS = new Set(['DynamoDB_20120810.TransactWriteItems', 'DynamoDB_20120810.ExecuteTransaction']);

export interface DurableEndpoint {
  endpoint: string;
  stop(): Promise<void>;
}

/** A table the transaction names: the barrier needs any table the emulator has. */
function tableOf(target: string, body: Buffer): string | undefined {
  try {
    const input = JSON.parse(body.toString('utf8')) as {
      TransactItems?: Record<string, { TableName?: string }>[];
      TransactStatements?: { Statement?: string }[];
    };
    if (target.endsWith('TransactWriteItems')) {
      for (const item of input.TransactItems ?? []) for (const op of Object.values(item)) if (op.TableName) return op.TableName;
    }
    // PartiQL: INSERT INTO "t" / UPDATE "t" / DELETE FROM "t".
    for (const s of input.TransactStatements ?? []) {
      const m = /(?:INTO|UPDATE|FROM)\s+"?([A-Za-z0-9_.-]{3,255})"?/i.exec(s.Statement ?? '');
      if (m) return m[1];
    }
  } catch {
    // Not JSON: the emulator answers it with its own error, and nothing was written.
  }
  return undefined;
}

export async function startDurableEndpoint(emulator: string, barrierClient: DynamoDBClient): Promise<DurableEndpoint> {
  const upstream = new URL(emulator);
  const agent = new Agent({ keepAlive: true });
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
        (reply) => {
          const parts: Buffer[] = [];
          reply.on('data', (c: Buffer) => parts.push(c));
          reply.on('end', () => {
            const answer = () => {
              res.writeHead(reply.statusCode ?? 502, reply.headers as IncomingHttpHeaders);
              res.end(Buffer.concat(parts));
            };
            const table = reply.statusCode === 200 && ASYNC_COMMIT_TARGETS.has(target) ? tableOf(target, body) : undefined;
            if (!table) return answer();
            barrierClient.send(new ScanCommand({ TableName: table, Limit: 1, Select: 'COUNT' })).then(answer, (error: unknown) => {
              // Not known to be committed: an error the SDK retries, never a success.
              res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
              res.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `commit not confirmed: ${(error as Error).message}` }));
            });
          });
          reply.on('error', (error) => res.destroy(error));
        },
      );
      forward.on('error', (error) => res.destroy(error));
      forward.end(body);
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
