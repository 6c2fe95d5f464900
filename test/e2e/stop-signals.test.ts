import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, isListening, startSystem } from '../support/local-process.ts';

/**
 * `kill $!` after `npm start &` signals the npm process alone, not its process group: npm forwards
 * the signal to its script's child, and everything the runtime started (DynamoDB Local's Java,
 * s3rver, the API) must stop with it. The system runs in a process group of its own here only so
 * that a failing test can still clean up; the signal goes to the npm pid and nothing else.
 */
let system: StartedSystem | undefined;
afterEach(() => {
  // Whatever a failed assertion left behind.
  try {
    if (system?.child.pid) process.kill(-system.child.pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left, as it should be.
  }
  system = undefined;
});

/** Processes still in the group, as `pid command` lines. */
function groupMembers(pgid: number): string[] {
  const ps = spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' });
  return ps.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe.each(['SIGTERM', 'SIGINT'] as const)('%s to the npm process alone', (signal) => {
  it('stops the runtime, the Java of DynamoDB Local and s3rver, and frees every port', async () => {
    system = await startSystem();
    const npmPid = system.child.pid as number;
    const s3Endpoint = /attachments bucket \S+ at (http:\/\/\S+)/.exec(system.output())?.[1];
    expect(s3Endpoint).toBeTruthy();
    const ports = [system.url, system.dynamoEndpoint, s3Endpoint as string];
    for (const url of ports) expect(await isListening(url), `${url} listens before the signal`).toBe(true);
    // What `kill $!` does: the npm pid only.
    const exited = new Promise<number | null>((resolve) => system?.child.once('exit', (code) => resolve(code)));
    process.kill(npmPid, signal);
    await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`npm still running 20 s after ${signal}`)), 20_000))]);
    // The group holds npm, node (the runtime), Java and esbuild's service: all must be gone.
    await eventually(async () => (groupMembers(npmPid).length === 0 ? true : undefined), `no process left in npm start's group`, 10_000).catch(() => {
      throw new Error(`left running after ${signal}:\n${groupMembers(npmPid).join('\n')}\n${system?.output()}`);
    });
    for (const url of ports) expect(await isListening(url), `${url} is free after ${signal}`).toBe(false);
    expect(system.output()).toContain(`${signal}: stopping…`);
    expect(system.output()).toContain('stopped.');
  });
});
