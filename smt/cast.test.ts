/** Cast$Key / $Value — cases from Kafka Connect's CastTest (whole value, fields, schemaless, logical types, defaults). */
import { describe, expect, it } from 'vitest';
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
  EpochMillis,
} from '../sdk/data.ts';
import { expectRecord, sourceRecord, transform } from './testing.ts';

const DAY = 86_400_000;

describe('Cast', () => {
  it.each([
    ['int8', Schemas.INT32, 42, Schemas.INT8, 42],
    ['int16', Schemas.INT32, 42, Schemas.INT16, 42],
    ['int32', Schemas.INT32, 42, Schemas.INT32, 42],
    ['int64', Schemas.INT32, 42, Schemas.INT64, 42],
    ['float32', Schemas.INT32, 42, Schemas.FLOAT32, 42],
    ['float64', Schemas.INT32, 42, Schemas.FLOAT64, 42],
    ['boolean', Schemas.INT32, 42, Schemas.BOOLEAN, true],
    ['boolean', Schemas.INT32, 0, Schemas.BOOLEAN, false],
    ['string', Schemas.INT32, 42, Schemas.STRING, '42'],
    ['int8', Schemas.INT32, 300, Schemas.INT8, 44],
    ['int32', Schemas.FLOAT64, 1e12, Schemas.INT32, 2147483647],
    ['int16', Schemas.FLOAT64, -1e12, Schemas.INT16, 0],
    ['int64', Schemas.STRING, '9223372036854775807', Schemas.INT64, 9223372036854775807n],
    ['string', Schemas.FLOAT64, 1e7, Schemas.STRING, '1.0E7'],
    ['string', Schemas.FLOAT32, Math.fround(0.1), Schemas.STRING, '0.1'],
    ['string', Schemas.FLOAT64, 42, Schemas.STRING, '42.0'],
    ['string', Schemas.BOOLEAN, true, Schemas.STRING, 'true'],
    [
      'string',
      Schemas.BYTES,
      Buffer.from([0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10]),
      Schemas.STRING,
      '/ty6mHZUMhA=',
    ],
    ['boolean', Schemas.STRING, 'TRUE', Schemas.BOOLEAN, true],
    ['boolean', Schemas.STRING, 'yes', Schemas.BOOLEAN, false],
    ['float32', Schemas.STRING, '1.5', Schemas.FLOAT32, 1.5],
    ['int32', ConnectTimestamp.schema(), new Date(DAY + 5), Schemas.INT32, DAY + 5],
    ['int64', ConnectDate.schema(), new Date(2 * DAY), Schemas.INT64, 2],
    ['int32', ConnectTime.schema(), new Date(1234), Schemas.INT32, 1234],
    ['int64', ConnectTimestamp.schema(), new EpochMillis(9223372036825200n), Schemas.INT64, 9223372036825200n],
    ['int32', ConnectDate.schema(), new EpochMillis(2147483647n * 86_400_000n), Schemas.INT32, 2147483647],
    ['string', ConnectTimestamp.schema(), new Date(DAY + 1234), Schemas.STRING, '1970-01-02T00:00:01.234Z'],
    ['string', ConnectDate.schema(), new Date(DAY), Schemas.STRING, '1970-01-02'],
    ['string', ConnectTime.schema(), new Date(1234), Schemas.STRING, '00:00:01.234Z'],
    ['int32', Decimal.schema(2), new BigDecimal(-4212n, 2), Schemas.INT32, -42],
    ['float64', Decimal.schema(2), new BigDecimal(4212n, 2), Schemas.FLOAT64, 42.12],
    ['string', Decimal.schema(2), new BigDecimal(4212n, 2), Schemas.STRING, '42.12'],
  ] as Array<[string, Schema, unknown, Schema, unknown]>)(
    'whole value %s: %s %s',
    (spec, schema, value, expectedSchema, expected) => {
      const input = sourceRecord({ key: 'k', valueSchema: schema, value });
      expectRecord(transform('org.apache.kafka.connect.transforms.Cast$Value', { spec }).apply(input), input, {
        valueSchema: expectedSchema,
        value: expected,
      });
    },
  );

  it('rejects a Timestamp beyond a JavaScript Date cast to a string, naming the value', () => {
    const input = sourceRecord({
      key: 'k',
      valueSchema: ConnectTimestamp.schema(),
      value: new EpochMillis(9223372036825200n),
    });
    expect(() => transform('Cast$Value', { spec: 'string' }).apply(input)).toThrow(
      /9223372036825200 epoch milliseconds/,
    );
  });

  it('casts the whole key ($Key), keeping schema name/version and converting the default', () => {
    const keySchema = SchemaBuilder.float32().name('price').version(3).defaultValue(Math.fround(-42.125)).build();
    const input = sourceRecord({ keySchema, key: Math.fround(42.125), valueSchema: Schemas.STRING, value: 'bogus' });
    expectRecord(transform('Cast$Key', { spec: 'int32' }).apply(input), input, {
      keySchema: SchemaBuilder.int32().name('price').version(3).defaultValue(-42).build(),
      key: 42,
    });
  });

  it.each([
    ['int8', 42, 42],
    ['int64', 42, 42],
    ['float32', 42, 42],
    ['boolean', 42, true],
    ['boolean', 0, false],
    ['string', 42, '42'],
    ['string', 4.25, '4.25'],
    ['int32', '42', 42],
    ['int8', true, 1],
  ])('whole value, schemaless: %s of %j', (spec, value, expected) => {
    const input = sourceRecord({ value });
    expectRecord(transform('Cast$Value', { spec }).apply(input), input, { valueSchema: null, value: expected });
  });

  it('casts struct fields, keeping optionality and converting defaults', () => {
    const b = SchemaBuilder.struct().name('types').version(1);
    b.field('int8', Schemas.INT8)
      .field('int16', Schemas.OPTIONAL_INT16)
      .field('int32', SchemaBuilder.int32().defaultValue(2).build())
      .field('int64', Schemas.INT64)
      .field('float32', Schemas.FLOAT32)
      .field('float64', SchemaBuilder.float64().defaultValue(-1.125).build())
      .field('boolean', Schemas.BOOLEAN)
      .field('string', Schemas.STRING)
      .field('optional', Schemas.OPTIONAL_FLOAT32)
      .field('untouched', Schemas.STRING);
    const schema = b.build();
    const value = new Struct(schema)
      .put('int8', 8)
      .put('int16', 16)
      .put('int32', 32)
      .put('int64', 64)
      .put('float32', 32)
      .put('float64', -64)
      .put('boolean', true)
      .put('string', '42')
      .put('untouched', 'x');
    const expectedSchema = SchemaBuilder.struct()
      .name('types')
      .version(1)
      .field('int8', Schemas.INT16)
      .field('int16', Schemas.OPTIONAL_INT32)
      .field('int32', SchemaBuilder.int64().defaultValue(2).build())
      .field('int64', Schemas.BOOLEAN)
      .field('float32', Schemas.FLOAT64)
      .field('float64', SchemaBuilder.bool().defaultValue(true).build())
      .field('boolean', Schemas.INT8)
      .field('string', Schemas.INT32)
      .field('optional', Schemas.OPTIONAL_INT32)
      .field('untouched', Schemas.STRING)
      .build();
    const input = sourceRecord({ valueSchema: schema, value });
    expectRecord(
      transform('Cast$Value', {
        spec: 'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,optional:int32',
      }).apply(input),
      input,
      {
        valueSchema: expectedSchema,
        value: new Struct(expectedSchema)
          .put('int8', 8)
          .put('int16', 16)
          .put('int32', 32)
          .put('int64', true)
          .put('float32', 32)
          .put('float64', true)
          .put('boolean', 1)
          .put('string', 42)
          .put('optional', null)
          .put('untouched', 'x'),
      },
    );
  });

  it('casts map fields (schemaless), putting null for absent ones', () => {
    const input = sourceRecord({
      value: { int8: 8, int16: 16, int32: 32, int64: 64, float32: 32.5, float64: -64, boolean: true, string: '42' },
    });
    expectRecord(
      transform('Cast$Value', {
        spec: 'int8:int16,int16:int32,int32:int64,int64:boolean,float32:float64,float64:boolean,boolean:int8,string:int32,absent:string',
      }).apply(input),
      input,
      {
        value: {
          int8: 8,
          int16: 16,
          int32: 32,
          int64: true,
          float32: 32.5,
          float64: true,
          boolean: 1,
          string: 42,
          absent: null,
        },
      },
    );
  });

  it.each([
    ['replace.null.with.default=true', 'true', 2],
    ['replace.null.with.default=false', 'false', null],
  ])('%s', (_n, flag, expected) => {
    const schema = SchemaBuilder.struct().field('a', SchemaBuilder.int32().optional().defaultValue(2).build()).build();
    const out = SchemaBuilder.struct().field('a', SchemaBuilder.int64().optional().defaultValue(2).build()).build();
    const input = sourceRecord({ valueSchema: schema, value: new Struct(schema).put('a', null) });
    expectRecord(transform('Cast$Value', { spec: 'a:int64', 'replace.null.with.default': flag }).apply(input), input, {
      valueSchema: out,
      value: new Struct(out).put('a', expected),
    });
  });

  it('passes null values through and reuses the cast schema', () => {
    const input = sourceRecord({ valueSchema: Schemas.OPTIONAL_INT32, value: null });
    expect(transform('Cast$Value', { spec: 'int64' }).apply(input)).toBe(input);
    const t = transform('Cast$Value', { spec: 'int64' });
    expect(t.apply(sourceRecord({ valueSchema: Schemas.INT32, value: 1 }))!.valueSchema).toBe(
      t.apply(sourceRecord({ valueSchema: Schemas.INT32, value: 2 }))!.valueSchema,
    );
  });

  it.each([
    [
      'int8',
      ['foo'],
      null,
      'Cast transformation does not support casting from ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING, BYTES]',
    ],
    [
      'int8',
      new Date(0),
      null,
      "Cast transformation was passed a value of type class java.util.Date which is not supported by Connect's data API",
    ],
    ['int32', 'forty-two', null, 'Value (forty-two) was out of range for requested data type'],
    ['int8', '300', null, 'Value (300) was out of range for requested data type'],
    ['int32', Buffer.from('x'), Schemas.BYTES, 'Unexpected type in Cast transformation: class [B'],
  ] as Array<[string, unknown, Schema | null, string]>)('%s of %j fails', (spec, value, valueSchema, message) => {
    expect(() => transform('Cast$Value', { spec }).apply(sourceRecord({ valueSchema, value }))).toThrow(message);
  });

  it.each([
    ['', 'Must specify at least one field to cast.'],
    ['foo:faketype', 'Invalid type found in casting spec: faketype'],
    [
      'foo:array',
      'Cast transformation does not support casting to ARRAY; supported types are [INT8, INT16, INT32, INT64, FLOAT32, FLOAT64, BOOLEAN, STRING]',
    ],
    ['bytes', 'Cast transformation does not support casting to BYTES'],
    ['foo:int8:extra', 'Invalid value [foo:int8:extra] for configuration spec: Invalid cast mapping: foo:int8:extra'],
    [
      'foo:int8,int32',
      'Cast transformations that specify a type to cast the entire value to may ony specify a single cast in their spec',
    ],
  ])('spec "%s" fails', (spec, message) => {
    expect(() => transform('Cast$Value', { spec })).toThrow(message);
  });
});
