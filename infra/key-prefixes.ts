import type { StorePart, Stores } from '../functions/ports/stores.ts';

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
  /** `CALENDAR`: the centre's calendar (settings, each queue's week, holidays, day overrides). */
  calendar: { patterns: ['CALENDAR'] },
  /** GSI3 `INBOX#<queue>`: written requests waiting for an answer, by deadline. */
  inbox: { patterns: ['INBOX#*'], index: 'GSI3' },
  /** `NTF#<id>`: a citizen's notifications. */
  notifications: { patterns: ['NTF#*'] },
  /** `PHONEREF#<e164>`: the requests and calls that name a phone (search). */
  phoneRefs: { patterns: ['PHONEREF#*'] },
  /** `CALLAT#<hour>`: the calls going on in an hour (search by the time of a call). */
  callTimes: { patterns: ['CALLAT#*'] },
} as const satisfies Record<string, { patterns: readonly string[]; index?: string }>;

export type KeyFamily = keyof typeof KEY_PREFIXES;
/** A method of one part of the store (functions/ports/stores.ts). */
export type StoreMethod<P extends StorePart = StorePart> = Extract<keyof Stores[P], string>;

export interface StoreAccess {
  reads: readonly KeyFamily[];
  writes: readonly KeyFamily[];
}

/** The store calls a function makes, by part: `{ requests: ['getRequest'], slots: ['listQueue'] }`. */
export type StoreCalls = { readonly [P in StorePart]?: readonly StoreMethod<P>[] };

/**
 * Which families each store call of the DynamoDB parts (functions/adapters/dynamodb/*-store.ts)
 * reads and writes (a conditional write needs only the write). A Record over every part's port: a
 * new store call does not compile until it says what it touches. A call that writes across parts
 * in one transaction names every family it touches.
 */
export const STORE_ACCESS: { readonly [P in StorePart]: Readonly<Record<StoreMethod<P>, StoreAccess>> } = {
  profiles: {
    getProfile: { reads: ['profile'], writes: [] },
    putProfile: { reads: ['profile', 'phone'], writes: ['profile', 'phone'] },
    userByPhone: { reads: ['phone'], writes: [] },
    changeProfilePhone: { reads: ['profile', 'phone'], writes: ['otp', 'profile', 'phone'] },
  },
  requests: {
    createRequest: { reads: ['idempotency'], writes: ['idempotency', 'number', 'request', 'limits'] },
    getIdempotencyRecord: { reads: ['idempotency'], writes: [] },
    getLimitWindow: { reads: ['limits'], writes: [] },
    getRequest: { reads: ['request'], writes: [] },
    getRequestDetail: { reads: ['request'], writes: [] },
    listRequestsByOwner: { reads: ['ownerRequests'], writes: [] },
    appendComment: { reads: ['idempotency', 'request'], writes: ['idempotency', 'request', 'limits'] },
    noticeSent: { reads: ['request'], writes: [] },
    getRequestForNotice: { reads: ['request'], writes: [] },
    recordNotice: { reads: [], writes: ['request'] },
    createClaim: { reads: [], writes: ['call', 'number', 'request', 'limits'] },
    transition: { reads: ['request'], writes: ['request', 'slots', 'limits'] },
  },
  slots: {
    slotCounts: { reads: ['slots'], writes: [] },
    bookSlot: { reads: [], writes: ['slots', 'request'] },
    enqueue: { reads: [], writes: ['request'] },
    listQueue: { reads: ['queue'], writes: [] },
    countQueue: { reads: ['queue'], writes: [] },
    recentWaits: { reads: ['waits'], writes: [] },
  },
  calls: {
    putCall: { reads: [], writes: ['call', 'waits', 'request', 'limits'] },
    getCall: { reads: ['call'], writes: [] },
    getCalls: { reads: ['call'], writes: [] },
    listCallsByOwner: { reads: ['ownerCalls'], writes: [] },
    listCallsOfRequest: { reads: ['request', 'call'], writes: [] },
    confirmCall: { reads: [], writes: ['otp', 'call'] },
  },
  codes: {
    getOtp: { reads: ['otp'], writes: [] },
    putOtp: { reads: [], writes: ['otp'] },
    restoreOtp: { reads: [], writes: ['otp'] },
    spendOtpAttempt: { reads: [], writes: ['otp'] },
  },
  attachments: {
    createAttachment: { reads: ['request'], writes: ['request'] },
    getAttachment: { reads: ['request'], writes: [] },
    listAttachments: { reads: ['request'], writes: [] },
    settleAttachment: { reads: [], writes: ['request'] },
  },
  reconcile: {
    listDueChecks: { reads: ['check'], writes: [] },
  },
  calendar: {
    readCalendar: { reads: ['calendar'], writes: [] },
    seedCalendar: { reads: ['calendar'], writes: ['calendar'] },
    putQueueCalendar: { reads: [], writes: ['calendar'] },
    putHoliday: { reads: [], writes: ['calendar'] },
    deleteHoliday: { reads: [], writes: ['calendar'] },
    putOverride: { reads: [], writes: ['calendar'] },
    deleteOverride: { reads: [], writes: ['calendar'] },
  },
  notifications: {
    putNotification: { reads: [], writes: ['notifications'] },
    listNotifications: { reads: ['notifications'], writes: [] },
    countUnread: { reads: ['notifications'], writes: [] },
    markRead: { reads: [], writes: ['notifications'] },
    markAllRead: { reads: ['notifications'], writes: ['notifications'] },
  },
  workspace: {
    listInbox: { reads: ['inbox', 'request'], writes: [] },
    countOverdue: { reads: ['inbox'], writes: [] },
    requestIdByNumber: { reads: ['number'], writes: [] },
    putPhoneRefs: { reads: [], writes: ['phoneRefs'] },
    phoneRefs: { reads: ['phoneRefs'], writes: [] },
    putCallTimeRefs: { reads: [], writes: ['callTimes'] },
    callsAround: { reads: ['callTimes'], writes: [] },
  },
};

/** Every (part, method) pair of STORE_ACCESS. */
export function storeCallPairs(): { part: StorePart; method: string; access: StoreAccess }[] {
  return (Object.keys(STORE_ACCESS) as StorePart[]).flatMap((part) =>
    Object.entries(STORE_ACCESS[part] as Record<string, StoreAccess>).map(([method, access]) => ({ part, method, access })),
  );
}

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
export function tableAccessOf(calls: StoreCalls): TableAccess {
  const accesses = (Object.keys(calls) as StorePart[]).flatMap((part) =>
    (calls[part] ?? []).map((method) => (STORE_ACCESS[part] as Record<string, StoreAccess>)[method] as StoreAccess),
  );
  const reads = new Set<KeyFamily>(accesses.flatMap((a) => a.reads));
  const writes = new Set<KeyFamily>(accesses.flatMap((a) => a.writes));
  const patterns = (families: Set<KeyFamily>) => [...new Set([...families].flatMap((f) => KEY_PREFIXES[f].patterns))].sort();
  const indexes = [...new Set([...reads].flatMap((f) => {
    const def: { patterns: readonly string[]; index?: string } = KEY_PREFIXES[f];
    return def.index === undefined ? [] : [def.index];
  }))].sort();
  return { readPatterns: patterns(reads), writePatterns: patterns(writes), indexes };
}
