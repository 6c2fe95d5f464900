import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { DEFAULT_NOW } from '#adapters/memory/fixed-clock';
import { recordCall } from '#core/callbacks/record-call';
import { ValidationError } from '#core/errors';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as opsHandler } from '#http/ops';
import { everyQueue } from '../support/fixtures.ts';
import { staffClaims } from '../support/http-event.ts';
import { httpEvent, lambdaContext } from './fixtures.ts';

/**
 * The times an operator reports for a call are ordered, not in the future and at most 24 hours old;
 * transcript lines lie within the call. Otherwise 400 validation_failed naming the field.
 */
const NOW = Date.parse(DEFAULT_NOW);
const iso = (offsetSeconds: number) => new Date(NOW + offsetSeconds * 1000).toISOString();
const base = { direction: 'inbound' as const, phone: '+79123456789', queuedAt: iso(-600), answeredAt: iso(-300), endedAt: iso(-60), outcome: 'answered' as const };

async function problemsOf(deps: MemoryDeps, body: Record<string, unknown>) {
  try {
    await recordCall(deps, everyQueue('op-1'), body as never);
  } catch (error) {
    if (error instanceof ValidationError) return error.errors.map((e) => `${e.path}:${e.code}`);
    throw error;
  }
  return [];
}

describe('reported call times', () => {
  let deps: MemoryDeps;
  beforeEach(() => {
    deps = memoryDeps();
  });

  it('takes a well-ordered call of the last 24 hours, with a minute of clock skew', async () => {
    expect(await problemsOf(deps, base)).toEqual([]);
    expect(await problemsOf(deps, { ...base, endedAt: iso(59) })).toEqual([]);
    expect(await problemsOf(deps, { ...base, queuedAt: iso(-24 * 3600 + 1) })).toEqual([]);
    expect(await problemsOf(deps, { ...base, transcript: [{ at: base.queuedAt, speaker: 'operator', text: 'a' }, { at: base.endedAt, speaker: 'citizen', text: 'b' }] })).toEqual([]);
  });

  it("refuses the issue's year-zero queue time, and any time older than 24 hours", async () => {
    const putCall = vi.spyOn(deps.calls, 'putCall');
    expect(await problemsOf(deps, { ...base, queuedAt: '0000-01-01T00:00:00Z' })).toEqual(['queuedAt:time_too_old']);
    expect(await problemsOf(deps, { ...base, queuedAt: iso(-24 * 3600 - 1) })).toEqual(['queuedAt:time_too_old']);
    expect(await problemsOf(deps, { ...base, queuedAt: iso(-30 * 3600), answeredAt: iso(-25 * 3600) })).toEqual(['queuedAt:time_too_old', 'answeredAt:time_too_old']);
    expect(putCall).not.toHaveBeenCalled();
  });

  it('refuses times in the future', async () => {
    expect(await problemsOf(deps, { ...base, endedAt: iso(61) })).toEqual(['endedAt:time_in_future']);
    expect(await problemsOf(deps, { ...base, queuedAt: iso(3600), answeredAt: iso(3700), endedAt: iso(3800) })).toEqual([
      'queuedAt:time_in_future',
      'answeredAt:time_in_future',
      'endedAt:time_in_future',
    ]);
  });

  it('refuses times out of order, naming the later field', async () => {
    expect(await problemsOf(deps, { ...base, answeredAt: iso(-700) })).toEqual(['answeredAt:times_out_of_order']);
    expect(await problemsOf(deps, { ...base, endedAt: iso(-400) })).toEqual(['endedAt:times_out_of_order']);
    expect(await problemsOf(deps, { ...base, outcome: 'no_answer', answeredAt: undefined, endedAt: iso(-700) })).toEqual(['endedAt:times_out_of_order']);
  });

  it('refuses transcript lines outside the call', async () => {
    const lines = [
      { at: base.queuedAt, speaker: 'operator', text: 'a' },
      { at: iso(-601), speaker: 'operator', text: 'b' },
      { at: iso(-59), speaker: 'citizen', text: 'c' },
    ];
    expect(await problemsOf(deps, { ...base, transcript: lines })).toEqual(['transcript.1.at:time_out_of_call', 'transcript.2.at:time_out_of_call']);
  });
});

describe('POST /v1/ops/calls with bad times', () => {
  let deps: MemoryDeps;
  beforeEach(() => {
    deps = memoryDeps();
    provideDeps(deps);
  });
  afterEach(() => resetDeps());

  it('answers 400 validation_failed with the field path and stores nothing', async () => {
    const putCall = vi.spyOn(deps.calls, 'putCall');
    const res = await opsHandler(
      httpEvent('POST /v1/ops/calls', { claims: staffClaims('op-1', ['operator']), body: { ...base, queuedAt: '0000-01-01T00:00:00Z' } }),
      lambdaContext,
    );
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body ?? '{}') as { code: string; errors: { path: string; code: string }[] };
    expect(body.code).toBe('validation_failed');
    expect(body.errors).toEqual([expect.objectContaining({ path: 'queuedAt', code: 'time_too_old' })]);
    expect(putCall).not.toHaveBeenCalled();
  });
});
