import middy from '@middy/core';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { Context } from 'aws-lambda';
import type { Lazy } from '#functions/lazy';
import { logger } from '#adapters/logger';

/**
 * The shared stack of workflow task handlers: dispatch on `task`, one log line per task, and
 * errors rethrown untouched so the state machine's Retry and Catch see their names.
 */
export type Task = (input: Record<string, unknown>) => Promise<unknown>;

export interface TaskEvent {
  task: string;
  [field: string]: unknown;
}

export function taskHandler(tasks: Record<string, Task>) {
  const core = async (event: TaskEvent): Promise<unknown> => {
    const task = tasks[event.task];
    if (!task) throw new Error(`unknown task ${String(event.task)}`);
    const started = Date.now();
    try {
      const result = await task(event);
      logger.info('task', { task: event.task, requestId: event.requestId, durationMs: Date.now() - started });
      return result;
    } catch (error) {
      logger.warn('task failed', { task: event.task, requestId: event.requestId, error: error as Error });
      throw error;
    }
  };
  return middy<TaskEvent, unknown, Error, Context>({ timeoutEarlyInMillis: 0 }).handler(core);
}

// zod/mini, not classic zod (bundle size). Classic installs English messages on its own; `en` by
// name, not `z.locales.en`, which would bundle every locale.
if (!z.config().localeError) z.config(en());

/**
 * A task's input checked as classic zod's `parse` did: zod/mini throws a `$ZodError`, classic a
 * `ZodError`, and the error's name is what the state machine (and its history) sees. The schema
 * is built on its first use (functions/lazy.ts).
 */
export function parseTaskInput<S extends z.ZodMiniType>(schema: Lazy<S>, input: unknown): z.output<S> {
  const result = schema().safeParse(input);
  if (result.success) return result.data;
  const error = result.error;
  error.name = 'ZodError';
  Error.captureStackTrace(error, parseTaskInput);
  throw error;
}
