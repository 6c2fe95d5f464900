import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { ESBUILD_OPTIONS } from '#infra/bundling';
import { FUNCTIONS, type FunctionId } from '#infra/functions';
import { REPO_ROOT, resolveFromRepo } from '#infra/local/local-paths';
import { costsAndLatency } from './costs.ts';
import { workflowPaths } from './workflow-paths.ts';

/**
 * `npm run bench`: figures to compare over time, printed as a table and written to
 * .bench/results.json. Per function: the deployed bundle's size and its cold import time in a
 * fresh Node process (median of RUNS, minus an empty module's). Per workflow path: the states
 * entered (Standard workflows bill each transition).
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const BUDGET_KB = 400;
const BUDGET_COLD_MS = 60;
/**
 * Functions allowed over the budgets, each with its reason; printed in the table so the exception
 * stays visible. The transcript's PDF renderer (pdf-lib, fontkit) is ~700 KB on its own: it lives in
 * its own function so that no other route pays for it.
 */
const BUDGET_EXCEPTIONS: Partial<Record<FunctionId, { kb: number; coldMs: number; why: string }>> = {
  httpTranscript: { kb: 1100, coldMs: 150, why: 'PDF renderer (pdf-lib + fontkit)' },
};
const OUT = join(REPO_ROOT, '.bench');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** One fresh process per sample: that is what a cold start pays for loading the code. */
function importMs(file: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(file)}); process.stdout.write(String(performance.now() - t));`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, AWS_REGION: 'eu-central-1', TABLE_NAME: 'bench', NODE_NO_WARNINGS: '1' },
  });
  if (out.status !== 0) throw new Error(`importing ${file} failed: ${out.stderr}`);
  return Number(out.stdout);
}

async function bundle(fn: FunctionId): Promise<{ file: string; bytes: number }> {
  const file = join(OUT, fn, 'index.mjs');
  mkdirSync(join(OUT, fn), { recursive: true });
  await build({ ...ESBUILD_OPTIONS, entryPoints: [resolveFromRepo(FUNCTIONS[fn].entry)], outfile: file, logLevel: 'error' });
  return { file, bytes: statSync(file).size };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const empty = join(OUT, 'empty.mjs');
  writeFileSync(empty, 'export {};\n');
  const baseline = median(Array.from({ length: RUNS }, () => importMs(empty)));

  const functions: { fn: string; bundleKB: number; coldImportMs: number; withinBudget: boolean; budget: string }[] = [];
  for (const fn of Object.keys(FUNCTIONS) as FunctionId[]) {
    process.stderr.write(`bundling and importing ${fn} (${RUNS} cold imports)…\n`);
    const { file, bytes } = await bundle(fn);
    const cold = median(Array.from({ length: RUNS }, () => importMs(file))) - baseline;
    const bundleKB = Math.round((bytes / 1024) * 10) / 10;
    const coldImportMs = Math.round(cold * 10) / 10;
    const exception = BUDGET_EXCEPTIONS[fn];
    const kb = exception?.kb ?? BUDGET_KB;
    const coldMs = exception?.coldMs ?? BUDGET_COLD_MS;
    functions.push({
      fn,
      bundleKB,
      coldImportMs,
      withinBudget: bundleKB <= kb && coldImportMs < coldMs,
      budget: exception ? `${kb} KB / ${coldMs} ms: ${exception.why}` : `${kb} KB / ${coldMs} ms`,
    });
  }

  process.stderr.write('running each workflow path on the real ASL and DynamoDB Local…\n');
  const workflows = await workflowPaths();

  process.stderr.write('measuring warm handler latency, capacity units and cost on DynamoDB Local…\n');
  const { latency, costs } = await costsAndLatency(Number(process.env.BENCH_SAMPLES ?? 200));
  const load = existsSync(join(OUT, 'load.json')) ? (JSON.parse(readFileSync(join(OUT, 'load.json'), 'utf8')) as Record<string, unknown>) : undefined;

  // One table: every figure a row, with its budget or goal where it has one.
  type Row = { figure: string; value: string | number; budget: string; ok: string };
  const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'yes' : 'NO');
  const rows: Row[] = [
    ...functions.flatMap((f) => [
      { figure: `${f.fn}: bundle KB`, value: f.bundleKB, budget: f.budget, ok: mark(f.withinBudget) },
      { figure: `${f.fn}: cold import ms`, value: f.coldImportMs, budget: '', ok: '' },
    ]),
    ...latency.flatMap((l) => [
      { figure: `${l.route}: warm p50 / p99 ms`, value: `${l.p50Ms} / ${l.p99Ms}`, budget: `${l.samples} samples, DynamoDB Local`, ok: '' },
      { figure: `${l.route}: RCU / WCU per call`, value: `${l.rcuPerCall} / ${l.wcuPerCall}`, budget: 'ReturnConsumedCapacity', ok: '' },
    ]),
    load
      ? { figure: 'local HTTP under load: calls/s, p50 / p99 ms', value: `${String(load.throughputPerSecond)}, ${String(load.p50Ms)} / ${String(load.p99Ms)}`, budget: `npm run test:load at ${String(load.at)}`, ok: '' }
      : { figure: 'local HTTP under load', value: 'not measured', budget: 'run npm run test:load first (writes .bench/load.json)', ok: '' },
    ...workflows.map((w) => ({ figure: `${w.workflow} (${w.type}): ${w.path}`, value: w.transitions, budget: w.type === 'EXPRESS' ? 'states; billed per run' : 'billed transitions', ok: '' })),
    ...costs.flatMap((c) => [
      { figure: `${c.name}: USD per 1,000`, value: c.usdPerThousand, budget: `< ${c.goal}`, ok: mark(c.withinGoal) },
      { figure: `${c.name}: RCU / WCU / transitions`, value: `${c.rcu} / ${c.wcu} / ${c.standardTransitions}`, budget: `${c.httpCalls} HTTP calls, ${c.lambdaInvocations} Lambda invocations`, ok: '' },
    ]),
  ];
  console.log(`\nSupport Center bench (${new Date().toISOString()}, Node ${process.version}; cold imports: median of ${RUNS}, ${baseline.toFixed(1)} ms baseline subtracted; SMS excluded from costs)`);
  console.table(rows);

  const results = { at: new Date().toISOString(), node: process.version, runs: RUNS, baselineMs: baseline, table: rows, functions, workflows, latency, costs, load };
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${join(OUT, 'results.json')}`);
  if (functions.some((f) => !f.withinBudget) || costs.some((c) => !c.withinGoal)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
