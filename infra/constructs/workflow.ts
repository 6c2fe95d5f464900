import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { WorkflowName } from '../../functions/ports/workflows.ts';
import type { TaskFunction } from '../functions.ts';
import { type WorkflowDef, placeholdersIn } from '../workflows.ts';
import { REPO_ROOT } from './paths.ts';

/**
 * The `definitionSubstitutions` of a workflow: each placeholder of `def.functions` → that
 * function's ARN, `def.tablePlaceholder` → the table name. The local runner builds its own
 * values from the same WorkflowDef; a test holds both to the placeholders the ASL file uses.
 */
export function workflowSubstitutions(
  def: WorkflowDef,
  functionArn: (fn: TaskFunction) => string,
  tableName?: string,
  stateMachineArn?: (workflow: WorkflowName) => string,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [placeholder, fn] of Object.entries(def.functions)) values[placeholder] = functionArn(fn);
  for (const [placeholder, workflow] of Object.entries(def.workflows ?? {})) {
    if (!stateMachineArn) throw new Error(`${def.file}: ${placeholder} needs the ARN of workflow ${workflow}`);
    values[placeholder] = stateMachineArn(workflow);
  }
  if (def.tablePlaceholder !== undefined) {
    if (tableName === undefined) throw new Error(`${def.file}: ${def.tablePlaceholder} needs the table name`);
    values[def.tablePlaceholder] = tableName;
  }
  return values;
}

/** The ASL text of a workflow, read from the repository. */
export function aslText(def: WorkflowDef): string {
  return readFileSync(join(REPO_ROOT, def.file), 'utf8');
}

export interface WorkflowProps {
  def: WorkflowDef;
  /** The task functions (at least those the workflow names). */
  functions: Partial<Record<TaskFunction, IFunction>>;
  table: ITable;
  /** The state machines this one starts (built before it). */
  stateMachines?: Partial<Record<WorkflowName, IStateMachine>>;
  logRetention?: RetentionDays;
  /** The customer managed key of its log group. */
  encryptionKey: IKey;
}

/** One state machine of infra/workflows.ts, deployed from its ASL file with substitutions. */
export class Workflow extends Construct {
  readonly def: WorkflowDef;
  readonly stateMachine: StateMachine;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const { def } = props;
    this.def = def;
    const asl = aslText(def);
    const started = (workflow: WorkflowName): IStateMachine => {
      const machine = props.stateMachines?.[workflow];
      if (!machine) throw new Error(`${def.file} starts workflow ${workflow}, which is not built yet`);
      return machine;
    };
    const taskFunction = (fn: TaskFunction): IFunction => {
      const found = props.functions[fn];
      if (!found) throw new Error(`${def.file} calls function ${fn}, which is not built`);
      return found;
    };
    const substitutions = workflowSubstitutions(def, (fn) => taskFunction(fn).functionArn, props.table.tableName, (w) => started(w).stateMachineArn);

    // Fail the synth, not the deployment, when the file and the WorkflowDef disagree.
    const used = placeholdersIn(asl).join(', ');
    const supplied = Object.keys(substitutions).sort().join(', ');
    if (used !== supplied) throw new Error(`${def.file} uses placeholders [${used}] but WORKFLOWS supplies [${supplied}]`);

    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention ?? RetentionDays.THREE_MONTHS, encryptionKey: props.encryptionKey });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      // Inline (DefinitionString), not fromFile (an S3 asset): the template itself then shows, and
      // test/infra proves, that the deployed definition is this file.
      definitionBody: DefinitionBody.fromString(asl),
      definitionSubstitutions: substitutions,
      stateMachineType: def.type === 'EXPRESS' ? StateMachineType.EXPRESS : StateMachineType.STANDARD,
      tracingEnabled: true,
      // Execution data may hold ids only, but keep the PII risk at zero: never log it.
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });

    // Exactly the unqualified function ARNs the ASL names (no `:*` for versions and aliases).
    const arns = [...new Set(Object.values(def.functions))].map((fn) => taskFunction(fn).functionArn);
    if (arns.length > 0) this.stateMachine.addToRolePolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: arns }));
    // A workflow that starts another (states:startExecution) may start exactly that one.
    for (const workflow of new Set(Object.values(def.workflows ?? {}))) started(workflow).grantStartExecution(this.stateMachine);
    // A workflow that talks to DynamoDB directly: WorkflowDef does not say which calls, so item reads
    // and writes (never Scan, never the table's configuration).
    if (def.tablePlaceholder !== undefined) {
      this.stateMachine.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
          resources: [props.table.tableArn],
        }),
      );
      props.table.encryptionKey?.grantEncryptDecrypt(this.stateMachine);
    }

    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Execution logging (logs:CreateLogDelivery, logs:DescribeLogGroups, ... ) and X-Ray tracing (xray:PutTraceSegments, GetSamplingRules, ...) ' +
        'support no resource-level permissions; function invocations are scoped to exact ARNs.',
    });
  }
}
