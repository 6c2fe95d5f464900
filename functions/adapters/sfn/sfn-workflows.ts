import { ExecutionAlreadyExists, SFNClient, SendTaskFailureCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowName, Workflows } from '#ports/workflows';

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
    async sendTaskSuccess(taskToken, output) {
      await client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
    },
    async sendTaskFailure(taskToken, error, cause) {
      await client.send(new SendTaskFailureCommand({ taskToken, error, cause }));
    },
  };
}
