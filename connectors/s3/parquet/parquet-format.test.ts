import { describe, expect, it } from 'vitest';
import { ParquetRecordWriter, parquetFormat } from '../format/parquet-format.ts';
import { parquetCodec } from './codecs.ts';
import { parquetLayout } from './schema-mapping.ts';
import {
  ALL_TYPES_SCHEMA,
  ENVELOPE_SCHEMA,
  allTypesRecords,
  allTypesRow,
  envelopeRow,
  expectedJson,
} from './testing/all-types.ts';
import { fromHyparquet, readWithHyparquet, readWithParquetWasm } from './testing/read-back.ts';
import { SchemaBuilder, Schemas, SinkRecord, Struct, type Schema } from '../../../sdk/data.ts';
import { ConfigException, DataException } from '../../../sdk/errors.ts';
import type { FormatSettings } from '../format/format.ts';

function settings(over: Partial<FormatSettings> = {}): FormatSettings {
  return {
    props: {},
    compressionType: 'none',
    compressionLevel: -1,
    parquetCodec: 'snappy',
    avroCodec: 'null',
    partSize: 25 * 2 ** 20,
    ...over,
  };
}

/** Writes the records through a ParquetRecordWriter, draining after every record as the task does. */
function writeFile(
  schema: Schema,
  records: SinkRecord[],
  codec = 'snappy',
  rowGroupMaxRows?: number,
): { bytes: Uint8Array; drainedChunks: number } {
  const writer = new ParquetRecordWriter(
    { topic: 't', kafkaPartition: 0, startOffset: 0, valueSchema: schema },
    parquetCodec(codec),
    { rowGroupMaxRows },
  );
  const chunks: Uint8Array[] = [];
  let drainedChunks = 0;
  for (const r of records) {
    writer.write(r);
    const ready = writer.drain();
    drainedChunks += ready.length;
    chunks.push(...ready);
  }
  chunks.push(...writer.finish());
  return { bytes: Buffer.concat(chunks), drainedChunks };
}

const elementSummary = (schema: Schema) =>
  parquetLayout(schema).elements.map((e) => [
    e.name,
    e.repetition_type ?? null,
    e.type ?? null,
    e.converted_type ?? null,
    e.logical_type ?? null,
    e.precision ?? null,
    e.scale ?? null,
  ]);

describe('Connect → Parquet schema (as Confluent: AvroData then parquet-avro)', () => {
  it('maps every type, logical types with their annotations, optional as OPTIONAL', () => {
    expect(elementSummary(ALL_TYPES_SCHEMA)).toEqual([
      ['test.public.all_types.Value', null, null, null, null, null, null],
      ['id', 'REQUIRED', 'INT64', null, null, null, null],
      ['tiny', 'REQUIRED', 'INT32', null, null, null, null],
      ['small', 'REQUIRED', 'INT32', null, null, null, null],
      ['num', 'OPTIONAL', 'INT32', null, null, null, null],
      ['real', 'REQUIRED', 'FLOAT', null, null, null, null],
      ['dbl', 'OPTIONAL', 'DOUBLE', null, null, null, null],
      ['flag', 'OPTIONAL', 'BOOLEAN', null, null, null, null],
      ['name', 'OPTIONAL', 'BYTE_ARRAY', 'UTF8', { type: 'STRING' }, null, null],
      ['blob', 'OPTIONAL', 'BYTE_ARRAY', null, null, null, null],
      ['price', 'OPTIONAL', 'BYTE_ARRAY', 'DECIMAL', { type: 'DECIMAL', precision: 10, scale: 2 }, 10, 2],
      // AvroData's default precision when connect.decimal.precision is absent
      ['big_decimal', 'OPTIONAL', 'BYTE_ARRAY', 'DECIMAL', { type: 'DECIMAL', precision: 64, scale: 5 }, 64, 5],
      ['day', 'OPTIONAL', 'INT32', 'DATE', { type: 'DATE' }, null, null],
      [
        'clock',
        'OPTIONAL',
        'INT32',
        'TIME_MILLIS',
        { type: 'TIME', isAdjustedToUTC: true, unit: 'MILLIS' },
        null,
        null,
      ],
      [
        'at',
        'OPTIONAL',
        'INT64',
        'TIMESTAMP_MILLIS',
        { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        null,
        null,
      ],
      // Debezium's semantic types keep their underlying type, as AvroData → parquet-avro
      ['micro_ts', 'OPTIONAL', 'INT64', null, null, null, null],
      ['zoned', 'OPTIONAL', 'BYTE_ARRAY', 'UTF8', { type: 'STRING' }, null, null],
      ['address', 'OPTIONAL', null, null, null, null, null],
      ['street', 'REQUIRED', 'BYTE_ARRAY', 'UTF8', { type: 'STRING' }, null, null],
      ['zip', 'OPTIONAL', 'INT32', null, null, null, null],
      ['tags', 'OPTIONAL', null, 'LIST', { type: 'LIST' }, null, null],
      ['list', 'REPEATED', null, null, null, null, null],
      ['element', 'REQUIRED', 'BYTE_ARRAY', 'UTF8', { type: 'STRING' }, null, null],
      ['attrs', 'OPTIONAL', null, 'MAP', { type: 'MAP' }, null, null],
      ['key_value', 'REPEATED', null, null, null, null, null],
      ['key', 'REQUIRED', 'BYTE_ARRAY', 'UTF8', { type: 'STRING' }, null, null],
      ['value', 'OPTIONAL', 'INT64', null, null, null, null],
      // AvroData writes non-string-key maps as an array of {key, value} records
      ['by_code', 'OPTIONAL', null, 'LIST', { type: 'LIST' }, null, null],
      ['list', 'REPEATED', null, null, null, null, null],
      ['element', 'REQUIRED', null, null, null, null, null],
      ['key', 'REQUIRED', 'INT32', null, null, null, null],
      ['value', 'REQUIRED', 'BYTE_ARRAY', 'UTF8', { type: 'STRING' }, null, null],
    ]);
  });

  it('rejects schemas Parquet cannot hold, naming the reason', () => {
    expect(() => parquetLayout(Schemas.STRING)).toThrow(/needs a struct value schema.*STRING/);
    expect(() => parquetLayout(SchemaBuilder.struct().name('e').build())).toThrow(/empty struct "e"/);
  });
});

describe('ParquetFormat writes files other readers read back value for value', () => {
  const records = allTypesRecords(250);
  const expected = records.map((r) => expectedJson(ALL_TYPES_SCHEMA, r.value));

  it('hyparquet: every type, several row groups, drained as row groups close', async () => {
    const { bytes, drainedChunks } = writeFile(ALL_TYPES_SCHEMA, records, 'snappy', 60);
    expect(drainedChunks).toBeGreaterThanOrEqual(4); // 4 full row groups of 60 left before finish()
    const { metadata, rows } = await readWithHyparquet(bytes);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([60, 60, 60, 60, 10]);
    expect(metadata.created_by).toMatch(/^tributary version /);
    const avroSchema = JSON.parse(
      metadata.key_value_metadata!.find((k) => k.key === 'parquet.avro.schema')!.value!,
    ) as { type: string; name: string; namespace: string };
    expect(avroSchema).toMatchObject({ type: 'record', name: 'Value', namespace: 'test.public.all_types' });
    expect(rows.map((row) => fromHyparquet(ALL_TYPES_SCHEMA, row))).toEqual(expected);
  });

  it('parquet-wasm (Rust parquet via Arrow): every type', () => {
    const { bytes } = writeFile(ALL_TYPES_SCHEMA, records, 'snappy', 100);
    expect(readWithParquetWasm(bytes, ALL_TYPES_SCHEMA)).toEqual(expected);
  });

  it('Debezium envelopes: before/after/source as nested groups', async () => {
    const envelopes = Array.from(
      { length: 40 },
      (_v, i) =>
        new SinkRecord({
          topic: 't',
          kafkaPartition: 0,
          kafkaOffset: i,
          valueSchema: ENVELOPE_SCHEMA,
          value: envelopeRow(i),
        }),
    );
    const want = envelopes.map((r) => expectedJson(ENVELOPE_SCHEMA, r.value));
    const { bytes } = writeFile(ENVELOPE_SCHEMA, envelopes, 'snappy', 16);
    const { rows } = await readWithHyparquet(bytes);
    expect(rows.map((row) => fromHyparquet(ENVELOPE_SCHEMA, row))).toEqual(want);
    expect(readWithParquetWasm(bytes, ENVELOPE_SCHEMA)).toEqual(want);
  });

  it.each(['none', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'])(
    'parquet.codec=%s: the pages carry the codec and read back',
    async (codec) => {
      const { bytes } = writeFile(ALL_TYPES_SCHEMA, records.slice(0, 50), codec);
      const { metadata, rows } = await readWithHyparquet(bytes);
      const codecs = new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data!.codec)));
      expect([...codecs]).toEqual([parquetCodec(codec).codec]);
      expect(rows.map((row) => fromHyparquet(ALL_TYPES_SCHEMA, row))).toEqual(expected.slice(0, 50));
      expect(readWithParquetWasm(bytes, ALL_TYPES_SCHEMA)).toEqual(expected.slice(0, 50));
    },
  );
});

describe('ParquetFormat contract', () => {
  it('extension per codec as parquet-mr names them', () => {
    expect(
      ['none', 'snappy', 'gzip', 'zstd', 'brotli', 'lz4'].map((c) =>
        parquetFormat.extension(settings({ parquetCodec: c })),
      ),
    ).toEqual(['.parquet', '.snappy.parquet', '.gz.parquet', '.zstd.parquet', '.br.parquet', '.lz4.parquet']);
  });

  it('rejects an unsupported parquet.codec and s3.compression.type=gzip with the key, value and fix', () => {
    expect(() => parquetFormat.validate(settings({ parquetCodec: 'lzo' }))).toThrow(ConfigException);
    expect(() => parquetFormat.validate(settings({ parquetCodec: 'lzo' }))).toThrow(
      /Invalid value lzo for configuration parquet\.codec.*use one of none, snappy, gzip, zstd, brotli or lz4/,
    );
    expect(() => parquetFormat.validate(settings({ parquetCodec: 'bzip2' }))).toThrow(/parquet\.codec/);
    expect(() => parquetFormat.validate(settings({ compressionType: 'gzip' }))).toThrow(
      /s3\.compression\.type.*parquet\.codec/,
    );
    expect(() => parquetFormat.validate(settings())).not.toThrow();
  });

  it('bounds memory: a row group is encoded and drainable once the byte bound is reached', () => {
    const writer = new ParquetRecordWriter(
      { topic: 't', kafkaPartition: 0, startOffset: 0, valueSchema: ALL_TYPES_SCHEMA },
      parquetCodec('snappy'),
      { rowGroupMaxBytes: 16 * 1024 },
    );
    let drained = 0;
    let maxBuffered = 0;
    for (const r of allTypesRecords(2000)) {
      writer.write(r);
      maxBuffered = Math.max(maxBuffered, writer.bufferedBytes());
      drained += writer.drain().reduce((n, c) => n + c.length, 0);
    }
    expect(drained).toBeGreaterThan(0);
    expect(maxBuffered).toBeLessThan(64 * 1024);
    writer.abort();
  });

  it('a record it cannot write fails with topic, partition and offset, and leaves the file consistent', async () => {
    const writer = new ParquetRecordWriter(
      { topic: 'orders', kafkaPartition: 3, startOffset: 0, valueSchema: ALL_TYPES_SCHEMA },
      parquetCodec('snappy'),
    );
    writer.write(
      new SinkRecord({
        topic: 'orders',
        kafkaPartition: 3,
        kafkaOffset: 41,
        valueSchema: ALL_TYPES_SCHEMA,
        value: allTypesRow(1),
      }),
    );
    expect(() =>
      writer.write(
        new SinkRecord({
          topic: 'orders',
          kafkaPartition: 3,
          kafkaOffset: 42,
          valueSchema: ALL_TYPES_SCHEMA,
          value: null,
        }),
      ),
    ).toThrow(/null value \(tombstone\) at topic orders, partition 3, offset 42/);
    const bad = allTypesRow(2);
    (bad as unknown as { values: unknown[] }).values[ALL_TYPES_SCHEMA.field('day')!.index] = new Date(86_400_000 + 5);
    expect(() =>
      writer.write(
        new SinkRecord({
          topic: 'orders',
          kafkaPartition: 3,
          kafkaOffset: 43,
          valueSchema: ALL_TYPES_SCHEMA,
          value: bad,
        }),
      ),
    ).toThrow(DataException);
    const { rows } = await readWithHyparquet(Buffer.concat(writer.finish()));
    expect(rows.map((row) => fromHyparquet(ALL_TYPES_SCHEMA, row))).toEqual([
      expectedJson(ALL_TYPES_SCHEMA, allTypesRow(1)),
    ]);
  });

  it('schemaless records are rejected when the file opens', () => {
    expect(() =>
      parquetFormat.open(settings(), { topic: 't', kafkaPartition: 0, startOffset: 7, valueSchema: null }),
    ).toThrow(/needs records with a value schema \(topic t, partition 0, offset 7\)/);
    expect(parquetFormat.requiresSchema).toBe(true);
  });

  it('values whose schema is an equal copy of the file schema are read by field name', async () => {
    const make = () =>
      SchemaBuilder.struct().name('copy').field('a', Schemas.INT32).field('b', Schemas.OPTIONAL_STRING).build();
    const fileSchema = make();
    const { bytes } = writeFile(fileSchema, [
      new SinkRecord({
        topic: 't',
        kafkaPartition: 0,
        kafkaOffset: 0,
        valueSchema: make(),
        value: new Struct(make()).put('a', 1).put('b', 'x'),
      }),
    ]);
    expect((await readWithHyparquet(bytes)).rows).toEqual([{ a: 1, b: 'x' }]);
  });

  it('struct defaults are written as Struct.get gives them (AvroData reads fields with defaults)', async () => {
    const schema = SchemaBuilder.struct()
      .name('d')
      .field('a', SchemaBuilder.int32().defaultValue(5).build())
      .field('b', Schemas.OPTIONAL_STRING)
      .build();
    const { bytes } = writeFile(schema, [
      new SinkRecord({
        topic: 't',
        kafkaPartition: 0,
        kafkaOffset: 0,
        valueSchema: schema,
        value: new Struct(schema).put('b', 'x'),
      }),
    ]);
    const { rows } = await readWithHyparquet(bytes);
    expect(rows).toEqual([{ a: 5, b: 'x' }]);
  });
});
