import { Key } from 'aws-cdk-lib/aws-kms';
import { App, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import * as domainErrors from '../../functions/core/errors.ts';
import type { WorkflowName } from '../../functions/ports/workflows.ts';
import { Workflow, workflowSubstitutions } from '../../infra/constructs/workflow.ts';
import { AWS_TRANSIENT_ERRORS, WORKFLOWS, placeholdersIn, substitute } from '../../infra/workflows.ts';
import { type Built, REPO, buildForTest, logicalIdOf, resourcesOf } from './support.ts';

type AslValidator = (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => { isValid: boolean; errorsText: (separator?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

const DUMMY_LAMBDA_ARN = 'arn:aws:lambda:eu-central-1:123456789012:function:x';
const DUMMY_STATE_MACHINE_ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:x';
const names = Object.keys(WORKFLOWS) as WorkflowName[];
const aslOf = (name: WorkflowName) => readFileSync(`${REPO}${WORKFLOWS[name].file}`, 'utf8');
const dummyValues = (name: WorkflowName) => workflowSubstitutions(WORKFLOWS[name], () => DUMMY_LAMBDA_ARN, 'support-center-table', () => DUMMY_STATE_MACHINE_ARN);

function catchNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(catchNames);
  if (node === null || typeof node !== 'object') return [];
  const own = 'Catch' in node && Array.isArray(node.Catch) ? node.Catch.flatMap((c: { ErrorEquals: string[] }) => c.ErrorEquals) : [];
  const retried = 'Retry' in node && Array.isArray(node.Retry) ? node.Retry.flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals) : [];
  return [...own, ...retried, ...Object.values(node).flatMap(catchNames)];
}

describe('state machines: the deployed definitions are the ASL files of statemachines/', () => {
  let built: Built;
  let stateMachine: (name: WorkflowName) => Record<string, any>;

  beforeAll(() => {
    built = buildForTest();
    const machines = resourcesOf(built.template, 'AWS::StepFunctions::StateMachine');
    stateMachine = (name) => {
      const sm = machines[logicalIdOf(built.stack, built.stack.workflows[name].stateMachine)];
      if (!sm?.Properties) throw new Error(`no state machine for ${name}`);
      return sm.Properties;
    };
    expect(Object.keys(machines).length).toBe(names.length);
  });

  it('every ASL file in statemachines/ is registered in WORKFLOWS, and every registered file exists', () => {
    const files = readdirSync(`${REPO}statemachines`).filter((f) => f.endsWith('.asl.json')).map((f) => `statemachines/${f}`).sort();
    expect(Object.values(WORKFLOWS).map((w) => w.file).sort()).toEqual(files);
  });

  it.each(names)('%s: substitutions supplied are exactly the placeholders the file uses', (name) => {
    const used = placeholdersIn(aslOf(name));
    expect(used.length).toBeGreaterThan(0);
    expect(Object.keys(stateMachine(name).DefinitionSubstitutions ?? {}).sort()).toEqual(used);
    expect(Object.keys(dummyValues(name)).sort()).toEqual(used);
  });

  it.each(names)('%s: the template carries the file verbatim, and substituting leaves no placeholder', (name) => {
    const props = stateMachine(name);
    expect(props.DefinitionS3Location).toBeUndefined();
    expect(props.DefinitionString).toBe(aslOf(name));
    const substituted = substitute(props.DefinitionString, Object.fromEntries(Object.keys(props.DefinitionSubstitutions).map((k) => [k, DUMMY_LAMBDA_ARN])));
    expect(substituted).not.toMatch(/\$\{[^}]*\}/);
  });

  it.each(names)('%s: each function placeholder becomes the ARN of the function WORKFLOWS names', (name) => {
    const { stack } = built;
    const supplied = stateMachine(name).DefinitionSubstitutions as Record<string, unknown>;
    for (const [placeholder, fn] of Object.entries(WORKFLOWS[name].functions)) {
      expect(supplied[placeholder]).toEqual({ 'Fn::GetAtt': [logicalIdOf(stack, stack.functions[fn].fn), 'Arn'] });
    }
    const tablePlaceholder = WORKFLOWS[name].tablePlaceholder;
    if (tablePlaceholder) expect(supplied[tablePlaceholder]).toEqual({ Ref: logicalIdOf(stack, stack.data.table) });
  });

  it.each(names)('%s: passes asl-validator once substituted', (name) => {
    const definition = JSON.parse(substitute(aslOf(name), dummyValues(name)));
    const result = aslValidator(definition, { checkPaths: true, checkArn: true });
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('asl-validator does catch a broken definition (the check above can fail)', () => {
    const definition = JSON.parse(substitute(aslOf(names[0]!), dummyValues(names[0]!)));
    const firstState = Object.keys(definition.States)[0]!;
    definition.States[firstState].Next = 'NoSuchState';
    expect(aslValidator(definition).isValid).toBe(false);
  });

  it.each(names)('%s: every custom error name in Catch/Retry is a domain error class of functions/core/errors.ts', (name) => {
    // AWS's own names (States.*, the service integrations' Lambda.* and StepFunctions.*, the SDK's transient errors) aside.
    const aws = new Set<string>(AWS_TRANSIENT_ERRORS);
    const custom = [...new Set(catchNames(JSON.parse(aslOf(name))))].filter((e) => !/^(States|Lambda|StepFunctions)\./.test(e) && !aws.has(e));
    const exported = domainErrors as Record<string, unknown>;
    for (const errorName of custom) {
      expect(typeof exported[errorName], `${errorName} is not exported by functions/core/errors.ts`).toBe('function');
      expect((exported[errorName] as { name: string }).name).toBe(errorName);
    }
  });

  it.each(names.filter((n) => WORKFLOWS[n].functions.RequestTasksFunctionArn))(
    '%s: every task of requestTasks retries the transient AWS errors, and gives up into a recorded failure or a domain Catch',
    (name) => {
      const states = JSON.parse(aslOf(name)).States as Record<string, { Type: string; Resource?: string; Parameters?: { FunctionName?: string; Payload?: { task?: string } }; Retry?: { ErrorEquals: string[] }[]; Catch?: { ErrorEquals: string[]; Next: string }[] }>;
      const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task' && s.Parameters?.FunctionName === '${RequestTasksFunctionArn}');
      expect(tasks.length).toBeGreaterThan(0);
      for (const [stateName, state] of tasks) {
        const retried = new Set((state.Retry ?? []).flatMap((r) => r.ErrorEquals));
        for (const error of AWS_TRANSIENT_ERRORS) expect(retried.has(error), `${name}.${stateName} retries ${error}`).toBe(true);
        // Workflows about a request: anything else ends in RecordFailure (or is itself the recorder).
        // (Codes have no request status to keep: their runs fail into the workflow alarms; the
        // attachment check has its own rule below.)
        if (name === 'confirmation' || name === 'attachment' || state.Parameters?.Payload?.task === 'recordFailure') continue;
        const catchAll = (state.Catch ?? []).find((c) => c.ErrorEquals.includes('States.ALL'));
        expect(catchAll?.Next, `${name}.${stateName} catches everything`).toMatch(/^Record(Notice)?Failure$/);
      }
    },
  );

  it('attachment: every step but the give-up catches everything into GiveUp, which ends Failed', () => {
    const states = JSON.parse(aslOf('attachment')).States as Record<string, { Type: string; Next?: string; Parameters?: { Payload?: { task?: string } }; Catch?: { ErrorEquals: string[]; ResultPath?: string; Next: string }[] }>;
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([n]) => n).sort()).toEqual(['Discard', 'GiveUp', 'Inspect', 'Settle']);
    for (const [stateName, state] of tasks) {
      if (stateName === 'GiveUp') continue;
      expect(state.Catch, `${stateName} catches everything into GiveUp`).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: `$.failed.${stateName}`, Next: 'GiveUp' }]);
    }
    expect(states.GiveUp?.Parameters?.Payload?.task).toBe('giveUpAttachmentCheck');
    expect(states.GiveUp?.Next).toBe('Failed');
    expect(states.Failed?.Type).toBe('Fail');
  });

  it.each(names)('%s: type from WORKFLOWS, logging ALL without execution data, tracing on', (name) => {
    const props = stateMachine(name);
    expect(props.StateMachineType).toBe(WORKFLOWS[name].type);
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL', IncludeExecutionData: false });
    expect(props.LoggingConfiguration.Destinations).toHaveLength(1);
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
  });

  it('synth refuses a WorkflowDef whose placeholders differ from its file', () => {
    const stack = new Stack(new App(), 'Probe');
    const table = new Table(stack, 'T', { partitionKey: { name: 'PK', type: AttributeType.STRING } });
    const fn = new LambdaFunction(stack, 'F', { code: Code.fromInline('export const handler = () => {}'), handler: 'index.handler', runtime: Runtime.NODEJS_LATEST });
    const plain = names.find((n) => !WORKFLOWS[n].workflows) as WorkflowName;
    const def = { ...WORKFLOWS[plain], functions: { ...WORKFLOWS[plain].functions, ExtraPlaceholder: 'requestTasks' as const } };
    expect(() => new Workflow(stack, 'W', { def, functions: { requestTasks: fn }, table, encryptionKey: new Key(stack, 'K') })).toThrow(/ExtraPlaceholder/);
  });
});
