/**
 * Fields of all X'40' (EBCDIC spaces) or all X'00' (low-values): a value where that byte pattern
 * is a valid encoding of the type, null where it is none — as Cobrix 2.6.9 reads them, with or
 * without improved_null_detection, under every invalid.data.policy. The expected values are
 * Cobrix's output for the same copybook and bytes (CobrixDecode.java on cobol-parser 2.6.9, see
 * docs/mainframe.md "Empty and invalid data"). Regression of the round-trip fuzz seed 1247280615:
 * `PIC 9(2) COMP-3U` holding 40 is the single byte X'40' and read as null.
 */
import { describe, expect, it } from 'vitest';
import { BigDecimal } from '../../../sdk/data.ts';
import { parseLayout } from '../copybook/layout.ts';
import { DEFAULT_DECODE_OPTIONS, type DecodeOptions } from './options.ts';
import { RecordDecoder } from './record-decoder.ts';

const copybook = (...fields: string[]) => ['       01  R.', ...fields.map((f) => `           05  ${f}.`)].join('\n');

function decode(cb: string, bytes: Buffer, o: Partial<DecodeOptions> = {}): unknown[] {
  return new RecordDecoder(parseLayout(cb), { ...DEFAULT_DECODE_OPTIONS, ...o }).decode(bytes).values[0] as unknown[];
}

const shown = (v: unknown) => (v instanceof BigDecimal ? `decimal ${v.toString()}` : v);

const OPTIONS: Partial<DecodeOptions>[] = (['fail', 'null', 'lenient'] as const).flatMap((invalidData) =>
  [true, false].map((improvedNullDetection) => ({ invalidData, improvedNullDetection })),
);

describe('round-trip fuzz seed 1247280615', () => {
  it("reads PIC 9(2) COMP-3U holding 40 (X'40') as 40, next to a COMP-3U 0", () => {
    const cb = [
      '       01  R.',
      '           05  G OCCURS 1 TIMES.',
      '               10  F0  PIC 9(2) COMP-3U.',
      '               10  F1  PIC 9(1) COMP-3U.',
    ].join('\n');
    expect(decode(cb, Buffer.from([0x40, 0x00]))).toEqual([[[40, 0]]]);
  });
});

describe.each(OPTIONS)("all X'40' / all X'00' bytes (%o)", (o) => {
  // [picture, bytes, Cobrix 2.6.9's value of all X'40', of all X'00']
  const valid: [string, number, unknown, unknown][] = [
    ['PIC 9(2) COMP-3U', 1, 40, 0],
    ['PIC 9(4) COMP-3U', 2, 4040, 0],
    ['PIC 9(3) COMP-3U', 2, 4040, 0],
    ['PIC X(1) COMP-3U', 1, 40, 0],
    ['PIC 9(2)V9(2) COMP-3U', 2, 'decimal 40.40', 'decimal 0.00'],
    ['PIC S9(2) COMP-3U', 1, 40, 0],
    ['PIC 9(4) COMP-9', 2, 16448, 0],
    ['PIC S9(4) COMP-9', 2, 16448, 0],
    ['PIC 9(4) COMP', 2, 16448, 0],
  ];
  it.each(valid)('%s is a value: every byte pattern is one', (pic, size, blank, low) => {
    const cb = copybook(`A ${pic}`);
    expect(decode(cb, Buffer.alloc(size, 0x40), o).map(shown)).toEqual([blank]);
    expect(decode(cb, Buffer.alloc(size, 0x00), o).map(shown)).toEqual([low]);
  });

  // no valid encoding of the type: an empty (uninitialised) field, null without an error
  const empty: [string, number][] = [
    ['PIC 9(1) COMP-3', 1],
    ['PIC S9(1) COMP-3', 1],
    ['PIC S9(3) COMP-3', 2],
    ['PIC S9(2)V9 COMP-3', 2],
    ['PIC 9(2)', 2],
    ['PIC S9(2)', 2],
    ['PIC ZZ.ZZ', 5],
    ['PIC Z(3)-', 4],
  ];
  it.each(empty)('%s is null', (pic, size) => {
    const cb = copybook(`A ${pic}`);
    expect(decode(cb, Buffer.alloc(size, 0x40), o)).toEqual([null]);
    expect(decode(cb, Buffer.alloc(size, 0x00), o)).toEqual([null]);
  });

  it('PIC Z(4) all blanks is null, as Cobrix reads it, though COBOL writes 0 so (the documented ambiguity)', () => {
    expect(decode(copybook('A PIC Z(4)'), Buffer.alloc(4, 0x40), o)).toEqual([null]);
    expect(decode(copybook('A PIC Z(4)'), Buffer.from([0x40, 0x40, 0xf1, 0xf2]), o)).toEqual([12]);
  });
});
