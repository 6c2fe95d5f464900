import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '#infra/local/local-paths';
import { burst, BURST } from './burst.ts';
import { BARE_STACK, coldImports } from './cold-imports.ts';
import { FIRST_CREATES, costsAndLatency } from './costs.ts';
import { workflowPaths } from './workflow-paths.ts';
import { webFirstLoads } from './web-first-load.ts';

/**
 * `npm run bench`: one table of figures, each with its budget where it has one; a figure over its
 * budget carries `NO` and is named again at the end, and the process then exits 1 (the bench is
 * not in CI: the exit code is for whoever runs it, e.g. before and after a change). Written to
 * .bench/results.json too. BENCH_ONLY=bundles,latency,burst,load,workflows,costs runs a part.
 *
 * Adding a figure is adding a section below: a name and a function that returns rows.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 21);
const OUT = join(REPO_ROOT, '.bench');

export const BUDGETS = {
  bundleKB: 400,
  /** Each function's cold start over the bare stack's, both bundled alike and measured in the same run. */
  coldStartRatio: 1.0,
  transcript: { bundleKB: 600, importMs: 100 },
  postRequest: { p50Ms: 20, p99Ms: 60 },
  burstPastReceivedMs: 5000,
  load: { callsPerSecond: 150, p99Ms: 300 },
  /** The citizen's first page: JavaScript, gzipped (issue 15). */
  webFirstLoadKB: 100,
} as const;

type Ok = '' | 'yes' | 'NO';
export interface Row {
  figure: string;
  value: string | number;
  budget: string;
  ok: Ok;
}
const row = (figure: string, value: string | number, budget = '', within?: boolean): Row => ({ figure, value, budget, ok: within === undefined ? '' : within ? 'yes' : 'NO' });

interface Section {
  name: string;
  measure: (results: Record<string, unknown>) => Promise<Row[]>;
}

const SECTIONS: Section[] = [
  {
    name: 'bundles',
    async measure(results) {
      const all = await coldImports(OUT, RUNS, (line) => process.stderr.write(`  ${line}\n`));
      results.coldImports = all;
      const bare = all.find((c) => c.name === BARE_STACK);
      if (!bare) throw new Error('no bare-stack reference');
      const rows = [row(`${BARE_STACK} (reference): bundle KB, cold start ms`, `${bare.bundleKB}, ${bare.processMs} (import ${bare.importMs})`, 'DynamoDB client + lib-dynamodb + Powertools logger + middy')];
      for (const f of all.filter((c) => c !== bare)) {
        const transcript = f.name === 'httpTranscript';
        const kb = transcript ? BUDGETS.transcript.bundleKB : BUDGETS.bundleKB;
        const ratio = Math.round((f.processMs / bare.processMs) * 100) / 100;
        rows.push(row(`${f.name}: bundle KB (JavaScript)`, f.bundleKB, `≤ ${kb}`, f.bundleKB <= kb));
        rows.push(row(`${f.name}: cold start vs bare stack`, `${ratio.toFixed(2)}× (${f.processMs} / ${bare.processMs} ms)`, `≤ ${BUDGETS.coldStartRatio.toFixed(2)}×`, ratio <= BUDGETS.coldStartRatio));
        if (transcript) rows.push(row(`${f.name}: cold import ms`, f.importMs, `≤ ${BUDGETS.transcript.importMs}`, f.importMs <= BUDGETS.transcript.importMs));
      }
      return rows;
    },
  },
  {
    name: 'latency',
    async measure(results) {
      const { latency, costs } = await costsAndLatency(Number(process.env.BENCH_SAMPLES ?? 200));
      results.latency = latency;
      results.costs = costs;
      const rows: Row[] = [];
      for (const l of latency) {
        const goal = l.route === 'POST /v1/requests' ? BUDGETS.postRequest : undefined;
        const warm = l.afterWarmUp ? ` after ${l.afterWarmUp} warm-up creates` : '';
        rows.push(
          row(
            `${l.route}: ${l.route === FIRST_CREATES ? '' : 'warm '}p50 / p99 ms`,
            `${l.p50Ms} / ${l.p99Ms}`,
            `${goal ? `≤ ${goal.p50Ms} / ${goal.p99Ms}; ` : ''}${l.samples} samples${warm}, DynamoDB Local`,
            goal ? l.p50Ms <= goal.p50Ms && l.p99Ms <= goal.p99Ms : undefined,
          ),
        );
        if (l.rcuPerCall !== undefined) rows.push(row(`${l.route}: RCU / WCU per call`, `${l.rcuPerCall} / ${l.wcuPerCall}`, 'ReturnConsumedCapacity'));
      }
      for (const c of costs) {
        rows.push(
          row(`${c.name}: USD per 1,000`, c.usdPerThousand, `< ${c.goal}`, c.withinGoal),
          row(`${c.name}: RCU / WCU / transitions`, `${c.rcu} / ${c.wcu} / ${c.standardTransitions}`, `${c.httpCalls} HTTP calls, ${c.lambdaInvocations} Lambda invocations`),
        );
      }
      return rows;
    },
  },
  {
    name: 'burst',
    async measure(results) {
      const b = await burst();
      results.burst = b;
      return [
        row(
          `${b.requests} concurrent POST /v1/requests (${BURST.citizens} citizens × ${BURST.perCitizen}): ms until all past received`,
          `${b.allPastReceivedMs} (all 202 after ${b.allAcceptedMs})`,
          `≤ ${BUDGETS.burstPastReceivedMs}; DynamoDB Local, real intake ASL`,
          b.allPastReceivedMs <= BUDGETS.burstPastReceivedMs,
        ),
      ];
    },
  },
  {
    name: 'load',
    async measure(results) {
      const file = join(OUT, 'load.json');
      if (!existsSync(file)) return [row('local HTTP under load', 'not measured', 'run npm run test:load first (writes .bench/load.json)')];
      type Figures = { throughputPerSecond: number; p50Ms: number; p99Ms: number; requests: number; durationMs: number };
      const load = JSON.parse(readFileSync(file, 'utf8')) as Figures & {
        at: string;
        citizens: number;
        steady?: (Figures & { fromCitizen: number }) | null;
        machine?: { loadAverage1mBefore: number; cores: number };
      };
      results.load = load;
      const machine = load.machine ? `, load average ${load.machine.loadAverage1mBefore.toFixed(1)} on ${load.machine.cores} cores` : '';
      const figures = (f: Figures) => `${f.throughputPerSecond}, ${f.p50Ms} / ${f.p99Ms} (${f.requests} calls in ${(f.durationMs / 1000).toFixed(1)} s)`;
      const steady = load.steady;
      return [
        steady
          ? row(
              `npm run test:load, steady (citizens ${steady.fromCitizen}–${load.citizens - 1}): calls/s, p50 / p99 ms`,
              figures(steady),
              `≥ ${BUDGETS.load.callsPerSecond}, p99 ≤ ${BUDGETS.load.p99Ms}; at ${load.at}${machine}`,
              steady.throughputPerSecond >= BUDGETS.load.callsPerSecond && steady.p99Ms <= BUDGETS.load.p99Ms,
            )
          : row('npm run test:load, steady: calls/s, p50 / p99 ms', 'not measured', 'the last load test had no steady stretch (LOAD_CITIZENS ≤ LOAD_WARM_UP, or an older load test)', false),
        row(`npm run test:load, whole run (${load.citizens} citizens, warm-up and operators' tail included): calls/s, p50 / p99 ms`, figures(load), ''),
      ];
    },
  },
  {
    name: 'workflows',
    async measure(results) {
      const workflows = await workflowPaths();
      results.workflows = workflows;
      return workflows.map((w) => row(`${w.workflow} (${w.type}): ${w.path}`, w.transitions, w.type === 'EXPRESS' ? 'states; billed per run' : 'billed transitions'));
    },
  },
  {
    name: 'web',
    async measure(results) {
      const loads = await webFirstLoads();
      results.web = loads;
      return loads.map((l) => {
        const citizen = l.page === 'index.html';
        return row(
          `web app, ${citizen ? "citizen's first page (/)" : "operator's workspace (/ops/)"}: JavaScript KB gzipped`,
          `${l.jsGzipKB} (${Math.round(l.jsBytes / 1024)} KB raw, ${l.files.length} files; CSS ${l.cssGzipKB} KB gzipped)`,
          citizen ? `≤ ${BUDGETS.webFirstLoadKB}; cloud build, gzip -9` : 'cloud build, gzip -9',
          citizen ? l.jsGzipKB <= BUDGETS.webFirstLoadKB : undefined,
        );
      });
    },
  },
];

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const machineBefore = loadavg()[0] as number;
  const results: Record<string, unknown> = {};
  const rows: Row[] = [];
  for (const section of SECTIONS.filter((s) => !only || only.includes(s.name))) {
    process.stderr.write(`${section.name}…\n`);
    rows.push(...(await section.measure(results)));
  }
  const machine = `Node ${process.version}, ${availableParallelism()} cores, load average ${machineBefore.toFixed(1)} → ${(loadavg()[0] as number).toFixed(1)}`;
  console.log(`\nSupport Center bench (${new Date().toISOString()}; ${machine}; cold starts: median of ${RUNS}; SMS excluded from costs)`);
  console.table(rows);
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify({ at: new Date().toISOString(), machine, runs: RUNS, budgets: BUDGETS, table: rows, ...results }, null, 2)}\n`);
  console.log(`written to ${join(OUT, 'results.json')}`);
  const over = rows.filter((r) => r.ok === 'NO');
  if (over.length > 0) {
    console.log(`\nover budget (${over.length}):\n${over.map((r) => `  NO  ${r.figure} = ${r.value} (budget ${r.budget})`).join('\n')}`);
    process.exitCode = 1;
  } else {
    console.log('\nevery figure within its budget');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
