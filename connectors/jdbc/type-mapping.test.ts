/**
 * Binding of the values Debezium's JDBC sink binds differently from a plain reading, as the JDBC
 * sink differential (test/compat/jdbc-sink.test.ts) found them: Connect Date/Timestamp beyond a
 * JavaScript Date, nanoseconds rounded as pgjdbc rounds them, bit strings, intervals, BC dates.
 */
import { describe, expect, it } from 'vitest';
import { EpochMillis, SchemaBuilder } from '../../sdk/data.ts';
import { bindValue, columnTypeOf, defaultLiteral, tagTemporal } from './type-mapping.ts';
import { pgType } from './dialects/postgres.ts';

const TS = columnTypeOf(SchemaBuilder.int64().name('org.apache.kafka.connect.data.Timestamp').build(), 'ts');
const DATE = columnTypeOf(SchemaBuilder.int32().name('org.apache.kafka.connect.data.Date').build(), 'd');

describe('JDBC sink value binding', () => {
  it('binds a Connect Timestamp/Date beyond a JS Date as the calendar text Debezium binds (PostgreSQL ±infinity)', () => {
    // pgjdbc's sentinels for timestamp ±infinity, as Debezium's PostgreSQL connector writes them under connect mode
    expect(bindValue(TS, new EpochMillis(9223372036825200000n), 'UTC', 'ts', true)).toBe(
      '292278994-08-16 23:00:00.000000',
    );
    expect(bindValue(TS, new EpochMillis(-9223372036832400000n), 'UTC', 'ts', true)).toBe(
      '292275056-05-16 23:00:00.000000 BC',
    );
    // a zone does not apply beyond a Date's range
    expect(bindValue(TS, new EpochMillis(9223372036825200000n), 'Europe/Berlin', 'ts', true)).toBe(
      '292278994-08-16 23:00:00.000000',
    );
    expect(bindValue(DATE, new EpochMillis(2147483647n * 86_400_000n), 'UTC', 'd', true)).toBe('5881580-07-11');
    expect(bindValue(DATE, new EpochMillis(-2147483648n * 86_400_000n), 'UTC', 'd', true)).toBe('5877642-06-23 BC');
  });

  it('writes years up to 0 as pgjdbc does (1 BC is year 0)', () => {
    expect(bindValue(DATE, -719162, 'UTC', 'd', true)).toBe('0001-01-01');
    expect(bindValue(DATE, -719163, 'UTC', 'd', true)).toBe('0001-12-31 BC');
    // on MySQL/MariaDB as Java's LocalDate.toString, which Debezium's sink binds there
    expect(bindValue(DATE, -719163, 'UTC', 'd')).toBe('0000-12-31');
    expect(bindValue(DATE, new EpochMillis(-2147483648n * 86_400_000n), 'UTC', 'd')).toBe('-5877641-06-23');
    expect(bindValue(TS, new EpochMillis(9223372036825200000n), 'UTC', 'ts')).toBe('+292278994-08-16 23:00:00.000000');
  });

  it('rounds NanoTimestamp to the nearest microsecond, halves up, on PostgreSQL and floors elsewhere', () => {
    const schema = SchemaBuilder.int64().name('io.debezium.time.NanoTimestamp').build();
    const type = columnTypeOf(schema, 'n');
    const bind = (nanos: bigint, pg: boolean) => bindValue(type, tagTemporal(schema, nanos), 'UTC', 'n', pg);
    expect(bind(1_709_210_096_123_456_789n, true)).toBe('2024-02-29 12:34:56.123457');
    expect(bind(1_709_210_096_123_456_789n, false)).toBe('2024-02-29 12:34:56.123456');
    expect(bind(-1_500n, true)).toBe('1969-12-31 23:59:59.999999');
    expect(bind(-1_501n, true)).toBe('1969-12-31 23:59:59.999998');
  });

  it('binds Bits as a bit string on PostgreSQL (BitSet bytes, bit 0 last) and as a big-endian number elsewhere', () => {
    const type = columnTypeOf(
      SchemaBuilder.bytes().name('io.debezium.data.Bits').parameter('length', '10').build(),
      'b',
    );
    expect(pgType(type)).toBe('bit(10)');
    expect(bindValue(type, Buffer.from('0500', 'hex'), 'UTC', 'b', true)).toBe('0000000101');
    expect(bindValue(type, Buffer.from('ff03', 'hex'), 'UTC', 'b', true)).toBe('1111111111');
    // MySQL/MariaDB BIT(n): the big-endian binary string of the same number
    expect(bindValue(type, Buffer.from('ff03', 'hex'), 'UTC', 'b', false)).toEqual(Buffer.from('03ff', 'hex'));
  });

  it('binds MicroDuration as an interval of microseconds on PostgreSQL', () => {
    const type = columnTypeOf(SchemaBuilder.int64().name('io.debezium.time.MicroDuration').build(), 'i');
    expect(pgType(type)).toBe('interval');
    expect(bindValue(type, 90_061_000_001n, 'UTC', 'i', true)).toBe('90061000001 microseconds');
    expect(bindValue(type, -3_600_000_000, 'UTC', 'i', false)).toBe('-3600000000');
  });

  it('renders schema defaults as DEFAULT literals only for types with a plain literal', () => {
    const col = (type: ReturnType<typeof columnTypeOf>, defaultValue: unknown) =>
      defaultLiteral({ name: 'c', type, optional: true, defaultValue });
    expect(col({ kind: 'string' }, "it's")).toBe("'it''s'");
    expect(col({ kind: 'int64' }, 9007199254740993n)).toBe('9007199254740993');
    expect(col({ kind: 'boolean' }, true)).toBe('true');
    expect(col({ kind: 'float64' }, Number.NaN)).toBeNull();
    expect(col({ kind: 'date' }, 19782)).toBeNull();
  });
});
