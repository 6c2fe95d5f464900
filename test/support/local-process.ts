import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { freePort } from '#infra/local/free-port';
import { REPO_ROOT } from '#infra/local/local-paths';
import { ANY_DAY_CENTRE_ENV } from './any-day-centre.ts';

/**
 * `npm start` as a user runs it, in its own process group so the test can stop all of it. Its
 * calendar has no holidays (CENTRE_CONFIG), so callbacks find slots on any date (any-day-centre.ts).
 */
export interface StartedSystem {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** The DynamoDB Local endpoint the system printed. */
  dynamoEndpoint: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startSystem(env: Record<string, string> = {}, timeoutMs = 90_000): Promise<StartedSystem> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: String(port), WAIT_SCALE: '0', POWERTOOLS_LOG_LEVEL: 'INFO', CENTRE_CONFIG: ANY_DAY_CENTRE_ENV, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await Promise.race([
    new Promise<string>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`npm start not ready in ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = () => {
        const m = /ready at (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(deadline);
          resolve(m[1] as string);
        }
      };
      child.stdout?.on('data', onData);
    }),
    exited.then((code) => {
      throw new Error(`npm start exited with ${code}:\n${output}`);
    }),
  ]);
  return {
    url: ready,
    child,
    output: () => output,
    dynamoEndpoint: /DynamoDB Local at (http:\/\/\S+)/.exec(output)?.[1] ?? '',
    async stop(signal = 'SIGINT') {
      try {
        process.kill(-(child.pid as number), signal);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
      await exited;
    },
  };
}

export function cliToken(sub: string, roles = 'citizen'): string {
  const out = spawnSync('npm', ['run', '--silent', 'token', '--', '--sub', sub, '--roles', roles], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(`token failed: ${out.stderr}`);
  return out.stdout;
}

/** Whether something accepts TCP connections at `url`'s host and port (a port still bound). */
export function isListening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
