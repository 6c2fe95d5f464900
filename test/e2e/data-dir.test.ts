import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { identity, writtenRequest } from '../support/fixtures.ts';
import { eventually } from '../support/integration.ts';
import { cliToken, startSystem } from '../support/local-process.ts';

/** DATA_DIR keeps requests, the identity hash key and the outbox across restarts. */
const dataDir = mkdtempSync(join(tmpdir(), 'support-center-data-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function json(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('npm start with DATA_DIR', () => {
  it('serves the same request after a restart, and still verifies against the kept profile', async () => {
    const admin = cliToken('admin-1', 'admin');
    const citizen = cliToken('citizen-kept');
    const auth = (t: string) => ({ authorization: `Bearer ${t.trim()}`, 'content-type': 'application/json' });

    let system = await startSystem({ DATA_DIR: dataDir });
    await json(`${system.url}/v1/admin/profiles/citizen-kept`, { method: 'PUT', headers: auth(admin), body: JSON.stringify(identity()) });
    const created = await json(`${system.url}/v1/requests`, { method: 'POST', headers: auth(citizen), body: JSON.stringify(writtenRequest()) });
    const id = created.body.id as string;
    await eventually(async () => {
      const r = await json(`${system.url}/v1/requests/${id}`, { headers: auth(citizen) });
      const outbox = await json(`${system.url}/_local/outbox`);
      return r.body.status === 'registered' && (outbox.body.items as unknown[]).length === 1 ? r : undefined;
    }, 'registered, with its SMS');
    await system.stop();

    system = await startSystem({ DATA_DIR: dataDir });
    try {
      const again = await json(`${system.url}/v1/requests/${id}`, { headers: auth(citizen) });
      expect(again.status).toBe(200);
      expect(again.body.status).toBe('registered');
      // The identity hash key was kept too: a new request still matches the stored profile.
      const second = await json(`${system.url}/v1/requests`, { method: 'POST', headers: auth(citizen), body: JSON.stringify(writtenRequest()) });
      const done = await eventually(async () => {
        const r = await json(`${system.url}/v1/requests/${second.body.id as string}`, { headers: auth(citizen) });
        return r.body.status !== 'received' ? r : undefined;
      }, 'second request to move on');
      expect(done.body.status).toBe('registered');
      // One SMS from before the restart (kept in DATA_DIR) and one from after it.
      await eventually(async () => {
        const outbox = await json(`${system.url}/_local/outbox`);
        return (outbox.body.items as unknown[]).length === 2 ? true : undefined;
      }, 'two SMS in the kept outbox');
    } finally {
      await system.stop();
    }
  });
});
