import type { Deps } from '#ports/deps';
import { NotFoundError, StateConflictError } from '../errors.ts';
import { CLOSED_STATUSES, STATUSES, type SupportRequest, type TimelineEvent } from '../requests/model.ts';
import { inOperatorQueues } from '../requests/operator-access.ts';
import {
  ABANDONED_UPLOAD_GRACE_SECONDS,
  type Attachment,
  type AttachmentType,
  DOWNLOAD_URL_SECONDS,
  MAX_ATTACHMENTS,
  MAX_ATTACHMENTS_TOTAL,
  type RejectReason,
  UPLOAD_URL_SECONDS,
  attachmentView,
  objectKeyOf,
} from './model.ts';

/** Files on a request: presigned upload, presigned download, the operator's list. */
const OPEN = STATUSES.filter((s) => !CLOSED_STATUSES.includes(s));

export interface NewAttachment {
  fileName: string;
  contentType: AttachmentType;
  size: number;
}

/** Who reads: the request's owner, or an operator of the queues named (empty for anyone else). */
export interface Reader {
  userId: string;
  operatorQueues: readonly string[];
}

function addSeconds(at: Date, seconds: number): Date {
  return new Date(at.getTime() + seconds * 1000);
}

export function rejectedEvent(at: string, attachmentId: string, reason: RejectReason): TimelineEvent {
  return { at, event: 'attachment_rejected', detail: `${attachmentId}: ${reason}` };
}

/**
 * Gives up the pending attachments of a request whose upload URL expired more than the grace
 * period ago (`rejected`, `upload_expired`), so that their places count again. Answers whether any
 * place was freed. A file that still arrives for one is removed by the check.
 */
async function abandonExpiredUploads(deps: Pick<Deps, 'attachments'>, requestId: string, now: Date): Promise<boolean> {
  const cutoff = addSeconds(now, -ABANDONED_UPLOAD_GRACE_SECONDS).toISOString();
  const at = now.toISOString();
  let freed = false;
  for (const a of await deps.attachments.listAttachments(requestId)) {
    if (a.status !== 'pending' || a.uploadExpiresAt > cutoff) continue;
    const settled = await deps.attachments.settleAttachment(requestId, a.id, 'pending', { status: 'rejected', reason: 'upload_expired' }, rejectedEvent(at, a.id, 'upload_expired'), at);
    freed ||= settled;
  }
  return freed;
}

/**
 * A new pending attachment on the caller's own open request, and the presigned PUT that uploads
 * its file (valid 15 minutes, bound to the declared type and size). The check that follows the
 * upload makes it `ready` or `rejected`.
 */
export async function createAttachment(deps: Pick<Deps, 'attachments' | 'requests' | 'clock' | 'ids' | 'presigner'>, userId: string, requestId: string, input: NewAttachment) {
  const request = await deps.requests.getRequest(requestId);
  if (!request || request.userId !== userId) throw new NotFoundError('request');
  const now = deps.clock.now();
  const at = now.toISOString();
  const attachment: Attachment = {
    id: deps.ids.newId(),
    requestId,
    fileName: input.fileName,
    contentType: input.contentType,
    size: input.size,
    status: 'pending',
    createdAt: at,
    uploadExpiresAt: addSeconds(now, UPLOAD_URL_SECONDS).toISOString(),
  };
  // Signed before anything is stored: a signing failure leaves no pending attachment behind.
  const upload = await deps.presigner.presignUpload(objectKeyOf(requestId, attachment.id), input, UPLOAD_URL_SECONDS, now);

  let outcome = await deps.attachments.createAttachment(attachment, OPEN, { live: MAX_ATTACHMENTS, total: MAX_ATTACHMENTS_TOTAL }, at);
  if (outcome === 'too_many' && (await abandonExpiredUploads(deps, requestId, now))) {
    outcome = await deps.attachments.createAttachment(attachment, OPEN, { live: MAX_ATTACHMENTS, total: MAX_ATTACHMENTS_TOTAL }, at);
  }
  switch (outcome) {
    case 'created':
      return {
        id: attachment.id,
        status: 'pending' as const,
        upload: { url: upload.url, method: 'PUT' as const, headers: upload.headers },
        expiresAt: attachment.uploadExpiresAt,
      };
    case 'not_found':
      throw new NotFoundError('request');
    case 'closed':
      throw new StateConflictError('request_closed', 'The request is closed: attachments are no longer accepted.');
    case 'too_many':
      throw new StateConflictError(
        'too_many_attachments',
        `A request holds at most ${MAX_ATTACHMENTS} attachments (rejected ones aside), and ${MAX_ATTACHMENTS_TOTAL} in all.`,
      );
  }
}

/**
 * Operators may read the attachments of requests in their queues (the token's `queues` claim): a
 * request still being verified, or sent back for its identity (`needs_info`), is in no queue yet,
 * and a `cancelled` one was withdrawn by its citizen, so no operator has anything left to do with
 * its files. The owner reads their own files in any status.
 */
function mayRead(request: SupportRequest, reader: Reader): boolean {
  if (request.userId === reader.userId) return true;
  return request.status !== 'cancelled' && inOperatorQueues(request, { id: reader.userId, queues: reader.operatorQueues });
}

async function readableRequest(deps: Pick<Deps, 'requests'>, reader: Reader, requestId: string): Promise<SupportRequest> {
  const request = await deps.requests.getRequest(requestId);
  // Another citizen's request is reported exactly like a missing one.
  if (!request || !mayRead(request, reader)) throw new NotFoundError('request');
  return request;
}

/** A presigned GET of a `ready` file, valid 5 minutes; 409 `not_ready` while pending or once rejected. */
export async function attachmentDownload(deps: Pick<Deps, 'requests' | 'attachments' | 'clock' | 'presigner'>, reader: Reader, requestId: string, attachmentId: string) {
  await readableRequest(deps, reader, requestId);
  const attachment = await deps.attachments.getAttachment(requestId, attachmentId);
  if (!attachment) throw new NotFoundError('attachment');
  if (attachment.status !== 'ready') {
    throw new StateConflictError('not_ready', attachment.status === 'pending' ? 'The file has not been uploaded and checked yet.' : 'The file was rejected by the check.');
  }
  const now = deps.clock.now();
  const url = await deps.presigner.presignDownload(objectKeyOf(requestId, attachmentId), attachment, DOWNLOAD_URL_SECONDS, now);
  return { url, expiresAt: addSeconds(now, DOWNLOAD_URL_SECONDS).toISOString() };
}

/** An operator's view of the files on a request in a queue (ids for the download route). */
export async function listRequestAttachments(deps: Pick<Deps, 'requests' | 'attachments'>, reader: Reader, requestId: string) {
  await readableRequest(deps, reader, requestId);
  return { items: (await deps.attachments.listAttachments(requestId)).map(attachmentView) };
}
