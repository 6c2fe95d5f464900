/**
 * Regressions: bugs the first round of unit tests found (logger, OpenAPI, idempotency, passport
 * dates), each fixed; each test states the behaviour the contract or the design asks for.
 */
import { describe, expect, it, vi } from 'vitest';
import { logger, scrub } from '#adapters/logger';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { scheduleCallback } from '#core/callbacks/schedule';
import { checkCreateRules, createRequest } from '#core/requests/create-request';
import { openApiDocument } from '#http/openapi';
import { storedCallbackRequest } from '../support/fixtures.ts';
import { callbackInput, identity, writtenInput } from './fixtures.ts';

describe('regressions', () => {
  /*
   * functions/adapters/logger.ts:20 — scrubValue redacts a sensitive key only when its value is
   * not an object. A passport logged as an object (key `passport`, or inside `identity`) is walked
   * into, and its `series` (4 digits, below the 6-digit DIGIT_RUN) is printed in clear.
   */
  it('logger: a passport object is not printed (its series leaked in clear)', () => {
    const printed = (attributes: Record<string, unknown>) => {
      const lines: string[] = [];
      const out = (logger as unknown as { console: Pick<Console, 'info'> }).console;
      const spy = vi.spyOn(out, 'info').mockImplementation((line: unknown) => {
        lines.push(String(line));
      });
      const level = logger.getLevelName();
      logger.setLogLevel('INFO');
      try {
        logger.info('probe', attributes);
      } finally {
        logger.setLogLevel(level);
        spy.mockRestore();
      }
      return lines.join('');
    };
    const passport = { series: '4510', number: '123456', issuedOn: '2015-03-20' };
    expect(printed({ passport })).toContain('probe');
    expect(printed({ passport })).not.toContain('4510');
    expect(printed({ identity: { fullName: 'Иванов Иван', passport } })).not.toContain('4510');
  });

  /*
   * functions/adapters/logger.ts:10 — DIGIT_RUN allows at most two separator characters between
   * digits, so numbers written with " - " (space-dash-space), which parsePhone and parseSnils
   * accept as input, pass through scrub() untouched.
   */
  it.each(['+7 912 - 345 - 67 - 89', '8 - 912 - 345 - 67 - 89', '112 - 233 - 445 95', '+7 (912) 345 - 67 - 89'])('logger: scrub masks %j', (text) => {
    const out = scrub(`value ${text}`);
    expect(out.replace(/\D/g, '').length).toBeLessThan(3);
  });

  /*
   * functions/http/openapi.ts:51 — jsonSchema() embeds a standalone JSON Schema for each body
   * and response: `{ $schema, $ref: "#/$defs/CreateRequest", $defs }`. Inside an OpenAPI 3.1
   * document, "#/…" resolves against the document root (no $id sets a new base), where there is
   * no `$defs`: OpenAPI tooling cannot resolve these references. Every local $ref must resolve
   * from the root (e.g. generate into components.schemas and reference `#/components/schemas/…`).
   */
  it('openapi: every local $ref resolves from the document root', () => {
    const doc = openApiDocument() as unknown;
    const refs: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node !== null && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          if (k === '$ref' && typeof v === 'string') refs.push(v);
          else walk(v);
        }
      }
    };
    walk(doc);
    expect(refs.length).toBeGreaterThan(0);
    const unresolved = refs.filter((ref) => {
      if (!ref.startsWith('#/')) return false;
      let node: unknown = doc;
      for (const part of ref.slice(2).split('/')) {
        if (node === null || typeof node !== 'object') return true;
        node = (node as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      }
      return node === undefined;
    });
    expect([...new Set(unresolved)]).toEqual([]);
  });

  /*
   * functions/core/requests/create-request.ts:136 — createRequest validates (checkCreateRules,
   * which depends on the current time) before it looks for the idempotency record. A retry with
   * the same key and body after the preferred window (or any time-dependent rule) has passed
   * gets 400 window_invalid instead of the first response, breaking "the same key and body
   * within 24 h return the first response again".
   */
  it('createRequest: a retry with the same key and body within 24 h replays even if the window has passed since', async () => {
    const deps: MemoryDeps = memoryDeps();
    const now = deps.clock.now().getTime();
    const input = callbackInput({
      callback: {
        phone: '+7 495 123-45-67',
        description: 'd',
        preferredWindow: { from: new Date(now + 3_600_000).toISOString(), to: new Date(now + 2 * 3_600_000).toISOString() },
      },
    });
    const first = await createRequest(deps, 'user-1', input, 'key-1');
    deps.clock.advanceMinutes(3 * 60);
    await expect(createRequest(deps, 'user-1', input, 'key-1')).resolves.toEqual(first);
  });

  /*
   * create-request.ts:44 and put-profile.ts:11 pass isoDate(now), the UTC date, as `today` to checkIdentity → passport.ts:24 —
   * "not in the future" is judged against the UTC date (isoDate(now)). Between 00:00 and 03:00
   * Moscow time (up to 12:00 in Kamchatka) a passport issued today, by the Russian calendar, is
   * rejected as passport_invalid. Expected: compare with the date in the latest Russian time zone
   * (UTC+12), or at least Moscow time.
   */
  it('passport issued "today" in Moscow is accepted at 01:30 MSK (22:30 UTC the day before)', () => {
    const now = new Date('2026-03-02T22:30:00.000Z'); // 2026-03-03 01:30 MSK
    const input = writtenInput({ identity: identity({ passport: { series: '4510', number: '123456', issuedOn: '2026-03-03' } }) });
    expect(checkCreateRules(input, now)).toEqual([]);
  });

  /*
   * callbacks/schedule.ts — a retry was booked from now + 15 min only. A call made before its
   * slot (an operator early; every local run with WAIT_SCALE=0) at 19:29 MSK, for a callback
   * booked at 08:00 next morning, retried into that same 08:00 slot: the CI failure of
   * 2026-11-26 ("scheduledAt not to be first"). A retry starts 15 min after its slot too.
   */
  it('scheduleCallback: an evening call for a next-morning slot retries after that slot, not into it', async () => {
    const deps: MemoryDeps = memoryDeps();
    deps.clock.set('2026-11-26T16:29:00.000Z'); // Thu 19:29 MSK: the next free slot is Fri 08:00
    const at = deps.clock.now().toISOString();
    await deps.requests.createRequest(storedCallbackRequest('req-1', '20261126-000001', at), { at, event: 'received' }, undefined, at);
    const first = await scheduleCallback(deps, 'req-1');
    expect(first.scheduledAt).toBe('2026-11-27T05:00:00.000Z');
    deps.clock.advanceMinutes(1); // the unanswered call, still on Thursday evening
    const retry = await scheduleCallback(deps, 'req-1');
    expect(retry.scheduledAt).toBe('2026-11-27T05:15:00.000Z');
    expect((await deps.requests.getRequest('req-1'))?.scheduledAt).toBe(retry.scheduledAt);
  });
});
