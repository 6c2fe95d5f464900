import { type CfnBucket, BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { REJECTED_TAG, UPLOAD_HEADERS } from '../../functions/adapters/s3/bucket-rules.ts';
import { RETENTION_DAYS } from '../../functions/core/retention.ts';

export interface AttachmentsProps {
  /** The portal's origins: browsers PUT and GET files straight to the bucket from there. */
  corsOrigins: string[];
  /** The customer managed key of the files (SSE-KMS, with an S3 bucket key). */
  encryptionKey: IKey;
  /** How long server access logs are kept. */
  accessLogRetention?: Duration;
}

/**
 * The attachments bucket: private (all public access blocked, no ACLs), encrypted (SSE-KMS, the data key),
 * SSL only (TLS 1.2+), no versioning (a rejected file deleted is gone), server access logs to a
 * bucket of their own, CORS for the portal's https origins only (settings.ts refuses any other).
 * Lifecycle: multipart uploads never completed are aborted after a day, files tagged rejected (the
 * check tags before it deletes) expire after a day, should a delete ever be lost, and every file
 * expires after the retention of its request (five years). Object keys are `<request id>/<attachment id>`,
 * generated, never a file name. Object Created events go to EventBridge (the check workflow's
 * rule, in the stack): no notification custom resource and its broad role are needed for that.
 */
export class Attachments extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: AttachmentsProps) {
    super(scope, id);

    // cdk-nag's S1 (server access logs) is satisfied for this bucket by being the log destination.
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      // Server access logs can only be delivered to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: props.accessLogRetention ?? Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One data key per bucket and period instead of a KMS call per object.
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: false,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'attachments/',
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        { id: 'expire-rejected-files', tagFilters: { [REJECTED_TAG.Key]: REJECTED_TAG.Value }, expiration: Duration.days(1) },
        // Retention: a file goes when the request it belongs to does (functions/core/retention.ts).
        { id: 'expire-after-retention', expiration: Duration.days(RETENTION_DAYS.attachmentFile) },
      ],
      cors: [
        {
          allowedOrigins: props.corsOrigins,
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedHeaders: [...UPLOAD_HEADERS],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
      // Citizens' documents outlive the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Object Created (and other) events to EventBridge, set on the bucket itself.
    (this.bucket.node.defaultChild as CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
  }
}
