/**
 * java.util.GregorianCalendar's arithmetic in UTC, as SimpleDateFormat uses it: the Gregorian
 * calendar from 1582-10-15 and the Julian calendar before (via Julian Day Numbers), day of year
 * and US week numbering.
 */

export const DAY_MS = 86_400_000;

/** The calendar fields of an instant in UTC (month 0-11, dow 0 = Sunday, doy from 1). */
export interface CalendarFields {
  year: number;
  month: number;
  day: number;
  dow: number;
  doy: number;
  hour: number;
  minute: number;
  second: number;
  milli: number;
  /** Days in the year of `year` (Julian years before the cutover). */
  yearDays: number;
}

/** 1582-10-15T00:00:00Z: GregorianCalendar's default cutover; earlier instants are Julian dates. */
export const GREGORIAN_CUTOVER_MS = -12_219_292_800_000;
/** Julian Day Number of 1970-01-01. */
export const EPOCH_JDN = 2_440_588;

/** Julian Day Number of a Julian-calendar date (month 1-12). */
export function julianToJdn(year: number, month: number, day: number): number {
  const a = Math.floor((14 - month) / 12);
  const y = year + 4800 - a;
  const m = month + 12 * a - 3;
  return day + Math.floor((153 * m + 2) / 5) + 365 * y + Math.floor(y / 4) - 32083;
}

function julianFieldsOf(date: Date): CalendarFields {
  const ms = date.getTime();
  const days = Math.floor(ms / DAY_MS);
  const c = days + EPOCH_JDN + 32082;
  const d = Math.floor((4 * c + 3) / 1461);
  const e = c - Math.floor((1461 * d) / 4);
  const m = Math.floor((5 * e + 2) / 153);
  const day = e - Math.floor((153 * m + 2) / 5) + 1;
  const month = m + 3 - 12 * Math.floor(m / 10);
  const year = d - 4800 + Math.floor(m / 10);
  return {
    year,
    month: month - 1,
    day,
    dow: date.getUTCDay(),
    doy: days + EPOCH_JDN - julianToJdn(year, 1, 1) + 1,
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    milli: date.getUTCMilliseconds(),
    yearDays: year % 4 === 0 ? 366 : 365,
  };
}

/** The fields of `date` as GregorianCalendar gives them (Julian before the cutover). */
export function calendarFieldsOf(date: Date): CalendarFields {
  if (date.getTime() < GREGORIAN_CUTOVER_MS) return julianFieldsOf(date);
  const year = date.getUTCFullYear();
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  // The cutover year began on Julian January 1st and is 10 days short.
  if (year === 1582) start.setTime((julianToJdn(1582, 1, 1) - EPOCH_JDN) * DAY_MS);
  return {
    year,
    month: date.getUTCMonth(),
    day: date.getUTCDate(),
    dow: date.getUTCDay(),
    doy: Math.floor((date.getTime() - start.getTime()) / DAY_MS) + 1,
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
    milli: date.getUTCMilliseconds(),
    yearDays: year === 1582 ? 355 : daysInYear(year),
  };
}

function daysInYear(year: number): number {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
}

/** Week of year and week-based year with the US rules (weeks start on Sunday, week 1 holds January 1st). */
export function weekOfYear(f: CalendarFields): { week: number; weekYear: number } {
  const jan1Dow = (((f.dow - (f.doy - 1)) % 7) + 7) % 7;
  if (f.doy + (6 - f.dow) > f.yearDays) return { week: 1, weekYear: f.year + 1 };
  return { week: Math.floor((f.doy - 1 + jan1Dow) / 7) + 1, weekYear: f.year };
}
