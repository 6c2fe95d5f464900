import type { Deps } from '#ports/deps';
import type { NoticeKind } from '../notices/sms-templates.ts';
import { startOrLeaveToReconciler } from '../reconcile/record-failure.ts';

/** What a notice says beyond the request: the comment it is about, the reason, the body forwarded to. */
export interface NoticeInput {
  ref?: string;
  reason?: string;
  to?: string;
}

/**
 * Starts the notice workflow for one notice of a request: its SMS and its notification, retried
 * there. Named after the notice (per comment for comments), so a second start of the same notice
 * is a no-op; if Step Functions refuses, the change stays stored and the reconciler is told.
 */
export async function startNotice(deps: Pick<Deps, 'requests' | 'clock' | 'metrics' | 'workflows'>, requestId: string, kind: NoticeKind, input: NoticeInput = {}): Promise<void> {
  const name = input.ref ? `${requestId}-${kind}-${input.ref}` : `${requestId}-${kind}`;
  await startOrLeaveToReconciler(deps, { workflow: 'notice', name, input: { requestId, kind, ...input } }, requestId, 'Notify');
}
