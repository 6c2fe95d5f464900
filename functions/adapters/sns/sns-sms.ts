import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SmsSendError } from '#core/errors';
import type { SmsSender } from '#ports/sms';

/** SMS through SNS Publish to a phone number: transactional, with the configured sender id. */
export function snsSms(client: SNSClient, senderId: string): SmsSender {
  return {
    async send(to, text) {
      try {
        await client.send(
          new PublishCommand({
            PhoneNumber: to,
            Message: text,
            MessageAttributes: {
              'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
              'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: senderId },
            },
          }),
        );
      } catch (error) {
        // The message names the SDK error only: the phone number stays out of logs and histories.
        throw new SmsSendError(`SNS publish failed: ${(error as Error).name}`);
      }
    },
  };
}
