import type { WorkflowName, Workflows } from '#ports/workflows';

export interface StartedExecution {
  workflow: WorkflowName;
  name: string;
  input: Record<string, unknown>;
}

export interface TaskCallback {
  taskToken: string;
  outcome: 'success' | 'failure';
  output?: Record<string, unknown>;
  error?: string;
  cause?: string;
}

/**
 * Records executions instead of starting them. As with Step Functions, an execution name is unique
 * per workflow: starting the same name again is a no-op (the first start is kept).
 */
export interface MemoryWorkflows extends Workflows {
  readonly started: readonly StartedExecution[];
  readonly callbacks: readonly TaskCallback[];
  /** Every call to start(), duplicates included, for counting retries. */
  readonly startCalls: number;
}

export function memoryWorkflows(): MemoryWorkflows {
  const started: StartedExecution[] = [];
  const callbacks: TaskCallback[] = [];
  let startCalls = 0;
  const clone = <T>(v: T): T => structuredClone(v);
  return {
    get started() {
      return started.map(clone);
    },
    get callbacks() {
      return callbacks.map(clone);
    },
    get startCalls() {
      return startCalls;
    },
    async start(workflow, executionName, input) {
      startCalls += 1;
      if (started.some((s) => s.workflow === workflow && s.name === executionName)) return;
      started.push({ workflow, name: executionName, input: clone(input) });
    },
    async sendTaskSuccess(taskToken, output): Promise<boolean> {
      callbacks.push({ taskToken, outcome: 'success', output: clone(output) });
      return true;
    },
    async sendTaskFailure(taskToken, error, cause): Promise<boolean> {
      callbacks.push({ taskToken, outcome: 'failure', error, cause });
      return true;
    },
  };
}
