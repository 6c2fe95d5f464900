/**
 * Business metrics, as CloudWatch will know them. The core counts what happened through this
 * port; the EMF adapter writes CloudWatch embedded-metric lines (one per count), and the CDK
 * alarms and dashboard (infra/constructs/observability.ts) read the same names from here.
 */
export const METRIC_NAMESPACE = 'SupportCenter';
/** Every metric also goes out under this one dimension alone, so an alarm can watch the total. */
export const SERVICE_DIMENSION = { Service: 'support-center' } as const;

export const METRICS = {
  /** A request was accepted (202). Dimensions: Channel, Type. */
  RequestsCreated: { unit: 'Count', dimensions: ['Channel', 'Type'] },
  /** Identity data did not match the profile (the request went to `needs_info`). */
  VerificationFailed: { unit: 'Count', dimensions: ['Channel'] },
  /** A callback slot was booked; SlotFill is that slot's fill after the booking, in percent. */
  SlotsBooked: { unit: 'Count', dimensions: ['Queue'] },
  SlotFill: { unit: 'Percent', dimensions: ['Queue'] },
  /** How long a citizen waited for an operator, per recorded call. */
  CallWaitSeconds: { unit: 'Seconds', dimensions: ['Queue'] },
  /** SMS handed to SNS, and SMS that SNS refused (each attempt). */
  SmsSent: { unit: 'Count', dimensions: ['Notice'] },
  SmsFailed: { unit: 'Count', dimensions: ['Notice'] },
  /** A one-time code died after too many wrong guesses. */
  CodesLocked: { unit: 'Count', dimensions: ['Purpose'] },
  /** A workflow gave up on a step after its retries (its Catch path recorded the failure). */
  WorkflowStepFailed: { unit: 'Count', dimensions: ['Workflow', 'Step'] },
  /** The reconciler moved a stuck request on; Action says how. */
  RequestsReconciled: { unit: 'Count', dimensions: ['Action'] },
  /** The reconciler gave up resuming a request and marked it for an operator. */
  RequestsNeedOperator: { unit: 'Count', dimensions: ['Reason'] },
  /** 1 when the calendar has no holidays for the next year by 1 December (or none for this one); 0 otherwise. Every scheduled run. */
  CalendarStale: { unit: 'Count', dimensions: [] },
  /**
   * Written requests past their 59-FZ deadline without an answer (a gauge, per queue, from each run
   * of the scheduled function; 0 included).
   */
  RequestsOverdue: { unit: 'Count', dimensions: ['Queue'] },
} as const satisfies Record<string, { unit: 'Count' | 'Seconds' | 'Percent'; dimensions: readonly string[] }>;

export type MetricName = keyof typeof METRICS;
type DimensionsOf<N extends MetricName> = Record<(typeof METRICS)[N]['dimensions'][number], string>;

export interface Metrics {
  /** Records one value (1 for a count) of a metric with its dimensions. Never throws. */
  put<N extends MetricName>(name: N, dimensions: DimensionsOf<N>, value?: number): void;
}
