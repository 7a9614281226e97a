/**
 * The S3 partitioners on Connect Date/Timestamp values beyond a JS Date (EpochMillis: PostgreSQL
 * ±infinity under time.precision.mode=connect): no path can be formatted for them (Confluent's
 * Joda formatting fails beyond year 292278993 too), so a clear error naming the field and the value;
 * values a JS Date holds keep their paths.
 */
import { describe, expect, it } from 'vitest';
import { ParsedConfig } from '../../../sdk/config.ts';
import {
  SinkRecord,
  SchemaBuilder,
  Schemas,
  type Schema,
  Struct,
  ConnectDate,
  ConnectTimestamp,
  EpochMillis,
} from '../../../sdk/data.ts';
import { S3_SINK_CONFIG } from '../config.ts';
import { createPartitioner } from './partitioner.ts';
import { PartitionException } from './field-partitioner.ts';

const SCHEMA: Schema = SchemaBuilder.struct()
  .field('id', Schemas.INT32)
  .field('at', ConnectTimestamp.builder().optional().build())
  .field('day', ConnectDate.builder().optional().build())
  .field('n', Schemas.OPTIONAL_INT64)
  .build();
const config = (extra: Record<string, string>): ParsedConfig =>
  new ParsedConfig(S3_SINK_CONFIG, {
    's3.bucket.name': 'b',
    'flush.size': '10',
    'format.class': 'JsonFormat',
    ...extra,
  });
const rec = (offset: number, value: unknown, schema: Schema | null = SCHEMA): SinkRecord =>
  new SinkRecord({ topic: 't', kafkaPartition: 1, kafkaOffset: offset, valueSchema: schema, value });
const row = (at: unknown, day: unknown = null, n: unknown = null): Struct =>
  new Struct(SCHEMA).put('id', 1).put('at', at).put('day', day).put('n', n);

const PLUS_INFINITY = new EpochMillis(9223372036825200n);
const MINUS_INFINITY = new EpochMillis(-9223372036832400n);

const timeBased = (field: string) =>
  createPartitioner(
    'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
    config({
      'partition.duration.ms': '86400000',
      'path.format': "'year'=YYYY/'month'=MM/'day'=dd",
      locale: 'en',
      timezone: 'UTC',
      'timestamp.extractor': 'RecordField',
      'timestamp.field': field,
    }),
  );

describe('S3 partitioners: Connect Date/Timestamp beyond a JS Date (EpochMillis)', () => {
  it('TimeBasedPartitioner (RecordField): a path for in-range values, an error naming field and value beyond', () => {
    const p = timeBased('at');
    expect(p.encodePartition(rec(0, row(new Date(Date.UTC(2024, 1, 29, 13)))), 0)).toBe('year=2024/month=02/day=29');
    for (const [i, v, ms] of [
      [1, PLUS_INFINITY, '9223372036825200'],
      [2, MINUS_INFINITY, '-9223372036832400'],
    ] as const) {
      expect(() => p.encodePartition(rec(i, row(v)), 0)).toThrow(PartitionException);
      expect(() => p.encodePartition(rec(i, row(v)), 0)).toThrow(
        new RegExp(
          `Field 'at' \\(timestamp.field\\) holds ${ms} epoch ms, beyond the instants the partitioner can format.*\\(topic=t partition=1 offset=${i}\\)`,
        ),
      );
    }
    // A Date of Integer.MAX_VALUE days (PostgreSQL date infinity) and an int64 field of the same millis.
    expect(() => timeBased('day').encodePartition(rec(3, row(null, ConnectDate.toLogical(2147483647))), 0)).toThrow(
      /Field 'day' \(timestamp.field\) holds 185542587100800000 epoch ms/,
    );
    expect(() => timeBased('n').encodePartition(rec(4, row(null, null, 9223372036825200n)), 0)).toThrow(
      /Field 'n' \(timestamp.field\) holds 9223372036825200 epoch ms/,
    );
    // Schemaless values: the same.
    expect(() => timeBased('at').encodePartition(rec(5, { at: PLUS_INFINITY }, null), 0)).toThrow(
      /Field 'at' \(timestamp.field\) holds 9223372036825200 epoch ms/,
    );
    expect(() => timeBased('at').encodePartition(rec(6, { at: '9223372036825200' }, null), 0)).toThrow(
      /Field 'at' \(timestamp.field\) holds 9223372036825200 epoch ms/,
    );
  });

  it('FieldPartitioner: a Date/Timestamp field is refused naming the field and its value', () => {
    const p = createPartitioner('FieldPartitioner', config({ 'partition.field.name': 'at' }));
    expect(() => p.encodePartition(rec(7, row(PLUS_INFINITY)), 0)).toThrow(
      /Field 'at' is a org.apache.kafka.connect.data.Timestamp holding 9223372036825200 epoch ms \(beyond a JavaScript Date\) \(topic=t partition=1 offset=7\): FieldPartitioner takes integer, string or boolean fields/,
    );
    expect(() => p.encodePartition(rec(8, row(new Date(0))), 0)).toThrow(
      /Field 'at' is a org.apache.kafka.connect.data.Timestamp holding 0 epoch ms \(1970-01-01T00:00:00.000Z\)/,
    );
    expect(
      createPartitioner('FieldPartitioner', config({ 'partition.field.name': 'n' })).encodePartition(
        rec(9, row(PLUS_INFINITY, null, 9223372036825200n)),
        0,
      ),
    ).toBe('n=9223372036825200');
  });
});
