import { DEFAULT_CENTRE_CONFIG, overriddenCentreConfig } from '#core/scheduling/centre-config';

/**
 * Tests on the real clock run whenever CI starts them. With the production calendar, from the
 * evening of 30 December to the morning of 2 January nothing is bookable within the 7-day horizon
 * (the New Year holidays), and every callback test would fail by date alone. So they run on the
 * production calendar without its holidays: the same hours, slots and horizon. Holidays themselves
 * are unit-tested on fixed dates (test/unit/scheduling-*.test.ts).
 */
export const ANY_DAY_CENTRE_ENV = JSON.stringify({ holidays: [] });
export const ANY_DAY_CENTRE = overriddenCentreConfig(DEFAULT_CENTRE_CONFIG, ANY_DAY_CENTRE_ENV);
