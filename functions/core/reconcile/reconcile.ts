import type { Deps } from '#ports/deps';
import { StaleTransitionError } from '../errors.ts';
import type { NoticeKind } from '../notices/sms-templates.ts';
import type { RequestPatch } from '#ports/store';
import { CLOSED_STATUSES, type Status, type SupportRequest } from '../requests/model.ts';
import { MAX_RESUMES, NOTICE_RECHECK_MS, callbackCheckAt, intakeCheckAt } from './expectations.ts';

/**
 * The reconciler: finds requests that automation still owes something (`checkAt` passed) and
 * moves them on — restarts intake, resumes a callback's workflow without booking again, resends
 * a lost SMS — or, after MAX_RESUMES, hands them to an operator. Idempotent: each action is
 * claimed by a conditional write on the request's status and resume count before anything is
 * started, and the workflows it starts are named after that count, so two reconcilers at once
 * start one run, and a rerun of a notice sends nothing twice (the notice mark).
 */
export type ReconcileDeps = Pick<Deps, 'store' | 'clock' | 'workflows' | 'metrics'>;

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

/** The notice a failed step may have lost, by the request's status now. */
export const lostNotice = (r: SupportRequest): NoticeKind | undefined => (r.failure && NOTICE_STEPS.includes(r.failure.step) ? NOTICE_OF[r.status] : undefined);

/**
 * What to do with a due request: pure, so every case is tested without a store. `delivered`:
 * the notice lostNotice names was sent after all (a resend, or a later retry, got through).
 */
export function decide(r: SupportRequest, orphaned: boolean, delivered: boolean): Action {
  const resend = delivered ? undefined : lostNotice(r);
  const callbackBooked = r.channel === 'callback' && (r.status === 'scheduled' || r.status === 'in_progress');
  // A notice that failed while its workflow went on: only the SMS is owed, unless the run is gone too.
  const onlyNotice = resend !== undefined && !(orphaned && callbackBooked) && r.status !== 'received';
  if (CLOSED_STATUSES.includes(r.status) || onlyNotice) {
    if (!resend) return { kind: 'clear' };
    return (r.resumes ?? 0) >= MAX_RESUMES ? { kind: 'hand_over', reason: 'notice_lost' } : { kind: 'resend', notice: resend };
  }
  if (r.status === 'received' || callbackBooked) {
    if ((r.resumes ?? 0) >= MAX_RESUMES) return { kind: 'hand_over', reason: r.status === 'received' ? 'intake_stuck' : 'callback_stuck' };
    // A routed callback is past intake: its own workflow books it (a second intake run would stop at Route).
    const workflow = r.channel === 'callback' && (r.route || callbackBooked) ? 'callback' : 'intake';
    return resend ? { kind: 'resume', workflow, resend } : { kind: 'resume', workflow };
  }
  // registered / needs_info / a written request in progress: an operator's turn, nothing automatic owed.
  return resend ? { kind: 'resend', notice: resend } : { kind: 'clear' };
}

function nextCheckAt(r: SupportRequest, action: Action, now: Date): string | null {
  if (action.kind === 'resume') {
    if (r.status === 'received') return intakeCheckAt(now);
    const due = r.scheduledAt && Date.parse(r.scheduledAt) > now.getTime() ? r.scheduledAt : now.toISOString();
    return callbackCheckAt(due);
  }
  if (action.kind === 'resend') {
    // A booked callback keeps its own expectation (the notice is looked at again then); anything
    // else comes back soon, to see whether the resent notice went out.
    if ((r.status === 'scheduled' || r.status === 'in_progress') && r.scheduledAt) return callbackCheckAt(r.scheduledAt);
    return new Date(now.getTime() + NOTICE_RECHECK_MS).toISOString();
  }
  return null;
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
    await deps.store.transition(r.id, [r.status], patch, { at, event, detail, internal: true }, at, { expectResumes: seen });
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
    const page = await deps.store.listDueChecks(until, Math.min(100, limit - report.checked), after);
    if (page.length === 0) break;
    after = page[page.length - 1];
    for (const { id } of page) {
      if (seen.has(id)) continue;
      seen.add(id);
      report.checked += 1;
      const r = await deps.store.getRequest(id);
      if (!r?.checkAt) continue;
      const orphaned = options.orphanedBefore !== undefined && r.updatedAt < options.orphanedBefore;
      if (r.checkAt > nowIso && !orphaned) continue;
      try {
        const notice = lostNotice(r);
        const delivered = notice !== undefined && (await deps.store.noticeSent(r.id, notice));
        const outcome = await act(deps, r, decide(r, orphaned, delivered), now);
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
