/** HoistField$Key / $Value — cases from Kafka Connect's HoistFieldTest. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../sdk/data.ts';
import { expectRecord, sinkRecord, transform } from './testing.ts';

const hoisted = SchemaBuilder.struct().field('magic', Schemas.INT32).build();
const hoistedOptional = SchemaBuilder.struct().field('magic', Schemas.OPTIONAL_INT32).build();

describe('HoistField', () => {
  it.each([
    ['schemaless', 'Key', { key: 42 }, { keySchema: null, key: { magic: 42 } }],
    ['schemaless null', 'Key', { key: null }, { keySchema: null, key: { magic: null } }],
    [
      'with schema',
      'Key',
      { keySchema: Schemas.INT32, key: 42 },
      { keySchema: hoisted, key: new Struct(hoisted).put('magic', 42) },
    ],
    [
      'with an optional schema and null',
      'Key',
      { keySchema: Schemas.OPTIONAL_INT32, key: null },
      { keySchema: hoistedOptional, key: new Struct(hoistedOptional).put('magic', null) },
    ],
    ['value, schemaless', 'Value', { value: 'x' }, { valueSchema: null, value: { magic: 'x' } }],
  ] as const)('%s ($%s)', (_n, side, parts, expected) => {
    const input = sinkRecord(parts);
    expectRecord(
      transform(`org.apache.kafka.connect.transforms.HoistField$${side}`, { field: 'magic' }).apply(input),
      input,
      expected,
    );
  });

  it('reuses the hoisted schema for the same input schema', () => {
    const t = transform('HoistField$Key', { field: 'magic' });
    expect(t.apply(sinkRecord({ keySchema: Schemas.INT32, key: 1 }))!.keySchema).toBe(
      t.apply(sinkRecord({ keySchema: Schemas.INT32, key: 2 }))!.keySchema,
    );
  });

  it('fails on a null value for a required schema, and without a field name', () => {
    expect(() =>
      transform('HoistField$Key', { field: 'magic' }).apply(sinkRecord({ keySchema: Schemas.INT32, key: null })),
    ).toThrow('Invalid value: null used for required field: "magic", schema type: INT32');
    expect(() => transform('HoistField$Key', {})).toThrow(
      'Missing required configuration "field" which has no default value.',
    );
  });
});
