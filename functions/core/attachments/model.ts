/**
 * Files on a request: what a citizen declares, what storage holds, and the rules between them.
 * The contract's limits are constants here, read by the schemas (validation and OpenAPI), the
 * use-cases and the tests alike.
 */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'application/pdf'] as const;
export type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

export const ATTACHMENT_STATUSES = ['pending', 'ready', 'rejected'] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

/** Why a file was rejected (timeline detail). */
/** `check_failed`: the upload check itself failed after its retries; the citizen may upload again. */
export type RejectReason = 'type_mismatch' | 'size_mismatch' | 'upload_expired' | 'check_failed';

/** 1 byte to 10 MiB. */
export const MIN_ATTACHMENT_BYTES = 1;
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** At most this many attachments per request that are not rejected. */
export const MAX_ATTACHMENTS = 5;
/**
 * Every attachment a request ever had, rejected ones included: without it, a citizen re-uploading
 * bad files would grow the request's detail (and its timeline) without end.
 */
export const MAX_ATTACHMENTS_TOTAL = 20;
/** The presigned upload is valid this long. */
export const UPLOAD_URL_SECONDS = 15 * 60;
/** The presigned download is valid this long. */
export const DOWNLOAD_URL_SECONDS = 5 * 60;
/**
 * A pending attachment whose upload URL expired this long ago without a file is given up
 * (`rejected`, `upload_expired`) when its place is needed: an upload begun just before the URL
 * expired has had ample time to finish, and nothing else can ever fill it.
 */
export const ABANDONED_UPLOAD_GRACE_SECONDS = 15 * 60;
/** File names are kept as given, up to this many characters. */
export const MAX_FILE_NAME_LENGTH = 255;

export interface Attachment {
  id: string;
  requestId: string;
  fileName: string;
  contentType: AttachmentType;
  /** Declared size, bytes. */
  size: number;
  status: AttachmentStatus;
  createdAt: string;
  /** The presigned upload stops working at this time. */
  uploadExpiresAt: string;
  /** When the check (or the give-up) settled it. */
  settledAt?: string;
  reason?: RejectReason;
}

/** The storage key of an attachment's file: generated ids only, never the file name. */
export function objectKeyOf(requestId: string, attachmentId: string): string {
  return `${requestId}/${attachmentId}`;
}

const KEY_PART = /^[0-9A-Za-z]{1,64}$/;

/** The ids in a storage key this service made; undefined for any other key. */
export function parseObjectKey(key: string): { requestId: string; attachmentId: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 2) return undefined;
  const [requestId, attachmentId] = parts as [string, string];
  return KEY_PART.test(requestId) && KEY_PART.test(attachmentId) ? { requestId, attachmentId } : undefined;
}

/** What clients see of an attachment (the contract's list item). */
export function attachmentView(a: Attachment) {
  return { id: a.id, fileName: a.fileName, contentType: a.contentType, size: a.size, status: a.status };
}
