import * as z from 'zod/mini';
import { ATTACHMENT_STATUSES, ATTACHMENT_TYPES } from '#core/attachments/model';
import { CALL_OUTCOMES } from '#core/callbacks/model';
import { CONTACT_CHANNELS } from '#core/contacts/centre';
import { NOTIFICATION_KINDS } from '#core/notices/notifications';
import { CHANNELS, RELATED_KINDS, REQUEST_TYPES, STATUSES } from '#core/requests/model';
import { CalendarDateSchema, ClockRangeSchema, TimeZoneSchema, WeekHoursSchema, isoDateTime, named } from './schemas.ts';

/**
 * The shape of every success body the API sends, as zod schemas: the OpenAPI document is generated
 * from them (openapi.ts), and test/support/response-contract.ts checks real answers against them.
 * Every object is closed (strictObject): a property a handler adds without declaring it here fails
 * that check, and the document says `additionalProperties: false`, so a generated client knows
 * every field. Error bodies are in problem-schemas.ts.
 */

const int = () => z.number().check(z.int());
const count = () => z.number().check(z.int(), z.minimum(0));
/** A phone shown back to a citizen: `+7` and asterisks but for the last two digits. */
const maskedPhone = z.string().check(z.regex(/^\+7\*{8}\d{2}$/));
const window = () => z.strictObject({ from: isoDateTime(), to: isoDateTime() });

const summaryShape = {
  id: z.string(),
  number: z.string(),
  channel: z.enum(CHANNELS),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(STATUSES),
  createdAt: isoDateTime(),
  updatedAt: isoDateTime(),
  /** A callback's booked slot, once `scheduled`. */
  scheduledAt: z.optional(isoDateTime()),
};

export const RequestSummarySchema = named(z.strictObject(summaryShape), 'RequestSummary');
export const RequestListSchema = named(z.strictObject({ items: z.array(RequestSummarySchema), nextCursor: z.optional(z.string()) }), 'RequestList');

export const AcceptedRequestSchema = named(
  z.strictObject({ id: z.string(), number: z.string(), channel: summaryShape.channel, type: summaryShape.type, status: z.literal('received'), createdAt: isoDateTime() }),
  'AcceptedRequest',
);

export const CallViewSchema = named(
  z.strictObject({
    id: z.string(),
    at: isoDateTime(),
    direction: z.enum(['outbound', 'inbound']),
    operatorId: z.string(),
    waitSeconds: count(),
    durationSeconds: count(),
    outcome: z.enum(CALL_OUTCOMES),
    confirmed: z.boolean(),
    /** The wait exceeded 10 minutes and no claim was filed yet: `POST /v1/calls/{callId}/claim` may be used. */
    claimEligible: z.boolean(),
    requestId: z.optional(z.string()),
  }),
  'Call',
);
export const CallListSchema = named(z.strictObject({ items: z.array(CallViewSchema) }), 'CallList');

export const CommentViewSchema = named(z.strictObject({ id: z.string(), at: isoDateTime(), author: z.enum(['citizen', 'operator']), text: z.string() }), 'Comment');

export const AttachmentViewSchema = named(
  z.strictObject({ id: z.string(), fileName: z.string(), contentType: z.enum(ATTACHMENT_TYPES), size: int(), status: z.enum(ATTACHMENT_STATUSES) }),
  'Attachment',
);
export const AttachmentUploadSchema = named(
  z.strictObject({
    id: z.string(),
    status: z.literal('pending'),
    /** PUT the file to `url` with exactly these headers (and a Content-Length equal to the declared size). */
    upload: z.strictObject({ url: z.string(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()) }),
    expiresAt: isoDateTime(),
  }),
  'AttachmentUpload',
);
export const AttachmentDownloadSchema = named(z.strictObject({ url: z.string(), expiresAt: isoDateTime() }), 'AttachmentDownload');
export const AttachmentListSchema = named(z.strictObject({ items: z.array(AttachmentViewSchema) }), 'AttachmentList');

/** The written section as submitted, phones masked. */
export const WrittenSectionViewSchema = named(
  z.strictObject({
    topic: z.string(),
    text: z.string(),
    attempts: z.array(z.strictObject({ at: isoDateTime(), phone: z.optional(maskedPhone), error: z.optional(z.string()) })),
    contactPhone: z.optional(z.strictObject({ phone: maskedPhone, extension: z.optional(z.string()) })),
    desiredOutcome: z.optional(z.string()),
  }),
  'WrittenSectionView',
);
/** The callback section as submitted, the phone masked (the extension kept). */
export const CallbackSectionViewSchema = named(
  z.strictObject({
    phone: maskedPhone,
    extension: z.optional(z.string()),
    description: z.string(),
    note: z.optional(z.string()),
    preferredWindow: z.optional(window()),
  }),
  'CallbackSectionView',
);

const detailShape = {
  ...summaryShape,
  relatedNumber: z.optional(z.string()),
  relatedKind: z.optional(z.enum(RELATED_KINDS)),
  /** null until the request is routed. */
  route: z.nullable(z.strictObject({ queue: z.string(), line: z.string() })),
  questions: z.array(z.string()),
  problems: z.array(z.strictObject({ field: z.enum(['fullName', 'snils', 'passport', 'phone', 'profile']), code: z.enum(['mismatch', 'not_found']) })),
  dueBy: z.optional(isoDateTime()),
  answer: z.optional(z.strictObject({ text: z.string(), at: isoDateTime() })),
  /** A complaint filed from a call (`POST /v1/calls/{callId}/claim`) names that call and its measured wait. */
  claimOf: z.optional(z.strictObject({ callId: z.string(), queuedAt: isoDateTime(), answeredAt: z.optional(isoDateTime()), waitSeconds: count() })),
  timeline: z.array(z.strictObject({ at: isoDateTime(), event: z.string(), detail: z.optional(z.string()) })),
  comments: z.array(CommentViewSchema),
  calls: z.array(CallViewSchema),
  attachments: z.array(AttachmentViewSchema),
};

export const WrittenRequestDetailSchema = named(
  z.strictObject({ ...detailShape, channel: z.literal('written'), written: WrittenSectionViewSchema }),
  'WrittenRequestDetail',
);
export const CallbackRequestDetailSchema = named(
  z.strictObject({ ...detailShape, channel: z.literal('callback'), callback: CallbackSectionViewSchema }),
  'CallbackRequestDetail',
);
/** A request with its history; which section it carries follows `channel`. */
export const RequestDetailSchema = named(z.discriminatedUnion('channel', [WrittenRequestDetailSchema, CallbackRequestDetailSchema]), 'RequestDetail');

export const CancelledSchema = named(z.strictObject({ status: z.literal('cancelled') }), 'Cancelled');
export const AnsweredSchema = named(
  z.strictObject({ id: z.string(), number: z.string(), status: z.literal('answered'), answer: z.strictObject({ text: z.string(), at: isoDateTime() }) }),
  'Answered',
);
export const RecordedCallSchema = named(z.strictObject({ id: z.string(), waitSeconds: count(), durationSeconds: count() }), 'RecordedCall');
export const TakenSchema = named(z.strictObject({ id: z.string(), status: z.literal('in_progress'), assignedTo: z.string() }), 'Taken');

export const SlotListSchema = named(
  z.strictObject({
    slotMinutes: int(),
    items: z.array(
      z.strictObject({
        start: isoDateTime(),
        end: isoDateTime(),
        remaining: count(),
        /** Only with `?timeZone=`: the start on the citizen's clock, with the zone's offset. */
        localStart: z.optional(isoDateTime()),
      }),
    ),
  }),
  'CallbackSlots',
);

export const OperatorQueueSchema = named(
  z.strictObject({
    items: z.array(
      z.strictObject({
        requestId: z.string(),
        number: z.string(),
        queue: z.string(),
        type: z.enum(REQUEST_TYPES),
        /** When the call is due: the booked slot, or the retry time. */
        dueAt: isoDateTime(),
        createdAt: isoDateTime(),
        attempt: int(),
        /** The full number to call (E.164): operators call back. */
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

export const ContactsSchema = named(
  z.strictObject({
    channels: z.array(z.strictObject({ channel: z.enum(CONTACT_CHANNELS), hours: z.string() })),
    lines: z.array(z.strictObject({ type: z.enum(REQUEST_TYPES), phone: z.string().check(z.regex(/^8\d{10}$/)), display: z.string(), hours: z.string() })),
    queues: z.array(
      z.strictObject({
        queue: z.string(),
        waiting: count(),
        estimatedWaitMinutes: z.number().check(z.minimum(0)),
        peakNow: z.boolean(),
        recommendedWindows: z.array(window()),
      }),
    ),
  }),
  'Contacts',
);

export const ProfileViewSchema = named(
  z.strictObject({
    userId: z.string(),
    fullName: z.string(),
    snilsLast2: z.string().check(z.regex(/^\d{2}$/)),
    passportLast2: z.string().check(z.regex(/^\d{2}$/)),
    phone: maskedPhone,
    registrationAddress: z.optional(z.string()),
    region: z.string().check(z.regex(/^\d{2}$/)),
    timeZone: TimeZoneSchema(),
    updatedAt: isoDateTime(),
  }),
  'ProfileView',
);

export const CodeSentSchema = named(z.strictObject({ expiresAt: isoDateTime(), resendAvailableAt: isoDateTime() }), 'CodeSent');
export const ConfirmedSchema = named(z.strictObject({ confirmed: z.literal(true), transcriptUrl: z.string() }), 'CallConfirmed');
export const PhoneChangedSchema = named(z.strictObject({ phone: maskedPhone }), 'PhoneChanged');

/**
 * `GET /v1/openapi.json` answers this very document: its top level is listed; what lies below is
 * the OpenAPI 3.1 specification's own schema, not repeated here.
 */
export const OpenApiDocumentSchema = named(
  z.strictObject({
    openapi: z.literal('3.1.0'),
    info: z.record(z.string(), z.unknown()),
    servers: z.array(z.record(z.string(), z.unknown())),
    security: z.array(z.record(z.string(), z.array(z.string()))),
    tags: z.optional(z.array(z.record(z.string(), z.unknown()))),
    paths: z.record(z.string(), z.record(z.string(), z.unknown())),
    components: z.record(z.string(), z.record(z.string(), z.unknown())),
  }),
  'OpenApiDocument',
);

/** The centre's calendar as stored (GET and every change of /v1/admin/calendar answer it whole). */
export const CalendarSchema = named(
  z.strictObject({
    queues: z.array(z.strictObject({ queue: z.string(), hours: WeekHoursSchema(), slotMinutes: int(), capacityPerSlot: int() })),
    holidays: z.array(CalendarDateSchema()),
    overrides: z.array(
      z.strictObject({ queue: z.string(), date: CalendarDateSchema(), hours: z.optional(z.array(ClockRangeSchema())), capacityPerSlot: z.optional(int()) }),
    ),
    leadMinutes: int(),
    horizonDays: int(),
  }),
  'Calendar',
);

// The operator's workspace, 59-FZ and notifications.
export const InboxSchema = named(
  z.strictObject({
    items: z.array(
      z.strictObject({
        id: z.string(),
        number: z.string(),
        type: z.enum(REQUEST_TYPES),
        status: z.enum(['registered', 'in_progress']),
        topic: z.string(),
        createdAt: isoDateTime(),
        dueBy: isoDateTime(),
        overdue: z.boolean(),
        assignedTo: z.optional(z.string()),
        attachmentsCount: count(),
        lastCommentAt: z.optional(isoDateTime()),
        lastCommentBy: z.optional(z.enum(['citizen', 'operator'])),
      }),
    ),
    nextCursor: z.optional(z.string()),
  }),
  'OperatorInbox',
);

/** A phone as an operator sees it: in full, to call back. */
const fullPhone = z.string().check(z.regex(/^\+7\d{10}$/));
const operatorShape = {
  assignedTo: z.optional(z.string()),
  /** The deadline in force once extended (`dueBy` shows it too). */
  extendedTo: z.optional(isoDateTime()),
  overdue: z.boolean(),
  citizen: z.strictObject({
    userId: z.string(),
    fullName: z.string(),
    phone: z.string(),
    region: z.optional(z.string()),
    timeZone: z.string(),
    snilsLast2: z.string(),
    passportLast2: z.string(),
  }),
};
export const OperatorWrittenRequestSchema = named(
  z.strictObject({
    ...detailShape,
    ...operatorShape,
    channel: z.literal('written'),
    written: z.strictObject({
      topic: z.string(),
      text: z.string(),
      attempts: z.array(z.strictObject({ at: isoDateTime(), phone: z.optional(z.string()), error: z.optional(z.string()) })),
      contactPhone: z.optional(z.strictObject({ phone: fullPhone, extension: z.optional(z.string()) })),
      desiredOutcome: z.optional(z.string()),
    }),
  }),
  'OperatorWrittenRequest',
);
export const OperatorCallbackRequestSchema = named(
  z.strictObject({
    ...detailShape,
    ...operatorShape,
    channel: z.literal('callback'),
    callback: z.strictObject({
      phone: fullPhone,
      extension: z.optional(z.string()),
      description: z.string(),
      note: z.optional(z.string()),
      preferredWindow: z.optional(window()),
    }),
  }),
  'OperatorCallbackRequest',
);
/** The citizen's view of a request with its phones in full, plus who holds it and the citizen. */
export const OperatorRequestSchema = named(z.discriminatedUnion('channel', [OperatorWrittenRequestSchema, OperatorCallbackRequestSchema]), 'OperatorRequest');

export const ExtendedSchema = named(z.strictObject({ id: z.string(), dueBy: isoDateTime() }), 'Extended');
export const ForwardedSchema = named(z.strictObject({ id: z.string(), status: z.literal('forwarded') }), 'Forwarded');
export const ReleasedSchema = named(z.strictObject({ id: z.string(), status: z.enum(['registered', 'scheduled']) }), 'Released');

export const SearchResultsSchema = named(
  z.strictObject({
    requests: z.array(
      z.strictObject({
        id: z.string(),
        number: z.string(),
        channel: z.enum(CHANNELS),
        type: z.enum(REQUEST_TYPES),
        status: z.enum(STATUSES),
        queue: z.string(),
        createdAt: isoDateTime(),
        dueBy: z.optional(isoDateTime()),
        assignedTo: z.optional(z.string()),
      }),
    ),
    calls: z.array(
      z.strictObject({
        id: z.string(),
        requestId: z.optional(z.string()),
        queue: z.optional(z.string()),
        direction: z.enum(['outbound', 'inbound']),
        phone: z.string(),
        operatorId: z.string(),
        queuedAt: isoDateTime(),
        answeredAt: z.optional(isoDateTime()),
        endedAt: isoDateTime(),
        outcome: z.enum(CALL_OUTCOMES),
      }),
    ),
  }),
  'SearchResults',
);

export const NotificationViewSchema = named(
  z.strictObject({
    id: z.string(),
    at: isoDateTime(),
    kind: z.enum(NOTIFICATION_KINDS),
    requestId: z.optional(z.string()),
    callId: z.optional(z.string()),
    text: z.string(),
    read: z.boolean(),
  }),
  'Notification',
);
export const NotificationListSchema = named(
  z.strictObject({ items: z.array(NotificationViewSchema), unread: count(), nextCursor: z.optional(z.string()) }),
  'NotificationList',
);
export const AllReadSchema = named(z.strictObject({ marked: count(), unread: count() }), 'AllRead');
