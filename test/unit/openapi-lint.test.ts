import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/constructs/paths';
import { openApiDocument } from '#http/openapi';

/**
 * Redocly's own lint (@redocly/cli, pinned) with its `recommended` ruleset, on the document the
 * API serves, written to a temporary file: no error and no warning.
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'redocly.yaml'), 'extends:\n  - recommended\n');

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer: string }[] }[];
}

async function lint(document: unknown, name: string): Promise<LintReport> {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(document, null, 2));
  const cli = join(REPO_ROOT, 'node_modules/@redocly/cli/bin/cli.js');
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' };
  // Exit code 1 when errors are found: the report on stdout says what they are either way.
  const out = await run(process.execPath, [cli, 'lint', '--config', join(dir, 'redocly.yaml'), '--format', 'json', file], { env, cwd: dir }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  return JSON.parse(out.stdout) as LintReport;
}

const brief = (r: LintReport) => r.problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);

describe('Redocly lint, recommended ruleset', () => {
  it('passes with no error and no warning', async () => {
    const report = await lint(openApiDocument(), 'openapi');
    expect(brief(report)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it('reports a document that breaks its rules (so the test above can fail)', async () => {
    const doc = openApiDocument();
    const { license: _license, ...info } = doc.info;
    const path = doc.paths['/v1/contacts'] as { get: { responses: Record<string, unknown> } };
    const broken = { ...doc, info, paths: { ...doc.paths, '/v1/contacts': { get: { ...path.get, responses: { 200: path.get.responses['200'] } } } } };
    const rules = (await lint(broken, 'broken')).problems.map((p) => p.ruleId);
    expect(rules).toEqual(expect.arrayContaining(['info-license', 'operation-4xx-response']));
  }, 60_000);
});
