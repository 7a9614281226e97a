import { describe, expect, it } from 'vitest';
import { CopyTextRows } from './copy-text-rows.ts';

function readAll(rows: CopyTextRows, columns: number): Array<Array<string | null>> {
  const out: Array<Array<string | null>> = [];
  const row: Array<string | null> = [];
  while (rows.next(row, columns)) out.push(row.slice(0, columns));
  return out;
}

const DATA = Buffer.from(
  '1\tplain\t\\N\n' +
    '2\ttab\\there\\nnewline\\\\back\\rcr\t\n' +
    '3\tgrüße ✓ 😀\t\\\\N\n' +
    '4\t\\b\\f\\v\t{"a","b c",NULL}\n',
  'utf8',
);
const EXPECTED = [
  ['1', 'plain', null],
  ['2', 'tab\there\nnewline\\back\rcr', ''],
  ['3', 'grüße ✓ 😀', '\\N'],
  ['4', '\b\f\v', '{"a","b c",NULL}'],
];

describe('CopyTextRows', () => {
  it('splits rows and fields, unescapes, and tells \\N (NULL) from an escaped backslash followed by N', () => {
    const rows = new CopyTextRows();
    expect(rows.push(DATA)).toBe(4);
    expect(rows.pending).toBe(4);
    expect(readAll(rows, 3)).toEqual(EXPECTED);
    expect(rows.pending).toBe(0);
    expect(rows.partialRowBytes).toBe(0);
  });

  it('gives the same rows for every split of the bytes into chunks, inside UTF-8 sequences and escapes too', () => {
    for (let a = 1; a < DATA.length; a++) {
      const b = Math.min(DATA.length, a + 1 + (a % 7));
      const rows = new CopyTextRows();
      let counted = 0;
      counted += rows.push(DATA.subarray(0, a));
      const partial = readAll(rows, 3);
      counted += rows.push(DATA.subarray(a, b));
      counted += rows.push(DATA.subarray(b));
      expect(counted, `split at ${a}/${b}`).toBe(4);
      expect([...partial, ...readAll(rows, 3)], `split at ${a}/${b}`).toEqual(EXPECTED);
    }
  });

  it('reads rows of zero columns (empty lines) and reports an unfinished row', () => {
    const rows = new CopyTextRows();
    expect(rows.push(Buffer.from('\n\n12'))).toBe(2);
    expect(readAll(rows, 0)).toEqual([[], []]);
    expect(rows.partialRowBytes).toBe(2);
  });

  it('rejects rows whose field count differs from the columns selected, and escapes COPY TO never writes', () => {
    const short = new CopyTextRows();
    short.push(Buffer.from('1\t2\n'));
    expect(() => short.next([], 3)).toThrow(/fewer fields than the 3 columns/);
    const none = new CopyTextRows();
    none.push(Buffer.from('x\n'));
    expect(() => none.next([], 0)).toThrow(/data for no column/);
    const octal = new CopyTextRows();
    octal.push(Buffer.from('\\101\n'));
    expect(() => octal.next([], 1)).toThrow(/Unexpected escape/);
  });
});
