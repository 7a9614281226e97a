/**
 * Byte vectors for the numeric decoders. Sources: IBM Enterprise COBOL for z/OS Programming
 * Guide, "Examples: numeric data and internal representation" (zoned: +1234 = F1 F2 F3 C4,
 * -1234 = F1 F2 F3 D4, unsigned F4; SIGN LEADING puts the zone on the first byte; SEPARATE adds
 * a "+"/"-" character; packed: +1234 = 01 23 4C, -1234 = 01 23 4D, unsigned 01 23 4F; binary
 * PIC S9(4) COMP -1234 = FB 2E); IBM z/Architecture Principles of Operation (packed sign codes
 * A, C, E, F plus and B, D minus; hexadecimal floating point: 0.fraction × 16^(exp−64)); the
 * ASCII overpunch table ("{" A-I / "}" J-R) used by IBM and Micro Focus for trailing signs.
 */
import { describe, it, expect } from 'vitest';
import {
  decodeBinary,
  decodeIbmFloat,
  decodeIeeeFloat,
  decodePacked,
  decodeZoned,
  truncateToDigits,
} from './numeric.ts';
import { InvalidFieldData } from './errors.ts';

const h = (s: string) => Buffer.from(s.replace(/\s/g, ''), 'hex');
const zonedE = { signed: true, signPosition: 'trailing' as const, signSeparate: false, ebcdic: true };

describe('packed decimal (COMP-3)', () => {
  it('decodes the IBM examples', () => {
    expect(decodePacked(h('01234C'), 0, 3, true)).toBe(1234);
    expect(decodePacked(h('01234D'), 0, 3, true)).toBe(-1234);
    expect(decodePacked(h('01234F'), 0, 3, false)).toBe(1234);
    expect(decodePacked(h('0C'), 0, 1, true)).toBe(0);
    expect(decodePacked(h('0D'), 0, 1, true)).toBe(0);
  });
  it('rejects the alternate sign codes A, E and B as invalid data, as Cobrix 2.6.9 (null there)', () => {
    for (const [hex, signed] of [
      ['123A', true],
      ['123E', true],
      ['123B', true],
      ['123A', false],
      ['1234567890123456789012345678901B', true],
    ] as const)
      expect(() => decodePacked(h(hex), 0, hex.length / 2, signed)).toThrow(
        new InvalidFieldData(`invalid packed decimal sign nibble ${hex.slice(-1)} in X'${hex}'`),
      );
  });
  it('keeps 31 digits exact as bigint', () => {
    expect(decodePacked(h('1234567890123456789012345678901D'), 0, 16, true)).toBe(-1234567890123456789012345678901n);
    expect(decodePacked(h('0000000000000000009007199254740991C'.slice(1)), 0, 17, true)).toBe(9007199254740991);
  });
  it('reports invalid sign and digit nibbles', () => {
    expect(() => decodePacked(h('1233'), 0, 2, true)).toThrow(
      new InvalidFieldData("invalid packed decimal sign nibble 3 in X'1233'"),
    );
    expect(() => decodePacked(h('1A3C'), 0, 2, true)).toThrow(/invalid packed decimal digit A in X'1A3C'/);
    expect(() => decodePacked(h('123D'), 0, 2, false)).toThrow(/negative sign nibble in unsigned packed decimal/);
  });
  it('reads an uninitialised field (low-values or spaces) as null', () => {
    expect(decodePacked(h('000000'), 0, 3, true)).toBeNull();
    expect(decodePacked(h('404040'), 0, 3, true)).toBeNull();
  });
});

describe('zoned decimal (DISPLAY)', () => {
  it('decodes EBCDIC overpunched signs', () => {
    expect(decodeZoned(h('F1F2F3C4'), 0, 4, zonedE)).toBe(1234);
    expect(decodeZoned(h('F1F2F3D4'), 0, 4, zonedE)).toBe(-1234);
    expect(decodeZoned(h('F1F2F3F4'), 0, 4, zonedE)).toBe(1234);
    expect(decodeZoned(h('F1F2F3F4'), 0, 4, { ...zonedE, signed: false })).toBe(1234);
    expect(decodeZoned(h('F0F0D0'), 0, 3, zonedE)).toBe(0); // "}" = -0
    expect(decodeZoned(h('F1F2C0'), 0, 3, zonedE)).toBe(120); // "{" = +0
  });
  it('decodes SIGN LEADING and SEPARATE', () => {
    expect(decodeZoned(h('D1F2F3F4'), 0, 4, { ...zonedE, signPosition: 'leading' })).toBe(-1234);
    expect(decodeZoned(h('60F1F2F3F4'), 0, 5, { ...zonedE, signPosition: 'leading', signSeparate: true })).toBe(-1234);
    expect(decodeZoned(h('4EF1F2F3F4'), 0, 5, { ...zonedE, signPosition: 'leading', signSeparate: true })).toBe(1234);
    expect(decodeZoned(h('F1F2F3F460'), 0, 5, { ...zonedE, signSeparate: true })).toBe(-1234);
  });
  it('decodes ASCII overpunch conventions', () => {
    const a = { ...zonedE, ebcdic: false };
    expect(decodeZoned(Buffer.from('123D'), 0, 4, a)).toBe(1234); // D = +4
    expect(decodeZoned(Buffer.from('123M'), 0, 4, a)).toBe(-1234); // M = -4
    expect(decodeZoned(Buffer.from('123{'), 0, 4, a)).toBe(1230);
    expect(decodeZoned(Buffer.from('123}'), 0, 4, a)).toBe(-1230);
    expect(decodeZoned(Buffer.from('123t'), 0, 4, a)).toBe(-1234); // Micro Focus: 0x74 = -4
    expect(decodeZoned(Buffer.from('-1234'), 0, 5, { ...a, signPosition: 'leading', signSeparate: true })).toBe(-1234);
    expect(decodeZoned(Buffer.from('  42'), 0, 4, a)).toBe(42);
  });
  it('keeps long values exact', () => {
    expect(decodeZoned(h('F9'.repeat(19) + 'D9'), 0, 20, zonedE)).toBe(-99999999999999999999n);
  });
  it('reports invalid zones', () => {
    expect(() => decodeZoned(h('F1C2F3'), 0, 3, zonedE)).toThrow(/invalid zoned decimal byte X'C2' in X'F1C2F3'/);
    expect(() => decodeZoned(h('F1F2D3'), 0, 3, { ...zonedE, signed: false })).toThrow(/negative zone in unsigned/);
    // the alternate sign zones A, E, B are invalid data, as Cobrix 2.6.9 reads them (null there)
    for (const z of ['F1F2A3', 'F1F2E3', 'F1F2B3', 'F9'.repeat(19) + 'B9'])
      expect(() => decodeZoned(h(z), 0, z.length / 2, zonedE)).toThrow(
        new InvalidFieldData(`invalid zoned decimal sign byte X'${z.slice(-2)}' in X'${z}'`),
      );
    expect(() => decodeZoned(Buffer.from('12X'), 0, 3, { ...zonedE, ebcdic: false })).toThrow(
      /invalid zoned decimal sign character X'58'/,
    );
    expect(decodeZoned(h('404040'), 0, 3, zonedE)).toBeNull();
  });
});

describe('binary (COMP, COMP-4, BINARY, COMP-5)', () => {
  it("decodes big-endian two's complement and unsigned values", () => {
    expect(decodeBinary(h('FB2E'), 0, 2, true)).toBe(-1234);
    expect(decodeBinary(h('FFFF'), 0, 2, false)).toBe(65535);
    expect(decodeBinary(h('075BCD15'), 0, 4, true)).toBe(123456789);
    expect(decodeBinary(h('FFFFFFFF'), 0, 4, false)).toBe(4294967295);
    expect(decodeBinary(h('FFFFFFFFFFFFFFFF'), 0, 8, true)).toBe(-1);
    expect(decodeBinary(h('7FFFFFFFFFFFFFFF'), 0, 8, true)).toBe(9223372036854775807n);
    expect(decodeBinary(h('FFFFFFFFFFFFFFFF'), 0, 8, false)).toBe(18446744073709551615n);
    expect(decodeBinary(h('2EFB'), 0, 2, true, false)).toBe(-1234);
  });
  it('truncates COMP values to the picture digits under TRUNC(STD)', () => {
    // PIC S9(4) COMP holding X'3039' = 12345: a COBOL MOVE under TRUNC(STD) keeps 2345
    expect(truncateToDigits(decodeBinary(h('3039'), 0, 2, true), 4)).toBe(2345);
    expect(truncateToDigits(-12345, 4)).toBe(-2345);
    expect(truncateToDigits(9223372036854775807n, 18)).toBe(223372036854775807n);
  });
});

describe('floating point (COMP-1, COMP-2)', () => {
  it('decodes IBM hexadecimal floating point', () => {
    expect(decodeIbmFloat(h('41100000'), 0, 4)).toBe(1);
    expect(decodeIbmFloat(h('C276A000'), 0, 4)).toBe(-118.625); // 0x76A = 1898.5 / 16 … = -118.625
    expect(decodeIbmFloat(h('00000000'), 0, 4)).toBe(0);
    expect(decodeIbmFloat(h('4110000000000000'), 0, 8)).toBe(1);
    expect(decodeIbmFloat(h('C276A00000000000'), 0, 8)).toBe(-118.625);
    expect(decodeIbmFloat(h('4019999999999999'), 0, 8)).toBeCloseTo(0.1, 15);
  });
  it('decodes IEEE 754', () => {
    expect(decodeIeeeFloat(h('3F800000'), 0, 4, true)).toBe(1);
    expect(decodeIeeeFloat(h('0000803F'), 0, 4, false)).toBe(1);
    expect(decodeIeeeFloat(h('C05DA80000000000'), 0, 8, true)).toBe(-118.625);
  });
});
