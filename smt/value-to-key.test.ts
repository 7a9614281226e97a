/** ValueToKey — cases from Kafka Connect's ValueToKeyTest. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../sdk/data.ts';
import { expectRecord, sinkRecord, transform } from './testing.ts';

const value = SchemaBuilder.struct()
  .field('a', Schemas.INT32)
  .field('b', Schemas.INT32)
  .field('c', Schemas.INT32)
  .build();
const withDefault = SchemaBuilder.struct().field('a', SchemaBuilder.int32().optional().defaultValue(7).build()).build();

describe('ValueToKey', () => {
  it.each([
    ['schemaless', { value: { a: 1, b: 2, c: 3 } }, { keySchema: null, key: { a: 1, b: 2 } }],
    ['schemaless, a missing field becomes null', { value: { a: 1 } }, { keySchema: null, key: { a: 1, b: null } }],
    [
      'with schema',
      { valueSchema: value, value: new Struct(value).put('a', 1).put('b', 2).put('c', 3) },
      {
        keySchema: SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).build(),
        key: new Struct(SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).build())
          .put('a', 1)
          .put('b', 2),
      },
    ],
  ])('%s', (_n, parts, expected) => {
    const input = sinkRecord({ key: 'old', ...parts });
    expectRecord(
      transform('org.apache.kafka.connect.transforms.ValueToKey', { fields: 'a,b' }).apply(input),
      input,
      expected,
    );
  });

  it.each([
    ['true', 7],
    ['false', null],
  ])('replace.null.with.default=%s', (flag, expected) => {
    const input = sinkRecord({ valueSchema: withDefault, value: new Struct(withDefault) });
    const keySchema = SchemaBuilder.struct()
      .field('a', SchemaBuilder.int32().optional().defaultValue(7).build())
      .build();
    expectRecord(transform('ValueToKey', { fields: 'a', 'replace.null.with.default': flag }).apply(input), input, {
      keySchema,
      key: new Struct(keySchema).put('a', expected),
    });
  });

  it.each([
    [
      'a field missing from the schema',
      sinkRecord({ valueSchema: value, value: new Struct(value).put('a', 1).put('b', 2).put('c', 3) }),
      { fields: 'a,x' },
      'Field does not exist: x',
    ],
    [
      'a tombstone (as in Kafka Connect)',
      sinkRecord({ value: null }),
      { fields: 'a' },
      'Only Map objects supported in absence of schema for [copying fields from value to key], found: null',
    ],
    [
      'a non-struct value with a schema',
      sinkRecord({ valueSchema: Schemas.STRING, value: 's' }),
      { fields: 'a' },
      'Only Struct objects supported for [copying fields from value to key], found: java.lang.String',
    ],
  ])('fails on %s', (_n, input, props, message) => {
    expect(() => transform('ValueToKey', props).apply(input)).toThrow(message);
  });

  it('requires a non-empty field list', () => {
    expect(() => transform('ValueToKey', { fields: '' })).toThrow(
      'Invalid value [] for configuration fields: Empty list',
    );
  });
});
