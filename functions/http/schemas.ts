import * as z from 'zod';
import type { CreateRequestInput } from '#core/requests/create-request';
import type { IdentityInput } from '#core/identity/identity';
import { CALL_OUTCOMES } from '#core/callbacks/model';
import { CHANNELS, RELATED_KINDS, REQUEST_TYPES, STATUSES } from '#core/requests/model';

/**
 * The zod schemas that validate every body, parameter and response shape; the OpenAPI document
 * is generated from these very objects (openapi.ts). Shapes only: the domain rules (check digits,
 * phone rules, dates) live in the core and report their own codes.
 */
const isoDateTime = z.iso.datetime({ offset: true });
const phoneText = z.string().min(1).max(64);

export const PassportSchema = z.strictObject({
  series: z.string().max(16),
  number: z.string().max(16),
  issuedOn: z.string().max(32),
});

export const IdentitySchema = z.strictObject({
  fullName: z.string().min(1).max(200),
  snils: z.string().min(1).max(32),
  passport: PassportSchema,
  registrationAddress: z.string().min(1).max(500).optional(),
  phone: phoneText,
}) satisfies z.ZodType<IdentityInput>;

export const CreateRequestSchema = z
  .strictObject({
    channel: z.enum(CHANNELS),
    type: z.enum(REQUEST_TYPES),
    identity: IdentitySchema,
    relatedNumber: z.string().min(1).max(64).optional(),
    relatedKind: z.enum(RELATED_KINDS).optional(),
    written: z
      .strictObject({
        topic: z.string().min(1).max(200),
        text: z.string().min(1).max(10000),
        contactPhone: phoneText.optional(),
        attempts: z
          .array(z.strictObject({ at: isoDateTime, phone: phoneText.optional(), error: z.string().max(1000).optional() }))
          .max(20)
          .optional(),
        desiredOutcome: z.string().max(2000).optional(),
      })
      .optional(),
    callback: z
      .strictObject({
        phone: phoneText,
        description: z.string().min(1).max(1000),
        note: z.string().max(1000).optional(),
        preferredWindow: z.strictObject({ from: isoDateTime, to: isoDateTime }).optional(),
      })
      .optional(),
  })
  .meta({ id: 'CreateRequest' }) satisfies z.ZodType<CreateRequestInput>;

export const ProfileSchema = IdentitySchema.meta({ id: 'Profile' });

export const CommentSchema = z.strictObject({ text: z.string().trim().min(1).max(5000) }).meta({ id: 'NewComment' });
export const AnswerSchema = z.strictObject({ text: z.string().trim().min(1).max(10000) }).meta({ id: 'Answer' });

export const SlotQuerySchema = z.strictObject({ type: z.string().max(64).optional(), from: z.string().max(64).optional(), to: z.string().max(64).optional() });
export const QueueParamSchema = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);
export const QueueQuerySchema = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).optional() });

export const RecordCallSchema = z
  .strictObject({
    requestId: z.string().min(1).max(64).optional(),
    direction: z.enum(['outbound', 'inbound']),
    phone: z.string().min(1).max(64),
    queuedAt: isoDateTime,
    answeredAt: isoDateTime.optional(),
    endedAt: isoDateTime,
    outcome: z.enum(CALL_OUTCOMES),
    transcript: z
      .array(z.strictObject({ at: isoDateTime, speaker: z.enum(['operator', 'citizen']), text: z.string().min(1).max(4000) }))
      .max(2000)
      .optional(),
  })
  .meta({ id: 'NewCall' });

export const ListQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).optional(),
  cursor: z.string().min(1).max(512).optional(),
});

export const IdempotencyKeySchema = z.string().min(1).max(255);
export const RequestIdSchema = z.string().min(1).max(64);
export const UserIdSchema = z.string().min(1).max(128);

const CallViewShape = {
  id: z.string(),
  at: isoDateTime,
  direction: z.enum(['outbound', 'inbound']),
  operatorId: z.string(),
  waitSeconds: z.number().int(),
  durationSeconds: z.number().int(),
  outcome: z.enum(CALL_OUTCOMES),
  confirmed: z.boolean(),
  claimEligible: z.boolean(),
  requestId: z.string().optional(),
};

export const AcceptedRequestSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    channel: z.enum(CHANNELS),
    type: z.enum(REQUEST_TYPES),
    status: z.literal('received'),
    createdAt: isoDateTime,
  })
  .meta({ id: 'AcceptedRequest' });

export const RequestDetailSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    channel: z.enum(CHANNELS),
    type: z.enum(REQUEST_TYPES),
    status: z.enum(STATUSES),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
    scheduledAt: isoDateTime.optional(),
    route: z.object({ queue: z.string(), line: z.string() }).nullable(),
    questions: z.array(z.string()),
    problems: z.array(z.object({ field: z.string(), code: z.enum(['mismatch', 'not_found']) })),
    dueBy: isoDateTime.optional(),
    answer: z.object({ text: z.string(), at: isoDateTime }).optional(),
    timeline: z.array(z.object({ at: isoDateTime, event: z.string(), detail: z.string().optional() })),
    comments: z.array(z.object({ id: z.string(), at: isoDateTime, author: z.enum(['citizen', 'operator']), text: z.string() })),
    calls: z.array(z.object(CallViewShape)),
    attachments: z.array(z.object({ id: z.string() }).loose()),
  })
  .loose()
  .meta({ id: 'RequestDetail' });

const SummaryShape = {
  id: z.string(),
  number: z.string(),
  channel: z.enum(CHANNELS),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(STATUSES),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
  scheduledAt: isoDateTime.optional(),
};

export const RequestListSchema = z
  .object({ items: z.array(z.object(SummaryShape)), nextCursor: z.string().optional() })
  .meta({ id: 'RequestList' });

export const CommentViewSchema = z
  .object({ id: z.string(), at: isoDateTime, author: z.enum(['citizen', 'operator']), text: z.string() })
  .meta({ id: 'Comment' });

export const CancelledSchema = z.object({ status: z.literal('cancelled') }).meta({ id: 'Cancelled' });

export const AnsweredSchema = z
  .object({ id: z.string(), number: z.string(), status: z.literal('answered'), answer: z.object({ text: z.string(), at: isoDateTime }) })
  .meta({ id: 'Answered' });

export const CallListSchema = z.object({ items: z.array(z.object(CallViewShape)) }).meta({ id: 'CallList' });
export const RecordedCallSchema = z.object({ id: z.string(), waitSeconds: z.number().int(), durationSeconds: z.number().int() }).meta({ id: 'RecordedCall' });
export const SlotListSchema = z
  .object({ slotMinutes: z.number().int(), items: z.array(z.object({ start: isoDateTime, end: isoDateTime, remaining: z.number().int() })) })
  .meta({ id: 'CallbackSlots' });
export const QueueListSchema = z
  .object({
    items: z.array(
      z.object({
        requestId: z.string(),
        number: z.string(),
        queue: z.string(),
        type: z.enum(REQUEST_TYPES),
        dueAt: isoDateTime,
        createdAt: isoDateTime,
        attempt: z.number().int(),
        phone: z.string(),
        extension: z.string().optional(),
        description: z.string(),
        note: z.string().optional(),
        questions: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'OperatorQueue' });
export const TakenSchema = z.object({ id: z.string(), status: z.literal('in_progress'), assignedTo: z.string() }).meta({ id: 'Taken' });

export const ContactsSchema = z
  .object({
    channels: z.array(z.object({ channel: z.string(), hours: z.string() })),
    lines: z.array(z.object({ type: z.enum(REQUEST_TYPES), phone: z.string(), display: z.string(), hours: z.string() })),
    queues: z.array(
      z.object({
        queue: z.string(),
        waiting: z.number().int(),
        estimatedWaitMinutes: z.number(),
        peakNow: z.boolean(),
        recommendedWindows: z.array(z.object({ from: isoDateTime, to: isoDateTime })),
      }),
    ),
  })
  .meta({ id: 'Contacts' });

export const ProfileViewSchema = z
  .object({
    userId: z.string(),
    fullName: z.string(),
    snilsLast2: z.string(),
    passportLast2: z.string(),
    phone: z.string(),
    registrationAddress: z.string().optional(),
    updatedAt: isoDateTime,
  })
  .meta({ id: 'ProfileView' });

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
  })
  .loose()
  .meta({ id: 'Problem' });
