import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What sends its failures here, for the reason on the cdk-nag acknowledgment and the docs. */
  source: string;
}

/** How long an undelivered event is kept: SQS's maximum, time enough for a redrive after a holiday. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * Where EventBridge puts an event it could not deliver after its retry policy. SQS-managed SSE,
 * not KMS: EventBridge cannot send to a queue under the AWS managed key alias/aws/sqs, and a
 * customer key would need its own policy for events.amazonaws.com for no gain here. SSL only.
 * The target (`deadLetterQueue` of aws-events-targets) adds the queue policy statement that lets
 * events.amazonaws.com send from its rule, and only from it (aws:SourceArn).
 */
export class DeadLetterQueue extends Construct {
  readonly queue: Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
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
