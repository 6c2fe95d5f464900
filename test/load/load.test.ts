import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '#infra/local/local-paths';
import { type StartedSystem, startSystem } from '../support/local-process.ts';
import { runLoad } from './load-driver.ts';

/**
 * `npm run test:load`: the local runtime under many concurrent citizens and operators. Afterwards
 * every accepted request is in a final status, no slot is overbooked, no SMS went out twice, and
 * nothing answered 5xx. Bounded (LOAD_CITIZENS, LOAD_SECONDS) and loopback only.
 */
const CITIZENS = Number(process.env.LOAD_CITIZENS ?? 60);
const SECONDS = Number(process.env.LOAD_SECONDS ?? 150);
let system: StartedSystem;

beforeAll(async () => {
  system = await startSystem({ POWERTOOLS_LOG_LEVEL: 'WARN' });
});

afterAll(async () => {
  await system?.stop();
});

describe('load on the local runtime', () => {
  it(`${CITIZENS} citizens filing both kinds of requests while operators work: nothing lost, nothing doubled`, async () => {
    const result = await runLoad({ url: system.url, dynamoEndpoint: system.dynamoEndpoint, citizens: CITIZENS, concurrency: 12, timeLimitMs: SECONDS * 1000 });
    const summary = { ...result, accepted: result.accepted.length };
    mkdirSync(join(REPO_ROOT, '.bench'), { recursive: true });
    writeFileSync(join(REPO_ROOT, '.bench', 'load.json'), `${JSON.stringify({ at: new Date().toISOString(), citizens: CITIZENS, ...summary }, null, 2)}\n`);
    console.log('load:', JSON.stringify(summary));
    expect(result.accepted).toHaveLength(CITIZENS * 2);
    expect(result.serverErrors).toBe(0);
    expect(result.unfinished).toEqual([]);
    expect(result.overbookedSlots).toEqual([]);
    expect(result.duplicateSms).toEqual([]);
  });
});
