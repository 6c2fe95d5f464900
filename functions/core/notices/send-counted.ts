import type { Deps } from '#ports/deps';

/**
 * Sends one SMS and counts it, sent or failed, by what it was for (a notice kind or a code's
 * purpose: never the number or the text). A failure is rethrown for the workflow to retry.
 */
export async function sendCounted(deps: Pick<Deps, 'sms' | 'metrics'>, notice: string, to: string, text: string): Promise<void> {
  try {
    await deps.sms.send(to, text);
  } catch (error) {
    deps.metrics.put('SmsFailed', { Notice: notice });
    throw error;
  }
  deps.metrics.put('SmsSent', { Notice: notice });
}
