import type { Deps } from '#ports/deps';
import { callView } from '../callbacks/record-call.ts';
import { NotFoundError } from '../errors.ts';
import { zoneOrMoscow } from '../regions/regions.ts';
import { deadlineInForce, isOverdue } from '../requests/deadlines.ts';
import type { RequestDetail } from '../requests/model.ts';
import { type Operator, operatorRequest } from '../requests/operator-access.ts';
import { requestView } from '../requests/request-view.ts';

/**
 * What an operator sees of a request of their queues: the citizen's view, with the phones in full
 * (operators call back), plus who holds it, the extension, `overdue`, and the citizen from the
 * reference profile. Never a SNILS or passport: only their last two digits.
 */
export type OperatorViewDeps = Pick<Deps, 'requests' | 'calls' | 'profiles' | 'clock'>;

type Sections = Pick<RequestDetail['request'], 'written' | 'callback'>;

function fullPhone(p: { e164: string; extension?: string }) {
  return p.extension ? { phone: p.e164, extension: p.extension } : { phone: p.e164 };
}

/** The submitted section with its phones unmasked. */
function operatorSections(r: Sections) {
  return {
    ...(r.written
      ? {
          written: {
            topic: r.written.topic,
            text: r.written.text,
            attempts: r.written.attempts,
            ...(r.written.contactPhone ? { contactPhone: fullPhone(r.written.contactPhone) } : {}),
            ...(r.written.desiredOutcome !== undefined ? { desiredOutcome: r.written.desiredOutcome } : {}),
          },
        }
      : {}),
    ...(r.callback
      ? {
          callback: {
            ...fullPhone(r.callback.phone),
            description: r.callback.description,
            ...(r.callback.note !== undefined ? { note: r.callback.note } : {}),
            ...(r.callback.preferredWindow ? { preferredWindow: r.callback.preferredWindow } : {}),
          },
        }
      : {}),
  };
}

export async function getOperatorRequest(deps: OperatorViewDeps, operator: Operator, id: string) {
  const request = await operatorRequest(deps, operator, id);
  const [detail, profile] = await Promise.all([deps.requests.getRequestDetail(id), deps.profiles.getProfile(request.userId)]);
  if (!detail) throw new NotFoundError('request');
  // The call links came with the request's partition: only the call records are left to read.
  const calls = await deps.calls.getCalls(detail.callIds);
  const r = detail.request;
  const due = deadlineInForce(r);
  // Without a profile (deleted since), the request's own snapshot: what verification compared.
  const citizen = profile
    ? {
        userId: r.userId,
        fullName: profile.fullName,
        phone: profile.phone,
        ...(profile.region !== undefined ? { region: profile.region } : {}),
        timeZone: zoneOrMoscow(profile.timeZone),
        snilsLast2: profile.snilsLast2,
        passportLast2: profile.passportLast2,
      }
    : { userId: r.userId, fullName: r.identity.fullNameFolded, phone: r.identity.phone, timeZone: zoneOrMoscow(r.timeZone), snilsLast2: r.identity.snilsLast2, passportLast2: r.identity.passportLast2 };
  return {
    ...requestView(detail),
    ...operatorSections(r),
    ...(due !== undefined ? { dueBy: due } : {}),
    calls: calls.map(callView),
    ...(r.assignedTo !== undefined ? { assignedTo: r.assignedTo } : {}),
    ...(r.extendedTo !== undefined ? { extendedTo: r.extendedTo } : {}),
    overdue: isOverdue(r, deps.clock.now()),
    citizen,
  };
}
