import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Dynamo from '@aws-sdk/client-dynamodb';
import { StateMachine } from 'aws-local-stepfunctions';
import type { SmsSender } from '#ports/sms';
import type { WorkflowName, Workflows } from '#ports/workflows';
import type { TaskFunction } from '../functions.ts';
import { WORKFLOWS, substitute } from '../workflows.ts';
import { LOCAL_STATE_DIR, REPO_ROOT } from './local-paths.ts';
import './polyfills.ts';

/**
 * Runs the very ASL files of statemachines/ with aws-local-stepfunctions. Placeholders get local
 * values, and every Task state is bound by its Resource: Lambda tasks call the task handler of
 * the same function in-process; `.waitForTaskToken` tasks get a real unique token and resume when
 * this adapter's sendTaskSuccess/Failure is told the outcome; `states:startExecution` starts the
 * named local workflow; DynamoDB integrations go to DynamoDB Local through the SDK; SNS publish to
 * a phone number goes to the SMS port (the outbox). `WAIT_SCALE` scales every Wait and Retry
 * pause (0 skips them); a Wait on a timestamp is served by the runner's own timer, scaled.
 */
export type TaskHandler = (event: unknown) => Promise<unknown>;
type Json = Parameters<StateMachine['run']>[0];
type StateDef = {
  Type: string;
  Resource?: string;
  Seconds?: number;
  Timestamp?: string;
  TimestampPath?: string;
  SecondsPath?: string;
  Next?: string;
  End?: boolean;
  Comment?: string;
  ResultPath?: string | null;
  Retry?: { IntervalSeconds?: number }[];
  TimeoutSeconds?: number;
  Branches?: { States: Record<string, StateDef> }[];
  Iterator?: { States: Record<string, StateDef> };
  ItemProcessor?: { States: Record<string, StateDef> };
};

export interface ExecutionRecord {
  workflow: WorkflowName;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  /** Every state entered, in order: the billed transitions of a Standard workflow. */
  states: string[];
  error?: string;
}

export interface LocalWorkflowsOptions {
  /** The task functions' handlers; a workflow whose function is missing fails when it reaches that task. */
  taskHandlers: Partial<Record<TaskFunction, TaskHandler>>;
  dynamo: Dynamo.DynamoDBClient;
  sms: SmsSender;
  tableName: string;
  waitScale: number;
  /**
   * Tests only: a factor on the timeout of every task that waits for an outcome
   * (`.waitForTaskToken`), to drive "the operator's outcome never came" without waiting hours.
   */
  outcomeTimeoutScale?: number;
  onFailure?: (record: ExecutionRecord) => void;
  /** Tests only: the directory WORKFLOWS' files are read from (default: the repository). */
  aslRoot?: string;
  /** Where definitions that passed validation are remembered across starts (default .local/asl-validated). */
  validatedDir?: string;
}

const LAMBDA_PREFIX = 'arn:aws:lambda:eu-central-1:000000000000:function:';
const STATE_MACHINE_PREFIX = 'arn:aws:states:eu-central-1:000000000000:stateMachine:';
/** What `$$.Task.Token` reads in a local run; each waiting task replaces it with a fresh token. */
const TOKEN_PLACEHOLDER = 'local-task-token';
const LOCAL_WAIT = 'local:wait';

function replaceDeep(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, from, to));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceDeep(v, from, to)]));
  }
  return value;
}

function readPath(input: unknown, path: string): unknown {
  let node = input;
  for (const part of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) node = (node as Record<string, unknown> | undefined)?.[part];
  return node;
}

/** The DynamoDB service integrations Step Functions offers, by their ARN suffix. */
const DYNAMO_ACTIONS: Record<string, (client: Dynamo.DynamoDBClient, input: never) => Promise<{ $metadata: unknown }>> = {
  getItem: (client, input) => client.send(new Dynamo.GetItemCommand(input)),
  putItem: (client, input) => client.send(new Dynamo.PutItemCommand(input)),
  updateItem: (client, input) => client.send(new Dynamo.UpdateItemCommand(input)),
  deleteItem: (client, input) => client.send(new Dynamo.DeleteItemCommand(input)),
};

/**
 * The library checks a definition against the ASL JSON schema in `new StateMachine()` (~190 ms for
 * the callback workflow on a 2-core machine): paid once per distinct prepared definition and
 * process, never per execution. One `StateMachine` then serves every run of its workflow: `run()`
 * keeps all of an execution's state in the call (its own abort controller, event log, context).
 */
const validated = new Map<string, StateMachine>();
let validations = 0;

/** How many times this process validated an ASL definition (tests hold it to one per workflow). */
export function aslValidationCount(): number {
  return validations;
}

/** Tests only: forget the machines built so far, as a new process would. */
export function forgetValidatedMachines(): void {
  validated.clear();
}

/**
 * The validator's verdict depends only on the definition and the validator: a definition that
 * passed once is remembered on disk under a hash of both, so the next `npm start` (and every e2e
 * start) skips the ~190 ms per file. Only passes are kept; a bad file is checked, and named, every time.
 */
const VALIDATOR_VERSION = (() => {
  // The packages' own package.json (not every package exports it; node_modules is where npm put them).
  const version = (name: string) => (JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return `aws-local-stepfunctions@${version('aws-local-stepfunctions')} asl-validator@${version('asl-validator')}`;
})();

function validatedMachine(file: string, definition: object, dir: string): StateMachine {
  const key = JSON.stringify(definition);
  const known = validated.get(key);
  if (known) return known;
  const passed = join(dir, `${createHash('sha256').update(`${VALIDATOR_VERSION}\n${key}`).digest('hex')}.ok`);
  let machine: StateMachine;
  if (existsSync(passed)) {
    machine = new StateMachine(definition as never, { validationOptions: { noValidate: true } });
  } else {
    try {
      validations += 1;
      machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    mkdirSync(dir, { recursive: true });
    // Whole or not at all, whatever another process starting at the same time does.
    const temp = `${passed}.${process.pid}.tmp`;
    writeFileSync(temp, `${file}\n`);
    renameSync(temp, passed);
  }
  validated.set(key, machine);
  return machine;
}

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
  private readonly waiting = new Map<string, { resolve: (output: Json) => void; reject: (error: Error) => void }>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<void> }>();

  /** Each workflow's validated machine and the overrides that bind its states, built once. */
  private readonly machines: Record<WorkflowName, { machine: StateMachine; overrides: ReturnType<LocalWorkflows['prepare']>['overrides'] }>;

  /** Reads, prepares and validates every ASL file: a bad file fails here, named, not at its first run. */
  constructor(private readonly options: LocalWorkflowsOptions) {
    const machines = {} as typeof this.machines;
    for (const workflow of Object.keys(WORKFLOWS) as WorkflowName[]) {
      const { definition, overrides } = this.prepare(workflow);
      machines[workflow] = { machine: validatedMachine(WORKFLOWS[workflow].file, definition, options.validatedDir ?? join(LOCAL_STATE_DIR, 'asl-validated')), overrides };
    }
    this.machines = machines;
  }

  /** The ASL with local values substituted, and the overrides that bind its states. */
  private prepare(workflow: WorkflowName) {
    const def = WORKFLOWS[workflow];
    const values: Record<string, string> = {};
    for (const [placeholder, fn] of Object.entries(def.functions)) values[placeholder] = `${LAMBDA_PREFIX}${fn}`;
    for (const [placeholder, workflow] of Object.entries(def.workflows ?? {})) values[placeholder] = `${STATE_MACHINE_PREFIX}${workflow}`;
    if (def.tablePlaceholder) values[def.tablePlaceholder] = this.options.tableName;
    const text = substitute(readFileSync(join(this.options.aslRoot ?? REPO_ROOT, def.file), 'utf8'), values);
    const left = /\$\{[A-Za-z0-9_]+\}/.exec(text);
    if (left) throw new Error(`${def.file}: placeholder ${left[0]} has no local value`);
    let definition: { States: Record<string, StateDef> };
    try {
      definition = JSON.parse(text) as { States: Record<string, StateDef> };
    } catch (error) {
      throw new Error(`${def.file}: not JSON: ${(error as Error).message}`);
    }
    if (typeof definition !== 'object' || definition === null || typeof definition.States !== 'object' || definition.States === null) {
      throw new Error(`${def.file}: no States`);
    }

    const taskResourceLocalHandlers: Record<string, (input: Json) => Promise<Json>> = {};
    const waitTimeOverrides: Record<string, number> = {};
    const retryIntervalOverrides: Record<string, number[]> = {};
    const scale = this.options.waitScale;
    eachState(definition.States, (name, state) => {
      if (state.Type === 'Wait' && scale !== 1 && scale !== 0 && typeof state.Seconds !== 'number') {
        // A Wait on a timestamp (or a seconds path) cannot be scaled by a fixed override: the runner
        // serves it as a pass-through task that sleeps the scaled remaining time. Same state, same name.
        const { Timestamp, TimestampPath, SecondsPath, ...rest } = state;
        Object.assign(state, { ...rest, Type: 'Task', Resource: LOCAL_WAIT, ResultPath: null });
        for (const key of ['Timestamp', 'TimestampPath', 'SecondsPath', 'Seconds'] as const) delete state[key];
        taskResourceLocalHandlers[name] = async (input) => {
          const due = Timestamp ?? (TimestampPath ? readPath(input, TimestampPath) : undefined);
          const seconds = SecondsPath ? Number(readPath(input, SecondsPath)) : (Date.parse(String(due)) - Date.now()) / 1000;
          await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 * scale)));
          return input;
        };
        return;
      }
      if (state.Type === 'Task') taskResourceLocalHandlers[name] = this.bindTask(def.file, name, state.Resource ?? '');
      const outcomeScale = this.options.outcomeTimeoutScale;
      if (outcomeScale !== undefined && state.Resource?.endsWith('.waitForTaskToken') && state.TimeoutSeconds !== undefined) {
        // Whole seconds, at least one: ASL allows nothing else.
        state.TimeoutSeconds = Math.max(1, Math.round(state.TimeoutSeconds * outcomeScale));
      }
      if (state.Type === 'Wait' && scale !== 1) {
        if (typeof state.Seconds === 'number') waitTimeOverrides[name] = state.Seconds * 1000 * scale;
        else waitTimeOverrides[name] = 0;
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
    if (resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken') {
      return async (input) => {
        const token = `${stateName}:${randomUUID()}`;
        const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
        const resumed = new Promise<Json>((resolve, reject) => this.waiting.set(token, { resolve, reject }));
        try {
          await handlerFor(FunctionName)(replaceDeep(Payload, TOKEN_PLACEHOLDER, token));
        } catch (error) {
          this.waiting.delete(token);
          throw error;
        }
        return resumed;
      };
    }
    if (resource === 'arn:aws:states:::states:startExecution') {
      return async (input) => {
        const { StateMachineArn, Name, Input } = input as { StateMachineArn: string; Name?: string; Input?: Record<string, unknown> };
        const workflow = StateMachineArn.startsWith(STATE_MACHINE_PREFIX) ? (StateMachineArn.slice(STATE_MACHINE_PREFIX.length) as WorkflowName) : undefined;
        if (!workflow || !(workflow in WORKFLOWS)) throw new Error(`${stateName}: no local workflow for ${StateMachineArn}`);
        const name = Name ?? randomUUID();
        if (this.started.has(`${workflow}:${name}`)) {
          throw Object.assign(new Error(`execution ${name} already exists`), { name: 'StepFunctions.ExecutionAlreadyExistsException' });
        }
        await this.start(workflow, name, Input ?? {});
        return { ExecutionArn: `${StateMachineArn}:${name}`, StartDate: new Date().toISOString() } as Json;
      };
    }
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
    const { machine, overrides } = this.machines[workflow];
    const record: ExecutionRecord = { workflow, name: executionName, status: 'RUNNING', states: [] };
    this.started.set(key, record);
    const startTime = new Date().toISOString();
    // StartExecution only accepts the run; its states go on after the caller's reply. Running the
    // first state in the starting call would put its work (a task handler up to its first read)
    // in front of, say, the 202 of POST /v1/requests, which AWS never does.
    let execution: ReturnType<StateMachine['run']> | undefined;
    let abortedEarly = false;
    const done = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      if (abortedEarly) {
        record.status = 'ABORTED';
        record.error = 'aborted before its first state';
        this.options.onFailure?.(record);
        return;
      }
      const run = machine.run(input as Json, {
        overrides,
        context: {
          Execution: { Id: `local:${key}`, Name: executionName, Input: input as never, StartTime: startTime, RoleArn: 'local' },
          Task: { Token: TOKEN_PLACEHOLDER },
        } as never,
      });
      execution = run;
      const events = (async () => {
        for await (const event of run.eventLogs) {
          if (event.type === 'StateEntered') record.states.push(event.state.name);
        }
      })().catch(() => undefined);
      const result = run.result.then(
        () => {
          record.status = 'SUCCEEDED';
        },
        (error: unknown) => {
          record.status = (error as Error).name === 'ExecutionAbortedError' ? 'ABORTED' : 'FAILED';
          record.error = (error as Error).message;
          this.options.onFailure?.(record);
        },
      );
      await Promise.all([result, events]);
    });
    this.running.set(key, {
      abort: () => {
        abortedEarly = true;
        execution?.abort();
      },
      done: done.then(() => {
        this.running.delete(key);
      }),
    });
  }

  async sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<boolean> {
    const waiting = this.takeWaiting(taskToken);
    waiting?.resolve(output as Json);
    return waiting !== undefined;
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    const waiting = this.takeWaiting(taskToken);
    waiting?.reject(Object.assign(new Error(cause), { name: error }));
    return waiting !== undefined;
  }

  /** An unknown or already used token: the task no longer waits (Step Functions' TaskDoesNotExist). */
  private takeWaiting(taskToken: string) {
    const waiting = this.waiting.get(taskToken);
    this.waiting.delete(taskToken);
    return waiting;
  }

  executions(): ExecutionRecord[] {
    return [...this.started.values()];
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
