import { QUEUE_LABELS } from '../shared/queues.ts';
import type { Session } from '../shared/session.ts';

/** The queues the operator's token names (`*`: all of them), for the queue pickers. */
export function myQueues(session: Session): string[] {
  const all = session.queues?.includes('*') ?? true;
  return all ? Object.keys(QUEUE_LABELS) : (session.queues ?? []);
}
