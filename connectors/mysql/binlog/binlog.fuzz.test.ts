/**
 * Fuzzing of the binlog decoders (untrusted bytes from the server or a binlog file): the real
 * MariaDB 10.11 events of fixtures/ and the MySQL 8 vectors of event-builder.ts, mutated (bit flips,
 * truncation, length fields set huge) with the header length and CRC32 recomputed so the mutation
 * reaches the body decoders, then parsed and their row images decoded. Each either decodes or throws
 * BinlogFormatError (the stream wraps it with file and position; row decoding names row, column and
 * byte) — never a RangeError/TypeError, a hang, or an allocation sized by a garbage length field.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDecode,
  FUZZ_TIMEOUT_MS,
  fuzzParams,
  mutatedBytes,
  type DecoderContract,
} from '../../../test/helpers/fuzz.ts';
import { BinlogFormatError, ByteWriter } from './byte-reader.ts';
import { encodingOfCollation } from './charsets.ts';
import { BinlogEventParser } from './event-parser.ts';
import {
  buildEvent,
  datetime2Bytes,
  encodeJsonBinary,
  mysql8FormatDescriptionBody,
  mysqlTableMapBody,
  mysqlWriteRowsBody,
} from './event-builder.ts';
import { EventType, HEADER_LENGTH } from './event-types.ts';
import { decodeRows, type RowsEvent } from './events/rows.ts';
import type { TableMapEvent } from './events/table-map.ts';
import { jsonToText, parseJsonBinary } from './json-binary.ts';
import { applyJsonDiffs, parseJsonDiffs } from './json-diff.ts';
import { compressMariadb, decompressMariadb } from './mariadb-compression.ts';
import type { ColumnDecodeSpec } from './row-values.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const mariadbEvents = (
  JSON.parse(fs.readFileSync(path.join(here, 'fixtures/mariadb-10.11-types.json'), 'utf8')) as { events: string[] }
).events.map((h) => Buffer.from(h, 'hex'));

const parseContract: DecoderContract = { allowed: (e) => e instanceof BinlogFormatError, names: /./ };
const rowsContract: DecoderContract = {
  allowed: (e) => e instanceof BinlogFormatError,
  names: /at byte \d+|table id \d+/,
};
const jsonContract: DecoderContract = {
  allowed: (e) => e instanceof BinlogFormatError,
  names: /at (byte|offset) \d+|offset \d+/,
};

function specs(map: TableMapEvent): ColumnDecodeSpec[] {
  return map.columns.map((c) => ({
    ...c,
    unsigned: c.unsigned ?? false,
    encoding: c.collation === null ? 'utf8' : encodingOfCollation(c.collation),
  }));
}

/** The event with its header length and CRC32 rewritten to match the (mutated) bytes. */
function resealed(ev: Buffer, crc: boolean): Buffer {
  if (ev.length < HEADER_LENGTH + (crc ? 4 : 0)) return ev;
  const b = Buffer.from(ev);
  b.writeUInt32LE(b.length, 9);
  if (crc) b.writeUInt32LE(zlib.crc32(b.subarray(0, b.length - 4)), b.length - 4);
  return b;
}

function mariadbParser(): BinlogEventParser {
  const p = new BinlogEventParser(true);
  p.parse(mariadbEvents[0]);
  p.parse(mariadbEvents[1]);
  return p;
}

function mysqlParser(): BinlogEventParser {
  const p = new BinlogEventParser(true);
  p.parse(buildEvent(EventType.FORMAT_DESCRIPTION, mysql8FormatDescriptionBody()));
  return p;
}

const mariadbMap = mariadbParser().parse(mariadbEvents[5]).body as TableMapEvent;
const mysqlMap = mysqlParser().parse(buildEvent(EventType.TABLE_MAP, mysqlTableMapBody(91))).body as TableMapEvent;

const mysqlSeeds: Buffer[] = [
  buildEvent(EventType.TABLE_MAP, mysqlTableMapBody(91)),
  buildEvent(
    EventType.WRITE_ROWS_V2,
    mysqlWriteRowsBody(91, {
      id: 7,
      json: encodeJsonBinary({ a: 1, list: [true, null, 'x'], big: 2n ** 60n, pi: 3.25 }),
      d: datetime2Bytes(2018, 6, 20, 6, 37, 3, 123000, 3),
      u: 5n,
      s: 'héllo',
    }),
  ),
  buildEvent(
    EventType.WRITE_ROWS_V2,
    mysqlWriteRowsBody(91, {
      id: 8,
      json: encodeJsonBinary([1, { k: 'v' }], true),
      d: datetime2Bytes(2000, 1, 1, 0, 0, 0, 0, 3),
      u: 0n,
      s: '',
    }),
  ),
  buildEvent(
    EventType.GTID,
    new ByteWriter()
      .u8(1)
      .bytes(Buffer.alloc(16, 7))
      .i64(23)
      .u8(2)
      .i64(10)
      .i64(11)
      .uintLE(1, 6)
      .u8(0x80)
      .uintLE(2, 6)
      .u8(0)
      .packed(1234)
      .u32(80036)
      .build(),
  ),
  buildEvent(
    EventType.HEARTBEAT_V2,
    new ByteWriter()
      .packed(1)
      .packedBytes('binlog.000042')
      .packed(2)
      .packed(9)
      .u8(0xfe)
      .u64(5_000_000_000)
      .packed(0)
      .build(),
  ),
  buildEvent(
    EventType.TRANSACTION_PAYLOAD,
    (() => {
      const fixture = JSON.parse(
        fs.readFileSync(path.join(here, 'fixtures/mysql-transaction-payload.json'), 'utf8'),
      ) as { uncompressedSize: number; zstd: string };
      const zstd = Buffer.from(fixture.zstd, 'hex');
      return new ByteWriter()
        .packed(2)
        .packed(1)
        .packed(0)
        .packed(3)
        .packed(3)
        .packed(fixture.uncompressedSize)
        .packed(1)
        .packed(3)
        .packed(zstd.length)
        .packed(0)
        .bytes(zstd)
        .build();
    })(),
  ),
  buildEvent(
    EventType.TRANSACTION_PAYLOAD,
    (() => {
      const inner = Buffer.concat([
        buildEvent(19, mysqlTableMapBody(91), { checksum: false }),
        buildEvent(16, new ByteWriter().u64(77).build(), { checksum: false }),
      ]);
      return new ByteWriter()
        .packed(2)
        .packed(1)
        .packed(255)
        .packed(3)
        .packed(3)
        .packed(inner.length)
        .packed(1)
        .packed(3)
        .packed(inner.length)
        .packed(0)
        .bytes(inner)
        .build();
    })(),
  ),
];

/** Parses one event into a fresh parser of its flavour; decodes rows with the table's real map (and with a mutated map's own specs). */
function parseAndDecode(make: () => BinlogEventParser, map: TableMapEvent, bytes: Buffer): void {
  const p = make();
  const ev = checkDecode(parseContract, () => p.parse(bytes));
  if (!ev) return;
  const bodies = ev.body.kind === 'transactionPayload' ? ev.body.events.map((e) => e.body) : [ev.body];
  for (const body of bodies) {
    if (body.kind === 'rows') checkDecode(rowsContract, () => decodeRows(body as RowsEvent, specs(map)));
    if (body.kind === 'tableMap') {
      // a mutated map decoding the real rows event of its table
      const rows = p.parse(mariadbEvents[6]).body as RowsEvent;
      checkDecode(rowsContract, () =>
        decodeRows({ ...rows, columnCount: body.columns.length, present1: body.columns.map(() => true) }, specs(body)),
      );
    }
  }
}

describe('binlog decoders under fuzzing', () => {
  it(
    'MariaDB 10.11 events, mutated and resealed: parse and row decoding fail only with BinlogFormatError',
    () => {
      const seeds = mariadbEvents.slice(2);
      fc.assert(
        fc.property(mutatedBytes(seeds, { from: HEADER_LENGTH }), fc.boolean(), (bytes, reseal) => {
          parseAndDecode(mariadbParser, mariadbMap, reseal ? resealed(bytes, true) : bytes);
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'MySQL 8 vectors (v2 rows, JSON, GTID, HEARTBEAT_V2, TRANSACTION_PAYLOAD), mutated and resealed',
    () => {
      fc.assert(
        fc.property(mutatedBytes(mysqlSeeds, { from: HEADER_LENGTH }), fc.boolean(), (bytes, reseal) => {
          parseAndDecode(mysqlParser, mysqlMap, reseal ? resealed(bytes, true) : bytes);
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'binary JSON documents, mutated: parse and print fail only with BinlogFormatError naming the offset',
    () => {
      const docs = [
        encodeJsonBinary({ k: [1, -70000, 2n ** 40n, 'ü', { nested: false }], e: {}, z: null }),
        encodeJsonBinary({ k: [1, 'x'.repeat(200), { a: [[[]]] }] }, true),
        encodeJsonBinary('a"b\n'),
        Buffer.from([0x0f, 246, 5, 5, 2, 0x80, 0x7b, 0x2d]),
      ];
      fc.assert(
        fc.property(mutatedBytes(docs), (bytes) => {
          checkDecode(jsonContract, () => jsonToText(parseJsonBinary(bytes)));
        }),
        fuzzParams(600),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'JSON diffs of PARTIAL_UPDATE_ROWS, mutated, applied to a document',
    () => {
      const diff = new ByteWriter()
        .u8(0)
        .packedBytes('$.a')
        .packedBytes(encodeJsonBinary('replaced'))
        .u8(1)
        .packedBytes('$.arr[1]')
        .packedBytes(encodeJsonBinary(99))
        .u8(2)
        .packedBytes('$.obj.x')
        .u8(1)
        .packedBytes('$."q k"[last]')
        .packedBytes(encodeJsonBinary([true]))
        .build();
      const doc = parseJsonBinary(encodeJsonBinary({ a: 1, arr: [1, 2, 3], obj: { x: 'y' }, 'q k': [] }));
      fc.assert(
        fc.property(mutatedBytes([diff]), (bytes) => {
          checkDecode({ allowed: (e) => e instanceof BinlogFormatError, names: /./ }, () =>
            jsonToText(applyJsonDiffs(doc, parseJsonDiffs(bytes))),
          );
        }),
        fuzzParams(400),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'MariaDB compressed payloads, mutated: inflate or BinlogFormatError, output bounded by the declared length',
    () => {
      const seeds = [compressMariadb(Buffer.alloc(3000, 'z')), compressMariadb(Buffer.from('short row data'))];
      fc.assert(
        fc.property(mutatedBytes(seeds), (bytes) => {
          const out = checkDecode(parseContract, () => decompressMariadb(bytes));
          if (out && bytes.length > 0) expect(out.length).toBeLessThanOrEqual(2 ** (8 * (bytes[0] & 7)));
        }),
        fuzzParams(300),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

/** Counterexamples the fuzzer found, shrunk, kept as fixed cases. */
describe('binlog decoder fuzz regressions', () => {
  const rowsOf = (columnCount: number, data: Buffer): RowsEvent => ({
    kind: 'rows',
    operation: 'insert',
    tableId: 91,
    flags: 0,
    columnCount,
    present1: Array(columnCount).fill(true),
    present2: null,
    partial: false,
    data,
  });
  const column = (realType: number, extra: Partial<ColumnDecodeSpec> = {}): ColumnDecodeSpec => ({
    type: realType,
    realType,
    packLength: 0,
    maxLength: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    bits: 0,
    nullable: true,
    unsigned: false,
    encoding: 'utf8',
    ...extra,
  });

  it('a TABLE_MAP of zero columns and a rows event with data: an error, not rows without end (was: heap exhausted)', () => {
    // the MySQL 8 TABLE_MAP vector with its column count byte mutated to 0
    const p = mysqlParser();
    const map = p.parse(
      resealed(
        Buffer.from(
          '00f1536513010000004f0000000000000000005bff400000000000026462000174800003f512080f04040350001e0101400203fcff00040b026964016a01640175017308010063032102036edf3b17',
          'hex',
        ),
        true,
      ),
    ).body as TableMapEvent;
    expect(map.columns).toEqual([]);
    expect(() => decodeRows(rowsOf(0, Buffer.from([1, 2, 3])), [])).toThrow(/row 0 at byte 0 of 3 has no columns/);
  });

  it('a column count over 2^31 is refused before its bitmap is allocated', () => {
    const body = new ByteWriter()
      .uintLE(91, 6)
      .u16(1)
      .u16(2)
      .u8(0xfe)
      .u64(2 ** 31 + 9)
      .u8(0xff)
      .build();
    expect(() => mysqlParser().parse(buildEvent(EventType.WRITE_ROWS_V2, body))).toThrow(
      /bitmap of 2147483657 bits at offset \d+ runs past the end/,
    );
  });

  it('a SET value cut short: BinlogFormatError naming row, column and byte (was: TypeError converting undefined to BigInt)', () => {
    expect(() => decodeRows(rowsOf(1, Buffer.from([0, 7])), [column(248, { packLength: 2 })])).toThrow(
      /row 0 starting at byte 0 of 2: column 0 \(type 248\) at byte 1: SET value of 2 bytes/,
    );
  });

  it('a BLOB length past the data and a DECIMAL with scale over precision name their byte (were: RangeError / TypeError)', () => {
    expect(() => decodeRows(rowsOf(1, Buffer.from([0, 1, 0])), [column(252, { packLength: 4 })])).toThrow(
      BinlogFormatError,
    );
    expect(() => decodeRows(rowsOf(1, Buffer.from([0, 1, 0])), [column(246, { precision: 2, scale: 9 })])).toThrow(
      /DECIMAL\(2,9\) at byte 1/,
    );
  });

  it('an empty TABLE_MAP body and a metadata length past the event (were: RangeError, TypeError reading undefined)', () => {
    expect(() => mysqlParser().parse(buildEvent(EventType.TABLE_MAP, Buffer.alloc(0)))).toThrow(
      /TABLE_MAP body of 0 bytes/,
    );
    const body = new ByteWriter()
      .uintLE(5, 6)
      .u16(0)
      .packedBytes('db')
      .u8(0)
      .packedBytes('t')
      .u8(0)
      .packed(1)
      .u8(3)
      .packed(200)
      .build();
    expect(() => mysqlParser().parse(buildEvent(EventType.TABLE_MAP, body))).toThrow(/runs past the end of the data/);
  });

  it('HEARTBEAT_V2 whose position value is cut short: BinlogFormatError (was: RangeError outside buffer bounds)', () => {
    const body = Buffer.from('010d62696e6c6f672e3030303034320200fe00f2052a01000000', 'hex'); // position TLV of length 0, then garbage
    expect(() => mysqlParser().parse(buildEvent(EventType.HEARTBEAT_V2, body))).toThrow(BinlogFormatError);
  });

  it('TRANSACTION_PAYLOAD: zstd data that does not decompress and a declared size over 1 GiB are BinlogFormatError (was: a plain Error "invalid zstd data")', () => {
    const payload = (size: number, data: Buffer) =>
      new ByteWriter()
        .packed(2)
        .packed(1)
        .packed(0)
        .packed(3)
        .packed(data.length < 251 ? 1 : 3)
        .packed(size)
        .packed(1)
        .packed(1)
        .packed(data.length)
        .packed(0)
        .bytes(data)
        .build();
    expect(() =>
      mysqlParser().parse(buildEvent(EventType.TRANSACTION_PAYLOAD, payload(3, Buffer.from([0, 0, 0])))),
    ).toThrow(/does not decompress: invalid zstd data/);
    const huge = new ByteWriter()
      .packed(2)
      .packed(1)
      .packed(0)
      .packed(3)
      .packed(9)
      .u8(0xfe)
      .u64(2 ** 32)
      .packed(0)
      .bytes(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))
      .build();
    expect(() => mysqlParser().parse(buildEvent(EventType.TRANSACTION_PAYLOAD, huge))).toThrow(
      /declares 4294967296 uncompressed bytes/,
    );
  });

  it('a JSON diff replacing index 900000000 of a 3-item array is refused (was: a 60 s hang growing a sparse array, then RangeError)', () => {
    const doc = parseJsonBinary(encodeJsonBinary({ a: 1, arr: [1, 2, 3] }));
    const diff = new ByteWriter().u8(0).packedBytes('$.arr[900000000]').packedBytes(encodeJsonBinary(99)).build();
    expect(() => applyJsonDiffs(doc, parseJsonDiffs(diff))).toThrow(
      /JSON diff path \$\.arr\[900000000\] addresses index 900000000 of an array of 3/,
    );
    const insert = new ByteWriter().u8(1).packedBytes('$.arr[900000000]').packedBytes(encodeJsonBinary(99)).build();
    expect(jsonToText(applyJsonDiffs(doc, parseJsonDiffs(insert)))).toBe('{"a":1,"arr":[1,2,3,99]}'); // INSERT past the end appends, as MySQL's JSON_ARRAY_INSERT
  });

  it('a MariaDB compressed payload that is not zlib: BinlogFormatError (was: a plain zlib Error)', () => {
    expect(() => decompressMariadb(Buffer.from('820bb8009cedc13101000000c2a0de4b6f0d0fa000008077', 'hex'))).toThrow(
      /does not inflate: incorrect header check/,
    );
  });

  it('binary JSON whose values point back at their own container stops (depth/size), naming the offset', () => {
    // small array of 2 entries, both small arrays at offset 0 (the container itself)
    const selfRef = Buffer.from([0x02, 2, 0, 10, 0, 0x02, 0, 0, 0x02, 0, 0]);
    expect(() => parseJsonBinary(selfRef)).toThrow(/points outside its container|more values than bytes|nested deeper/);
    expect(() => parseJsonBinary(Buffer.from([0x00, 3, 0, 83, 0]))).toThrow(
      /JSON container at offset 1 has size 83, exceeding the value/,
    );
  });
});
