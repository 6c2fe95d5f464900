import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE, type MetricName, SERVICE_DIMENSION } from '../../functions/ports/metrics.ts';

/** Every alarm and graph looks at 5-minute buckets: short enough to page on, long enough to be quiet. */
const PERIOD = Duration.minutes(5);

export interface ObservabilityProps {
  httpApi: IHttpApi;
  /** Every Lambda, by its FUNCTIONS id; `scheduled` names those a schedule runs (they run rarely). */
  functions: Record<string, IFunction>;
  scheduled: ReadonlySet<string>;
  /** Every state machine, by its WORKFLOWS name. */
  stateMachines: Record<string, IStateMachine>;
  /** Every dead-letter queue, by the rule it serves. */
  deadLetterQueues: Record<string, IQueue>;
}

/**
 * The business metrics that page someone: their [Service]-only aggregate (functions/ports/metrics.ts
 * emits every metric under [Service] alone too), summed over 5 minutes, at or above the threshold.
 */
const METRIC_ALARMS: Partial<Record<MetricName, { threshold: number; why: string; statistic?: string }>> = {
  // SNS refuses an SMS now and then (a bad number, a carrier hiccup); the workflow retries. Three
  // refusals in 5 minutes is more than noise: a quota, a sender id or a region problem.
  SmsFailed: { threshold: 3, why: 'SNS refused SMS (each attempt)' },
  // A workflow gave up on a step after its retries: some citizen's request stopped moving.
  WorkflowStepFailed: { threshold: 1, why: 'a workflow step failed after its retries' },
  // The reconciler could not resume a request by itself: by definition an operator's task.
  RequestsNeedOperator: { threshold: 1, why: 'the reconciler marked a request for an operator' },
  // No holidays for next year by 1 December: the centre would work (and book callbacks) on 1 January.
  CalendarStale: { threshold: 1, why: 'the calendar has no holidays for the next year (PUT /v1/admin/calendar/holidays/{date})' },
  // A gauge: the largest count any queue reported in the period (a sum would count each run again).
  // One written request past its 59-FZ deadline is already a breach of the law.
  RequestsOverdue: { threshold: 1, why: 'written requests are past their 59-FZ deadline without an answer', statistic: Stats.MAXIMUM },
};

/**
 * Where each business metric goes on the dashboard and which statistics it shows. A Record over
 * MetricName, so a metric added to functions/ports/metrics.ts does not compile until it has a place.
 */
const DASHBOARD_PLACEMENT: Record<MetricName, { widget: string; stats: readonly string[]; rightAxis?: boolean }> = {
  RequestsCreated: { widget: 'Requests', stats: [Stats.SUM] },
  VerificationFailed: { widget: 'Requests', stats: [Stats.SUM] },
  SlotsBooked: { widget: 'Callback slots', stats: [Stats.SUM] },
  SlotFill: { widget: 'Callback slots', stats: [Stats.AVERAGE, Stats.MAXIMUM], rightAxis: true },
  CallWaitSeconds: { widget: 'Call wait (s)', stats: [Stats.p(50), Stats.p(90)] },
  SmsSent: { widget: 'SMS', stats: [Stats.SUM] },
  SmsFailed: { widget: 'SMS', stats: [Stats.SUM] },
  CodesLocked: { widget: 'Codes and workflow steps', stats: [Stats.SUM] },
  WorkflowStepFailed: { widget: 'Codes and workflow steps', stats: [Stats.SUM] },
  RequestsReconciled: { widget: 'Reconciler', stats: [Stats.SUM] },
  RequestsNeedOperator: { widget: 'Reconciler', stats: [Stats.SUM] },
  CalendarStale: { widget: 'Reconciler', stats: [Stats.MAXIMUM] },
  RequestsOverdue: { widget: 'Written requests (59-FZ)', stats: [Stats.MAXIMUM] },
};

/** A business metric as the alarms and the dashboard read it: the [Service]-only aggregate. */
export function businessMetric(name: MetricName, statistic: string = Stats.SUM): Metric {
  return new Metric({
    namespace: METRIC_NAMESPACE,
    metricName: name,
    dimensionsMap: { ...SERVICE_DIMENSION },
    statistic,
    period: PERIOD,
  });
}

/**
 * Alarms to one SNS topic, and one dashboard. Alarms treat missing data as not breaching: most of
 * these metrics only exist when something happens (a failure, a DLQ message), so silence is health.
 * Each alarm notifies on ALARM and on OK, so whoever was paged also learns when it cleared.
 */
export class Observability extends Construct {
  /** Every alarm, by a readable key: `api:5xx`, `workflow:<name>:failed`, `function:<id>:errors`, `metric:<name>`, `dlq:<rule>`. */
  readonly alarms: Record<string, Alarm> = {};
  readonly topic: Topic;
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const stack = Stack.of(this);

    // A customer managed key, not alias/aws/sns: CloudWatch alarms cannot publish to a topic under
    // the AWS managed key (its policy cannot grant cloudwatch.amazonaws.com kms:GenerateDataKey*),
    // and the alarm would fail silently. The key only protects notifications in flight.
    const topicKey = new Key(this, 'AlarmTopicKey', {
      description: 'Support Center alarm notifications (SNS topic encryption)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: ['*'],
      }),
    );
    this.topic = new Topic(this, 'AlarmTopic', { displayName: 'Support Center alarms', masterKey: topicKey, enforceSSL: true });
    // enforceSSL writes a topic policy, which replaces SNS's default one: CloudWatch needs its own
    // Allow then, limited to this account's alarms (no confused deputy).
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        actions: ['sns:Publish'],
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
        },
      }),
    );
    const action = new SnsAction(this.topic);

    const alarm = (key: string, metric: IMetric, threshold: number, description: string, options: { evaluationPeriods?: number; datapointsToAlarm?: number } = {}) => {
      const created = new Alarm(this, `Alarm-${key.replace(/[^A-Za-z0-9]/g, '-')}`, {
        alarmName: `${stack.stackName}-${key.replace(/:/g, '-')}`,
        alarmDescription: `${description}. First steps: docs/operations.md, "Alarms and dashboard".`,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm ?? 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms[key] = created;
    };

    // API: 5xx are our faults (domain errors answer 4xx problem+json); a handful in 5 minutes is an incident.
    alarm('api:5xx', props.httpApi.metricServerError({ period: PERIOD, statistic: Stats.SUM }), 5, 'HTTP API answered 5xx at least 5 times in 5 minutes');

    // Workflows: a FAILED or TIMED_OUT execution is a request that stopped; every one is worth a look.
    for (const [name, machine] of Object.entries(props.stateMachines)) {
      alarm(`workflow:${name}:failed`, machine.metricFailed({ period: PERIOD, statistic: Stats.SUM }), 1, `The ${name} workflow had a failed execution`);
      alarm(`workflow:${name}:timedOut`, machine.metricTimedOut({ period: PERIOD, statistic: Stats.SUM }), 1, `The ${name} workflow had a timed-out execution`);
    }

    for (const [fnId, fn] of Object.entries(props.functions)) {
      const errors = fn.metricErrors({ period: PERIOD, statistic: Stats.SUM });
      if (props.scheduled.has(fnId)) {
        // A scheduled function runs once a period: one error in two of the last three runs means it
        // is not doing its job (a single transient failure is repaired by the next run).
        alarm(`function:${fnId}:errors`, errors, 1, `Scheduled function ${fnId} failed in 2 of its last 3 periods`, { evaluationPeriods: 3, datapointsToAlarm: 2 });
      } else {
        // Task functions throw named domain errors on purpose (the ASL retries and catches them) and
        // HTTP crashes show first as API 5xx: only a burst of errors is news.
        alarm(`function:${fnId}:errors`, errors, 5, `Function ${fnId} threw at least 5 errors in 5 minutes`);
      }
    }

    for (const [name, def] of Object.entries(METRIC_ALARMS) as [MetricName, { threshold: number; why: string; statistic?: string }][]) {
      const gauge = def.statistic === Stats.MAXIMUM;
      alarm(`metric:${name}`, businessMetric(name, def.statistic), def.threshold, `${name}: ${def.why}, at least ${def.threshold}${gauge ? ' at the last count' : ' in 5 minutes'}`);
    }

    // A dead letter is an event EventBridge gave up on: each one is lost work until redriven.
    for (const [rule, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`dlq:${rule}`, queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM }), 1, `Dead-letter queue of ${rule} holds undelivered events`);
    }

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: stack.stackName,
      defaultInterval: Duration.hours(24),
      widgets: this.widgets(props),
    });
  }

  private widgets(props: ObservabilityProps): IWidget[][] {
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) => new GraphWidget({ title, left, right, width: 8, height: 6 });
    const each = <T>(record: Record<string, T>, metric: (item: T, key: string) => IMetric) => Object.entries(record).map(([k, v]) => metric(v, k));

    // Business metrics, grouped as DASHBOARD_PLACEMENT says, in its order.
    const groups = new Map<string, { left: IMetric[]; right: IMetric[] }>();
    for (const [name, place] of Object.entries(DASHBOARD_PLACEMENT) as [MetricName, (typeof DASHBOARD_PLACEMENT)[MetricName]][]) {
      const group = groups.get(place.widget) ?? { left: [], right: [] };
      for (const stat of place.stats) (place.rightAxis ? group.right : group.left).push(businessMetric(name, stat).with({ label: `${name} ${stat}` }));
      groups.set(place.widget, group);
    }
    const business = [...groups].map(([title, { left, right }]) => graph(title, left, right));

    const api = props.httpApi;
    return [
      [new TextWidget({ markdown: '# Support Center\nAlarms and first steps: docs/operations.md, section "Alarms and dashboard".', width: 24, height: 2 })],
      [new AlarmStatusWidget({ title: 'Alarms', alarms: Object.values(this.alarms), width: 24, height: 6 })],
      business,
      [
        graph('API requests and errors', [api.metricCount({ period: PERIOD, statistic: Stats.SUM }), api.metricServerError({ period: PERIOD }), api.metricClientError({ period: PERIOD })]),
        graph('API latency (ms)', [api.metricLatency({ period: PERIOD, statistic: Stats.p(50) }), api.metricLatency({ period: PERIOD, statistic: Stats.p(90) }), api.metricLatency({ period: PERIOD, statistic: Stats.p(99) })]),
        graph('Workflow executions failed / timed out', [
          ...each(props.stateMachines, (m, n) => m.metricFailed({ period: PERIOD, statistic: Stats.SUM, label: `${n} failed` })),
          ...each(props.stateMachines, (m, n) => m.metricTimedOut({ period: PERIOD, statistic: Stats.SUM, label: `${n} timed out` })),
        ]),
      ],
      [
        graph('Lambda errors', each(props.functions, (fn, n) => fn.metricErrors({ period: PERIOD, statistic: Stats.SUM, label: n }))),
        graph('Lambda duration p90 (ms)', each(props.functions, (fn, n) => fn.metricDuration({ period: PERIOD, statistic: Stats.p(90), label: n }))),
        graph('Dead-letter queue depth', each(props.deadLetterQueues, (q, n) => q.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: Stats.MAXIMUM, label: n }))),
      ],
    ];
  }
}
