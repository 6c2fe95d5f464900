import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS } from '#infra/bundling';
import { FUNCTIONS, type FunctionId } from '#infra/functions';
import { resolveFromRepo } from '#infra/local/local-paths';

/**
 * Every function bundled exactly as CDK deploys it (infra/bundling.ts), plus the bare-stack
 * reference (bare-stack.ts) bundled alike, and each one's cold start in fresh Node processes:
 * `importMs`, the import alone (an empty module's import subtracted), and `processMs`, the whole
 * process from spawn to exit (what a Lambda init pays before the handler runs: boot and import).
 * Samples alternate between the bundles, so a busy moment of a shared machine hits them all.
 */
export const BARE_STACK = 'bare stack';

export interface ColdImport {
  name: string;
  /** JavaScript only: the .mjs bundle (its source map and copied files are not loaded). */
  bundleKB: number;
  importMs: number;
  processMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One fresh process per sample: that is what a cold start pays for loading the code. */
function sample(file: string): { importMs: number; processMs: number } {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const started = performance.now();
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, AWS_REGION: 'eu-central-1', TABLE_NAME: 'bench', NODE_NO_WARNINGS: '1' },
  });
  const processMs = performance.now() - started;
  if (out.status !== 0) throw new Error(`importing ${file} failed: ${out.stderr}`);
  return { importMs: Number(out.stdout), processMs };
}

async function bundle(outDir: string, name: string, entry: string): Promise<{ file: string; bytes: number }> {
  const file = join(outDir, name, 'index.mjs');
  mkdirSync(join(outDir, name), { recursive: true });
  await build({ ...ESBUILD_OPTIONS, entryPoints: [entry], outfile: file, logLevel: 'error' });
  return { file, bytes: statSync(file).size };
}

export async function coldImports(outDir: string, runs: number, progress: (line: string) => void): Promise<ColdImport[]> {
  const empty = join(outDir, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const entries: [string, string][] = [
    [BARE_STACK, resolveFromRepo('test/bench/bare-stack.ts')],
    ...(Object.keys(FUNCTIONS) as FunctionId[]).map((fn): [string, string] => [fn, resolveFromRepo(FUNCTIONS[fn].entry)]),
  ];
  progress(`bundling ${entries.length} entries with infra/bundling.ts…`);
  const bundles = await Promise.all(entries.map(async ([name, entry]) => ({ name, ...(await bundle(outDir, name.replace(/\W+/g, '-'), entry)) })));
  progress(`${runs} cold starts of each, interleaved…`);
  const samples = new Map<string, { importMs: number; processMs: number }[]>([['empty', []], ...bundles.map((b): [string, never[]] => [b.name, []])]);
  for (let run = 0; run < runs; run += 1) {
    samples.get('empty')?.push(sample(empty));
    for (const b of bundles) samples.get(b.name)?.push(sample(b.file));
  }
  const baseline = median((samples.get('empty') ?? []).map((s) => s.importMs));
  const round = (n: number) => Math.round(n * 10) / 10;
  return bundles.map((b) => {
    const of = samples.get(b.name) ?? [];
    return {
      name: b.name,
      bundleKB: round(b.bytes / 1024),
      importMs: round(median(of.map((s) => s.importMs)) - baseline),
      processMs: round(median(of.map((s) => s.processMs))),
    };
  });
}
