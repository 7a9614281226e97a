/** The plugin descriptors: every class under its Kafka Connect / Debezium name and Tributary alias, wired through the real chain builder. */
import { describe, expect, it } from 'vitest';
import { createPluginRegistry, loadedPluginRegistry } from '../app/builtins.ts';
import { buildTransformationChain } from '../runtime/worker/transformation-chain.ts';
import { SchemaBuilder, Schemas, Struct } from '../sdk/data.ts';
import { transformPlugins } from './index.ts';
import { expectRecord, sourceRecord } from './testing.ts';

const KC = 'org.apache.kafka.connect.transforms';
const KV = [
  'InsertField',
  'ReplaceField',
  'MaskField',
  'ExtractField',
  'HoistField',
  'Cast',
  'TimestampConverter',
  'Flatten',
  'SetSchemaMetadata',
  'HeaderFrom',
];
const SINGLE = ['ValueToKey', 'RegexRouter', 'TimestampRouter', 'Filter', 'DropHeaders', 'InsertHeader'];
const DEBEZIUM = [
  'io.debezium.transforms.ExtractNewRecordState',
  'io.debezium.transforms.ByLogicalTableRouter',
  'io.debezium.transforms.outbox.EventRouter',
  'io.debezium.transforms.Filter',
  'io.debezium.transforms.ContentBasedRouter',
];
const PREDICATES = ['TopicNameMatches', 'HasHeaderKey', 'RecordIsTombstone'];

describe('transformPlugins', () => {
  it('lists every class once, with version 1.0.0, a tributary.smt alias, a fresh instance and a ConfigDef', async () => {
    const expected = [
      ...KV.flatMap((n) => [`${KC}.${n}$Key`, `${KC}.${n}$Value`]).map((c) => ['transformation', c]),
      ...SINGLE.map((n) => ['transformation', `${KC}.${n}`]),
      ...DEBEZIUM.map((c) => ['transformation', c]),
      ...PREDICATES.map((n) => ['predicate', `${KC}.predicates.${n}`]),
    ].sort();
    expect(transformPlugins.map((d) => [d.type, d.className]).sort()).toEqual(expected);
    for (const d of transformPlugins) {
      expect(d.version).toBe('1.0.0');
      expect(d.aliases?.[0]).toMatch(/^tributary\.smt\./);
      const create = await d.load();
      const a = create();
      expect(a).not.toBe(create());
      expect(a.config().keys).toBeInstanceOf(Map);
    }
    expect(transformPlugins.find((d) => d.className === `${KC}.InsertField$Value`)!.aliases).toEqual([
      'tributary.smt.InsertField$Value',
    ]);
  });

  it.each([
    ['org.apache.kafka.connect.transforms.InsertField$Value'],
    ['InsertField$Value'],
    ['tributary.smt.InsertField$Value'],
  ])('finds InsertField$Value as %s', (name) => {
    expect(createPluginRegistry().get(name, 'transformation').className).toBe(`${KC}.InsertField$Value`);
  });

  it("keeps Kafka Connect's Filter under the simple name and Debezium's under its class name", () => {
    const r = createPluginRegistry();
    expect(r.get('Filter', 'transformation').className).toBe(`${KC}.Filter`);
    expect(r.get('io.debezium.transforms.Filter', 'transformation').className).toBe('io.debezium.transforms.Filter');
    expect(r.get('tributary.smt.ContentFilter', 'transformation').className).toBe('io.debezium.transforms.Filter');
  });

  it('runs a chain configured exactly as Kafka Connect configs are written', async () => {
    const row = SchemaBuilder.struct()
      .name('db.public.orders.Value')
      .field('id', Schemas.INT32)
      .field('secret', Schemas.OPTIONAL_STRING)
      .optional()
      .build();
    const env = SchemaBuilder.struct()
      .name('db.public.orders.Envelope')
      .field('before', row)
      .field('after', row)
      .field('source', SchemaBuilder.struct().field('table', Schemas.STRING).build())
      .field('op', Schemas.STRING)
      .build();
    const chain = buildTransformationChain(
      {
        transforms: 'unwrap,mask,route,key',
        'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
        'transforms.unwrap.add.fields': 'op',
        'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value',
        'transforms.mask.fields': 'secret',
        'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
        'transforms.route.regex': 'db\\.public\\.(.*)',
        'transforms.route.replacement': 'orders-$1',
        'transforms.route.predicate': 'isOrders',
        'transforms.key.type': 'org.apache.kafka.connect.transforms.ValueToKey',
        'transforms.key.fields': 'id',
        'transforms.key.predicate': 'tombstone',
        'transforms.key.negate': 'true',
        predicates: 'isOrders,tombstone',
        'predicates.isOrders.type': 'org.apache.kafka.connect.transforms.predicates.TopicNameMatches',
        'predicates.isOrders.pattern': 'db\\.public\\.orders',
        'predicates.tombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
      },
      await loadedPluginRegistry(),
    );
    const input = sourceRecord({
      topic: 'db.public.orders',
      valueSchema: env,
      value: new Struct(env)
        .put('after', new Struct(row).put('id', 1).put('secret', 's3cret'))
        .put('op', 'c')
        .put('source', new Struct(env.field('source')!.schema).put('table', 'orders')),
    });
    const out = SchemaBuilder.struct()
      .name('db.public.orders.Value')
      .field('id', Schemas.INT32)
      .field('secret', Schemas.OPTIONAL_STRING)
      .field('__op', Schemas.OPTIONAL_STRING)
      .build();
    const key = SchemaBuilder.struct().field('id', Schemas.INT32).build();
    expectRecord(chain.apply(input), input, {
      topic: 'orders-orders',
      keySchema: key,
      key: new Struct(key).put('id', 1),
      valueSchema: out,
      value: new Struct(out).put('id', 1).put('secret', '').put('__op', 'c'),
    });
  });
});
