/** TimestampConverter$Key / $Value — cases from Kafka Connect's TimestampConverterTest (UTC, SimpleDateFormat, unix.precision). */
import { describe, expect, it } from 'vitest';
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  Struct,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  EpochMillis,
} from '../sdk/data.ts';
import { expectRecord, sourceRecord, transform } from './testing.ts';

const DATE = new Date(86_400_000); // 1970-01-02
const TIME = new Date(1234); // 00:00:01.234
const DATE_PLUS_TIME = new Date(86_400_000 + 1234);
const DATE_PLUS_TIME_UNIX = 86_401_234;
const DATE_PLUS_TIME_UNIX_MICROS = 86_401_234_123;
const DATE_PLUS_TIME_UNIX_NANOS = 86_401_234_123_456n;
const DATE_PLUS_TIME_UNIX_SECONDS = 86_401;
const STRING_DATE_FMT = 'yyyy MM dd HH mm ss SSS z';
const DATE_PLUS_TIME_STRING = '1970 01 02 00 00 01 234 UTC';
const OPTIONAL_TIMESTAMP = ConnectTimestamp.builder().optional().build();

describe('TimestampConverter', () => {
  it.each([
    ['Timestamp', {}, DATE_PLUS_TIME, DATE_PLUS_TIME],
    ['Date', {}, DATE_PLUS_TIME, DATE],
    ['Time', {}, DATE_PLUS_TIME, TIME],
    ['unix', {}, DATE_PLUS_TIME, DATE_PLUS_TIME_UNIX],
    ['string', { format: STRING_DATE_FMT }, DATE_PLUS_TIME, DATE_PLUS_TIME_STRING],
    ['Timestamp', {}, DATE, DATE],
    ['Timestamp', {}, TIME, TIME],
    ['Timestamp', {}, DATE_PLUS_TIME_UNIX, DATE_PLUS_TIME],
    ['Timestamp', { format: STRING_DATE_FMT }, DATE_PLUS_TIME_STRING, DATE_PLUS_TIME],
    ['unix', { 'unix.precision': 'seconds' }, DATE_PLUS_TIME, DATE_PLUS_TIME_UNIX_SECONDS],
    ['unix', { 'unix.precision': 'microseconds' }, DATE_PLUS_TIME, DATE_PLUS_TIME_UNIX * 1000],
    ['unix', { 'unix.precision': 'nanoseconds' }, DATE_PLUS_TIME, 86_401_234_000_000],
    ['unix', { 'unix.precision': 'nanoseconds' }, new Date(1_700_000_000_123), 1_700_000_000_123_000_000n],
    ['Timestamp', { 'unix.precision': 'seconds' }, DATE_PLUS_TIME_UNIX_SECONDS, new Date(86_401_000)],
    ['Timestamp', { 'unix.precision': 'microseconds' }, DATE_PLUS_TIME_UNIX_MICROS, DATE_PLUS_TIME],
    ['Timestamp', { 'unix.precision': 'nanoseconds' }, DATE_PLUS_TIME_UNIX_NANOS, DATE_PLUS_TIME],
    ['Timestamp', { 'unix.precision': 'microseconds' }, -1500, new Date(-1)],
    ['unix', { 'unix.precision': 'seconds' }, new Date(-1500), -1],
    ['Date', {}, new Date(-1), new Date(-86_400_000)],
    ['Time', {}, new Date(-1), new Date(86_399_999)],
    ['string', { format: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX" }, DATE_PLUS_TIME, '1970-01-02T00:00:01.234Z'],
    ['Timestamp', { format: "yyyy-MM-dd'T'HH:mm:ssXXX" }, '1970-01-02T02:00:01+02:00', new Date(86_401_000)],
  ] as Array<[string, Record<string, string>, unknown, unknown]>)(
    'schemaless → %s %j from %s',
    (target, props, value, expected) => {
      const input = sourceRecord({ value });
      expectRecord(
        transform('org.apache.kafka.connect.transforms.TimestampConverter$Value', {
          'target.type': target,
          ...props,
        }).apply(input),
        input,
        { valueSchema: null, value: expected },
      );
    },
  );

  // PostgreSQL's timestamp ±infinity under Debezium's connect mode: pgjdbc's sentinel millis, beyond a JS Date;
  // Java computes with the long (TimeUnit saturating, Calendar flooring to the UTC day).
  const INF = new EpochMillis(9223372036825200n);
  const NEG_INF = new EpochMillis(-9223372036832400n);
  it.each([
    ['Timestamp', {}, INF, INF],
    ['unix', {}, INF, 9223372036825200n],
    ['unix', { 'unix.precision': 'microseconds' }, INF, 9223372036825200000n],
    ['unix', { 'unix.precision': 'nanoseconds' }, INF, 9223372036854775807n],
    ['unix', { 'unix.precision': 'nanoseconds' }, NEG_INF, -9223372036854775808n],
    ['unix', { 'unix.precision': 'seconds' }, NEG_INF, -9223372036832],
    ['Date', {}, INF, new EpochMillis(9223372022400000n)],
    ['Date', {}, NEG_INF, new EpochMillis(-9223372108800000n)],
    ['Time', {}, INF, new Date(14425200)],
    ['Time', {}, NEG_INF, new Date(71967600)],
    ['Timestamp', {}, 9223372036825200n, INF],
    ['Timestamp', {}, 8_640_000_000_000_001, new EpochMillis(8_640_000_000_000_001n)],
    ['Timestamp', { 'unix.precision': 'seconds' }, 9223372036854775807n, new EpochMillis(9223372036854775807n)],
  ] as Array<[string, Record<string, string>, unknown, unknown]>)(
    'beyond a JS Date: schemaless → %s %j from %s',
    (target, props, value, expected) => {
      const input = sourceRecord({ value });
      expectRecord(transform('TimestampConverter$Value', { 'target.type': target, ...props }).apply(input), input, {
        valueSchema: null,
        value: expected,
      });
    },
  );

  it('beyond a JS Date: a Timestamp field to unix and Date with schema; to a string is rejected naming the value', () => {
    const input = sourceRecord({ valueSchema: ConnectTimestamp.schema(), value: INF });
    expectRecord(transform('TimestampConverter$Value', { 'target.type': 'unix' }).apply(input), input, {
      valueSchema: Schemas.INT64,
      value: 9223372036825200n,
    });
    expectRecord(transform('TimestampConverter$Value', { 'target.type': 'Date' }).apply(input), input, {
      valueSchema: ConnectDate.schema(),
      value: new EpochMillis(9223372022400000n),
    });
    expect(() =>
      transform('TimestampConverter$Value', { 'target.type': 'string', format: 'yyyy' }).apply(input),
    ).toThrow(/cannot format 9223372036825200 ms as a string/);
  });

  it.each([
    ['Timestamp', {}, ConnectTimestamp.schema(), DATE_PLUS_TIME, ConnectTimestamp.schema(), DATE_PLUS_TIME],
    ['Date', {}, ConnectTimestamp.schema(), DATE_PLUS_TIME, ConnectDate.schema(), DATE],
    ['Time', {}, ConnectTimestamp.schema(), DATE_PLUS_TIME, ConnectTime.schema(), TIME],
    ['unix', {}, ConnectTimestamp.schema(), DATE_PLUS_TIME, Schemas.INT64, DATE_PLUS_TIME_UNIX],
    [
      'string',
      { format: STRING_DATE_FMT },
      ConnectTimestamp.schema(),
      DATE_PLUS_TIME,
      Schemas.STRING,
      DATE_PLUS_TIME_STRING,
    ],
    ['Timestamp', {}, ConnectDate.schema(), DATE, ConnectTimestamp.schema(), DATE],
    ['Timestamp', {}, ConnectTime.schema(), TIME, ConnectTimestamp.schema(), TIME],
    ['Timestamp', {}, Schemas.INT64, DATE_PLUS_TIME_UNIX, ConnectTimestamp.schema(), DATE_PLUS_TIME],
    [
      'Timestamp',
      { format: STRING_DATE_FMT },
      Schemas.STRING,
      DATE_PLUS_TIME_STRING,
      ConnectTimestamp.schema(),
      DATE_PLUS_TIME,
    ],
    ['Timestamp', {}, ConnectTimestamp.builder().optional().build(), null, OPTIONAL_TIMESTAMP, null],
    ['string', { format: 'yyyy' }, Schemas.OPTIONAL_INT64, null, Schemas.OPTIONAL_STRING, null],
  ] as Array<[string, Record<string, string>, Schema, unknown, Schema, unknown]>)(
    'with schema → %s %j from %s',
    (target, props, schema, value, expectedSchema, expected) => {
      const input = sourceRecord({ valueSchema: schema, value });
      expectRecord(transform('TimestampConverter$Value', { 'target.type': target, ...props }).apply(input), input, {
        valueSchema: expectedSchema,
        value: expected,
      });
    },
  );

  it('converts a field of a map (schemaless), adding it as null when absent', () => {
    const input = sourceRecord({ value: { ts: DATE_PLUS_TIME, other: 'x' } });
    const t = transform('TimestampConverter$Value', { 'target.type': 'Date', field: 'ts' });
    expectRecord(t.apply(input), input, { value: { ts: DATE, other: 'x' } });
    const without = sourceRecord({ value: { other: 'x' } });
    expectRecord(t.apply(without), without, { value: { other: 'x', ts: null } });
  });

  it('converts a field of a struct, keeping the other fields and the schema basics', () => {
    const schema = SchemaBuilder.struct()
      .name('event')
      .version(2)
      .field('ts', Schemas.INT64)
      .field('other', Schemas.STRING)
      .build();
    const expectedSchema = SchemaBuilder.struct()
      .name('event')
      .version(2)
      .field('ts', ConnectTimestamp.schema())
      .field('other', Schemas.STRING)
      .build();
    const input = sourceRecord({
      valueSchema: schema,
      value: new Struct(schema).put('ts', DATE_PLUS_TIME_UNIX).put('other', 'test'),
    });
    expectRecord(
      transform('TimestampConverter$Value', { 'target.type': 'Timestamp', field: 'ts' }).apply(input),
      input,
      {
        valueSchema: expectedSchema,
        value: new Struct(expectedSchema).put('ts', DATE_PLUS_TIME).put('other', 'test'),
      },
    );
  });

  it.each([
    ['true', new Date(0)],
    ['false', null],
  ])('field conversion honours replace.null.with.default=%s', (flag, expected) => {
    const schema = SchemaBuilder.struct()
      .field('ts', ConnectTimestamp.builder().optional().defaultValue(new Date(0)).build())
      .build();
    const expectedSchema = SchemaBuilder.struct().field('ts', Schemas.OPTIONAL_INT64).build();
    const input = sourceRecord({ valueSchema: schema, value: new Struct(schema).put('ts', null) });
    expectRecord(
      transform('TimestampConverter$Value', {
        'target.type': 'unix',
        field: 'ts',
        'replace.null.with.default': flag,
      }).apply(input),
      input,
      {
        valueSchema: expectedSchema,
        value: new Struct(expectedSchema).put('ts', expected === null ? null : 0),
      },
    );
  });

  it('keeps a null struct with the updated (optional) schema', () => {
    const schema = SchemaBuilder.struct().field('ts', Schemas.INT64).optional().build();
    const expectedSchema = SchemaBuilder.struct().field('ts', ConnectTimestamp.schema()).optional().build();
    const input = sourceRecord({ valueSchema: schema, value: null });
    expectRecord(
      transform('TimestampConverter$Value', { 'target.type': 'Timestamp', field: 'ts' }).apply(input),
      input,
      { valueSchema: expectedSchema, value: null },
    );
  });

  it('converts the key ($Key)', () => {
    const input = sourceRecord({ key: DATE_PLUS_TIME, value: 'v' });
    expectRecord(transform('TimestampConverter$Key', { 'target.type': 'Timestamp' }).apply(input), input, {
      keySchema: null,
      key: DATE_PLUS_TIME,
    });
  });

  it.each([
    [
      { 'target.type': 'Timestamp', format: 'yyyy-MM-dd' },
      Schemas.STRING,
      '2020/01/01',
      'Could not parse timestamp: value (2020/01/01) does not match pattern (yyyy-MM-dd)',
    ],
    [
      { 'target.type': 'Timestamp' },
      null,
      4.5,
      'TimestampConverter does not support class java.lang.Double objects as timestamps',
    ],
    [
      { 'target.type': 'Timestamp' },
      Schemas.INT32,
      5,
      'Schema Schema{INT32} does not correspond to a known timestamp type format',
    ],
    [
      { 'target.type': 'Timestamp' },
      ConnectTimestamp.schema(),
      'text',
      'Expected Timestamp to be a java.util.Date, but found class java.lang.String',
    ],
    [
      { 'target.type': 'Timestamp' },
      Schemas.STRING,
      'text',
      'TimestampConverter requires format option to be specified when using string timestamps',
    ],
  ] as Array<[Record<string, string>, Schema | null, unknown, string]>)(
    '%j on %s fails',
    (props, valueSchema, value, message) => {
      expect(() => transform('TimestampConverter$Value', props).apply(sourceRecord({ valueSchema, value }))).toThrow(
        message,
      );
    },
  );

  it.each([
    [{}, 'Missing required configuration "target.type" which has no default value.'],
    [
      { 'target.type': 'invalid' },
      'Invalid value invalid for configuration target.type: String must be one of: string, unix, Date, Time, Timestamp',
    ],
    [
      { 'target.type': 'string' },
      'TimestampConverter requires format option to be specified when using string timestamps',
    ],
    [
      { 'target.type': 'string', format: 'bad-format' },
      "TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: bad-format (Illegal pattern character 'b')",
    ],
    [
      { 'target.type': 'unix', 'unix.precision': 'minutes' },
      'Invalid value minutes for configuration unix.precision: String must be one of: nanoseconds, microseconds, milliseconds, seconds',
    ],
  ])('config %j fails', (props, message) => {
    expect(() => transform('TimestampConverter$Value', props)).toThrow(message);
  });
});
