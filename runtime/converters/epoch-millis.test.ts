/**
 * Connect Date/Timestamp values beyond a JavaScript Date (EpochMillis) through the converters: Java's
 * java.util.Date holds any int64 of milliseconds, so Kafka's converters write them exactly (PostgreSQL's
 * timestamp ±infinity under Debezium's time.precision.mode=connect is 9223372036825200 / -9223372036832400).
 */
import { describe, expect, it } from 'vitest';
import { JsonConverter } from './json-converter.ts';
import { AvroData } from './avro/avro-data.ts';
import { parseAvroSchema } from './avro/avro-schema-tree.ts';
import { jsonText } from './avro/json-text.ts';
import { avscType } from './avro/avsc-types.ts';
import { ProtobufData } from './protobuf/protobuf-data.ts';
import { renderProto } from './protobuf/proto-file.ts';
import { parseProto } from './protobuf/proto-root.ts';
import { SchemaBuilder } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { ConnectDate, ConnectTimestamp, EpochMillis } from '../data/logical.ts';

const schema = SchemaBuilder.struct()
  .name('inf.Row')
  .field('ts', ConnectTimestamp.schema())
  .field('neg', ConnectTimestamp.schema())
  .field('d', ConnectDate.schema())
  .field('min', ConnectTimestamp.schema())
  .build();
const row = new Struct(schema)
  .put('ts', new EpochMillis(9223372036825200n))
  .put('neg', new EpochMillis(-9223372036832400n))
  .put('d', new EpochMillis(2147483647n * 86_400_000n))
  .put('min', new EpochMillis(-9223372036854775808n));

describe('Connect Date/Timestamp beyond a JavaScript Date', () => {
  it('JsonConverter writes the exact int64 millis and int32 days, and reads them back', () => {
    const c = new JsonConverter();
    c.configure({ 'schemas.enable': 'false' }, false);
    const bytes = c.fromConnectData('t', schema, row);
    expect(bytes?.toString()).toBe(
      '{"ts":9223372036825200,"neg":-9223372036832400,"d":2147483647,"min":-9223372036854775808}',
    );
    const withSchema = new JsonConverter();
    withSchema.configure({}, false);
    const back = withSchema.toConnectData('t', withSchema.fromConnectData('t', schema, row));
    expect((back.value as Struct).equals(row)).toBe(true);
  });

  it('AvroData writes them as Avro longs/ints (a named long beyond 2^53 included) and reads them back', () => {
    const data = new AvroData();
    const node = parseAvroSchema(jsonText(data.fromConnectSchema(schema)));
    const avro = data.fromConnectData(schema, node, row);
    expect(avro).toEqual({ ts: 9223372036825200n, neg: -9223372036832400n, d: 2147483647, min: -9223372036854775808n });
    const type = avscType(JSON.parse(jsonText(data.fromConnectSchema(schema))));
    const bytes = type.toBuffer(avro);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('e08197def4a6e220'); // zig-zag varint of 9223372036825200
    const back = new AvroData().toConnectData(new AvroData().toConnectSchema(node), node, type.fromBuffer(bytes));
    for (const f of ['ts', 'neg', 'd', 'min']) expect((back as Struct).get(f)).toEqual(row.get(f));
  });

  it('ProtobufData rejects them naming the field, as google.protobuf.Timestamp stops at year 9999 (Confluent: Timestamps.checkValid)', () => {
    const data = new ProtobufData();
    const { file, messageName } = data.fromConnectSchema(schema);
    const type = parseProto(renderProto(file)).root.lookupType(messageName);
    expect(() => data.fromConnectData(schema, type, row)).toThrow(
      /"ts": 9223372036825200 epoch milliseconds are beyond/,
    );
  });
});
