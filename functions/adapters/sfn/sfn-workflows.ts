import {
  ExecutionAlreadyExists,
  InvalidToken,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import type { WorkflowName, Workflows } from '#ports/workflows';

/** A task that timed out or whose execution ended no longer takes results: false, not an error. */
async function taskStillWaiting(sent: Promise<unknown>): Promise<boolean> {
  try {
    await sent;
    return true;
  } catch (error) {
    if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken) return false;
    throw error;
  }
}

/** Step Functions: executions named after the subject, so a repeated start is a no-op. */
export function sfnWorkflows(client: SFNClient, arns: Partial<Record<WorkflowName, string | undefined>>): Workflows {
  return {
    async start(workflow, executionName, input) {
      const stateMachineArn = arns[workflow];
      if (!stateMachineArn) throw new Error(`no state machine ARN configured for ${workflow}`);
      try {
        await client.send(new StartExecutionCommand({ stateMachineArn, name: executionName, input: JSON.stringify(input) }));
      } catch (error) {
        if (!(error instanceof ExecutionAlreadyExists)) throw error;
      }
    },
    sendTaskSuccess: (taskToken, output) => taskStillWaiting(client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }))),
    sendTaskFailure: (taskToken, error, cause) => taskStillWaiting(client.send(new SendTaskFailureCommand({ taskToken, error, cause }))),
  };
}
