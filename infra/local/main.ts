import * as z from 'zod';
import { startLocalRuntime } from './runtime.ts';

/** `npm start`: the whole system on this machine, configured by PORT, DATA_DIR, WAIT_SCALE, CORS_ORIGINS. */
const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).optional(),
  WAIT_SCALE: z.coerce.number().min(0).default(1),
  CORS_ORIGINS: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').map((o) => o.trim()).filter(Boolean) : undefined)),
});

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])} is invalid: ${issue?.message}`);
  }
  const env = parsed.data;
  process.stdout.write('Starting Support Center locally: DynamoDB Local, attachments bucket (s3rver), state machines, SMS outbox, API…\n');
  const runtime = await startLocalRuntime({ port: env.PORT, dataDir: env.DATA_DIR, waitScale: env.WAIT_SCALE, corsOrigins: env.CORS_ORIGINS });
  process.stdout.write(
    `Support Center API ready at ${runtime.url}\n` +
      `  DynamoDB Local at ${runtime.dynamo.endpoint}\n` +
      `  attachments bucket ${runtime.objects.bucket} at ${runtime.objects.endpoint} (s3rver)\n` +
      `  data: ${env.DATA_DIR ? `kept in ${env.DATA_DIR}` : 'in memory (set DATA_DIR to keep it)'}; WAIT_SCALE=${env.WAIT_SCALE}\n` +
      `  a token: npm run --silent token -- --sub user-1 --roles citizen\n` +
      `  SMS outbox: ${runtime.url}/_local/outbox\n`,
  );
  const resumed = (runtime.startReconcile.resumed ?? 0) + (runtime.startReconcile.resent ?? 0);
  if (resumed > 0) process.stdout.write(`  resumed ${resumed} request(s) the last run left unfinished\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    runtime.stop().then(
      () => {
        process.stdout.write('stopped.\n');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`stop failed: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${(error as Error).message}\n`);
  process.exit(1);
});
