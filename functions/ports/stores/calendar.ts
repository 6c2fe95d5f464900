/** The centre's calendar as data (hours, slots, holidays, overrides): filled by issue 14's second half. */
export interface CalendarStore {}
