/** io.debezium.transforms.ByLogicalTableRouter — cases from Debezium's ByLogicalTableRouterTest and topic-routing docs. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, type Schema, Struct, SourceRecord } from '../../sdk/data.ts';
import { expectRecord, transform } from '../testing.ts';

const CLS = 'io.debezium.transforms.ByLogicalTableRouter';
const ROUTE = { 'topic.regex': '(.*)customers_shard(.*)', 'topic.replacement': '$1customers_all_shards' };
const keyOf = (name: string) => SchemaBuilder.struct().name(name).field('id', Schemas.INT32).build();
const rowOf = (name: string) =>
  SchemaBuilder.struct()
    .name(name)
    .field('id', Schemas.INT32)
    .field('email', Schemas.OPTIONAL_STRING)
    .optional()
    .build();
const source = SchemaBuilder.struct().name('io.debezium.connector.mysql.Source').field('table', Schemas.STRING).build();
const envelopeOf = (prefix: string, row: Schema) =>
  SchemaBuilder.struct()
    .name(`${prefix}.Envelope`)
    .version(1)
    .field('before', row)
    .field('after', row)
    .field('source', source)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .build();

const T1 = 'myserver.mydb.customers_shard1';
const ALL = 'myserver.mydb.customers_all_shards';
const oldKey = keyOf(`${T1}.Key`);
const oldRow = rowOf(`${T1}.Value`);
const oldEnvelope = envelopeOf(T1, oldRow);

function change(topic = T1): SourceRecord {
  return new SourceRecord({
    topic,
    keySchema: oldKey,
    key: new Struct(oldKey).put('id', 123),
    valueSchema: oldEnvelope,
    value: new Struct(oldEnvelope)
      .put('after', new Struct(oldRow).put('id', 123).put('email', 'a@b'))
      .put('op', 'c')
      .put('source', new Struct(source).put('table', 'customers_shard1'))
      .put('ts_ms', 5),
  });
}

const newKey = (extra = true, name = `${ALL}.Key`) => {
  const b = SchemaBuilder.struct().name(name).field('id', Schemas.INT32);
  if (extra) b.field('__dbz__physicalTableIdentifier', Schemas.STRING);
  return b.build();
};
const newRow = rowOf(`${ALL}.Value`);
const newEnvelope = envelopeOf(ALL, newRow);
const newValue = () =>
  new Struct(newEnvelope)
    .put('after', new Struct(newRow).put('id', 123).put('email', 'a@b'))
    .put('op', 'c')
    .put('source', new Struct(source).put('table', 'customers_shard1'))
    .put('ts_ms', 5);

describe('ByLogicalTableRouter', () => {
  it('routes a shard to the logical topic, renaming schemas and adding the physical table to the key', () => {
    const input = change();
    expectRecord(transform(CLS, ROUTE).apply(input), input, {
      topic: ALL,
      keySchema: newKey(),
      key: new Struct(newKey()).put('id', 123).put('__dbz__physicalTableIdentifier', T1),
      valueSchema: newEnvelope,
      value: newValue(),
    });
  });

  it.each([
    [
      'key.field.regex / key.field.replacement',
      { 'key.field.regex': '(.*)customers_shard(.*)', 'key.field.replacement': '$2' },
      '__dbz__physicalTableIdentifier',
      '1',
    ],
    ['key.field.name', { 'key.field.name': 'shard' }, 'shard', T1],
    [
      'a key.field.regex that does not match keeps the old topic',
      { 'key.field.regex': 'nomatch', 'key.field.replacement': 'x' },
      '__dbz__physicalTableIdentifier',
      T1,
    ],
  ])('%s', (_n, props, field, identifier) => {
    const input = change();
    const keySchema = SchemaBuilder.struct()
      .name(`${ALL}.Key`)
      .field('id', Schemas.INT32)
      .field(field, Schemas.STRING)
      .build();
    expectRecord(transform(CLS, { ...ROUTE, ...props }).apply(input), input, {
      topic: ALL,
      keySchema,
      key: new Struct(keySchema).put('id', 123).put(field, identifier),
      valueSchema: newEnvelope,
      value: newValue(),
    });
  });

  it('key.enforce.uniqueness=false only renames the key schema', () => {
    const input = change();
    expectRecord(transform(CLS, { ...ROUTE, 'key.enforce.uniqueness': 'false' }).apply(input), input, {
      topic: ALL,
      keySchema: newKey(false),
      key: new Struct(newKey(false)).put('id', 123),
      valueSchema: newEnvelope,
      value: newValue(),
    });
  });

  it('schema.name.adjustment.mode=avro replaces characters Avro names cannot hold', () => {
    const input = change('my-server.db.customers_shard1');
    const keySchema = newKey(true, 'my_server.db.customers_all_shards.Key');
    const out = transform(CLS, { ...ROUTE, 'schema.name.adjustment.mode': 'avro' }).apply(input)!;
    expect(out.topic).toBe('my-server.db.customers_all_shards');
    expect(out.keySchema!.name).toBe(keySchema.name);
    expect(out.valueSchema!.name).toBe('my_server.db.customers_all_shards.Envelope');
    expect(out.valueSchema!.field('after')!.schema.name).toBe('my_server.db.customers_all_shards.Value');
  });

  it.each([
    [
      'a tombstone keeps its null value',
      () => new SourceRecord({ topic: T1, keySchema: oldKey, key: new Struct(oldKey).put('id', 123), value: null }),
      {
        topic: ALL,
        keySchema: newKey(),
        key: new Struct(newKey()).put('id', 123).put('__dbz__physicalTableIdentifier', T1),
        value: null,
      },
    ],
    [
      'a null key stays null and loses its schema',
      () =>
        new SourceRecord({ topic: T1, keySchema: oldKey, key: null, valueSchema: Schemas.STRING, value: 'heartbeat' }),
      { topic: ALL, keySchema: null, key: null },
    ],
    [
      'a non-envelope value keeps its value and schema',
      () => new SourceRecord({ topic: T1, valueSchema: Schemas.STRING, value: 'x' }),
      { topic: ALL },
    ],
  ])('%s', (_n, make, expected) => {
    const input = make();
    expectRecord(transform(CLS, ROUTE).apply(input), input, expected);
  });

  it('leaves records whose topic does not match unchanged', () => {
    const input = change('other.topic');
    expect(transform(CLS, ROUTE).apply(input)).toBe(input);
  });

  it('caches the renamed schemas', () => {
    const t = transform(CLS, ROUTE);
    const a = t.apply(change())!;
    const b = t.apply(change())!;
    expect(b.keySchema).toBe(a.keySchema);
    expect(b.valueSchema).toBe(a.valueSchema);
  });

  it('requires a struct key', () => {
    expect(() => transform(CLS, ROUTE).apply(new SourceRecord({ topic: T1, key: 'k' }))).toThrow(
      'Only Struct objects supported for [Updating schema], found: java.lang.String',
    );
  });

  it.each([
    [{ 'topic.replacement': 'x' }, 'Missing required configuration "topic.regex" which has no default value.'],
    [{ 'topic.regex': '(.*)' }, 'Missing required configuration "topic.replacement" which has no default value.'],
    [{ ...ROUTE, 'key.field.regex': '(.*)' }, 'key.field.replacement must be non-empty if key.field.regex is set.'],
    [{ 'topic.regex': '(', 'topic.replacement': 'x' }, 'Invalid value ( for configuration topic.regex: Invalid regex:'],
    [
      { 'topic.regex': '(.*)', 'topic.replacement': '$3' },
      'Invalid value $3 for configuration topic.replacement: No group 3',
    ],
  ])('config %j fails', (props, message) => {
    expect(() => transform(CLS, props)).toThrow(message);
  });
});
