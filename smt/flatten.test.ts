/** Flatten$Key / $Value — cases from Kafka Connect's FlattenTest. */
import { describe, expect, it } from 'vitest';
import { ConnectSchema, SchemaBuilder, Schemas, Struct, ConnectTimestamp } from '../sdk/data.ts';
import { expectRecord, sourceRecord, transform } from './testing.ts';

const types = SchemaBuilder.struct()
  .field('int8', Schemas.INT8)
  .field('int16', Schemas.INT16)
  .field('int32', Schemas.INT32)
  .field('int64', Schemas.INT64)
  .field('float32', Schemas.FLOAT32)
  .field('float64', Schemas.FLOAT64)
  .field('boolean', Schemas.BOOLEAN)
  .field('string', Schemas.STRING)
  .field('bytes', Schemas.BYTES)
  .build();
const typesValue = () =>
  new Struct(types)
    .put('int8', 8)
    .put('int16', 16)
    .put('int32', 32)
    .put('int64', 64)
    .put('float32', 32)
    .put('float64', 64)
    .put('boolean', true)
    .put('string', 'stringy')
    .put('bytes', Buffer.from('bytes'));
const oneLevel = SchemaBuilder.struct().field('B', types).build();
const twoLevel = SchemaBuilder.struct().name('outer').version(4).field('A', oneLevel).build();
const typesMap = () => ({
  int8: 8,
  int16: 16,
  int32: 32,
  int64: 64n,
  float32: 32.5,
  float64: 64.25,
  boolean: true,
  string: 'stringy',
  bytes: Buffer.from('bytes'),
});

describe('Flatten', () => {
  it('flattens nested structs (testNestedStruct)', () => {
    const input = sourceRecord({
      valueSchema: twoLevel,
      value: new Struct(twoLevel).put('A', new Struct(oneLevel).put('B', typesValue())),
    });
    const b = SchemaBuilder.struct().name('outer').version(4);
    for (const f of types.fields) b.field(`A.B.${f.name}`, f.schema);
    const flat = b.build();
    const expected = new Struct(flat);
    for (const f of types.fields) expected.put(`A.B.${f.name}`, typesValue().get(f.name));
    expectRecord(transform('org.apache.kafka.connect.transforms.Flatten$Value').apply(input), input, {
      valueSchema: flat,
      value: expected,
    });
  });

  it('flattens nested maps with a delimiter (testNestedMapWithDelimiter)', () => {
    const input = sourceRecord({ value: { A: { B: typesMap() } } });
    expectRecord(transform('Flatten$Value', { delimiter: '#' }).apply(input), input, {
      value: Object.fromEntries(Object.entries(typesMap()).map(([k, v]) => [`A#B#${k}`, v])),
    });
  });

  it.each([
    [
      'optional field (testOptionalFieldStruct)',
      SchemaBuilder.struct()
        .field('B', SchemaBuilder.struct().field('opt_int32', Schemas.OPTIONAL_INT32).build())
        .build(),
      (s: typeof types) => new Struct(s).put('B', new Struct(s.field('B')!.schema).put('opt_int32', null)),
      SchemaBuilder.struct().field('B.opt_int32', Schemas.OPTIONAL_INT32).build(),
      { 'B.opt_int32': null },
    ],
    [
      'null optional nested struct (testOptionalNestedStruct)',
      SchemaBuilder.struct()
        .field('B', SchemaBuilder.struct().optional().field('opt_int32', Schemas.OPTIONAL_INT32).build())
        .build(),
      (s: typeof types) => new Struct(s).put('B', null),
      SchemaBuilder.struct().field('B.opt_int32', Schemas.OPTIONAL_INT32).build(),
      { 'B.opt_int32': null },
    ],
    [
      'children of an optional struct become optional',
      SchemaBuilder.struct().field('B', SchemaBuilder.struct().optional().field('req', Schemas.STRING).build()).build(),
      (s: typeof types) => new Struct(s).put('B', new Struct(s.field('B')!.schema).put('req', 'x')),
      SchemaBuilder.struct().field('B.req', Schemas.OPTIONAL_STRING).build(),
      { 'B.req': 'x' },
    ],
    [
      'arrays are kept as they are (testArrayWithSchema)',
      SchemaBuilder.struct()
        .field(
          'foo',
          SchemaBuilder.array(SchemaBuilder.struct().field('baz', Schemas.STRING).build()).doc('durk').build(),
        )
        .build(),
      (s: typeof types) =>
        new Struct(s).put('foo', [new Struct(s.field('foo')!.schema.valueSchema!).put('baz', 'lfg')]),
      SchemaBuilder.struct()
        .field(
          'foo',
          SchemaBuilder.array(SchemaBuilder.struct().field('baz', Schemas.STRING).build()).doc('durk').build(),
        )
        .build(),
      null,
    ],
    [
      'logical types keep their names',
      SchemaBuilder.struct().field('t', SchemaBuilder.struct().field('at', ConnectTimestamp.schema()).build()).build(),
      (s: typeof types) => new Struct(s).put('t', new Struct(s.field('t')!.schema).put('at', new Date(5))),
      SchemaBuilder.struct().field('t.at', ConnectTimestamp.schema()).build(),
      { 't.at': new Date(5) },
    ],
  ])('%s', (_n, schema, make, flatSchema, values) => {
    const value = make(schema);
    const input = sourceRecord({ valueSchema: schema, value });
    const out = transform('Flatten$Value').apply(input)!;
    if (values === null) {
      expect(out.valueSchema).toEqual(schema);
      expectRecord(out, input, {
        valueSchema: flatSchema,
        value: Object.assign(new Struct(flatSchema), {}).put(
          'foo',
          (value.get('foo') as Struct[]).map((x) => x),
        ),
      });
      return;
    }
    const expected = new Struct(flatSchema);
    for (const [k, v] of Object.entries(values)) expected.put(k, v);
    expectRecord(out, input, { valueSchema: flatSchema, value: expected });
  });

  it('takes optionality and defaults from ancestors (testOptionalAndDefaultValuesNested)', () => {
    const fields = [
      { name: 'req_field', schema: Schemas.STRING },
      { name: 'opt_field', schema: SchemaBuilder.string().optional().defaultValue('child_default').build() },
    ];
    const plain = new ConnectSchema({ type: 'struct', optional: true, fields });
    const schema = new ConnectSchema({
      type: 'struct',
      optional: true,
      fields,
      defaultValue: new Struct(plain).put('req_field', 'req_default'),
    });
    const input = sourceRecord({ valueSchema: schema, value: new Struct(schema) });
    const flat = SchemaBuilder.struct()
      .field('req_field', SchemaBuilder.string().optional().defaultValue('req_default').build())
      .field('opt_field', SchemaBuilder.string().optional().defaultValue('child_default').build())
      .build();
    expectRecord(
      transform('Flatten$Value').apply(input),
      input,
      { valueSchema: flat, value: new Struct(flat).put('req_field', null).put('opt_field', 'child_default') },
      { validate: false },
    );
  });

  it('keeps null map entries in order and arrays in maps (testMapWithNullFields, testSchemalessArray)', () => {
    const value = {
      firstNull: null,
      firstNonNull: 'nonNull',
      secondNull: null,
      secondNonNull: 'alsoNonNull',
      thirdNonNull: null,
      arr: ['bar', { baz: { lfg: 'lfg' } }],
    };
    const input = sourceRecord({ value });
    const out = transform('Flatten$Value').apply(input)!;
    expectRecord(out, input, { value });
    expect(Object.keys(out.value as object)).toEqual(Object.keys(value));
  });

  it('flattens the key ($Key, testKey) and passes tombstones through', () => {
    const input = sourceRecord({ key: { A: { B: 12 } }, value: null });
    expectRecord(transform('Flatten$Key').apply(input), input, { key: { 'A.B': 12 } });
    const tomb = sourceRecord({ valueSchema: twoLevel, value: null });
    expect(transform('Flatten$Value').apply(tomb)).toBe(tomb);
  });

  it('caches the flattened schema per input schema', () => {
    const t = transform('Flatten$Value');
    const mk = () =>
      sourceRecord({
        valueSchema: twoLevel,
        value: new Struct(twoLevel).put('A', new Struct(oneLevel).put('B', typesValue())),
      });
    expect(t.apply(mk())!.valueSchema).toBe(t.apply(mk())!.valueSchema);
  });

  it.each([
    [
      'a non-struct value with a schema (topLevelStructRequired)',
      sourceRecord({ valueSchema: Schemas.INT32, value: 42 }),
      'Only Struct objects supported for [flattening], found: java.lang.Integer',
    ],
    [
      'a non-map schemaless value (topLevelMapRequired)',
      sourceRecord({ value: 42 }),
      'Only Map objects supported in absence of schema for [flattening], found: java.lang.Integer',
    ],
    [
      'a map field in a struct',
      sourceRecord({
        valueSchema: SchemaBuilder.struct()
          .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
          .build(),
        value: new Struct(
          SchemaBuilder.struct().field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build()).build(),
        ).put('m', {}),
      }),
      'Flatten transformation does not support MAP for record with schemas (for field m).',
    ],
    [
      'a Date in a schemaless map',
      sourceRecord({ value: { d: new Date(0) } }),
      "Flatten transformation was passed a value of type class java.util.Date which is not supported by Connect's data API",
    ],
  ])('fails on %s', (_n, input, message) => {
    expect(() => transform('Flatten$Value').apply(input)).toThrow(message);
  });
});
