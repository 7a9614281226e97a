import { describe, it, expect } from 'vitest';
import * as T from './text-values.ts';
import { seededRandom } from '../../test/helpers/seeded-random.ts';

describe('PostgreSQL text value parsers', () => {
  it('dates and epoch days, including BC and pre-1900', () => {
    expect(T.parseDate('1970-01-01')).toBe(0);
    expect(T.parseDate('2018-06-20')).toBe(17702);
    expect(T.parseDate('1900-03-01')).toBe(-25508);
    expect(T.parseDate('0001-01-01 BC')).toBe(T.epochDay(0, 1, 1));
    expect(() => T.parseDate('20180620')).toThrow(/Unexpected date/);
  });

  it('integer text: the digit loop gives what Number gives', () => {
    const cases = ['0', '-0', '7', '-7', '32767', '-32768', '2147483647', '-2147483648', '999999999999999'];
    cases.push('-999999999999999', '1000000000000000', '9007199254740993', '', '-', '1e3', ' 1', '+1', '0x10', '1.5');
    let seed = 7;
    for (let i = 0; i < 5_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const digits = String(seed)
        .repeat(1 + (seed % 3))
        .slice(0, 1 + (seed % 17));
      cases.push(seed % 2 ? `-${digits}` : digits);
    }
    for (const c of cases) expect(Object.is(T.parseIntegerText(c), Number(c)), c).toBe(true);
  });

  it('times, timestamps and offsets', () => {
    expect(T.parseTimeMicros('10:15:30.123456')).toBe(36930123456);
    expect(T.parseTimeMicros('24:00:00')).toBe(86_400_000_000);
    expect(T.parseTimestamp('2018-06-20 06:37:03.123')).toEqual({ micros: 1529476623123000n, nanoOfSecond: 123000000 });
    expect(T.parseTimestamp('2018-06-20 13:37:03+02')).toEqual({ micros: 1529494623000000n, nanoOfSecond: 0 });
    expect(T.parseTimestamp('1969-12-31 23:59:59.5+00')).toEqual({ micros: -500000n, nanoOfSecond: 500000000 });
    expect(T.parseTimestamp('infinity')).toBe('infinity');
    expect(T.parseTimeTzUtcMicros('01:00:00+02')).toBe(23 * 3600 * 1_000_000);
    expect(T.parseTimeTzUtcMicros('10:15:30.5-05:30')).toBe(((15 * 60 + 45) * 60 + 30) * 1_000_000 + 500000);
  });

  it('the fast timestamp path gives what the full parser gives, and declines what it does not cover', () => {
    const next = seededRandom(18);
    const rnd = (n: number): number => Math.floor(next() * n);
    const pad = (v: number, w: number): string => String(v).padStart(w, '0');
    let fast = 0;
    for (let i = 0; i < 20_000; i++) {
      const frac = rnd(11) - 1; // -1: no fraction; 0: a bare dot; 1..9 digits
      const year = rnd(4) === 0 ? 1000 + rnd(9000) : 1900 + rnd(300);
      let text = `${pad(year, 4)}-${pad(rnd(14), 2)}-${pad(rnd(33), 2)}${rnd(2) ? ' ' : 'T'}${pad(rnd(25), 2)}:${pad(rnd(60), 2)}:${pad(rnd(60), 2)}`;
      if (frac >= 0) text += '.' + Array.from({ length: frac }, () => rnd(10)).join('');
      const tail = rnd(12);
      if (tail === 0) text += '+02';
      else if (tail === 1) text += ' BC';
      else if (tail === 2) text = text.replace('-', '/');
      else if (tail === 3) text = `1${text}`;
      const got = T.parseTimestampMicrosFast(text);
      let want: bigint | null = null;
      try {
        const p = T.parseTimestamp(text);
        if (typeof p !== 'string') want = p.micros;
      } catch {
        want = null;
      }
      if (got !== null) {
        fast++;
        expect(BigInt(got), text).toBe(want);
      } else if (tail > 3 && frac !== 0 && want !== null) {
        // Declined only far from 1970 (beyond ±100,000 days, where µs may pass 2^53).
        expect(want > 8_639_900_000_000_000n || want < -8_639_900_000_000_000n, text).toBe(true);
      }
    }
    expect(fast).toBeGreaterThan(5_000);
    expect(T.parseTimestampMicrosFast('2024-01-01 00:00:01')).toBe(1704067201000000);
    expect(T.parseTimestampMicrosFast('1969-12-31 23:59:59.9999999')).toBe(-1);
  });

  it('the fast date path agrees with epochDay; other forms still take the full parser', () => {
    for (const [y, m, d] of [
      [2024, 2, 29],
      [1000, 1, 1],
      [9999, 12, 31],
      [1582, 10, 10],
      [2023, 0, 0],
      [2023, 13, 40],
    ])
      expect(T.parseDate(`${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)).toBe(T.epochDay(y, m, d));
    expect(T.parseDate('12345-01-01')).toBe(T.epochDay(12345, 1, 1));
    expect(() => T.parseDate('2024-0a-01')).toThrow(/Unexpected date/);
  });

  it('ISO 8601 intervals', () => {
    expect(T.parseInterval('P1Y2M3DT4H5M6.5S')).toEqual({
      years: 1,
      months: 2,
      days: 3,
      hours: 4,
      minutes: 5,
      seconds: 6.5,
    });
    expect(T.parseInterval('PT0S')).toEqual({ years: 0, months: 0, days: 0, hours: 0, minutes: 0, seconds: 0 });
    expect(T.parseInterval('P-1DT-2H')).toMatchObject({ days: -1, hours: -2 });
    expect(() => T.parseInterval('1 day')).toThrow(/iso_8601/);
  });

  it('bytea, bits, arrays, hstore and points', () => {
    expect(T.parseBytea('\\x0102ff')).toEqual(Buffer.from([1, 2, 255]));
    expect(T.bitsToLittleEndian('1000000001', 2)).toEqual(Buffer.from([0x01, 0x02]));
    expect(T.bitsToLittleEndian('101', 1)).toEqual(Buffer.from([0x05]));
    expect(T.parseArrayLiteral('{1,2,NULL}')).toEqual(['1', '2', null]);
    expect(T.parseArrayLiteral('{a,"b c","d\\"e","NULL"}')).toEqual(['a', 'b c', 'd"e', 'NULL']);
    expect(T.parseArrayLiteral('{}')).toEqual([]);
    expect(T.parseArrayLiteral('[0:1]={7,8}')).toEqual(['7', '8']);
    expect(() => T.parseArrayLiteral('{{1},{2}}')).toThrow(/Multi-dimensional/);
    expect(T.parseHstore('"a"=>"1", "b"=>NULL, "c\\"q"=>"x"')).toEqual([
      ['a', '1'],
      ['b', null],
      ['c"q', 'x'],
    ]);
    expect(T.parsePoint('(1.5,-2)')).toEqual({ x: 1.5, y: -2 });
    expect(T.pointWkb(1.5, 2.5).toString('base64')).toBe('AQEAAAAAAAAAAAD4PwAAAAAAAARA');
  });
});
