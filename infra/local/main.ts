import './polyfills.ts';
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

/** How long stopping may take before the process exits regardless. */
const STOP_DEADLINE_MS = 15_000;

async function main(): Promise<void> {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])} is invalid: ${issue?.message}`);
  }
  const env = parsed.data;
  process.stdout.write('Starting Support Center locally: DynamoDB Local, attachments bucket (s3rver), state machines, SMS outbox, API…\n');
  const started = startLocalRuntime({ port: env.PORT, dataDir: env.DATA_DIR, waitScale: env.WAIT_SCALE, corsOrigins: env.CORS_ORIGINS, webApp: true, log: (line) => process.stdout.write(`  ${line}\n`) });
  // Installed before anything is started: a signal that arrives while DynamoDB Local boots, or
  // right after the ready line, must not take the default action (die, leaving Java behind).
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${reason}: stopping…\n`);
    // A stop that hangs (a stuck socket, an emulator that ignores SIGTERM) must not keep the port:
    // exiting runs DynamoDB Local's exit hook, which signals the emulator once more.
    setTimeout(() => {
      process.stderr.write(`stop took over ${STOP_DEADLINE_MS / 1000} s: exiting anyway\n`);
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    // A signal during start-up waits for it to finish, then stops what it started.
    started.then((runtime) => runtime.stop()).then(
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
  // `npm start` runs this file with `exec node …` (package.json), so this process is npm's own
  // child and gets the SIGTERM or SIGINT npm forwards; Ctrl-C in a terminal reaches it directly.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  // npm itself killed (SIGKILL, a closed CI job): no signal is forwarded, this process is handed to
  // init and its parent id changes. Stop then instead of holding the port for good.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent process gone');
  }, 1000).unref();
  const runtime = await started;
  process.stdout.write(
    `Support Center API ready at ${runtime.url}\n` +
      `  the citizen's pages at ${runtime.url}/, the operator's workspace at ${runtime.url}/ops/ (local sign-in)\n` +
      `  DynamoDB Local at ${runtime.dynamo.endpoint}\n` +
      `  attachments bucket ${runtime.objects.bucket} at ${runtime.objects.endpoint} (s3rver)\n` +
      `  data: ${env.DATA_DIR ? `kept in ${env.DATA_DIR}` : 'in memory (set DATA_DIR to keep it)'}; WAIT_SCALE=${env.WAIT_SCALE}\n` +
      `  a token: npm run --silent token -- --sub user-1 --roles citizen\n` +
      `  SMS outbox: ${runtime.url}/_local/outbox\n`,
  );
  const resumed = (runtime.startReconcile.resumed ?? 0) + (runtime.startReconcile.resent ?? 0);
  if (resumed > 0) process.stdout.write(`  resumed ${resumed} request(s) the last run left unfinished\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`npm start failed: ${(error as Error).message}\n`);
  process.exit(1);
});
