import { describe, it, expect } from 'vitest';
import { JsonConverter } from './json-converter.ts';
import { javaDoubleToString, javaDoubleToStringGeneral, javaFloatToString } from './java-number-format.ts';
import { SchemaBuilder, Schemas } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, Decimal, ConnectDate, ConnectTime, ConnectTimestamp } from '../data/logical.ts';

function conv(props: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(props, false);
  return c;
}

describe('Java number formatting (Double.toString / Float.toString)', () => {
  it.each([
    [1, '1.0'],
    [99.99, '99.99'],
    [1e7, '1.0E7'],
    [12345678.9, '1.23456789E7'],
    [0.001, '0.001'],
    [0.0001, '1.0E-4'],
    [-0.5, '-0.5'],
    [0, '0.0'],
    [-0, '-0.0'],
    [123456.789, '123456.789'],
    [1.7976931348623157e308, '1.7976931348623157E308'],
    [NaN, 'NaN'],
  ])('double %s -> %s', (v, s) => expect(javaDoubleToString(v)).toBe(s));

  it('the plain-decimal fast path agrees with the general layout', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = [0.001, 0.0010000000000000002, 9999999.999999998, 1e7 - 1, 5, -5, 0.1 + 0.2, 1 / 3, 100, 1e6];
    for (let i = 0; i < 20_000; i++) values.push((rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 10 - 3) * (1 + rnd()));
    for (const v of values) expect(javaDoubleToString(v), String(v)).toBe(javaDoubleToStringGeneral(v));
  });

  it.each([
    [0.1, '0.1'],
    [1.1, '1.1'],
    [3.4028235e38, '3.4028235E38'],
    [16777216, '1.6777216E7'],
    [0.3333333432674408, '0.33333334'],
  ])('float %s -> %s', (v, s) => {
    expect(javaFloatToString(v)).toBe(s);
  });

  // JDK 17 (the broker's) FloatingDecimal, not the shortest form: values Kafka's JsonConverter wrote in test/compat.
  it.each([
    [5e-324, '4.9E-324'],
    [-5e-324, '-4.9E-324'],
    [1e21, '1.0E21'],
    [2 ** -44, '5.6843418860808015E-14'],
  ])('JDK 17 double %s -> %s', (v, s) => expect(javaDoubleToString(v)).toBe(s));
  it.each([
    [Math.fround(1.4e-45), '1.4E-45'],
    [Math.fround(1.17549435e-38), '1.17549435E-38'],
    [-2470639.25, '-2470639.2'],
    [3686219.25, '3686219.2'],
  ])('JDK 17 float %s -> %s', (v, s) => expect(javaFloatToString(v)).toBe(s));
  it.each([
    [1e39, 'Infinity'],
    [-1e39, '-Infinity'],
    [0.1, '0.1'],
    [1e-46, '0.0'],
  ])('a float32 value not yet rounded to float32 (%s) prints as Java after (float): %s', (v, s) =>
    expect(javaFloatToString(v)).toBe(s),
  );
});

describe('JsonConverter', () => {
  const value = SchemaBuilder.struct()
    .name('x.Value')
    .field('id', Schemas.INT32)
    .field('price', Decimal.builder(2).optional().build())
    .build();

  it('writes the documented envelope byte for byte (schemas.enable=true)', () => {
    const s = new Struct(value).put('id', 1).put('price', BigDecimal.parse('2.21'));
    expect(conv().fromConnectData('t', value, s)!.toString()).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"price"}],"optional":false,"name":"x.Value"},"payload":{"id":1,"price":"AN0="}}',
    );
  });

  it('writes decimals as numbers with decimal.format=NUMERIC and payload only without schemas', () => {
    const s = new Struct(value).put('id', 1).put('price', BigDecimal.parse('2.21'));
    expect(
      conv({ 'schemas.enable': 'false', 'decimal.format': 'NUMERIC' }).fromConnectData('t', value, s)!.toString(),
    ).toBe('{"id":1,"price":2.21}');
  });

  it('uses float/double type names and Java number formatting', () => {
    const schema = SchemaBuilder.struct().field('f', Schemas.FLOAT32).field('d', Schemas.FLOAT64).build();
    const out = conv().fromConnectData('t', schema, new Struct(schema).put('f', 0.1).put('d', 1e7))!.toString();
    expect(out).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"float","optional":false,"field":"f"},{"type":"double","optional":false,"field":"d"}],"optional":false},"payload":{"f":0.1,"d":1.0E7}}',
    );
  });

  it('writes defaults in the schema and substitutes them for null values', () => {
    const schema = SchemaBuilder.struct()
      .field('s', SchemaBuilder.string().optional().defaultValue('false').build())
      .build();
    expect(conv().fromConnectData('t', schema, new Struct(schema))!.toString()).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"false","field":"s"}],"optional":false},"payload":{"s":"false"}}',
    );
  });

  it('writes tombstones as null bytes and a null schema as "schema":null', () => {
    expect(conv().fromConnectData('t', null, null)).toBeNull();
    expect(conv().fromConnectData('t', null, { a: 1 })!.toString()).toBe('{"schema":null,"payload":{"a":1}}');
  });

  it('encodes maps with non-string keys as arrays of pairs', () => {
    const schema = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    const bytes = conv().fromConnectData(
      't',
      schema,
      new Map([
        [1, 'a'],
        [2, 'b'],
      ]),
    )!;
    expect(bytes.toString()).toBe(
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"string","optional":false},"optional":false},"payload":[[1,"a"],[2,"b"]]}',
    );
    const back = conv().toConnectData('t', bytes);
    expect(back.value).toEqual(
      new Map([
        [1, 'a'],
        [2, 'b'],
      ]),
    );
  });

  it('round-trips every schema type and logical type', () => {
    const schema = SchemaBuilder.struct()
      .name('all.Types')
      .field('i8', Schemas.INT8)
      .field('i16', Schemas.INT16)
      .field('i32', Schemas.INT32)
      .field('i64', Schemas.INT64)
      .field('big', Schemas.INT64)
      .field('f32', Schemas.FLOAT32)
      .field('f64', Schemas.FLOAT64)
      .field('b', Schemas.BOOLEAN)
      .field('s', Schemas.STRING)
      .field('bytes', Schemas.BYTES)
      .field('arr', SchemaBuilder.array(Schemas.OPTIONAL_STRING).build())
      .field('map', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .field('nested', SchemaBuilder.struct().name('n').field('x', Schemas.OPTIONAL_INT32).optional().build())
      .field('dec', Decimal.schema(3))
      .field('date', ConnectDate.schema())
      .field('time', ConnectTime.schema())
      .field('ts', ConnectTimestamp.schema())
      .build();
    const nestedSchema = schema.field('nested')!.schema;
    const s = new Struct(schema)
      .put('i8', -5)
      .put('i16', 300)
      .put('i32', -70000)
      .put('i64', 1234567890123)
      .put('big', 9223372036854775807n)
      .put('f32', 0.5)
      .put('f64', -2.25)
      .put('b', true)
      .put('s', 'héllo "q"')
      .put('bytes', Buffer.from([0, 255, 7]))
      .put('arr', ['a', null])
      .put('map', new Map([['k', 1]]))
      .put('nested', new Struct(nestedSchema).put('x', 9))
      .put('dec', BigDecimal.parse('-123456789.123'))
      .put('date', new Date('2024-02-29T00:00:00Z'))
      .put('time', new Date(45_296_789))
      .put('ts', new Date(1_700_000_000_123));
    const c = conv();
    const back = c.toConnectData('t', c.fromConnectData('t', schema, s));
    expect((back.value as Struct).equals(s)).toBe(true);
    expect(back.schema!.fields.map((f) => f.name)).toEqual(schema.fields.map((f) => f.name));
  });

  it('infers types from schemaless JSON', () => {
    const back = conv({ 'schemas.enable': 'false' }).toConnectData(
      't',
      Buffer.from('{"a":1,"b":[true,"x"],"c":1.5,"d":null}'),
    );
    expect(back).toEqual({ schema: null, value: { a: 1, b: [true, 'x'], c: 1.5, d: null } });
  });

  it('explains the fix when schemas.enable=true meets plain JSON', () => {
    expect(() => conv().toConnectData('t', Buffer.from('{"a":1}'))).toThrow(/set schemas.enable=false/);
  });
});
