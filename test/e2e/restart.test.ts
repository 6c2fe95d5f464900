import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client.ts';
import { answeredCallBody, citizenPhone, identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { type StartedSystem, cliToken, startSystem } from '../support/local-process.ts';

/**
 * `npm start` with DATA_DIR is killed (SIGKILL, the whole process group) while workflows run:
 * callbacks waiting for their slot, written requests still in intake. Started again, the
 * reconciler resumes every run the dead process left, and every request reaches a final status,
 * with no slot booked twice and no SMS sent twice.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'support-center-restart-'));
let system: StartedSystem | undefined;
const call = apiClient(() => system?.url ?? '');
afterAll(async () => {
  await system?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const CITIZENS = ['restart-a', 'restart-b', 'restart-c'];
const FINAL = ['answered', 'completed', 'missed', 'cancelled'];

/** Each citizen has a phone of their own: a number belongs to one profile. */
const identityOf = (c: string) => identity({ phone: citizenPhone(c) });

function callbackBody(c: string) {
  return { channel: 'callback', type: 'technical', identity: identityOf(c), callback: { phone: '+7 495 123-45-67', description: 'Не приходит код' } };
}

interface Outbox {
  items: { to: string; text: string }[];
}

describe('kill -9 in the middle of workflows, then npm start again with the same DATA_DIR', () => {
  // Two whole starts of the system (each a JVM, the ASL validation, the web build check) and five
  // token CLI spawns: on a shared 2-core machine that alone can take a minute. Every wait inside
  // keeps its own deadline; only the harness's limit for the whole walk is longer than the default.
  it('resumes every unfinished run at start; every request ends final; nothing booked or sent twice', { timeout: 180_000 }, async () => {
    const admin = cliToken('admin-1', 'admin');
    const operator = cliToken('operator-restart', 'operator');
    const tokens = Object.fromEntries(CITIZENS.map((c) => [c, cliToken(c)]));

    // WAIT_SCALE=1: a callback's run really waits for its slot, so it is mid-flight when killed.
    system = await startSystem({ DATA_DIR: dataDir, WAIT_SCALE: '1' });
    for (const c of CITIZENS) expect((await call(`/v1/admin/profiles/${c}`, { method: 'PUT', token: admin, body: identityOf(c) })).status).toBe(201);
    const callbacks: { id: string; owner: string }[] = [];
    for (const c of CITIZENS) {
      const created = await call('/v1/requests', { method: 'POST', token: tokens[c], body: callbackBody(c) });
      expect(created.status).toBe(202);
      callbacks.push({ id: created.body.id as string, owner: c });
    }
    const booked = new Map<string, string>();
    for (const cb of callbacks) {
      const r = await eventually(async () => {
        const got = await call(`/v1/requests/${cb.id}`, { token: tokens[cb.owner] });
        return got.body.status === 'scheduled' ? got : undefined;
      }, `callback ${cb.id} booked`);
      booked.set(cb.id, r.body.scheduledAt as string);
    }
    // A burst of written requests, killed right after their 202s: some are still in intake.
    const written = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const owner = CITIZENS[i % CITIZENS.length] as string;
        const created = await call('/v1/requests', { method: 'POST', token: tokens[owner], body: writtenRequest({ identity: identityOf(owner) }) });
        expect(created.status).toBe(202);
        return { id: created.body.id as string, owner };
      }),
    );
    await system.stop('SIGKILL');

    system = await startSystem({ DATA_DIR: dataDir, WAIT_SCALE: '0' });
    // At least the three waiting callbacks were resumed at start (their runs died with the process).
    const started = system;
    const resumedLine = await eventually(async () => /resumed (\d+) request\(s\)/.exec(started.output()) ?? undefined, 'the resumed line');
    expect(Number(resumedLine[1])).toBeGreaterThanOrEqual(callbacks.length);

    // Operators: every callback comes back to the queue, on the slot it had; each is answered.
    for (const cb of callbacks) {
      await eventually(async () => {
        const queue = await call('/v1/ops/queues/tech-support?limit=100', { token: operator });
        return (queue.body.items as { requestId: string }[]).some((e) => e.requestId === cb.id) ? true : undefined;
      }, `callback ${cb.id} back in the queue`, 30_000);
      const detail = await call(`/v1/requests/${cb.id}`, { token: tokens[cb.owner] });
      expect(detail.body.scheduledAt).toBe(booked.get(cb.id));
      expect((await call(`/v1/ops/requests/${cb.id}/take`, { method: 'POST', token: operator })).status).toBe(200);
      const recorded = await call('/v1/ops/calls', { method: 'POST', token: operator, body: answeredCallBody(cb.id) });
      expect(recorded.status).toBe(201);
    }
    // Written requests: each leaves intake (resumed when it was cut off), and is answered.
    for (const w of written) {
      let last = '';
      await eventually(async () => {
        const got = await call(`/v1/requests/${w.id}`, { token: tokens[w.owner] });
        last = `${got.status} ${JSON.stringify({ status: got.body.status, timeline: got.body.timeline })}`;
        return got.body.status === 'registered' ? true : undefined;
      }, () => `written request ${w.id} registered (last seen: ${last})\n${system?.output().slice(-3000) ?? ''}`, 30_000);
      expect((await call(`/v1/ops/requests/${w.id}/answer`, { method: 'POST', token: operator, body: { text: 'Ответ по обращению.' } })).status).toBe(200);
    }
    for (const { id, owner } of [...callbacks, ...written]) {
      const done = await eventually(async () => {
        const got = await call(`/v1/requests/${id}`, { token: tokens[owner] });
        return FINAL.includes(got.body.status as string) ? got : undefined;
      }, `request ${id} final`, 30_000);
      expect(['answered', 'completed']).toContain(done.body.status);
    }

    // No SMS twice for one event: each text (they name the request number) at most once.
    const outbox = (await call('/_local/outbox')).body as unknown as Outbox;
    const texts = outbox.items.map((m) => `${m.to} ${m.text}`);
    expect(new Set(texts).size).toBe(texts.length);
    // Every answered written request got its `answered` SMS (sent after the restart).
    const numbers = await Promise.all(written.map(async (w) => (await call(`/v1/requests/${w.id}`, { token: tokens[w.owner] })).body.number as string));
    for (const n of numbers) expect(outbox.items.filter((m) => m.text.includes(n) && m.text.includes('дан ответ'))).toHaveLength(1);
    // What the restarted runtime counted (GET /_local/metrics): its resumes, and the SMS it sent.
    const totals = (await call('/_local/metrics')).body.totals as Record<string, number>;
    expect(totals.RequestsReconciled).toBeGreaterThanOrEqual(callbacks.length);
    expect(totals.SmsSent).toBeGreaterThanOrEqual(written.length);
    expect(totals.SmsFailed ?? 0).toBe(0);
    // Slots: each callback holds the one place it had; none was booked a second time.
    const queue = await call('/v1/ops/queues/tech-support?limit=100', { token: operator });
    expect(queue.body.items).toEqual([]);
  });
});
