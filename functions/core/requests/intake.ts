import type { Deps } from '#ports/deps';
import { sendCounted } from '../notices/send-counted.ts';
import { NotFoundError, ProfileMissingError, StaleTransitionError } from '../errors.ts';
import { compareWithProfile } from '../identity/verify.ts';
import { type NoticeKind, noticeText } from '../notices/sms-templates.ts';
import { routeFor } from '../routing/routing-table.ts';
import { formatMoscow } from '../scheduling/moscow-time.ts';
import { addDays } from '../time.ts';
import type { IdentityProblem, SupportRequest } from './model.ts';

/** The steps of the intake workflow; each is one task state of statemachines/intake.asl.json. */
const ANSWER_DAYS = 30;

async function load(deps: Pick<Deps, 'store'>, requestId: string): Promise<SupportRequest> {
  const request = await deps.store.getRequest(requestId);
  if (!request) throw new NotFoundError('request');
  return request;
}

export async function verifyIdentity(deps: Pick<Deps, 'store'>, requestId: string) {
  const request = await load(deps, requestId);
  const problems = compareWithProfile(request.identity, await deps.store.getProfile(request.userId));
  return { verified: problems.length === 0, problems, channel: request.channel };
}

export async function markNeedsInfo(deps: Pick<Deps, 'store' | 'clock' | 'metrics'>, requestId: string, problems: IdentityProblem[]) {
  const at = deps.clock.now().toISOString();
  const detail = problems.map((p) => `${p.field}:${p.code}`).join(', ');
  const moved = await deps.store.transition(requestId, ['received'], { status: 'needs_info', problems, checkAt: null }, { at, event: 'needs_info', detail }, at);
  deps.metrics.put('VerificationFailed', { Channel: moved.channel });
  // Without a profile there is no phone the citizen has proven: the portal shows the status instead.
  const noProfile = problems.some((p) => p.field === 'profile');
  return { notice: noProfile ? null : ('needs_info' as NoticeKind) };
}

/** Routes by type; a written request is then registered with its 30-day deadline. */
export async function routeRequest(deps: Pick<Deps, 'store' | 'clock'>, requestId: string) {
  const request = await load(deps, requestId);
  if (request.route) throw new StaleTransitionError('request already routed');
  const rule = routeFor(request.type);
  const now = deps.clock.now();
  const at = now.toISOString();
  const route = { queue: rule.queue, line: rule.line.phone };
  if (request.channel === 'written') {
    const dueBy = addDays(now, ANSWER_DAYS).toISOString();
    await deps.store.transition(
      requestId,
      ['received'],
      { status: 'registered', route, dueBy, checkAt: null },
      { at, event: 'registered', detail: `queue ${rule.queue}` },
      at,
    );
    return { channel: request.channel, notice: 'registered' as NoticeKind };
  }
  // Callbacks keep `received` until scheduling books their slot; the route is recorded now.
  await deps.store.transition(requestId, ['received'], { route }, { at, event: 'routed', detail: `queue ${rule.queue}` }, at);
  return { channel: request.channel, notice: null };
}

/**
 * Sends the SMS for a status to the profile phone, once per request event: a rerun of the workflow
 * finds the mark and sends nothing. Throws on failure so the state machine retries.
 */
export async function sendNotice(deps: Pick<Deps, 'store' | 'sms' | 'clock' | 'metrics'>, requestId: string, kind: NoticeKind, when?: string) {
  const request = await load(deps, requestId);
  if (await deps.store.noticeSent(requestId, kind)) return { sent: false };
  const profile = await deps.store.getProfile(request.userId);
  if (!profile) throw new ProfileMissingError('The profile to notify is gone.');
  // A resent `scheduled` notice (the reconciler) names the booked time as the first one did.
  const time = when ?? (kind === 'scheduled' && request.scheduledAt ? formatMoscow(request.scheduledAt) : undefined);
  await sendCounted(deps, kind, profile.phone, noticeText(kind, time ? { number: request.number, when: time } : { number: request.number }));
  await deps.store.recordNotice(requestId, kind, deps.clock.now().toISOString());
  return { sent: true };
}
