/** HeaderFrom$Key / $Value — the cases of Kafka Connect's HeaderFromTest (copy/move, struct values, duplicates). */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, type Schema, Struct } from '../sdk/data.ts';
import { expectRecord, headers, sourceRecord, transform } from './testing.ts';

const inner = SchemaBuilder.struct().field('foo', Schemas.STRING).build();
const innerValue = new Struct(inner).put('foo', 'foo-value');

interface Spec {
  fields: Array<[string, Schema, unknown]>;
  headers: Array<[string, unknown, Schema]>;
}

const F1: [string, Schema, unknown] = ['field1', Schemas.STRING, 'field1-value'];
const F2: [string, Schema, unknown] = ['field2', Schemas.STRING, 'field2-value'];
const H = (name: string, value: unknown, schema: Schema = Schemas.STRING): [string, unknown, Schema] => [
  name,
  value,
  schema,
];

const data: Array<[string, Spec, string[], string[], 'copy' | 'move', Spec]> = [
  [
    'basic copy',
    { fields: [F1, F2], headers: [H('header1', 'existing-value')] },
    ['field1'],
    ['inserted1'],
    'copy',
    { fields: [F1, F2], headers: [H('header1', 'existing-value'), H('inserted1', 'field1-value')] },
  ],
  [
    'basic move',
    { fields: [F1, F2], headers: [H('header1', 'existing-value')] },
    ['field1'],
    ['inserted1'],
    'move',
    { fields: [F2], headers: [H('header1', 'existing-value'), H('inserted1', 'field1-value')] },
  ],
  [
    'copy with preexisting header',
    { fields: [F1, F2], headers: [H('inserted1', 'existing-value')] },
    ['field1'],
    ['inserted1'],
    'copy',
    { fields: [F1, F2], headers: [H('inserted1', 'existing-value'), H('inserted1', 'field1-value')] },
  ],
  [
    'move with preexisting header',
    { fields: [F1, F2], headers: [H('inserted1', 'existing-value')] },
    ['field1'],
    ['inserted1'],
    'move',
    { fields: [F2], headers: [H('inserted1', 'existing-value'), H('inserted1', 'field1-value')] },
  ],
  [
    'copy with struct value',
    { fields: [['field1', inner, innerValue], F2], headers: [H('header1', 'existing-value')] },
    ['field1'],
    ['inserted1'],
    'copy',
    {
      fields: [['field1', inner, innerValue], F2],
      headers: [H('header1', 'existing-value'), H('inserted1', innerValue, inner)],
    },
  ],
  [
    'move with struct value',
    { fields: [['field1', inner, innerValue], F2], headers: [H('header1', 'existing-value')] },
    ['field1'],
    ['inserted1'],
    'move',
    { fields: [F2], headers: [H('header1', 'existing-value'), H('inserted1', innerValue, inner)] },
  ],
  [
    'two headers from same field',
    { fields: [F1, F2], headers: [H('header1', 'existing-value')] },
    ['field1', 'field1'],
    ['inserted1', 'inserted2'],
    'move',
    {
      fields: [F2],
      headers: [H('header1', 'existing-value'), H('inserted1', 'field1-value'), H('inserted2', 'field1-value')],
    },
  ],
  [
    'two fields to same header',
    { fields: [F1, F2], headers: [H('header1', 'existing-value')] },
    ['field1', 'field2'],
    ['inserted1', 'inserted1'],
    'move',
    {
      fields: [],
      headers: [H('header1', 'existing-value'), H('inserted1', 'field1-value'), H('inserted1', 'field2-value')],
    },
  ],
];

function withSchema(spec: Spec): { schema: Schema; value: Struct } {
  const b = SchemaBuilder.struct();
  for (const [n, s] of spec.fields) b.field(n, s);
  const schema = b.build();
  const value = new Struct(schema);
  for (const [n, , v] of spec.fields) value.put(n, v);
  return { schema, value };
}

const schemaless = (spec: Spec) => Object.fromEntries(spec.fields.map(([n, , v]) => [n, v]));

describe('HeaderFrom', () => {
  for (const side of ['Key', 'Value'] as const) {
    it.each(data)(`%s (${side}, with schema)`, (_n, original, fields, headerNames, operation, expected) => {
      const { schema, value } = withSchema(original);
      const input =
        side === 'Key'
          ? sourceRecord({ keySchema: schema, key: value, value: 'value', headers: headers(...original.headers) })
          : sourceRecord({ key: 'key', valueSchema: schema, value, headers: headers(...original.headers) });
      const exp = withSchema(expected);
      const out = transform(`org.apache.kafka.connect.transforms.HeaderFrom$${side}`, {
        fields: fields.join(','),
        headers: headerNames.join(','),
        operation,
      }).apply(input);
      expectRecord(
        out,
        input,
        side === 'Key'
          ? { keySchema: operation === 'copy' ? schema : exp.schema, key: exp.value, headers: expected.headers }
          : { valueSchema: operation === 'copy' ? schema : exp.schema, value: exp.value, headers: expected.headers },
      );
    });

    it.each(data)(`%s (${side}, schemaless)`, (_n, original, fields, headerNames, operation, expected) => {
      const nullSchema = (hs: Spec['headers']) => hs.map(([k, v]) => [k, v, null] as [string, unknown, null]);
      const input =
        side === 'Key'
          ? sourceRecord({
              key: schemaless(original),
              value: 'value',
              headers: headers(...nullSchema(original.headers)),
            })
          : sourceRecord({
              key: 'key',
              value: schemaless(original),
              headers: headers(...nullSchema(original.headers)),
            });
      const out = transform(`HeaderFrom$${side}`, {
        fields: fields.join(','),
        headers: headerNames.join(','),
        operation,
      }).apply(input);
      expectRecord(
        out,
        input,
        side === 'Key'
          ? { key: schemaless(expected), headers: nullSchema(expected.headers) }
          : { value: schemaless(expected), headers: nullSchema(expected.headers) },
      );
    });
  }

  it('fails on a null value, as Kafka does', () => {
    const input = sourceRecord({ value: null });
    expect(() => transform('HeaderFrom$Value', { fields: 'a', headers: 'h', operation: 'copy' }).apply(input)).toThrow(
      'Only Map objects supported in absence of schema for [header copy], found: null',
    );
  });

  it('fails on a field missing from the schema', () => {
    const { schema, value } = withSchema({ fields: [F1], headers: [] });
    expect(() =>
      transform('HeaderFrom$Value', { fields: 'nope', headers: 'h', operation: 'copy' }).apply(
        sourceRecord({ valueSchema: schema, value }),
      ),
    ).toThrow('header copy: field nope does not exist in schema');
  });

  it.each([
    [
      { fields: 'foo', headers: 'foo,bar', operation: 'copy' },
      "'fields' config must have the same number of elements as 'headers' config.",
    ],
    [
      { fields: 'foo,bar', headers: 'foo', operation: 'copy' },
      "'fields' config must have the same number of elements as 'headers' config.",
    ],
    [
      { fields: 'foo', headers: 'foo', operation: 'steal' },
      'Invalid value steal for configuration operation: String must be one of: move, copy',
    ],
    [{ fields: '', headers: 'foo', operation: 'copy' }, 'Invalid value [] for configuration fields: Empty list'],
  ])('config %j fails', (props, message) => {
    expect(() => transform('HeaderFrom$Value', props)).toThrow(message);
  });
});
