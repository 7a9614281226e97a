import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas, schemaEquals, validateValue } from './schema.ts';
import { Struct } from './struct.ts';
import { convertToString } from './values/values-to-string.ts';
import {
  BigDecimal,
  Decimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  EpochMillis,
  bigintToTwosComplement,
  twosComplementToBigint,
} from './logical.ts';
import { DataException } from '../errors.ts';

describe('schema model', () => {
  const person = SchemaBuilder.struct()
    .name('test.Person')
    .version(2)
    .doc('a person')
    .field('id', Schemas.INT32)
    .field('name', Schemas.OPTIONAL_STRING)
    .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
    .field('score', SchemaBuilder.float64().defaultValue(1.5).build())
    .build();

  it('builds structs with fields in order and looks fields up by name', () => {
    expect(person.fields.map((f) => f.name)).toEqual(['id', 'name', 'tags', 'score']);
    expect(person.field('name')?.index).toBe(1);
    expect(person.field('missing')).toBeUndefined();
    expect(person.version).toBe(2);
  });

  it('rejects duplicate field names', () => {
    expect(() => SchemaBuilder.struct().field('a', Schemas.INT8).field('a', Schemas.INT8)).toThrow(/duplication: a/);
  });

  it.each([
    [Schemas.INT8, 128],
    [Schemas.INT16, -32769],
    [Schemas.INT32, 2 ** 31],
    [Schemas.INT32, 1.5],
    [Schemas.STRING, 5],
    [Schemas.BOOLEAN, 'true'],
    [Schemas.BYTES, 'abc'],
    [Schemas.INT64, 2n ** 63n],
  ])('rejects %s value %s', (schema, value) => {
    expect(() => validateValue(schema, value)).toThrow(DataException);
  });

  it.each([
    [Schemas.INT8, -128],
    [Schemas.INT64, 2n ** 63n - 1n],
    [Schemas.INT64, 42],
    [Schemas.FLOAT32, 0.5],
    [Schemas.BYTES, Buffer.from('x')],
    [Schemas.OPTIONAL_STRING, null],
  ])('accepts %s value %s', (schema, value) => {
    expect(() => validateValue(schema, value)).not.toThrow();
  });

  it('validates struct values and applies defaults on get', () => {
    const s = new Struct(person).put('id', 7).put('name', 'ann');
    expect(s.get('score')).toBe(1.5);
    expect(s.getWithoutDefault('score')).toBeNull();
    expect(() => s.validate()).not.toThrow();
    expect(() => new Struct(person).validate()).toThrow(/required field: "id"/);
    expect(() => s.put('id', 'seven')).toThrow(/field: "id"/);
    expect(() => s.put('nope', 1)).toThrow(/not a valid field name/);
  });

  it('compares schemas structurally', () => {
    const again = SchemaBuilder.struct()
      .name('test.Person')
      .version(2)
      .doc('a person')
      .field('id', Schemas.INT32)
      .field('name', Schemas.OPTIONAL_STRING)
      .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
      .field('score', SchemaBuilder.float64().defaultValue(1.5).build())
      .build();
    expect(schemaEquals(person, again)).toBe(true);
    expect(schemaEquals(person, SchemaBuilder.struct().name('test.Person').build())).toBe(false);
  });
});

describe('logical types', () => {
  it.each([
    [0n, '00'],
    [1n, '01'],
    [-1n, 'ff'],
    [127n, '7f'],
    [128n, '0080'],
    [-128n, '80'],
    [-129n, 'ff7f'],
    [255n, '00ff'],
    [256n, '0100'],
    [-256n, 'ff00'],
  ])('encodes unscaled %s like BigInteger.toByteArray (%s)', (v, hex) => {
    expect(bigintToTwosComplement(v).toString('hex')).toBe(hex);
    expect(twosComplementToBigint(Buffer.from(hex, 'hex'))).toBe(v);
  });

  it('parses and prints decimals exactly', () => {
    expect(BigDecimal.parse('-12.30').toString()).toBe('-12.30');
    expect(BigDecimal.parse('0.001').toString()).toBe('0.001');
    expect(BigDecimal.parse('1E+3').toString()).toBe('1000');
    expect(BigDecimal.parse('12345678901234567890.123456789').unscaled).toBe(12345678901234567890123456789n);
    expect(BigDecimal.parse('1.5').setScale(3).toString()).toBe('1.500');
    expect(() => BigDecimal.parse('1.25').setScale(1)).toThrow(/Rounding necessary/);
  });

  it('round-trips Decimal through bytes with its scale', () => {
    const schema = Decimal.schema(2);
    expect(schema.parameters).toEqual({ scale: '2' });
    const bytes = Decimal.fromLogical(schema, BigDecimal.parse('2.21'));
    expect(bytes.toString('base64')).toBe('AN0='); // 221 = 0x00dd
    expect(Decimal.toLogical(schema, bytes).toString()).toBe('2.21');
    expect(() => Decimal.fromLogical(schema, BigDecimal.parse('2.2'))).toThrow(/mismatching scale/);
  });

  it('converts Date, Time and Timestamp', () => {
    expect(ConnectDate.fromLogical(new Date('1970-01-11T00:00:00Z'))).toBe(10);
    expect(() => ConnectDate.fromLogical(new Date('1970-01-11T00:00:01Z'))).toThrow();
    expect(ConnectTime.fromLogical(new Date(3_600_000))).toBe(3_600_000);
    expect(ConnectTimestamp.toLogical(1_700_000_000_123)).toEqual(new Date('2023-11-14T22:13:20.123Z'));
  });

  it('carries Date and Timestamp values beyond a JS Date exactly, as java.util.Date holds any int64 of millis', () => {
    // PostgreSQL's timestamp 'infinity' as Debezium writes it under time.precision.mode=connect
    const inf = ConnectTimestamp.toLogical(9223372036825200n);
    expect(inf).toEqual(new EpochMillis(9223372036825200n));
    expect(ConnectTimestamp.fromLogical(inf)).toBe(9223372036825200n);
    expect(ConnectTimestamp.fromLogical(ConnectTimestamp.toLogical(-9223372036854775808n))).toBe(-9223372036854775808n);
    expect(ConnectTimestamp.toLogical(8_640_000_000_000_000)).toBeInstanceOf(Date);
    expect(ConnectTimestamp.fromLogical(ConnectTimestamp.toLogical(8_640_000_000_000_001))).toBe(8_640_000_000_000_001);
    expect(() => new EpochMillis(1n << 63n)).toThrow(/beyond int64/);
    const maxDay = ConnectDate.toLogical(2147483647);
    expect(maxDay).toEqual(new EpochMillis(2147483647n * 86_400_000n));
    expect(ConnectDate.fromLogical(maxDay)).toBe(2147483647);
    expect(ConnectDate.fromLogical(ConnectDate.toLogical(-2147483648))).toBe(-2147483648);
    expect(() => ConnectDate.fromLogical(new EpochMillis(2147483647n * 86_400_000n + 1n))).toThrow(/time fields/);
    const ts = SchemaBuilder.struct()
      .field('ts', ConnectTimestamp.schema())
      .field('d', ConnectDate.schema())
      .field('t', ConnectTime.schema())
      .build();
    expect(() => new Struct(ts).put('ts', inf).put('d', maxDay).put('t', new Date(0)).validate()).not.toThrow();
    expect(() => new Struct(ts).put('ts', inf).put('d', maxDay).put('t', new EpochMillis(0n)).validate()).toThrow(
      /Time field "t": expected a valid Date$/,
    );
    expect(() => convertToString(ConnectTimestamp.schema(), inf)).toThrow(
      /Cannot format 9223372036825200 epoch milliseconds/,
    );
  });
});
