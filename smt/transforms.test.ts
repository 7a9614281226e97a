/**
 * Table-driven tests per transform and predicate, cases from Kafka Connect's documentation and
 * its unit tests (InsertFieldTest, ReplaceFieldTest, ExtractFieldTest, ValueToKeyTest,
 * HoistFieldTest, MaskFieldTest, SetSchemaMetadataTest, FlattenTest, CastTest, RegexRouterTest,
 * TimestampRouterTest, DropHeadersTest, InsertHeaderTest, HeaderFromTest, predicate tests).
 * Each case asserts the exact output record parts.
 */
import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas, schemaEquals, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { ConnectTimestamp } from '../runtime/data/logical.ts';
import { Headers } from '../runtime/data/headers.ts';
import { SinkRecord, SourceRecord } from '../runtime/data/records.ts';
import { createPluginRegistry } from '../runtime/plugins/builtins.ts';
import type { AnyRecord, Predicate, Transformation } from '../runtime/spi/transformation.ts';

const registry = createPluginRegistry();

function transform(className: string, props: Record<string, string> = {}): Transformation {
  const t = registry.get(className, 'transformation').create();
  t.configure(props);
  return t;
}

function predicate(className: string, props: Record<string, string> = {}): Predicate {
  const p = registry.get(className, 'predicate').create();
  p.configure(props);
  return p;
}

const sink = (parts: Partial<ConstructorParameters<typeof SinkRecord>[0]> = {}) =>
  new SinkRecord({ topic: 'test', kafkaPartition: 0, kafkaOffset: 42, timestamp: 1_483_425_001_864, ...parts });

const simpleSchema = SchemaBuilder.struct().name('name').version(1).doc('doc').field('magic', Schemas.OPTIONAL_INT64).build();

describe('InsertField', () => {
  const props = { 'topic.field': 'topic_field!', 'partition.field': 'partition_field', 'timestamp.field': 'timestamp_field?', 'static.field': 'instance_id', 'static.value': 'my-instance-id', 'offset.field': 'offset_field' };

  it('copies schema basics and inserts fields with the documented schemas (schemaful)', () => {
    const r = transform('org.apache.kafka.connect.transforms.InsertField$Value', props).apply(sink({ valueSchema: simpleSchema, value: new Struct(simpleSchema).put('magic', 42) }))!;
    const s = r.valueSchema!;
    expect([s.name, s.version, s.doc]).toEqual(['name', 1, 'doc']);
    expect(s.fields.map((f) => [f.name, f.schema.type, f.schema.optional, f.schema.name])).toEqual([
      ['magic', 'int64', true, undefined],
      ['topic_field', 'string', false, undefined],
      ['partition_field', 'int32', true, undefined],
      ['offset_field', 'int64', true, undefined],
      ['timestamp_field', 'int64', true, ConnectTimestamp.LOGICAL_NAME],
      ['instance_id', 'string', true, undefined],
    ]);
    const v = r.value as Struct;
    expect([v.get('magic'), v.get('topic_field'), v.get('partition_field'), v.get('offset_field'), (v.get('timestamp_field') as Date).getTime(), v.get('instance_id')]).toEqual([42, 'test', 0, 42, 1_483_425_001_864, 'my-instance-id']);
  });

  it('inserts into maps (schemaless)', () => {
    const r = transform('InsertField$Value', props).apply(sink({ value: { magic: 42 } }))!;
    expect(r.value).toEqual({ magic: 42, topic_field: 'test', partition_field: 0, offset_field: 42, timestamp_field: 1_483_425_001_864, instance_id: 'my-instance-id' });
  });

  it('passes tombstones through and rejects offset.field on source records', () => {
    const t = transform('InsertField$Value', props);
    const tomb = sink({ value: null });
    expect(t.apply(tomb)).toBe(tomb);
    expect(() => t.apply(new SourceRecord({ topic: 't', value: { a: 1 } }))).toThrow(/Offset insertion is only supported for sink connectors/);
  });

  it('works on keys ($Key) and rejects non-map schemaless values', () => {
    const r = transform('InsertField$Key', { 'topic.field': 't' }).apply(sink({ key: { id: 1 } }))!;
    expect(r.key).toEqual({ id: 1, t: 'test' });
    expect(() => transform('InsertField$Value', { 'topic.field': 't' }).apply(sink({ value: 'a string' }))).toThrow('Only Map objects supported in absence of schema for [field insertion], found: java.lang.String');
  });
});

describe('ReplaceField', () => {
  const schema = SchemaBuilder.struct().field('dont', Schemas.STRING).field('abc', Schemas.INT32).field('foo', Schemas.BOOLEAN).field('etc', Schemas.STRING).build();
  const value = () => new Struct(schema).put('dont', 'whatever').put('abc', 42).put('foo', true).put('etc', 'etc');

  it.each([
    [{ exclude: 'dont', renames: 'abc:xyz,foo:bar' }, { xyz: 42, bar: true, etc: 'etc' }],
    [{ include: 'abc,foo', renames: 'abc:xyz' }, { xyz: 42, foo: true }],
    [{ include: 'abc,etc', exclude: 'etc' }, { abc: 42 }],
  ])('%j (schemaful and schemaless)', (props, expected) => {
    const t = transform('ReplaceField$Value', props as Record<string, string>);
    const r = t.apply(sink({ valueSchema: schema, value: value() }))!;
    expect(r.valueSchema!.fields.map((f) => f.name)).toEqual(Object.keys(expected));
    expect(Object.fromEntries(r.valueSchema!.fields.map((f) => [f.name, (r.value as Struct).get(f.name)]))).toEqual(expected);
    expect(t.apply(sink({ value: { dont: 'whatever', abc: 42, foo: true, etc: 'etc' } }))!.value).toEqual(expected);
  });

  it('names the replacement for the removed blacklist/whitelist keys', () => {
    expect(() => transform('ReplaceField$Value', { blacklist: 'a' })).toThrow('ReplaceField no longer supports "blacklist" (removed in Kafka 4.0): use "exclude" instead');
    expect(() => transform('ReplaceField$Value', { renames: 'a:b:c' })).toThrow(/Invalid rename mapping: a:b:c/);
  });
});

describe('ExtractField', () => {
  it.each([
    ['schemaless', sink({ key: { magic: 42 } }), null, 42],
    ['schemaless null', sink({ key: null }), null, null],
    ['schemaful', sink({ keySchema: SchemaBuilder.struct().field('magic', Schemas.INT32).build(), key: new Struct(SchemaBuilder.struct().field('magic', Schemas.INT32).build()).put('magic', 42) }), Schemas.INT32, 42],
  ])('%s', (_name, record, schema, expected) => {
    const r = transform('ExtractField$Key', { field: 'magic' }).apply(record)!;
    expect(schemaEquals(r.keySchema, schema as Schema | null)).toBe(true);
    expect(r.key).toBe(expected);
  });

  it('fails on unknown fields and rejects V2 paths with a clear error', () => {
    const s = SchemaBuilder.struct().field('a', Schemas.INT32).build();
    expect(() => transform('ExtractField$Key', { field: 'nope' }).apply(sink({ keySchema: s, key: new Struct(s).put('a', 1) }))).toThrow('Unknown field: nope');
    expect(() => transform('ExtractField$Key', { field: 'a.b', 'field.syntax.version': 'V2' })).toThrow(/V2.*not supported/);
  });
});

describe('ValueToKey', () => {
  it('builds a struct key from value fields (schemaful) and a map (schemaless)', () => {
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).field('c', Schemas.INT32).build();
    const r = transform('ValueToKey', { fields: 'a,b' }).apply(sink({ valueSchema: schema, value: new Struct(schema).put('a', 1).put('b', 2).put('c', 3) }))!;
    expect(r.keySchema!.fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect([(r.key as Struct).get('a'), (r.key as Struct).get('b')]).toEqual([1, 2]);
    expect(transform('ValueToKey', { fields: 'a,b' }).apply(sink({ value: { a: 1, b: 2, c: 3 } }))!.key).toEqual({ a: 1, b: 2 });
    expect(() => transform('ValueToKey', { fields: 'a,nope' }).apply(sink({ valueSchema: schema, value: new Struct(schema).put('a', 1).put('b', 2).put('c', 3) }))).toThrow('Field does not exist: nope');
  });
});

describe('HoistField', () => {
  it('wraps a value in a struct or map', () => {
    const r = transform('HoistField$Key', { field: 'magic' }).apply(sink({ keySchema: Schemas.INT32, key: 42 }))!;
    expect(r.keySchema!.fields.map((f) => [f.name, f.schema])).toEqual([['magic', Schemas.INT32]]);
    expect((r.key as Struct).get('magic')).toBe(42);
    expect(transform('HoistField$Key', { field: 'magic' }).apply(sink({ key: 42 }))!.key).toEqual({ magic: 42 });
  });
});

describe('MaskField', () => {
  const schema = SchemaBuilder.struct().field('int', Schemas.INT32).field('str', Schemas.STRING).field('bool', Schemas.BOOLEAN).field('arr', SchemaBuilder.array(Schemas.INT32).build()).field('keep', Schemas.STRING).build();
  const value = () => new Struct(schema).put('int', 42).put('str', 'secret').put('bool', true).put('arr', [1, 2]).put('keep', 'k');

  it('replaces with zero values', () => {
    const v = transform('MaskField$Value', { fields: 'int,str,bool,arr' }).apply(sink({ valueSchema: schema, value: value() }))!.value as Struct;
    expect([v.get('int'), v.get('str'), v.get('bool'), v.get('arr'), v.get('keep')]).toEqual([0, '', false, [], 'k']);
    expect(transform('MaskField$Value', { fields: 'int,str' }).apply(sink({ value: { int: 42, str: 's', other: 1 } }))!.value).toEqual({ int: 0, str: '', other: 1 });
  });

  it('uses a replacement for numbers and strings, and refuses it for other types', () => {
    const v = transform('MaskField$Value', { fields: 'int,str', replacement: '123' }).apply(sink({ valueSchema: schema, value: value() }))!.value as Struct;
    expect([v.get('int'), v.get('str')]).toEqual([123, '123']);
    expect(() => transform('MaskField$Value', { fields: 'bool', replacement: 'x' }).apply(sink({ valueSchema: schema, value: value() }))).toThrow('Cannot mask value of type boolean with custom replacement.');
  });
});

describe('SetSchemaMetadata', () => {
  it('sets name and version and rebinds the struct', () => {
    const r = transform('SetSchemaMetadata$Value', { 'schema.name': 'foo', 'schema.version': '42' }).apply(sink({ valueSchema: simpleSchema, value: new Struct(simpleSchema).put('magic', 7) }))!;
    expect([r.valueSchema!.name, r.valueSchema!.version]).toEqual(['foo', 42]);
    expect((r.value as Struct).schema).toBe(r.valueSchema);
    expect((r.value as Struct).get('magic')).toBe(7);
    expect(() => transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }).apply(sink({ value: { a: 1 } }))).toThrow('Schema required for [updating schema metadata]');
  });
});

describe('Flatten', () => {
  it('flattens nested structs with the delimiter, optional when the parent is', () => {
    const inner = SchemaBuilder.struct().field('x', Schemas.INT32).field('y', Schemas.STRING).optional().build();
    const schema = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', inner).build();
    const r = transform('Flatten$Value', { delimiter: '_' }).apply(sink({ valueSchema: schema, value: new Struct(schema).put('a', 1).put('b', new Struct(inner).put('x', 2).put('y', 'z')) }))!;
    expect(r.valueSchema!.fields.map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([['a', 'int32', false], ['b_x', 'int32', true], ['b_y', 'string', true]]);
    expect(Object.fromEntries(r.valueSchema!.fields.map((f) => [f.name, (r.value as Struct).get(f.name)]))).toEqual({ a: 1, b_x: 2, b_y: 'z' });
  });

  it('flattens nested maps, leaving arrays', () => {
    expect(transform('Flatten$Value').apply(sink({ value: { a: { b: { c: 1 } }, d: [1, 2], e: 'x' } }))!.value).toEqual({ 'a.b.c': 1, d: [1, 2], e: 'x' });
  });
});

describe('Cast', () => {
  const schema = SchemaBuilder.struct().field('i', Schemas.INT32).field('f', Schemas.FLOAT32).field('d', Schemas.FLOAT64).field('s', Schemas.STRING).field('b', Schemas.BOOLEAN).build();
  const value = () => new Struct(schema).put('i', 300).put('f', 0.1).put('d', 1e7).put('s', '42').put('b', true);

  it('casts fields with Java conversions', () => {
    const r = transform('Cast$Value', { spec: 'i:int8,f:string,d:string,s:int32,b:int16' }).apply(sink({ valueSchema: schema, value: value() }))!;
    expect(r.valueSchema!.fields.map((f) => f.schema.type)).toEqual(['int8', 'string', 'string', 'int32', 'int16']);
    const v = r.value as Struct;
    expect([v.get('i'), v.get('f'), v.get('d'), v.get('s'), v.get('b')]).toEqual([44, '0.1', '1.0E7', 42, 1]);
  });

  it('casts a whole value and schemaless maps', () => {
    const r = transform('Cast$Value', { spec: 'int64' }).apply(sink({ valueSchema: Schemas.INT32, value: 42 }))!;
    expect([r.valueSchema!.type, r.value]).toEqual(['int64', 42]);
    expect(transform('Cast$Value', { spec: 'a:boolean,b:float64' }).apply(sink({ value: { a: 'TRUE', b: '1.5', c: 'x' } }))!.value).toEqual({ a: true, b: 1.5, c: 'x' });
    expect(() => transform('Cast$Value', { spec: 'a:uuid' })).toThrow(/Cast transformations only support casting to int8/);
  });
});

describe('routers', () => {
  it.each([
    ['foo', 'bar', 'foo', 'bar'],
    ['(.*)foo(.*)', '$1bar$2', 'myfoobar', 'mybarbar'],
    ['(.*)-(\\d+)', '$1', 'orders-2024', 'orders'],
    ['foo', 'bar', 'not-foo', 'not-foo'],
  ])('RegexRouter %s -> %s: %s becomes %s', (regex, replacement, topic, expected) => {
    expect(transform('RegexRouter', { regex, replacement }).apply(sink({ topic }))!.topic).toBe(expected);
  });

  it('TimestampRouter formats the record timestamp in UTC', () => {
    expect(transform('TimestampRouter').apply(sink({ topic: 'test', timestamp: 1_483_425_001_864 }))!.topic).toBe('test-20170103');
    expect(transform('TimestampRouter', { 'topic.format': '${timestamp}_${topic}', 'timestamp.format': "yyyy-MM-dd'T'HH" }).apply(sink({ topic: 't', timestamp: 1_483_425_001_864 }))!.topic).toBe('2017-01-03T06_t');
    expect(() => transform('TimestampRouter').apply(sink({ timestamp: null }))).toThrow(/Timestamp missing on record/);
  });
});

describe('headers and Filter', () => {
  const headers = () => new Headers().addString('a', '1').addString('b', '2').addString('a', '3');

  it('Filter drops everything', () => {
    expect(transform('Filter').apply(sink())).toBeNull();
  });

  it('DropHeaders removes every header with the names', () => {
    expect([...transform('DropHeaders', { headers: 'a' }).apply(sink({ headers: headers() }))!.headers].map((h) => [h.key, h.value])).toEqual([['b', '2']]);
  });

  it('InsertHeader parses the literal', () => {
    const r = transform('InsertHeader', { header: 'h', 'value.literal': '42' }).apply(sink())!;
    expect(r.headers.lastWithName('h')).toEqual({ key: 'h', value: 42, schema: Schemas.INT8 });
    expect(transform('InsertHeader', { header: 'h', 'value.literal': 'hello' }).apply(sink())!.headers.lastWithName('h')!.value).toBe('hello');
  });

  it('HeaderFrom copies or moves fields into headers', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('region', Schemas.STRING).build();
    const moved = transform('HeaderFrom$Value', { fields: 'region', headers: 'x-region', operation: 'move' }).apply(sink({ valueSchema: schema, value: new Struct(schema).put('id', 1).put('region', 'eu') }))!;
    expect(moved.valueSchema!.fields.map((f) => f.name)).toEqual(['id']);
    expect(moved.headers.lastWithName('x-region')).toEqual({ key: 'x-region', value: 'eu', schema: Schemas.STRING });
    const copied = transform('HeaderFrom$Value', { fields: 'region', headers: 'x-region', operation: 'copy' }).apply(sink({ value: { id: 1, region: 'eu' } }))!;
    expect(copied.value).toEqual({ id: 1, region: 'eu' });
    expect(copied.headers.lastWithName('x-region')!.value).toBe('eu');
    expect(() => transform('HeaderFrom$Value', { fields: 'a,b', headers: 'x', operation: 'copy' })).toThrow("'fields' config must have the same number of elements as 'headers' config.");
  });
});

describe('predicates', () => {
  it.each([
    ['TopicNameMatches', { pattern: 'my-.*' }, sink({ topic: 'my-topic' }), true],
    ['TopicNameMatches', { pattern: 'my-.*' }, sink({ topic: 'your-topic' }), false],
    ['HasHeaderKey', { name: 'a' }, sink({ headers: new Headers().addString('a', '1') }), true],
    ['HasHeaderKey', { name: 'a' }, sink(), false],
    ['RecordIsTombstone', {}, sink({ value: null }), true],
    ['RecordIsTombstone', {}, sink({ value: 'x' }), false],
  ])('%s %j', (name, props, record, expected) => {
    expect(predicate(name, props as Record<string, string>).test(record as AnyRecord)).toBe(expected);
  });

  it('validates predicate configs', () => {
    expect(() => predicate('TopicNameMatches', { pattern: '[' })).toThrow(/not a valid regular expression/);
    expect(() => predicate('HasHeaderKey', {})).toThrow(/Missing required configuration "name"/);
  });
});
