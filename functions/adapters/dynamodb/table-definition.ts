/**
 * The single table, defined once: the CDK stack (infra/constructs/data.ts) and the local runtime's
 * table creation (infra/local/dynamodb-local.ts) both read this.
 */
export const TABLE = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  indexes: [
    // Owner lists, operator queues: the whole item, as the reads need it.
    { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
    // The reconciler's due checks (sparse: only requests with `checkAt`): keys only, so keeping
    // it current costs one small index write, and the reconciler reads each due request itself.
    { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'KEYS_ONLY' },
    // The operators' inboxes (sparse: only written requests waiting for an answer), by deadline:
    // keys only, so only the writes that move those keys touch it; a page reads the items fresh.
    { name: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'KEYS_ONLY' },
  ],
} as const;
