/** Decimal, temporal and GTID codecs against hand-computed byte vectors (MySQL decimal.cc / my_time.cc layouts). */
import { describe, expect, it } from 'vitest';
import { BigDecimal } from '../../../sdk/data.ts';
import { decodeDecimal, encodeDecimal } from './decimal.ts';
import { MariadbGtidPosition } from './gtid.ts';
import { compressMariadb, decompressMariadb } from './mariadb-compression.ts';
import { decodeDatetime2, decodeTime2, decodeTimestamp2, formatTime } from './temporal.ts';

describe('NEWDECIMAL', () => {
  it('decodes the documented example and round-trips edge values', () => {
    // decimal.cc: 1234567890.1234 as DECIMAL(14,4) is 81 0D FB 38 D2 04 D2 (sign bit set, 1|234567890|1234).
    expect(decodeDecimal(Buffer.from('810dfb38d204d2', 'hex'), 0, 14, 4).toString()).toBe('1234567890.1234');
    // negative: every byte inverted
    expect(decodeDecimal(Buffer.from('7ef204c72dfb2d', 'hex'), 0, 14, 4).toString()).toBe('-1234567890.1234');
    for (const [v, p, s] of [
      ['0', 10, 0],
      ['-0.01', 5, 2],
      ['99999999999999999999.999999999', 29, 9],
      ['-1', 1, 0],
      ['12345678901234567890.0123456789', 30, 10],
    ] as const) {
      const enc = encodeDecimal(BigDecimal.parse(v), p, s);
      expect(decodeDecimal(enc, 0, p, s).toString()).toBe(BigDecimal.parse(v).setScale(s).toString());
    }
  });
});

describe('temporal encodings', () => {
  it('decodes DATETIME2, TIMESTAMP2 and TIME2 with fractions', () => {
    // 2018-06-20 06:37:03.123 DATETIME(3): ymd=(2018*13+6)<<5|20, hms=6<<12|37<<6|3
    const ymd = ((2018 * 13 + 6) << 5) | 20;
    const hms = (6 << 12) | (37 << 6) | 3;
    const b = Buffer.alloc(7);
    b.writeUIntBE(ymd * 2 ** 17 + hms + 0x8000000000, 0, 5);
    b.writeUInt16BE(1230, 5);
    expect(decodeDatetime2(b, 0, 3)).toEqual({
      year: 2018,
      month: 6,
      day: 20,
      hour: 6,
      minute: 37,
      second: 3,
      micros: 123000,
    });
    expect(decodeTimestamp2(Buffer.from('5b2a5a1f0f423f', 'hex'), 0, 6)).toEqual({
      seconds: 0x5b2a5a1f,
      micros: 999999,
    });
    // TIME2(0) 10:15:30 = 0x800000 + (10<<12|15<<6|30)
    expect(decodeTime2(Buffer.from((0x800000 + ((10 << 12) | (15 << 6) | 30)).toString(16), 'hex'), 0, 0)).toBe(
      (10 * 3600 + 15 * 60 + 30) * 1e6,
    );
    // TIME2(2) -00:00:01.01: intpart -2 stored with fraction 0x100-1 = 0xFF (reversed negative fraction)
    const neg = Buffer.alloc(4);
    neg.writeUIntBE(0x800000 - 2, 0, 3);
    neg[3] = 0xff;
    expect(formatTime(decodeTime2(neg, 0, 2), 2)).toBe('-00:00:01.01');
  });
});

describe('MariaDB GTID positions and compression', () => {
  it('parses and prints domain-server-seq lists', () => {
    const p = MariadbGtidPosition.parse('1-2-57, 0-1-100');
    expect(p.toString()).toBe('0-1-100,1-2-57');
    p.advance({ domainId: 0, serverId: 3, sequence: 101n });
    expect(p.toString()).toBe('0-3-101,1-2-57');
    expect(() => MariadbGtidPosition.parse('0-1')).toThrow(/domain-server-sequence/);
  });

  it('inflates the log_bin_compress format', () => {
    const data = Buffer.from('x'.repeat(1000));
    const c = compressMariadb(data);
    expect(c[0]).toBe(0x82); // compressed, zlib, 2 length bytes
    expect(c.readUInt16BE(1)).toBe(1000);
    expect(decompressMariadb(c)).toEqual(data);
  });
});
