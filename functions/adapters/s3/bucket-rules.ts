/**
 * What the attachments bucket's configuration (infra/constructs/attachments.ts, and the local
 * s3rver bucket) and the S3 adapters must agree on, in one dependency-free module.
 */

/** The tag the upload check puts on a rejected file before deleting it; the lifecycle rule expires it. */
export const REJECTED_TAG = { Key: 'verdict', Value: 'rejected' } as const;

/** The headers a browser sends with a presigned upload (s3-presigner.ts signs them): CORS allows them. */
export const UPLOAD_HEADERS = ['content-type', 'if-none-match'] as const;
