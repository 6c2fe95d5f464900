import { readFileSync } from 'node:fs';
import * as Dynamo from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import type { SmsSender } from '#ports/sms';
import type { WorkflowName, Workflows } from '#ports/workflows';
import type { TaskFunction } from '../functions.ts';
import { WORKFLOWS, substitute } from '../workflows.ts';
import { resolveFromRepo } from './local-paths.ts';
import './polyfills.ts';

/**
 * Runs the very ASL files of statemachines/ with aws-local-stepfunctions. Placeholders get local
 * values, and every Task state is bound by its Resource: Lambda tasks call the task handler of
 * the same function in-process; DynamoDB integrations go to DynamoDB Local through the SDK; SNS
 * publish to a phone number goes to the SMS port (the outbox). `WAIT_SCALE` scales every Wait
 * and Retry pause (0 skips them).
 */
export type TaskHandler = (event: unknown) => Promise<unknown>;
type Json = Parameters<StateMachine['run']>[0];
type StateDef = { Type: string; Resource?: string; Seconds?: number; Retry?: { IntervalSeconds?: number }[]; Branches?: { States: Record<string, StateDef> }[]; Iterator?: { States: Record<string, StateDef> }; ItemProcessor?: { States: Record<string, StateDef> } };

export interface ExecutionRecord {
  workflow: WorkflowName;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** Every state entered, in order: the billed transitions of a Standard workflow. */
  states: string[];
  error?: string;
}

export interface LocalWorkflowsOptions {
  taskHandlers: Record<TaskFunction, TaskHandler>;
  dynamo: Dynamo.DynamoDBClient;
  sms: SmsSender;
  tableName: string;
  waitScale: number;
  onFailure?: (record: ExecutionRecord) => void;
}

const LAMBDA_PREFIX = 'arn:aws:lambda:eu-central-1:000000000000:function:';

/** The DynamoDB service integrations Step Functions offers, by their ARN suffix. */
const DYNAMO_ACTIONS: Record<string, (client: Dynamo.DynamoDBClient, input: never) => Promise<{ $metadata: unknown }>> = {
  getItem: (client, input) => client.send(new Dynamo.GetItemCommand(input)),
  putItem: (client, input) => client.send(new Dynamo.PutItemCommand(input)),
  updateItem: (client, input) => client.send(new Dynamo.UpdateItemCommand(input)),
  deleteItem: (client, input) => client.send(new Dynamo.DeleteItemCommand(input)),
};

function eachState(states: Record<string, StateDef>, visit: (name: string, state: StateDef) => void): void {
  for (const [name, state] of Object.entries(states)) {
    visit(name, state);
    state.Branches?.forEach((b) => eachState(b.States, visit));
    if (state.Iterator) eachState(state.Iterator.States, visit);
    if (state.ItemProcessor) eachState(state.ItemProcessor.States, visit);
  }
}

export class LocalWorkflows implements Workflows {
  private readonly started = new Map<string, ExecutionRecord>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();

  constructor(private readonly options: LocalWorkflowsOptions) {}

  /** The ASL with local values substituted, and the overrides that bind its states. */
  prepare(workflow: WorkflowName) {
    const def = WORKFLOWS[workflow];
    const values: Record<string, string> = {};
    for (const [placeholder, fn] of Object.entries(def.functions)) values[placeholder] = `${LAMBDA_PREFIX}${fn}`;
    if (def.tablePlaceholder) values[def.tablePlaceholder] = this.options.tableName;
    const text = substitute(readFileSync(resolveFromRepo(def.file), 'utf8'), values);
    const left = /\$\{[A-Za-z0-9_]+\}/.exec(text);
    if (left) throw new Error(`${def.file}: placeholder ${left[0]} has no local value`);
    const definition = JSON.parse(text) as { States: Record<string, StateDef> };

    const taskResourceLocalHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number[]> = {};
    const scale = this.options.waitScale;
    eachState(definition.States, (name, state) => {
      if (state.Type === 'Task') taskResourceLocalHandlers[name] = this.bindTask(def.file, name, state.Resource ?? '');
      if (state.Type === 'Wait' && scale !== 1) {
        if (typeof state.Seconds === 'number') waitTimeOverrides[name] = state.Seconds * 1000 * scale;
        else if (scale === 0) waitTimeOverrides[name] = 0;
      }
      if (state.Retry && scale !== 1) retryIntervalOverrides[name] = state.Retry.map((r) => (r.IntervalSeconds ?? 1) * 1000 * scale);
    });
    return { definition, overrides: { taskResourceLocalHandlers, waitTimeOverrides, retryIntervalOverrides } };
  }

  private bindTask(file: string, stateName: string, resource: string): (input: Json) => Promise<Json> {
    const handlerFor = (arn: string): TaskHandler => {
      const fn = arn.startsWith(LAMBDA_PREFIX) ? (arn.slice(LAMBDA_PREFIX.length) as TaskFunction) : undefined;
      const handler = fn ? this.options.taskHandlers[fn] : undefined;
      if (!handler) throw new Error(`${file} ${stateName}: no local task handler for ${arn}`);
      return handler;
    };
    if (resource === 'arn:aws:states:::lambda:invoke') {
      return async (input) => {
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        return { Payload: (await handlerFor(FunctionName)(Payload)) as Json, StatusCode: 200 } as Json;
      };
    }
    if (resource.startsWith(LAMBDA_PREFIX)) {
      const handler = handlerFor(resource);
      return async (input) => (await handler(input)) as Json;
    }
    const dynamo = /^arn:aws:states:::dynamodb:(\w+)$/.exec(resource);
    const action = dynamo ? DYNAMO_ACTIONS[dynamo[1] as string] : undefined;
    if (action) {
      return async (input) => {
        const { $metadata: _ignored, ...out } = await action(this.options.dynamo, input as never);
        return out as Json;
      };
    }
    if (resource === 'arn:aws:states:::sns:publish') {
      return async (input) => {
        const { PhoneNumber, Message } = input as { PhoneNumber?: string; Message?: string };
        if (!PhoneNumber || typeof Message !== 'string') throw new Error(`${stateName}: only SMS (PhoneNumber + Message) is served locally`);
        await this.options.sms.send(PhoneNumber, Message);
        return { MessageId: `local-${Date.now()}` } as Json;
      };
    }
    throw new Error(`${file} ${stateName}: the local runner cannot serve resource ${resource}`);
  }

  async start(workflow: WorkflowName, executionName: string, input: Record<string, unknown>): Promise<void> {
    const key = `${workflow}:${executionName}`;
    if (this.started.has(key)) return;
    const { definition, overrides } = this.prepare(workflow);
    const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    const record: ExecutionRecord = { workflow, name: executionName, status: 'RUNNING', states: [] };
    this.started.set(key, record);
    const execution = machine.run(input as Json, {
      overrides,
      context: { Execution: { Id: `local:${key}`, Name: executionName, Input: input as never, StartTime: new Date().toISOString(), RoleArn: 'local' } } as never,
    });
    const events = (async () => {
      for await (const event of execution.eventLogs) {
        if (event.type === 'StateEntered') record.states.push(event.state.name);
      }
    })().catch(() => undefined);
    const done = execution.result.then(
      () => {
        record.status = 'SUCCEEDED';
      },
      (error: unknown) => {
        record.status = (error as Error).name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
        record.error = (error as Error).message;
        this.options.onFailure?.(record);
      },
    );
    this.running.set(key, {
      abort: execution.abort,
      done: Promise.all([done, events]).then(() => {
        this.running.delete(key);
      }),
    });
  }

  async sendTaskSuccess(): Promise<void> {
    throw new Error('task tokens are not used by any workflow yet');
  }

  async sendTaskFailure(): Promise<void> {
    throw new Error('task tokens are not used by any workflow yet');
  }

  execution(workflow: WorkflowName, name: string): ExecutionRecord | undefined {
    return this.started.get(`${workflow}:${name}`);
  }

  /** Resolves when no execution is running (tests and the bench wait on it). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()].map((r) => r.done));
  }

  async stop(): Promise<void> {
    for (const run of this.running.values()) run.abort();
    await this.idle();
  }
}
