/** MaskField$Key / $Value — cases from Kafka Connect's MaskFieldTest (null values and custom replacements). */
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
} from '../sdk/data.ts';
import { expectRecord, sinkRecord, transform } from './testing.ts';

const SCHEMA = SchemaBuilder.struct()
  .field('magic', Schemas.INT32)
  .field('bool', Schemas.BOOLEAN)
  .field('byte', Schemas.INT8)
  .field('short', Schemas.INT16)
  .field('int', Schemas.INT32)
  .field('long', Schemas.INT64)
  .field('float', Schemas.FLOAT32)
  .field('double', Schemas.FLOAT64)
  .field('string', Schemas.STRING)
  .field('date', ConnectDate.schema())
  .field('time', ConnectTime.schema())
  .field('timestamp', ConnectTimestamp.schema())
  .field('decimal', Decimal.schema(0))
  .field('array', SchemaBuilder.array(Schemas.INT32).build())
  .field('map', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
  .field('opt', Schemas.OPTIONAL_STRING)
  .build();
const now = new Date(Date.UTC(2024, 4, 1));
const VALUES = () =>
  new Struct(SCHEMA)
    .put('magic', 42)
    .put('bool', true)
    .put('byte', 42)
    .put('short', 42)
    .put('int', 42)
    .put('long', 42)
    .put('float', 42)
    .put('double', 42)
    .put('string', 'hmm')
    .put('date', now)
    .put('time', new Date(1000))
    .put('timestamp', now)
    .put('decimal', new BigDecimal(42n, 0))
    .put('array', [1, 2, 3])
    .put('map', { what: 'what' })
    .put('opt', null);
const MAP = () => ({
  magic: 42,
  bool: true,
  int: 42,
  long: 42n,
  double: 42.5,
  string: '55.121.20.20',
  date: now,
  bigint: 42n,
  bigdec: new BigDecimal(420n, 1),
  list: [42],
  map: { key: 'value' },
});

function masked(schema: Schema, values: Struct, overrides: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const f of schema.fields) s.put(f, f.name in overrides ? overrides[f.name] : values.getWithoutDefault(f.name));
  return s;
}

describe('MaskField', () => {
  it('masks every type with its null value (schemaful)', () => {
    const input = sinkRecord({ valueSchema: SCHEMA, value: VALUES() });
    const fields = SCHEMA.fields
      .map((f) => f.name)
      .filter((n) => n !== 'magic')
      .join(',');
    expectRecord(transform('org.apache.kafka.connect.transforms.MaskField$Value', { fields }).apply(input), input, {
      value: masked(SCHEMA, VALUES(), {
        bool: false,
        byte: 0,
        short: 0,
        int: 0,
        long: 0,
        float: 0,
        double: 0,
        string: '',
        date: new Date(0),
        time: new Date(0),
        timestamp: new Date(0),
        decimal: new BigDecimal(0n, 0),
        array: [],
        map: {},
        opt: null,
      }),
    });
  });

  it('masks every type with its null value (schemaless), adding absent fields as null', () => {
    const input = sinkRecord({ value: MAP() });
    expectRecord(
      transform('MaskField$Value', { fields: 'bool,int,long,double,string,date,bigint,bigdec,list,map,absent' }).apply(
        input,
      ),
      input,
      {
        value: {
          magic: 42,
          bool: false,
          int: 0,
          long: 0n,
          double: 0,
          string: '',
          date: new Date(0),
          bigint: 0n,
          bigdec: new BigDecimal(0n, 0),
          list: [],
          map: {},
          absent: null,
        },
      },
    );
  });

  it.each([
    ['short', '123', 123],
    ['byte', '123', 123],
    ['int', '123', 123],
    ['long', '123', 123],
    ['float', '123.0', 123],
    ['double', '123.0', 123],
    ['string', '123', '123'],
    ['decimal', '123', new BigDecimal(123n, 0)],
    ['int', '-5', -5],
    ['byte', '300', 44],
  ])('replaces %s with %s (schemaful)', (field, replacement, expected) => {
    const input = sinkRecord({ valueSchema: SCHEMA, value: VALUES() });
    expectRecord(transform('MaskField$Value', { fields: field, replacement }).apply(input), input, {
      value: masked(SCHEMA, VALUES(), { [field]: expected }),
    });
  });

  it.each([
    ['int', '123', 123],
    ['long', '123', 123n],
    ['double', '123.0', 123],
    ['string', '123', '123'],
    ['bigint', '123', 123n],
    ['bigdec', '123.0', new BigDecimal(1230n, 1)],
  ])('replaces %s with %s (schemaless)', (field, replacement, expected) => {
    const input = sinkRecord({ value: MAP() });
    expectRecord(transform('MaskField$Value', { fields: field, replacement }).apply(input), input, {
      value: { ...MAP(), [field]: expected },
    });
  });

  it.each([
    ['date', 'x', 'Cannot mask value of type class java.util.Date with custom replacement.'],
    ['bool', 'false', 'Cannot mask value of type class java.lang.Boolean with custom replacement.'],
    ['list', '123', 'Cannot mask value of type class java.util.ArrayList with custom replacement.'],
    ['map', '123', 'Cannot mask value of type class java.util.HashMap with custom replacement.'],
    ['int', 'foo', 'Unable to convert foo (class java.lang.String) to number'],
    ['bigint', 'foo', 'Unable to convert foo (class java.lang.String) to number'],
    ['bigdec', 'foo', 'Unable to convert foo (class java.lang.String) to number'],
  ])('refuses replacing %s with %s (schemaless)', (field, replacement, message) => {
    expect(() =>
      transform('MaskField$Value', { fields: field, replacement }).apply(sinkRecord({ value: MAP() })),
    ).toThrow(message);
  });

  it.each([
    ['time', 'Cannot mask value of type class java.util.Date with custom replacement.'],
    ['timestamp', 'Cannot mask value of type class java.util.Date with custom replacement.'],
    ['array', 'Cannot mask value of type class java.util.ArrayList with custom replacement.'],
  ])('refuses replacing %s (schemaful)', (field, message) => {
    expect(() =>
      transform('MaskField$Value', { fields: field, replacement: '123' }).apply(
        sinkRecord({ valueSchema: SCHEMA, value: VALUES() }),
      ),
    ).toThrow(message);
  });

  it('cannot mask bytes or nested structs without a replacement', () => {
    const s = SchemaBuilder.struct().field('b', Schemas.BYTES).build();
    expect(() =>
      transform('MaskField$Value', { fields: 'b' }).apply(
        sinkRecord({ valueSchema: s, value: new Struct(s).put('b', Buffer.from('x')) }),
      ),
    ).toThrow('Cannot mask value of type: class [B');
  });

  it('masks keys ($Key) and, as Kafka, refuses a null value', () => {
    const input = sinkRecord({ key: { id: 7, name: 'n' } });
    expectRecord(transform('MaskField$Key', { fields: 'id' }).apply(input), input, { key: { id: 0, name: 'n' } });
    const tomb = sinkRecord({ value: null });
    expect(() => transform('MaskField$Value', { fields: 'a' }).apply(tomb)).toThrow(
      'Only Map objects supported in absence of schema for [mask fields], found: null',
    );
  });

  it.each([
    [{ fields: '' }, 'Invalid value [] for configuration fields: Empty list'],
    [{ fields: 'a', replacement: '' }, 'Invalid value  for configuration replacement: String must be non-empty'],
  ])('config %j fails', (props, message) => {
    expect(() => transform('MaskField$Value', props)).toThrow(message);
  });
});
