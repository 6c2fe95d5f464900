import type { Clock } from '#ports/clock';
import type { Metrics } from '#ports/metrics';
import type { WorkspaceStore } from '#ports/stores/workspace';
import { QUEUE_NAMES } from '../routing/routing-table.ts';

/**
 * Counts the written requests past their 59-FZ deadline without an answer, per queue, and reports
 * each count as the `RequestsOverdue` gauge (0 included, so the graph and the alarm see health, not
 * silence). One indexed count per queue (the inbox index, keys before now), never a Scan. Run by
 * the scheduled function.
 */
export async function reportOverdue(deps: { workspace: WorkspaceStore; clock: Clock; metrics: Metrics }): Promise<{ overdue: number }> {
  const now = deps.clock.now().toISOString();
  const counts = await Promise.all(QUEUE_NAMES.map(async (queue) => [queue, await deps.workspace.countOverdue(queue, now)] as const));
  for (const [queue, count] of counts) deps.metrics.put('RequestsOverdue', { Queue: queue }, count);
  return { overdue: counts.reduce((sum, [, count]) => sum + count, 0) };
}
