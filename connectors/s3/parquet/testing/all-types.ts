/**
 * Test data for the Parquet format: one Connect struct schema with every type the mapping handles
 * (logical types, Debezium's int64 timestamps, bytes, optional fields, a nested struct, arrays,
 * maps with string and int keys) and deterministic rows, plus a Debezium-style envelope around it.
 * `expectedJson` gives each row in the plain form independent readers are compared against.
 */
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  Struct,
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  SinkRecord,
} from '../../../../sdk/data.ts';

const MILLIS_PER_DAY = 86_400_000;

export const ADDRESS_SCHEMA: Schema = SchemaBuilder.struct()
  .name('test.Address')
  .optional()
  .field('street', Schemas.STRING)
  .field('zip', Schemas.OPTIONAL_INT32)
  .build();

export const ALL_TYPES_SCHEMA: Schema = SchemaBuilder.struct()
  .name('test.public.all_types.Value')
  .optional()
  .field('id', Schemas.INT64)
  .field('tiny', Schemas.INT8)
  .field('small', Schemas.INT16)
  .field('num', Schemas.OPTIONAL_INT32)
  .field('real', Schemas.FLOAT32)
  .field('dbl', Schemas.OPTIONAL_FLOAT64)
  .field('flag', Schemas.OPTIONAL_BOOLEAN)
  .field('name', Schemas.OPTIONAL_STRING)
  .field('blob', Schemas.OPTIONAL_BYTES)
  .field('price', Decimal.builder(2).optional().parameter('connect.decimal.precision', '10').build())
  .field('big_decimal', Decimal.builder(5).optional().build())
  .field('day', ConnectDate.builder().optional().build())
  .field('clock', ConnectTime.builder().optional().build())
  .field('at', ConnectTimestamp.builder().optional().build())
  .field('micro_ts', SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').version(1).optional().build())
  .field('zoned', SchemaBuilder.string().name('io.debezium.time.ZonedTimestamp').version(1).optional().build())
  .field('address', ADDRESS_SCHEMA)
  .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
  .field('attrs', SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_INT64).optional().build())
  .field('by_code', SchemaBuilder.map(Schemas.INT32, Schemas.STRING).optional().build())
  .build();

/** Row i; every 5th row has its optional fields null. */
export function allTypesRow(i: number): Struct {
  const s = new Struct(ALL_TYPES_SCHEMA)
    .put('id', i % 3 === 0 ? 9_007_199_254_740_993n + BigInt(i) : -i)
    .put('tiny', (i % 256) - 128)
    .put('small', (i * 7) % 32768)
    .put('real', i / 4)
    .put('zoned', i % 2 === 0 ? null : `2024-03-0${1 + (i % 9)}T10:00:00.${String(i % 1000).padStart(3, '0')}Z`);
  if (i % 5 === 4) return s;
  return s
    .put('num', i * 1000 - 7)
    .put('dbl', i / 3)
    .put('flag', i % 2 === 0)
    .put('name', `naïve ☃ row ${i}`)
    .put('blob', Buffer.from([i & 0xff, 0, 0xff, (i >> 8) & 0xff]))
    .put('price', new BigDecimal(BigInt(i) * 1001n - 50_000n, 2))
    .put(
      'big_decimal',
      new BigDecimal(123_456_789_012_345_678_901_234_567n * BigInt(i % 2 === 0 ? 1 : -1) + BigInt(i), 5),
    )
    .put('day', new Date((18_000 + i) * MILLIS_PER_DAY))
    .put('clock', new Date((i * 37_001) % MILLIS_PER_DAY))
    .put('at', new Date(1_700_000_000_123 + i * 1000))
    .put('micro_ts', 1_700_000_000_123_456 + i)
    .put(
      'address',
      new Struct(ADDRESS_SCHEMA).put('street', `${i} Main St`).put('zip', i % 3 === 0 ? null : 10_000 + i),
    )
    .put('tags', i % 3 === 0 ? [] : [`t${i}`, `u${i}`])
    .put(
      'attrs',
      new Map<string, unknown>([
        [`k${i}`, BigInt(i) * 10n],
        ['none', null],
      ]),
    )
    .put('by_code', new Map<number, string>([[i, `code ${i}`]]));
}

export function allTypesRecords(count: number, topic = 'all_types', partition = 0): SinkRecord[] {
  return Array.from(
    { length: count },
    (_v, i) =>
      new SinkRecord({
        topic,
        kafkaPartition: partition,
        kafkaOffset: i,
        valueSchema: ALL_TYPES_SCHEMA,
        value: allTypesRow(i),
      }),
  );
}

export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('connector', Schemas.STRING)
  .field('ts_ms', Schemas.INT64)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .build();

export const ENVELOPE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('test.public.all_types.Envelope')
  .field('before', ALL_TYPES_SCHEMA)
  .field('after', ALL_TYPES_SCHEMA)
  .field('source', SOURCE_SCHEMA)
  .field('op', Schemas.STRING)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .build();

export function envelopeRow(i: number): Struct {
  return new Struct(ENVELOPE_SCHEMA)
    .put('before', i % 2 === 0 ? null : allTypesRow(i + 1000))
    .put('after', allTypesRow(i))
    .put(
      'source',
      new Struct(SOURCE_SCHEMA)
        .put('connector', 'postgresql')
        .put('ts_ms', 1_700_000_000_000 + i)
        .put('lsn', i % 4 === 0 ? null : 5_000_000_000 + i),
    )
    .put('op', i % 2 === 0 ? 'c' : 'u')
    .put('ts_ms', 1_700_000_000_500 + i);
}

/**
 * Plain JSON-able form of a Connect value as a Parquet reader should give it back: int64 and
 * decimals' unscaled values as decimal strings ("123.45" with the schema's scale), dates as
 * days, times as millis of day, timestamps as epoch millis, bytes as hex, maps as sorted
 * [key, value] pairs.
 */
export function expectedJson(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case Decimal.LOGICAL_NAME:
      return (value as BigDecimal).toString();
    case ConnectDate.LOGICAL_NAME:
      return (value as Date).getTime() / MILLIS_PER_DAY;
    case ConnectTime.LOGICAL_NAME:
      return (value as Date).getTime();
    case ConnectTimestamp.LOGICAL_NAME:
      return (value as Date).getTime();
  }
  switch (schema.type) {
    case 'int64':
      return String(value);
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('hex');
    case 'float32':
      return Math.fround(value as number);
    case 'struct':
      return Object.fromEntries(schema.fields.map((f) => [f.name, expectedJson(f.schema, (value as Struct).get(f))]));
    case 'array':
      return (value as unknown[]).map((x) => expectedJson(schema.valueSchema!, x));
    case 'map':
      return [...(value as Map<unknown, unknown>).entries()]
        .map(([k, v]) => [expectedJson(schema.keySchema!, k), expectedJson(schema.valueSchema!, v)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    default:
      return value;
  }
}
