/**
 * Fuzzing of the pgoutput decoder and the replication frames (untrusted bytes from the server):
 * the byte vectors of pgoutput-parser.test.ts, mutated (bit flips, truncation, length fields set
 * huge or negative), decode or throw PgOutputParseError naming the offset — never a RangeError or
 * TypeError, a hang, or an allocation sized by a garbage length field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDecode,
  FUZZ_TIMEOUT_MS,
  fuzzParams,
  mutatedBytes,
  type DecoderContract,
} from '../../../test/helpers/fuzz.ts';
import { DataException } from '../../../sdk/errors.ts';
import * as T from '../text-values.ts';
import { parsePgOutputMessage, PgOutputParseError } from './pgoutput-parser.ts';
import { parseReplicationFrame } from './replication-frames.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const cstr = (s: string): string => Buffer.from(s + '\0').toString('hex');

const messages = [
  '42 0000000016B37480 0000000000000001 000002E6',
  '43 00 0000000016B37480 0000000016B374B0 0000000000000000',
  `4F 0000000000000010 ${cstr('sub1')}`,
  `52 00004001 ${cstr('public')} ${cstr('t')} 64 0002 01 ${cstr('id')} 00000017 FFFFFFFF 00 ${cstr('n')} 000006A4 000A0006`,
  `59 00004010 ${cstr('public')} ${cstr('mood')}`,
  '49 00004001 4E 0004 74 00000002 3432 6E 75 62 00000002 0102',
  '55 00004001 4B 0001 74 00000001 31 4E 0001 74 00000001 32',
  '55 00004001 4F 0001 74 00000001 31 4E 0001 74 00000001 32',
  '44 00004001 4B 0001 74 00000001 37',
  '54 00000002 03 00004001 00004002',
  `4D 01 0000000000000100 ${cstr('pfx')} 00000003 616263`,
  '53 000003E8 01',
  '63 000003E8 00 0000000000000010 0000000000000020 0000000000000000',
  '41 000003E8 000003E8 0000000000000030 0000000000000000',
  `62 0000000000000010 0000000000000020 0000000000000000 00000005 ${cstr('g1')}`,
  `50 00 0000000000000010 0000000000000020 0000000000000000 00000005 ${cstr('g1')}`,
  `72 00 0000000000000010 0000000000000020 0000000000000000 0000000000000000 00000005 ${cstr('g1')}`,
].map(hex);
const streamed = [
  '49 000003E8 00004001 4E 0002 6E 74 00000003 616263',
  `52 000003E8 00000001 00 ${cstr('x')} 66 0000`,
].map(hex);
const frames = [
  '77 0000000000000010 0000000000000020 0000000000000000 45',
  '6B 0000000000000020 0000000000000001 01',
].map(hex);

const contract: DecoderContract = {
  allowed: (e) => e instanceof PgOutputParseError,
  names: /at offset \d+|offset \d+/,
};

describe('pgoutput decoder under fuzzing', () => {
  it(
    'mutated messages decode or fail with PgOutputParseError naming the offset',
    () => {
      fc.assert(
        fc.property(mutatedBytes(messages), (bytes) => {
          checkDecode(contract, () => parsePgOutputMessage(bytes));
        }),
        fuzzParams(1500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'mutated messages inside a stream block (leading xid)',
    () => {
      fc.assert(
        fc.property(mutatedBytes(streamed), (bytes) => {
          checkDecode(contract, () => parsePgOutputMessage(bytes, true));
        }),
        fuzzParams(500),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'mutated replication frames (XLogData, keepalive)',
    () => {
      fc.assert(
        fc.property(mutatedBytes(frames), (bytes) => {
          checkDecode(contract, () => parseReplicationFrame(bytes));
        }),
        fuzzParams(300),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('pgoutput column text values under fuzzing', () => {
  const parsers: Array<[(text: string) => unknown, string[]]> = [
    [T.parseDate, ['2018-06-20', '0001-01-01 BC', 'infinity']],
    [T.parseTimeMicros, ['10:15:30.123456', '24:00:00']],
    [T.parseTimestamp, ['2018-06-20 13:37:03+02', '1969-12-31 23:59:59.5+00', '0044-03-15 12:00:00 BC']],
    [T.parseTimeTzUtcMicros, ['10:15:30.5-05:30']],
    [T.parseInterval, ['P1Y2M3DT4H5M6.5S', 'P-1DT-2H']],
    [T.parseBytea, ['\\x0102ff']],
    [T.parseArrayLiteral, ['{1,NULL,"a,b","q\\"x"}', '{}']],
    [T.parseHstore, ['"a"=>"1", "b"=>NULL, "c\\"d"=>"e"']],
    [T.parsePoint, ['(1.5,-2)']],
    [(t) => T.bitsToLittleEndian(t, 2), ['1011001110']],
  ];

  it(
    'mutated text forms (dates, times, intervals, bytea, arrays, hstore, points, bits) parse or throw DataException',
    () => {
      fc.assert(
        fc.property(
          fc
            .nat(parsers.length - 1)
            .chain((i) => fc.tuple(fc.constant(i), mutatedBytes(parsers[i][1].map((t) => Buffer.from(t))))),
          ([i, bytes]) => {
            checkDecode({ allowed: (e) => e instanceof DataException, names: /./ }, () =>
              parsers[i][0](bytes.toString('utf8')),
            );
          },
        ),
        fuzzParams(1000),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('pgoutput decoder fuzz regressions', () => {
  it('a negative TupleData text length is refused (was: read backwards from the offset)', () => {
    expect(() => parsePgOutputMessage(hex('49 00004001 4E 0001 74 FFFFFFFF'))).toThrow(
      /Negative length -1 for -1 bytes at offset 13/,
    );
  });

  it('a negative TupleData column count is refused (was: RangeError invalid array length)', () => {
    expect(() => parsePgOutputMessage(hex('49 00004001 4E FFFF'))).toThrow(
      /Negative TupleData column count -1 at offset 6/,
    );
  });

  it('a truncated message and an empty one throw PgOutputParseError (were: RangeError)', () => {
    expect(() => parsePgOutputMessage(hex('42 0000'))).toThrow(PgOutputParseError);
    expect(() => parsePgOutputMessage(Buffer.alloc(0))).toThrow(PgOutputParseError);
    expect(() => parseReplicationFrame(Buffer.alloc(0))).toThrow(PgOutputParseError);
  });
});
