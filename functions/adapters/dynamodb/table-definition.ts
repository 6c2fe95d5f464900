/**
 * The single table, defined once: the CDK stack (infra/constructs/data.ts) and the local runtime's
 * table creation (infra/local/dynamodb-local.ts) both read this.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  indexes: [{ name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
} as const;
