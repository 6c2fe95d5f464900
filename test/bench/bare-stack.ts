import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import middy from '@middy/core';

/**
 * The bench's reference Lambda: the bare stack every function of the project stands on (the
 * DynamoDB client, lib-dynamodb, the Powertools logger, middy) and nothing else. `npm run bench`
 * bundles it with the functions' own esbuild options and gives each function's cold import as a
 * ratio to this one's, measured in the same run: milliseconds differ from machine to machine,
 * the ratio does not. It is never deployed.
 */
const logger = new Logger({ serviceName: 'bare-stack' });
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = middy(async (event: { id?: string }) => {
  logger.info('bare stack', { id: event.id });
  const out = await client.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { PK: event.id ?? 'x', SK: 'x' } }));
  return { statusCode: out.Item ? 200 : 404 };
});
