import type { WorkflowName } from '../functions/ports/workflows.ts';
import type { TaskFunction } from './functions.ts';

/**
 * Every state machine: its ASL file and what its placeholders stand for. CDK substitutes real
 * ARNs and names (`definitionSubstitutions`); the local runner substitutes local values and binds
 * each Lambda task to the handler of the same function. A test holds both to the placeholders
 * the file actually uses.
 */
export interface WorkflowDef {
  file: string;
  type: 'STANDARD' | 'EXPRESS';
  /** Placeholder name → the function whose ARN replaces it. */
  functions: Record<string, TaskFunction>;
  /** Placeholder that receives the table name, when the ASL talks to DynamoDB directly. */
  tablePlaceholder?: string;
  /** Placeholder → another workflow this one starts (`arn:aws:states:::states:startExecution`). */
  workflows?: Record<string, WorkflowName>;
  /**
   * Started by an event rather than by a function: `attachments:objectCreated`, the attachments
   * bucket's Object Created event (EventBridge in the cloud, s3rver's event locally), whole, as input.
   */
  trigger?: 'attachments:objectCreated';
}

export const WORKFLOWS: Record<WorkflowName, WorkflowDef> = {
  intake: {
    file: 'statemachines/intake.asl.json',
    // Short and never waits: Express is billed per run, not per transition.
    type: 'EXPRESS',
    functions: { RequestTasksFunctionArn: 'requestTasks' },
    workflows: { CallbackStateMachineArn: 'callback' },
  },
  confirmation: {
    file: 'statemachines/confirmation.asl.json',
    // Sends a code and outlives it (5 minutes): longer than an Express run may take.
    type: 'STANDARD',
    functions: { RequestTasksFunctionArn: 'requestTasks' },
  },
  callback: {
    file: 'statemachines/callback.asl.json',
    // Waits for the booked time and for an operator's outcome: only Standard can wait that long.
    type: 'STANDARD',
    functions: { RequestTasksFunctionArn: 'requestTasks' },
  },
  attachment: {
    file: 'statemachines/attachment.asl.json',
    // The check of one uploaded file: three short tasks, never a wait; one run per upload.
    type: 'EXPRESS',
    functions: { AttachmentCheckFunctionArn: 'attachmentCheck', RequestTasksFunctionArn: 'requestTasks' },
    trigger: 'attachments:objectCreated',
  },
  notice: {
    file: 'statemachines/notice.asl.json',
    // One SMS with retries, started after an operator's action; Express for the same reason.
    type: 'EXPRESS',
    functions: { RequestTasksFunctionArn: 'requestTasks' },
  },
};

/**
 * What a task Lambda throws, by name, when AWS is briefly unwell after its SDK's own retries
 * (DynamoDB throttling, a 500, a transaction conflict, a socket timeout). Every Lambda task of
 * statemachines/ retries these with backoff; a test holds the files to this list.
 */
export const AWS_TRANSIENT_ERRORS = [
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'TransactionConflictException',
  'ServiceUnavailable',
  'TimeoutError',
] as const;

/** The `${Name}` placeholders an ASL text uses. */
export function placeholdersIn(aslText: string): string[] {
  return [...new Set([...aslText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string))].sort();
}

export function substitute(aslText: string, values: Record<string, string>): string {
  return aslText.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => values[name] ?? whole);
}
