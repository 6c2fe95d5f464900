import { createHash } from 'node:crypto';
import { formatSnils, snilsCheckNumber } from '#core/identity/snils';
import { REGIONS } from '#core/regions/regions';

/**
 * The local test citizens: any user id the local sign-in is given stands for a citizen whose
 * identity is made from that id, the same on every run (valid SNILS check number, a passport
 * issued after 1997, a mobile phone of their own: a phone belongs to one profile). The local
 * sign-in creates their reference profile on first sign-in and hands the web app this identity to
 * prefill the request forms, as the portal's identity provider does in production.
 */
export interface TestCitizen {
  fullName: string;
  /** `XXX-XXX-XXX YY` */
  snils: string;
  passport: { series: string; number: string; issuedOn: string };
  /** `+7 9XX XXX-XX-XX` as a person writes it; the API stores the E.164 form (`phoneE164`). */
  phone: string;
  phoneE164: string;
  region: string;
  timeZone: string;
}

/** Moscow and two regions east of it: the slot picker and every time shown read in the citizen's own zone. */
const TEST_REGIONS = ['77', '66', '54'] as const;

const NAMES = ['Иванов Иван Иванович', 'Петрова Анна Сергеевна', 'Смирнов Олег Петрович', 'Кузнецова Мария Андреевна', 'Соколов Дмитрий Ильич'];

/** 30 decimal digits that depend only on the user id. */
function digitsOf(userId: string): string {
  const hex = createHash('sha256').update(`local-citizen:${userId}`).digest('hex');
  return BigInt(`0x${hex}`).toString().padStart(30, '0').slice(-30);
}

export function testCitizen(userId: string): TestCitizen {
  const d = digitsOf(userId);
  // 9 digits above 001-001-998 (those are the ones with a check number), then the check number.
  const nine = `${1 + (Number(d[0]) % 9)}${d.slice(1, 9)}`;
  const snilsDigits = `${nine}${String(snilsCheckNumber(nine)).padStart(2, '0')}`;
  const mobile = `900${d.slice(9, 16)}`;
  const region = TEST_REGIONS[Number(d.slice(26, 28)) % TEST_REGIONS.length] as string;
  return {
    fullName: NAMES[Number(d.slice(16, 18)) % NAMES.length] as string,
    snils: formatSnils(snilsDigits),
    passport: { series: `45${d.slice(18, 20)}`, number: d.slice(20, 26), issuedOn: '2015-03-20' },
    phone: `+7 ${mobile.slice(0, 3)} ${mobile.slice(3, 6)}-${mobile.slice(6, 8)}-${mobile.slice(8, 10)}`,
    phoneE164: `+7${mobile}`,
    region,
    timeZone: REGIONS[region]?.zones[0] as string,
  };
}
