import { describe, expect, it } from 'vitest';
import { type MemoryDeps, memoryDeps } from '#adapters/memory/memory-deps';
import type { CallRecord } from '#core/callbacks/model';
import { closeCode, deliverCode } from '#core/calls/codes';
import { fileClaim } from '#core/calls/claim';
import { requestCallConfirmation, verifyCallConfirmation } from '#core/calls/confirmation';
import { transcriptOf } from '#core/calls/transcript';
import { codeText } from '#core/notices/sms-templates';
import { putProfile } from '#core/profiles/put-profile';
import { requestPhoneChange, verifyPhoneChange } from '#core/profiles/phone-change';
import { NotFoundError, RateLimitedError } from '#core/errors';
import { CodeExpiredError, CodeInvalidError, CodeLockedError } from '#core/otp/errors';
import { PROFILE_PHONE_E164, identity } from './fixtures.ts';

/** The attacks a one-time code must withstand, on the use-cases with in-memory adapters and a fake clock. */
function call(id: string, userId: string, waitSeconds = 720): CallRecord {
  const queuedAt = '2026-03-02T08:00:00.000Z';
  return {
    id,
    userId,
    direction: 'inbound',
    phone: PROFILE_PHONE_E164,
    operatorId: 'op-1',
    queuedAt,
    answeredAt: new Date(Date.parse(queuedAt) + waitSeconds * 1000).toISOString(),
    endedAt: new Date(Date.parse(queuedAt) + waitSeconds * 1000 + 60_000).toISOString(),
    waitSeconds,
    durationSeconds: 60,
    outcome: 'answered',
    transcript: [{ at: queuedAt, speaker: 'operator', text: 'Здравствуйте' }],
    confirmed: false,
  };
}

async function setup() {
  const deps = memoryDeps();
  await putProfile(deps, 'user-1', identity());
  await deps.calls.putCall(call('call-a', 'user-1'));
  await deps.calls.putCall(call('call-b', 'user-1'));
  await deps.calls.putCall(call('call-short', 'user-1', 540));
  return deps;
}

/** What the confirmation workflow would send: the sealed code from its start, opened. */
async function sentCode(deps: MemoryDeps): Promise<string> {
  const start = deps.workflows.started.filter((s) => s.workflow === 'confirmation').at(-1);
  if (!start) throw new Error('no confirmation workflow started');
  return deps.sealer.unseal(start.input.sealedCode as string);
}

describe('call confirmation codes', () => {
  it('sends a 6-digit code through the workflow, sealed; the SMS step delivers it to the profile phone', async () => {
    const deps = await setup();
    const out = await requestCallConfirmation(deps, 'user-1', 'call-a');
    expect(Object.keys(out).sort()).toEqual(['expiresAt', 'resendAvailableAt']);
    const start = deps.workflows.started.at(-1);
    const code = await sentCode(deps);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(start)).not.toContain(code);
    expect(await deliverCode(deps, 'call-confirmation', 'call-a', start?.input.sealedCode as string, codeText)).toEqual({ sent: true });
    expect(deps.sms.sent.at(-1)).toMatchObject({ to: PROFILE_PHONE_E164, text: expect.stringContaining(code) });
    expect(JSON.stringify(deps.table.snapshot())).not.toContain(code);
  });

  it('locks after 5 wrong codes: the right code is refused then, and a new code works', async () => {
    const deps = await setup();
    await requestCallConfirmation(deps, 'user-1', 'call-a');
    const code = await sentCode(deps);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 0; left -= 1) {
      await expect(verifyCallConfirmation(deps, 'user-1', 'call-a', wrong)).rejects.toMatchObject({ code: 'code_invalid', attemptsLeft: left });
    }
    await expect(verifyCallConfirmation(deps, 'user-1', 'call-a', code)).rejects.toBeInstanceOf(CodeLockedError);
    deps.clock.advanceSeconds(61);
    await requestCallConfirmation(deps, 'user-1', 'call-a');
    const fresh = await sentCode(deps);
    expect(await verifyCallConfirmation(deps, 'user-1', 'call-a', fresh)).toEqual({ confirmed: true, transcriptUrl: '/v1/calls/call-a/transcript' });
  });

  it('refuses a used code, and a code for call A on call B or on a phone change', async () => {
    const deps = await setup();
    await requestCallConfirmation(deps, 'user-1', 'call-a');
    const code = await sentCode(deps);
    await expect(verifyCallConfirmation(deps, 'user-1', 'call-b', code)).rejects.toMatchObject({ code: 'code_not_requested' });
    await expect(verifyPhoneChange(deps, 'user-1', code)).rejects.toMatchObject({ code: 'code_not_requested' });
    await verifyCallConfirmation(deps, 'user-1', 'call-a', code);
    await expect(verifyCallConfirmation(deps, 'user-1', 'call-a', code)).rejects.toMatchObject({ code: 'already_confirmed' });
    expect((await deps.calls.getCall('call-b'))?.confirmed).toBe(false);
  });

  it('refuses a code after 5 minutes even while the record is still stored', async () => {
    const deps = await setup();
    await requestCallConfirmation(deps, 'user-1', 'call-a');
    const code = await sentCode(deps);
    deps.clock.advance(300_001);
    expect(await deps.codes.getOtp('call-confirmation', 'call-a')).toBeDefined();
    await expect(verifyCallConfirmation(deps, 'user-1', 'call-a', code)).rejects.toBeInstanceOf(CodeExpiredError);
    expect(await closeCode(deps, 'call-confirmation', 'call-a')).toEqual({ used: false });
  });

  it('holds resends to one a minute and five an hour, and each resend kills the previous code', async () => {
    const deps = await setup();
    await requestCallConfirmation(deps, 'user-1', 'call-a');
    const first = await sentCode(deps);
    await expect(requestCallConfirmation(deps, 'user-1', 'call-a')).rejects.toMatchObject({ retryAfterSeconds: 60 });
    for (let send = 2; send <= 5; send += 1) {
      deps.clock.advanceSeconds(60);
      await requestCallConfirmation(deps, 'user-1', 'call-a');
    }
    const last = await sentCode(deps);
    deps.clock.advanceSeconds(60);
    const capped = requestCallConfirmation(deps, 'user-1', 'call-a');
    await expect(capped).rejects.toBeInstanceOf(RateLimitedError);
    await expect(capped).rejects.toMatchObject({ code: 'code_send_limit' });
    if (first !== last) await expect(verifyCallConfirmation(deps, 'user-1', 'call-a', first)).rejects.toBeInstanceOf(CodeInvalidError);
    // The send step of an older workflow run finds its code replaced and sends nothing.
    const firstRun = deps.workflows.started.find((s) => s.workflow === 'confirmation');
    expect(await deliverCode(deps, 'call-confirmation', 'call-a', firstRun?.input.sealedCode as string, codeText)).toEqual({ sent: false });
  });

  it('hides another citizen\'s call behind 404 for confirmation, transcript and claim', async () => {
    const deps = await setup();
    await expect(requestCallConfirmation(deps, 'intruder', 'call-a')).rejects.toBeInstanceOf(NotFoundError);
    await expect(verifyCallConfirmation(deps, 'intruder', 'call-a', '123456')).rejects.toBeInstanceOf(NotFoundError);
    await expect(transcriptOf(deps, 'intruder', 'call-a')).rejects.toBeInstanceOf(NotFoundError);
    await expect(fileClaim(deps, 'intruder', 'call-a', { text: 'x' })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('claims', () => {
  it('files one complaint for a wait over 10 minutes, linked both ways; refuses 9 minutes and a second claim', async () => {
    const deps = await setup();
    await expect(fileClaim(deps, 'user-1', 'call-short', { text: 'долго' })).rejects.toMatchObject({ code: 'claim_not_eligible' });
    const claim = await fileClaim(deps, 'user-1', 'call-a', { text: 'Ждал 12 минут' });
    expect(claim).toMatchObject({ type: 'complaint', channel: 'written', status: 'received', claimOf: { callId: 'call-a', waitSeconds: 720 } });
    expect((await deps.calls.getCall('call-a'))?.claimRequestId).toBe(claim.id);
    expect(deps.workflows.started).toContainEqual({ workflow: 'intake', name: claim.id, input: { requestId: claim.id } });
    await expect(fileClaim(deps, 'user-1', 'call-a', { text: 'ещё' })).rejects.toMatchObject({ code: 'already_claimed' });
  });
});

describe('phone change', () => {
  it('sends the code to the new mobile phone and changes the profile phone with it', async () => {
    const deps = await setup();
    await expect(requestPhoneChange(deps, 'user-1', { phone: '+7 495 123-45-67' })).rejects.toMatchObject({ errors: [{ code: 'phone_not_mobile' }] });
    await requestPhoneChange(deps, 'user-1', { phone: '8 (999) 000-11-22' });
    const code = await sentCode(deps);
    const start = deps.workflows.started.at(-1);
    await deliverCode(deps, 'phone-change', 'user-1', start?.input.sealedCode as string, codeText);
    expect(deps.sms.sent.at(-1)?.to).toBe('+79990001122');
    expect(await verifyPhoneChange(deps, 'user-1', code)).toEqual({ phone: '+7********22' });
    expect((await deps.profiles.getProfile('user-1'))?.phone).toBe('+79990001122');
    expect(await deps.profiles.userByPhone('+79990001122')).toBe('user-1');
    expect(await deps.profiles.userByPhone(PROFILE_PHONE_E164)).toBeUndefined();
  });
});
