/**
 * Connect Date/Timestamp values beyond a JS Date (EpochMillis: PostgreSQL ±infinity under
 * time.precision.mode=connect, dates of Integer.MAX/MIN days) in Parquet: written as Confluent's
 * ParquetFormat writes them through AvroData, the Timestamp's int64 millis as-is and the Date's
 * int32 days, read back raw by hyparquet and by parquet-wasm (Rust's parquet crate).
 */
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import * as parquetWasm from 'parquet-wasm/node';
import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { ParquetRecordWriter } from '../format/parquet-format.ts';
import { parquetCodec } from './codecs.ts';
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  SinkRecord,
  Struct,
  ConnectDate,
  ConnectTimestamp,
  EpochMillis,
  epochValue,
} from '../../../sdk/data.ts';
import { DataException } from '../../../sdk/errors.ts';

const MILLIS_PER_DAY = 86_400_000n;
const SCHEMA: Schema = SchemaBuilder.struct()
  .name('t.Value')
  .field('id', Schemas.INT32)
  .field('ts', ConnectTimestamp.builder().optional().build())
  .field('d', ConnectDate.builder().optional().build())
  .build();

function write(rows: Array<[number, unknown, unknown]>): Uint8Array {
  const writer = new ParquetRecordWriter(
    { topic: 't', kafkaPartition: 0, startOffset: 0, valueSchema: SCHEMA },
    parquetCodec('none'),
    {},
  );
  const chunks: Uint8Array[] = [];
  rows.forEach(([id, ts, d], i) => {
    const value = new Struct(SCHEMA).put('id', id).put('ts', ts).put('d', d);
    writer.write(new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: i, valueSchema: SCHEMA, value }));
    chunks.push(...writer.drain());
  });
  chunks.push(...writer.finish());
  return Buffer.concat(chunks);
}

// pgjdbc's ±infinity sentinels as Debezium writes them under time.precision.mode=connect.
const PLUS_INFINITY_MS = 9223372036825200n;
const MINUS_INFINITY_MS = -9223372036832400n;

describe('Parquet: Connect Date/Timestamp beyond a JS Date (EpochMillis)', () => {
  it('writes the Timestamp int64 millis as-is and the Date int32 days, next to in-range values', async () => {
    const bytes = write([
      [1, new EpochMillis(PLUS_INFINITY_MS), ConnectDate.toLogical(2147483647)],
      [2, new EpochMillis(MINUS_INFINITY_MS), ConnectDate.toLogical(-2147483648)],
      [3, new Date(86_400_000), new Date(86_400_000)],
      [4, null, null],
    ]);
    expect(ConnectDate.toLogical(2147483647)).toBeInstanceOf(EpochMillis);

    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(file);
    expect(
      metadata.schema.filter((e) => e.name === 'ts' || e.name === 'd').map((e) => [e.type, e.converted_type]),
    ).toEqual([
      ['INT64', 'TIMESTAMP_MILLIS'],
      ['INT32', 'DATE'],
    ]);
    const rows = (await parquetReadObjects({
      file,
      metadata,
      parsers: { dateFromDays: (d: number) => d, timestampFromMilliseconds: (ms: bigint) => ms },
    })) as Array<Record<string, unknown>>;
    expect(rows).toEqual([
      { id: 1, ts: PLUS_INFINITY_MS, d: 2147483647 },
      { id: 2, ts: MINUS_INFINITY_MS, d: -2147483648 },
      { id: 3, ts: 86_400_000n, d: 1 },
      { id: 4, ts: null, d: null },
    ]);

    // Arrow's getters stop at 2^53: the column's raw int64 buffer (a null row holds 0).
    const table = arrow.tableFromIPC(parquetWasm.readParquet(bytes).intoIPCStream());
    const ts = table.getChild('ts')!.data[0];
    expect(ts.type.toString()).toBe('Timestamp<MILLISECOND, UTC>');
    expect([...(ts.values as BigInt64Array)].slice(0, 3)).toEqual([PLUS_INFINITY_MS, MINUS_INFINITY_MS, 86_400_000n]);
    expect([...(table.getChild('d')!.data[0].values as Int32Array)].slice(0, 3)).toEqual([2147483647, -2147483648, 1]);
  });

  it('refuses a Date EpochMillis with a time of day, naming the field and the millis', () => {
    const ms = 100_000_001n * MILLIS_PER_DAY + 5n;
    expect(epochValue(ms)).toBeInstanceOf(EpochMillis);
    expect(() => write([[1, null, new EpochMillis(ms)]])).toThrow(DataException);
    expect(() => write([[1, null, new EpochMillis(ms)]])).toThrow(
      /Date field "d": .*non-zero values.*\(got 8640000086400005 epoch ms, 5 ms past midnight\)/,
    );
  });
});
