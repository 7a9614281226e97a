/**
 * "Never silently wrong": every digit position of zoned, edited and explicit-point numbers is
 * checked; a non-digit is invalid data, handled by invalid.data.policy (fail / null / lenient as
 * Cobrix reads it). Also: F files with variable-size OCCURS are framed by each record's real size.
 */
import { describe, it, expect } from 'vitest';
import { frameAll } from '../framing/framer.ts';
import { parseDecodingConfig, buildReader } from '../config.ts';
import { encodeText, encodeZoned } from '../testing.ts';
import { JsonView } from './json-view.ts';

const cb = (lines: string[]) => lines.map((l) => `       ${l}`).join('\n');

function decodeAll(copybook: string, data: Buffer, extra: Record<string, string> = {}): unknown[] {
  const reader = buildReader(parseDecodingConfig({ 'copybook.contents': copybook, ...extra }));
  const json = new JsonView(reader.decoder, reader.schemaRetention);
  return [...frameAll(reader.framer, data)].map((r) => json.toJson(reader.decode(data, r.start, r.end).values, {}));
}

describe('explicit decimal point PIC 9(8).9(2)', () => {
  const copybook = cb(['01 R.', '   05 ID   PIC X(2).', '   05 AMT  PIC 9(8).9(2).']);
  // the reported case: the text 789.09 left-justified, then blanks
  const leftJustified = Buffer.concat([encodeText('A1', 2), encodeText('789.09', 11)]);
  const rightJustified = Buffer.concat([encodeText('A2', 2), encodeText('00000789.09', 11)]);

  it('fails naming the field, the byte offset and the character by default (never 78900900.00)', () => {
    expect(decodeAll(copybook, rightJustified)).toEqual([{ ID: 'A2', AMT: '789.09' }]);
    expect(() => decodeAll(copybook, leftJustified)).toThrow(
      'Invalid data in field R.AMT at byte 2 of the record: invalid character \'.\' at position 4 of numeric-edited text "789.09     " (expected a digit)',
    );
  });

  it('decodes it as null with invalid.data.policy=null', () => {
    expect(decodeAll(copybook, leftJustified, { 'invalid.data.policy': 'null' })).toEqual([{ ID: 'A1', AMT: null }]);
  });

  it('reads it as Cobrix does with invalid.data.policy=lenient: 789.09', () => {
    expect(
      decodeAll(copybook, Buffer.concat([leftJustified, rightJustified]), { 'invalid.data.policy': 'lenient' }),
    ).toEqual([
      { ID: 'A1', AMT: '789.09' },
      { ID: 'A2', AMT: '789.09' },
    ]);
  });

  it('rejects a digit where the picture has its point', () => {
    const shifted = Buffer.concat([encodeText('A3', 2), encodeText('12345678901', 11)]);
    expect(() => decodeAll(copybook, shifted)).toThrow("invalid character '9' at position 9");
  });
});

describe('every digit position is checked', () => {
  it.each([
    ['PIC 9(5)', '12 45', 'zoned'],
    ['PIC 9(5)', '123 .', 'zoned'],
    ['PIC S9(3)V99', '1.345', 'zoned'],
    ['PIC ZZZ9.99', ' 1.2.45', 'edited'],
    ['PIC ZZ,ZZ9', '12A45 ', 'edited'],
    ['PIC $$$9.99', '$ 12.3X', 'edited'],
    ['PIC ***9', '*1*2', 'edited'],
  ])('%s holding "%s" is invalid data', (pic, text) => {
    const copybook = cb(['01 R.', `   05 N ${pic}.`]);
    const bytes = encodeText(text, text.length);
    expect(() => decodeAll(copybook, bytes)).toThrow(/Invalid data in field R\.N at byte 0 of the record/);
    expect(decodeAll(copybook, bytes, { 'invalid.data.policy': 'null' })).toEqual([{ N: null }]);
  });

  it('lenient reads blanks inside zoned digits as Cobrix does (dropped), other characters as null', () => {
    const copybook = cb(['01 R.', '   05 N PIC 9(5).', '   05 M PIC S9(3)V99.']);
    const rec = (n: string, m: Buffer) => Buffer.concat([encodeText(n, 5), m]);
    expect(
      decodeAll(copybook, Buffer.concat([rec('12 45', encodeZoned(-12345, 5)), rec('1X345', encodeText('  1 5', 5))]), {
        'invalid.data.policy': 'lenient',
      }),
    ).toEqual([
      { N: 1245, M: '-123.45' },
      { N: null, M: '0.15' },
    ]);
  });
});

describe('record_format F with variable-size OCCURS', () => {
  const copybook = cb([
    '01 R.',
    '   05 ID PIC X(2).',
    '   05 CNT PIC 9.',
    '   05 ITEM OCCURS 0 TO 5 DEPENDING ON CNT PIC X(3).',
    '   05 TAIL PIC X.',
  ]);
  const rec = (id: string, items: string[]) =>
    Buffer.concat([
      encodeText(id, 2),
      encodeZoned(items.length, 1, false),
      ...items.map((i) => encodeText(i, 3)),
      encodeText('Z', 1),
    ]);
  const data = Buffer.concat([
    rec('R1', ['AAA']),
    rec('R2', []),
    rec('R3', ['BBB', 'CCC', 'DDD']),
    rec('R4', ['EEE', 'FFF']),
    rec('R5', ['GGG']),
  ]);

  it('frames each record by its real size: 5 records, not 2', () => {
    const rows = decodeAll(copybook, data, { record_format: 'F', variable_size_occurs: 'true' });
    expect(rows).toEqual([
      { ID: 'R1', CNT: 1, ITEM: ['AAA'], TAIL: 'Z' },
      { ID: 'R2', CNT: 0, ITEM: [], TAIL: 'Z' },
      { ID: 'R3', CNT: 3, ITEM: ['BBB', 'CCC', 'DDD'], TAIL: 'Z' },
      { ID: 'R4', CNT: 2, ITEM: ['EEE', 'FFF'], TAIL: 'Z' },
      { ID: 'R5', CNT: 1, ITEM: ['GGG'], TAIL: 'Z' },
    ]);
  });

  it('reports a truncated last record instead of a short one', () => {
    expect(() =>
      decodeAll(copybook, data.subarray(0, data.length - 2), { record_format: 'F', variable_size_occurs: 'true' }),
    ).toThrow(/file ends inside a record: 5 of 7 bytes present/);
  });

  it('an explicit record_length still frames fixed-size records', () => {
    expect(
      decodeAll(copybook, Buffer.concat([rec('R1', ['AAA']), Buffer.alloc(12, 0x40)]), {
        record_format: 'F',
        variable_size_occurs: 'true',
        record_length: '19',
      }),
    ).toHaveLength(1);
  });
});

describe('Cobrix generated-column options outside the CLI', () => {
  it('Cobrix options Tributary does not implement are rejected with the reason', () => {
    expect(() =>
      buildReader(
        parseDecodingConfig({
          'copybook.contents': cb(['01 R.', '   05 ID PIC X(2).']),
          record_extractor: 'com.example.X',
        }),
      ),
    ).toThrow(
      'Cobrix option record_extractor=com.example.X is not supported: custom record extractors are not supported',
    );
  });

  it('are rejected with the key and the reason, not ignored', () => {
    const copybook = cb(['01 R.', '   05 ID PIC X(2).']);
    expect(() =>
      buildReader(parseDecodingConfig({ 'copybook.contents': copybook, generate_record_id: 'true' })),
    ).toThrow(
      /Invalid value true for configuration generate.record.id: Cobrix's generated columns and segment filter are written by tributary mainframe decode and the mainframe source connector only/,
    );
  });
});
