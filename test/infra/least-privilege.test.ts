import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef } from '../../functions/http/routes.ts';
import { FUNCTIONS, type FunctionId, type Grant } from '../../infra/functions.ts';
import { tableAccessOf } from '../../infra/key-prefixes.ts';
import { type Built, buildForTest, logicalIdOf, resourcesOf } from './support.ts';

/**
 * What each grant of infra/functions.ts may put into a role, written out here on purpose (not
 * derived from the stack code): the template must match this list, action for action.
 */
const GRANT_ACTIONS: Record<Grant, readonly string[]> = {
  // Items only: no Scan, no DescribeTable, no streams.
  'table:read': ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query'],
  'table:write': ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
  'sms:publish': ['sns:Publish'],
  'workflow:start:intake': ['states:StartExecution'],
  'workflow:start:notice': ['states:StartExecution'],
  'workflow:start:confirmation': ['states:StartExecution'],
  'workflow:start:callback': ['states:StartExecution'],
  'workflow:respond:callback': ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'],
  'secret:identity': ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
  'bucket:put': ['s3:PutObject'],
  'bucket:read': ['s3:GetObject'],
  'bucket:tag': ['s3:PutObjectTagging'],
  'bucket:delete': ['s3:DeleteObject'],
};

/** The data key, as DynamoDB and S3 use it for the function: decrypt to read; also encrypt to write. */
function keyActionsOf(grants: readonly Grant[]): string[] {
  const usesKey = grants.some((g) => g.startsWith('table:') || g === 'bucket:put' || g === 'bucket:read');
  if (!usesKey) return [];
  const writes = grants.includes('table:write') || grants.includes('bucket:put');
  return ['kms:Decrypt', 'kms:DescribeKey', ...(writes ? ['kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'] : [])];
}

/** Every function: write to its own log group, send traces. */
const BASELINE_ACTIONS = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

const ENV_FOR_GRANT: Partial<Record<Grant, string>> = {
  'workflow:start:intake': 'INTAKE_STATE_MACHINE_ARN',
  'workflow:start:notice': 'NOTICE_STATE_MACHINE_ARN',
  'workflow:start:confirmation': 'CONFIRMATION_STATE_MACHINE_ARN',
  'workflow:start:callback': 'CALLBACK_STATE_MACHINE_ARN',
  'secret:identity': 'IDENTITY_KEY_SECRET_ARN',
  'sms:publish': 'SMS_SENDER_ID',
  'table:read': 'TABLE_NAME',
  'table:write': 'TABLE_NAME',
  'bucket:put': 'ATTACHMENTS_BUCKET',
  'bucket:read': 'ATTACHMENTS_BUCKET',
  'bucket:tag': 'ATTACHMENTS_BUCKET',
  'bucket:delete': 'ATTACHMENTS_BUCKET',
};

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  NotAction?: unknown;
  Condition?: unknown;
}

const ids = Object.keys(FUNCTIONS) as FunctionId[];
const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

const SECRETS_EXTENSION_ENV = [
  'PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED',
  'PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE',
  'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT',
  'PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL',
  'PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS',
  'SECRETS_MANAGER_TIMEOUT_MILLIS',
  'SECRETS_MANAGER_TTL',
  'SSM_PARAMETER_STORE_TIMEOUT_MILLIS',
  'SSM_PARAMETER_STORE_TTL',
];

describe('least privilege: each function gets exactly the grants of infra/functions.ts', () => {
  let built: Built;
  let lambdaProps: (id: FunctionId) => Record<string, any>;
  let statementsOf: (id: FunctionId) => Statement[];

  beforeAll(() => {
    built = buildForTest();
    const functions = resourcesOf(built.template, 'AWS::Lambda::Function');
    const roles = resourcesOf(built.template, 'AWS::IAM::Role');
    const policies = Object.values(resourcesOf(built.template, 'AWS::IAM::Policy'));
    lambdaProps = (id) => {
      const fn = functions[logicalIdOf(built.stack, built.stack.functions[id].fn)];
      if (!fn?.Properties) throw new Error(`no Lambda function for ${id}`);
      return fn.Properties;
    };
    statementsOf = (id) => {
      // The role through the function's Role property, then every policy attached to that role.
      const roleRef = lambdaProps(id).Role;
      const roleId: string = roleRef['Fn::GetAtt'][0];
      const role = roles[roleId];
      if (!role) throw new Error(`role ${roleId} of ${id} is not in the template`);
      expect(role.Properties?.ManagedPolicyArns, `${id} role has managed policies`).toBeUndefined();
      expect(role.Properties?.Policies, `${id} role has inline policies`).toBeUndefined();
      const attached = policies.filter((p) => asList(p.Properties?.Roles).some((r: any) => r?.Ref === roleId));
      expect(attached.length, `${id}: policies attached to its role`).toBeGreaterThan(0);
      return attached.flatMap((p) => p.Properties?.PolicyDocument.Statement as Statement[]);
    };
  });

  it.each(ids)('%s: its role allows exactly the actions its grants imply', (id) => {
    const statements = statementsOf(id);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      expect(s.NotAction).toBeUndefined();
    }
    const actual = sorted(statements.flatMap((s) => asList(s.Action)));
    const expected = sorted([...BASELINE_ACTIONS, ...FUNCTIONS[id].grants.flatMap((g) => GRANT_ACTIONS[g]), ...keyActionsOf(FUNCTIONS[id].grants)]);
    expect(actual).toEqual(expected);
  });

  it.each(ids)('%s: every statement is scoped to its own resources', (id) => {
    const { stack } = built;
    const tableId = logicalIdOf(stack, stack.data.table);
    const secretId = logicalIdOf(stack, stack.data.identityKey);
    const bucketId = logicalIdOf(stack, stack.attachments.bucket);
    const keyId = logicalIdOf(stack, stack.dataKey.key);
    const access = tableAccessOf(FUNCTIONS[id].store ?? {});
    const logsId = logicalIdOf(stack, stack.functions[id].logGroup);
    // Only the state machines this function's grants name, never another one.
    const startable = FUNCTIONS[id].grants.filter((g) => g.startsWith('workflow:')).map((g) => g.split(':')[2] as string);
    const stateMachineIds = startable.map((name) => logicalIdOf(stack, stack.workflows[name as keyof typeof stack.workflows].stateMachine));
    for (const s of statementsOf(id)) {
      const actions = asList(s.Action);
      const resources = JSON.stringify(s.Resource ?? null);
      const service = new Set(actions.map((a) => a.split(':')[0]));
      expect(service.size, `one service per statement: ${actions.join(', ')}`).toBe(1);
      switch ([...service][0]) {
        case 'logs':
          expect(s.Resource).toEqual({ 'Fn::GetAtt': [logsId, 'Arn'] });
          break;
        case 'xray':
          expect(s.Resource).toBe('*');
          break;
        case 'dynamodb': {
          // The table, and by name only the indexes its queries use; partitions by LeadingKeys.
          const writes = actions.some((a) => a === 'dynamodb:PutItem');
          const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
          const indexArn = (name: string) => ({ 'Fn::Join': ['', [tableArn, `/index/${name}`]] });
          expect(asList(s.Resource)).toEqual(writes ? [tableArn] : [tableArn, ...access.indexes.map(indexArn)]);
          expect(s.Condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': writes ? access.writePatterns : access.readPatterns } });
          continue;
        }
        case 'kms':
          expect(s.Resource).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
          expect(Object.keys(s.Condition as object)).toEqual(['StringEquals']);
          continue;
        case 'secretsmanager':
          expect(s.Resource).toEqual({ Ref: secretId });
          break;
        case 'states':
          expect(stateMachineIds.map((smId) => ({ Ref: smId }))).toContainEqual(s.Resource);
          break;
        case 's3':
          // The attachments bucket's objects, never the bucket itself or another bucket.
          expect(s.Resource).toEqual({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] });
          break;
        case 'sns':
          // Phone numbers only: never a topic.
          expect(s.Resource).toBeUndefined();
          expect(s.NotResource).toBe('arn:aws:sns:*:*:*');
          break;
        default:
          throw new Error(`unexpected statement ${actions.join(', ')} on ${resources}`);
      }
      expect(s.Condition).toBeUndefined();
    }
  });

  it.each(ids)('%s: environment carries what its grants need and nothing else', (id) => {
    const env = lambdaProps(id).Environment.Variables as Record<string, unknown>;
    const readsSecret = FUNCTIONS[id].grants.includes('secret:identity');
    const expected = [
      'NODE_OPTIONS',
      'POWERTOOLS_SERVICE_NAME',
      ...FUNCTIONS[id].grants.flatMap((g) => asList(ENV_FOR_GRANT[g])),
      // The Parameters and Secrets extension's own settings, only where a secret is read.
      ...(readsSecret ? SECRETS_EXTENSION_ENV : []),
    ];
    expect(Object.keys(env).sort()).toEqual(sorted(expected));
    expect(Boolean(lambdaProps(id).Layers), 'the secrets extension layer only where a secret is read').toBe(readsSecret);
    if (readsSecret) expect(env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT).toBe('2773');
    if ('TABLE_NAME' in env) expect(env.TABLE_NAME).toEqual({ Ref: logicalIdOf(built.stack, built.stack.data.table) });
    if ('ATTACHMENTS_BUCKET' in env) expect(env.ATTACHMENTS_BUCKET).toEqual({ Ref: logicalIdOf(built.stack, built.stack.attachments.bucket) });
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(env.POWERTOOLS_SERVICE_NAME).toBe('support-center');
    if ('IDENTITY_KEY_SECRET_ARN' in env) expect(env.IDENTITY_KEY_SECRET_ARN).toEqual({ Ref: logicalIdOf(built.stack, built.stack.data.identityKey) });
    if ('INTAKE_STATE_MACHINE_ARN' in env) expect(env.INTAKE_STATE_MACHINE_ARN).toEqual({ Ref: logicalIdOf(built.stack, built.stack.workflows.intake.stateMachine) });
    if ('NOTICE_STATE_MACHINE_ARN' in env) expect(env.NOTICE_STATE_MACHINE_ARN).toEqual({ Ref: logicalIdOf(built.stack, built.stack.workflows.notice.stateMachine) });
    if ('CALLBACK_STATE_MACHINE_ARN' in env) expect(env.CALLBACK_STATE_MACHINE_ARN).toEqual({ Ref: logicalIdOf(built.stack, built.stack.workflows.callback.stateMachine) });
  });

  it.each(ids)('%s: arm64, latest Node.js runtime, 256 MB, active tracing, its own log group', (id) => {
    const props = lambdaProps(id);
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.Runtime).toMatch(/^nodejs\d+\.x$/);
    expect(props.Handler).toBe('index.handler');
    expect(props.MemorySize).toBe(256);
    expect(props.TracingConfig).toEqual({ Mode: 'Active' });
    expect(props.LoggingConfig.LogGroup).toEqual({ Ref: logicalIdOf(built.stack, built.stack.functions[id].logGroup) });
    // Route handlers answer within API Gateway's patience; workflow tasks get more room; a scheduled run the most.
    const isRoute = (ROUTES as readonly RouteDef[]).some((r) => r.fn === id);
    expect(props.Timeout).toBe(isRoute ? 10 : FUNCTIONS[id].everyMinutes !== undefined ? 60 : 30);
  });

  it('no function may Scan, and no statement of any role in the stack allows it', () => {
    const all = Object.values(resourcesOf(built.template, 'AWS::IAM::Policy')).flatMap((p) => p.Properties?.PolicyDocument.Statement as Statement[]);
    const actions = all.flatMap((s) => asList(s.Action));
    expect(actions.filter((a) => /^dynamodb:(Scan|\*)$/.test(a) || a === '*')).toEqual([]);
    expect(actions.filter((a) => a.startsWith('dynamodb:')).length).toBeGreaterThan(0);
  });

  it('every table statement of a function is bound to its partitions (LeadingKeys), none is open', () => {
    for (const id of ids) {
      for (const s of statementsOf(id).filter((x) => asList(x.Action).some((a) => a.startsWith('dynamodb:')))) {
        const patterns = (s.Condition as any)?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] as string[] | undefined;
        expect(patterns?.length, `${id}: ${asList(s.Action).join(',')}`).toBeGreaterThan(0);
        expect(patterns).not.toContain('*');
      }
    }
  });

  it('the anonymous public function reads only the calendar, slots, queue counts and waits, and writes nothing', () => {
    const statements = statementsOf('httpPublic').filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
    expect(statements).toHaveLength(1);
    expect(sorted(asList(statements[0]!.Action))).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    expect((statements[0]!.Condition as any)['ForAllValues:StringLike']['dynamodb:LeadingKeys']).toEqual(['CALENDAR', 'QUEUE#*', 'QWAITS#*', 'SLOTS#*']);
    // No profile, request, call, code or phone partition, and no key use beyond decrypting.
    const kms = statementsOf('httpPublic').filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')));
    expect(sorted(kms.flatMap((s) => asList(s.Action)))).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });

  it('only the citizen-facing and staff functions that need a partition get it', () => {
    const patternsOf = (id: FunctionId) => tableAccessOf(FUNCTIONS[id].store ?? {});
    // One-time codes: only the calls function (send, verify) and the tasks (the SMS) may read them.
    for (const id of ids) {
      const { readPatterns, writePatterns } = patternsOf(id);
      const touchesOtp = [...readPatterns, ...writePatterns].includes('OTP#*');
      expect(touchesOtp, id).toBe(id === 'httpCalls' || id === 'requestTasks');
    }
    expect(patternsOf('httpTranscript')).toEqual({ readPatterns: ['CALL#*', 'REQ#*'], writePatterns: [], indexes: [] });
    expect(patternsOf('httpAdmin').writePatterns).toEqual(['CALENDAR', 'PHONE#*', 'USER#*']);
    // The calendar: changed by the admin routes, seeded by the scheduled function; everyone else only reads it.
    for (const id of ids) expect(patternsOf(id).writePatterns.includes('CALENDAR'), id).toBe(id === 'httpAdmin' || id === 'reconciler');
    // The due checks, and the inboxes for the overdue count.
    expect(patternsOf('reconciler').indexes).toEqual(['GSI2', 'GSI3']);
    // Notifications: the citizen's own partition family and nothing else.
    expect(patternsOf('httpNotifications')).toEqual({ readPatterns: ['NTF#*'], writePatterns: ['NTF#*'], indexes: [] });
    // No function that writes search refs can write the profiles' phone claims.
    expect(patternsOf('httpOps').writePatterns).not.toContain('PHONE#*');
  });

  it('every log group has a retention', () => {
    for (const [logicalId, group] of Object.entries(resourcesOf(built.template, 'AWS::Logs::LogGroup'))) {
      expect(group.Properties?.RetentionInDays, logicalId).toBeGreaterThan(0);
    }
  });

  it('state machine roles may invoke exactly their task functions', () => {
    const { stack, template } = built;
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy'));
    for (const workflow of Object.values(stack.workflows)) {
      const roleId = logicalIdOf(stack, workflow.stateMachine.role);
      const statements = policies
        .filter((p) => asList(p.Properties?.Roles).some((r: any) => r?.Ref === roleId))
        .flatMap((p) => p.Properties?.PolicyDocument.Statement as Statement[]);
      const invokes = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('lambda:')));
      expect(invokes.flatMap((s) => asList(s.Action))).toEqual(['lambda:InvokeFunction']);
      const expected = [...new Set(Object.values(workflow.def.functions))].map((fn) => ({ 'Fn::GetAtt': [logicalIdOf(stack, stack.functions[fn].fn), 'Arn'] }));
      expect(invokes.flatMap((s) => asList(s.Resource))).toEqual(expected);
      // A workflow that starts another may start exactly that one (intake → callback), nothing else.
      const starts = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('states:')));
      const startable = [...new Set(Object.values(workflow.def.workflows ?? {}))].map((w) => ({ Ref: logicalIdOf(stack, stack.workflows[w].stateMachine) }));
      expect(starts.flatMap((s) => asList(s.Resource))).toEqual(startable);
      expect(starts.flatMap((s) => asList(s.Action))).toEqual(startable.length > 0 ? ['states:StartExecution'] : []);
      const others = sorted(statements.filter((s) => !invokes.includes(s) && !starts.includes(s)).flatMap((s) => asList(s.Action)).map((a) => a.split(':')[0]!));
      expect(others).toEqual(['logs', 'xray']);
    }
  });
});
