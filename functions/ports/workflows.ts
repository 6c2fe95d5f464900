/** The state machines, by name, as the core knows them. */
export type WorkflowName = 'intake';

export interface Workflows {
  /**
   * Starts one execution. The execution name makes it idempotent: starting the same name again
   * with the same input is not an error and does not start a second run.
   */
  start(workflow: WorkflowName, executionName: string, input: Record<string, unknown>): Promise<void>;
  sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}
