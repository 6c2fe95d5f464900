import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { CreateRequestInput } from '#core/requests/create-request';
import type { IdentityInput } from '#core/identity/identity';
import { ATTACHMENT_STATUSES, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_FILE_NAME_LENGTH, MIN_ATTACHMENT_BYTES } from '#core/attachments/model';
import { CALL_OUTCOMES } from '#core/callbacks/model';
import { CHANNELS, RELATED_KINDS, REQUEST_TYPES, STATUSES } from '#core/requests/model';
import { RUSSIAN_TIME_ZONES } from '#core/regions/regions';
import { maskText } from '#core/identity/mask-text';
import { NOTIFICATION_KINDS } from '#core/notices/notifications';

/**
 * The zod schemas that validate every body, parameter and response shape; the OpenAPI document
 * is generated from these very objects (openapi.ts). Shapes only: the domain rules (check digits,
 * phone rules, dates) live in the core and report their own codes.
 *
 * zod/mini (functional API), not classic zod: classic cannot be tree-shaken and costs ~70 KB
 * more per Lambda bundle. Named schemas are registered in `z.globalRegistry` (what classic's
 * `.meta({ id })` did), which is where openapi.ts finds its components.
 */

// Classic zod installs English messages on its own; zod/mini would say "Invalid input" for
// everything. The messages reach clients (`errors[].message`), so they stay the same. `en` is
// imported by name: `z.locales.en` would put every locale (~200 KB) in the bundle.
if (!z.config().localeError) z.config(en());

/** Registers a component id for the OpenAPI document (classic zod: `.meta({ id })`). */
function named<S extends z.ZodMiniType>(schema: S, id: string): S {
  z.globalRegistry.add(schema, { id });
  return schema;
}

const isoDateTime = z.iso.datetime({ offset: true });
const phoneText = z.string().check(z.minLength(1), z.maxLength(64));
const text = (max: number) => z.string().check(z.maxLength(max));
const nonEmpty = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const int = () => z.number().check(z.int());
/**
 * Free text, masked as it is parsed (trimmed ones: trimmed first, then measured, as classic's
 * `.trim().min(1).max(n)`) (maskText: SNILS and passport numbers), so that the use-cases,
 * the table, the logs, the responses and the PDFs only ever see the masked form. Measured before
 * masking: the limit is what the client may send (a mask is at most 3 characters longer than the
 * number it replaces).
 */
const freeText = (max: number) => z.string().check(z.maxLength(max), z.overwrite(maskText));
const nonEmptyFreeText = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.overwrite(maskText));
const trimmedFreeText = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max), z.overwrite(maskText));
const pageLimit = () => z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)));

/** An IANA time zone of Russia, exactly as the tz database spells it (functions/core/regions/regions.ts). */
export const TimeZoneSchema = z.enum(RUSSIAN_TIME_ZONES);

export const PassportSchema = z.strictObject({
  series: text(16),
  number: text(16),
  issuedOn: text(32),
});

export const IdentitySchema = z.strictObject({
  fullName: nonEmpty(200),
  snils: nonEmpty(32),
  passport: PassportSchema,
  registrationAddress: z.optional(nonEmpty(500)),
  phone: phoneText,
}) satisfies z.ZodMiniType<IdentityInput>;

export const CreateRequestSchema = named(
  z
    .strictObject({
      channel: z.enum(CHANNELS),
      type: z.enum(REQUEST_TYPES),
      identity: IdentitySchema,
      relatedNumber: z.optional(nonEmpty(64)),
      relatedKind: z.optional(z.enum(RELATED_KINDS)),
      written: z.optional(
        z.strictObject({
          topic: nonEmptyFreeText(200),
          text: nonEmptyFreeText(10000),
          contactPhone: z.optional(phoneText),
          attempts: z.optional(
            z.array(z.strictObject({ at: isoDateTime, phone: z.optional(phoneText), error: z.optional(freeText(1000)) })).check(z.maxLength(20)),
          ),
          desiredOutcome: z.optional(freeText(2000)),
        }),
      ),
      callback: z.optional(
        z.strictObject({
          phone: phoneText,
          description: nonEmptyFreeText(1000),
          note: z.optional(freeText(1000)),
          preferredWindow: z.optional(z.strictObject({ from: isoDateTime, to: isoDateTime })),
        }),
      ),
    })
    // An INN is checked (its own check digits) and kept as typed; any other related number is free text.
    .check(z.overwrite((v) => (v.relatedNumber === undefined || v.relatedKind === 'inn' ? v : { ...v, relatedNumber: maskText(v.relatedNumber) }))),
  'CreateRequest',
) satisfies z.ZodMiniType<CreateRequestInput>;

/**
 * The identity plus where the citizen lives: `region` (the subject's two-digit code; the core
 * checks it is one, default 77) and `timeZone` (a zone of Russia that the region spans; default
 * the region's main zone). CreateRequest keeps the identity inline.
 */
export const ProfileSchema = named(
  z.extend(IdentitySchema, { region: z.optional(z.string().check(z.regex(/^\d{2}$/))), timeZone: z.optional(TimeZoneSchema) }),
  'Profile',
);

export const CommentSchema = named(z.strictObject({ text: trimmedFreeText(5000) }), 'NewComment');
export const AnswerSchema = named(z.strictObject({ text: trimmedFreeText(10000) }), 'Answer');

export const SlotQuerySchema = z.strictObject({
  type: z.optional(text(64)),
  from: z.optional(text(64)),
  to: z.optional(text(64)),
  /** The core checks it is a zone of Russia (`invalid_value`); the document lists them. */
  timeZone: z.optional(TimeZoneSchema),
});
export const QueueParamSchema = z.string().check(z.regex(/^[a-z][a-z0-9-]{0,63}$/));
export const QueueQuerySchema = z.strictObject({ limit: pageLimit() });

export const RecordCallSchema = named(
  z.strictObject({
    requestId: z.optional(nonEmpty(64)),
    direction: z.enum(['outbound', 'inbound']),
    phone: nonEmpty(64),
    queuedAt: isoDateTime,
    answeredAt: z.optional(isoDateTime),
    endedAt: isoDateTime,
    outcome: z.enum(CALL_OUTCOMES),
    transcript: z.optional(
      z.array(z.strictObject({ at: isoDateTime, speaker: z.enum(['operator', 'citizen']), text: nonEmptyFreeText(4000) })).check(z.maxLength(2000)),
    ),
  }),
  'NewCall',
);

export const ListQuerySchema = z.strictObject({
  limit: pageLimit(),
  cursor: z.optional(nonEmpty(512)),
});

export const IdempotencyKeySchema = nonEmpty(255);
export const RequestIdSchema = nonEmpty(64);
export const UserIdSchema = nonEmpty(128);

const CallViewShape = {
  id: z.string(),
  at: isoDateTime,
  direction: z.enum(['outbound', 'inbound']),
  operatorId: z.string(),
  waitSeconds: int(),
  durationSeconds: int(),
  outcome: z.enum(CALL_OUTCOMES),
  confirmed: z.boolean(),
  claimEligible: z.boolean(),
  requestId: z.optional(z.string()),
};

// Attachments.
/**
 * A file name as given (it is stored and shown, never used as a storage key): 1..255 characters,
 * no control characters, well-formed Unicode (no lone surrogate halves), and none of the invisible
 * format characters that make a name read otherwise than it is: the bidi controls (U+061C, U+200E,
 * U+200F, U+202A–U+202E, U+2066–U+2069, which turn "invoice‮fdp.exe" into "invoiceexe.pdf"), the
 * zero-width space and word joiners (U+200B, U+2060–U+2064, U+FEFF), the line and paragraph
 * separators (U+2028, U+2029), the deprecated format controls (U+206A–U+206F) and the interlinear
 * annotation marks (U+FFF9–U+FFFB). ZWNJ and ZWJ (U+200C, U+200D) stay: scripts and emoji need them.
 * A SNILS or passport number in it is masked like any free text.
 */
const fileName = z.string().check(
  z.minLength(1),
  z.maxLength(MAX_FILE_NAME_LENGTH),
  z.regex(/^(?:[^\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/),
  z.overwrite(maskText),
);

export const NewAttachmentSchema = named(
  z.strictObject({
    fileName,
    contentType: z.enum(ATTACHMENT_TYPES),
    size: z.number().check(z.int(), z.minimum(MIN_ATTACHMENT_BYTES), z.maximum(MAX_ATTACHMENT_BYTES)),
  }),
  'NewAttachment',
);
export const AttachmentIdSchema = nonEmpty(64);

export const AttachmentViewSchema = named(
  z.object({ id: z.string(), fileName: z.string(), contentType: z.enum(ATTACHMENT_TYPES), size: int(), status: z.enum(ATTACHMENT_STATUSES) }),
  'Attachment',
);
export const AttachmentUploadSchema = named(
  z.object({
    id: z.string(),
    status: z.literal('pending'),
    upload: z.object({ url: z.string(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()) }),
    expiresAt: isoDateTime,
  }),
  'AttachmentUpload',
);
export const AttachmentDownloadSchema = named(z.object({ url: z.string(), expiresAt: isoDateTime }), 'AttachmentDownload');
export const AttachmentListSchema = named(z.object({ items: z.array(AttachmentViewSchema) }), 'AttachmentList');

export const AcceptedRequestSchema = named(
  z.object({
    id: z.string(),
    number: z.string(),
    channel: z.enum(CHANNELS),
    type: z.enum(REQUEST_TYPES),
    status: z.literal('received'),
    createdAt: isoDateTime,
  }),
  'AcceptedRequest',
);

export const RequestDetailSchema = named(
  z.looseObject({
    id: z.string(),
    number: z.string(),
    channel: z.enum(CHANNELS),
    type: z.enum(REQUEST_TYPES),
    status: z.enum(STATUSES),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    scheduledAt: z.optional(isoDateTime),
    route: z.nullable(z.object({ queue: z.string(), line: z.string() })),
    questions: z.array(z.string()),
    problems: z.array(z.object({ field: z.string(), code: z.enum(['mismatch', 'not_found']) })),
    dueBy: z.optional(isoDateTime),
    answer: z.optional(z.object({ text: z.string(), at: isoDateTime })),
    timeline: z.array(z.object({ at: isoDateTime, event: z.string(), detail: z.optional(z.string()) })),
    comments: z.array(z.object({ id: z.string(), at: isoDateTime, author: z.enum(['citizen', 'operator']), text: z.string() })),
    calls: z.array(z.object(CallViewShape)),
    attachments: z.array(AttachmentViewSchema),
  }),
  'RequestDetail',
);

const SummaryShape = {
  id: z.string(),
  number: z.string(),
  channel: z.enum(CHANNELS),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(STATUSES),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  scheduledAt: z.optional(isoDateTime),
};

export const RequestListSchema = named(z.object({ items: z.array(z.object(SummaryShape)), nextCursor: z.optional(z.string()) }), 'RequestList');

export const CommentViewSchema = named(
  z.object({ id: z.string(), at: isoDateTime, author: z.enum(['citizen', 'operator']), text: z.string() }),
  'Comment',
);

export const CancelledSchema = named(z.object({ status: z.literal('cancelled') }), 'Cancelled');

export const AnsweredSchema = named(
  z.object({ id: z.string(), number: z.string(), status: z.literal('answered'), answer: z.object({ text: z.string(), at: isoDateTime }) }),
  'Answered',
);

export const CallListSchema = named(z.object({ items: z.array(z.object(CallViewShape)) }), 'CallList');
export const RecordedCallSchema = named(z.object({ id: z.string(), waitSeconds: int(), durationSeconds: int() }), 'RecordedCall');
export const SlotListSchema = named(
  z.object({
    slotMinutes: int(),
    items: z.array(
      z.object({
        start: isoDateTime,
        end: isoDateTime,
        remaining: int(),
        /** Only with `?timeZone=`: the start on the citizen's clock, with the zone's offset. */
        localStart: z.optional(isoDateTime),
      }),
    ),
  }),
  'CallbackSlots',
);
export const QueueListSchema = named(
  z.object({
    items: z.array(
      z.object({
        requestId: z.string(),
        number: z.string(),
        queue: z.string(),
        type: z.enum(REQUEST_TYPES),
        dueAt: isoDateTime,
        createdAt: isoDateTime,
        attempt: int(),
        phone: z.string(),
        extension: z.optional(z.string()),
        description: z.string(),
        note: z.optional(z.string()),
        questions: z.array(z.string()),
      }),
    ),
  }),
  'OperatorQueue',
);
export const TakenSchema = named(z.object({ id: z.string(), status: z.literal('in_progress'), assignedTo: z.string() }), 'Taken');

export const ContactsSchema = named(
  z.object({
    channels: z.array(z.object({ channel: z.string(), hours: z.string() })),
    lines: z.array(z.object({ type: z.enum(REQUEST_TYPES), phone: z.string(), display: z.string(), hours: z.string() })),
    queues: z.array(
      z.object({
        queue: z.string(),
        waiting: int(),
        estimatedWaitMinutes: z.number(),
        peakNow: z.boolean(),
        recommendedWindows: z.array(z.object({ from: isoDateTime, to: isoDateTime })),
      }),
    ),
  }),
  'Contacts',
);

export const ProfileViewSchema = named(
  z.object({
    userId: z.string(),
    fullName: z.string(),
    snilsLast2: z.string(),
    passportLast2: z.string(),
    phone: z.string(),
    registrationAddress: z.optional(z.string()),
    region: z.string(),
    timeZone: TimeZoneSchema,
    updatedAt: isoDateTime,
  }),
  'ProfileView',
);

export const ProblemSchema = named(
  z.looseObject({
    type: z.string(),
    title: z.string(),
    status: int(),
    code: z.string(),
    detail: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.string(), code: z.string(), message: z.string() }))),
  }),
  'Problem',
);

// Calls: confirmation codes, claims, the profile phone.
export const CallIdSchema = z.string().check(z.minLength(1), z.maxLength(64));
export const CodeSchema = named(z.strictObject({ code: z.string().check(z.regex(/^\d{6}$/)) }), 'ConfirmationCode');
export const ClaimSchema = named(z.strictObject({ text: trimmedFreeText(5000) }), 'NewClaim');
export const PhoneChangeSchema = named(z.strictObject({ phone: phoneText }), 'PhoneChange');
export const CodeSentSchema = named(z.object({ expiresAt: isoDateTime, resendAvailableAt: isoDateTime }), 'CodeSent');
export const ConfirmedSchema = named(z.object({ confirmed: z.literal(true), transcriptUrl: z.string() }), 'CallConfirmed');
export const PhoneChangedSchema = named(z.object({ phone: z.string() }), 'PhoneChanged');

// The operator's workspace, 59-FZ and notifications.
export const InboxQuerySchema = z.strictObject({ limit: pageLimit(), cursor: z.optional(nonEmpty(512)) });

export const InboxSchema = named(
  z.object({
    items: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        type: z.enum(REQUEST_TYPES),
        status: z.enum(['registered', 'in_progress']),
        topic: z.string(),
        createdAt: isoDateTime,
        dueBy: isoDateTime,
        overdue: z.boolean(),
        assignedTo: z.optional(z.string()),
        attachmentsCount: int(),
        lastCommentAt: z.optional(isoDateTime),
        lastCommentBy: z.optional(z.enum(['citizen', 'operator'])),
      }),
    ),
    nextCursor: z.optional(z.string()),
  }),
  'OperatorInbox',
);

export const OperatorRequestSchema = named(
  z.looseObject({
    ...RequestDetailSchema.def.shape,
    assignedTo: z.optional(z.string()),
    extendedTo: z.optional(isoDateTime),
    overdue: z.boolean(),
    citizen: z.object({
      userId: z.string(),
      fullName: z.string(),
      phone: z.string(),
      region: z.optional(z.string()),
      timeZone: z.string(),
      snilsLast2: z.string(),
      passportLast2: z.string(),
    }),
  }),
  'OperatorRequest',
);

export const ExtendSchema = named(z.strictObject({ days: z.number().check(z.int(), z.minimum(1), z.maximum(30)), reason: trimmedFreeText(1000) }), 'Extension');
export const ExtendedSchema = named(z.object({ id: z.string(), dueBy: isoDateTime }), 'Extended');
export const ForwardSchema = named(z.strictObject({ to: trimmedFreeText(300), reason: trimmedFreeText(1000) }), 'Forwarding');
export const ForwardedSchema = named(z.object({ id: z.string(), status: z.literal('forwarded') }), 'Forwarded');
export const ReleasedSchema = named(z.object({ id: z.string(), status: z.enum(['registered', 'scheduled']) }), 'Released');

/** Exactly one way to search: `number`, `phone`, or `callAt` (optionally with `phone`); the core says which is missing. */
export const SearchQuerySchema = z.strictObject({
  number: z.optional(nonEmpty(32)),
  phone: z.optional(phoneText),
  callAt: z.optional(isoDateTime),
});

export const SearchResultsSchema = named(
  z.object({
    requests: z.array(
      z.object({
        id: z.string(),
        number: z.string(),
        channel: z.enum(CHANNELS),
        type: z.enum(REQUEST_TYPES),
        status: z.enum(STATUSES),
        queue: z.string(),
        createdAt: isoDateTime,
        dueBy: z.optional(isoDateTime),
        assignedTo: z.optional(z.string()),
      }),
    ),
    calls: z.array(
      z.object({
        id: z.string(),
        requestId: z.optional(z.string()),
        queue: z.optional(z.string()),
        direction: z.enum(['outbound', 'inbound']),
        phone: z.string(),
        operatorId: z.string(),
        queuedAt: isoDateTime,
        answeredAt: z.optional(isoDateTime),
        endedAt: isoDateTime,
        outcome: z.enum(CALL_OUTCOMES),
      }),
    ),
  }),
  'SearchResults',
);

/** Ids are `<request id>-<kind>[-<comment id>]`, 61 characters at most; over 64 is 400, as for every id. */
export const NotificationIdSchema = nonEmpty(64);
export const NotificationQuerySchema = z.strictObject({ limit: pageLimit(), cursor: z.optional(nonEmpty(512)) });
export const NotificationViewSchema = named(
  z.object({
    id: z.string(),
    at: isoDateTime,
    kind: z.enum(NOTIFICATION_KINDS),
    requestId: z.optional(z.string()),
    callId: z.optional(z.string()),
    text: z.string(),
    read: z.boolean(),
  }),
  'Notification',
);
export const NotificationListSchema = named(
  z.object({ items: z.array(NotificationViewSchema), unread: int(), nextCursor: z.optional(z.string()) }),
  'NotificationList',
);
export const AllReadSchema = named(z.object({ marked: int(), unread: int() }), 'AllRead');
