import * as z from 'zod/mini';
import { lazy } from '#functions/lazy';
import { ATTACHMENT_TYPES } from '#core/attachments/model';
import { giveUpCheck, settleUpload } from '#core/attachments/check';
import { enqueueDue } from '#core/callbacks/queue';
import { markMissed, recordLostOutcome } from '#core/callbacks/record-call';
import { resumeCallback, scheduleCallback } from '#core/callbacks/schedule';
import { closeCode, deliverCode } from '#core/calls/codes';
import { NOTICE_KINDS, codeText } from '#core/notices/sms-templates';
import { OTP_PURPOSES } from '#core/otp/otp';
import { recordWorkflowFailure } from '#core/reconcile/record-failure';
import { markNeedsInfo, routeRequest, sendNotice, verifyIdentity } from '#core/requests/intake';
import { calendarFromEnv, composeDeps, hasherFromEnv, sealerFromEnv, smsFromEnv, profilesFromEnv, requestsFromEnv, slotsFromEnv, codesFromEnv, attachmentsFromEnv, systemClockFactory, emfMetricsFactory } from '#functions/deps';
import { notificationsFromEnv, workspaceFromEnv } from '#functions/deps';
import { parseTaskInput as parse, taskHandler } from './task-stack.ts';

/**
 * The tasks of the intake, notice, callback, confirmation and attachment workflows (statemachines/*.asl.json): one Lambda
 * dispatching on `task`. Inputs are checked here; errors go back to the state machine by name.
 */
const deps = composeDeps({
  notifications: notificationsFromEnv,
  workspace: workspaceFromEnv,
  profiles: profilesFromEnv,
  requests: requestsFromEnv,
  slots: slotsFromEnv,
  codes: codesFromEnv,
  attachments: attachmentsFromEnv,
  sms: smsFromEnv,
  clock: systemClockFactory,
  hasher: hasherFromEnv,
  sealer: sealerFromEnv,
  metrics: emfMetricsFactory,
  calendar: calendarFromEnv,
});

// Every task's input schema is built on the task's first call (`lazy`), never at import and never per call.
const requestRef = () => z.object({ requestId: z.string().check(z.minLength(1)) });
const RequestRef = lazy(requestRef);
/** What the notice workflow hands on of its input (statemachines/notice.asl.json `notice.$`): ids and the operator's texts. */
const noticeInput = () =>
  z.object({
    ref: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    reason: z.optional(z.string().check(z.maxLength(1100))),
    to: z.optional(z.string().check(z.maxLength(400))),
  });

/** A Catch's output under the failed step's name (recordFailure, giveUpAttachmentCheck). */
const failed = () => z.record(z.string(), z.object({ Error: z.optional(z.string()) }));

const codeRef = () => z.object({ purpose: z.enum(OTP_PURPOSES), subject: z.string().check(z.minLength(1)) });
const CodeRef = lazy(codeRef);

const DeliverCodeInput = lazy(() => z.extend(codeRef(), { sealedCode: z.string().check(z.minLength(1)) }));
const NeedsInfoInput = lazy(() =>
  z.extend(requestRef(), {
    problems: z.array(z.object({ field: z.enum(['fullName', 'snils', 'passport', 'phone', 'profile']), code: z.enum(['mismatch', 'not_found']) })),
  }),
);
const RouteInput = lazy(() => z.extend(requestRef(), { timeZone: z.optional(z.string().check(z.maxLength(64))) }));
const NoticeTaskInput = lazy(() => z.extend(requestRef(), { kind: z.enum(NOTICE_KINDS), when: z.optional(z.string()), notice: z.optional(noticeInput()) }));
const FailureInput = lazy(() => z.extend(requestRef(), { workflow: z.enum(['intake', 'callback', 'notice']), failed: failed() }));
const EnqueueInput = lazy(() => z.extend(requestRef(), { taskToken: z.string().check(z.minLength(1)) }));
const GiveUpInput = lazy(() => z.object({ key: z.string().check(z.minLength(1)), failed: failed() }));

/** What inspectUpload (attachment-check.ts) found in storage. */
const UploadFacts = lazy(() =>
  z.object({
    facts: z.union([
      z.object({ key: z.string().check(z.minLength(1)), found: z.literal(false) }),
      z.object({
        key: z.string().check(z.minLength(1)),
        found: z.literal(true),
        size: z.number().check(z.int(), z.minimum(0)),
        kind: z.enum([...ATTACHMENT_TYPES, 'unknown']),
      }),
    ]),
  }),
);

export const handler = taskHandler({
  deliverCode: async (input) => {
    const { purpose, subject, sealedCode } = parse(DeliverCodeInput, input);
    return deliverCode(deps, purpose, subject, sealedCode, codeText);
  },
  closeCode: async (input) => {
    const { purpose, subject } = parse(CodeRef, input);
    return closeCode(deps, purpose, subject);
  },
  verifyIdentity: async (input) => verifyIdentity(deps, parse(RequestRef, input).requestId),
  markNeedsInfo: async (input) => {
    const { requestId, problems } = parse(NeedsInfoInput, input);
    return markNeedsInfo(deps, requestId, problems);
  },
  routeRequest: async (input) => {
    const { requestId, timeZone } = parse(RouteInput, input);
    return routeRequest(deps, requestId, timeZone);
  },
  sendNotice: async (input) => {
    const { requestId, kind, when, notice } = parse(NoticeTaskInput, input);
    const { ref, reason, to } = notice ?? {};
    return sendNotice(deps, requestId, kind, when, { ...(ref !== undefined ? { ref } : {}), ...(reason !== undefined ? { reason } : {}), ...(to !== undefined ? { to } : {}) });
  },
  scheduleCallback: async (input) => scheduleCallback(deps, parse(RequestRef, input).requestId),
  resumeCallback: async (input) => resumeCallback(deps, parse(RequestRef, input).requestId),
  recordFailure: async (input) => {
    const { requestId, workflow, failed } = parse(FailureInput, input);
    return recordWorkflowFailure(deps, requestId, workflow, failed);
  },
  enqueueDue: async (input) => {
    const { requestId, taskToken } = parse(EnqueueInput, input);
    return enqueueDue(deps, requestId, taskToken);
  },
  recordLostOutcome: async (input) => recordLostOutcome(deps, parse(RequestRef, input).requestId),
  markMissed: async (input) => markMissed(deps, parse(RequestRef, input).requestId),
  settleAttachment: async (input) => settleUpload(deps, parse(UploadFacts, input).facts),
  giveUpAttachmentCheck: async (input) => {
    const { key, failed } = parse(GiveUpInput, input);
    return giveUpCheck(deps, key, failed);
  },
});
