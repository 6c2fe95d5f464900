/**
 * Every key of the single table is spelled here and nowhere else. docs/DESIGN.md lists the access
 * patterns these keys serve.
 */
export const keys = {
  profile: (userId: string) => ({ PK: `USER#${userId}`, SK: 'PROFILE' }),
  request: (id: string) => ({ PK: `REQ#${id}`, SK: 'META' }),
  requestPartition: (id: string) => `REQ#${id}`,
  requestIdOf: (pk: string) => pk.slice('REQ#'.length),
  /** GSI1: a citizen's requests, newest first by creation time. */
  requestByOwner: (userId: string, createdAt: string, id: string) => ({ GSI1PK: `USER#${userId}#REQ`, GSI1SK: `${createdAt}#${id}` }),
  ownerRequestsPartition: (userId: string) => `USER#${userId}#REQ`,
  timelineEvent: (requestId: string, at: string, seq: string) => ({ PK: `REQ#${requestId}`, SK: `EVT#${at}#${seq}` }),
  comment: (requestId: string, at: string, id: string) => ({ PK: `REQ#${requestId}`, SK: `CMT#${at}#${id}` }),
  /** An attachment of a request; its id is time-ordered, so the partition lists them in creation order. */
  attachment: (requestId: string, attachmentId: string) => ({ PK: `REQ#${requestId}`, SK: `ATT#${attachmentId}` }),
  /** Marks that the SMS of one request event went out, so a rerun of a workflow does not resend it. */
  notice: (requestId: string, notice: string) => ({ PK: `REQ#${requestId}`, SK: `NTC#${notice}` }),
  /** One slot's booked count; a queue's day is one partition, so a day's counts are one Query. */
  slotCounter: (queue: string, day: string, start: string) => ({ PK: `SLOTS#${queue}#${day}`, SK: start }),
  slotDay: (queue: string, day: string) => `SLOTS#${queue}#${day}`,
  /** A due callback in its operator queue (GSI1: the queue, in due order). */
  queueEntry: (requestId: string) => ({ PK: `REQ#${requestId}`, SK: 'QUEUE' }),
  queueIndex: (queue: string, dueAt: string, createdAt: string, requestId: string) => ({ GSI1PK: `QUEUE#${queue}`, GSI1SK: `${dueAt}#${createdAt}#${requestId}` }),
  queuePartition: (queue: string) => `QUEUE#${queue}`,
  call: (id: string) => ({ PK: `CALL#${id}`, SK: 'META' }),
  /** GSI1: a citizen's calls, newest first. */
  callByOwner: (userId: string, queuedAt: string, id: string) => ({ GSI1PK: `USER#${userId}#CALL`, GSI1SK: `${queuedAt}#${id}` }),
  ownerCallsPartition: (userId: string) => `USER#${userId}#CALL`,
  requestCall: (requestId: string, queuedAt: string, callId: string) => ({ PK: `REQ#${requestId}`, SK: `CALL#${queuedAt}#${callId}` }),
  /** Recent waits of a queue for the live estimate; expire after a day. */
  queueWait: (queue: string, queuedAt: string, callId: string) => ({ PK: `QWAITS#${queue}`, SK: `${queuedAt}#${callId}` }),
  queueWaitsPartition: (queue: string) => `QWAITS#${queue}`,
  otp: (purpose: string, subject: string) => ({ PK: `OTP#${purpose}#${subject}`, SK: 'OTP' }),
  phoneIndex: (e164: string) => ({ PK: `PHONE#${e164}`, SK: 'PROFILE' }),
  requestNumber: (number: string) => ({ PK: `NUM#${number}`, SK: 'NUM' }),
  /**
   * GSI2: a request the reconciler should look at from `checkAt` on, unless it moved on by then.
   * Index keys need not be unique, so the time alone sorts it (ties in table-key order).
   */
  requestCheck: (checkAt: string) => ({ GSI2PK: 'CHECK', GSI2SK: checkAt }),
  checkPartition: 'CHECK',
  idempotency: (scope: string) => ({ PK: `IDEM#${scope}`, SK: 'IDEM' }),
  /**
   * GSI3: a written request in its queue's inbox while it waits for an answer, by its deadline in
   * force (index keys need not be unique: the table key breaks ties). Attributes of the request item.
   */
  inboxIndex: (queue: string, dueAt: string) => ({ GSI3PK: `INBOX#${queue}`, GSI3SK: dueAt }),
  inboxPartition: (queue: string) => `INBOX#${queue}`,
  /** A citizen's notification; its id is deterministic (the notice it stands for). */
  notification: (userId: string, id: string) => ({ PK: `NTF#${userId}`, SK: id }),
  notificationPartition: (userId: string) => `NTF#${userId}`,
  /** The phones requests and calls name besides the profiles' own (search by phone). */
  phoneRequestRef: (e164: string, requestId: string) => ({ PK: `PHONEREF#${e164}`, SK: `REQ#${requestId}` }),
  phoneCallRef: (e164: string, queuedAt: string, callId: string) => ({ PK: `PHONEREF#${e164}`, SK: `CALL#${queuedAt}#${callId}` }),
  phoneRefPartition: (e164: string) => `PHONEREF#${e164}`,
  /** A call under each UTC hour ('YYYY-MM-DDTHH') it was going on in (search by the time of a call). */
  callTimeRef: (hour: string, queuedAt: string, callId: string) => ({ PK: `CALLAT#${hour}`, SK: `${queuedAt}#${callId}` }),
  callTimePartition: (hour: string) => `CALLAT#${hour}`,
  /**
   * A citizen's limit counters, beside the profile in the citizen's partition: the sliding windows
   * (`times` of the counted writes, `version`) of new requests and of comments, and the set of
   * their open callback requests.
   */
  limitWindow: (window: 'requests' | 'comments', userId: string) => ({ PK: `USER#${userId}`, SK: `LIMIT#${window.toUpperCase()}` }),
  openCallbacks: (userId: string) => ({ PK: `USER#${userId}`, SK: 'LIMIT#OPEN_CALLBACKS' }),
  /**
   * The centre's calendar, one small partition read whole by one Query: the booking settings
   * (which also mark the calendar as seeded), each queue's week, each holiday, each day override.
   */
  calendarPartition: 'CALENDAR',
  calendarSettings: () => ({ PK: 'CALENDAR', SK: 'SETTINGS' }),
  calendarQueue: (queue: string) => ({ PK: 'CALENDAR', SK: `QUEUE#${queue}` }),
  calendarHoliday: (date: string) => ({ PK: 'CALENDAR', SK: `HOLIDAY#${date}` }),
  calendarOverride: (queue: string, date: string) => ({ PK: 'CALENDAR', SK: `OVERRIDE#${queue}#${date}` }),
} as const;

export const SK_PREFIX = { event: 'EVT#', comment: 'CMT#', call: 'CALL#', attachment: 'ATT#', meta: 'META', queue: 'QUEUE#', holiday: 'HOLIDAY#', override: 'OVERRIDE#', settings: 'SETTINGS' } as const;

/** DynamoDB TTL wants epoch seconds. */
export function ttlOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
