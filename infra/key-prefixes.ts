import type { Store } from '../functions/ports/store.ts';

/**
 * The partitions of the single table, as IAM sees them: each family of partition key values that
 * functions/adapters/dynamodb/keys.ts builds, as `dynamodb:LeadingKeys` patterns (StringLike). A
 * function's table statements carry `ForAllValues:StringLike` on the families its store calls touch,
 * so a function can reach no partition outside them, and cannot Scan at all.
 *
 * For a Query on a global secondary index, LeadingKeys is the index's partition key value (GSI1PK,
 * GSI2PK): those families name their index, and only functions that query them get the index ARN.
 *
 * Mirrors keys.ts: test/infra/key-prefixes.test.ts calls every key builder there and fails when a
 * partition value matches no family here, so a new key family fails a test, not a deployment.
 */
export const KEY_PREFIXES = {
  /** `USER#<id>` PROFILE: the reference profile. (The pattern also matches the owner lists below.) */
  profile: { patterns: ['USER#*'] },
  /**
   * `USER#<id>` LIMIT#…: the citizen's limit counters (sliding windows of new requests and comments,
   * the set of open callbacks), beside the profile in the same partition.
   */
  limits: { patterns: ['USER#*'] },
  /** GSI1 `USER#<id>#REQ`: a citizen's requests. */
  ownerRequests: { patterns: ['USER#*#REQ'], index: 'GSI1' },
  /** GSI1 `USER#<id>#CALL`: a citizen's calls. */
  ownerCalls: { patterns: ['USER#*#CALL'], index: 'GSI1' },
  /** `REQ#<id>`: a request and its timeline, comments, attachments, notices, queue entry, call links. */
  request: { patterns: ['REQ#*'] },
  /** `NUM#<number>`: the claim on a request number. */
  number: { patterns: ['NUM#*'] },
  /** `SLOTS#<queue>#<day>`: booked counts of a queue's day. */
  slots: { patterns: ['SLOTS#*'] },
  /** GSI1 `QUEUE#<queue>`: due callbacks in queue order. */
  queue: { patterns: ['QUEUE#*'], index: 'GSI1' },
  /** `CALL#<id>`: a call record with its transcript. */
  call: { patterns: ['CALL#*'] },
  /** `QWAITS#<queue>`: recent waits for the live estimate. */
  waits: { patterns: ['QWAITS#*'] },
  /** `OTP#<purpose>#<subject>`: one-time code records (hashes only). */
  otp: { patterns: ['OTP#*'] },
  /** `PHONE#<e164>`: which profile holds a phone number. */
  phone: { patterns: ['PHONE#*'] },
  /** GSI2 `CHECK`: the reconciler's due checks. */
  check: { patterns: ['CHECK'], index: 'GSI2' },
  /** `IDEM#<scope>`: idempotency records. */
  idempotency: { patterns: ['IDEM#*'] },
} as const satisfies Record<string, { patterns: readonly string[]; index?: string }>;

export type KeyFamily = keyof typeof KEY_PREFIXES;
export type StoreMethod = keyof Store;

export interface StoreAccess {
  reads: readonly KeyFamily[];
  writes: readonly KeyFamily[];
}

/**
 * Which families each store call of functions/adapters/dynamodb/dynamo-store.ts reads and writes
 * (a conditional write needs only the write). A Record over the Store port: a new store call does
 * not compile until it says what it touches.
 */
export const STORE_ACCESS: Record<StoreMethod, StoreAccess> = {
  getProfile: { reads: ['profile'], writes: [] },
  getLimitWindow: { reads: ['limits'], writes: [] },
  putProfile: { reads: ['profile', 'phone'], writes: ['profile', 'phone'] },
  createRequest: { reads: ['idempotency'], writes: ['idempotency', 'number', 'request', 'limits'] },
  getIdempotencyRecord: { reads: ['idempotency'], writes: [] },
  getRequest: { reads: ['request'], writes: [] },
  getRequestDetail: { reads: ['request'], writes: [] },
  listRequestsByOwner: { reads: ['ownerRequests'], writes: [] },
  appendComment: { reads: ['idempotency', 'request'], writes: ['idempotency', 'request', 'limits'] },
  noticeSent: { reads: ['request'], writes: [] },
  recordNotice: { reads: [], writes: ['request'] },
  slotCounts: { reads: ['slots'], writes: [] },
  bookSlot: { reads: [], writes: ['slots', 'request'] },
  enqueue: { reads: [], writes: ['request'] },
  listQueue: { reads: ['queue'], writes: [] },
  countQueue: { reads: ['queue'], writes: [] },
  putCall: { reads: [], writes: ['call', 'waits', 'request', 'limits'] },
  getCall: { reads: ['call'], writes: [] },
  listCallsByOwner: { reads: ['ownerCalls'], writes: [] },
  listCallsOfRequest: { reads: ['request', 'call'], writes: [] },
  recentWaits: { reads: ['waits'], writes: [] },
  getOtp: { reads: ['otp'], writes: [] },
  putOtp: { reads: [], writes: ['otp'] },
  restoreOtp: { reads: [], writes: ['otp'] },
  spendOtpAttempt: { reads: [], writes: ['otp'] },
  confirmCall: { reads: [], writes: ['otp', 'call'] },
  changeProfilePhone: { reads: ['profile', 'phone'], writes: ['otp', 'profile', 'phone'] },
  createClaim: { reads: [], writes: ['call', 'number', 'request', 'limits'] },
  userByPhone: { reads: ['phone'], writes: [] },
  createAttachment: { reads: ['request'], writes: ['request'] },
  getAttachment: { reads: ['request'], writes: [] },
  listAttachments: { reads: ['request'], writes: [] },
  settleAttachment: { reads: [], writes: ['request'] },
  transition: { reads: ['request'], writes: ['request', 'slots', 'limits'] },
  listDueChecks: { reads: ['check'], writes: [] },
};

/** IAM's StringLike, as `dynamodb:LeadingKeys` applies it: `*` any run of characters, `?` one. */
export function matchesKeyPattern(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/** The families whose patterns a partition key value falls in. */
export function familiesOf(value: string): KeyFamily[] {
  return (Object.keys(KEY_PREFIXES) as KeyFamily[]).filter((f) => KEY_PREFIXES[f].patterns.some((p) => matchesKeyPattern(p, value)));
}

export interface TableAccess {
  /** LeadingKeys patterns of the read statement (GetItem, BatchGetItem, Query), sorted. */
  readPatterns: string[];
  /** LeadingKeys patterns of the write statement (PutItem, UpdateItem, DeleteItem, ConditionCheckItem), sorted. */
  writePatterns: string[];
  /** The indexes its reads query. */
  indexes: string[];
}

/** What a function that makes these store calls may do to the table. */
export function tableAccessOf(methods: readonly StoreMethod[]): TableAccess {
  const reads = new Set<KeyFamily>(methods.flatMap((m) => STORE_ACCESS[m].reads));
  const writes = new Set<KeyFamily>(methods.flatMap((m) => STORE_ACCESS[m].writes));
  const patterns = (families: Set<KeyFamily>) => [...new Set([...families].flatMap((f) => KEY_PREFIXES[f].patterns))].sort();
  const indexes = [...new Set([...reads].flatMap((f) => {
    const def: { patterns: readonly string[]; index?: string } = KEY_PREFIXES[f];
    return def.index === undefined ? [] : [def.index];
  }))].sort();
  return { readPatterns: patterns(reads), writePatterns: patterns(writes), indexes };
}
