/** Debezium-shaped change events for mainframe records: before/after/source/op/ts_ms. */
import { SchemaBuilder, type Schema, Struct } from '../../../sdk/data.ts';

export const SOURCE_SCHEMA_NAME = 'io.tributary.connector.mainframe.Source';

export function sourceSchema(): Schema {
  return SchemaBuilder.struct()
    .name(SOURCE_SCHEMA_NAME)
    .field('version', SchemaBuilder.string().build())
    .field('connector', SchemaBuilder.string().build())
    .field('name', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().build())
    .field(
      'snapshot',
      SchemaBuilder.string()
        .optional()
        .name('io.debezium.data.Enum')
        .version(1)
        .parameter('allowed', 'true,last,false,incremental')
        .defaultValue('false')
        .build(),
    )
    .field('file', SchemaBuilder.string().build())
    .field('pos', SchemaBuilder.int64().build())
    .field('segment', SchemaBuilder.string().optional().build())
    .build();
}

/** Envelope schema `<topic>.Envelope` (version 2) over a value schema renamed `<topic>.Value`. */
export function envelopeSchema(topic: string, value: Schema, source: Schema): Schema {
  return SchemaBuilder.struct()
    .name(`${topic}.Envelope`)
    .version(2)
    .field('before', value)
    .field('after', value)
    .field('source', source)
    .field(
      'transaction',
      SchemaBuilder.struct()
        .name('event.block')
        .version(1)
        .optional()
        .field('id', SchemaBuilder.string().build())
        .field('total_order', SchemaBuilder.int64().build())
        .field('data_collection_order', SchemaBuilder.int64().build())
        .build(),
    )
    .field('op', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().optional().build())
    .field('ts_us', SchemaBuilder.int64().optional().build())
    .field('ts_ns', SchemaBuilder.int64().optional().build())
    .build();
}

export function envelope(
  schema: Schema,
  op: string,
  before: Struct | null,
  after: Struct | null,
  source: Struct,
  now: number,
): Struct {
  const s = new Struct(schema).put('before', before).put('after', after).put('source', source).put('op', op);
  s.put('ts_ms', now)
    .put('ts_us', now * 1000)
    .put('ts_ns', BigInt(now) * 1_000_000n);
  return s;
}
