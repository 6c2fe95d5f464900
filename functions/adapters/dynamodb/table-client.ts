import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { withRetention } from './retention.ts';
import { TABLE } from './table-definition.ts';
import type { Item } from './transact.ts';

/** The one table client every part's adapter shares: the document client and the table's name. */
export interface Table {
  doc: DynamoDBDocumentClient;
  name: string;
}

export function tableClient(client: DynamoDBClient, tableName: string): Table {
  // Every item put gets its retention TTL (retention.ts).
  return { doc: withRetention(DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })), name: tableName };
}

/** One item by its key, read consistently (every store read must see the write a moment ago). */
export async function getItem(table: Table, key: Record<string, string>, projection?: string): Promise<Item | undefined> {
  const out = await table.doc.send(new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true, ...(projection ? { ProjectionExpression: projection } : {}) }));
  return out.Item;
}

/**
 * A few items by their keys (at most 100) in one consistent BatchGet, in the order asked
 * (`undefined` where there is none). A key DynamoDB leaves unprocessed (throttling) is read with
 * GetItem, which the SDK retries: a missing answer is never taken for a missing item.
 */
export async function getItems(table: Table, keyList: readonly Record<string, string>[]): Promise<(Item | undefined)[]> {
  const out = await table.doc.send(new BatchGetCommand({ RequestItems: { [table.name]: { Keys: [...keyList], ConsistentRead: true } } }));
  const keyOf = (k: Record<string, unknown>) => `${String(k.PK)}\u0000${String(k.SK)}`;
  const found = new Map((out.Responses?.[table.name] ?? []).map((item) => [keyOf(item), item]));
  const unprocessed = new Set((out.UnprocessedKeys?.[table.name]?.Keys ?? []).map(keyOf));
  return Promise.all(keyList.map((k) => (unprocessed.has(keyOf(k)) ? getItem(table, k) : found.get(keyOf(k)))));
}

/** Every item of a base-table query, page after page. */
export async function queryAll(table: Table, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const out = await table.doc.send(new QueryCommand({ TableName: table.name, ...input, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/** One page of GSI1 for a partition (`forward` false: newest first). */
export async function queryIndex(table: Table, partition: string, options: { limit?: number; forward?: boolean; count?: boolean; start?: Item } = {}) {
  const index = TABLE.indexes[0];
  return table.doc.send(
    new QueryCommand({
      TableName: table.name,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partitionKey },
      ExpressionAttributeValues: { ':pk': partition },
      ...(options.forward === false ? { ScanIndexForward: false } : {}),
      ...(options.limit !== undefined ? { Limit: options.limit } : {}),
      ...(options.count ? { Select: 'COUNT' as const } : {}),
      ...(options.start ? { ExclusiveStartKey: options.start } : {}),
    }),
  );
}
