import { Duration, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What sends its failures here, for the reason on the cdk-nag acknowledgment and the docs. */
  source: string;
  /** The customer managed key (its policy lets events.amazonaws.com encrypt for this account's rules). */
  encryptionKey: IKey;
}

/** How long an undelivered event is kept: SQS's maximum, time enough for a redrive after a holiday. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Where EventBridge puts an event it could not deliver after its retry policy. Encrypted with the
 * data key (infra/constructs/data-key.ts), whose policy lets EventBridge encrypt for this account's
 * rules: the AWS managed key alias/aws/sqs would not (EventBridge cannot use it). SSL only.
 * The target (`deadLetterQueue` of aws-events-targets) adds the queue policy statement that lets
 * events.amazonaws.com send from its rule, and only from it (aws:SourceArn).
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      // A data key is reused for 5 minutes: few KMS calls for a queue that is mostly empty.
      dataKeyReuse: Duration.minutes(5),
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        `This queue is itself the dead-letter queue of ${props.source}: a DLQ of a DLQ would only move the same events again. ` +
        'Its depth is alarmed (infra/constructs/observability.ts) and it keeps events 14 days for a redrive.',
    });
  }
}
