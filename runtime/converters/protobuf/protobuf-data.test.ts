import { describe, it, expect } from 'vitest';
import { ProtobufData } from './protobuf-data.ts';
import { renderProto } from './proto-file.ts';
import { parseProto } from './proto-root.ts';
import { SchemaBuilder, schemaEquals, valuesEqual, type Schema } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTimestamp, Decimal } from '../../data/logical.ts';
import { debeziumFixture } from '../../schema-registry/testing/debezium-fixture.ts';

type Mode = { wrapperForNullables: boolean; optionalForNullables: boolean; enhancedSchemaSupport: boolean };
const CONFLUENT: Mode = { wrapperForNullables: false, optionalForNullables: false, enhancedSchemaSupport: false };
const WRAPPERS: Mode = { ...CONFLUENT, wrapperForNullables: true };
const OPTIONALS: Mode = { ...CONFLUENT, optionalForNullables: true };

function proto(schema: Schema, mode = CONFLUENT): string {
  return renderProto(new ProtobufData(mode).fromConnectSchema(schema).file);
}

function roundTrip(schema: Schema, value: Struct, mode: Mode): { schema: Schema; value: Struct; bytes: Uint8Array } {
  const data = new ProtobufData(mode);
  const { file, messageName } = data.fromConnectSchema(schema);
  const parsed = parseProto(renderProto(file));
  const type = parsed.root.lookupType(messageName);
  const bytes = type.encode(type.fromObject(data.fromConnectData(schema, type, value))).finish();
  const back = new ProtobufData(mode).toConnectSchema(type);
  return { schema: back, value: new ProtobufData(mode).toConnectData(back, type, type.decode(bytes)), bytes };
}

describe('ProtobufData: Connect schema -> .proto (Confluent ProtobufData shapes)', () => {
  it('writes a struct as a proto3 message in its namespace, int8/int16 with connect.type, logical types as well-known messages', () => {
    const s = SchemaBuilder.struct()
      .name('a.b.Row')
      .field('id', SchemaBuilder.int32().build())
      .field('tiny', SchemaBuilder.int8().build())
      .field('amount', Decimal.builder(2).parameter('connect.decimal.precision', '10').build())
      .field('day', ConnectDate.schema())
      .field('at', ConnectTimestamp.schema())
      .field('tags', SchemaBuilder.array(SchemaBuilder.string().build()).build())
      .build();
    expect(proto(s)).toBe(`syntax = "proto3";
package a.b;

import "confluent/meta.proto";
import "confluent/type/decimal.proto";
import "google/protobuf/timestamp.proto";
import "google/type/date.proto";

message Row {
  option (confluent.message_meta) = { params: [{ key: "connect.name", value: "a.b.Row" }] };
  int32 id = 1 [(confluent.field_meta) = { params: [{ key: "connect.optional", value: "false" }] }];
  int32 tiny = 2 [(confluent.field_meta) = { params: [{ key: "connect.type", value: "int8" }, { key: "connect.optional", value: "false" }] }];
  .confluent.type.Decimal amount = 3 [(confluent.field_meta) = { params: [{ key: "precision", value: "10" }, { key: "scale", value: "2" }, { key: "connect.optional", value: "false" }] }];
  .google.type.Date day = 4 [(confluent.field_meta) = { params: [{ key: "connect.optional", value: "false" }] }];
  .google.protobuf.Timestamp at = 5 [(confluent.field_meta) = { params: [{ key: "connect.optional", value: "false" }] }];
  repeated string tags = 6 [(confluent.field_meta) = { params: [{ key: "connect.array", value: "{\\"optional\\":false}" }, { key: "connect.optional", value: "false" }] }];
}
`);
  });

  it('writes optional scalars as wrappers with wrapper.for.nullables and as proto3 optional with optional.for.nullables', () => {
    const s = SchemaBuilder.struct()
      .name('W')
      .field('n', SchemaBuilder.int64().optional().build())
      .field('r', SchemaBuilder.string().build())
      .build();
    expect(proto(s, WRAPPERS)).toContain('  .google.protobuf.Int64Value n = 1;\n  string r = 2;\n');
    expect(proto(s, OPTIONALS)).toContain('  optional int64 n = 1;\n');
    expect(proto(s, CONFLUENT)).toContain('  int64 n = 1;\n');
  });

  it('writes nested structs as nested messages (once), maps as repeated Entry messages and Union structs as oneofs', () => {
    const inner = SchemaBuilder.struct()
      .name('x.Inner')
      .field('q', SchemaBuilder.int32().optional().build())
      .optional()
      .build();
    const union = SchemaBuilder.struct()
      .name('io.confluent.connect.protobuf.Union.choice')
      .field('num', SchemaBuilder.int32().optional().build())
      .field('text', SchemaBuilder.string().optional().build())
      .optional()
      .build();
    const s = SchemaBuilder.struct()
      .name('x.Outer')
      .field('a', inner)
      .field('b', inner)
      .field(
        'm',
        SchemaBuilder.map(SchemaBuilder.int32().optional().build(), SchemaBuilder.string().optional().build())
          .optional()
          .build(),
      )
      .field('choice_0', union)
      .build();
    const text = proto(s);
    expect(text.match(/message Inner \{/g)).toHaveLength(1);
    expect(text).toContain('.x.Outer.Inner a = 1;');
    expect(text).toContain('.x.Outer.Inner b = 2;');
    expect(text).toContain('repeated .x.Outer.MEntry m = 3;');
    expect(text).toContain('message MEntry {\n    int32 key = 1;\n    string value = 2;\n  }');
    expect(text).toContain('oneof choice {\n    int32 num = 4;\n    string text = 5;\n  }');
  });

  it('refuses a non-struct root and nested arrays', () => {
    expect(() => proto(SchemaBuilder.string().build())).toThrow(/Unsupported root schema of type string/);
    const nested = SchemaBuilder.struct()
      .field('a', SchemaBuilder.array(SchemaBuilder.array(SchemaBuilder.int32().build()).build()).build())
      .build();
    expect(() => proto(nested)).toThrow(/repeated fields cannot be nested/);
  });
});

describe('ProtobufData: round trips', () => {
  it.each([
    ['wrapper.for.nullables', WRAPPERS],
    ['optional.for.nullables', OPTIONALS],
  ])('a Debezium envelope survives unchanged with %s', (_n, mode) => {
    const { valueSchema, value, keySchema, key } = debeziumFixture();
    const v = roundTrip(valueSchema, value, mode);
    expect(schemaEquals(v.schema, valueSchema)).toBe(true);
    expect(valuesEqual(v.value, value)).toBe(true);
    const after = v.value.getStruct('after')!;
    expect(after.get('big')).toBe(9_223_372_036_854_775_807n);
    expect((after.get('amount') as BigDecimal).toString()).toBe('99999999999999999999');
    const k = roundTrip(keySchema, key, mode);
    expect(schemaEquals(k.schema, keySchema)).toBe(true);
    expect(valuesEqual(k.value, key)).toBe(true);
  });

  it("with Confluent's defaults keeps every schema and value except nulls in plain proto3 scalars (read as zero values)", () => {
    const { valueSchema, value } = debeziumFixture();
    const v = roundTrip(valueSchema, value, CONFLUENT);
    expect(schemaEquals(v.schema, valueSchema)).toBe(true);
    const attrs = v.value.getStruct('after')!.get('attrs') as Map<string, string>;
    expect(attrs.get('n')).toBe('');
    expect(v.value.get('before')).toBeNull();
    expect(v.value.getStruct('source')!.get('lsn')).toBe(24023128);
  });

  it('encodes a small message byte for byte', () => {
    const s = SchemaBuilder.struct()
      .name('p.M')
      .field('id', SchemaBuilder.int32().build())
      .field('name', SchemaBuilder.string().build())
      .build();
    const r = roundTrip(s, new Struct(s).put('id', 150).put('name', 'hi'), CONFLUENT);
    expect(Buffer.from(r.bytes).toString('hex')).toBe('089601' + '12026869');
  });

  it('reads Protobuf-native schemas as Confluent does: enums, oneofs, uint32 as int64, tags', () => {
    const parsed = parseProto(`syntax = "proto3";
package shop;
message Order {
  enum Status { NEW = 0; PAID = 1; }
  Status status = 1;
  uint32 qty = 3;
  oneof payment { string card = 4; int64 voucher = 5; }
}
`);
    const type = parsed.root.lookupType('shop.Order');
    const data = new ProtobufData(CONFLUENT);
    const schema = data.toConnectSchema(type);
    expect(schema.name).toBe('Order');
    expect(schema.fields.map((f) => f.name)).toEqual(['payment_0', 'status', 'qty']);
    expect(schema.field('status')!.schema.parameters).toEqual({
      'io.confluent.connect.protobuf.Enum': 'Status',
      'io.confluent.connect.protobuf.Enum.NEW': '0',
      'io.confluent.connect.protobuf.Enum.PAID': '1',
    });
    expect(schema.field('qty')!.schema.type).toBe('int64');
    expect(schema.field('qty')!.schema.parameters).toEqual({ 'io.confluent.connect.protobuf.Tag': '3' });
    const msg = type.decode(type.encode(type.fromObject({ status: 'PAID', qty: 7, voucher: 12 })).finish());
    const v = data.toConnectData(schema, type, msg);
    expect(v.get('status')).toBe('PAID');
    expect(v.get('qty')).toBe(7);
    expect((v.get('payment_0') as Struct).get('voucher')).toBe(12);
    expect(new ProtobufData({ ...CONFLUENT, enhancedSchemaSupport: true }).toConnectSchema(type).name).toBe(
      'shop.Order',
    );
  });
});
