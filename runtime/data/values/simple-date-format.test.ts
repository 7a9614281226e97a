/** java.text.SimpleDateFormat (UTC, US locale): formatting, parsing and pattern errors, checked against Java's output. */
import { describe, expect, it } from 'vitest';
import { SimpleDateFormat, dateFormatFor } from './simple-date-format.ts';

// 2017-01-03T06:30:01.864Z, a Tuesday: day 3 of the year, week 1.
const T = new Date(1_483_425_001_864);

describe('SimpleDateFormat', () => {
  it.each([
    ['yyyyMMdd', '20170103'],
    ['yyyy-MM-dd HH:mm:ss.SSS', '2017-01-03 06:30:01.864'],
    ["yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", '2017-01-03T06:30:01.864Z'],
    ['yy/M/d H:m:s.S', '17/1/3 6:30:1.864'],
    ['EEE, d MMM yyyy HH:mm:ss Z', 'Tue, 3 Jan 2017 06:30:01 +0000'],
    ['EEEE MMMM dd G', 'Tuesday January 03 AD'],
    ['hh:mm a', '06:30 AM'],
    ['K k h H', '6 6 6 6'],
    ['D w W F u', '3 1 1 1 2'],
    ['z zzzz X XX XXX', 'UTC Coordinated Universal Time Z Z Z'],
    ["'o''clock' ''", "o'clock '"],
    ['SSSSSS', '000864'],
    ['YYYY ww', '2017 01'],
  ])('formats %s', (pattern, expected) => {
    expect(new SimpleDateFormat(pattern).format(T)).toBe(expected);
  });

  it.each([
    ['week-based year at a year end', new Date(Date.UTC(2019, 11, 31)), 'yyyy YYYY ww', '2019 2020 01'],
    ['last week of a year', new Date(Date.UTC(2016, 11, 31)), 'YYYY ww', '2016 53'],
    ['midnight', new Date(Date.UTC(2017, 0, 3, 0, 5)), 'k:mm h a', '24:05 12 AM'],
    ['noon', new Date(Date.UTC(2017, 0, 3, 12)), 'K h a', '0 12 PM'],
    [
      'year 5',
      (() => {
        const d = new Date(0);
        d.setUTCFullYear(5, 6, 1);
        return d;
      })(),
      'y yy yyyy',
      '5 05 0005',
    ],
  ])('formats %s', (_n, date, pattern, expected) => {
    expect(new SimpleDateFormat(pattern).format(date)).toBe(expected);
  });

  it.each([
    ['yyyyMMdd', '20170103', Date.UTC(2017, 0, 3)],
    ['yyyy-MM-dd HH:mm:ss.SSS', '2017-01-03 06:30:01.864', T.getTime()],
    ['yyyy MM dd HH mm ss SSS z', '1970 01 02 00 00 01 234 UTC', 86_401_234],
    ['yyyy-MM-dd HH:mm:ss Z', '2017-01-03 08:30:01 +0200', Date.UTC(2017, 0, 3, 6, 30, 1)],
    ["yyyy-MM-dd'T'HH:mm:ssXXX", '2017-01-03T01:30:01-05:00', Date.UTC(2017, 0, 3, 6, 30, 1)],
    ["yyyy-MM-dd'T'HH:mm:ssX", '2017-01-03T06:30:01Z', Date.UTC(2017, 0, 3, 6, 30, 1)],
    ['yyyy-MM-dd HH:mm z', '2017-01-03 01:30 EST', Date.UTC(2017, 0, 3, 6, 30)],
    ['yyyy-MM-dd HH:mm z', '2017-01-03 07:30 GMT+01:00', Date.UTC(2017, 0, 3, 6, 30)],
    ['d MMM yyyy', '3 jan 2017', Date.UTC(2017, 0, 3)],
    ['d MMMM yyyy', '3 January 2017', Date.UTC(2017, 0, 3)],
    ['EEE, d MMM yyyy', 'Tue, 3 Jan 2017', Date.UTC(2017, 0, 3)],
    ['hh:mm a', '06:30 PM', Date.UTC(1970, 0, 1, 18, 30)],
    ['hh:mm a', '12:15 AM', Date.UTC(1970, 0, 1, 0, 15)],
    ['yyyy-M-d', '2017-1-3', Date.UTC(2017, 0, 3)],
    ['yyyy-MM-dd', '2017-02-30', Date.UTC(2017, 2, 2)],
    ['yyyy-MM-dd', '2017-01-03 trailing text', Date.UTC(2017, 0, 3)],
    ['yyyyMMddHHmmss', '20170103063001', Date.UTC(2017, 0, 3, 6, 30, 1)],
    ['D yyyy', '34 2017', Date.UTC(2017, 1, 3)],
    ['yyyy-MM-dd HH:mm:ss.SSS', '2017-01-03 06:30:01.5', Date.UTC(2017, 0, 3, 6, 30, 1, 5)],
  ])('parses %s: %s', (pattern, text, expected) => {
    expect(new SimpleDateFormat(pattern).parse(text).getTime()).toBe(expected);
  });

  it('resolves two-digit years within 80 years before and 20 after now', () => {
    const now = new Date(Date.UTC(2024, 5, 1));
    expect(new SimpleDateFormat('yy-MM-dd').parse('17-01-03', now).getUTCFullYear()).toBe(2017);
    expect(new SimpleDateFormat('yy-MM-dd').parse('99-01-03', now).getUTCFullYear()).toBe(1999);
    expect(new SimpleDateFormat('yyyy-MM-dd').parse('17-01-03', now).getUTCFullYear()).toBe(17);
  });

  it.each(['2017/01/03', 'x2017-01-03', '2017-01', ''])('does not parse %j with yyyy-MM-dd', (text) => {
    expect(() => new SimpleDateFormat('yyyy-MM-dd').parse(text)).toThrow(/Unparseable date/);
  });

  it.each([
    ['bad-format', "Illegal pattern character 'b'"],
    ["yyyy-MM-dd'T", 'Unterminated quote'],
    ['XXXX', 'invalid ISO 8601 format: length=4'],
  ])('refuses pattern %s', (pattern, message) => {
    expect(() => new SimpleDateFormat(pattern)).toThrow(message);
  });

  it('picks the ISO format Values.dateFormatFor picks', () => {
    expect(dateFormatFor(new Date(1234)).format(new Date(1234))).toBe('00:00:01.234Z');
    expect(dateFormatFor(new Date(86_400_000)).format(new Date(86_400_000))).toBe('1970-01-02');
    expect(dateFormatFor(T).format(T)).toBe('2017-01-03T06:30:01.864Z');
  });
});
