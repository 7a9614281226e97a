/**
 * MySQL-only formats, which no local server writes, checked with byte vectors built from the
 * documented layouts (libs/mysql/binlog/event, sql-common/json_binary, sql/json_diff.cc):
 * v2 rows events with extra row info, GTID/PREVIOUS_GTIDS, TABLE_MAP optional metadata,
 * TRANSACTION_PAYLOAD (a real zstd frame), PARTIAL_UPDATE_ROWS with JSON diffs, binary JSON,
 * HEARTBEAT_V2, replication commands, unknown events.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from './byte-reader.ts';
import { binlogDumpGtidPayload, binlogDumpPayload, registerSlavePayload } from './commands.ts';
import { BinlogEventParser, type BinlogEvent } from './event-parser.ts';
import {
  buildEvent,
  datetime2Bytes,
  encodeJsonBinary,
  mysql8FormatDescriptionBody,
  mysqlTableMapBody,
  mysqlWriteRowsBody,
} from './event-builder.ts';
import { EventType } from './event-types.ts';
import { decodeRows, type RowsEvent } from './events/rows.ts';
import type { TableMapEvent } from './events/table-map.ts';
import type { MysqlGtidEvent, PreviousGtidsEvent } from './events/mysql-gtid.ts';
import { MysqlGtidSet } from './gtid.ts';
import { jsonToText, parseJsonBinary } from './json-binary.ts';
import { DateTimeValue, Json, type ColumnDecodeSpec } from './row-values.ts';
import { encodingOfCollation } from './charsets.ts';

const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
const uuidBytes = Buffer.from(UUID.replace(/-/g, ''), 'hex');

function mysqlParser(): BinlogEventParser {
  const p = new BinlogEventParser(true);
  p.parse(buildEvent(EventType.FORMAT_DESCRIPTION, mysql8FormatDescriptionBody()));
  return p;
}

function specs(map: TableMapEvent): ColumnDecodeSpec[] {
  return map.columns.map((c) => ({
    ...c,
    unsigned: c.unsigned ?? false,
    encoding: c.collation === null ? 'utf8' : encodingOfCollation(c.collation),
  }));
}

export function transactionPayloadInnerEvents(): Buffer {
  const inner: Buffer[] = [buildEvent(19, mysqlTableMapBody(91), { checksum: false })];
  for (let i = 0; i < 20; i++)
    inner.push(
      buildEvent(
        30,
        mysqlWriteRowsBody(91, {
          id: i,
          json: encodeJsonBinary({ n: i, tags: ['a', 'b'] }),
          d: datetime2Bytes(2024, 2, 29, 12, 0, i, 500000, 3),
          u: 18446744073709551615n - BigInt(i),
          s: `row ${i}`,
        }),
        { checksum: false },
      ),
    );
  inner.push(buildEvent(16, new ByteWriter().u64(77).build(), { checksum: false }));
  return Buffer.concat(inner);
}

describe('MySQL 8 event vectors', () => {
  it('reads a FORMAT_DESCRIPTION of MySQL 8 and verifies its CRC', () => {
    const p = new BinlogEventParser(false);
    const ev = p.parse(buildEvent(EventType.FORMAT_DESCRIPTION, mysql8FormatDescriptionBody(), { flags: 0 }));
    expect(ev.body).toMatchObject({
      kind: 'formatDescription',
      serverVersion: '8.0.36',
      checksumAlg: 1,
      mariadb: false,
    });
    expect(p.fde.postHeaderLengths[EventType.WRITE_ROWS_V2 - 1]).toBe(10);
  });

  it('reads GTID_LOG_EVENT with 8.0 commit timestamps and transaction length', () => {
    const body = new ByteWriter()
      .u8(1)
      .bytes(uuidBytes)
      .i64(23)
      .u8(2)
      .i64(10)
      .i64(11)
      .uintLE(1714566896789123 % 2 ** 48, 6)
      .u8(Math.floor(1714566896789123 / 2 ** 48) | 0x80) // immediate ts with the "original follows" bit
      .uintLE(1714566896000001 % 2 ** 48, 6)
      .u8(Math.floor(1714566896000001 / 2 ** 48))
      .packed(1234)
      .u32(80036)
      .build();
    const ev = mysqlParser().parse(buildEvent(EventType.GTID, body)).body as MysqlGtidEvent;
    expect(ev.gtid).toBe(`${UUID}:23`);
    expect(ev.lastCommitted).toBe(10n);
    expect(ev.sequenceNumber).toBe(11n);
    expect(ev.immediateCommitTimestampUs).toBe(1714566896789123n);
    expect(ev.originalCommitTimestampUs).toBe(1714566896000001n);
    expect(ev.transactionLength).toBe(1234);
    const anon = mysqlParser().parse(
      buildEvent(EventType.ANONYMOUS_GTID, new ByteWriter().u8(0).bytes(Buffer.alloc(16)).i64(0).build()),
    ).body as MysqlGtidEvent;
    expect(anon).toMatchObject({ anonymous: true, gtid: null });
  });

  it('reads PREVIOUS_GTIDS and encodes GTID sets (plain and tagged) as the dump command needs', () => {
    const set = MysqlGtidSet.parse(`${UUID}:1-5:7,24da167f-7b35-11e0-9b8a-c80aa9429562:1-2418`);
    expect(set.toString()).toBe(`24da167f-7b35-11e0-9b8a-c80aa9429562:1-2418,${UUID}:1-5:7`);
    const enc = set.encode();
    // n_sids u64, then per sid: uuid, n_intervals u64, [start, end exclusive] u64 pairs.
    expect(enc.readBigUInt64LE(0)).toBe(2n);
    expect(enc.subarray(8, 24).toString('hex')).toBe('24da167f7b3511e09b8ac80aa9429562');
    expect(enc.readBigUInt64LE(24)).toBe(1n);
    expect([enc.readBigUInt64LE(32), enc.readBigUInt64LE(40)]).toEqual([1n, 2419n]);
    expect(enc.length).toBe(8 + (16 + 8 + 16) + (16 + 8 + 32));
    const ev = mysqlParser().parse(buildEvent(EventType.PREVIOUS_GTIDS, enc)).body as PreviousGtidsEvent;
    expect(ev.gtidSet.toString()).toBe(set.toString());
    const tagged = MysqlGtidSet.parse(`${UUID}:1-3:blue:1-2`);
    const t = tagged.encode();
    expect(t.readBigUInt64LE(0)).toBe((1n << 56n) | (2n << 8n) | 1n);
    expect(MysqlGtidSet.decode(t).toString()).toBe(`${UUID}:1-3,${UUID}:blue:1-2`);
  });

  it('encodes COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID and COM_REGISTER_SLAVE', () => {
    // MariaDB docs example: 12 34 06 00 00 02 00 75 27 00 00 "mysql-bin.000034"
    expect(
      binlogDumpPayload({ file: 'mysql-bin.000034', position: 0x634, flags: 2, serverId: 10101 }).toString('hex'),
    ).toBe('1234060000020075270000' + Buffer.from('mysql-bin.000034').toString('hex'));
    const set = MysqlGtidSet.parse(`${UUID}:1-100`);
    const gtid = binlogDumpGtidPayload({ serverId: 5401, flags: 0, gtidSet: set });
    const expected = new ByteWriter()
      .u8(0x1e)
      .u16(0)
      .u32(5401)
      .u32(0)
      .u64(4)
      .u32(48)
      .u64(1)
      .bytes(uuidBytes)
      .u64(1)
      .u64(1)
      .u64(101)
      .build();
    expect(gtid.toString('hex')).toBe(expected.toString('hex'));
    expect(registerSlavePayload({ serverId: 5401 }).toString('hex')).toBe('151915000000000000000000000000000000');
  });

  it('reads TABLE_MAP optional metadata and v2 WRITE_ROWS with extra row info', () => {
    const p = mysqlParser();
    const map = p.parse(buildEvent(EventType.TABLE_MAP, mysqlTableMapBody(91))).body as TableMapEvent;
    expect(map.columns.map((c) => [c.name, c.type, c.unsigned, c.nullable])).toEqual([
      ['id', 3, false, false],
      ['j', 245, null, true],
      ['d', 18, null, true],
      ['u', 8, true, true],
      ['s', 15, null, true],
    ]);
    expect(map.columns[4]).toMatchObject({ collation: 255, maxLength: 80 });
    expect(map.columns[1].packLength).toBe(4);
    expect(map.columns[2].fsp).toBe(3);
    expect(map.primaryKey).toEqual([0]);
    const json = encodeJsonBinary({ a: 1, list: [true, null, 'x'], big: 9007199254740993n, pi: 3.25 });
    const rows = p.parse(
      buildEvent(
        EventType.WRITE_ROWS_V2,
        mysqlWriteRowsBody(91, {
          id: 7,
          json,
          d: datetime2Bytes(2018, 6, 20, 6, 37, 3, 123000, 3),
          u: 18446744073709551615n,
          s: 'héllo',
        }),
      ),
    ).body as RowsEvent;
    const [row] = decodeRows(rows, specs(map));
    expect(row.after).toEqual([
      7,
      new Json('{"a":1,"pi":3.25,"big":9007199254740993,"list":[true,null,"x"]}'),
      new DateTimeValue({ year: 2018, month: 6, day: 20, hour: 6, minute: 37, second: 3, micros: 123000 }),
      18446744073709551615n,
      'héllo',
    ]);
    const nullJson = p.parse(
      buildEvent(
        EventType.WRITE_ROWS_V2,
        mysqlWriteRowsBody(91, { id: 8, json: null, d: datetime2Bytes(2000, 1, 1, 0, 0, 0, 0, 3), u: 0n, s: '' }),
      ),
    ).body as RowsEvent;
    expect(decodeRows(nullJson, specs(map))[0].after![1]).toBeNull();
  });

  it('decompresses TRANSACTION_PAYLOAD (zstd) into its inner events', () => {
    const fixture = JSON.parse(
      fs.readFileSync(
        path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mysql-transaction-payload.json'),
        'utf8',
      ),
    ) as { uncompressedSize: number; zstd: string };
    const zstd = Buffer.from(fixture.zstd, 'hex');
    const inner = transactionPayloadInnerEvents();
    expect(inner.length).toBe(fixture.uncompressedSize);
    // Header TLVs (packed ints): 2 = compression ZSTD (0), 3 = uncompressed size, 1 = payload size, 0 = end.
    const body = new ByteWriter()
      .packed(2)
      .packed(1)
      .packed(0)
      .packed(3)
      .packed(3)
      .packed(inner.length)
      .packed(1)
      .packed(3)
      .packed(zstd.length)
      .packed(0)
      .bytes(zstd)
      .build();
    expect(body.subarray(0, 3).toString('hex')).toBe('020100');
    const p = mysqlParser();
    const ev = p.parse(buildEvent(EventType.TRANSACTION_PAYLOAD, body)).body as { kind: string; events: BinlogEvent[] };
    expect(ev.kind).toBe('transactionPayload');
    expect(ev.events.map((e) => e.body.kind)).toEqual(['tableMap', ...Array(20).fill('rows'), 'xid']);
    const map = ev.events[0].body as TableMapEvent;
    const last = decodeRows(ev.events[20].body as RowsEvent, specs(map))[0].after!;
    expect(last[0]).toBe(19);
    expect((last[1] as Json).text).toBe('{"n":19,"tags":["a","b"]}');
    expect(last[3]).toBe(18446744073709551615n - 19n);
    expect(last[4]).toBe('row 19');
  });

  it('rebuilds the after image of PARTIAL_UPDATE_ROWS from the JSON diffs', () => {
    const p = mysqlParser();
    const map = p.parse(buildEvent(EventType.TABLE_MAP, mysqlTableMapBody(91))).body as TableMapEvent;
    const before = encodeJsonBinary({ a: 1, arr: [1, 2, 3], obj: { x: 'y' } });
    const d = datetime2Bytes(2020, 1, 1, 0, 0, 0, 0, 3);
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
      .packedBytes('$.b')
      .packedBytes(encodeJsonBinary([true]))
      .build();
    const body = new ByteWriter()
      .uintLE(91, 6)
      .u16(1)
      .u16(2)
      .packed(5)
      .u8(0x1f)
      .u8(0x1f)
      // before image: full row
      .u8(0)
      .u32(1)
      .u32(before.length)
      .bytes(before)
      .bytes(d)
      .u64(5)
      .u8(1)
      .bytes('s')
      // after image: value_options PARTIAL_JSON, partial bits over the JSON columns, nulls, values
      .packed(1)
      .u8(0x01)
      .u8(0)
      .u32(1)
      .u32(diff.length)
      .bytes(diff)
      .bytes(d)
      .u64(6)
      .u8(1)
      .bytes('t')
      .build();
    const ev = p.parse(buildEvent(EventType.PARTIAL_UPDATE_ROWS, body)).body as RowsEvent;
    expect(ev).toMatchObject({ operation: 'update', partial: true });
    const [row] = decodeRows(ev, specs(map));
    expect((row.before![1] as Json).text).toBe('{"a":1,"arr":[1,2,3],"obj":{"x":"y"}}');
    expect((row.after![1] as Json).text).toBe('{"a":"replaced","b":[true],"arr":[1,99,2,3],"obj":{}}');
    expect(row.after![3]).toBe(6n);
    expect(row.after![4]).toBe('t');
  });

  it('decodes binary JSON in the small and large formats, with inlined and offset values', () => {
    const doc = { k: [1, -70000, 2n ** 40n, 'ü', { nested: false }], e: {}, z: null };
    for (const large of [false, true]) {
      expect(jsonToText(parseJsonBinary(encodeJsonBinary(doc, large)))).toBe(
        '{"e":{},"k":[1,-70000,1099511627776,"ü",{"nested":false}],"z":null}',
      );
    }
    expect(jsonToText(parseJsonBinary(encodeJsonBinary(1.0)))).toBe('1');
    expect(jsonToText(parseJsonBinary(encodeJsonBinary(2 ** 40)))).toBe('1.099511627776E12'); // a DOUBLE prints as Java's Double.toString
    expect(jsonToText(parseJsonBinary(encodeJsonBinary(0.1)))).toBe('0.1');
    expect(jsonToText(parseJsonBinary(encodeJsonBinary('a"b\n')))).toBe('"a\\"b\\n"');
    // Opaque DECIMAL(5,2) 123.45 and DATETIME 2015-01-15 23:24:25.000500.
    const dec = Buffer.from([0x0f, 246, 5, 5, 2, 0x80, 0x7b, 0x2d]);
    expect(jsonToText(parseJsonBinary(dec))).toBe('123.45');
    const packed = (((BigInt((2015 * 13 + 1) * 32 + 15) << 17n) | BigInt((23 << 12) | (24 << 6) | 25)) << 24n) | 500n;
    const dt = Buffer.alloc(8);
    dt.writeBigInt64LE(packed);
    expect(jsonToText(parseJsonBinary(Buffer.concat([Buffer.from([0x0f, 12, 8]), dt])))).toBe(
      '"2015-01-15 23:24:25.000500"',
    );
  });

  it('reads HEARTBEAT_V2 and skips unknown events by length, counting them', () => {
    const p = mysqlParser();
    const hb = p.parse(
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
    );
    expect(hb.body).toEqual({ kind: 'heartbeat', file: 'binlog.000042', position: 5_000_000_000 });
    const unknown = p.parse(buildEvent(100, Buffer.from('aurora padding'), { flags: 0x80 }));
    expect(unknown.body).toEqual({ kind: 'unknown', type: 100 });
    p.parse(buildEvent(100, Buffer.alloc(10)));
    expect(p.skipped.get(100)).toBe(2);
  });
});
