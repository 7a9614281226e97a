import { describe, it, expect } from 'vitest';
import { BigDecimal, Struct } from '../../../sdk/data.ts';
import { parseLayout } from '../copybook/layout.ts';
import { encodeBinary, encodePacked, encodeText, encodeZoned } from '../testing.ts';
import { ConnectView } from './connect-view.ts';
import { compileEdited, decodeEdited } from './edited.ts';
import { JsonView } from './json-view.ts';
import { DEFAULT_DECODE_OPTIONS, type DecodeOptions } from './options.ts';
import { RecordDecoder, RecordDecodeError } from './record-decoder.ts';
import { SegmentHierarchy, parseSegmentChildren, parseSegmentRedefines } from './segments.ts';

const cb = (lines: string[]) => lines.map((l) => `       ${l}`).join('\n');
const opts = (o: Partial<DecodeOptions> = {}): DecodeOptions => ({ ...DEFAULT_DECODE_OPTIONS, ...o });

const ACCOUNT = cb([
  '01  ACCOUNT.',
  '    05  ACCT-ID        PIC 9(8) COMP-3.',
  '    05  NAME           PIC X(10).',
  '    05  BALANCE        PIC S9(7)V99 COMP-3.',
  '    05  RATE           PIC SV9(4).',
  '    05  BRANCH         PIC S9(4) COMP.',
  '    05  BIG            PIC S9(18) COMP.',
  '    05  STATUS         PIC X.',
  "        88  OPEN       VALUE 'O'.",
  '    05  FILLER         PIC X(2).',
  '    05  TX-COUNT       PIC 9(2).',
  '    05  TX OCCURS 0 TO 3 TIMES DEPENDING ON TX-COUNT.',
  '        10  TX-AMT     PIC S9(5)V99.',
  '        10  TX-CODE    PIC X(2).',
  '    05  SCALED         PIC 9(3)PP.',
  '    05  FLT            COMP-2.',
]);

function accountBytes(txs: Array<[number, string]>): Buffer {
  const tx = Buffer.alloc(27, 0x40);
  txs.forEach(([amt, code], i) => {
    encodeZoned(amt, 7).copy(tx, i * 9);
    encodeText(code, 2).copy(tx, i * 9 + 7);
  });
  return Buffer.concat([
    encodePacked(12345678, 8, false), // unsigned packed: F sign
    encodeText('ALICE', 10),
    encodePacked(-123456789, 9), // -1234567.89
    encodeZoned(1234, 4), // .1234
    encodeBinary(-2, 2),
    encodeBinary(9007199254740993n, 8),
    encodeText('O', 1),
    Buffer.from([0x00, 0xff]),
    encodeZoned(txs.length, 2, false),
    tx,
    encodeZoned(123, 3, false), // 123 × 100
    Buffer.from('C276A00000000000', 'hex'),
  ]);
}

describe('record decoder', () => {
  const layout = parseLayout(ACCOUNT);
  const decoder = new RecordDecoder(layout, opts());
  const json = new JsonView(decoder);

  it('decodes every field to exact values (JSON view)', () => {
    const bytes = accountBytes([
      [1050, 'DB'],
      [-99, 'CR'],
    ]);
    expect(bytes.length).toBe(layout.size);
    const { values } = decoder.decode(bytes);
    expect(json.toJson(values)).toEqual({
      ACCT_ID: 12345678,
      NAME: 'ALICE',
      BALANCE: '-1234567.89',
      RATE: '0.1234',
      BRANCH: -2,
      BIG: '9007199254740993',
      STATUS: 'O',
      TX_COUNT: 2,
      TX: [
        { TX_AMT: '10.50', TX_CODE: 'DB' },
        { TX_AMT: '-0.99', TX_CODE: 'CR' },
      ],
      SCALED: 12300,
      FLT: -118.625,
    });
  });

  it('writes scaled decimals exactly as BigDecimal.toString does', () => {
    const d = new RecordDecoder(parseLayout(cb(['01 R.', '  05 A PIC S9(3)V99 COMP-3.'])), opts());
    const v = new JsonView(d);
    for (const u of [
      0n,
      1n,
      -1n,
      5n,
      -100n,
      12345n,
      -12345n,
      9007199254740991n,
      -9007199254740992n,
      123456789012345678901234n,
    ]) {
      for (const scale of [1, 2, 5, 20])
        expect((v.toJson([[new BigDecimal(u, scale)]]) as Record<string, unknown>).A).toBe(
          new BigDecimal(u, scale).toString(),
        );
    }
  });

  it('builds a Connect schema and struct (Decimal with scale, arrays, optional fields)', () => {
    const view = new ConnectView(decoder, { name: 'acct.Value' });
    const s = view.schema;
    expect(s.fields.map((f) => `${f.name}:${f.schema.name ?? f.schema.type}`)).toEqual([
      'ACCT_ID:int32',
      'NAME:string',
      'BALANCE:org.apache.kafka.connect.data.Decimal',
      'RATE:org.apache.kafka.connect.data.Decimal',
      'BRANCH:int32',
      'BIG:int64',
      'STATUS:string',
      'TX_COUNT:int32',
      'TX:array',
      'SCALED:int32',
      'FLT:float64',
    ]);
    expect(s.field('BALANCE')!.schema.parameters).toEqual({ scale: '2', 'connect.decimal.precision': '9' });
    // 88-level condition names are metadata on the field's schema, never fields
    expect(s.field('STATUS')!.schema.parameters).toEqual({ 'cobol.condition.OPEN': "'O'" });
    expect(s.field('OPEN')).toBeUndefined();
    expect(s.field('TX')!.schema.valueSchema!.fields.map((f) => f.name)).toEqual(['TX_AMT', 'TX_CODE']);
    const st = view.toStruct(decoder.decode(accountBytes([[1, 'AA']])).values);
    st.validate();
    expect(st.get('BALANCE')).toEqual(new BigDecimal(-123456789n, 2));
    expect(st.get('BIG')).toBe(9007199254740993n);
    const tx = st.get('TX') as Struct[];
    expect(tx).toHaveLength(1);
    expect(tx[0].get('TX_AMT')).toEqual(new BigDecimal(1n, 2));
  });

  it('reports invalid data with field, offset and bytes, or nulls it on request', () => {
    const bytes = accountBytes([]);
    bytes[19] = 0x92; // BALANCE's last byte (X'9D'): sign nibble 2
    expect(() => decoder.decode(bytes)).toThrow(RecordDecodeError);
    expect(() => decoder.decode(bytes)).toThrow(
      "Invalid data in field ACCOUNT.BALANCE at byte 15 of the record: invalid packed decimal sign nibble 2 in X'1234567892'",
    );
    const lenient = new RecordDecoder(layout, opts({ invalidData: 'null' }));
    const r = lenient.decode(bytes);
    expect(r.errors).toHaveLength(1);
    expect(new JsonView(lenient).toJson(r.values).BALANCE).toBeNull();
  });

  it('decodes a short record: fields past the end are null', () => {
    const bytes = accountBytes([]).subarray(0, 20);
    const out = json.toJson(decoder.decode(bytes).values);
    expect(out.NAME).toBe('ALICE');
    expect(out.RATE).toBeNull();
  });

  it('moves later fields with variable.size.occurs', () => {
    const l = parseLayout(
      cb(['01 R.', '  05 N PIC 9.', '  05 T OCCURS 0 TO 5 DEPENDING ON N PIC X(2).', '  05 AFTER PIC X(3).']),
    );
    const bytes = Buffer.concat([encodeZoned(2, 1, false), encodeText('AABB', 4), encodeText('END', 3)]);
    const d = new RecordDecoder(l, opts({ variableSizeOccurs: true }));
    expect(new JsonView(d).toJson(d.decode(bytes).values)).toEqual({ N: 2, T: ['AA', 'BB'], AFTER: 'END' });
  });

  it('decodes nested OCCURS DEPENDING ON', () => {
    const l = parseLayout(
      cb([
        '01 R.',
        '  05 N PIC 9.',
        '  05 G OCCURS 0 TO 2 DEPENDING ON N.',
        '    10 M PIC 9.',
        '    10 V OCCURS 0 TO 3 DEPENDING ON M PIC X.',
      ]),
    );
    const d = new RecordDecoder(l, opts({ variableSizeOccurs: true }));
    const bytes = Buffer.concat([
      encodeZoned(2, 1, false),
      encodeZoned(1, 1, false),
      encodeText('A', 1),
      encodeZoned(3, 1, false),
      encodeText('XYZ', 3),
    ]);
    expect(new JsonView(d).toJson(d.decode(bytes).values)).toEqual({
      N: 2,
      G: [
        { M: 1, V: ['A'] },
        { M: 3, V: ['X', 'Y', 'Z'] },
      ],
    });
  });

  it('truncates COMP under TRUNC(STD) and sizes binary types by storage otherwise', () => {
    const l = parseLayout(cb(['01 R.', '  05 A PIC S9(4) COMP.', '  05 B PIC 9(4) COMP-5.', '  05 C PIC 9(9) COMP.']));
    const bytes = Buffer.concat([encodeBinary(12345, 2), Buffer.from('FFFF', 'hex'), Buffer.from('FFFFFFFF', 'hex')]);
    const bin = new RecordDecoder(l, opts());
    const std = new RecordDecoder(l, opts({ binaryTruncation: 'std' }));
    expect(new JsonView(bin).toJson(bin.decode(bytes).values)).toEqual({ A: 12345, B: 65535, C: 4294967295 });
    expect(new JsonView(std).toJson(std.decode(bytes).values)).toEqual({ A: 2345, B: 65535, C: 294967295 });
    expect(new ConnectView(bin).schema.fields.map((f) => f.schema.type)).toEqual(['int32', 'int32', 'int64']);
  });

  it('decodes ASCII files', () => {
    const l = parseLayout(
      cb(['01 R.', '  05 A PIC X(3).', '  05 B PIC S9(3).', '  05 C PIC S9(3)V9 SIGN TRAILING SEPARATE.']),
    );
    const d = new RecordDecoder(l, opts({ encoding: 'ascii' }));
    expect(new JsonView(d).toJson(d.decode(Buffer.from('abc12L1234+')).values)).toEqual({
      A: 'abc',
      B: -123,
      C: '123.4',
    });
  });

  it('reads COMP-1/COMP-2 as IBM hex (big- or little-endian) or IEEE 754', () => {
    const l = parseLayout(cb(['01 R.', '  05 F COMP-1.', '  05 D COMP-2.']));
    const dec = (fp: DecodeOptions['floatingPoint'], hex: string) => {
      const d = new RecordDecoder(l, opts({ floatingPoint: fp }));
      return new JsonView(d).toJson(d.decode(Buffer.from(hex, 'hex')).values);
    };
    expect(dec('IBM', 'C276A000' + 'C276A00000000000')).toEqual({ F: -118.625, D: -118.625 });
    expect(dec('IBM_little_endian', '00A076C2' + '0000000000A076C2')).toEqual({ F: -118.625, D: -118.625 });
    expect(dec('IEEE754', '3F800000' + 'C05DA80000000000')).toEqual({ F: 1, D: -118.625 });
    expect(dec('IEEE754_little_endian', '0000803F' + '0000000000A85DC0')).toEqual({ F: 1, D: -118.625 });
    expect(new ConnectView(new RecordDecoder(l, opts())).schema.fields.map((f) => f.schema.type)).toEqual([
      'float32',
      'float64',
    ]);
  });

  it('keeps several 01 records as fields, and the 01 record itself with keep_original', () => {
    const two = parseLayout(cb(['01 A.', '  05 X PIC X(2).', '01 B.', '  05 Y PIC 9(2).']));
    const d = new RecordDecoder(two, opts());
    expect(new JsonView(d).toJson(d.decode(encodeText('12', 2)).values)).toEqual({ A: { X: '12' }, B: { Y: 12 } });
    const one = new RecordDecoder(parseLayout(cb(['01 REC.', '  05 X PIC X(2).'])), opts());
    expect(new JsonView(one, 'keep_original').toJson(one.decode(encodeText('AB', 2)).values)).toEqual({
      REC: { X: 'AB' },
    });
    expect(new ConnectView(one, { schemaRetention: 'keep_original' }).schema.fields.map((f) => f.name)).toEqual([
      'REC',
    ]);
  });

  it('adds <name>_debug companions with the raw bytes in hex', () => {
    const l = parseLayout(cb(['01 R.', '  05 A PIC X(2).', '  05 B PIC S9(3) COMP-3.', '  05 T OCCURS 2 PIC 9.']));
    const d = new RecordDecoder(l, opts({ debug: 'hex' }));
    expect(new JsonView(d).toJson(d.decode(Buffer.from('C1C2123DF1F2', 'hex')).values)).toEqual({
      A: 'AB',
      A_debug: 'C1C2',
      B: -123,
      B_debug: '123D',
      T: [1, 2],
      T_debug: ['F1', 'F2'],
    });
    expect(new ConnectView(d).schema.fields.map((f) => `${f.name}:${f.schema.type}`)).toEqual([
      'A:string',
      'A_debug:string',
      'B:int32',
      'B_debug:string',
      'T:array',
      'T_debug:array',
    ]);
    expect(() => new RecordDecoder(l, opts({ debug: 'hex', variableSizeOccurs: true }))).toThrow(
      'debug fields cannot be combined with variable.size.occurs',
    );
  });

  it('decodes national (UTF-16) text', () => {
    const l = parseLayout(cb(['01 R.', '  05 A PIC N(3).']));
    const d = new RecordDecoder(l, opts());
    expect(new JsonView(d).toJson(d.decode(Buffer.from('00C400200020', 'hex')).values)).toEqual({ A: 'Ä' });
  });
});

describe('numeric-edited fields', () => {
  // Values as printed by the IBM Enterprise COBOL "Editing" examples (insertion, suppression, CR/DB)
  it.each([
    ['ZZ,ZZ9.99-', ' 1,234.56-', -123456],
    ['ZZ,ZZ9.99-', '     0.05 ', 5],
    ['$$$,$$9.99CR', '    $12.34CR', -1234],
    ['$$$,$$9.99CR', '$12,345.67  ', 1234567],
    ['***9', '**42', 42],
    ['+ZZ9', '- 42', -42],
    ['9990', '1230', 123],
    ['S9(3).99', '12L.99', -12399],
  ])('%s reads "%s"', (pic, text, unscaled) => {
    expect(decodeEdited(text, compileEdited(pic.replace('(3)', '99'), false))).toBe(unscaled);
  });
  it('reads blanks as null with or without BLANK WHEN ZERO (as Cobrix 2.6.9), zeros as 0', () => {
    expect(decodeEdited('    ', compileEdited('ZZZ9', false))).toBeNull();
    expect(decodeEdited('    ', compileEdited('ZZZ9', true))).toBeNull();
    expect(decodeEdited('   0', compileEdited('ZZZ9', true))).toBe(0);
  });
});

describe('multi-segment records', () => {
  const l = parseLayout(
    cb([
      '01 ENTITY.',
      '  05 SEG-ID PIC X.',
      '  05 COMPANY.',
      '    10 CO-NAME PIC X(6).',
      '  05 EMPLOYEE REDEFINES COMPANY.',
      '    10 EMP-NAME PIC X(4).',
      '    10 EMP-AGE PIC 9(2).',
    ]),
  );
  const d = new RecordDecoder(
    l,
    opts({ segmentField: 'SEG-ID', segmentRedefines: parseSegmentRedefines(['C=COMPANY', 'E=EMPLOYEE']) }),
  );
  const json = new JsonView(d);

  it('decodes only the segment selected by the segment field; JSON omits the inactive one', () => {
    const rc = d.decode(encodeText('CACME', 7));
    expect(rc.segmentId).toBe('C');
    expect(json.toJson(rc.values)).toEqual({ SEG_ID: 'C', COMPANY: { CO_NAME: 'ACME' } });
    const re = d.decode(Buffer.concat([encodeText('EBOB', 5), encodeZoned(42, 2, false)]));
    expect(json.toJson(re.values)).toEqual({ SEG_ID: 'E', EMPLOYEE: { EMP_NAME: 'BOB', EMP_AGE: 42 } });
    const st = new ConnectView(d).toStruct(re.values);
    expect(st.get('COMPANY')).toBeNull();
  });

  it('gives children the ids of their parents', () => {
    const h = new SegmentHierarchy(parseSegmentChildren('COMPANY=>EMPLOYEE'), 'f1_');
    expect(h.fieldNames).toEqual(['Seg_Id0', 'Seg_Id1']);
    expect(h.advance('COMPANY', 0)).toEqual(['f1_L0_0', null]);
    expect(h.advance('EMPLOYEE', 7)).toEqual(['f1_L0_0', 'f1_L1_7']);
    expect(h.advance('EMPLOYEE', 14)).toEqual(['f1_L0_0', 'f1_L1_14']);
    expect(h.advance('COMPANY', 21)).toEqual(['f1_L0_21', null]);
    const again = new SegmentHierarchy(parseSegmentChildren('COMPANY=>EMPLOYEE'), 'f1_');
    again.restore(h.state());
    expect(again.advance('EMPLOYEE', 28)).toEqual(['f1_L0_21', 'f1_L1_28']);
  });

  it('selects among several 01 records by the segment field', () => {
    const two = parseLayout(
      cb([
        '01 HDR-REC.',
        '  05 REC-TYPE PIC X.',
        '  05 FILE-DATE PIC 9(8).',
        '01 DTL-REC.',
        '  05 DTL-TYPE PIC X.',
        '  05 AMOUNT PIC S9(5)V99 COMP-3.',
      ]),
    );
    const d = new RecordDecoder(
      two,
      opts({ segmentField: 'REC-TYPE', segmentRedefines: parseSegmentRedefines(['H=HDR-REC', 'D=DTL-REC']) }),
    );
    const v = new JsonView(d);
    expect(v.toJson(d.decode(Buffer.concat([encodeText('H', 1), encodeZoned(20240501, 8, false)])).values)).toEqual({
      HDR_REC: { REC_TYPE: 'H', FILE_DATE: 20240501 },
    });
    expect(v.toJson(d.decode(Buffer.concat([encodeText('D', 1), encodePacked(-150, 7)])).values)).toEqual({
      DTL_REC: { DTL_TYPE: 'D', AMOUNT: '-1.50' },
    });
  });

  it('rejects unknown segment groups', () => {
    expect(
      () => new RecordDecoder(l, opts({ segmentField: 'SEG-ID', segmentRedefines: parseSegmentRedefines(['X=NOPE']) })),
    ).toThrow('Segment group NOPE is not a field of the copybook');
  });
});
