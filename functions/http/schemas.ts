import { en } from 'zod/locales';
import * as z from 'zod/mini';
import type { CreateRequestInput } from '#core/requests/create-request';
import type { IdentityInput } from '#core/identity/identity';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_FILE_NAME_LENGTH, MIN_ATTACHMENT_BYTES } from '#core/attachments/model';
import { CALL_OUTCOMES } from '#core/callbacks/model';
import { RELATED_KINDS, REQUEST_TYPES } from '#core/requests/model';
import { RUSSIAN_TIME_ZONES } from '#core/regions/regions';
import { maskText } from '#core/identity/mask-text';
import { type Lazy, lazy } from '#functions/lazy';

/**
 * The zod schemas that validate every body, parameter and response shape; the OpenAPI document
 * is generated from these very objects (openapi.ts). Shapes only: the domain rules (check digits,
 * phone rules, dates) live in the core and report their own codes.
 *
 * zod/mini (functional API), not classic zod: classic cannot be tree-shaken and costs ~70 KB
 * more per Lambda bundle. Named schemas are registered in `z.globalRegistry` (what classic's
 * `.meta({ id })` did), which is where openapi.ts finds its components.
 *
 * Each exported schema is built on its first use (`lazy`): call it to get the schema (`parseWith`
 * takes it uncalled). A function's cold import then builds none, and a call builds only its route's.
 */

// Classic zod installs English messages on its own; zod/mini would say "Invalid input" for
// everything. The messages reach clients (`errors[].message`), so they stay the same. `en` is
// imported by name: `z.locales.en` would put every locale (~200 KB) in the bundle.
if (!z.config().localeError) z.config(en());

/** Registers a component id for the OpenAPI document (classic zod: `.meta({ id })`). */
export function named<S extends z.ZodMiniType>(schema: S, id: string): S {
  z.globalRegistry.add(schema, { id });
  return schema;
}

export const isoDateTime = lazy(() => z.iso.datetime({ offset: true }));
const phoneText = lazy(() => z.string().check(z.minLength(1), z.maxLength(64)));
const text = (max: number) => z.string().check(z.maxLength(max));
const nonEmpty = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
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
const int = () => z.number().check(z.int());
const pageLimit = () => z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)));

/** An IANA time zone of Russia, exactly as the tz database spells it (functions/core/regions/regions.ts). */
export const TimeZoneSchema = lazy(() => z.enum(RUSSIAN_TIME_ZONES));

export const PassportSchema = lazy(() => z.strictObject({
  series: text(16),
  number: text(16),
  issuedOn: text(32),
}));

export const IdentitySchema = lazy(() => z.strictObject({
  fullName: nonEmpty(200),
  snils: nonEmpty(32),
  passport: PassportSchema(),
  registrationAddress: z.optional(nonEmpty(500)),
  phone: phoneText(),
})) satisfies Lazy<z.ZodMiniType<IdentityInput>>;

/** The common part of both channels' requests. */
const createShape = () => ({
  type: z.enum(REQUEST_TYPES),
  identity: IdentitySchema(),
  relatedNumber: z.optional(nonEmpty(64)),
  relatedKind: z.optional(z.enum(RELATED_KINDS)),
});

export const WrittenSectionSchema = lazy(() => named(
  z.strictObject({
    topic: nonEmptyFreeText(200),
    text: nonEmptyFreeText(10000),
    contactPhone: z.optional(phoneText()),
    attempts: z.optional(
      z.array(z.strictObject({ at: isoDateTime(), phone: z.optional(phoneText()), error: z.optional(freeText(1000)) })).check(z.maxLength(20)),
    ),
    desiredOutcome: z.optional(freeText(2000)),
  }),
  'WrittenSection',
));

export const CallbackSectionSchema = lazy(() => named(
  z.strictObject({
    phone: phoneText(),
    description: nonEmptyFreeText(1000),
    note: z.optional(freeText(1000)),
    preferredWindow: z.optional(z.strictObject({ from: isoDateTime(), to: isoDateTime() })),
  }),
  'CallbackSection',
));

/**
 * A union on `channel`: each channel takes its own section and refuses the other's (`unexpected`),
 * so the document and a generated client know which section goes with which channel. An unknown
 * or missing `channel` is reported on `channel` (validate.ts).
 */
export const CreateRequestSchema = lazy(() => named(
  z
    .discriminatedUnion('channel', [
      named(z.strictObject({ channel: z.literal('written'), ...createShape(), written: WrittenSectionSchema() }), 'CreateWrittenRequest'),
      named(z.strictObject({ channel: z.literal('callback'), ...createShape(), callback: CallbackSectionSchema() }), 'CreateCallbackRequest'),
    ])
    // An INN is checked (its own check digits) and kept as typed; any other related number is free text.
    .check(z.overwrite((v) => (v.relatedNumber === undefined || v.relatedKind === 'inn' ? v : { ...v, relatedNumber: maskText(v.relatedNumber) }))),
  'CreateRequest',
)) satisfies Lazy<z.ZodMiniType<CreateRequestInput>>;

/**
 * The identity plus where the citizen lives: `region` (the subject's two-digit code; the core
 * checks it is one, default 77) and `timeZone` (a zone of Russia that the region spans; default
 * the region's main zone). CreateRequest keeps the identity inline.
 */
export const ProfileSchema = lazy(() => named(
  z.extend(IdentitySchema(), { region: z.optional(z.string().check(z.regex(/^\d{2}$/))), timeZone: z.optional(TimeZoneSchema()) }),
  'Profile',
));

export const CommentSchema = lazy(() => named(z.strictObject({ text: trimmedFreeText(5000) }), 'NewComment'));
export const AnswerSchema = lazy(() => named(z.strictObject({ text: trimmedFreeText(10000) }), 'Answer'));

/** The core then checks the window itself (future, ordered, within the horizon: `window_invalid`). */
export const SlotQuerySchema = lazy(() => z.strictObject({
  type: z.enum(REQUEST_TYPES),
  from: z.optional(isoDateTime()),
  to: z.optional(isoDateTime()),
  /** The core checks it is a zone of Russia (`invalid_value`); the document lists them. */
  timeZone: z.optional(TimeZoneSchema()),
}));
export const QueueParamSchema = lazy(() => z.string().check(z.regex(/^[a-z][a-z0-9-]{0,63}$/)));

// The centre's calendar (admin). Shapes and the HH:MM form here; order, overlap and "at least one
// slot" are the core's rules (hoursProblems), which report their own codes.
export const CalendarDateSchema = lazy(() => z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)));
const clockText = lazy(() => z.string().check(z.regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/)));
export const ClockRangeSchema = lazy(() => named(z.strictObject({ from: clockText(), to: clockText() }), 'ClockRange'));
const dayRanges = () => z.array(ClockRangeSchema()).check(z.maxLength(8));
export const WeekHoursSchema = lazy(() => named(
  z.strictObject({
    1: z.optional(dayRanges()),
    2: z.optional(dayRanges()),
    3: z.optional(dayRanges()),
    4: z.optional(dayRanges()),
    5: z.optional(dayRanges()),
    6: z.optional(dayRanges()),
    7: z.optional(dayRanges()),
  }),
  'WeekHours',
));
const capacity = () => int().check(z.minimum(1), z.maximum(1000));
export const QueueCalendarSchema = lazy(() => named(
  z.strictObject({ hours: WeekHoursSchema(), slotMinutes: int().check(z.minimum(5), z.maximum(240)), capacityPerSlot: capacity() }),
  'QueueCalendar',
));
export const DayOverrideSchema = lazy(() => named(z.strictObject({ hours: z.optional(dayRanges()), capacityPerSlot: z.optional(capacity()) }), 'DayOverride'));
export const QueueQuerySchema = lazy(() => z.strictObject({ limit: pageLimit() }));

export const RecordCallSchema = lazy(() => named(
  z.strictObject({
    requestId: z.optional(nonEmpty(64)),
    direction: z.enum(['outbound', 'inbound']),
    phone: nonEmpty(64),
    queuedAt: isoDateTime(),
    answeredAt: z.optional(isoDateTime()),
    endedAt: isoDateTime(),
    outcome: z.enum(CALL_OUTCOMES),
    transcript: z.optional(
      z.array(z.strictObject({ at: isoDateTime(), speaker: z.enum(['operator', 'citizen']), text: nonEmptyFreeText(4000) })).check(z.maxLength(2000)),
    ),
  }),
  'NewCall',
));

export const ListQuerySchema = lazy(() => z.strictObject({
  limit: pageLimit(),
  cursor: z.optional(nonEmpty(512)),
}));

export const IdempotencyKeySchema = lazy(() => nonEmpty(255));
export const RequestIdSchema = lazy(() => nonEmpty(64));
export const UserIdSchema = lazy(() => nonEmpty(128));

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
const fileName = lazy(() => z.string().check(
  z.minLength(1),
  z.maxLength(MAX_FILE_NAME_LENGTH),
  z.regex(/^(?:[^\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/),
  z.overwrite(maskText),
));

export const NewAttachmentSchema = lazy(() => named(
  z.strictObject({
    fileName: fileName(),
    contentType: z.enum(ATTACHMENT_TYPES),
    size: z.number().check(z.int(), z.minimum(MIN_ATTACHMENT_BYTES), z.maximum(MAX_ATTACHMENT_BYTES)),
  }),
  'NewAttachment',
));
export const AttachmentIdSchema = lazy(() => nonEmpty(64));

// Calls: confirmation codes, claims, the profile phone.
export const CallIdSchema = lazy(() => z.string().check(z.minLength(1), z.maxLength(64)));
export const CodeSchema = lazy(() => named(z.strictObject({ code: z.string().check(z.regex(/^\d{6}$/)) }), 'ConfirmationCode'));
export const ClaimSchema = lazy(() => named(z.strictObject({ text: trimmedFreeText(5000) }), 'NewClaim'));
export const PhoneChangeSchema = lazy(() => named(z.strictObject({ phone: phoneText() }), 'PhoneChange'));

// The operator's workspace, 59-FZ and notifications.
export const InboxQuerySchema = lazy(() => z.strictObject({ limit: pageLimit(), cursor: z.optional(nonEmpty(512)) }));
export const ExtendSchema = lazy(() => named(z.strictObject({ days: int().check(z.minimum(1), z.maximum(30)), reason: trimmedFreeText(1000) }), 'Extension'));
export const ForwardSchema = lazy(() => named(z.strictObject({ to: trimmedFreeText(300), reason: trimmedFreeText(1000) }), 'Forwarding'));
/** Exactly one way to search: `number`, `phone`, or `callAt` (optionally with `phone`); the core says which is missing. */
export const SearchQuerySchema = lazy(() => z.strictObject({
  number: z.optional(nonEmpty(32)),
  phone: z.optional(phoneText()),
  callAt: z.optional(isoDateTime()),
}));
/** Ids are `<request id>-<kind>[-<comment id>]`, 61 characters at most; over 64 is 400, as for every id. */
export const NotificationIdSchema = lazy(() => nonEmpty(64));
export const NotificationQuerySchema = lazy(() => z.strictObject({ limit: pageLimit(), cursor: z.optional(nonEmpty(512)) }));

/**
 * The schema of each path parameter, by name: every route's `{name}` is parsed with it and the
 * document describes it from it (openapi.ts refuses a route whose parameter is not listed here).
 */
export const PATH_PARAMS = lazy((): Record<string, z.ZodMiniType<string>> => ({
  id: RequestIdSchema(),
  attachmentId: AttachmentIdSchema(),
  callId: CallIdSchema(),
  queue: QueueParamSchema(),
  userId: UserIdSchema(),
  date: CalendarDateSchema(),
}));
