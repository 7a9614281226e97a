/** ExtractField$Key / $Value — cases from Kafka Connect's ExtractFieldTest, including KIP-821 nested paths (V2). */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct, type ConnectRecord } from '../sdk/data.ts';
import { expectRecord, sinkRecord, transform, type ExpectedRecord } from './testing.ts';

const magic = SchemaBuilder.struct().field('magic', Schemas.INT32).build();
const foo = SchemaBuilder.struct().field('foo', Schemas.INT32).build();
const nested = SchemaBuilder.struct().field('magic', foo).build();
const dotted = SchemaBuilder.struct().field('magic.foo', Schemas.STRING).field('magic', foo).build();
const optionalKey = SchemaBuilder.struct().field('magic', Schemas.INT32).optional().build();
const withDefault = SchemaBuilder.struct().field('a', SchemaBuilder.int32().optional().defaultValue(7).build()).build();
const V2 = { 'field.syntax.version': 'V2' };

const cases: Array<{
  name: string;
  props: Record<string, string>;
  input: ConnectRecord<any>;
  expected: ExpectedRecord;
}> = [
  {
    name: 'schemaless',
    props: { field: 'magic' },
    input: sinkRecord({ key: { magic: 42 } }),
    expected: { keySchema: null, key: 42 },
  },
  {
    name: 'schemaless, nested path (V2)',
    props: { field: 'magic.foo', ...V2 },
    input: sinkRecord({ key: { magic: { foo: 42 } } }),
    expected: { keySchema: null, key: 42 },
  },
  {
    name: 'schemaless null key',
    props: { field: 'magic' },
    input: sinkRecord({ key: null }),
    expected: { keySchema: null, key: null },
  },
  {
    name: 'schemaless, missing field gives null',
    props: { field: 'nonexistent' },
    input: sinkRecord({ key: { magic: 42 } }),
    expected: { keySchema: null, key: null },
  },
  {
    name: 'schemaless, missing nested field gives null (V2)',
    props: { field: 'magic.nonexistent', ...V2 },
    input: sinkRecord({ key: { magic: { foo: 42 } } }),
    expected: { keySchema: null, key: null },
  },
  {
    name: 'schemaless, null intermediate gives null (V2)',
    props: { field: 'magic.foo', ...V2 },
    input: sinkRecord({ key: { magic: null } }),
    expected: { keySchema: null, key: null },
  },
  {
    name: 'with schema',
    props: { field: 'magic' },
    input: sinkRecord({ keySchema: magic, key: new Struct(magic).put('magic', 42) }),
    expected: { keySchema: Schemas.INT32, key: 42 },
  },
  {
    name: 'with schema, nested path (V2)',
    props: { field: 'magic.foo', ...V2 },
    input: sinkRecord({ keySchema: nested, key: new Struct(nested).put('magic', new Struct(foo).put('foo', 42)) }),
    expected: { keySchema: Schemas.INT32, key: 42 },
  },
  {
    name: 'with schema, V1 takes a dotted name literally',
    props: { field: 'magic.foo' },
    input: sinkRecord({
      keySchema: dotted,
      key: new Struct(dotted).put('magic.foo', 'literal').put('magic', new Struct(foo).put('foo', 1)),
    }),
    expected: { keySchema: Schemas.STRING, key: 'literal' },
  },
  {
    name: 'with schema, backticks quote a dotted step (V2)',
    props: { field: '`magic.foo`', ...V2 },
    input: sinkRecord({
      keySchema: dotted,
      key: new Struct(dotted).put('magic.foo', 'literal').put('magic', new Struct(foo).put('foo', 1)),
    }),
    expected: { keySchema: Schemas.STRING, key: 'literal' },
  },
  {
    name: 'with schema, null key keeps the field schema',
    props: { field: 'magic' },
    input: sinkRecord({ keySchema: optionalKey, key: null }),
    expected: { keySchema: Schemas.INT32, key: null },
  },
  {
    name: 'field.syntax.version is case-insensitive',
    props: { field: 'magic.foo', 'field.syntax.version': 'v2' },
    input: sinkRecord({ key: { magic: { foo: 1 } } }),
    expected: { keySchema: null, key: 1 },
  },
];

describe('ExtractField', () => {
  it.each(cases)('$name', ({ props, input, expected }) => {
    // As in Kafka Connect, extracting from a null struct gives the field's schema even when it is required.
    expectRecord(
      transform('org.apache.kafka.connect.transforms.ExtractField$Key', props).apply(input),
      input,
      expected,
      { validate: input.key !== null },
    );
  });

  it('extracts from the value ($Value) with replace.null.with.default', () => {
    const input = sinkRecord({ valueSchema: withDefault, value: new Struct(withDefault).put('a', null) });
    expectRecord(transform('ExtractField$Value', { field: 'a' }).apply(input), input, {
      valueSchema: withDefault.field('a')!.schema,
      value: 7,
    });
    expectRecord(
      transform('ExtractField$Value', { field: 'a', 'replace.null.with.default': 'false' }).apply(input),
      input,
      { valueSchema: withDefault.field('a')!.schema, value: null },
    );
  });

  it.each([
    [{ field: 'nonexistent' }, magic, new Struct(magic).put('magic', 42), 'Unknown field: nonexistent'],
    [
      { field: 'magic.nonexistent', ...V2 },
      nested,
      new Struct(nested).put('magic', new Struct(foo).put('foo', 42)),
      'Unknown field: magic.nonexistent',
    ],
  ])('fails on a field missing from the schema: %j', (props, keySchema, key, message) => {
    expect(() => transform('ExtractField$Key', props).apply(sinkRecord({ keySchema, key }))).toThrow(message);
  });

  it.each([
    [{}, 'Missing required configuration "field" which has no default value.'],
    [
      { field: 'a', 'field.syntax.version': 'V3' },
      'Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2',
    ],
    [
      { field: '`a.b', ...V2 },
      'Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it',
    ],
  ])('config %j fails', (props, message) => {
    expect(() => transform('ExtractField$Key', props)).toThrow(message);
  });
});
