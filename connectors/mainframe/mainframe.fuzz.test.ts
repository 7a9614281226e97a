/**
 * Fuzzing of the mainframe decoders (untrusted bytes from a transferred data set, and the copybook
 * text): records with EBCDIC text, zoned, COMP-3, COMP, COMP-2 and OCCURS DEPENDING ON fields,
 * mutated, decode or fail with RecordDecodeError naming field and byte; RDW/BDW/length-field framing
 * of mutated files fails with FramingError naming the byte; mutated copybooks parse or fail with
 * CopybookSyntaxError naming line and column. Never a RangeError/TypeError, a hang, or an
 * allocation sized by a garbage length or count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDecode,
  FUZZ_TIMEOUT_MS,
  fuzzParams,
  mutatedBytes,
  type DecoderContract,
} from '../../test/helpers/fuzz.ts';
import { CopybookSyntaxError } from './copybook/errors.ts';
import { parseLayout } from './copybook/layout.ts';
import { ConnectView } from './decoder/connect-view.ts';
import { JsonView } from './decoder/json-view.ts';
import { DEFAULT_DECODE_OPTIONS, type DecodeOptions } from './decoder/options.ts';
import { RecordDecodeError, RecordDecoder } from './decoder/record-decoder.ts';
import {
  blockedRdwFramer,
  frameAll,
  FramingError,
  lengthFieldFramer,
  rdwFramer,
  textLineFramer,
  type Framer,
} from './framing/framer.ts';
import {
  CDC_COPYBOOK,
  cdcRecord,
  encodeBinary,
  encodePacked,
  encodeText,
  encodeZoned,
  vbBlock,
  withRdw,
} from './testing.ts';

const cb = (lines: string[]) => lines.map((l) => `       ${l}`).join('\n');

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
  '    05  WIDE           PIC N(3).',
]);

function accountBytes(n: number): Buffer {
  const tx = Buffer.alloc(27, 0x40);
  for (let i = 0; i < n; i++) {
    encodeZoned(1050 * (i + 1), 7).copy(tx, i * 9);
    encodeText('DB', 2).copy(tx, i * 9 + 7);
  }
  return Buffer.concat([
    encodePacked(12345678, 8, false),
    encodeText('ALICE', 10),
    encodePacked(-123456789, 9),
    encodeZoned(1234, 4),
    encodeBinary(-2, 2),
    encodeBinary(9007199254740993n, 8),
    encodeText('O', 1),
    Buffer.from([0x00, 0xff]),
    encodeZoned(n, 2, false),
    tx,
    encodeZoned(123, 3, false),
    Buffer.from('C276A00000000000', 'hex'),
    Buffer.from('0041004200e9', 'hex'),
  ]);
}

const recordContract: DecoderContract = { allowed: (e) => e instanceof RecordDecodeError, names: /at byte \d+/ };
const framingContract: DecoderContract = { allowed: (e) => e instanceof FramingError, names: /at byte \d+/ };
const copybookContract: DecoderContract = {
  allowed: (e) => e instanceof CopybookSyntaxError,
  names: /line \d+, column \d+/,
};

function decodeAll(decoder: RecordDecoder, bytes: Buffer): void {
  const { values } = decoder.decode(bytes);
  new JsonView(decoder).toJson(values);
  new ConnectView(decoder).toStruct(values);
}

describe('mainframe decoders under fuzzing', () => {
  const opts = (o: Partial<DecodeOptions> = {}): DecodeOptions => ({ ...DEFAULT_DECODE_OPTIONS, ...o });
  const account = parseLayout(ACCOUNT);
  const cdc = parseLayout(CDC_COPYBOOK);
  const records = [accountBytes(0), accountBytes(2), accountBytes(3)];
  const cdcRecords = [
    cdcRecord('UP', '2024-01-01-10.00.00.000000', [1, 'ANN', 100n], [1, 'ANN', -5n]),
    cdcRecord('IN', '2024-01-01-10.00.00.000001', null, [2, 'BOB', 7n]),
  ];

  it(
    'mutated records (zoned, COMP-3, COMP, COMP-2, NATIONAL, OCCURS DEPENDING ON) decode or fail naming field and byte',
    () => {
      const decoders = [
        new RecordDecoder(account, opts()),
        new RecordDecoder(account, opts({ variableSizeOccurs: true })),
        new RecordDecoder(account, opts({ binaryTruncation: 'display' as DecodeOptions['binaryTruncation'] })),
      ];
      fc.assert(
        fc.property(mutatedBytes(records), fc.nat(decoders.length - 1), (bytes, d) => {
          checkDecode(recordContract, () => decodeAll(decoders[d], bytes));
        }),
        fuzzParams(800),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'mutated CDC records decode or fail naming field and byte; with invalid.data=null they always decode',
    () => {
      const failing = new RecordDecoder(cdc, opts());
      const lenient = new RecordDecoder(cdc, opts({ invalidData: 'null' }));
      fc.assert(
        fc.property(mutatedBytes(cdcRecords), (bytes) => {
          checkDecode(recordContract, () => decodeAll(failing, bytes));
          checkDecode({ allowed: () => false, names: /./ }, () => decodeAll(lenient, bytes));
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'mutated V, VB, length-field and text files frame or fail with FramingError naming the byte',
    () => {
      const v = Buffer.concat(records.map(withRdw));
      const vb = Buffer.concat([vbBlock(records.slice(0, 2)), vbBlock(records.slice(2))]);
      const lf = Buffer.concat(
        records.map((r) => Buffer.concat([Buffer.from([0, 0, (r.length + 4) >> 8, (r.length + 4) & 0xff]), r])),
      );
      const text = Buffer.from('line one\nline two\r\nthree');
      const framers: Array<[Framer, Buffer]> = [
        [rdwFramer({ bigEndian: true, adjustment: 0 }), v],
        [rdwFramer({ bigEndian: false, adjustment: 4 }), v],
        [blockedRdwFramer({ bigEndian: true, adjustment: 0 }, { bigEndian: true, adjustment: 0 }), vb],
        [lengthFieldFramer(4, (b, at) => b.readUInt32BE(at), 0), lf],
        [textLineFramer(), text],
      ];
      fc.assert(
        fc.property(
          fc.nat(framers.length - 1).chain((i) => fc.tuple(fc.constant(i), mutatedBytes([framers[i][1]]))),
          ([i, bytes]) => {
            checkDecode(framingContract, () => {
              let total = 0;
              for (const r of frameAll(framers[i][0], bytes)) {
                expect(r.end).toBeLessThanOrEqual(bytes.length);
                expect(r.start).toBeGreaterThanOrEqual(0);
                total += r.end - r.start;
              }
              expect(total).toBeLessThanOrEqual(bytes.length);
            });
          },
        ),
        fuzzParams(800),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'mutated copybooks parse or fail with CopybookSyntaxError naming line and column',
    () => {
      const sources = [ACCOUNT, CDC_COPYBOOK].map((s) => Buffer.from(s, 'latin1'));
      fc.assert(
        fc.property(mutatedBytes(sources), (bytes) => {
          checkDecode(copybookContract, () => {
            const layout = parseLayout(bytes.toString('latin1'));
            // a layout that parses compiles into a decoder that decodes a record of its own size
            if (layout.size <= 1 << 20)
              decodeAll(
                new RecordDecoder(layout, { ...DEFAULT_DECODE_OPTIONS, invalidData: 'null' }),
                Buffer.alloc(layout.size, 0x40),
              );
          });
        }),
        fuzzParams(600),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'copybooks with sizes and counts set huge (PIC X(n), 9(n), OCCURS n) parse or fail naming line and column, without allocating by n',
    () => {
      const numbers = [...ACCOUNT.matchAll(/\d+/g)].map((m) => m.index);
      fc.assert(
        fc.property(
          fc.nat(numbers.length - 1),
          fc.constantFrom('0', '19', '38', '65535', '999999999', '2147483648', '99999999999999999999'),
          (i, n) => {
            const at = numbers[i];
            const digits = /^\d+/.exec(ACCOUNT.slice(at))![0];
            const source = ACCOUNT.slice(0, at) + n + ACCOUNT.slice(at + digits.length);
            checkDecode(copybookContract, () => {
              const layout = parseLayout(source);
              if (layout.size <= 1 << 20)
                decodeAll(
                  new RecordDecoder(layout, { ...DEFAULT_DECODE_OPTIONS, invalidData: 'null' }),
                  Buffer.alloc(layout.size, 0x40),
                );
            });
          },
        ),
        fuzzParams(300),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('mainframe decoder fuzz regressions', () => {
  it('PIC X(2147483648) and X(999999999) fail naming line and column before expanding (were: RangeError invalid string length / a 1 GB string)', () => {
    for (const n of ['2147483648', '999999999']) {
      const source = cb(['01  R.', `    05  FILLER  PIC X(${n}).`]);
      expect(() => parseLayout(source)).toThrow(CopybookSyntaxError);
      expect(() => parseLayout(source)).toThrow(/line 2, column \d+: .*more than 134217727 character positions/);
    }
  });
});
