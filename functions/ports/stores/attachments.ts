import type { Attachment, AttachmentStatus, RejectReason } from '#core/attachments/model';
import type { Status, TimelineEvent } from '#core/requests/model';

/** `too_many`: the request already has its maximum of attachments that are not rejected. */
export type AttachmentOutcome = 'created' | 'not_found' | 'closed' | 'too_many';

/** A request's attachments (in the request's partition; the request counts them). */
export interface AttachmentStore {
  /**
   * Adds a pending attachment while the request is in one of `open`, has fewer than `max.live`
   * attachments that are not rejected and fewer than `max.total` in all, counting it in (and
   * touching `updatedAt`), in one transaction. Writes the request too; it lives here, with its main entity.
   */
  createAttachment(attachment: Attachment, open: readonly Status[], max: { live: number; total: number }, at: string): Promise<AttachmentOutcome>;
  getAttachment(requestId: string, attachmentId: string): Promise<Attachment | undefined>;
  /** A request's attachments in creation order. */
  listAttachments(requestId: string): Promise<Attachment[]>;
  /**
   * Moves an attachment from `from` to `to` (only while it is in `from`) with the timeline event, in
   * one transaction; becoming `rejected` gives its place back. False when it was not in `from`.
   * Writes the request and its timeline too; it lives here, with its main entity.
   */
  settleAttachment(
    requestId: string,
    attachmentId: string,
    from: AttachmentStatus,
    to: { status: 'ready' } | { status: 'rejected'; reason: RejectReason },
    event: TimelineEvent,
    at: string,
  ): Promise<boolean>;
}
