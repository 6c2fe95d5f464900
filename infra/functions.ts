import { TRANSCRIPT_FONT, TRANSCRIPT_FONT_BUILDER } from '../functions/adapters/pdf/transcript-font.ts';
import type { HttpFunction } from '../functions/http/routes.ts';
import type { StoreCalls } from './key-prefixes.ts';

/**
 * Every Lambda function: its entry module and exactly the grants it uses. The CDK stack creates
 * and grants from this list, `npm run bench` bundles from it, and an infra test holds the
 * template's policies to it.
 */
export type Grant =
  | 'table:read'
  | 'table:write'
  | 'sms:publish'
  | 'workflow:start:intake'
  | 'workflow:start:notice'
  | 'workflow:start:confirmation'
  | 'workflow:start:callback'
  | 'workflow:respond:callback'
  | 'secret:identity'
  // The attachments bucket's objects: PUT (what a presigned upload does), GET (a presigned
  // download, and the check's reads), tagging and DELETE (the check's discard of a rejected file).
  | 'bucket:put'
  | 'bucket:read'
  | 'bucket:tag'
  | 'bucket:delete';
export type TaskFunction = 'requestTasks' | 'attachmentCheck';
/** Functions nothing calls: a schedule runs them (EventBridge in the cloud, a timer locally). */
export type ScheduledFunction = 'reconciler';
export type FunctionId = HttpFunction | TaskFunction | ScheduledFunction;

export interface FunctionDef {
  entry: string;
  description: string;
  grants: readonly Grant[];
  /**
   * The store calls its code makes, by part of the store (functions/ports/stores.ts): the table
   * statements are scoped to the key families these touch (infra/key-prefixes.ts).
   * test/infra/key-prefixes.test.ts bundles each entry and fails when its code makes a call
   * (`deps.<part>.<method>(`) not listed here, or lists one it never makes.
   */
  store?: StoreCalls;
  /** Files the bundle needs beside its entry file at run time: repository path → file name. */
  files?: Readonly<Record<string, string>>;
  /**
   * Files the bundle needs beside its entry file, made at build time: file name → the repository
   * script that writes it (`node --import tsx <script> <output file>`, from the repository root).
   */
  built?: Readonly<Record<string, string>>;
  /** A scheduled function's rate, in minutes (an EventBridge `rate(N minutes)` rule in the cloud). */
  everyMinutes?: number;
}

export const FUNCTIONS: Record<FunctionId, FunctionDef> = {
  httpPublic: { entry: 'functions/http/public.ts', description: 'Public routes: contacts, callback slots, OpenAPI', grants: ['table:read'], store: { slots: ['slotCounts', 'countQueue', 'recentWaits'], calendar: ['readCalendar'] } },
  httpRequests: {
    entry: 'functions/http/requests.ts',
    description: 'Citizen request routes',
    grants: ['table:read', 'table:write', 'workflow:start:intake', 'secret:identity'],
    store: { requests: ['createRequest', 'getIdempotencyRecord', 'getLimitWindow', 'getRequest', 'getRequestDetail', 'listRequestsByOwner', 'appendComment', 'transition'], calls: ['getCalls'] },
  },
  httpCalls: {
    entry: 'functions/http/calls.ts',
    description: 'Citizen calls: records, confirmation codes, claims; profile phone change',
    grants: ['table:read', 'table:write', 'workflow:start:confirmation', 'workflow:start:intake', 'secret:identity'],
    store: { profiles: ['getProfile', 'userByPhone', 'changeProfilePhone'], requests: ['getLimitWindow', 'getRequest', 'getRequestDetail', 'createClaim', 'transition'], calls: ['getCall', 'getCalls', 'listCallsByOwner', 'confirmCall'], codes: ['getOtp', 'putOtp', 'restoreOtp', 'spendOtpAttempt'] },
  },
  httpTranscript: {
    entry: 'functions/http/transcript.ts',
    description: 'The PDF copy of a confirmed call',
    grants: ['table:read'],
    store: { requests: ['getRequest'], calls: ['getCall'] },
    // The PDF's Cyrillic font (PT Sans, OFL-1.1), subset at build time with fontkit (which stays
    // out of the bundle) and read next to the bundle (loadTranscriptFont).
    built: { [TRANSCRIPT_FONT.fileName]: TRANSCRIPT_FONT_BUILDER },
  },
  httpAttachments: {
    entry: 'functions/http/attachments.ts',
    description: 'Attachments: presigned upload and download, the operator list',
    // A presigned URL acts with the signer's permissions: PUT for uploads, GET for downloads.
    grants: ['table:read', 'table:write', 'bucket:put', 'bucket:read'],
    store: { requests: ['getRequest'], attachments: ['createAttachment', 'getAttachment', 'listAttachments', 'settleAttachment'] },
  },
  httpNotifications: {
    entry: 'functions/http/notifications.ts',
    description: "The citizen's notifications: list, read one, read all",
    grants: ['table:read', 'table:write'],
    store: { notifications: ['listNotifications', 'markRead', 'markAllRead', 'countUnread'] },
  },
  httpAdmin: {
    entry: 'functions/http/admin.ts',
    description: 'Admin routes: reference profiles, the centre\'s calendar',
    grants: ['table:read', 'table:write', 'secret:identity'],
    store: {
      profiles: ['putProfile'],
      slots: ['slotCounts'],
      calendar: ['readCalendar', 'seedCalendar', 'putQueueCalendar', 'putHoliday', 'deleteHoliday', 'putOverride', 'deleteOverride'],
    },
  },
  httpOps: {
    entry: 'functions/http/ops.ts',
    description: 'Operator routes',
    grants: ['table:read', 'table:write', 'workflow:start:notice', 'workflow:respond:callback'],
    store: {
      profiles: ['getProfile', 'userByPhone'],
      requests: ['getRequest', 'getRequestDetail', 'listRequestsByOwner', 'appendComment', 'transition'],
      slots: ['listQueue'],
      calls: ['putCall', 'getCall', 'getCalls', 'listCallsByOwner', 'listCallsOfRequest'],
      workspace: ['listInbox', 'requestIdByNumber', 'putPhoneRefs', 'phoneRefs', 'putCallTimeRefs', 'callsAround'],
    },
  },
  attachmentCheck: {
    entry: 'functions/tasks/attachment-check.ts',
    description: 'The storage side of the upload check: real size and first bytes, discard of rejected files',
    // No table: the verdict is settled by requestTasks (the S3 and DynamoDB clients together outgrow one bundle).
    grants: ['bucket:read', 'bucket:tag', 'bucket:delete'],
  },
  reconciler: {
    entry: 'functions/scheduled/reconciler.ts',
    description: 'Finds requests stuck in a non-final status and resumes them, or marks them for an operator',
    // Resumes: intake (received), callback (a booked callback whose workflow is gone), notice (a lost SMS).
    grants: ['table:read', 'table:write', 'workflow:start:intake', 'workflow:start:callback', 'workflow:start:notice'],
    store: { requests: ['getRequest', 'noticeSent', 'transition'], reconcile: ['listDueChecks'], calendar: ['seedCalendar', 'readCalendar'], workspace: ['countOverdue'] },
    everyMinutes: 5,
  },
  requestTasks: {
    entry: 'functions/tasks/request-tasks.ts',
    description: 'Tasks of the intake, notice, callback and confirmation workflows, and the attachment verdict',
    grants: ['table:read', 'table:write', 'sms:publish', 'secret:identity'],
    store: {
      profiles: ['getProfile'],
      requests: ['getRequest', 'getRequestForNotice', 'recordNotice', 'transition'],
      slots: ['slotCounts', 'bookSlot', 'enqueue'],
      codes: ['getOtp'],
      attachments: ['getAttachment', 'settleAttachment'],
      calendar: ['readCalendar'],
      notifications: ['putNotification'],
      workspace: ['putPhoneRefs'],
    },
  },
};
