import type { FieldProblem } from '../errors.ts';

/**
 * The subjects of the Russian Federation by their two-digit code, and the IANA time zones each
 * one lives in: the one table the profile's `region`/`timeZone` and every citizen-time rule read.
 *
 * Codes: the Federal Tax Service's list "Коды субъектов Российской Федерации и иных территорий"
 * (Приложение N 2 к Порядку заполнения формы «Сведения о транспортных средствах и об их
 * владельцах…», приказ ФНС России от 20.05.2022 N ЕД-7-21/420@, в ред. приказа от 28.10.2022
 * N ЕД-7-21/988@): the codes of the tax and vehicle registers and the first two digits of an INN.
 * Codes 01–89 follow the 1992 order of art. 71 of the RSFSR Constitution; the subjects are the 89
 * that art. 65 of the Constitution lists as of that date, which is why:
 * - 80, 81, 82, 84, 85 and 88 are NOT subjects any more (autonomous okrugs merged in 2005–2008
 *   into Zabaykalsky, Perm, Kamchatka, Krasnoyarsk and Irkutsk): 400;
 * - 91 (Republic of Crimea) and 92 (Sevastopol) since 2014;
 * - 90 (Zaporozhye), 93 (Donetsk), 94 (Luhansk) and 95 (Kherson), added to art. 65 in October 2022
 *   and to the FNS list by the amending order of 28.10.2022 above (that the list exists in this
 *   edition, "с изменениями на 28 октября 2022 года", was checked against its published text in
 *   December 2026; the four codes' lines were not seen there and are worth one more look), are included: the portal's identity provider issues
 *   these codes, and a citizen with one must be callable. They keep Moscow time; the tz database
 *   has no zone of its own for them (it covers them with Europe/Kyiv and Europe/Simferopol, whose
 *   clocks differ), so Europe/Moscow is the zone that gives their wall clock;
 * - 99 ("иные территории, включая г. Байконур") is not a subject and Baikonur keeps Kazakhstan's
 *   clock: 400.
 * Vehicle plates use other numbers for some subjects (82 Crimea, 80 Donetsk…); profiles use this list.
 *
 * Zones: the tz database's zones of Russia (zone1970.tab, `RU`), each checked against the
 * platform's Intl data by test/unit/time-zones.test.ts. `zones[0]` is the region's main zone (the
 * profile's default); the others are the parts of the region that keep another clock, by the tz
 * database's descriptions: Yakutia (MSK+6 Lena, Tomponsky/Ust-Maysky; MSK+7 Oymyakonsky and the
 * north-east on Vladivostok time; MSK+8 Srednekolymsk), Sakhalin (the Northern Kurils on
 * Srednekolymsk's zone). A zone that is not in its region's list is refused (checkRegionAndZone).
 */
export interface Region {
  name: string;
  /** The first is the main zone, the profile's default. */
  zones: readonly [RussianTimeZone, ...RussianTimeZone[]];
}

/** Every zone of Russia in the tz database, west to east. */
export const RUSSIAN_TIME_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Simferopol',
  'Europe/Kirov',
  'Europe/Volgograd',
  'Europe/Astrakhan',
  'Europe/Saratov',
  'Europe/Ulyanovsk',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Barnaul',
  'Asia/Tomsk',
  'Asia/Novokuznetsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Chita',
  'Asia/Yakutsk',
  'Asia/Khandyga',
  'Asia/Vladivostok',
  'Asia/Ust-Nera',
  'Asia/Magadan',
  'Asia/Sakhalin',
  'Asia/Srednekolymsk',
  'Asia/Kamchatka',
  'Asia/Anadyr',
] as const;
export type RussianTimeZone = (typeof RUSSIAN_TIME_ZONES)[number];

/** The centre's own zone, and the zone of every request and profile that has none stored. */
export const MOSCOW_ZONE: RussianTimeZone = 'Europe/Moscow';
export const DEFAULT_REGION = '77';

// Plain literals, no helper calls: a table without calls is free of side effects, so a bundle
// that only needs the zones (zoneOrMoscow) leaves it out (~13 KB of escaped Cyrillic names).
const MSK: Region['zones'] = ['Europe/Moscow'];

export const REGIONS: Readonly<Record<string, Region>> = {
  '01': { name: 'Республика Адыгея (Адыгея)', zones: MSK },
  '02': { name: 'Республика Башкортостан', zones: ['Asia/Yekaterinburg'] },
  '03': { name: 'Республика Бурятия', zones: ['Asia/Irkutsk'] },
  '04': { name: 'Республика Алтай', zones: ['Asia/Barnaul'] },
  '05': { name: 'Республика Дагестан', zones: MSK },
  '06': { name: 'Республика Ингушетия', zones: MSK },
  '07': { name: 'Кабардино-Балкарская Республика', zones: MSK },
  '08': { name: 'Республика Калмыкия', zones: MSK },
  '09': { name: 'Карачаево-Черкесская Республика', zones: MSK },
  '10': { name: 'Республика Карелия', zones: MSK },
  '11': { name: 'Республика Коми', zones: MSK },
  '12': { name: 'Республика Марий Эл', zones: MSK },
  '13': { name: 'Республика Мордовия', zones: MSK },
  '14': {
    name: 'Республика Саха (Якутия)',
    zones: ['Asia/Yakutsk', 'Asia/Khandyga', 'Asia/Vladivostok', 'Asia/Ust-Nera', 'Asia/Srednekolymsk'],
  },
  '15': { name: 'Республика Северная Осетия — Алания', zones: MSK },
  '16': { name: 'Республика Татарстан (Татарстан)', zones: MSK },
  '17': { name: 'Республика Тыва', zones: ['Asia/Krasnoyarsk'] },
  '18': { name: 'Удмуртская Республика', zones: ['Europe/Samara'] },
  '19': { name: 'Республика Хакасия', zones: ['Asia/Krasnoyarsk'] },
  '20': { name: 'Чеченская Республика', zones: MSK },
  '21': { name: 'Чувашская Республика — Чувашия', zones: MSK },
  '22': { name: 'Алтайский край', zones: ['Asia/Barnaul'] },
  '23': { name: 'Краснодарский край', zones: MSK },
  '24': { name: 'Красноярский край', zones: ['Asia/Krasnoyarsk'] },
  '25': { name: 'Приморский край', zones: ['Asia/Vladivostok'] },
  '26': { name: 'Ставропольский край', zones: MSK },
  '27': { name: 'Хабаровский край', zones: ['Asia/Vladivostok'] },
  '28': { name: 'Амурская область', zones: ['Asia/Yakutsk'] },
  '29': { name: 'Архангельская область', zones: MSK },
  '30': { name: 'Астраханская область', zones: ['Europe/Astrakhan'] },
  '31': { name: 'Белгородская область', zones: MSK },
  '32': { name: 'Брянская область', zones: MSK },
  '33': { name: 'Владимирская область', zones: MSK },
  '34': { name: 'Волгоградская область', zones: ['Europe/Volgograd'] },
  '35': { name: 'Вологодская область', zones: MSK },
  '36': { name: 'Воронежская область', zones: MSK },
  '37': { name: 'Ивановская область', zones: MSK },
  '38': { name: 'Иркутская область', zones: ['Asia/Irkutsk'] },
  '39': { name: 'Калининградская область', zones: ['Europe/Kaliningrad'] },
  '40': { name: 'Калужская область', zones: MSK },
  '41': { name: 'Камчатский край', zones: ['Asia/Kamchatka'] },
  '42': { name: 'Кемеровская область — Кузбасс', zones: ['Asia/Novokuznetsk'] },
  '43': { name: 'Кировская область', zones: ['Europe/Kirov'] },
  '44': { name: 'Костромская область', zones: MSK },
  '45': { name: 'Курганская область', zones: ['Asia/Yekaterinburg'] },
  '46': { name: 'Курская область', zones: MSK },
  '47': { name: 'Ленинградская область', zones: MSK },
  '48': { name: 'Липецкая область', zones: MSK },
  '49': { name: 'Магаданская область', zones: ['Asia/Magadan'] },
  '50': { name: 'Московская область', zones: MSK },
  '51': { name: 'Мурманская область', zones: MSK },
  '52': { name: 'Нижегородская область', zones: MSK },
  '53': { name: 'Новгородская область', zones: MSK },
  '54': { name: 'Новосибирская область', zones: ['Asia/Novosibirsk'] },
  '55': { name: 'Омская область', zones: ['Asia/Omsk'] },
  '56': { name: 'Оренбургская область', zones: ['Asia/Yekaterinburg'] },
  '57': { name: 'Орловская область', zones: MSK },
  '58': { name: 'Пензенская область', zones: MSK },
  '59': { name: 'Пермский край', zones: ['Asia/Yekaterinburg'] },
  '60': { name: 'Псковская область', zones: MSK },
  '61': { name: 'Ростовская область', zones: MSK },
  '62': { name: 'Рязанская область', zones: MSK },
  '63': { name: 'Самарская область', zones: ['Europe/Samara'] },
  '64': { name: 'Саратовская область', zones: ['Europe/Saratov'] },
  '65': { name: 'Сахалинская область', zones: ['Asia/Sakhalin', 'Asia/Srednekolymsk'] },
  '66': { name: 'Свердловская область', zones: ['Asia/Yekaterinburg'] },
  '67': { name: 'Смоленская область', zones: MSK },
  '68': { name: 'Тамбовская область', zones: MSK },
  '69': { name: 'Тверская область', zones: MSK },
  '70': { name: 'Томская область', zones: ['Asia/Tomsk'] },
  '71': { name: 'Тульская область', zones: MSK },
  '72': { name: 'Тюменская область', zones: ['Asia/Yekaterinburg'] },
  '73': { name: 'Ульяновская область', zones: ['Europe/Ulyanovsk'] },
  '74': { name: 'Челябинская область', zones: ['Asia/Yekaterinburg'] },
  '75': { name: 'Забайкальский край', zones: ['Asia/Chita'] },
  '76': { name: 'Ярославская область', zones: MSK },
  '77': { name: 'г. Москва', zones: MSK },
  '78': { name: 'г. Санкт-Петербург', zones: MSK },
  '79': { name: 'Еврейская автономная область', zones: ['Asia/Vladivostok'] },
  '83': { name: 'Ненецкий автономный округ', zones: MSK },
  '86': { name: 'Ханты-Мансийский автономный округ — Югра', zones: ['Asia/Yekaterinburg'] },
  '87': { name: 'Чукотский автономный округ', zones: ['Asia/Anadyr'] },
  '89': { name: 'Ямало-Ненецкий автономный округ', zones: ['Asia/Yekaterinburg'] },
  '90': { name: 'Запорожская область', zones: MSK },
  '91': { name: 'Республика Крым', zones: ['Europe/Simferopol'] },
  '92': { name: 'г. Севастополь', zones: ['Europe/Simferopol'] },
  '93': { name: 'Донецкая Народная Республика', zones: MSK },
  '94': { name: 'Луганская Народная Республика', zones: MSK },
  '95': { name: 'Херсонская область', zones: MSK },
};

export function isRussianTimeZone(zone: string): zone is RussianTimeZone {
  return (RUSSIAN_TIME_ZONES as readonly string[]).includes(zone);
}

/** The zone a stored profile or request names, or Moscow when it names none (older items) or one this table no longer knows. */
export function zoneOrMoscow(zone: string | undefined): RussianTimeZone {
  return zone !== undefined && isRussianTimeZone(zone) ? zone : MOSCOW_ZONE;
}

export interface RegionAndZone {
  region: string;
  timeZone: RussianTimeZone;
}

/**
 * The profile's `region` and `timeZone` with their defaults: region 77 (Moscow), the region's
 * main zone. Problems (path `<prefix>region` / `<prefix>timeZone`): an unknown region code
 * `invalid_value`; a zone that is not a zone of Russia `invalid_value`; a zone of Russia that
 * the region does not span `timezone_not_in_region`. Zones are matched exactly as the tz
 * database spells them (no aliases, no other case): what is stored is what is shown back.
 */
export function checkRegionAndZone(input: { region?: string | undefined; timeZone?: string | undefined }, prefix = ''): { ok: true; value: RegionAndZone } | { ok: false; problems: FieldProblem[] } {
  const code = input.region ?? DEFAULT_REGION;
  const region = Object.hasOwn(REGIONS, code) ? REGIONS[code] : undefined;
  const problems: FieldProblem[] = [];
  if (!region) {
    problems.push({ path: `${prefix}region`, code: 'invalid_value', message: 'region must be the two-digit code of a subject of the Russian Federation (01..95, as the tax service lists them).' });
  }
  const zone = input.timeZone;
  if (zone !== undefined && !isRussianTimeZone(zone)) {
    problems.push({ path: `${prefix}timeZone`, code: 'invalid_value', message: 'timeZone must be an IANA time zone of Russia, e.g. Europe/Moscow or Asia/Vladivostok.' });
  } else if (zone !== undefined && region && !region.zones.includes(zone)) {
    problems.push({
      path: `${prefix}timeZone`,
      code: 'timezone_not_in_region',
      message: `timeZone must be one of the zones of region ${code}: ${region.zones.join(', ')}.`,
    });
  }
  if (problems.length > 0 || !region) return { ok: false, problems };
  return { ok: true, value: { region: code, timeZone: zone !== undefined && isRussianTimeZone(zone) ? zone : region.zones[0] } };
}
