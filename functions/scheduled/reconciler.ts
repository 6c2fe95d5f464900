import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '#adapters/logger';
import { reportCalendarStale } from '#core/calendar/calendar-stale';
import { reconcile } from '#core/reconcile/reconcile';
import { reportOverdue } from '#core/workspace/overdue';
import { calendarFromEnv, composeDeps, emfMetricsFactory, requestsFromEnv, reconcileFromEnv, systemClockFactory, workflowsFromEnv, workspaceFromEnv } from '#functions/deps';

/**
 * The scheduled reconciler (every FUNCTIONS.reconciler.everyMinutes in the cloud; at start and on
 * a timer locally). The event carries nothing it needs; locally, `orphanedBefore` says when the
 * runtime started, so every run from before is known to be gone.
 */
const deps = composeDeps({
  requests: requestsFromEnv,
  reconcile: reconcileFromEnv,
  calendar: calendarFromEnv,
  workspace: workspaceFromEnv,
  clock: systemClockFactory,
  workflows: workflowsFromEnv,
  metrics: emfMetricsFactory,
});

export interface ReconcileEvent {
  orphanedBefore?: string;
}

async function run(event: ReconcileEvent | undefined) {
  const orphanedBefore = typeof event?.orphanedBefore === 'string' && !Number.isNaN(Date.parse(event.orphanedBefore)) ? event.orphanedBefore : undefined;
  const report = await reconcile(deps, orphanedBefore ? { orphanedBefore } : {});
  const { handedOverIds, errors, ...counts } = report;
  logger.info('reconciled', counts);
  for (const requestId of handedOverIds) logger.warn('request needs an operator', { requestId });
  for (const e of errors) logger.error('reconcile step failed', e);
  // After the reconciler's own work, which a calendar failure must not stop. A failure still fails
  // the run (its errors alarm), since CalendarStale without a value would read as "not stale".
  const calendarStale = await reportCalendarStale(deps);
  if (calendarStale === 1) logger.warn('calendar has no holidays for the next year');
  // The 59-FZ gauge, on the same schedule: its own use-case (functions/core/workspace/overdue.ts).
  const { overdue } = await reportOverdue(deps);
  return { ...counts, calendarStale, overdue };
}

export const handler = middy<ReconcileEvent | undefined, unknown, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(run);
