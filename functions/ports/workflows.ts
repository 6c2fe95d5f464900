/** The state machines, by name, as the core knows them. */
export type WorkflowName = 'intake' | 'notice' | 'callback' | 'confirmation' | 'attachment';

export interface Workflows {
  /**
   * Starts one execution named `executionName`. A Standard workflow refuses a second run of the
   * same name; an Express workflow (intake) may run twice, so its steps must be idempotent (they
   * are: every status change is conditional). Starting again is never an error.
   */
  start(workflow: WorkflowName, executionName: string, input: Record<string, unknown>): Promise<void>;
  /**
   * Resumes a task waiting on `taskToken`. Resolves false when that task no longer waits (it timed
   * out, or its execution ended): the outcome is stored anyway, so that is not an error.
   */
  sendTaskSuccess(taskToken: string, output: Record<string, unknown>): Promise<boolean>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean>;
}
