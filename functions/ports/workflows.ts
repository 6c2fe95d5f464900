/** The state machines, by name, as the core knows them. */
export type WorkflowName = 'intake' | 'notice' | 'callback' | 'confirmation';

export interface Workflows {
  /**
   * Starts one execution named `executionName`. A Standard workflow refuses a second run of the
   * same name; an Express workflow (intake) may run twice, so its steps must be idempotent (they
   * are: every status change is conditional). Starting again is never an error.
   */
  start(workflow: WorkflowName, executionName: string, input: Record<string, unknown>): Promise<void>;
  sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<void>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
}
