import { CfnOutput, type CfnElement, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import type { ConfigName } from '../../functions/config.ts';
import { type HttpFunction, ROUTES } from '../../functions/http/routes.ts';
import type { WorkflowName } from '../../functions/ports/workflows.ts';
import { Api } from '../constructs/api.ts';
import { Attachments } from '../constructs/attachments.ts';
import { DataKey } from '../constructs/data-key.ts';
import { Data } from '../constructs/data.ts';
import { DeadLetterQueue } from '../constructs/dead-letter-queue.ts';
import { Edge } from '../constructs/edge.ts';
import { OriginVerify } from '../constructs/origin-verify.ts';
import { WebApp } from '../constructs/web-app.ts';
import { WEB_DIST_CLOUD } from '../web-paths.ts';
import { Observability } from '../constructs/observability.ts';
import { ServiceFunction } from '../constructs/service-function.ts';
import { Workflow } from '../constructs/workflow.ts';
import { FUNCTIONS, type FunctionId, type Grant, type TaskFunction } from '../functions.ts';
import { tableAccessOf } from '../key-prefixes.ts';
import { WORKFLOWS } from '../workflows.ts';
import type { Settings } from './settings.ts';

export interface SupportCenterStackProps extends StackProps {
  settings: Settings;
}

type WorkflowGrant = Extract<Grant, `workflow:${string}`>;

/** What each grant on the attachments bucket allows, on its objects only. */
const BUCKET_ACTIONS: Record<Extract<Grant, `bucket:${string}`>, string> = {
  'bucket:put': 's3:PutObject',
  'bucket:read': 's3:GetObject',
  'bucket:tag': 's3:PutObjectTagging',
  'bucket:delete': 's3:DeleteObject',
};

/** Item reads and writes; never Scan (a whole-table read), never the table's configuration or streams. */
const TABLE_READ_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'] as const;
const TABLE_WRITE_ACTIONS = ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;
/**
 * KMS use through DynamoDB or S3 (kms:ViaService): reading decrypts, writing also makes data keys.
 * The same actions aws-cdk-lib's table grants give for a customer managed key (DynamoDB and S3 pick
 * the GenerateDataKey and ReEncrypt variants themselves), on this one key only.
 */
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'] as const;
const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] as const;

/** The variable (functions/config.ts) that carries each state machine's ARN. */
const STATE_MACHINE_ARN_ENV: Partial<Record<WorkflowName, ConfigName>> = {
  intake: 'INTAKE_STATE_MACHINE_ARN',
  notice: 'NOTICE_STATE_MACHINE_ARN',
  confirmation: 'CONFIRMATION_STATE_MACHINE_ARN',
  callback: 'CALLBACK_STATE_MACHINE_ARN',
};

// A scheduled run walks many requests; it still ends well before its next tick.
const TIMEOUTS = { http: Duration.seconds(10), task: Duration.seconds(30), scheduled: Duration.seconds(60) } as const;

/**
 * EventBridge's retry policy per kind of rule. A bucket event is a citizen's file waiting for its
 * check: retry for an hour, then keep it in the dead-letter queue for a redrive. A schedule tick
 * carries nothing and the next one does the same work: an older tick than one period is dropped
 * to the dead-letter queue (where it still shows that delivery fails).
 */
const TRIGGER_RETRY = { maxEventAge: Duration.hours(1), retryAttempts: 20 } as const;
const scheduleRetry = (everyMinutes: number) => ({ maxEventAge: Duration.minutes(Math.max(1, everyMinutes)), retryAttempts: 2 });

/** `workflow:start:<name>` (start executions) or `workflow:respond:<name>` (send task results). */
function workflowGrantOf(grant: Grant): { action: 'start' | 'respond'; workflow: WorkflowName } | undefined {
  const m = /^workflow:(start|respond):(.+)$/.exec(grant);
  if (!m) return undefined;
  const name = m[2] as string;
  if (!(name in WORKFLOWS)) throw new Error(`grant ${grant}: no workflow ${name} in infra/workflows.ts`);
  return { action: m[1] as 'start' | 'respond', workflow: name as WorkflowName };
}

function workflowOf(grant: Grant): WorkflowName | undefined {
  const parsed = workflowGrantOf(grant);
  return parsed?.action === 'start' ? parsed.workflow : undefined;
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * Support Center in one stack, built from the sources of truth: FUNCTIONS (functions and their
 * grants), WORKFLOWS (state machines), ROUTES (the HTTP API), TABLE (the single table).
 * Env-agnostic: no region, account or lookups; synthesizes offline.
 */
export class SupportCenterStack extends Stack {
  readonly dataKey: DataKey;
  readonly data: Data;
  readonly attachments: Attachments;
  readonly functions: Record<FunctionId, ServiceFunction>;
  readonly workflows: Record<WorkflowName, Workflow>;
  readonly api: Api;
  /** CloudFront with the WAF stack's WebACL in front of the API, when `webAclArn` is set. */
  readonly edge: Edge | undefined;
  /** The secret CloudFront sends and the HTTP functions require, when the edge exists. */
  readonly originVerify: OriginVerify | undefined;
  /** The web app (its bucket and behaviour), the distribution's default path, when the edge exists. */
  readonly webApp: WebApp | undefined;
  /** Rules that start a workflow on an event, by workflow name. */
  readonly triggers: Partial<Record<WorkflowName, Rule>> = {};
  /** Rules that run a scheduled function, by function id. */
  readonly schedules: Partial<Record<FunctionId, Rule>> = {};
  /**
   * One dead-letter queue per rule, by rule (`<workflow>Trigger`, `<function>Schedule`), not one
   * shared: the alarm's name then says which path lost events, and each is redriven its own way
   * (bucket events back to their workflow; schedule ticks are only evidence and can be purged).
   */
  readonly deadLetterQueues: Record<string, DeadLetterQueue> = {};
  readonly observability: Observability;

  constructor(scope: Construct, id: string, props: SupportCenterStackProps) {
    super(scope, id, props);
    const { settings } = props;

    this.dataKey = new DataKey(this, 'DataKey');
    const encryptionKey = this.dataKey.key;
    this.data = new Data(this, 'Data', { deletionProtection: settings.deletionProtection, encryptionKey });
    const { table, identityKey } = this.data;
    this.attachments = new Attachments(this, 'Attachments', { corsOrigins: settings.corsOrigins, encryptionKey });
    const { bucket } = this.attachments;
    // Only with CloudFront in front: without it the execute-api URL is the API's one address.
    this.originVerify =
      settings.webAclArn === undefined
        ? undefined
        : new OriginVerify(this, 'OriginVerify', { versionId: settings.originVerifyVersion, previousVersionId: settings.originVerifyPreviousVersion });
    const { originVerify } = this;

    // What each function is: a route handler, a workflow task or run on a schedule; exactly one.
    const httpFns = new Set<string>(ROUTES.map((r) => r.fn));
    const taskFns = new Set<string>(Object.values(WORKFLOWS).flatMap((w) => Object.values(w.functions)));
    const scheduledFns = new Set<string>((Object.keys(FUNCTIONS) as FunctionId[]).filter((id) => FUNCTIONS[id].everyMinutes !== undefined));
    const kindOf = (id: FunctionId): keyof typeof TIMEOUTS => {
      const kinds = (['http', 'task', 'scheduled'] as const).filter((kind) => ({ http: httpFns, task: taskFns, scheduled: scheduledFns })[kind].has(id));
      if (kinds.length > 1) throw new Error(`function ${id} is ${kinds.join(' and ')}: one kind only`);
      const [kind] = kinds;
      if (kind === undefined) throw new Error(`function ${id} is used by no route, no workflow and no schedule`);
      return kind;
    };

    const functions: Partial<Record<FunctionId, ServiceFunction>> = {};
    const stateMachines: Partial<Record<WorkflowName, StateMachine>> = {};
    const bucketObjectsResource = `Resource::<${this.getLogicalId(bucket.node.defaultChild as CfnElement)}.Arn>/*`;

    const createFunction = (id: FunctionId): void => {
      const def = FUNCTIONS[id];
      const environment: Partial<Record<ConfigName, string>> = {};
      for (const grant of def.grants) {
        if (grant.startsWith('table:')) environment.TABLE_NAME = table.tableName;
        if (grant.startsWith('bucket:')) environment.ATTACHMENTS_BUCKET = bucket.bucketName;
        const workflow = workflowOf(grant);
        if (workflow !== undefined) {
          const stateMachine = stateMachines[workflow];
          if (!stateMachine) throw new Error(`function ${id} starts workflow ${workflow}, which is not built yet`);
          const variable = STATE_MACHINE_ARN_ENV[workflow];
          if (!variable) throw new Error(`function ${id} starts workflow ${workflow}, which has no ARN variable in functions/config.ts`);
          environment[variable] = stateMachine.stateMachineArn;
        }
        if (grant === 'secret:identity') environment.IDENTITY_KEY_SECRET_ARN = identityKey.secretArn;
        if (grant === 'sms:publish') environment.SMS_SENDER_ID = settings.smsSenderId;
      }
      // Every route handler, and only those: tasks, the reconciler and the upload check take no calls.
      if (originVerify && kindOf(id) === 'http') Object.assign(environment, originVerify.environment);
      const created = new ServiceFunction(this, pascal(id), {
        def,
        timeout: TIMEOUTS[kindOf(id)],
        environment: environment as Record<string, string>,
        logKey: encryptionKey,
      });
      for (const grant of def.grants) this.grant(created, grant, stateMachines, { bucketObjectsResource });
      this.grantTable(id, created);
      this.grantKey(id, created);
      functions[id] = created;
    };

    // Workflow tasks first, then the state machines (they need the tasks' ARNs), then the functions
    // that start workflows (they need the state machines' ARNs).
    const ids = Object.keys(FUNCTIONS) as FunctionId[];
    const startsWorkflow = (id: FunctionId) => FUNCTIONS[id].grants.some((g) => workflowGrantOf(g) !== undefined);
    for (const id of ids.filter((i) => !startsWorkflow(i))) createFunction(id);

    const taskFunctions = {} as Record<TaskFunction, IFunction>;
    for (const fn of taskFns) {
      const built = functions[fn as FunctionId];
      if (!built) throw new Error(`workflow task ${fn} must not start workflows itself`);
      taskFunctions[fn as TaskFunction] = built.fn;
    }
    const workflows: Partial<Record<WorkflowName, Workflow>> = {};
    // A workflow that starts another is built after it (its ARN is substituted into the ASL).
    const pending = Object.entries(WORKFLOWS) as [WorkflowName, (typeof WORKFLOWS)[WorkflowName]][];
    while (pending.length > 0) {
      const index = pending.findIndex(([, def]) => Object.values(def.workflows ?? {}).every((w) => stateMachines[w] !== undefined));
      if (index < 0) throw new Error(`workflows start each other in a cycle: ${pending.map(([n]) => n).join(', ')}`);
      const [[name, def]] = pending.splice(index, 1) as [[WorkflowName, (typeof WORKFLOWS)[WorkflowName]]];
      const workflow = new Workflow(this, `${pascal(name)}Workflow`, { def, functions: taskFunctions, table, stateMachines, encryptionKey });
      workflows[name] = workflow;
      stateMachines[name] = workflow.stateMachine;
      new CfnOutput(this, `${pascal(name)}StateMachineArn`, { value: workflow.stateMachine.stateMachineArn });
    }

    for (const id of ids.filter(startsWorkflow)) createFunction(id);
    this.functions = functions as Record<FunctionId, ServiceFunction>;
    this.workflows = workflows as Record<WorkflowName, Workflow>;

    // Workflows started by an event: the attachments bucket's Object Created, through EventBridge
    // (the bucket sends its events there), each event whole as the execution's input.
    for (const [name, def] of Object.entries(WORKFLOWS) as [WorkflowName, (typeof WORKFLOWS)[WorkflowName]][]) {
      if (def.trigger !== 'attachments:objectCreated') continue;
      const ruleName = `${name}Trigger`;
      const dlq = new DeadLetterQueue(this, `${pascal(ruleName)}DeadLetters`, { source: `the EventBridge rule that starts the ${name} workflow`, encryptionKey });
      this.deadLetterQueues[ruleName] = dlq;
      this.triggers[name] = new Rule(this, pascal(ruleName), {
        description: `Object Created in the attachments bucket starts the ${name} workflow`,
        eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [bucket.bucketName] } } },
        targets: [new SfnStateMachine(this.workflows[name].stateMachine, { deadLetterQueue: dlq.queue, ...TRIGGER_RETRY })],
      });
    }

    // Scheduled functions: an EventBridge rate rule each (locally, a timer in infra/local).
    for (const id of ids.filter((i) => kindOf(i) === 'scheduled')) {
      const everyMinutes = FUNCTIONS[id].everyMinutes as number;
      const ruleName = `${id}Schedule`;
      const dlq = new DeadLetterQueue(this, `${pascal(ruleName)}DeadLetters`, { source: `the EventBridge schedule that runs ${id}`, encryptionKey });
      this.deadLetterQueues[ruleName] = dlq;
      this.schedules[id] = new Rule(this, pascal(ruleName), {
        description: `Runs ${id} every ${everyMinutes} minutes`,
        schedule: Schedule.rate(Duration.minutes(everyMinutes)),
        targets: [new LambdaFunction(this.functions[id].fn, { deadLetterQueue: dlq.queue, ...scheduleRetry(everyMinutes) })],
      });
    }

    const httpFunctions = {} as Record<HttpFunction, IFunction>;
    for (const fn of httpFns) httpFunctions[fn as HttpFunction] = this.functions[fn as FunctionId].fn;
    this.api = new Api(this, 'Api', {
      functions: httpFunctions,
      jwtIssuer: settings.jwtIssuer,
      jwtAudience: settings.jwtAudience,
      corsOrigins: settings.corsOrigins,
      encryptionKey,
    });

    // The web app and the API on one distribution: the app calls its own origin (`/v1/*`).
    this.webApp =
      settings.webAclArn === undefined
        ? undefined
        : new WebApp(this, 'WebApp', {
            assetDir: WEB_DIST_CLOUD,
            attachments: bucket,
            serverAccessLogs: this.attachments.accessLogs,
            oidc: { issuer: settings.jwtIssuer, clientId: settings.oidcClientId },
          });
    this.edge =
      settings.webAclArn === undefined || originVerify === undefined
        ? undefined
        : new Edge(this, 'Edge', {
            httpApi: this.api.httpApi,
            webAclArn: settings.webAclArn,
            serverAccessLogs: this.attachments.accessLogs,
            originHeaders: originVerify.originHeaders,
            ...(this.webApp ? { defaultBehavior: this.webApp.behavior } : {}),
          });
    // The functions first, then the distribution: on a rotation they accept the new value (and the
    // previous one) before CloudFront starts sending it.
    this.edge?.distribution.node.addDependency(...Object.values(httpFunctions));
    if (this.webApp && this.edge) this.webApp.deploy(this.edge.distribution);
    if (this.edge && originVerify) {
      new CfnOutput(this, 'EdgeUrl', { value: `https://${this.edge.distribution.distributionDomainName}`, description: 'The API behind CloudFront and WAF: what the portal calls' });
      new CfnOutput(this, 'OriginVerifySecretArn', { value: originVerify.secret.secretArn, description: 'The origin secret (its ARN, not its value): rotate it as docs/operations.md says' });
    }

    this.observability = new Observability(this, 'Observability', {
      httpApi: this.api.httpApi,
      functions: Object.fromEntries(ids.map((id) => [id, this.functions[id].fn])),
      scheduled: scheduledFns,
      stateMachines: Object.fromEntries(Object.entries(this.workflows).map(([name, w]) => [name, w.stateMachine])),
      deadLetterQueues: Object.fromEntries(Object.entries(this.deadLetterQueues).map(([rule, d]) => [rule, d.queue])),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.observability.topic.topicArn, description: 'Subscribe the on-call address here' });
    new CfnOutput(this, 'DashboardName', { value: this.observability.dashboard.dashboardName });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'AttachmentsBucketName', { value: bucket.bucketName });
  }

  /** One grant of infra/functions.ts, exactly. */
  private grant(
    target: ServiceFunction,
    grant: Grant,
    stateMachines: Partial<Record<WorkflowName, StateMachine>>,
    findings: { bucketObjectsResource: string },
  ): void {
    const { table, identityKey } = this.data;
    const { bucket } = this.attachments;
    const { fn, role } = target;
    const workflowGrant = workflowGrantOf(grant);
    if (workflowGrant !== undefined) {
      const machine = stateMachines[workflowGrant.workflow]!;
      if (workflowGrant.action === 'start') machine.grantStartExecution(fn);
      else machine.grantTaskResponse(fn);
      return;
    }
    const other = grant as Exclude<Grant, WorkflowGrant>;
    switch (other) {
      case 'table:read':
      case 'table:write':
        // Scoped by the function's store calls: grantTable.
        return;
      case 'secret:identity':
        identityKey.grantRead(fn);
        return;
      case 'sms:publish':
        // SMS to phone numbers only, never to a topic: NotResource excludes every topic ARN (a phone
        // number has no ARN, so it cannot be named as a Resource). cdk-nag 3.0.2 IAM5 inspects
        // Resource, not NotResource, so there is no finding to acknowledge; test/infra holds this shape.
        role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], notResources: ['arn:aws:sns:*:*:*'] }));
        return;
      case 'bucket:put':
      case 'bucket:read':
      case 'bucket:tag':
      case 'bucket:delete':
        // Objects only (never the bucket itself: no listing, no configuration), one action per grant.
        role.addToPrincipalPolicy(new PolicyStatement({ actions: [BUCKET_ACTIONS[other]], resources: [bucket.arnForObjects('*')] }));
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[${findings.bucketObjectsResource}]`,
          reason:
            "The attachments bucket's own objects (<bucket ARN>/*): keys are generated per request and attachment at upload time, " +
            'so no narrower resource exists when the policy is written; each grant is one object action of infra/functions.ts.',
        });
        return;
      default: {
        const unknown: never = other;
        throw new Error(`unknown grant ${String(unknown)}`);
      }
    }
  }

  /**
   * The table statements of one function: item reads on the partitions its store calls read, item
   * writes on those they write (`dynamodb:LeadingKeys`, infra/key-prefixes.ts), the indexes its
   * queries use by name. No Scan, no DescribeTable, no streams.
   */
  private grantTable(id: FunctionId, target: ServiceFunction): void {
    const def = FUNCTIONS[id];
    const access = tableAccessOf(def.store ?? {});
    const { table } = this.data;
    const says = (grant: Grant) => def.grants.includes(grant);
    if (says('table:read') !== access.readPatterns.length > 0) throw new Error(`${id}: grant table:read must match its store calls that read (${access.readPatterns.join(', ') || 'none'})`);
    if (says('table:write') !== access.writePatterns.length > 0) throw new Error(`${id}: grant table:write must match its store calls that write (${access.writePatterns.join(', ') || 'none'})`);
    const leading = (patterns: string[]) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns } });
    if (access.readPatterns.length > 0) {
      const indexes = access.indexes.map((name) => `${table.tableArn}/index/${name}`);
      target.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TABLE_READ_ACTIONS], resources: [table.tableArn, ...indexes], conditions: leading(access.readPatterns) }));
    }
    if (access.writePatterns.length > 0) {
      target.role.addToPrincipalPolicy(new PolicyStatement({ actions: [...TABLE_WRITE_ACTIONS], resources: [table.tableArn], conditions: leading(access.writePatterns) }));
    }
  }

  /** The data key, only as DynamoDB and S3 use it on the function's behalf, and only as its grants need. */
  private grantKey(id: FunctionId, target: ServiceFunction): void {
    const { grants } = FUNCTIONS[id];
    const services = [
      ...(grants.some((g) => g.startsWith('table:')) ? [`dynamodb.${this.region}.amazonaws.com`] : []),
      ...(grants.some((g) => g === 'bucket:put' || g === 'bucket:read') ? [`s3.${this.region}.amazonaws.com`] : []),
    ];
    if (services.length === 0) return;
    const writes = grants.includes('table:write') || grants.includes('bucket:put');
    target.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [...KEY_READ_ACTIONS, ...(writes ? KEY_WRITE_ACTIONS : [])],
        resources: [this.dataKey.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': services } },
      }),
    );
    if (!writes) return;
    for (const action of KEY_WRITE_ACTIONS.filter((a) => a.endsWith('*'))) {
      Validations.of(target.role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason:
          `${action}: the variants DynamoDB and S3 call on the writer's behalf with a customer managed key (as aws-cdk-lib's own grants give), ` +
          'on the data key only and only through DynamoDB or S3 (kms:ViaService).',
      });
    }
  }
}
