import { describe, expect, it } from 'vitest';
import { REGIONS, RUSSIAN_TIME_ZONES, checkRegionAndZone, zoneOrMoscow } from '#core/regions/regions';
import { formatCitizenTime, inCallingHours, localIso, mskOffsetLabel, zoneOffsetMinutes, zoneParts } from '#core/scheduling/zone-time';

/** The regions table and the citizen's clock, on fixed instants (no clock involved). */
const MINUS = '\u2212';

describe('the zones of Russia', () => {
  it.each(RUSSIAN_TIME_ZONES)('%s is a zone this Node knows by that very name', (zone) => {
    expect(Intl.supportedValuesOf('timeZone')).toContain(zone);
    expect(new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone).toBe(zone);
  });

  it('lists 27 zones, each once', () => {
    expect(new Set(RUSSIAN_TIME_ZONES).size).toBe(27);
  });
});

describe('the regions table', () => {
  it('has the 89 subjects of art. 65, each under a two-digit code, every zone one of Russia', () => {
    const codes = Object.keys(REGIONS);
    expect(codes).toHaveLength(89);
    expect(codes.every((c) => /^\d{2}$/.test(c))).toBe(true);
    for (const r of Object.values(REGIONS)) {
      expect(r.zones.every((z) => (RUSSIAN_TIME_ZONES as readonly string[]).includes(z))).toBe(true);
      expect(new Set(r.zones).size).toBe(r.zones.length);
    }
  });

  it('every zone of Russia is some region’s zone', () => {
    const used = new Set(Object.values(REGIONS).flatMap((r) => r.zones));
    expect(RUSSIAN_TIME_ZONES.filter((z) => !used.has(z))).toEqual([]);
  });

  it('names the main zone of well-known regions', () => {
    const main = (code: string) => REGIONS[code]?.zones[0];
    expect(main('77')).toBe('Europe/Moscow');
    expect(main('39')).toBe('Europe/Kaliningrad');
    expect(main('66')).toBe('Asia/Yekaterinburg');
    expect(main('54')).toBe('Asia/Novosibirsk');
    expect(main('25')).toBe('Asia/Vladivostok');
    expect(main('41')).toBe('Asia/Kamchatka');
    expect(main('14')).toBe('Asia/Yakutsk');
    expect(main('91')).toBe('Europe/Simferopol');
  });

  it('leaves out the codes of the merged okrugs and the "other territories" (99)', () => {
    for (const code of ['00', '80', '81', '82', '84', '85', '88', '96', '97', '98', '99']) expect(Object.hasOwn(REGIONS, code)).toBe(false);
  });
});

describe('checkRegionAndZone', () => {
  it('defaults to 77 and the region’s main zone', () => {
    expect(checkRegionAndZone({})).toEqual({ ok: true, value: { region: '77', timeZone: 'Europe/Moscow' } });
    expect(checkRegionAndZone({ region: '41' })).toEqual({ ok: true, value: { region: '41', timeZone: 'Asia/Kamchatka' } });
  });

  it('takes another zone of a region that spans several', () => {
    expect(checkRegionAndZone({ region: '14', timeZone: 'Asia/Srednekolymsk' })).toEqual({ ok: true, value: { region: '14', timeZone: 'Asia/Srednekolymsk' } });
    expect(checkRegionAndZone({ region: '14', timeZone: 'Asia/Vladivostok' })).toMatchObject({ ok: true });
    expect(checkRegionAndZone({ region: '65', timeZone: 'Asia/Srednekolymsk' })).toMatchObject({ ok: true });
  });

  it('refuses a region code that is no subject', () => {
    for (const region of ['00', '80', '99', '1', 'ab', '777']) {
      expect(checkRegionAndZone({ region })).toEqual({ ok: false, problems: [expect.objectContaining({ path: 'region', code: 'invalid_value' })] });
    }
  });

  it('refuses a zone outside Russia, an alias, another spelling', () => {
    for (const timeZone of ['Europe/Kyiv', 'Asia/Almaty', 'UTC', 'Etc/GMT-3', 'W-SU', 'europe/moscow', 'Europe/Moscow ', 'Mars/Olympus', '']) {
      expect(checkRegionAndZone({ timeZone })).toEqual({ ok: false, problems: [expect.objectContaining({ path: 'timeZone', code: 'invalid_value' })] });
    }
  });

  it('refuses a zone of Russia the region does not span', () => {
    expect(checkRegionAndZone({ region: '77', timeZone: 'Asia/Kamchatka' })).toEqual({
      ok: false,
      problems: [expect.objectContaining({ path: 'timeZone', code: 'timezone_not_in_region' })],
    });
    expect(checkRegionAndZone({ timeZone: 'Asia/Vladivostok' })).toMatchObject({ ok: false });
  });

  it('reports both fields at once', () => {
    const got = checkRegionAndZone({ region: '99', timeZone: 'Europe/Paris' }, 'profile.');
    expect(got).toMatchObject({ ok: false, problems: [{ path: 'profile.region' }, { path: 'profile.timeZone' }] });
  });

  it('zoneOrMoscow: what an older item or an unknown value reads as', () => {
    expect(zoneOrMoscow(undefined)).toBe('Europe/Moscow');
    expect(zoneOrMoscow('Asia/Tokyo')).toBe('Europe/Moscow');
    expect(zoneOrMoscow('Asia/Omsk')).toBe('Asia/Omsk');
  });
});

describe('the citizen’s clock (Intl time-zone data)', () => {
  const AT = '2026-12-03T03:00:00Z'; // 06:00 in Moscow

  it.each([
    ['Europe/Kaliningrad', '03.12.2026 05:00 (МСК' + MINUS + '1)'],
    ['Europe/Moscow', '03.12.2026 06:00 (МСК)'],
    ['Europe/Samara', '03.12.2026 07:00 (МСК+1)'],
    ['Asia/Yekaterinburg', '03.12.2026 08:00 (МСК+2)'],
    ['Asia/Omsk', '03.12.2026 09:00 (МСК+3)'],
    ['Asia/Novosibirsk', '03.12.2026 10:00 (МСК+4)'],
    ['Asia/Irkutsk', '03.12.2026 11:00 (МСК+5)'],
    ['Asia/Yakutsk', '03.12.2026 12:00 (МСК+6)'],
    ['Asia/Vladivostok', '03.12.2026 13:00 (МСК+7)'],
    ['Asia/Magadan', '03.12.2026 14:00 (МСК+8)'],
    ['Asia/Kamchatka', '03.12.2026 15:00 (МСК+9)'],
  ] as const)('%s: %s', (zone, text) => {
    expect(formatCitizenTime(AT, zone)).toBe(text);
  });

  it('crosses midnight into the citizen’s date', () => {
    // 20:45 MSK on 2 December is 05:45 on 3 December in Kamchatka
    expect(formatCitizenTime('2026-12-02T17:45:00Z', 'Asia/Kamchatka')).toBe('03.12.2026 05:45 (МСК+9)');
    expect(formatCitizenTime('2026-12-31T21:30:00Z', 'Europe/Kaliningrad')).toBe('31.12.2026 23:30 (МСК' + MINUS + '1)');
  });

  it('the minus is U+2212, the only non-ASCII sign in the label', () => {
    const label = mskOffsetLabel(AT, 'Europe/Kaliningrad');
    expect(label).toBe('\u22121');
    expect(label).not.toContain('-');
  });

  it('follows the zones’ history from the platform, not a table of constants', () => {
    // Novosibirsk was UTC+6 (MSK+3) until 24 July 2016, then UTC+7 (MSK+4)
    expect(formatCitizenTime('2016-01-15T12:00:00Z', 'Asia/Novosibirsk')).toBe('15.01.2016 18:00 (МСК+3)');
    expect(formatCitizenTime('2016-08-15T12:00:00Z', 'Asia/Novosibirsk')).toBe('15.08.2016 19:00 (МСК+4)');
    // From 2011 to 2014 Moscow was UTC+4, and Samara too: the same clock
    expect(formatCitizenTime('2013-03-01T08:00:00Z', 'Europe/Moscow')).toBe('01.03.2013 12:00 (МСК)');
    expect(formatCitizenTime('2013-03-01T08:00:00Z', 'Europe/Samara')).toBe('01.03.2013 12:00 (МСК)');
    expect(zoneOffsetMinutes('2013-03-01T08:00:00Z', 'Europe/Moscow')).toBe(240);
  });

  it('localIso writes the start with the zone’s own offset', () => {
    expect(localIso('2026-12-03T00:00:00.000Z', 'Asia/Vladivostok')).toBe('2026-12-03T10:00:00+10:00');
    expect(localIso('2026-12-03T08:00:00.000Z', 'Europe/Kaliningrad')).toBe('2026-12-03T10:00:00+02:00');
    expect(localIso('2026-12-02T23:00:00.000Z', 'Asia/Kamchatka')).toBe('2026-12-03T11:00:00+12:00');
    expect(Date.parse(localIso('2026-12-02T23:00:00.000Z', 'Asia/Kamchatka'))).toBe(Date.parse('2026-12-02T23:00:00.000Z'));
  });

  it('zoneParts gives the local date and minute of the day', () => {
    expect(zoneParts('2026-12-02T17:45:00Z', 'Asia/Kamchatka')).toMatchObject({ date: '2026-12-03', hour: 5, minute: 45, minuteOfDay: 345 });
    expect(zoneParts('2026-12-02T21:00:00Z', 'Europe/Moscow')).toMatchObject({ date: '2026-12-03', hour: 0, minuteOfDay: 0 });
  });

  it('calling hours are 08:00 to 21:00 local: a slot must start at 08:00 or later and end by 21:00', () => {
    const slot = (startUtc: string) => ({ start: startUtc, end: new Date(Date.parse(startUtc) + 15 * 60_000).toISOString() });
    // Vladivostok is UTC+10
    expect(inCallingHours(slot('2026-12-02T22:00:00.000Z'), 'Asia/Vladivostok')).toBe(true); // 08:00
    expect(inCallingHours(slot('2026-12-02T21:45:00.000Z'), 'Asia/Vladivostok')).toBe(false); // 07:45
    expect(inCallingHours(slot('2026-12-03T10:45:00.000Z'), 'Asia/Vladivostok')).toBe(true); // 20:45–21:00
    expect(inCallingHours(slot('2026-12-03T11:00:00.000Z'), 'Asia/Vladivostok')).toBe(false); // 21:00
  });
});
