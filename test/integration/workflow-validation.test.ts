import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { putProfile } from '#core/profiles/put-profile';
import { createRequest } from '#core/requests/create-request';
import { provideDeps, resetDeps } from '#functions/deps';
import { handler as requestTasks } from '#functions/tasks/request-tasks';
import { REPO_ROOT } from '#infra/local/local-paths';
import { Outbox } from '#infra/local/outbox';
import { LocalWorkflows, type LocalWorkflowsOptions, aslValidationCount, forgetValidatedMachines } from '#infra/local/workflow-runner';
import { WORKFLOWS } from '#infra/workflows';
import type { Deps } from '#ports/deps';
import { identity, writtenRequest } from '../support/fixtures.ts';
import { eventually, freshTable, realSystem } from '../support/integration.ts';

/**
 * The local runner validates each ASL file once, when it is built (a bad file stops start-up and
 * is named), and never again per execution: the schema check costs ~190 ms a definition.
 */
const dirs: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  resetDeps();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of statemachines/ where one file is replaced by `text`. */
function aslRootWith(file: string, edit: (text: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'asl-'));
  dirs.push(root);
  cpSync(join(REPO_ROOT, 'statemachines'), join(root, 'statemachines'), { recursive: true });
  const path = join(root, file);
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return root;
}

/** A fresh directory for the remembered verdicts: every test sees the validator run. */
function freshValidatedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'asl-validated-'));
  dirs.push(dir);
  return dir;
}

function options(aslRoot?: string, validatedDir = freshValidatedDir()): LocalWorkflowsOptions {
  return {
    validatedDir,
    taskHandlers: { requestTasks: (event) => requestTasks(event as never, {} as never) },
    dynamo: undefined as never,
    sms: new Outbox(realSystem().clock),
    tableName: 'unused',
    waitScale: 0,
    ...(aslRoot ? { aslRoot } : {}),
  };
}

describe('ASL validation in the local runner', () => {
  it('refuses a definition that breaks the ASL schema at construction, naming its file', () => {
    const file = WORKFLOWS.callback.file;
    // A state that goes nowhere: `Next` names no state (a mistake the JSON schema check catches).
    const root = aslRootWith(file, (text) => {
      const asl = JSON.parse(text) as { StartAt: string; States: Record<string, { Next?: string; Type: string }> };
      asl.States[asl.StartAt] = { Type: 'Pass', Next: 'NoSuchState' };
      return JSON.stringify(asl);
    });
    expect(() => new LocalWorkflows(options(root))).toThrow(new RegExp(`^${file.replace('.', '\\.')}: State machine definition is invalid`));
  });

  it('refuses a file that is not JSON, naming it', () => {
    const file = WORKFLOWS.notice.file;
    const root = aslRootWith(file, (text) => text.slice(0, text.length / 2));
    expect(() => new LocalWorkflows(options(root))).toThrow(new RegExp(`^${file.replace('.', '\\.')}: not JSON`));
  });

  it('accepts the repository files as they are', () => {
    expect(() => new LocalWorkflows(options(aslRootWith(WORKFLOWS.intake.file, (t) => t)))).not.toThrow();
  });

  it('validates each workflow once per process: neither another runner nor 20 concurrent runs validate again', async () => {
    new LocalWorkflows(options());
    const before = aslValidationCount();
    const machines = new Set<unknown>();
    const run = StateMachine.prototype.run;
    vi.spyOn(StateMachine.prototype, 'run').mockImplementation(function (this: StateMachine, ...args) {
      machines.add(this);
      return run.apply(this, args);
    });
    const { client, tableName, store } = await freshTable();
    const sms = new Outbox(realSystem().clock);
    const workflows = new LocalWorkflows({ ...options(), dynamo: client, sms, tableName });
    const deps: Deps = { ...store, sms, workflows, ...realSystem() };
    provideDeps(deps);
    // Distinct citizens with distinct phones: a phone belongs to one profile.
    const users = Array.from({ length: 20 }, (_, i) => ({ sub: `validation-user-${i}`, who: identity({ phone: `+7 912 000-00-${String(i).padStart(2, '0')}` }) }));
    await Promise.all(users.map((u) => putProfile(deps, u.sub, u.who)));
    const ids = await Promise.all(users.map(async (u) => ((await createRequest(deps, u.sub, writtenRequest({ identity: u.who }))).body as { id: string }).id));
    await eventually(async () => (ids.every((id) => workflows.execution('intake', id)?.status === 'SUCCEEDED') ? true : undefined), '20 intake runs', 20_000);
    expect(aslValidationCount()).toBe(before);
    // One machine served all 20: nothing was constructed (and so validated) per execution.
    expect(machines.size).toBe(1);
    // Each of the 20 runs went through the whole intake path (same machine instance, concurrently).
    for (const id of ids) expect(workflows.execution('intake', id)?.states.length).toBeGreaterThan(3);
  });

  it('counts a validation for each workflow the first time a process builds a runner with its definition', () => {
    // A different wait scale prepares different definitions (Waits on timestamps become local tasks).
    const before = aslValidationCount();
    const dir = freshValidatedDir();
    new LocalWorkflows({ ...options(undefined, dir), waitScale: 0.001 });
    const after = aslValidationCount();
    expect(after - before).toBeGreaterThan(0);
    expect(after - before).toBeLessThanOrEqual(Object.keys(WORKFLOWS).length);
    new LocalWorkflows({ ...options(undefined, dir), waitScale: 0.001 });
    expect(aslValidationCount()).toBe(after);
  });

  it('remembers passed definitions across processes (on disk), and never a failed one', () => {
    const dir = freshValidatedDir();
    forgetValidatedMachines();
    const before = aslValidationCount();
    new LocalWorkflows({ ...options(undefined, dir), waitScale: 0.002 });
    const after = aslValidationCount();
    expect(after - before).toBe(Object.keys(WORKFLOWS).length);
    forgetValidatedMachines();
    // As the next `npm start` would: same files, same validator, nothing validated again.
    new LocalWorkflows({ ...options(undefined, dir), waitScale: 0.002 });
    expect(aslValidationCount()).toBe(after);
    // Another directory knows nothing: validated again.
    forgetValidatedMachines();
    new LocalWorkflows({ ...options(undefined, freshValidatedDir()), waitScale: 0.002 });
    expect(aslValidationCount()).toBeGreaterThan(after);
    // A bad file fails every time, even with the directory that remembers the good ones.
    const bad = aslRootWith(WORKFLOWS.callback.file, (text) => text.replace('"StartAt"', '"StartsAt"'));
    for (let i = 0; i < 2; i += 1) {
      forgetValidatedMachines();
      expect(() => new LocalWorkflows(options(bad, dir))).toThrow(/statemachines\/callback\.asl\.json: /);
    }
  });
});
