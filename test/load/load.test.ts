import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/local-paths';
import { type StartedSystem, startSystem } from '../support/local-process.ts';
import { runLoad } from './load-driver.ts';

/**
 * `npm run test:load`: the local runtime under many concurrent citizens and operators. Afterwards
 * every accepted request is in a final status, no slot is overbooked, no SMS went out twice, and
 * nothing answered 5xx. Bounded (LOAD_CITIZENS, LOAD_SECONDS, LOAD_CONCURRENCY) and loopback only.
 * The throughput and latency are written to .bench/load.json for `npm run bench`, which holds the
 * steady figures (after the first LOAD_WARM_UP citizens, until the last citizen is done) to their
 * goals; they are not asserted here (a timed test is not a benchmark). The machine's load average is
 * recorded with them: figures from a shared machine say so.
 */
const CITIZENS = Number(process.env.LOAD_CITIZENS ?? 240);
const WARM_UP = Number(process.env.LOAD_WARM_UP ?? 60);
const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 12);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 240);
let system: StartedSystem;

beforeAll(async () => {
  system = await startSystem({ POWERTOOLS_LOG_LEVEL: 'WARN' });
});

afterAll(async () => {
  await system?.stop();
});

describe('load on the local runtime', () => {
  it(`${CITIZENS} citizens filing both kinds of requests while operators work: nothing lost, nothing doubled`, async () => {
    const loadBefore = loadavg()[0] as number;
    const result = await runLoad({ url: system.url, dynamoEndpoint: system.dynamoEndpoint, citizens: CITIZENS, warmUpCitizens: WARM_UP, concurrency: CONCURRENCY, timeLimitMs: SECONDS * 1000 });
    const machine = { cores: availableParallelism(), loadAverage1mBefore: loadBefore, loadAverage1mAfter: loadavg()[0] as number };
    const summary = { ...result, accepted: result.accepted.length, concurrency: CONCURRENCY, machine };
    mkdirSync(join(REPO_ROOT, '.bench'), { recursive: true });
    writeFileSync(join(REPO_ROOT, '.bench', 'load.json'), `${JSON.stringify({ at: new Date().toISOString(), citizens: CITIZENS, ...summary }, null, 2)}\n`);
    console.log('load:', JSON.stringify(summary));
    const steady = result.steady
      ? `steady (citizens ${result.steady.fromCitizen}–${CITIZENS - 1}): ${result.steady.throughputPerSecond} calls/s, p50 ${result.steady.p50Ms} ms, p99 ${result.steady.p99Ms} ms`
      : 'no steady stretch (fewer citizens than the warm-up)';
    console.log(
      `load: ${steady} (goals: ≥ 150 calls/s, p99 ≤ 300 ms); whole run: ${result.throughputPerSecond} calls/s, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms; ` +
        `machine: ${machine.cores} cores, load average ${machine.loadAverage1mBefore.toFixed(1)} → ${machine.loadAverage1mAfter.toFixed(1)}`,
    );
    expect(result.accepted).toHaveLength(CITIZENS * 2);
    expect(result.serverErrors).toBe(0);
    expect(result.unfinished).toEqual([]);
    expect(result.overbookedSlots).toEqual([]);
    expect(result.duplicateSms).toEqual([]);
  });
});
