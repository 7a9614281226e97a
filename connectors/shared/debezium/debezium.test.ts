import { describe, it, expect } from 'vitest';
import { JsonConverter } from '../../../sdk/internal/converters.ts';
import { Schemas, SchemaBuilder, Struct, SourceRecord } from '../../../sdk/data.ts';
import {
  envelopeSchema,
  envelopeValue,
  rowSchema,
  keySchema,
  sourceInfoSchemaBuilder,
  putCommonSourceFields,
  TransactionContext,
  transactionEndValue,
  TRANSACTION_VALUE_SCHEMA,
  heartbeatRecord,
  tombstoneFor,
  zonedTimestampUtc,
  durationMicros,
  intervalText,
  SemanticTypes,
  dataChangeTopic,
  heartbeatTopic,
  zoneOffsetId,
  isoFraction,
  DEBEZIUM_COMPAT_VERSION,
} from './index.ts';

const json = (schema: Parameters<JsonConverter['fromConnectData']>[1], value: unknown): string => {
  const c = new JsonConverter();
  c.configure({}, false);
  return c.fromConnectData('t', schema, value)!.toString();
};

describe('Debezium envelope', () => {
  const topic = dataChangeTopic('pg1', ['public', 'orders']);
  const source = sourceInfoSchemaBuilder()
    .name('io.debezium.connector.postgresql.Source')
    .field('schema', Schemas.STRING)
    .field('table', Schemas.STRING)
    .build();
  const row = rowSchema(topic, [
    { name: 'id', schema: SchemaBuilder.int32().defaultValue(0).build() },
    { name: 'note', schema: Schemas.OPTIONAL_STRING },
  ]);
  const env = envelopeSchema(topic, row, source);

  it('has the 3.x field order, names and versions', () => {
    expect(env.name).toBe('pg1.public.orders.Envelope');
    expect(env.version).toBe(2);
    expect(env.fields.map((f) => f.name)).toEqual([
      'before',
      'after',
      'source',
      'transaction',
      'op',
      'ts_ms',
      'ts_us',
      'ts_ns',
    ]);
    expect(keySchema(topic, [])).toBeNull();
    expect(keySchema(topic, [{ name: 'id', schema: Schemas.INT32 }])!.name).toBe('pg1.public.orders.Key');
  });

  it('renders through JsonConverter as Debezium does (snapshot default "false", transaction block)', () => {
    const s = putCommonSourceFields(new Struct(source), {
      connector: 'postgresql',
      name: 'pg1',
      tsMicros: 1714567000123456n,
      db: 'inventorydb',
      sequence: '["1","2"]',
    })
      .put('schema', 'public')
      .put('table', 'orders');
    const tx = new TransactionContext('571:24023128');
    const v = envelopeValue(env, {
      after: new Struct(row).put('id', 42).put('note', 'paid'),
      source: s,
      transaction: tx.nextEventBlock('public.orders'),
      op: 'c',
      tsMicros: 1714567000200987n,
    });
    const out = JSON.parse(json(env, v)) as {
      schema: { fields: Array<Record<string, unknown>> };
      payload: Record<string, unknown>;
    };
    expect(out.payload).toEqual({
      before: null,
      after: { id: 42, note: 'paid' },
      source: {
        version: DEBEZIUM_COMPAT_VERSION,
        connector: 'postgresql',
        name: 'pg1',
        ts_ms: 1714567000123,
        snapshot: 'false',
        db: 'inventorydb',
        sequence: '["1","2"]',
        ts_us: 1714567000123456,
        ts_ns: 1714567000123456000,
        schema: 'public',
        table: 'orders',
      },
      transaction: { id: '571:24023128', total_order: 1, data_collection_order: 1 },
      op: 'c',
      ts_ms: 1714567000200,
      ts_us: 1714567000200987,
      ts_ns: 1714567000200987000,
    });
    expect(JSON.stringify(out.schema.fields[2])).toBe(
      '{"type":"struct","fields":[{"type":"string","optional":false,"field":"version"},{"type":"string","optional":false,"field":"connector"},{"type":"string","optional":false,"field":"name"},{"type":"int64","optional":false,"field":"ts_ms"},{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},"default":"false","field":"snapshot"},{"type":"string","optional":false,"field":"db"},{"type":"string","optional":true,"field":"sequence"},{"type":"int64","optional":true,"field":"ts_us"},{"type":"int64","optional":true,"field":"ts_ns"},{"type":"string","optional":false,"field":"schema"},{"type":"string","optional":false,"field":"table"}],"optional":false,"name":"io.debezium.connector.postgresql.Source","version":1,"field":"source"}',
    );
    expect(JSON.stringify(out.schema.fields[3])).toBe(
      '{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},{"type":"int64","optional":false,"field":"total_order"},{"type":"int64","optional":false,"field":"data_collection_order"}],"optional":true,"name":"event.block","version":1,"field":"transaction"}',
    );
  });

  it('builds END transaction records with per-collection counts', () => {
    const tx = new TransactionContext('7:100');
    tx.nextEventBlock('public.a');
    tx.nextEventBlock('public.b');
    expect(tx.nextEventBlock('public.a').get('data_collection_order')).toBe(2);
    expect(
      json(TRANSACTION_VALUE_SCHEMA, transactionEndValue(tx, 5)).endsWith(
        '"payload":{"status":"END","id":"7:100","event_count":3,"data_collections":[{"data_collection":"public.a","event_count":2},{"data_collection":"public.b","event_count":1}],"ts_ms":5}}',
      ),
    ).toBe(true);
  });

  it('heartbeats and tombstones', () => {
    const hb = heartbeatRecord({
      topic: heartbeatTopic('pg1'),
      serverName: 'pg1',
      partition: { server: 'pg1' },
      offset: { lsn: 1 },
      nowMs: 9,
    });
    expect(hb.topic).toBe('__debezium-heartbeat.pg1');
    expect(json(hb.keySchema, hb.key)).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"serverName"}],"optional":false,"name":"io.debezium.connector.common.ServerNameKey","version":1},"payload":{"serverName":"pg1"}}',
    );
    expect(json(hb.valueSchema, hb.value)).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"ts_ms"}],"optional":false,"name":"io.debezium.connector.common.Heartbeat","version":1},"payload":{"ts_ms":9}}',
    );
    const t = tombstoneFor(
      new SourceRecord({ topic: 'x', key: 1, keySchema: Schemas.INT32, value: 'v', valueSchema: Schemas.STRING }),
    );
    expect([t.key, t.value, t.valueSchema]).toEqual([1, null, null]);
  });
});

describe('semantic types and temporal text', () => {
  it('schema JSON of semantic types', () => {
    expect(json(SemanticTypes.bits(10).optional().build(), null)).toBe(
      '{"schema":{"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"10"}},"payload":null}',
    );
    expect(
      json(SemanticTypes.decimal(2, 10).optional().build(), null).startsWith(
        '{"schema":{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"}}',
      ),
    ).toBe(true);
    expect(SemanticTypes.variableScaleDecimal().build().doc).toBe('Variable scaled decimal');
  });

  it('formats ZonedTimestamp like ISO_OFFSET_DATE_TIME', () => {
    expect(zonedTimestampUtc(1529501823000000000n)).toBe('2018-06-20T13:37:03Z');
    expect(zonedTimestampUtc(1529501823123000000n)).toBe('2018-06-20T13:37:03.123Z');
    expect(zonedTimestampUtc(1529501823123000000n, 6)).toBe('2018-06-20T13:37:03.123000Z');
    expect(zonedTimestampUtc(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(isoFraction(120_000_000)).toBe('.12');
    expect(zoneOffsetId(-5 * 3600 - 30 * 60)).toBe('-05:30');
  });

  it('computes MicroDuration and Interval as Debezium', () => {
    expect(durationMicros(1, 2, 3, 4, 5, 6.5)).toBe(37091106500000);
    expect(intervalText(1, 2, 3, 4, 5, 6.5)).toBe('P1Y2M3DT4H5M6.5S');
  });
});
