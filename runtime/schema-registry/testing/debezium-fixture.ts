/**
 * A Debezium-like change event (key and envelope) exercising every Connect type, logical type and
 * Debezium semantic type the registry converters must carry: named primitives with versions and
 * parameters, VariableScaleDecimal (a named struct), optional with defaults, maps with string and
 * non-string keys, arrays, and the same struct schema used twice (before/after).
 */
import { SchemaBuilder, type Schema } from '../../data/schema.ts';
import { Struct } from '../../data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../data/logical.ts';

export interface ChangeEventFixture {
  keySchema: Schema;
  valueSchema: Schema;
  rowSchema: Schema;
  key: Struct;
  value: Struct;
}

export function debeziumFixture(
  prefix = 'srv.inventory.customers',
  opts: { extraColumn?: boolean } = {},
): ChangeEventFixture {
  const col = (type: string) => ({ '__debezium.source.column.type': type });
  const keySchema = SchemaBuilder.struct().name(`${prefix}.Key`).field('id', SchemaBuilder.int32().build()).build();
  const variableScale = SchemaBuilder.struct()
    .name('io.debezium.data.VariableScaleDecimal')
    .version(1)
    .doc('Variable scaled decimal')
    .field('scale', SchemaBuilder.int32().build())
    .field('value', SchemaBuilder.bytes().build())
    .optional()
    .build();
  const row = SchemaBuilder.struct()
    .name(`${prefix}.Value`)
    .field('id', SchemaBuilder.int32().parameters(col('INT4')).build())
    .field(
      'name',
      SchemaBuilder.string()
        .optional()
        .parameters({ ...col('VARCHAR'), __debezium_column_length: '255' })
        .build(),
    )
    .field('balance', Decimal.builder(2).parameter('connect.decimal.precision', '10').optional().build())
    .field('amount', Decimal.builder(0).optional().build())
    .field('created', SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').version(1).optional().build())
    .field('updated', SchemaBuilder.string().name('io.debezium.time.ZonedTimestamp').version(1).optional().build())
    .field('birth', ConnectDate.builder().optional().build())
    .field('alarm', ConnectTime.builder().optional().build())
    .field('seen', ConnectTimestamp.builder().optional().build())
    .field('doc', SchemaBuilder.string().name('io.debezium.data.Json').version(1).optional().build())
    .field(
      'status',
      SchemaBuilder.string()
        .name('io.debezium.data.Enum')
        .version(1)
        .parameter('allowed', 'new,active,closed')
        .optional()
        .build(),
    )
    .field('tiny', SchemaBuilder.int8().build())
    .field('small', SchemaBuilder.int16().optional().build())
    .field('big', SchemaBuilder.int64().build())
    .field('price', variableScale)
    .field('ratio', SchemaBuilder.float32().optional().build())
    .field('score', SchemaBuilder.float64().build())
    .field('active', SchemaBuilder.bool().defaultValue(false).build())
    .field('level', SchemaBuilder.int32().optional().defaultValue(3).build())
    .field('raw', SchemaBuilder.bytes().optional().build())
    .field('tags', SchemaBuilder.array(SchemaBuilder.string().build()).optional().build())
    .field(
      'attrs',
      SchemaBuilder.map(SchemaBuilder.string().build(), SchemaBuilder.string().optional().build()).optional().build(),
    )
    .field(
      'weights',
      SchemaBuilder.map(SchemaBuilder.int32().build(), SchemaBuilder.float64().build()).optional().build(),
    );
  if (opts.extraColumn) row.field('email', SchemaBuilder.string().optional().build());
  const rowSchema = row.optional().build();
  const source = SchemaBuilder.struct()
    .name('io.debezium.connector.postgresql.Source')
    .field('version', SchemaBuilder.string().build())
    .field('connector', SchemaBuilder.string().build())
    .field('name', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().build())
    .field(
      'snapshot',
      SchemaBuilder.string()
        .name('io.debezium.data.Enum')
        .version(1)
        .parameter('allowed', 'true,last,false,incremental')
        .optional()
        .defaultValue('false')
        .build(),
    )
    .field('db', SchemaBuilder.string().build())
    .field('sequence', SchemaBuilder.string().optional().build())
    .field('schema', SchemaBuilder.string().build())
    .field('table', SchemaBuilder.string().build())
    .field('txId', SchemaBuilder.int64().optional().build())
    .field('lsn', SchemaBuilder.int64().optional().build())
    .build();
  const block = SchemaBuilder.struct()
    .name('event.block')
    .version(1)
    .field('id', SchemaBuilder.string().build())
    .field('total_order', SchemaBuilder.int64().build())
    .field('data_collection_order', SchemaBuilder.int64().build())
    .optional()
    .build();
  const valueSchema = SchemaBuilder.struct()
    .name(`${prefix}.Envelope`)
    .version(2)
    .field('before', rowSchema)
    .field('after', rowSchema)
    .field('source', source)
    .field('op', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().optional().build())
    .field('transaction', block)
    .build();

  const after = new Struct(rowSchema)
    .put('id', 1001)
    .put('name', 'Sally Thomas')
    .put('balance', new BigDecimal(-123456n, 2))
    .put('amount', new BigDecimal(99999999999999999999n, 0))
    .put('created', 1_700_000_000_123_456)
    .put('updated', '2023-11-14T22:13:20.123456Z')
    .put('birth', new Date(Date.UTC(1990, 4, 17)))
    .put('alarm', new Date(8 * 3600_000 + 30 * 60_000 + 15_250))
    .put('seen', new Date(1_700_000_000_123))
    .put('doc', '{"a":[1,2]}')
    .put('status', 'active')
    .put('tiny', -7)
    .put('small', 31000)
    .put('big', 9_223_372_036_854_775_807n)
    .put('price', new Struct(variableScale).put('scale', 3).put('value', Buffer.from([0x01, 0xe2, 0x40])))
    .put('ratio', 0.5)
    .put('score', -1.25e300)
    .put('active', true)
    .put('level', 4)
    .put('raw', Buffer.from([0, 255, 1, 128]))
    .put('tags', ['a', 'b'])
    .put(
      'attrs',
      new Map<string, string | null>([
        ['k', 'v'],
        ['n', null],
      ]),
    )
    .put(
      'weights',
      new Map<number, number>([
        [1, 0.25],
        [2, 4],
      ]),
    );
  if (opts.extraColumn) after.put('email', 'sally@example.com');
  const value = new Struct(valueSchema)
    .put('before', null)
    .put('after', after)
    .put(
      'source',
      new Struct(source)
        .put('version', '2.7.0.Final')
        .put('connector', 'postgresql')
        .put('name', 'srv')
        .put('ts_ms', 1_700_000_000_000)
        .put('snapshot', 'false')
        .put('db', 'inventory')
        .put('schema', 'public')
        .put('table', 'customers')
        .put('txId', 555)
        .put('lsn', 24023128),
    )
    .put('op', 'c')
    .put('ts_ms', 1_700_000_000_500)
    .put('transaction', null);
  return { keySchema, valueSchema, rowSchema, key: new Struct(keySchema).put('id', 1001), value };
}
