/** SetSchemaMetadata$Key / $Value — cases from Kafka Connect's SetSchemaMetadataTest. */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, type Schema, Struct } from '../sdk/data.ts';
import { expectRecord, sinkRecord, transform } from './testing.ts';

const struct = SchemaBuilder.struct()
  .name('old')
  .version(1)
  .doc('d')
  .field('stringField', Schemas.STRING)
  .field('intField', SchemaBuilder.int32().optional().defaultValue(5).build())
  .optional()
  .build();
const renamed = (name: string | undefined, version: number | undefined) => {
  const b = SchemaBuilder.struct()
    .doc('d')
    .field('stringField', Schemas.STRING)
    .field('intField', SchemaBuilder.int32().optional().defaultValue(5).build())
    .optional();
  if (name) b.name(name);
  if (version !== undefined) b.version(version);
  return b.build();
};

describe('SetSchemaMetadata', () => {
  it.each([
    ['schema name', { 'schema.name': 'foo' }, renamed('foo', 1)],
    ['schema version', { 'schema.version': '42' }, renamed('old', 42)],
    ['name and version', { 'schema.name': 'foo', 'schema.version': '42' }, renamed('foo', 42)],
  ])('updates the %s and rebinds the struct', (_n, props, expectedSchema) => {
    const input = sinkRecord({
      valueSchema: struct,
      value: new Struct(struct).put('stringField', 'value').put('intField', null),
    });
    expectRecord(transform('org.apache.kafka.connect.transforms.SetSchemaMetadata$Value', props).apply(input), input, {
      valueSchema: expectedSchema,
      value: new Struct(expectedSchema).put('stringField', 'value').put('intField', 5),
    });
  });

  it('keeps null struct fields with replace.null.with.default=false', () => {
    const input = sinkRecord({
      valueSchema: struct,
      value: new Struct(struct).put('stringField', 'value').put('intField', null),
    });
    const expectedSchema = renamed('foo', 1);
    expectRecord(
      transform('SetSchemaMetadata$Value', { 'schema.name': 'foo', 'replace.null.with.default': 'false' }).apply(input),
      input,
      {
        valueSchema: expectedSchema,
        value: new Struct(expectedSchema).put('stringField', 'value').put('intField', null),
      },
    );
  });

  it('renames the schema of a null struct value', () => {
    const input = sinkRecord({ valueSchema: struct, value: null });
    expectRecord(transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }).apply(input), input, {
      valueSchema: renamed('foo', 1),
      value: null,
    });
  });

  // Kafka's (3.9 and 4.x) rebuilds the schema with schema.fields(), which throws for non-struct schemas.
  it.each([
    ['an array', SchemaBuilder.array(Schemas.INT32).build(), [1, 2]],
    ['a map', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(), { a: 1 }],
    ['a primitive', Schemas.OPTIONAL_STRING, 'x'],
  ] as Array<[string, Schema, unknown]>)('fails on %s as Kafka does', (_n, valueSchema, value) => {
    expect(() =>
      transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }).apply(sinkRecord({ valueSchema, value })),
    ).toThrow('Cannot list fields on non-struct type');
  });

  it('works on keys ($Key)', () => {
    const keySchema = SchemaBuilder.struct().field('k', Schemas.STRING).build();
    const input = sinkRecord({ keySchema, key: new Struct(keySchema).put('k', 'v') });
    const expected = SchemaBuilder.struct().field('k', Schemas.STRING).version(3).build();
    expectRecord(transform('SetSchemaMetadata$Key', { 'schema.version': '3' }).apply(input), input, {
      keySchema: expected,
      key: new Struct(expected).put('k', 'v'),
    });
  });

  it('requires a schema and a name or version', () => {
    expect(() =>
      transform('SetSchemaMetadata$Value', { 'schema.name': 'foo' }).apply(sinkRecord({ value: { a: 1 } })),
    ).toThrow('Schema required for [updating schema metadata]');
    expect(() => transform('SetSchemaMetadata$Value', {})).toThrow('Neither schema name nor version configured');
    expect(() => transform('SetSchemaMetadata$Value', { 'schema.version': 'x' })).toThrow(
      'Invalid value x for configuration schema.version: Not a number of type INT (expected a whole number from -2147483648 to 2147483647)',
    );
  });
});
