import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { memoryDeps } from '#adapters/memory/memory-deps';
import { scheduleCallback } from '#core/callbacks/schedule';
import { callbackSlots } from '#core/callbacks/slots-view';
import { putProfile } from '#core/profiles/put-profile';
import { RUSSIAN_TIME_ZONES, type RussianTimeZone } from '#core/regions/regions';
import { createRequest } from '#core/requests/create-request';
import { routeRequest, sendNotice, verifyIdentity } from '#core/requests/intake';
import { DEFAULT_CENTRE_CONFIG } from '#core/scheduling/centre-config';
import { type Slot, bookableSlots, bookingCandidates, retryCandidates, slotsInRange, validateSlotQuery } from '#core/scheduling/slots';
import { zoneParts } from '#core/scheduling/zone-time';
import { PROFILE_PHONE_E164, storedCallbackRequest } from '../support/fixtures.ts';
import { IDENTITY, callbackInput } from './fixtures.ts';

/**
 * Booking on the citizen's clock: calling hours 08:00–21:00 local meet the centre's 08:00–20:00
 * Moscow (Sat 09:00–18:00). Fixed dates: Wednesday 2 and Thursday 3 December 2026.
 */
const C = DEFAULT_CENTRE_CONFIG;
const msk = (local: string) => new Date(`${local}+03:00`);
const iso = (local: string) => msk(local).toISOString();
const local = (s: Slot, zone: RussianTimeZone) => zoneParts(s.start, zone);
const hhmm = (s: Slot, zone: RussianTimeZone) => {
  const p = local(s, zone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
};

describe('first bookings in the citizen’s calling hours', () => {
  it('Kamchatka (МСК+9), no window: only 17:00–21:00 local, 08:00–12:00 MSK, never at night', () => {
    // 13:00 MSK is 22:00 in Petropavlovsk-Kamchatsky: tonight is over, the next call is tomorrow 08:00 MSK
    const got = bookingCandidates('status', msk('2026-12-02T13:00:00'), undefined, C, 'Asia/Kamchatka');
    expect(got[0]?.start).toBe(iso('2026-12-03T08:00:00'));
    expect(hhmm(got[0] as Slot, 'Asia/Kamchatka')).toBe('17:00');
    expect(got.length).toBeGreaterThan(0);
    for (const s of got) {
      const h = local(s, 'Asia/Kamchatka').hour;
      expect(h >= 17 && h < 21).toBe(true);
      const m = zoneParts(s.start, 'Europe/Moscow');
      expect(m.hour >= 8 && m.hour < 12).toBe(true);
    }
    // without the zone the same moment would offer 13:30 MSK: 22:30 in Kamchatka
    expect(bookingCandidates('status', msk('2026-12-02T13:00:00'), undefined, C)[0]?.start).toBe(iso('2026-12-02T13:30:00'));
  });

  it('Kaliningrad (МСК−1) can be booked at 19:45 MSK (18:45 local), and never at 08:00 MSK (07:00 local)', () => {
    const evening = bookingCandidates('status', msk('2026-12-02T19:00:00'), undefined, C, 'Europe/Kaliningrad');
    expect(evening.slice(0, 2).map((s) => s.start)).toEqual([iso('2026-12-02T19:30:00'), iso('2026-12-02T19:45:00')]);
    expect(hhmm(evening[1] as Slot, 'Europe/Kaliningrad')).toBe('18:45');
    // the next morning starts at 09:00 MSK, 08:00 local
    expect(evening[2]?.start).toBe(iso('2026-12-03T09:00:00'));
  });

  it('Moscow: the centre’s hours lie inside the calling hours, nothing is lost', () => {
    const now = msk('2026-12-02T07:00:00');
    expect(bookingCandidates('status', now, undefined, C, 'Europe/Moscow')).toEqual(bookingCandidates('status', now, undefined, C));
  });

  it('Yekaterinburg (МСК+2): the day ends at 18:45 MSK (20:45 local)', () => {
    const day = bookingCandidates('status', msk('2026-12-02T07:00:00'), undefined, C, 'Asia/Yekaterinburg').filter((s) => s.start < iso('2026-12-03T00:00:00'));
    expect(day[0]?.start).toBe(iso('2026-12-02T08:00:00'));
    expect(day.at(-1)?.start).toBe(iso('2026-12-02T18:45:00'));
    expect(hhmm(day.at(-1) as Slot, 'Asia/Yekaterinburg')).toBe('20:45');
  });

  it('Novosibirsk (МСК+4): 08:00–16:45 MSK, 12:00–20:45 local', () => {
    const day = bookingCandidates('status', msk('2026-12-02T07:00:00'), undefined, C, 'Asia/Novosibirsk').filter((s) => s.start < iso('2026-12-03T00:00:00'));
    expect([day[0]?.start, day.at(-1)?.start]).toEqual([iso('2026-12-02T08:00:00'), iso('2026-12-02T16:45:00')]);
    expect([hhmm(day[0] as Slot, 'Asia/Novosibirsk'), hhmm(day.at(-1) as Slot, 'Asia/Novosibirsk')]).toEqual(['12:00', '20:45']);
  });

  it('Vladivostok (МСК+7): 08:00–13:45 MSK, 15:00–20:45 local', () => {
    const day = bookingCandidates('status', msk('2026-12-02T07:00:00'), undefined, C, 'Asia/Vladivostok').filter((s) => s.start < iso('2026-12-03T00:00:00'));
    expect([day[0]?.start, day.at(-1)?.start]).toEqual([iso('2026-12-02T08:00:00'), iso('2026-12-02T13:45:00')]);
    expect(day).toHaveLength(24);
  });

  it('a preferred window is read in absolute time: its slots inside the calling hours, then the ones after it', () => {
    // 12:00–16:00 MSK is 21:00–01:00 in Kamchatka: nothing inside the calling hours, so the next morning’s 08:00 MSK
    const window = { from: iso('2026-12-02T12:00:00'), to: iso('2026-12-02T16:00:00') };
    expect(bookingCandidates('status', msk('2026-12-02T07:00:00'), window, C, 'Asia/Kamchatka')[0]?.start).toBe(iso('2026-12-03T08:00:00'));
    // the same window for Yekaterinburg (14:00–18:00 local) is taken as given
    expect(bookingCandidates('status', msk('2026-12-02T07:00:00'), window, C, 'Asia/Yekaterinburg')[0]?.start).toBe(iso('2026-12-02T12:00:00'));
  });

  it('Saturday in Vladivostok: 09:00–13:45 MSK (16:00–20:45 local)', () => {
    const sat = bookingCandidates('status', msk('2026-12-04T21:00:00'), undefined, C, 'Asia/Vladivostok').filter((s) => s.start < iso('2026-12-06T00:00:00'));
    expect([sat[0]?.start, sat.at(-1)?.start]).toEqual([iso('2026-12-05T09:00:00'), iso('2026-12-05T13:45:00')]);
  });
});

describe('retries in the citizen’s calling hours', () => {
  it('Yekaterinburg: no answer at 20:50 local (18:50 MSK) is retried at 10:00 local next morning (08:00 MSK), not 21:05', () => {
    const now = msk('2026-12-02T18:50:00');
    const attempt = iso('2026-12-02T18:45:00');
    const got = retryCandidates('status', now, C, attempt, 'Asia/Yekaterinburg');
    expect(got[0]?.start).toBe(iso('2026-12-03T08:00:00'));
    expect(hhmm(got[0] as Slot, 'Asia/Yekaterinburg')).toBe('10:00');
    // the centre alone would have taken the next slot after 19:05 MSK: 19:15, 21:15 in Yekaterinburg
    const centreOnly = retryCandidates('status', now, C, attempt)[0] as Slot;
    expect(centreOnly.start).toBe(iso('2026-12-02T19:15:00'));
    expect(hhmm(centreOnly, 'Asia/Yekaterinburg')).toBe('21:15');
  });

  it('Kamchatka: a retry after the last local slot waits for tomorrow 08:00 MSK (17:00 local)', () => {
    const got = retryCandidates('status', msk('2026-12-02T11:50:00'), C, iso('2026-12-02T11:45:00'), 'Asia/Kamchatka');
    expect(got[0]?.start).toBe(iso('2026-12-03T08:00:00'));
  });
});

describe('property: any zone of Russia, any moment', () => {
  const anyNow = fc.date({ min: new Date('2025-12-25T00:00:00Z'), max: new Date('2027-12-20T00:00:00Z'), noInvalidDate: true });
  const anyZone = fc.constantFrom(...RUSSIAN_TIME_ZONES);
  const DAY = 86_400_000;
  /** In the calling hours, and one of the centre's own slots (its hours, its boundaries, not a holiday). */
  const inside = (s: Slot, zone: RussianTimeZone, centre: ReadonlySet<string>) => {
    const p = zoneParts(s.start, zone);
    const endMinute = p.minuteOfDay + (Date.parse(s.end) - Date.parse(s.start)) / 60_000;
    return p.minuteOfDay >= 8 * 60 && endMinute <= 21 * 60 && centre.has(`${s.start}/${s.end}`);
  };

  it('every first-booking, retry and offered slot starts in [08:00, 21:00) local and lies in the centre’s hours', () => {
    fc.assert(
      fc.property(anyZone, anyNow, fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }), fc.integer({ min: 1, max: 24 * 60 }), (zone, now, fromMin, lenMin) => {
        const from = now.getTime() + fromMin * 60_000;
        const window = { from: new Date(from).toISOString(), to: new Date(Math.min(from + lenMin * 60_000, now.getTime() + 7 * 86_400_000)).toISOString() };
        const first = bookingCandidates('status', now, undefined, C, zone);
        const windowed = bookingCandidates('status', now, window, C, zone);
        const retry = retryCandidates('status', now, C, undefined, zone);
        const offered = bookableSlots('status', now, { from: now, to: new Date(now.getTime() + 7 * DAY) }, new Map(), C, zone);
        const centre = new Set(slotsInRange('status', new Date(now.getTime() - DAY), new Date(now.getTime() + 8 * DAY), C).map((s) => `${s.start}/${s.end}`));
        for (const s of [...first, ...windowed, ...retry, ...offered]) expect(inside(s, zone, centre)).toBe(true);
        // and nothing callable is lost: the zone only removes what lies outside the calling hours
        expect(first).toEqual(bookingCandidates('status', now, undefined, C).filter((s) => inside(s, zone, centre)));
      }),
      // each run lays out about 1,500 slots and reads each one's local time: 60 runs take seconds
      { numRuns: 60 },
    );
  }, 30_000);
});

describe('the slot list with ?timeZone=', () => {
  it('refuses a zone outside Russia or misspelt', () => {
    const now = msk('2026-12-02T07:00:00');
    for (const timeZone of ['Asia/Tokyo', 'UTC', 'asia/kamchatka', 'W-SU']) {
      const got = validateSlotQuery({ type: 'technical', timeZone }, now, C);
      expect(got).toEqual({ ok: false, problems: [expect.objectContaining({ path: 'timeZone', code: 'invalid_value' })] });
    }
  });

  it('lists only slots in the zone’s calling hours, each with its local start', async () => {
    const deps = memoryDeps();
    deps.clock.set(msk('2026-12-02T07:00:00'));
    const view = await callbackSlots(deps, { type: 'technical', timeZone: 'Asia/Kamchatka' });
    expect(view.items.length).toBeGreaterThan(0);
    expect(view.items[0]).toEqual({ start: iso('2026-12-02T08:00:00'), end: iso('2026-12-02T08:15:00'), remaining: 4, localStart: '2026-12-02T17:00:00+12:00' });
    for (const s of view.items) {
      const localStart = (s as { localStart?: string }).localStart as string;
      expect(Date.parse(localStart)).toBe(Date.parse(s.start));
      const h = Number(localStart.slice(11, 13));
      expect(h >= 17 && h < 21).toBe(true);
    }
    const plain = await callbackSlots(deps, { type: 'technical' });
    expect(plain.items.some((s) => 'localStart' in s)).toBe(false);
    expect(plain.items.length).toBeGreaterThan(view.items.length);
  });
});

describe('the booking step knows the citizen’s zone', () => {
  async function kamchatkaCallback() {
    const deps = memoryDeps();
    deps.clock.set(msk('2026-12-02T13:00:00')); // 22:00 in Kamchatka
    const put = await putProfile(deps, 'user-1', { ...IDENTITY, passport: { ...IDENTITY.passport }, region: '41' });
    expect(put.body).toMatchObject({ region: '41', timeZone: 'Asia/Kamchatka' });
    const id = ((await createRequest(deps, 'user-1', callbackInput())).body as { id: string }).id;
    const verified = await verifyIdentity(deps, id);
    expect(verified).toMatchObject({ verified: true, timeZone: 'Asia/Kamchatka' });
    await routeRequest(deps, id, verified.timeZone);
    return { deps, id };
  }

  it('Kamchatka: booked at 17:00 local, the SMS says (МСК+9), so does the timeline', async () => {
    const { deps, id } = await kamchatkaCallback();
    expect((await deps.requests.getRequest(id))?.timeZone).toBe('Asia/Kamchatka');
    const booking = await scheduleCallback(deps, id);
    expect(booking).toEqual({ scheduledAt: iso('2026-12-03T08:00:00'), when: '03.12.2026 17:00 (МСК+9)', first: true });
    await sendNotice(deps, id, 'scheduled', booking.when);
    expect(deps.sms.sent.map((m) => [m.to, m.text])).toEqual([[PROFILE_PHONE_E164, expect.stringContaining('03.12.2026 17:00 (МСК+9)')]]);
    const detail = await deps.requests.getRequestDetail(id);
    expect(detail?.timeline.find((e) => e.event === 'scheduled')?.detail).toBe('03.12.2026 17:00 (МСК+9), queue consultations');
  });

  it('a resent notice (no `when`) names the same local time', async () => {
    const { deps, id } = await kamchatkaCallback();
    await scheduleCallback(deps, id);
    await sendNotice(deps, id, 'scheduled');
    expect(deps.sms.sent[0]?.text).toContain('03.12.2026 17:00 (МСК+9)');
  });

  it('an older request without a zone is booked and told in Moscow time', async () => {
    const deps = memoryDeps();
    deps.clock.set(msk('2026-12-02T13:00:00'));
    const at = deps.clock.now().toISOString();
    await deps.requests.createRequest(storedCallbackRequest('req-old', '20261202-000001', at), { at, event: 'received' }, undefined, at);
    const booking = await scheduleCallback(deps, 'req-old');
    expect(booking).toMatchObject({ scheduledAt: iso('2026-12-02T13:30:00'), when: '02.12.2026 13:30 (МСК)' });
  });

  it('Yekaterinburg: the retry after a no-answer at 20:50 local is booked for 10:00 local next morning', async () => {
    const deps = memoryDeps();
    deps.clock.set(msk('2026-12-02T18:50:00'));
    const at = deps.clock.now().toISOString();
    const slot = { queue: 'tech-support', start: iso('2026-12-02T18:45:00') };
    const req = storedCallbackRequest('req-ekb', '20261202-000002', at, { status: 'scheduled', scheduledAt: slot.start, slot, attempts: 1, timeZone: 'Asia/Yekaterinburg' });
    await deps.requests.createRequest(req, { at, event: 'received' }, undefined, at);
    const booking = await scheduleCallback(deps, 'req-ekb');
    expect(booking).toEqual({ scheduledAt: iso('2026-12-03T08:00:00'), when: '03.12.2026 10:00 (МСК+2)', first: false });
  });
});
