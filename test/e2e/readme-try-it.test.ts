import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '#infra/local/free-port';
import { REPO_ROOT } from '#infra/local/local-paths';
import { eventually } from '../support/integration.ts';
import { isListening } from '../support/local-process.ts';

/**
 * The README's "Try it" block, exactly as a newcomer pastes it: extracted from README.md and run
 * with bash in the repository, on a free PORT. It must print the statuses its comments promise,
 * write nothing to stderr, and leave nothing running after its last line (`kill $START`).
 */
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');

function tryItBlock(readme: string): string {
  const section = readme.slice(readme.indexOf('### Try it'));
  const block = /```bash\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no bash block under "### Try it"');
  return block;
}

let pgid: number | undefined;
afterEach(() => {
  try {
    if (pgid) process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the block stopped everything itself.
  }
  pgid = undefined;
});

describe('README "Try it"', () => {
  it('runs as pasted: health, profile, a registered request with its SMS, a ready attachment, then everything stops', { timeout: 300_000 }, async () => {
    const port = await freePort();
    // Its own process group only so that a failure can clean up; the block stops itself.
    const bash = spawn('bash', ['-c', tryItBlock(README)], {
      cwd: REPO_ROOT,
      env: { ...process.env, PORT: String(port) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pgid = bash.pid;
    let stdout = '';
    let stderr = '';
    bash.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    bash.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => bash.once('exit', (c) => resolve(c)));

    const log = () => readFileSync(join(REPO_ROOT, '.local', 'npm-start.log'), 'utf8');
    const context = `stdout:\n${stdout}\nstderr:\n${stderr}`;
    expect(code, context).toBe(0);
    expect(stderr, context).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines, context).toHaveLength(6);
    expect(lines[0]).toBe('{"status":"ok"}');
    expect(lines[1]).toBe('+7********89');
    expect(lines[2]).toBe('registered');
    expect(lines[3]).toMatch(/^Обращение \d{8}-[0-9A-HJKMNP-TV-Z]{6} зарегистрировано/);
    expect(lines[4]).toBe('ready');
    expect(lines[5]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\S+X-Amz-Signature=/);
    // `kill $START` signalled npm alone; the system must be gone shortly after.
    await eventually(async () => (!(await isListening(`http://127.0.0.1:${port}`)) && log().includes('stopped.') ? true : undefined), 'the system stopped', 30_000);
    expect(log()).toContain(`ready at http://127.0.0.1:${port}`);
  });
});
