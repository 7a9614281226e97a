/** ByLogicalTableRouter, cases after Debezium's ByLogicalTableRouterTest and the topic-routing docs. */
import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { createPluginRegistry } from '../../runtime/plugins/builtins.ts';

const registry = createPluginRegistry();
const router = (props: Record<string, string>) => {
  const t = registry.get('io.debezium.transforms.ByLogicalTableRouter', 'transformation').create();
  t.configure(props);
  return t;
};

const keySchema = SchemaBuilder.struct().name('mysql-server-1.inventory.customers_shard1.Key').field('id', Schemas.INT32).build();
const row = SchemaBuilder.struct().name('mysql-server-1.inventory.customers_shard1.Value').field('id', Schemas.INT32).field('name', Schemas.OPTIONAL_STRING).optional().build();
const envelope = SchemaBuilder.struct().name('mysql-server-1.inventory.customers_shard1.Envelope').field('before', row).field('after', row).field('op', Schemas.STRING).build();
const event = () => new SourceRecord({
  topic: 'mysql-server-1.inventory.customers_shard1',
  keySchema, key: new Struct(keySchema).put('id', 7),
  valueSchema: envelope, value: new Struct(envelope).put('after', new Struct(row).put('id', 7).put('name', 'ann')).put('op', 'c'),
});
const props = { 'topic.regex': '(.*)customers_shard(.*)', 'topic.replacement': '$1customers_all_shards' };

describe('ByLogicalTableRouter', () => {
  it('reroutes, renames schemas after the logical topic and makes keys unique', () => {
    const r = router(props).apply(event())!;
    expect(r.topic).toBe('mysql-server-1.inventory.customers_all_shards');
    expect(r.keySchema!.name).toBe('mysql-server-1.inventory.customers_all_shards.Key');
    expect(r.keySchema!.fields.map((f) => f.name)).toEqual(['id', '__dbz__physicalTableIdentifier']);
    expect((r.key as Struct).get('__dbz__physicalTableIdentifier')).toBe('mysql-server-1.inventory.customers_shard1');
    expect(r.valueSchema!.name).toBe('mysql-server-1.inventory.customers_all_shards.Envelope');
    expect(r.valueSchema!.field('after')!.schema.name).toBe('mysql-server-1.inventory.customers_all_shards.Value');
    expect(((r.value as Struct).get('after') as Struct).get('name')).toBe('ann');
  });

  it('derives the identifier with key.field.regex, or leaves keys alone without uniqueness', () => {
    const r = router({ ...props, 'key.field.name': 'shard_id', 'key.field.regex': '(.*)customers_shard(.*)', 'key.field.replacement': '$2' }).apply(event())!;
    expect((r.key as Struct).get('shard_id')).toBe('1');
    const plain = router({ ...props, 'key.enforce.uniqueness': 'false' }).apply(event())!;
    expect(plain.keySchema!.fields.map((f) => f.name)).toEqual(['id']);
  });

  it('keeps tombstones as tombstones and passes other topics through', () => {
    const tomb = new SourceRecord({ topic: 'mysql-server-1.inventory.customers_shard2', keySchema, key: new Struct(keySchema).put('id', 1), value: null });
    const r = router(props).apply(tomb)!;
    expect([r.topic, r.value, (r.key as Struct).get('__dbz__physicalTableIdentifier')]).toEqual(['mysql-server-1.inventory.customers_all_shards', null, 'mysql-server-1.inventory.customers_shard2']);
    const other = new SourceRecord({ topic: 'mysql-server-1.inventory.orders', value: 'x' });
    expect(router(props).apply(other)).toBe(other);
  });
});
