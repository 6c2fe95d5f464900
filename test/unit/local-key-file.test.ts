import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/local-paths';

/**
 * `npm start`, `npm run token` and the tests each make the local signing key on first use. Twenty
 * processes reaching an empty directory at the same moment must all end up with one key, none may
 * read a half-written file, and no draft may be left behind.
 */
const run = promisify(execFile);
const CHILD = join(REPO_ROOT, 'test', 'support', 'key-race-child.ts');
const RACERS = 20;
const dir = mkdtempSync(join(tmpdir(), 'sc-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the local signing key file', () => {
  it(`${RACERS} processes making it at once all get the same key`, async () => {
    const keys = join(dir, 'keys');
    const ready = join(dir, 'ready');
    const start = join(dir, 'start');
    mkdirSync(keys);
    mkdirSync(ready);
    const path = join(keys, 'jwt-es256.json');
    const racers = Array.from({ length: RACERS }, () => run(process.execPath, ['--import', 'tsx', CHILD, path, ready, start], { cwd: REPO_ROOT, timeout: 120_000 }));
    // The start is given once every racer holds its key pair and waits (polled, with a deadline).
    const deadline = Date.now() + 120_000;
    while (readdirSync(ready).length < RACERS) {
      if (Date.now() > deadline) throw new Error(`only ${readdirSync(ready).length} racers got ready`);
      await delay(20);
    }
    writeFileSync(start, '');
    const kids = (await Promise.all(racers)).map((r) => r.stdout);
    expect(kids.every((kid) => kid.startsWith('local-'))).toBe(true);
    expect(new Set(kids).size).toBe(1);
    expect(readdirSync(keys)).toEqual(['jwt-es256.json']);
  }, 180_000);
});
