import type { Deps } from '#ports/deps';
import { sendCounted } from '../notices/send-counted.ts';
import { NotFoundError, ProfileMissingError, StaleTransitionError } from '../errors.ts';
import { compareWithProfile } from '../identity/verify.ts';
import { type NoticeFacts, type NoticeKind, noticeText } from '../notices/sms-templates.ts';
import { noticeMark, notificationId, notificationText } from '../notices/notifications.ts';
import { writeNotification } from '../notifications/notifications.ts';
import type { NoticeInput } from '../workspace/notices.ts';
import { routeFor } from '../routing/routing-table.ts';
import { zoneOrMoscow } from '../regions/regions.ts';
import { formatCitizenTime } from '../scheduling/zone-time.ts';
import { answerDueBy } from './deadlines.ts';
import type { IdentityProblem, SupportRequest } from './model.ts';

/** The steps of the intake workflow; each is one task state of statemachines/intake.asl.json. */

async function load(deps: Pick<Deps, 'requests'>, requestId: string): Promise<SupportRequest> {
  const request = await deps.requests.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  return request;
}

/**
 * Compares the identity with the profile. It also hands on the profile's time zone (Moscow when
 * it has none), which routing stores on the request: verification reads the profile anyway, so
 * booking and its texts know the citizen's clock without reading the profile again.
 */
export async function verifyIdentity(deps: Pick<Deps, 'requests' | 'profiles'>, requestId: string) {
  const request = await load(deps, requestId);
  const profile = await deps.profiles.getProfile(request.userId);
  const problems = compareWithProfile(request.identity, profile);
  return { verified: problems.length === 0, problems, channel: request.channel, timeZone: zoneOrMoscow(profile?.timeZone) };
}

export async function markNeedsInfo(deps: Pick<Deps, 'requests' | 'clock' | 'metrics'>, requestId: string, problems: IdentityProblem[]) {
  const request = await load(deps, requestId);
  const at = deps.clock.now().toISOString();
  const detail = problems.map((p) => `${p.field}:${p.code}`).join(', ');
  await deps.requests.transition(requestId, ['received'], { status: 'needs_info', problems, checkAt: null }, { at, event: 'needs_info', detail }, at, { owner: request });
  deps.metrics.put('VerificationFailed', { Channel: request.channel });
  // Without a profile there is no phone the citizen has proven: the portal shows the status instead.
  const noProfile = problems.some((p) => p.field === 'profile');
  return { notice: noProfile ? null : ('needs_info' as NoticeKind) };
}

/**
 * Routes by type; a written request is then registered with its 30-day deadline. `timeZone` (from
 * verification: the profile's) is stored with the route; an older run that passes none stores none,
 * and readers take Moscow.
 */
export async function routeRequest(deps: Pick<Deps, 'requests' | 'workspace' | 'clock'>, requestId: string, timeZone?: string) {
  const request = await load(deps, requestId);
  if (request.route) throw new StaleTransitionError('request already routed');
  const rule = routeFor(request.type);
  const now = deps.clock.now();
  const at = now.toISOString();
  const route = { queue: rule.queue, line: rule.line.phone };
  const zone = timeZone === undefined ? {} : { timeZone: zoneOrMoscow(timeZone) };
  // Operators search by the phones a request names besides the profile's: written before the
  // status change (idempotent keys), so a rerun after a failure writes the same refs again.
  const phones = [...new Set([request.callback?.phone.e164, request.written?.contactPhone?.e164].filter((p): p is string => p !== undefined))];
  if (phones.length > 0) {
    await deps.workspace.putPhoneRefs(phones.map((phone) => ({ phone, kind: 'request' as const, requestId, queue: rule.queue, createdAt: request.createdAt })));
  }
  if (request.channel === 'written') {
    // 59-FZ: the end of day 30 after the day of registration (deadlines.ts).
    const dueBy = answerDueBy(now);
    await deps.requests.transition(
      requestId,
      ['received'],
      { status: 'registered', route, dueBy, checkAt: null, inbox: { queue: rule.queue, dueAt: dueBy }, forgetIdentityHashes: true, ...zone },
      { at, event: 'registered', detail: `queue ${rule.queue}` },
      at,
      { owner: request },
    );
    return { channel: request.channel, notice: 'registered' as NoticeKind };
  }
  // Callbacks keep `received` until scheduling books their slot; the route is recorded now.
  await deps.requests.transition(requestId, ['received'], { route, forgetIdentityHashes: true, ...zone }, { at, event: 'routed', detail: `queue ${rule.queue}` }, at, { owner: request });
  return { channel: request.channel, notice: null };
}

/**
 * One notice of a request: its notification in the citizen's account, then its SMS to the profile
 * phone, once per notice (per comment for comments): a rerun finds the SMS mark and sends nothing,
 * and a retried step (the SMS failed) writes the notification only once (its id is the notice's,
 * the write is conditional). Throws on a failed SMS so the state machine retries.
 */
export async function sendNotice(
  deps: Pick<Deps, 'requests' | 'profiles' | 'notifications' | 'sms' | 'clock' | 'metrics'>,
  requestId: string,
  kind: NoticeKind,
  when?: string,
  input: NoticeInput = {},
) {
  const mark = noticeMark(kind, input.ref);
  const { request, noticeSent } = await deps.requests.getRequestForNotice(requestId, mark);
  if (!request) throw new NotFoundError('request');
  if (noticeSent) return { sent: false };
  const profile = await deps.profiles.getProfile(request.userId);
  if (!profile) throw new ProfileMissingError('The profile to notify is gone.');
  const zone = zoneOrMoscow(request.timeZone);
  // A resent `scheduled` notice (the reconciler) names the booked time as the first one did; an
  // extension names the new deadline, on the citizen's clock.
  const time =
    when ??
    (kind === 'scheduled' && request.scheduledAt ? formatCitizenTime(request.scheduledAt, zone) : undefined) ??
    (kind === 'extended' && request.extendedTo ? formatCitizenTime(request.extendedTo, zone) : undefined);
  const facts: NoticeFacts = {
    number: request.number,
    ...(time !== undefined ? { when: time } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
    ...(input.to !== undefined ? { to: input.to } : {}),
  };
  await writeNotification(deps, { id: notificationId(requestId, kind, input.ref), userId: request.userId, kind, requestId, text: notificationText(kind, facts) });
  await sendCounted(deps, kind, profile.phone, noticeText(kind, facts));
  await deps.requests.recordNotice(requestId, mark, deps.clock.now().toISOString());
  return { sent: true };
}
