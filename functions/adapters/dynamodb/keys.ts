/**
 * Every key of the single table is spelled here and nowhere else. docs/DESIGN.md lists the access
 * patterns these keys serve.
 */
export const keys = {
  profile: (userId: string) => ({ PK: `USER#${userId}`, SK: 'PROFILE' }),
  request: (id: string) => ({ PK: `REQ#${id}`, SK: 'META' }),
  requestPartition: (id: string) => `REQ#${id}`,
  /** GSI1: a citizen's requests, newest first by creation time. */
  requestByOwner: (userId: string, createdAt: string, id: string) => ({ GSI1PK: `USER#${userId}#REQ`, GSI1SK: `${createdAt}#${id}` }),
  ownerRequestsPartition: (userId: string) => `USER#${userId}#REQ`,
  timelineEvent: (requestId: string, at: string, seq: string) => ({ PK: `REQ#${requestId}`, SK: `EVT#${at}#${seq}` }),
  comment: (requestId: string, at: string, id: string) => ({ PK: `REQ#${requestId}`, SK: `CMT#${at}#${id}` }),
  /** Marks that the SMS of one request event went out, so a rerun of a workflow does not resend it. */
  notice: (requestId: string, notice: string) => ({ PK: `REQ#${requestId}`, SK: `NTC#${notice}` }),
  requestNumber: (number: string) => ({ PK: `NUM#${number}`, SK: 'NUM' }),
  idempotency: (scope: string) => ({ PK: `IDEM#${scope}`, SK: 'IDEM' }),
} as const;

export const SK_PREFIX = { event: 'EVT#', comment: 'CMT#', meta: 'META' } as const;

/** DynamoDB TTL wants epoch seconds. */
export function ttlOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}
