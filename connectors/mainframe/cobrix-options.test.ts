import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildReader, parseDecodingConfig, translateCobrixOptions } from './config.ts';
import { formatCobrixLayout } from './copybook/layout-table.ts';
import { frameAll } from './framing/framer.ts';
import { registerEbcdicCodePage, registerRecordHeaderParser } from '../../sdk/mainframe.ts';

const cb = (lines: string[]) => lines.map((l) => `       ${l}`).join('\n');
const reader = (props: Record<string, string>) => buildReader(parseDecodingConfig({ encoding: 'ascii', ...props }));

describe("Cobrix's options occurs_mappings, non_terminals, copybooks", () => {
  const odo = cb([
    '01  R.',
    '    05  KIND PIC X.',
    '    05  T OCCURS 0 TO 3 TIMES DEPENDING ON KIND.',
    '        10  V PIC X.',
  ]);

  it('occurs_mappings: a text counter gives each table its mapped count; an unmapped value is invalid data', () => {
    const r = reader({ 'copybook.contents': odo, occurs_mappings: '{"T": {"A": 1, "B": 3}}' });
    expect(r.decode(Buffer.from('Axyz'), 0, 4).values).toEqual([['A', [['x']]]]);
    expect(r.decode(Buffer.from('Bxyz'), 0, 4).values).toEqual([['B', [['x'], ['y'], ['z']]]]);
    expect(() => r.decode(Buffer.from('Cxyz'), 0, 4)).toThrow(
      'Invalid data in field R.KIND at byte 0 of the record: value "C" has no occurs_mappings entry for R.T (mapped values: "A", "B")',
    );
    const lenient = reader({
      'copybook.contents': odo,
      'occurs.mappings': '{"t": {"A": 1}}',
      'invalid.data.policy': 'lenient',
    });
    expect(lenient.decode(Buffer.from('Cxyz'), 0, 4).values).toEqual([['C', [['x'], ['y'], ['z']]]]);
  });

  it('occurs_mappings: rejected with the reason when missing or malformed', () => {
    expect(() => reader({ 'copybook.contents': odo })).toThrow(
      /expected KIND \(the OCCURS DEPENDING ON counter of T\) to be an integer item/,
    );
    expect(() => reader({ 'copybook.contents': odo, occurs_mappings: '{"T": {"A": -1}}' })).toThrow(
      'Invalid value {"T": {"A": -1}} for configuration occurs.mappings: expected a count (an integer ≥ 0) for value "A" of T, got -1',
    );
    expect(() => reader({ 'copybook.contents': odo, occurs_mappings: '[1]' })).toThrow(
      /occurs.mappings: expected a JSON object of table names/,
    );
  });

  it('non_terminals: a listed group is also one text field <NAME>_NT of its bytes', () => {
    const r = reader({
      'copybook.contents': cb([
        '01  R.',
        '    05  NAME.',
        '        10  FIRST PIC X(2).',
        '        10  LAST PIC X(3).',
        '    05  NAME-NT PIC X.',
        '    05  Z PIC 9.',
      ]),
      non_terminals: 'NAME',
    });
    expect(r.decode(Buffer.from('abcde!7'), 0, 7).values).toEqual([[['ab', 'cde'], 'abcde', '!', 7]]);
    expect(formatCobrixLayout(r.layout)).toContain(
      '  5 NAME                               r              2      1      5      5\n',
    );
    expect(formatCobrixLayout(r.layout)).toContain(
      '  5 NAME_NT1                           R              5      1      5      5\n',
    );
  });

  it('copybooks: several copybooks read as one, their records redefining each other', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-copybooks-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.cob'), cb(['01  A.', '    05  X PIC X(4).']));
      fs.writeFileSync(path.join(dir, 'b.cob'), cb(['01  B.', '    05  Y PIC 9(2).', '    05  Z PIC X(3).']));
      fs.writeFileSync(path.join(dir, 'c.cob'), cb(['01  A.', '    05  W PIC X.']));
      const r = reader({ copybooks: `${path.join(dir, 'a.cob')},${path.join(dir, 'b.cob')}` });
      expect(r.layout.size).toBe(5);
      expect(r.decode(Buffer.from('12abc'), 0, 5).values).toEqual([['12ab'], [12, 'abc']]);
      expect(() => reader({ copybooks: `${path.join(dir, 'a.cob')},${path.join(dir, 'c.cob')}` })).toThrow(
        /expected record names that differ between merged copybooks, but A is also in .*a\.cob/,
      );
      expect(() => reader({ copybooks: path.join(dir, 'a.cob'), copybook: path.join(dir, 'b.cob') })).toThrow(
        'Set only one of copybooks, copybook and copybook.contents',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a record ending inside a text field gives the bytes present (as Cobrix); a number cut short stays null', () => {
    const r = reader({
      'copybook.contents': cb(['01  R.', '    05  A PIC X(2).', '    05  N PIC 9(3).', '    05  T PIC X(6).']),
    });
    expect(r.decode(Buffer.from('ab123xy '), 0, 8).values).toEqual([['ab', 123, 'xy']]);
    expect(r.decode(Buffer.from('ab12'), 0, 4).values).toEqual([['ab', null, null]]);
  });

  it('ascii_charset=us-ascii reads bytes above 0x7F as spaces and drops control bytes, as Cobrix', () => {
    const r = reader({
      'copybook.contents': cb(['01  R.', '    05  A PIC X(6).']),
      ascii_charset: 'us-ascii',
      string_trimming_policy: 'both',
    });
    expect(r.decode(Buffer.from([0xe9, 0x41, 0x01, 0x80, 0x42, 0xff]), 0, 6).values).toEqual([['A B']]);
    const latin1 = reader({ 'copybook.contents': cb(['01  R.', '    05  A PIC X(6).']) });
    expect(latin1.decode(Buffer.from([0xe9, 0x41, 0x01, 0x80, 0x42, 0xff]), 0, 6).values).toEqual([['éA\u0080Bÿ']]);
  });

  it('record_header_parser: a registered parser reads each header for the record length, skipping invalid records', () => {
    registerRecordHeaderParser('com.example.LengthFlagHeader', (info) => ({
      headerLength: 2,
      recordMetadata: (header) => ({ recordLength: header[0], valid: header[1] !== info.charCodeAt(0) }),
    }));
    const r = reader({
      'copybook.contents': cb(['01  R.', '    05  A PIC X(3).']),
      record_header_parser: 'com.example.LengthFlagHeader',
      rhp_additional_info: 'N',
    });
    const file = Buffer.concat([
      Buffer.from([3, 0x59]),
      Buffer.from('abc'),
      Buffer.from([2, 0x4e]),
      Buffer.from('zz'),
      Buffer.from([1, 0x59]),
      Buffer.from('x'),
    ]);
    expect([...frameAll(r.framer, file)].map((f) => r.decode(file, f.start, f.end).values)).toEqual([
      [['abc']],
      [['x']],
    ]);
    expect(() => [...frameAll(r.framer, file.subarray(0, 11))]).toThrow(
      /file ends inside a record: 2 of 3 bytes present \(at byte 9\)/,
    );
    expect(() =>
      reader({ 'copybook.contents': cb(['01  R.', '    05  A PIC X(3).']), record_header_parser: 'com.example.Nope' }),
    ).toThrow(
      /Invalid value com.example.Nope for configuration record.header.parser: no record header parser is registered under this name \(registered: com.example.LengthFlagHeader\)/,
    );
  });

  it('is_rdw_part_of_record_length and segment_id_root under their Cobrix names', () => {
    expect(translateCobrixOptions({ is_rdw_part_of_record_length: 'true' })).toEqual({ 'rdw.adjustment': '0' });
    expect(translateCobrixOptions({ is_rdw_part_of_record_length: 'false' })).toEqual({ 'rdw.adjustment': '4' });
    expect(() => translateCobrixOptions({ is_rdw_part_of_record_length: 'true', rdw_adjustment: '-4' })).toThrow(
      'Both is_rdw_part_of_record_length and rdw_adjustment are set; they are the same option (rdw.adjustment): remove one',
    );
    expect(translateCobrixOptions({ segment_id_root: 'C', segment_id_level1: 'P' })).toEqual({
      'segment.id.levels': 'C;P',
    });
  });

  it('ebcdic_code_page_class: a registered custom code page, used as given', () => {
    const table = Array.from({ length: 256 }, (_, b) =>
      b === 0xc1 ? 0x5a : b === 0x05 ? 0x09 : b >= 0xf0 && b <= 0xf9 ? 0x30 + b - 0xf0 : 0x20,
    );
    registerEbcdicCodePage('com.example.MyCodePage', table);
    const r = reader({
      'copybook.contents': cb(['01  R.', '    05  A PIC X(4).']),
      encoding: 'ebcdic',
      ebcdic_code_page_class: 'com.example.MyCodePage',
      string_trimming_policy: 'none',
    });
    expect(r.decode(Buffer.from([0xc1, 0x05, 0xf1, 0xc2]), 0, 4).values).toEqual([['Z\t1 ']]);
    expect(() => registerEbcdicCodePage('bad', [1, 2])).toThrow(
      'a code page table has 256 characters (one per byte), bad has 2',
    );
    expect(() =>
      reader({
        'copybook.contents': cb(['01  R.', '    05  A PIC X(4).']),
        encoding: 'ebcdic',
        ebcdic_code_page_class: 'com.example.Unregistered',
      }),
    ).toThrow(/com.example.Unregistered for configuration ebcdic.code.page: unknown EBCDIC code page/);
  });
});

describe('copybook.extensions (syntax beyond Cobrix, off by default)', () => {
  const copybook = cb(['01  R.', '    05  A PIC X.', '    05  B PIC S9(4) COMP SYNC.', '66  AB RENAMES A THRU B.']);

  it('rejects RENAMES and SYNC as Cobrix does, naming the copybook, line, column and the key that reads them', () => {
    expect(() => reader({ 'copybook.contents': copybook })).toThrow(
      /^Invalid copybook \(copybook.contents\): Copybook syntax error at line 3, column 33: The SYNC clause is not accepted by default: Cobrix 2.6.9 rejects it\. .* set copybook.extensions=sync/,
    );
    expect(() => reader({ 'copybook.contents': copybook, 'copybook.extensions': 'sync' })).toThrow(
      /line 4, column 8: Level 66 \(RENAMES\) is not accepted by default: .* set copybook.extensions=renames/,
    );
  });

  it('reads them when named: SYNC slack bytes as IBM COBOL places them, RENAMES as layout metadata', () => {
    const r = reader({ 'copybook.contents': copybook, 'copybook.extensions': 'renames, SYNC' });
    expect(r.layout.size).toBe(4);
    expect(r.layout.renames).toEqual([{ name: 'AB', fieldName: 'AB', offset: 0, size: 4, from: 'A', thru: 'B' }]);
    expect(r.decode(Buffer.from([0x41, 0, 0, 7]), 0, 4).values).toEqual([['A', 7]]);
  });

  it('rejects an unknown extension naming the key, the value and the choices', () => {
    expect(() => parseDecodingConfig({ 'copybook.contents': copybook, 'copybook.extensions': 'sync,comp-6' })).toThrow(
      'Invalid value comp-6 for configuration copybook.extensions: not a copybook extension; use a list of renames, sync',
    );
  });
});
