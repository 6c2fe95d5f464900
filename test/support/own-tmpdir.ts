import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/**
 * The CDK's App synthesizes each stack into a new `cdk.out*` directory under the temp dir and
 * never removes it: about 35 directories, 7 MB, per run of the infra tests. So each test file
 * gets a temp dir of its own (TMPDIR, which os.tmpdir() reads at each call), removed after it.
 */
const outer = process.env.TMPDIR;
const own = mkdtempSync(join(tmpdir(), 'support-center-infra-'));
process.env.TMPDIR = own;
afterAll(() => {
  if (outer === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outer;
  rmSync(own, { recursive: true, force: true });
});
