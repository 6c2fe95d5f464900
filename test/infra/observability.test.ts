import { beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMESPACE, METRICS, type MetricName, SERVICE_DIMENSION } from '../../functions/ports/metrics.ts';
import type { WorkflowName } from '../../functions/ports/workflows.ts';
import { FUNCTIONS, type FunctionId } from '../../infra/functions.ts';
import { WORKFLOWS } from '../../infra/workflows.ts';
import { type Built, buildForTest, logicalIdOf, onlyResource, resourcesOf } from './support.ts';

/** Alarms, dashboard and dead letters, from the template; expectations come from FUNCTIONS, WORKFLOWS, METRICS. */

const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
const workflowNames = Object.keys(WORKFLOWS) as WorkflowName[];
const scheduledIds = functionIds.filter((id) => FUNCTIONS[id].everyMinutes !== undefined);
const triggeredWorkflows = workflowNames.filter((name) => WORKFLOWS[name].trigger !== undefined);
/** The business metrics that must page someone, and at what 5-minute sum. */
const PAGING_METRICS: [MetricName, number][] = [
  ['SmsFailed', 3],
  ['WorkflowStepFailed', 1],
  ['RequestsNeedOperator', 1],
];
const serviceDimensions = Object.entries(SERVICE_DIMENSION).map(([Name, Value]) => ({ Name, Value }));

type Props = Record<string, any>;

/** The dashboard body with every token flattened into its logical id, parsed. */
function dashboardBody(body: unknown): { widgets: { type: string; properties: Props }[] } {
  const flatten = (part: unknown): string => {
    if (typeof part === 'string') return part;
    const join = (part as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(flatten).join(join[0]);
    const ref = (part as { Ref?: string }).Ref;
    if (ref) return ref;
    const getAtt = (part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
    if (getAtt) return getAtt.join('.');
    throw new Error(`unexpected token in dashboard body: ${JSON.stringify(part)}`);
  };
  return JSON.parse(flatten(body));
}

describe('observability: alarms, dashboard, dead letters', () => {
  let built: Built;
  let alarms: Props[];
  let topicId: string;
  let rules: Record<string, Props>;

  /** Alarms on one metric (namespace, name, dimensions as in the template). */
  const alarmsOn = (namespace: string, metricName: string, dimensions: unknown[]) =>
    alarms.filter((a) => a.Namespace === namespace && a.MetricName === metricName && JSON.stringify(a.Dimensions) === JSON.stringify(dimensions));
  const onlyAlarmOn = (namespace: string, metricName: string, dimensions: unknown[]): Props => {
    const found = alarmsOn(namespace, metricName, dimensions);
    expect(found, `alarms on ${namespace} ${metricName} ${JSON.stringify(dimensions)}`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(() => {
    built = buildForTest();
    alarms = Object.values(resourcesOf(built.template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties ?? {});
    topicId = logicalIdOf(built.stack, built.stack.observability.topic);
    rules = Object.fromEntries(Object.entries(resourcesOf(built.template, 'AWS::Events::Rule')).map(([id, r]) => [id, r.Properties ?? {}]));
  });

  it('every alarm notifies the alarm topic (ALARM and OK) and treats missing data as not breaching', () => {
    expect(alarms.length).toBeGreaterThan(0);
    expect(alarms).toHaveLength(Object.keys(built.stack.observability.alarms).length);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions, alarm.AlarmName).toEqual([{ Ref: topicId }]);
      expect(alarm.TreatMissingData, alarm.AlarmName).toBe('notBreaching');
      expect(alarm.ComparisonOperator, alarm.AlarmName).toBe('GreaterThanOrEqualToThreshold');
      expect(alarm.AlarmDescription, alarm.AlarmName).toContain('docs/operations.md');
    }
    expect(new Set(alarms.map((a) => a.AlarmName)).size, 'alarm names are unique').toBe(alarms.length);
  });

  it('API 5xx: sum over 5 minutes, at least 5', () => {
    const alarm = onlyAlarmOn('AWS/ApiGateway', '5xx', [{ Name: 'ApiId', Value: { Ref: logicalIdOf(built.stack, built.stack.api.httpApi) } }]);
    expect(alarm).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 5, EvaluationPeriods: 1 });
  });

  it.each(workflowNames)('%s workflow: an alarm on failed and on timed-out executions', (name) => {
    const dimensions = [{ Name: 'StateMachineArn', Value: { Ref: logicalIdOf(built.stack, built.stack.workflows[name].stateMachine) } }];
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
      expect(onlyAlarmOn('AWS/States', metric, dimensions)).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: 1 });
    }
  });

  it.each(functionIds)('%s function: an alarm on its errors', (id) => {
    const alarm = onlyAlarmOn('AWS/Lambda', 'Errors', [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(built.stack, built.stack.functions[id].fn) } }]);
    expect(alarm).toMatchObject({ Statistic: 'Sum', Period: 300 });
    // A scheduled function runs once a period: any error counts, in 2 of 3 periods.
    if (FUNCTIONS[id].everyMinutes !== undefined) expect(alarm).toMatchObject({ Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 2 });
    else expect(alarm).toMatchObject({ Threshold: 5, EvaluationPeriods: 1 });
  });

  it.each(PAGING_METRICS)('%s: an alarm on its [Service]-only sum, at least %i in 5 minutes', (name, threshold) => {
    expect(Object.keys(METRICS)).toContain(name);
    expect(onlyAlarmOn(METRIC_NAMESPACE, name, serviceDimensions)).toMatchObject({ Statistic: 'Sum', Period: 300, Threshold: threshold });
  });

  it('RequestsOverdue (a gauge): an alarm on its [Service]-only maximum, at least 1', () => {
    expect(onlyAlarmOn(METRIC_NAMESPACE, 'RequestsOverdue', serviceDimensions)).toMatchObject({ Statistic: 'Maximum', Period: 300, Threshold: 1, EvaluationPeriods: 1 });
  });

  it('one dead-letter queue per rule, each with a depth alarm', () => {
    const queues = resourcesOf(built.template, 'AWS::SQS::Queue');
    expect(Object.keys(built.stack.deadLetterQueues).sort()).toEqual([...triggeredWorkflows.map((w) => `${w}Trigger`), ...scheduledIds.map((f) => `${f}Schedule`)].sort());
    expect(Object.keys(queues)).toHaveLength(triggeredWorkflows.length + scheduledIds.length);
    for (const dlq of Object.values(built.stack.deadLetterQueues)) {
      const queueId = logicalIdOf(built.stack, dlq.queue);
      const alarm = onlyAlarmOn('AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]);
      expect(alarm).toMatchObject({ Statistic: 'Maximum', Period: 300, Threshold: 1 });
    }
  });

  it('dead-letter queues: encrypted, SSL only, 14 days, and only their own rule may send', () => {
    const policies = Object.values(resourcesOf(built.template, 'AWS::SQS::QueuePolicy'));
    const ruleOf = new Map<string, string>();
    for (const [ruleId, rule] of Object.entries(rules)) for (const target of rule.Targets) ruleOf.set(target.DeadLetterConfig?.Arn?.['Fn::GetAtt']?.[0], ruleId);
    for (const [queueId, queue] of Object.entries(resourcesOf(built.template, 'AWS::SQS::Queue'))) {
      const props = queue.Properties ?? {};
      expect(props.SqsManagedSseEnabled === true || props.KmsMasterKeyId !== undefined, `${queueId} encrypted`).toBe(true);
      expect(props.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      const statements = policies.filter((p) => JSON.stringify(p.Properties?.Queues) === JSON.stringify([{ Ref: queueId }])).flatMap((p) => p.Properties?.PolicyDocument.Statement as Props[]);
      expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
      const ruleId = ruleOf.get(queueId);
      expect(ruleId, `${queueId} is some rule's dead-letter queue`).toBeDefined();
      const allows = statements.filter((s) => s.Effect === 'Allow');
      expect(allows).toEqual([
        expect.objectContaining({
          Action: 'sqs:SendMessage',
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [ruleId, 'Arn'] } } },
        }),
      ]);
    }
  });

  it.each(scheduledIds)('%s: a rate rule targets it, with a retry policy and a dead-letter queue', (id) => {
    expect(scheduledIds.length).toBeGreaterThan(0);
    const rule = built.stack.schedules[id];
    expect(rule).toBeDefined();
    const props = rules[logicalIdOf(built.stack, rule!)]!;
    const minutes = FUNCTIONS[id].everyMinutes!;
    expect(props.ScheduleExpression).toBe(minutes === 1 ? 'rate(1 minute)' : `rate(${minutes} minutes)`);
    expect(props.State).toBe('ENABLED');
    expect(props.Targets).toHaveLength(1);
    const [target] = props.Targets;
    expect(target.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.functions[id].fn), 'Arn'] });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.deadLetterQueues[`${id}Schedule`]!.queue), 'Arn'] } });
    // A tick older than one period is superseded by the next one.
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: Math.max(60, minutes * 60), MaximumRetryAttempts: expect.any(Number) });
    // EventBridge may invoke it, from this rule only.
    const permissions = Object.values(resourcesOf(built.template, 'AWS::Lambda::Permission')).map((p) => p.Properties ?? {});
    expect(permissions).toContainEqual(
      expect.objectContaining({ Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', SourceArn: { 'Fn::GetAtt': [logicalIdOf(built.stack, rule!), 'Arn'] } }),
    );
  });

  it.each(triggeredWorkflows)('%s: its trigger rule target has a retry policy and a dead-letter queue', (name) => {
    const rule = built.stack.triggers[name];
    expect(rule).toBeDefined();
    const [target] = rules[logicalIdOf(built.stack, rule!)]!.Targets;
    expect(target.Arn).toEqual({ Ref: logicalIdOf(built.stack, built.stack.workflows[name].stateMachine) });
    expect(target.DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [logicalIdOf(built.stack, built.stack.deadLetterQueues[`${name}Trigger`]!.queue), 'Arn'] } });
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: expect.any(Number), MaximumRetryAttempts: expect.any(Number) });
  });

  it('every rule target has a dead-letter queue', () => {
    for (const [ruleId, rule] of Object.entries(rules)) for (const target of rule.Targets) expect(target.DeadLetterConfig, ruleId).toBeDefined();
  });

  it('the alarm topic: its own rotating KMS key CloudWatch may use, SSL only, CloudWatch alarms of this account may publish, ARN in the outputs', () => {
    const topic = onlyResource(built.template, 'AWS::SNS::Topic');
    expect(topic.id).toBe(topicId);
    const keyId = logicalIdOf(built.stack, built.stack.observability.topic.masterKey!);
    expect(topic.props.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    const key = resourcesOf(built.template, 'AWS::KMS::Key')[keyId]?.Properties ?? {};
    expect(key.EnableKeyRotation).toBe(true);
    expect(key.KeyPolicy.Statement).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
    );
    const statements = onlyResource(built.template, 'AWS::SNS::TopicPolicy').props.PolicyDocument.Statement as Props[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' }, Condition: expect.objectContaining({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }) }),
    );
    expect(built.template.findOutputs('AlarmTopicArn').AlarmTopicArn?.Value).toEqual({ Ref: topicId });
  });

  describe('dashboard', () => {
    let widgets: { type: string; properties: Props }[];
    let metricRows: unknown[][];

    beforeAll(() => {
      const dashboard = onlyResource(built.template, 'AWS::CloudWatch::Dashboard');
      widgets = dashboardBody(dashboard.props.DashboardBody).widgets;
      metricRows = widgets.flatMap((w) => (w.properties.metrics ?? []) as unknown[][]);
    });

    it.each(Object.keys(METRICS) as MetricName[])('shows %s (its [Service]-only aggregate)', (name) => {
      const rows = metricRows.filter((row) => row[0] === METRIC_NAMESPACE && row[1] === name);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.slice(2, 2 + 2 * serviceDimensions.length)).toEqual(serviceDimensions.flatMap((d) => [d.Name, d.Value]));
    });

    it('shows the call wait as p50 and p90', () => {
      const stats = metricRows.filter((row) => row[1] === 'CallWaitSeconds').map((row) => (row.at(-1) as { stat?: string }).stat);
      expect(stats.sort()).toEqual(['p50', 'p90']);
    });

    it('shows API requests, 5xx and latency, workflow failures, Lambda errors and duration, DLQ depth', () => {
      const names = (namespace: string) => new Set(metricRows.filter((row) => row[0] === namespace).map((row) => row[1]));
      expect([...names('AWS/ApiGateway')]).toEqual(expect.arrayContaining(['Count', '5xx', 'Latency']));
      expect([...names('AWS/States')]).toEqual(expect.arrayContaining(['ExecutionsFailed', 'ExecutionsTimedOut']));
      expect([...names('AWS/Lambda')]).toEqual(expect.arrayContaining(['Errors', 'Duration']));
      expect([...names('AWS/SQS')]).toEqual(['ApproximateNumberOfMessagesVisible']);
      // One line per function, per state machine and per queue.
      const lambdaErrors = metricRows.filter((row) => row[0] === 'AWS/Lambda' && row[1] === 'Errors');
      expect(lambdaErrors).toHaveLength(functionIds.length);
      expect(metricRows.filter((row) => row[1] === 'ExecutionsFailed')).toHaveLength(workflowNames.length);
      expect(metricRows.filter((row) => row[0] === 'AWS/SQS')).toHaveLength(Object.keys(built.stack.deadLetterQueues).length);
    });

    it('has an alarm status widget with every alarm', () => {
      const statusWidgets = widgets.filter((w) => w.type === 'alarm');
      expect(statusWidgets).toHaveLength(1);
      const alarmIds = Object.values(built.stack.observability.alarms).map((a) => `${logicalIdOf(built.stack, a)}.Arn`);
      expect([...(statusWidgets[0]!.properties.alarms as string[])].sort()).toEqual(alarmIds.sort());
    });
  });
});
