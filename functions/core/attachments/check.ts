import type { Deps } from '#ports/deps';
import type { WorkflowFailure } from '../reconcile/record-failure.ts';
import { rejectedEvent } from './attachments.ts';
import { type Attachment, type AttachmentType, type RejectReason, parseObjectKey } from './model.ts';

/**
 * The upload check's verdict, once the storage side has read an uploaded object's real size and
 * first bytes (`kind`: the type its signature shows, `unknown` for none of the accepted ones). The
 * declared type and size must both match: then the attachment is `ready`, otherwise `rejected` and
 * its file must go. Safe to run twice or late: every change is conditional on the current status.
 */
export type UploadFacts = { key: string; found: false } | { key: string; found: true; size: number; kind: AttachmentType | 'unknown' };

export interface Verdict {
  /** `foreign`: not a key this service made; `unknown`: no such attachment; `missing`: no object to check. */
  outcome: 'ready' | 'rejected' | 'foreign' | 'unknown' | 'missing';
  /** Whether the object must be removed. */
  remove: boolean;
}

function mismatch(attachment: Attachment, facts: Extract<UploadFacts, { found: true }>): RejectReason | undefined {
  if (facts.size !== attachment.size) return 'size_mismatch';
  if (facts.kind !== attachment.contentType) return 'type_mismatch';
  return undefined;
}

export async function settleUpload(deps: Pick<Deps, 'attachments' | 'clock'>, facts: UploadFacts): Promise<Verdict> {
  const ids = parseObjectKey(facts.key);
  if (!ids) return { outcome: 'foreign', remove: false };
  // A status that changed under us (a give-up, a concurrent run) is read again; two rounds settle it.
  for (let round = 0; round < 3; round += 1) {
    const attachment = await deps.attachments.getAttachment(ids.requestId, ids.attachmentId);
    // Signed but never recorded (the record write failed after signing): nothing refers to the file.
    if (!attachment) return { outcome: 'unknown', remove: facts.found };
    if (!facts.found) return { outcome: 'missing', remove: false };
    // Rejected before (a bad file, or given up): whatever arrives now is not kept.
    if (attachment.status === 'rejected') return { outcome: 'rejected', remove: true };
    const reason = mismatch(attachment, facts);
    const at = deps.clock.now().toISOString();
    if (!reason) {
      if (attachment.status === 'ready') return { outcome: 'ready', remove: false };
      const event = { at, event: 'attachment_ready', detail: attachment.id };
      if (await deps.attachments.settleAttachment(ids.requestId, attachment.id, 'pending', { status: 'ready' }, event, at)) return { outcome: 'ready', remove: false };
      continue;
    }
    // Pending, or ready and then replaced by another upload that fails the check.
    if (await deps.attachments.settleAttachment(ids.requestId, attachment.id, attachment.status, { status: 'rejected', reason }, rejectedEvent(at, attachment.id, reason), at)) {
      return { outcome: 'rejected', remove: true };
    }
  }
  throw new Error(`attachment ${ids.attachmentId} kept changing while it was being settled`);
}

/**
 * The check's Catch path: a step gave up after its retries. A still-pending attachment would
 * stay pending for good (nothing else checks it again), so it is given up: `rejected`,
 * `check_failed`, with its timeline event, and its place counts again, so the citizen can upload
 * the file anew. Counted as WorkflowStepFailed (alarm); the run then ends Failed.
 */
export async function giveUpCheck(deps: Pick<Deps, 'attachments' | 'clock' | 'metrics'>, key: string, failed: WorkflowFailure): Promise<Verdict> {
  const [step] = Object.keys(failed);
  deps.metrics.put('WorkflowStepFailed', { Workflow: 'attachment', Step: step ?? 'unknown' });
  const ids = parseObjectKey(key);
  if (!ids) return { outcome: 'foreign', remove: false };
  const attachment = await deps.attachments.getAttachment(ids.requestId, ids.attachmentId);
  if (!attachment) return { outcome: 'unknown', remove: false };
  if (attachment.status !== 'pending') return { outcome: attachment.status, remove: false };
  const at = deps.clock.now().toISOString();
  const settled = await deps.attachments.settleAttachment(ids.requestId, attachment.id, 'pending', { status: 'rejected', reason: 'check_failed' }, rejectedEvent(at, attachment.id, 'check_failed'), at);
  // Not settled: a concurrent run settled it first, which is just as final.
  return { outcome: settled ? 'rejected' : 'unknown', remove: false };
}
