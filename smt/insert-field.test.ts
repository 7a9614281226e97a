/** InsertField$Key / $Value — cases from Kafka Connect's InsertFieldTest and the InsertField docs. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, ConnectTimestamp, type ConnectRecord } from '../sdk/data.ts';
import { expectRecord, sinkRecord, sourceRecord, transform, type ExpectedRecord } from './testing.ts';

const ALL = {
  'topic.field': 'topic_field!',
  'partition.field': 'partition_field',
  'timestamp.field': 'timestamp_field?',
  'static.field': 'instance_id',
  'static.value': 'my-instance-id',
};
const simple = SchemaBuilder.struct().name('name').version(1).doc('doc').field('magic', Schemas.OPTIONAL_INT64).build();
const expectedSchema = SchemaBuilder.struct()
  .name('name')
  .version(1)
  .doc('doc')
  .field('magic', Schemas.OPTIONAL_INT64)
  .field('topic_field', Schemas.STRING)
  .field('partition_field', Schemas.OPTIONAL_INT32)
  .field('timestamp_field', ConnectTimestamp.builder().optional().build())
  .field('instance_id', Schemas.OPTIONAL_STRING)
  .build();
const withDefault = SchemaBuilder.struct().field('a', SchemaBuilder.int32().optional().defaultValue(7).build()).build();

interface Case {
  name: string;
  cls: string;
  props: Record<string, string>;
  input: ConnectRecord<any>;
  expected: ExpectedRecord | 'same';
}

const cases: Case[] = [
  {
    name: 'copies the schema basics and inserts the configured fields (schemaful)',
    cls: 'InsertField$Value',
    props: ALL,
    input: sourceRecord({ timestamp: 789, valueSchema: simple, value: new Struct(simple).put('magic', 42) }),
    expected: {
      valueSchema: expectedSchema,
      value: new Struct(expectedSchema)
        .put('magic', 42)
        .put('topic_field', 'test')
        .put('partition_field', 0)
        .put('timestamp_field', new Date(789))
        .put('instance_id', 'my-instance-id'),
    },
  },
  {
    name: 'inserts into a map (schemaless)',
    cls: 'InsertField$Value',
    props: ALL,
    input: sourceRecord({ timestamp: 123, value: { magic: 42 } }),
    expected: {
      value: {
        magic: 42,
        topic_field: 'test',
        partition_field: 0,
        timestamp_field: 123,
        instance_id: 'my-instance-id',
      },
    },
  },
  {
    name: 'skips partition and timestamp when the record has none (schemaless)',
    cls: 'InsertField$Value',
    props: ALL,
    input: sourceRecord({ kafkaPartition: null, timestamp: null, value: { magic: 42 } }),
    expected: { value: { magic: 42, topic_field: 'test', instance_id: 'my-instance-id' } },
  },
  {
    name: 'leaves a tombstone without schema unchanged',
    cls: 'InsertField$Value',
    props: ALL,
    input: sourceRecord({ value: null }),
    expected: 'same',
  },
  {
    name: 'leaves a tombstone with schema unchanged',
    cls: 'InsertField$Value',
    props: ALL,
    input: sourceRecord({ valueSchema: simple, value: null }),
    expected: 'same',
  },
  {
    name: 'inserts into the key of a tombstone ($Key)',
    cls: 'InsertField$Key',
    props: ALL,
    input: sourceRecord({ key: { magic: 42 }, value: null, timestamp: null }),
    expected: { key: { magic: 42, topic_field: 'test', partition_field: 0, instance_id: 'my-instance-id' } },
  },
  {
    name: 'leaves a null key unchanged ($Key)',
    cls: 'InsertField$Key',
    props: ALL,
    input: sourceRecord({ key: null, value: { magic: 42 } }),
    expected: 'same',
  },
  {
    name: 'inserts the offset of a sink record',
    cls: 'InsertField$Value',
    props: { 'offset.field': 'offset!' },
    input: sinkRecord({ valueSchema: simple, value: new Struct(simple).put('magic', 1) }),
    expected: {
      valueSchema: SchemaBuilder.struct()
        .name('name')
        .version(1)
        .doc('doc')
        .field('magic', Schemas.OPTIONAL_INT64)
        .field('offset', Schemas.INT64)
        .build(),
      value: new Struct(
        SchemaBuilder.struct()
          .name('name')
          .version(1)
          .doc('doc')
          .field('magic', Schemas.OPTIONAL_INT64)
          .field('offset', Schemas.INT64)
          .build(),
      )
        .put('magic', 1)
        .put('offset', 42),
    },
  },
  {
    name: 'replaces null with the field default (replace.null.with.default=true)',
    cls: 'InsertField$Value',
    props: { 'static.field': 's', 'static.value': 'v' },
    input: sourceRecord({ valueSchema: withDefault, value: new Struct(withDefault).put('a', null) }),
    expected: {
      valueSchema: SchemaBuilder.struct()
        .field('a', SchemaBuilder.int32().optional().defaultValue(7).build())
        .field('s', Schemas.OPTIONAL_STRING)
        .build(),
      value: new Struct(
        SchemaBuilder.struct()
          .field('a', SchemaBuilder.int32().optional().defaultValue(7).build())
          .field('s', Schemas.OPTIONAL_STRING)
          .build(),
      )
        .put('a', 7)
        .put('s', 'v'),
    },
  },
  {
    name: 'keeps null (replace.null.with.default=false)',
    cls: 'InsertField$Value',
    props: { 'static.field': 's', 'static.value': 'v', 'replace.null.with.default': 'false' },
    input: sourceRecord({ valueSchema: withDefault, value: new Struct(withDefault).put('a', null) }),
    expected: {
      valueSchema: SchemaBuilder.struct()
        .field('a', SchemaBuilder.int32().optional().defaultValue(7).build())
        .field('s', Schemas.OPTIONAL_STRING)
        .build(),
      value: new Struct(
        SchemaBuilder.struct()
          .field('a', SchemaBuilder.int32().optional().defaultValue(7).build())
          .field('s', Schemas.OPTIONAL_STRING)
          .build(),
      )
        .put('a', null)
        .put('s', 'v'),
    },
  },
];

describe('InsertField', () => {
  it.each(cases)('$name', ({ cls, props, input, expected }) => {
    const out = transform(`org.apache.kafka.connect.transforms.${cls}`, props).apply(input);
    if (expected === 'same') expect(out).toBe(input);
    else expectRecord(out, input, expected);
  });

  it('caches the updated schema per input schema', () => {
    const t = transform('org.apache.kafka.connect.transforms.InsertField$Value', ALL);
    const a = t.apply(sourceRecord({ valueSchema: simple, value: new Struct(simple).put('magic', 1) }))!;
    const b = t.apply(sourceRecord({ kafkaPartition: 1, valueSchema: simple, value: new Struct(simple) }))!;
    expect(b.valueSchema).toBe(a.valueSchema);
  });

  it.each([
    [
      'a struct value needs a struct schema',
      sourceRecord({ valueSchema: Schemas.INT32, value: 42 }),
      'Only Struct objects supported for [field insertion], found: java.lang.Integer',
    ],
    [
      'a schemaless value must be a map',
      sourceRecord({ value: 'text' }),
      'Only Map objects supported in absence of schema for [field insertion], found: java.lang.String',
    ],
  ])('%s', (_name, input, message) => {
    expect(() => transform('InsertField$Value', { 'topic.field': 't' }).apply(input)).toThrow(message);
  });

  it('refuses offset insertion on source records', () => {
    expect(() =>
      transform('InsertField$Value', { 'offset.field': 'o' }).apply(sourceRecord({ value: { a: 1 } })),
    ).toThrow('Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord');
  });

  it.each([
    [{}, 'No field insertion configured'],
    [
      { 'static.field': 'instance_id' },
      'Invalid value null for configuration static.value: No value specified for static field: instance_id',
    ],
    [
      { 'topic.field': 't', 'replace.null.with.default': 'maybe' },
      'Invalid value maybe for configuration replace.null.with.default: Expected value to be either true or false',
    ],
  ])('config %j fails: %s', (props, message) => {
    expect(() => transform('InsertField$Value', props)).toThrow(message);
  });
});
