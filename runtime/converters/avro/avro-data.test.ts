import { describe, it, expect } from 'vitest';
import { AvroData } from './avro-data.ts';
import { parseAvroSchema } from './avro-schema-tree.ts';
import { avscType } from './avsc-types.ts';
import { jsonText } from './json-text.ts';
import { SchemaBuilder, schemaEquals, valuesEqual, type Schema } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';
import { debeziumFixture } from '../../schema-registry/testing/debezium-fixture.ts';

const data = new AvroData();
const avro = (s: Schema) => jsonText(data.fromConnectSchema(s));

describe('AvroData: Connect schema -> Avro schema (Confluent AvroData output)', () => {
  it.each<[string, Schema, string]>([
    ['int8 with connect.type', SchemaBuilder.int8().build(), '{"type":"int","connect.type":"int8"}'],
    ['int16 with connect.type', SchemaBuilder.int16().build(), '{"type":"int","connect.type":"int16"}'],
    ['int32', SchemaBuilder.int32().build(), '"int"'],
    ['int64', SchemaBuilder.int64().build(), '"long"'],
    ['float32', SchemaBuilder.float32().build(), '"float"'],
    ['float64', SchemaBuilder.float64().build(), '"double"'],
    ['optional string: union with null first', SchemaBuilder.string().optional().build(), '["null","string"]'],
    [
      'optional with default: default branch first',
      SchemaBuilder.int32().optional().defaultValue(5).build(),
      '[{"type":"int","connect.default":5},"null"]',
    ],
    [
      'named primitive (Debezium semantic type)',
      SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').version(1).build(),
      '{"type":"long","connect.version":1,"connect.name":"io.debezium.time.MicroTimestamp"}',
    ],
    [
      'parameters and doc',
      SchemaBuilder.string().doc('d').parameter('allowed', 'a,b').build(),
      '{"type":"string","connect.doc":"d","connect.parameters":{"allowed":"a,b"}}',
    ],
    [
      'Decimal with default precision 64',
      Decimal.schema(2),
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    ],
    [
      'Decimal with connect.decimal.precision',
      Decimal.builder(3).parameter('connect.decimal.precision', '10').build(),
      '{"type":"bytes","scale":3,"precision":10,"connect.version":1,"connect.parameters":{"scale":"3","connect.decimal.precision":"10"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    ],
    [
      'Date',
      ConnectDate.schema(),
      '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}',
    ],
    [
      'Time',
      ConnectTime.schema(),
      '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}',
    ],
    [
      'Timestamp',
      ConnectTimestamp.schema(),
      '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}',
    ],
    [
      'string map',
      SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.int32().build()).build(),
      '{"type":"map","values":"int"}',
    ],
    [
      'non-string map as MapEntry array',
      SchemaBuilder.map(SchemaBuilder.int32().build(), SchemaBuilder.string().build()).build(),
      '{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}',
    ],
    [
      'unnamed struct as ConnectDefault',
      SchemaBuilder.struct().field('a', SchemaBuilder.string().optional().build()).build(),
      '{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[{"name":"a","type":["null","string"],"default":null}]}',
    ],
    [
      'named struct with version',
      SchemaBuilder.struct()
        .name('a.b.Value')
        .version(2)
        .field('id', SchemaBuilder.int32().build())
        .field('n', SchemaBuilder.bool().defaultValue(true).build())
        .build(),
      '{"type":"record","name":"Value","namespace":"a.b","fields":[{"name":"id","type":"int"},{"name":"n","type":{"type":"boolean","connect.default":true},"default":true}],"connect.version":2,"connect.name":"a.b.Value"}',
    ],
  ])('%s', (_name, schema, expected) => {
    expect(avro(schema)).toBe(expected);
  });

  it('writes a struct used twice once and refers to it by name (Debezium before/after)', () => {
    const { valueSchema } = debeziumFixture();
    const text = avro(valueSchema);
    expect(text.match(/"name":"Value"/g)).toHaveLength(1);
    expect(text).toContain('{"name":"after","type":["null","srv.inventory.customers.Value"],"default":null}');
  });

  it('rejects two different schemas with the same name', () => {
    const a = SchemaBuilder.struct().name('x.S').field('a', SchemaBuilder.int32().build()).build();
    const b = SchemaBuilder.struct().name('x.S').field('b', SchemaBuilder.int32().build()).build();
    const outer = SchemaBuilder.struct().name('x.Outer').field('a', a).field('b', b).build();
    expect(() => data.fromConnectSchema(outer)).toThrow(/two different schemas are named "x.S"/);
  });
});

describe('AvroData: round trips without loss', () => {
  function roundTrip(schema: Schema, value: unknown): { schema: Schema; value: unknown } {
    const json = data.fromConnectSchema(schema);
    const node = parseAvroSchema(jsonText(json));
    const type = avscType(JSON.parse(jsonText(json)));
    const bytes = type.toBuffer(data.fromConnectData(schema, node, value));
    const back = new AvroData().toConnectSchema(node);
    return { schema: back, value: new AvroData().toConnectData(back, node, type.fromBuffer(bytes)) };
  }

  it('a Debezium envelope: every schema name, version, doc, parameter and default, and every value', () => {
    const { valueSchema, value, keySchema, key } = debeziumFixture();
    const v = roundTrip(valueSchema, value);
    expect(schemaEquals(v.schema, valueSchema)).toBe(true);
    expect(valuesEqual(v.value, value)).toBe(true);
    const after = (v.value as Struct).getStruct('after')!;
    expect(after.get('big')).toBe(9_223_372_036_854_775_807n);
    expect((after.get('balance') as BigDecimal).toString()).toBe('-1234.56');
    expect((after.get('birth') as Date).toISOString()).toBe('1990-05-17T00:00:00.000Z');
    const k = roundTrip(keySchema, key);
    expect(schemaEquals(k.schema, keySchema)).toBe(true);
    expect(valuesEqual(k.value, key)).toBe(true);
  });

  it('top-level primitives, optional values and nulls', () => {
    for (const [schema, value] of [
      [SchemaBuilder.string().build(), 'hello'],
      [SchemaBuilder.int64().optional().build(), null],
      [SchemaBuilder.int64().optional().build(), -5],
      [SchemaBuilder.int16().build(), -300],
      [SchemaBuilder.array(SchemaBuilder.int32().optional().build()).build(), [1, null, 3]],
      [Decimal.builder(4).optional().build(), new BigDecimal(12345n, 4)],
    ] as Array<[Schema, unknown]>) {
      const r = roundTrip(schema, value);
      expect(schemaEquals(r.schema, schema)).toBe(true);
      expect(valuesEqual(r.value, value)).toBe(true);
    }
  });

  it('Avro-native schemas: enums, general unions, fixed and field defaults become Connect schemas as AvroData does', () => {
    const node = parseAvroSchema(
      JSON.stringify({
        type: 'record',
        name: 'Native',
        namespace: 'n',
        doc: 'record doc',
        fields: [
          { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
          { name: 'either', type: ['null', 'int', 'string'] },
          { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
          { name: 'count', type: 'int', default: 7, doc: 'how many' },
        ],
      }),
    );
    const schema = data.toConnectSchema(node);
    expect(schema.name).toBe('n.Native');
    expect(schema.parameters).toEqual({
      'io.confluent.connect.avro.record.doc': 'record doc',
      'io.confluent.connect.avro.field.doc.count': 'how many',
    });
    expect(schema.field('color')!.schema.parameters).toEqual({
      'io.confluent.connect.avro.Enum': 'n.Color',
      'io.confluent.connect.avro.Enum.RED': 'RED',
      'io.confluent.connect.avro.Enum.GREEN': 'GREEN',
    });
    expect(schema.field('color')!.schema.name).toBe('n.Color');
    const either = schema.field('either')!.schema;
    expect(either.name).toBe('io.confluent.connect.avro.Union');
    expect(either.optional).toBe(true);
    expect(either.fields.map((f) => f.name)).toEqual(['int', 'string']);
    expect(schema.field('count')!.schema.defaultValue).toBe(7);
    expect(schema.field('count')!.schema.parameters).toEqual({ 'io.confluent.connect.avro.field.default': 'true' });
    const type = avscType(
      JSON.parse(
        JSON.stringify({
          type: 'record',
          name: 'Native',
          namespace: 'n',
          fields: [
            { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
            { name: 'either', type: ['null', 'int', 'string'] },
            { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
            { name: 'count', type: 'int', default: 7 },
          ],
        }),
      ),
    );
    const decoded = type.fromBuffer(
      type.toBuffer({ color: 'GREEN', either: { string: 'x' }, hash: Buffer.from([1, 2]), count: 3 }),
    );
    const v = data.toConnectData(schema, node, decoded) as Struct;
    expect(v.get('color')).toBe('GREEN');
    expect((v.get('either') as Struct).get('string')).toBe('x');
    expect(Buffer.from(v.get('hash') as Uint8Array).toString('hex')).toBe('0102');
    // ... and back to Avro through the union struct
    expect(type.toBuffer(data.fromConnectData(schema, node, v))).toEqual(type.toBuffer(decoded));
  });

  it("writes a field default for a null field value, as Struct.get does in Confluent's AvroData", () => {
    const s = SchemaBuilder.struct()
      .name('x.D')
      .field('level', SchemaBuilder.int32().optional().defaultValue(3).build())
      .build();
    const r = roundTrip(s, new Struct(s).put('level', null));
    expect((r.value as Struct).get('level')).toBe(3);
  });

  it('rejects values that do not match the schema with the field path', () => {
    const s = SchemaBuilder.struct().name('x.V').field('id', SchemaBuilder.int32().build()).build();
    const node = parseAvroSchema(jsonText(data.fromConnectSchema(s)));
    expect(() => data.fromConnectData(s, node, new Struct(s))).toThrow(
      /Found null value for non-optional schema at "id"/,
    );
  });
});
