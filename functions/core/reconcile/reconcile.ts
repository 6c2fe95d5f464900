import type { Deps } from '#ports/deps';
import { StaleTransitionError } from '../errors.ts';
import type { NoticeKind } from '../notices/sms-templates.ts';
import type { RequestPatch } from '#ports/stores/requests';
import type { Status, SupportRequest } from '../requests/model.ts';
import { MAX_RESUMES, NOTICE_RECHECK_MS, callbackCheckAt, intakeCheckAt } from './expectations.ts';

/**
 * The reconciler: finds requests that automation still owes something (`checkAt` passed) and
 * moves them on — restarts intake, resumes a callback's workflow without booking again, resends
 * a lost SMS — or, after MAX_RESUMES, hands them to an operator. Idempotent: each action is
 * claimed by a conditional write on the request's status and resume count before anything is
 * started, and the workflows it starts are named after that count, so two reconcilers at once
 * start one run, and a rerun of a notice sends nothing twice (the notice mark).
 */
export type ReconcileDeps = Pick<Deps, 'requests' | 'reconcile' | 'clock' | 'workflows' | 'metrics'>;

export interface ReconcileOptions {
  /** Requests to look at in one run, at most. */
  limit?: number;
  /**
   * Every run of a workflow that began before this instant is known to be gone (the local
   * runtime restarted): requests last moved before it are resumed even when not yet due.
   */
  orphanedBefore?: string;
}

export type Action =
  | { kind: 'resume'; workflow: 'intake' | 'callback'; resend?: NoticeKind }
  | { kind: 'resend'; notice: NoticeKind }
  | { kind: 'hand_over'; reason: string }
  | { kind: 'clear' };

export interface ReconcileReport {
  checked: number;
  resumed: number;
  resent: number;
  handedOver: number;
  cleared: number;
  /** Actions whose workflow could not be started: due again at the next run. */
  failed: number;
  /** For the log: which requests went to an operator, and which actions failed (ids and error names only). */
  handedOverIds: string[];
  errors: { requestId: string; error: string }[];
}

/** The notice each status announces; the steps of the ASL files that send notices. */
const NOTICE_OF: Partial<Record<Status, NoticeKind>> = {
  registered: 'registered',
  needs_info: 'needs_info',
  scheduled: 'scheduled',
  answered: 'answered',
  missed: 'missed',
};
export const NOTICE_STEPS: readonly string[] = ['Notify', 'NotifyScheduled', 'NotifyMissed'];

/** Steps that announce one notice whatever the status is by now (an operator may have taken the callback since). */
const NOTICE_OF_STEP: Readonly<Record<string, NoticeKind>> = { NotifyScheduled: 'scheduled', NotifyMissed: 'missed' };

/** The notice a failed step may have lost: named by the step, else by the status it announces. */
export const lostNotice = (r: SupportRequest): NoticeKind | undefined =>
  r.failure && NOTICE_STEPS.includes(r.failure.step) ? (NOTICE_OF_STEP[r.failure.step] ?? NOTICE_OF[r.status]) : undefined;

const isBookedCallback = (r: SupportRequest) => r.channel === 'callback' && (r.status === 'scheduled' || r.status === 'in_progress');

/**
 * Whether a booked callback's run is gone: the process that ran it restarted, a step other than
 * a notice failed, or the time by which a live run would have moved the request on has passed.
 * Otherwise a due check is only a lost notice: the run went on without its SMS
 * (RecordNoticeFailure → WaitUntilDue).
 */
function callbackRunGone(r: SupportRequest, now: Date, orphaned: boolean): boolean {
  // Any step but a notice ends its run on failure (RecordFailure → Failed).
  const failedStep = r.failure !== undefined && !NOTICE_STEPS.includes(r.failure.step);
  return orphaned || failedStep || !r.scheduledAt || Date.parse(callbackCheckAt(r.scheduledAt)) <= now.getTime();
}

/**
 * What to do with a due request: pure, so every case is tested without a store. `delivered`:
 * the notice lostNotice names was sent after all (a resend, or a later retry, got through).
 */
export function decide(r: SupportRequest, orphaned: boolean, delivered: boolean, now: Date): Action {
  const owed = delivered ? undefined : lostNotice(r);
  const exhausted = (r.resumes ?? 0) >= MAX_RESUMES;
  if (r.status === 'received' || (isBookedCallback(r) && callbackRunGone(r, now, orphaned))) {
    if (exhausted) return { kind: 'hand_over', reason: r.status === 'received' ? 'intake_stuck' : 'callback_stuck' };
    // A routed callback is past intake: its own workflow books it (a second intake run would stop at Route).
    const workflow = r.channel === 'callback' && (r.route || r.status !== 'received') ? 'callback' : 'intake';
    // A `scheduled` SMS whose time has passed would only confuse: the call is being made now.
    const resend = owed === 'scheduled' && r.scheduledAt && Date.parse(r.scheduledAt) <= now.getTime() ? undefined : owed;
    return resend ? { kind: 'resume', workflow, resend } : { kind: 'resume', workflow };
  }
  // Everything else is an operator's turn, or closed: at most a notice is owed.
  if (!owed) return { kind: 'clear' };
  return exhausted ? { kind: 'hand_over', reason: 'notice_lost' } : { kind: 'resend', notice: owed };
}

/** When the reconciler should look next, after acting. */
function nextCheckAt(r: SupportRequest, action: Action, now: Date): string | null {
  // A booked callback keeps its run's expectation whatever else happened (a notice resent, nothing owed).
  const bookedExpectation = isBookedCallback(r) && r.scheduledAt ? callbackCheckAt(r.scheduledAt) : null;
  switch (action.kind) {
    case 'resume':
      // Back soon if the start is lost; a resumed callback run sets its own expectation when it takes its booking.
      return intakeCheckAt(now);
    case 'resend':
      return bookedExpectation ?? new Date(now.getTime() + NOTICE_RECHECK_MS).toISOString();
    case 'clear':
      return bookedExpectation;
    case 'hand_over':
      return null;
  }
}

async function act(deps: ReconcileDeps, r: SupportRequest, action: Action, now: Date): Promise<'resumed' | 'resent' | 'handedOver' | 'cleared' | 'skipped'> {
  const at = now.toISOString();
  const seen = r.resumes ?? 0;
  const counts = action.kind === 'resume' || action.kind === 'resend';
  const n = counts ? seen + 1 : seen;
  const resending = action.kind === 'resend' || (action.kind === 'resume' && action.resend !== undefined);
  const patch: RequestPatch = {
    checkAt: nextCheckAt(r, action, now),
    // A lost notice's failure stays until the notice is seen delivered: a resend may be lost too.
    ...(resending ? {} : { failure: null }),
    ...(counts ? { resumes: n } : {}),
    ...(action.kind === 'hand_over' ? { attention: { reason: action.reason, at } } : {}),
  };
  const detail = action.kind === 'resume' ? `${action.workflow}, resume ${n}` : action.kind === 'resend' ? `notice ${action.notice}, resume ${n}` : action.kind === 'hand_over' ? action.reason : 'nothing owed';
  const event = action.kind === 'hand_over' ? 'needs_operator' : action.kind === 'clear' ? 'check_cleared' : 'resumed';
  try {
    await deps.requests.transition(r.id, [r.status], patch, { at, event, detail, internal: true }, at, { expect: { resumes: seen }, owner: r });
  } catch (error) {
    // Moved on meanwhile, or another reconciler claimed it: either way, not ours to act on.
    if (error instanceof StaleTransitionError) return 'skipped';
    throw error;
  }
  switch (action.kind) {
    case 'resume':
      // Named after the resume count: a Standard run's name is never reused, and a racing start is a no-op.
      await deps.workflows.start(action.workflow, `${r.id}-r${n}`, { requestId: r.id, ...(action.workflow === 'callback' && r.status !== 'received' ? { resume: true } : {}) });
      if (action.resend) await deps.workflows.start('notice', `${r.id}-${action.resend}-r${n}`, { requestId: r.id, kind: action.resend });
      deps.metrics.put('RequestsReconciled', { Action: `resume_${action.workflow}` });
      return 'resumed';
    case 'resend':
      await deps.workflows.start('notice', `${r.id}-${action.notice}-r${n}`, { requestId: r.id, kind: action.notice });
      deps.metrics.put('RequestsReconciled', { Action: 'resend_notice' });
      return 'resent';
    case 'hand_over':
      deps.metrics.put('RequestsNeedOperator', { Reason: action.reason });
      return 'handedOver';
    case 'clear':
      return 'cleared';
  }
}

export async function reconcile(deps: ReconcileDeps, options: ReconcileOptions = {}): Promise<ReconcileReport> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const limit = options.limit ?? 200;
  const report: ReconcileReport = { checked: 0, resumed: 0, resent: 0, handedOver: 0, cleared: 0, failed: 0, handedOverIds: [], errors: [] };
  // After a restart every pending check is a candidate, however far its time; otherwise only the due ones.
  const until = options.orphanedBefore ? '9999-12-31T23:59:59.999Z' : nowIso;
  let after: { checkAt: string; id: string } | undefined;
  // Once per run: a resumed request that fails again at once is due again, and later in the index.
  const seen = new Set<string>();
  while (report.checked < limit) {
    const page = await deps.reconcile.listDueChecks(until, Math.min(100, limit - report.checked), after);
    if (page.length === 0) break;
    after = page[page.length - 1];
    for (const { id } of page) {
      if (seen.has(id)) continue;
      seen.add(id);
      report.checked += 1;
      const r = await deps.requests.getRequest(id);
      if (!r?.checkAt) continue;
      const orphaned = options.orphanedBefore !== undefined && r.updatedAt < options.orphanedBefore;
      if (r.checkAt > nowIso && !orphaned) continue;
      try {
        const notice = lostNotice(r);
        const delivered = notice !== undefined && (await deps.requests.noticeSent(r.id, notice));
        const outcome = await act(deps, r, decide(r, orphaned, delivered, now), now);
        if (outcome !== 'skipped') report[outcome] += 1;
        if (outcome === 'handedOver') report.handedOverIds.push(r.id);
      } catch (error) {
        report.failed += 1;
        report.errors.push({ requestId: r.id, error: (error as Error).name });
      }
    }
  }
  return report;
}
