import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_NOW } from '#adapters/memory/fixed-clock';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import { StaleTransitionError } from '#core/errors';
import {
  AWAIT_OUTCOME_TIMEOUT_MS,
  CALLBACK_GRACE_MS,
  INTAKE_GRACE_MS,
  MAX_RESUMES,
  NOTICE_RECHECK_MS,
  callbackCheckAt,
  intakeCheckAt,
} from '#core/reconcile/expectations';
import { type Action, NOTICE_STEPS, decide, lostNotice, reconcile } from '#core/reconcile/reconcile';
import { recordWorkflowFailure } from '#core/reconcile/record-failure';
import { createRequest } from '#core/requests/create-request';
import { CLOSED_STATUSES, type SupportRequest, type WorkflowFailure } from '#core/requests/model';
import type { RequestStore } from '#ports/stores/requests';
import type { WorkflowName, Workflows } from '#ports/workflows';
import { WORKFLOWS } from '#infra/workflows';
import { writtenInput } from './fixtures.ts';

/**
 * The reconciler: what it decides for each shape of request (decide(), pure), that its constants
 * agree with the ASL files, and what a run does to requests over the in-memory adapters. Also
 * recordWorkflowFailure, the Catch path that makes a request due.
 */

const NOW = DEFAULT_NOW;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (offsetMs: number) => new Date(Date.parse(NOW) + offsetMs).toISOString();
/** A phone that appears only in a Cause, never in any request of this file. */
const CAUSE_PHONE = '+79123456789';

let seq = 0;
/** A request as the store keeps it; ids sort in creation order (listDueChecks breaks ties by id). */
function request(over: Partial<SupportRequest> = {}): SupportRequest {
  seq += 1;
  const n = String(seq).padStart(6, '0');
  const channel = over.channel ?? 'written';
  return {
    id: `req-${n}`,
    number: `20260302-${n}`,
    userId: 'user-1',
    channel,
    type: channel === 'written' ? 'technical' : 'consultation',
    status: 'received',
    createdAt: at(-HOUR),
    updatedAt: at(-HOUR),
    identity: {
      fullNameFolded: 'иванов иван иванович',
      snilsHash: 'snils-hash',
      snilsLast2: '95',
      passportHash: 'passport-hash',
      passportLast2: '56',
      phone: '+79001112233',
    },
    ...(channel === 'written'
      ? { written: { topic: 'Не приходит СМС-код', text: 'Код не приходит.', attempts: [] } }
      : { callback: { phone: { e164: '+74951234567', extension: '12' }, description: 'Как заполнить заявление?' } }),
    ...over,
  };
}

const ROUTE = { queue: 'consult', line: 'Консультации' };
const failure = (step: string, workflow = 'intake'): WorkflowFailure => ({ workflow, step, error: 'SmsSendError', at: at(-MINUTE) });
/** A booking whose slot was three hours ago: a live run would have moved it on by now. */
const STUCK = { scheduledAt: at(-3 * HOUR) };
const booked = (status: 'scheduled' | 'in_progress', over: Partial<SupportRequest> = {}) =>
  request({ channel: 'callback', status, route: ROUTE, scheduledAt: at(HOUR), slot: { queue: ROUTE.queue, start: at(HOUR) }, ...over });

describe('decide(): the action for each shape of due request', () => {
  const cases: [string, SupportRequest, boolean, boolean, Action][] = [
    ['received written → resume intake', request(), false, false, { kind: 'resume', workflow: 'intake' }],
    ['received written, failed at VerifyIdentity → resume intake', request({ failure: failure('VerifyIdentity') }), false, false, { kind: 'resume', workflow: 'intake' }],
    ['received callback with route → resume callback (past intake)', request({ channel: 'callback', route: ROUTE }), false, false, { kind: 'resume', workflow: 'callback' }],
    [
      'received callback with route, failed at StartCallback → resume callback',
      request({ channel: 'callback', route: ROUTE, failure: failure('StartCallback') }),
      false,
      false,
      { kind: 'resume', workflow: 'callback' },
    ],
    ['received callback without route → resume intake', request({ channel: 'callback' }), false, false, { kind: 'resume', workflow: 'intake' }],
    ['scheduled callback past its expectation → resume callback', booked('scheduled', STUCK), false, false, { kind: 'resume', workflow: 'callback' }],
    ['in_progress callback past its expectation → resume callback', booked('in_progress', STUCK), false, false, { kind: 'resume', workflow: 'callback' }],
    ['scheduled callback whose run failed at a step (not a notice) → resume callback', booked('scheduled', { failure: failure('AwaitOutcome', 'callback') }), false, false, { kind: 'resume', workflow: 'callback' }],
    ['scheduled callback not yet past its expectation, nothing owed → clear (keeps its expectation)', booked('scheduled'), false, false, { kind: 'clear' }],
    ['stuck callback whose scheduled SMS was lost and whose time has passed → resume without the stale SMS', booked('scheduled', { ...STUCK, failure: failure('NotifyScheduled', 'callback') }), false, false, { kind: 'resume', workflow: 'callback' }],
    ['scheduled callback, orphaned → resume callback', booked('scheduled'), true, false, { kind: 'resume', workflow: 'callback' }],
    ['received written, resumes = MAX → hand_over intake_stuck', request({ resumes: MAX_RESUMES }), false, false, { kind: 'hand_over', reason: 'intake_stuck' }],
    ['received written, resumes > MAX → hand_over intake_stuck', request({ resumes: MAX_RESUMES + 2 }), false, false, { kind: 'hand_over', reason: 'intake_stuck' }],
    [
      'received callback with route, resumes = MAX → hand_over intake_stuck',
      request({ channel: 'callback', route: ROUTE, resumes: MAX_RESUMES }),
      false,
      false,
      { kind: 'hand_over', reason: 'intake_stuck' },
    ],
    ['scheduled callback, resumes = MAX → hand_over callback_stuck', booked('scheduled', { ...STUCK, resumes: MAX_RESUMES }), false, false, { kind: 'hand_over', reason: 'callback_stuck' }],
    ['in_progress callback, resumes = MAX → hand_over callback_stuck', booked('in_progress', { ...STUCK, resumes: MAX_RESUMES }), false, false, { kind: 'hand_over', reason: 'callback_stuck' }],
    ['received written, resumes = MAX − 1 → still resumed', request({ resumes: MAX_RESUMES - 1 }), false, false, { kind: 'resume', workflow: 'intake' }],
    ['registered without failure → clear', request({ status: 'registered' }), false, false, { kind: 'clear' }],
    ['registered, orphaned, without failure → clear', request({ status: 'registered' }), true, false, { kind: 'clear' }],
    ['registered, failed at Notify, not delivered → resend registered', request({ status: 'registered', failure: failure('Notify') }), false, false, { kind: 'resend', notice: 'registered' }],
    ['registered, failed at Notify, delivered → clear', request({ status: 'registered', failure: failure('Notify') }), false, true, { kind: 'clear' }],
    [
      'registered, failed at Notify, resumes = MAX → hand_over notice_lost',
      request({ status: 'registered', failure: failure('Notify'), resumes: MAX_RESUMES }),
      false,
      false,
      { kind: 'hand_over', reason: 'notice_lost' },
    ],
    ['registered, failed at a step that sends nothing → clear', request({ status: 'registered', failure: failure('Route') }), false, false, { kind: 'clear' }],
    ['needs_info, failed at Notify → resend needs_info', request({ status: 'needs_info', failure: failure('Notify') }), false, false, { kind: 'resend', notice: 'needs_info' }],
    ['in_progress written request → clear (an operator’s turn)', request({ status: 'in_progress' }), false, false, { kind: 'clear' }],
    ...CLOSED_STATUSES.map((status): [string, SupportRequest, boolean, boolean, Action] => [`${status} without failure → clear`, request({ status }), false, false, { kind: 'clear' }]),
    ...CLOSED_STATUSES.map((status): [string, SupportRequest, boolean, boolean, Action] => [
      `${status} without failure, orphaned → clear`,
      request({ status, channel: 'callback', route: ROUTE }),
      true,
      false,
      { kind: 'clear' },
    ]),
    ['missed, failed at NotifyMissed → resend missed', booked('scheduled', { status: 'missed', failure: failure('NotifyMissed', 'callback') }), false, false, { kind: 'resend', notice: 'missed' }],
    ['missed, failed at NotifyMissed, delivered → clear', booked('scheduled', { status: 'missed', failure: failure('NotifyMissed', 'callback') }), false, true, { kind: 'clear' }],
    [
      'missed, failed at NotifyMissed, resumes = MAX → hand_over notice_lost',
      booked('scheduled', { status: 'missed', failure: failure('NotifyMissed', 'callback'), resumes: MAX_RESUMES }),
      false,
      false,
      { kind: 'hand_over', reason: 'notice_lost' },
    ],
    ['answered, failed at the notice workflow’s Notify → resend answered', request({ status: 'answered', failure: failure('Notify', 'notice') }), false, false, { kind: 'resend', notice: 'answered' }],
    ['completed, failed at Notify → clear (no notice for completed)', request({ status: 'completed', failure: failure('Notify', 'notice') }), false, false, { kind: 'clear' }],
    ['cancelled, failed at Notify → clear (no notice for cancelled)', request({ status: 'cancelled', failure: failure('Notify', 'notice') }), false, false, { kind: 'clear' }],
    [
      'scheduled callback, failed at NotifyScheduled, not orphaned → resend scheduled only',
      booked('scheduled', { failure: failure('NotifyScheduled', 'callback') }),
      false,
      false,
      { kind: 'resend', notice: 'scheduled' },
    ],
    [
      'scheduled callback, failed at NotifyScheduled, orphaned → resume callback and resend scheduled',
      booked('scheduled', { failure: failure('NotifyScheduled', 'callback') }),
      true,
      false,
      { kind: 'resume', workflow: 'callback', resend: 'scheduled' },
    ],
    [
      'scheduled callback, failed at NotifyScheduled, orphaned, delivered → resume callback only',
      booked('scheduled', { failure: failure('NotifyScheduled', 'callback') }),
      true,
      true,
      { kind: 'resume', workflow: 'callback' },
    ],
    [
      'scheduled callback, failed at NotifyScheduled, resumes = MAX → hand_over notice_lost',
      booked('scheduled', { failure: failure('NotifyScheduled', 'callback'), resumes: MAX_RESUMES }),
      false,
      false,
      { kind: 'hand_over', reason: 'notice_lost' },
    ],
    [
      'scheduled callback, failed at NotifyScheduled, orphaned, resumes = MAX → hand_over callback_stuck',
      booked('scheduled', { failure: failure('NotifyScheduled', 'callback'), resumes: MAX_RESUMES }),
      true,
      false,
      { kind: 'hand_over', reason: 'callback_stuck' },
    ],
  ];

  it.each(cases)('%s', (_label, r, orphaned, delivered, expected) => {
    expect(decide(r, orphaned, delivered, new Date(NOW))).toEqual(expected);
  });

  it('names the notice a failed sending step may have lost, by the status now', () => {
    expect(lostNotice(request({ status: 'registered', failure: failure('Notify') }))).toBe('registered');
    expect(lostNotice(booked('scheduled', { failure: failure('NotifyScheduled', 'callback') }))).toBe('scheduled');
    expect(lostNotice(request({ status: 'missed', failure: failure('NotifyMissed', 'callback') }))).toBe('missed');
    expect(lostNotice(request({ status: 'registered' }))).toBeUndefined();
    expect(lostNotice(request({ status: 'registered', failure: failure('Route') }))).toBeUndefined();
    expect(lostNotice(request({ status: 'received', failure: failure('Notify') }))).toBeUndefined();
  });

  /**
   * Known gap (reported, not fixed here): the callback workflow's NotifyScheduled Catch goes on
   * (RecordNoticeFailure → WaitUntilDue), so the run is alive, yet recordWorkflowFailure made the
   * request due at once. If an operator took the request (in_progress) before the next reconciler
   * run, lostNotice() finds no notice for in_progress, the "only the notice is owed" guard does not
   * apply, and decide() resumes the callback: a second run beside the live one (a new task token
   * overwrites the first run's, whose AwaitOutcome later times out into OutcomeLost and counts a
   * phantom attempt). `it.fails`: this passes while the bug is there; remove `.fails` with the fix.
   */
  it('does not start a second callback run for an in_progress callback whose run went on after a notice failure', () => {
    const r = booked('in_progress', { failure: failure('NotifyScheduled', 'callback'), checkAt: at(-MINUTE) });
    expect(decide(r, false, false, new Date(NOW))).not.toMatchObject({ kind: 'resume' });
  });
});

/** A state of an ASL file with what these tests read of it. */
interface AslState {
  Type: string;
  TimeoutSeconds?: number;
  Parameters?: { Payload?: Record<string, unknown> };
  Arguments?: { Payload?: Record<string, unknown> };
  Catch?: { ErrorEquals: string[]; ResultPath?: string | null; Next: string }[];
  Branches?: { States: Record<string, AslState> }[];
  Iterator?: { States: Record<string, AslState> };
  ItemProcessor?: { States: Record<string, AslState> };
}

function statesOf(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, s]): [string, AslState][] => [
    [name, s],
    ...(s.Branches ?? []).flatMap((b) => statesOf(b.States)),
    ...(s.Iterator ? statesOf(s.Iterator.States) : []),
    ...(s.ItemProcessor ? statesOf(s.ItemProcessor.States) : []),
  ]);
}

const aslStates = (workflow: WorkflowName) =>
  statesOf((JSON.parse(readFileSync(new URL(`../../${WORKFLOWS[workflow].file}`, import.meta.url), 'utf8')) as { States: Record<string, AslState> }).States);
const taskOf = (s: AslState) => (s.Parameters ?? s.Arguments)?.Payload?.task;

describe('the reconciler’s constants agree with the state machines', () => {
  it('AWAIT_OUTCOME_TIMEOUT_MS is the AwaitOutcome timeout of callback.asl.json, and CALLBACK_GRACE_MS outlasts it', () => {
    const awaitOutcome = aslStates('callback').find(([name]) => name === 'AwaitOutcome')?.[1];
    expect(awaitOutcome?.TimeoutSeconds).toBeTypeOf('number');
    expect(AWAIT_OUTCOME_TIMEOUT_MS).toBe((awaitOutcome?.TimeoutSeconds ?? 0) * 1000);
    expect(CALLBACK_GRACE_MS).toBeGreaterThan(AWAIT_OUTCOME_TIMEOUT_MS);
    expect(callbackCheckAt(NOW)).toBe(at(CALLBACK_GRACE_MS));
    expect(intakeCheckAt(new Date(NOW))).toBe(at(INTAKE_GRACE_MS));
  });

  it('NOTICE_STEPS are exactly the states that send a notice, across every state machine', () => {
    const senders = (Object.keys(WORKFLOWS) as WorkflowName[]).flatMap((w) => aslStates(w).filter(([, s]) => taskOf(s) === 'sendNotice').map(([name]) => name));
    // The three machines that notify do have such states (a reader that finds none proves nothing).
    for (const w of ['intake', 'callback', 'notice'] as const) expect(aslStates(w).some(([, s]) => taskOf(s) === 'sendNotice'), w).toBe(true);
    expect(new Set(NOTICE_STEPS).size).toBe(NOTICE_STEPS.length);
    expect([...NOTICE_STEPS].sort()).toEqual([...new Set(senders)].sort());
  });

  it('each notice step records its failure under its own state name, which is what lostNotice() reads', () => {
    for (const w of Object.keys(WORKFLOWS) as WorkflowName[]) {
      const states = new Map(aslStates(w));
      for (const [name, s] of states) {
        if (taskOf(s) !== 'sendNotice') continue;
        const all = s.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
        expect(all?.ResultPath, `${w}.${name}`).toBe(`$.failed.${name}`);
        expect(taskOf(states.get(all?.Next ?? '') ?? { Type: 'none' }), `${w}.${name} → ${all?.Next}`).toBe('recordFailure');
      }
    }
  });
});

describe('reconcile() over the in-memory adapters', () => {
  let deps: MemoryDeps;
  beforeEach(() => {
    deps = memoryDeps();
  });

  async function put(r: SupportRequest): Promise<SupportRequest> {
    const outcome = await deps.requests.createRequest(r, { at: r.createdAt, event: 'received' }, undefined, NOW);
    expect(outcome.kind).toBe('created');
    return r;
  }
  const stored = async (id: string) => {
    const r = await deps.requests.getRequest(id);
    if (!r) throw new Error(`no request ${id}`);
    return r;
  };
  const timeline = async (id: string) => (await deps.requests.getRequestDetail(id))?.timeline ?? [];

  it('acts on due requests only (checkAt <= now) and leaves the others as they are', async () => {
    const early = await put(request({ checkAt: at(-10 * MINUTE) }));
    const exactly = await put(request({ checkAt: NOW }));
    const notYet = await put(request({ checkAt: at(1) }));
    const none = await put(request());

    const report = await reconcile(deps);

    expect(report).toEqual({ checked: 2, resumed: 2, resent: 0, handedOver: 0, cleared: 0, failed: 0, handedOverIds: [], errors: [] });
    expect(deps.workflows.started).toEqual([
      { workflow: 'intake', name: `${early.id}-r1`, input: { requestId: early.id } },
      { workflow: 'intake', name: `${exactly.id}-r1`, input: { requestId: exactly.id } },
    ]);
    for (const id of [early.id, exactly.id]) {
      const r = await stored(id);
      expect(r.resumes).toBe(1);
      expect(r.checkAt).toBe(intakeCheckAt(new Date(NOW)));
      expect(r.status).toBe('received');
      expect(r.updatedAt).toBe(NOW);
      expect((await timeline(id)).at(-1)).toEqual({ at: NOW, event: 'resumed', detail: 'intake, resume 1', internal: true });
    }
    expect(await stored(notYet.id)).toEqual(notYet);
    expect(await stored(none.id)).toEqual(none);
  });

  it('a request filed through createRequest is due once its intake grace has passed', async () => {
    const { body } = await createRequest(deps, 'user-1', writtenInput());
    const { id } = body as { id: string };
    expect((await stored(id)).checkAt).toBe(intakeCheckAt(new Date(NOW)));

    expect((await reconcile(deps)).checked).toBe(0);
    deps.clock.advance(INTAKE_GRACE_MS - 1);
    expect((await reconcile(deps)).checked).toBe(0);
    deps.clock.advance(1);
    const report = await reconcile(deps);

    expect(report.resumed).toBe(1);
    expect(deps.workflows.started.map((s) => s.name)).toEqual([id, `${id}-r1`]);
    expect((await stored(id)).checkAt).toBe(intakeCheckAt(deps.clock.now()));
  });

  it('orphanedBefore: also resumes not-yet-due requests last moved before it, and only those', async () => {
    const orphanedBefore = at(-5 * MINUTE);
    const due = await put(request({ checkAt: at(-MINUTE), updatedAt: at(-MINUTE) }));
    const orphan = await put(request({ checkAt: at(HOUR), updatedAt: at(-10 * MINUTE) }));
    const live = await put(request({ checkAt: at(HOUR), updatedAt: orphanedBefore }));
    const orphanedBooking = await put(booked('scheduled', { checkAt: callbackCheckAt(at(HOUR)), updatedAt: at(-30 * MINUTE) }));

    const report = await reconcile(deps, { orphanedBefore });

    expect(report.resumed).toBe(3);
    expect(report.failed).toBe(0);
    expect(deps.workflows.started).toEqual([
      { workflow: 'intake', name: `${due.id}-r1`, input: { requestId: due.id } },
      { workflow: 'intake', name: `${orphan.id}-r1`, input: { requestId: orphan.id } },
      { workflow: 'callback', name: `${orphanedBooking.id}-r1`, input: { requestId: orphanedBooking.id, resume: true } },
    ]);
    expect(await stored(live.id)).toEqual(live);
    expect((await stored(orphan.id)).checkAt).toBe(intakeCheckAt(new Date(NOW)));
    // Back in a few minutes should the start be lost: the resumed run sets its own expectation (resumeCallback).
    expect((await stored(orphanedBooking.id)).checkAt).toBe(intakeCheckAt(new Date(NOW)));
  });

  it('orphanedBefore: a resumed request that comes back later in the index is looked at once per run', async () => {
    const r = await put(request({ checkAt: at(-MINUTE), updatedAt: at(-10 * MINUTE) }));
    // Its next expectation (now + intake grace) sorts after the page just read, and the run lists up to the far future.
    const report = await reconcile(deps, { orphanedBefore: NOW });
    expect(report).toMatchObject({ checked: 1, resumed: 1, failed: 0 });
    expect(deps.workflows.startCalls).toBe(1);
    expect((await stored(r.id)).resumes).toBe(1);
  });

  it('without orphanedBefore, a request last moved long ago but not yet due is left alone', async () => {
    const old = await put(request({ checkAt: at(HOUR), updatedAt: at(-24 * HOUR) }));
    expect((await reconcile(deps)).checked).toBe(0);
    expect(await stored(old.id)).toEqual(old);
    expect(deps.workflows.started).toEqual([]);
  });

  it('resumes a booked callback without booking again, and a routed received callback as a first run', async () => {
    const past = await put(booked('in_progress', { scheduledAt: at(-3 * HOUR), checkAt: callbackCheckAt(at(-3 * HOUR)) }));
    const routed = await put(request({ channel: 'callback', route: ROUTE, checkAt: at(-MINUTE) }));

    const report = await reconcile(deps);

    expect(report.resumed).toBe(2);
    expect(deps.workflows.started).toEqual([
      { workflow: 'callback', name: `${past.id}-r1`, input: { requestId: past.id, resume: true } },
      { workflow: 'callback', name: `${routed.id}-r1`, input: { requestId: routed.id } },
    ]);
    // Back in a few minutes should the start be lost: the resumed run sets its own expectation (resumeCallback).
    expect((await stored(past.id)).checkAt).toBe(intakeCheckAt(new Date(NOW)));
    expect((await stored(routed.id)).checkAt).toBe(intakeCheckAt(new Date(NOW)));
    expect((await timeline(past.id)).at(-1)).toMatchObject({ event: 'resumed', detail: 'callback, resume 1', internal: true });
    expect(deps.metrics.total('RequestsReconciled', { Action: 'resume_callback' })).toBe(2);
  });

  it('resends a lost notice, keeps the failure until the notice is seen delivered, then clears the check', async () => {
    const r = await put(request({ status: 'registered', route: ROUTE, failure: failure('Notify'), checkAt: at(-MINUTE) }));

    const first = await reconcile(deps);
    expect(first).toMatchObject({ checked: 1, resent: 1, resumed: 0 });
    expect(deps.workflows.started).toEqual([{ workflow: 'notice', name: `${r.id}-registered-r1`, input: { requestId: r.id, kind: 'registered' } }]);
    const afterResend = await stored(r.id);
    expect(afterResend.failure).toEqual(r.failure);
    expect(afterResend.resumes).toBe(1);
    expect(afterResend.checkAt).toBe(at(NOTICE_RECHECK_MS));
    expect(deps.metrics.total('RequestsReconciled', { Action: 'resend_notice' })).toBe(1);

    await deps.requests.recordNotice(r.id, 'registered', NOW);
    deps.clock.advance(NOTICE_RECHECK_MS);
    const second = await reconcile(deps);
    expect(second).toMatchObject({ checked: 1, cleared: 1, resent: 0 });
    const cleared = await stored(r.id);
    expect(cleared.failure).toBeUndefined();
    expect(cleared.checkAt).toBeUndefined();
    expect(cleared.resumes).toBe(1);
    expect(cleared.status).toBe('registered');
    expect(deps.workflows.started).toHaveLength(1);
    expect((await timeline(r.id)).at(-1)).toMatchObject({ event: 'check_cleared', internal: true });
    // Out of the index: later runs do not look at it again.
    deps.clock.advance(24 * HOUR);
    expect((await reconcile(deps)).checked).toBe(0);
  });

  it('an orphaned booked callback that lost its scheduled notice: the callback run and the notice, named after the resume', async () => {
    const r = await put(booked('scheduled', { failure: failure('NotifyScheduled', 'callback'), checkAt: at(-MINUTE), updatedAt: at(-MINUTE) }));
    await reconcile(deps, { orphanedBefore: NOW });
    expect(deps.workflows.started).toEqual([
      { workflow: 'callback', name: `${r.id}-r1`, input: { requestId: r.id, resume: true } },
      { workflow: 'notice', name: `${r.id}-scheduled-r1`, input: { requestId: r.id, kind: 'scheduled' } },
    ]);
    expect((await stored(r.id)).failure).toEqual(r.failure);
  });

  it('hands a request over after MAX_RESUMES: attention set, check removed, nothing started, counted by reason', async () => {
    const stuck = await put(request({ resumes: MAX_RESUMES, checkAt: at(-MINUTE), failure: failure('VerifyIdentity') }));
    const lost = await put(request({ status: 'missed', channel: 'callback', route: ROUTE, resumes: MAX_RESUMES, failure: failure('NotifyMissed', 'callback'), checkAt: at(-MINUTE) }));

    const report = await reconcile(deps);

    expect(report).toMatchObject({ checked: 2, handedOver: 2, resumed: 0, resent: 0, handedOverIds: [stuck.id, lost.id] });
    expect(deps.workflows.started).toEqual([]);
    const s = await stored(stuck.id);
    expect(s.attention).toEqual({ reason: 'intake_stuck', at: NOW });
    expect(s.checkAt).toBeUndefined();
    expect(s.resumes).toBe(MAX_RESUMES);
    expect(s.status).toBe('received');
    expect((await timeline(stuck.id)).at(-1)).toEqual({ at: NOW, event: 'needs_operator', detail: 'intake_stuck', internal: true });
    expect((await stored(lost.id)).attention).toEqual({ reason: 'notice_lost', at: NOW });
    expect(deps.metrics.recorded.filter((m) => m.name === 'RequestsNeedOperator')).toEqual([
      { name: 'RequestsNeedOperator', dimensions: { Reason: 'intake_stuck' }, value: 1 },
      { name: 'RequestsNeedOperator', dimensions: { Reason: 'notice_lost' }, value: 1 },
    ]);
    expect(deps.metrics.total('RequestsReconciled')).toBe(0);
  });

  it('records RequestsReconciled with the Action of each resume and resend', async () => {
    await put(request({ checkAt: at(-3 * MINUTE) }));
    await put(booked('scheduled', { scheduledAt: at(-3 * HOUR), checkAt: at(-2 * MINUTE) }));
    await put(request({ status: 'needs_info', failure: failure('Notify'), checkAt: at(-MINUTE) }));
    await put(request({ status: 'registered', checkAt: at(-MINUTE) }));

    const report = await reconcile(deps);

    expect(report).toMatchObject({ checked: 4, resumed: 2, resent: 1, cleared: 1, failed: 0 });
    expect(deps.metrics.recorded).toEqual([
      { name: 'RequestsReconciled', dimensions: { Action: 'resume_intake' }, value: 1 },
      { name: 'RequestsReconciled', dimensions: { Action: 'resume_callback' }, value: 1 },
      { name: 'RequestsReconciled', dimensions: { Action: 'resend_notice' }, value: 1 },
    ]);
  });

  it('skips a request whose status changed between listing and acting: not failed, nothing started', async () => {
    const moved = await put(request({ checkAt: at(-2 * MINUTE) }));
    const other = await put(request({ checkAt: at(-MINUTE) }));
    const inner = deps.requests;
    // Intake finishes (received → registered) right after the reconciler read the request.
    const requests: RequestStore = {
      ...inner,
      async getRequest(id) {
        const r = await inner.getRequest(id);
        if (id === moved.id) await inner.transition(id, ['received'], { status: 'registered', checkAt: null }, { at: NOW, event: 'registered' }, NOW);
        return r;
      },
    };

    const report = await reconcile({ ...deps, requests });

    expect(report).toEqual({ checked: 2, resumed: 1, resent: 0, handedOver: 0, cleared: 0, failed: 0, handedOverIds: [], errors: [] });
    expect(deps.workflows.started.map((s) => s.name)).toEqual([`${other.id}-r1`]);
    const r = await stored(moved.id);
    expect(r.status).toBe('registered');
    expect(r.resumes).toBeUndefined();
    expect((await timeline(moved.id)).map((e) => e.event)).toEqual(['received', 'registered']);
    expect(deps.metrics.total('RequestsReconciled')).toBe(1);
  });

  it('skips a request another reconciler resumed meanwhile (the resume count is the claim)', async () => {
    const r = await put(request({ checkAt: at(-MINUTE) }));
    const inner = deps.requests;
    const requests: RequestStore = {
      ...inner,
      async getRequest(id) {
        const read = await inner.getRequest(id);
        await inner.transition(id, ['received'], { resumes: 1, checkAt: intakeCheckAt(new Date(NOW)) }, { at: NOW, event: 'resumed', internal: true }, NOW, { expect: { resumes: 0 } });
        return read;
      },
    };

    const report = await reconcile({ ...deps, requests });

    expect(report).toMatchObject({ checked: 1, resumed: 0, failed: 0, errors: [] });
    expect(deps.workflows.started).toEqual([]);
    expect((await stored(r.id)).resumes).toBe(1);
  });

  it('two reconcilers at once start one run', async () => {
    const r = await put(request({ checkAt: at(-MINUTE) }));
    const [a, b] = await Promise.all([reconcile(deps), reconcile(deps)]);
    expect((a?.resumed ?? 0) + (b?.resumed ?? 0)).toBe(1);
    expect((a?.failed ?? 0) + (b?.failed ?? 0)).toBe(0);
    expect(deps.workflows.startCalls).toBe(1);
    expect((await stored(r.id)).resumes).toBe(1);
  });

  it('a store error other than a stale transition is counted as failed, by name', async () => {
    const r = await put(request({ checkAt: at(-MINUTE) }));
    class ProvisionedThroughputExceededException extends Error {
      override name = 'ProvisionedThroughputExceededException';
    }
    const requests: RequestStore = {
      ...deps.requests,
      async transition() {
        throw new ProvisionedThroughputExceededException('slow down');
      },
    };
    const report = await reconcile({ ...deps, requests });
    expect(report).toMatchObject({ checked: 1, resumed: 0, failed: 1, errors: [{ requestId: r.id, error: 'ProvisionedThroughputExceededException' }] });
    expect(deps.workflows.started).toEqual([]);
  });

  it('a workflow that cannot be started: counted as failed with the error name, and the request is due again later', async () => {
    const broken = await put(request({ checkAt: at(-2 * MINUTE) }));
    const fine = await put(request({ checkAt: at(-MINUTE) }));
    class ExecutionLimitExceeded extends Error {
      override name = 'ExecutionLimitExceeded';
    }
    const workflows: Workflows = {
      async start(workflow, name, input) {
        if (input.requestId === broken.id) throw new ExecutionLimitExceeded(`cannot start ${name}`);
        await deps.workflows.start(workflow, name, input);
      },
      sendTaskSuccess: (token, output) => deps.workflows.sendTaskSuccess(token, output),
      sendTaskFailure: (token, error, cause) => deps.workflows.sendTaskFailure(token, error, cause),
    };

    const report = await reconcile({ ...deps, workflows });

    expect(report).toEqual({ checked: 2, resumed: 1, resent: 0, handedOver: 0, cleared: 0, failed: 1, handedOverIds: [], errors: [{ requestId: broken.id, error: 'ExecutionLimitExceeded' }] });
    expect(deps.workflows.started.map((s) => s.name)).toEqual([`${fine.id}-r1`]);
    const claimed = await stored(broken.id);
    expect(claimed.resumes).toBe(1);
    expect(claimed.checkAt).toBe(intakeCheckAt(new Date(NOW)));
    expect(deps.metrics.total('RequestsReconciled')).toBe(1);

    // Not again at once; once the next expectation passes, resumed under the next name.
    expect((await reconcile(deps)).checked).toBe(0);
    deps.clock.advance(INTAKE_GRACE_MS);
    const later = await reconcile(deps);
    expect(later.resumed).toBe(2);
    expect(deps.workflows.started.map((s) => s.name)).toContain(`${broken.id}-r2`);
    expect((await stored(broken.id)).resumes).toBe(2);
  });

  it('limit bounds how many requests one run checks, earliest checkAt first', async () => {
    const rs: SupportRequest[] = [];
    for (let i = 5; i >= 1; i -= 1) rs.push(await put(request({ checkAt: at(-i * MINUTE) })));

    const report = await reconcile(deps, { limit: 2 });

    expect(report.checked).toBe(2);
    expect(report.resumed).toBe(2);
    expect(deps.workflows.started.map((s) => s.name)).toEqual([`${rs[0]?.id}-r1`, `${rs[1]?.id}-r1`]);
    expect((await deps.reconcile.listDueChecks(NOW, 10)).map((c) => c.id)).toEqual(rs.slice(2).map((r) => r.id));
  });

  it('pages through more due requests than one page holds (default limit 200)', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 230; i += 1) ids.add((await put(request({ checkAt: at(-HOUR + i * 1000) }))).id);

    const report = await reconcile(deps);

    expect(report.checked).toBe(200);
    expect(report.resumed).toBe(200);
    expect(new Set(deps.workflows.started.map((s) => s.input.requestId as string)).size).toBe(200);
    expect((await deps.reconcile.listDueChecks(NOW, 100)).length).toBe(30);
    const rest = await reconcile(deps);
    expect(rest.checked).toBe(30);
    expect(new Set(deps.workflows.started.map((s) => s.input.requestId as string))).toEqual(ids);
  });
});

describe('recordWorkflowFailure()', () => {
  let deps: MemoryDeps;
  beforeEach(() => {
    deps = memoryDeps();
  });

  it('stores the failure by name, makes the request due now, keeps its status, adds an internal event, counts it', async () => {
    const r = request({ status: 'registered', route: ROUTE, checkAt: undefined });
    await deps.requests.createRequest(r, { at: r.createdAt, event: 'received' }, undefined, NOW);
    deps.clock.advanceMinutes(3);
    const when = deps.clock.now().toISOString();
    // The Catch output of a step: the Cause may quote the task's input, personal data included.
    const failed = { Notify: { Error: 'SmsSendError', Cause: `{"errorMessage":"SNS refused ${CAUSE_PHONE}","phone":"${CAUSE_PHONE}"}` } };

    const outcome = await recordWorkflowFailure(deps, r.id, 'intake', failed);

    expect(outcome).toEqual({ recorded: true, step: 'Notify' });
    const after = await deps.requests.getRequest(r.id);
    expect(after?.failure).toEqual({ workflow: 'intake', step: 'Notify', error: 'SmsSendError', at: when });
    expect(after?.checkAt).toBe(when);
    expect(after?.status).toBe('registered');
    expect(after?.updatedAt).toBe(when);
    const events = (await deps.requests.getRequestDetail(r.id))?.timeline ?? [];
    expect(events.at(-1)).toEqual({ at: when, event: 'workflow_failed', detail: 'intake.Notify: SmsSendError', internal: true });
    expect(deps.metrics.recorded).toEqual([{ name: 'WorkflowStepFailed', dimensions: { Workflow: 'intake', Step: 'Notify' }, value: 1 }]);
    // The Cause is kept nowhere: not in the request, its history, or the metric.
    const everything = JSON.stringify([deps.table.snapshot(), deps.metrics.recorded, outcome]);
    expect(everything).not.toContain(CAUSE_PHONE);
    expect(everything).not.toContain('79123456789');
    expect(everything).not.toContain('SNS refused');
    // And the reconciler picks it up at once, resending what the step may have lost.
    expect(decide(after as SupportRequest, false, false, new Date(NOW))).toEqual({ kind: 'resend', notice: 'registered' });
    expect(await deps.reconcile.listDueChecks(when, 10)).toEqual([{ id: r.id, checkAt: when }]);
  });

  it('keeps any status, whatever it is', async () => {
    const r = booked('in_progress');
    await deps.requests.createRequest(r, { at: r.createdAt, event: 'received' }, undefined, NOW);
    await recordWorkflowFailure(deps, r.id, 'callback', { AwaitOutcome: { Error: 'Lambda.Unknown' } });
    const after = await deps.requests.getRequest(r.id);
    expect(after?.status).toBe('in_progress');
    expect(after?.failure).toEqual({ workflow: 'callback', step: 'AwaitOutcome', error: 'Lambda.Unknown', at: NOW });
    expect(after?.scheduledAt).toBe(r.scheduledAt);
  });

  it('a failure without an Error name is stored as unknown', async () => {
    const r = request();
    await deps.requests.createRequest(r, { at: r.createdAt, event: 'received' }, undefined, NOW);
    await recordWorkflowFailure(deps, r.id, 'intake', { Route: {} });
    expect((await deps.requests.getRequest(r.id))?.failure).toEqual({ workflow: 'intake', step: 'Route', error: 'unknown', at: NOW });
  });

  it('a request that is gone: { recorded: false }, nothing stored', async () => {
    const outcome = await recordWorkflowFailure(deps, 'req-missing', 'intake', { VerifyIdentity: { Error: 'States.TaskFailed' } });
    expect(outcome).toEqual({ recorded: false, step: 'VerifyIdentity' });
    expect(deps.table.snapshot().requests).toEqual([]);
    expect(deps.table.snapshot().timelines).toEqual({});
  });
});
