/** ReplaceField$Key / $Value — cases from Kafka Connect's ReplaceFieldTest (include/exclude/renames, nulls). */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, Struct } from '../sdk/data.ts';
import { expectRecord, sinkRecord, transform } from './testing.ts';

const schema = SchemaBuilder.struct()
  .name('row')
  .version(2)
  .field('dont', Schemas.STRING)
  .field('abc', Schemas.INT32)
  .field('foo', Schemas.BOOLEAN)
  .field('etc', Schemas.STRING)
  .build();
const struct = () => new Struct(schema).put('dont', 'whatever').put('abc', 42).put('foo', true).put('etc', 'etc');
const map = () => ({ dont: 'whatever', abc: 42, foo: true, etc: 'etc' });
const withDefault = SchemaBuilder.struct().field('a', SchemaBuilder.int32().optional().defaultValue(7).build()).build();

const cases: Array<{ name: string; props: Record<string, string>; fields: Array<[string, string, unknown]> }> = [
  {
    name: 'exclude + renames',
    props: { exclude: 'dont', renames: 'abc:xyz,foo:bar' },
    fields: [
      ['xyz', 'abc', 42],
      ['bar', 'foo', true],
      ['etc', 'etc', 'etc'],
    ],
  },
  {
    name: 'include + renames',
    props: { include: 'abc,foo', renames: 'abc:xyz,foo:bar' },
    fields: [
      ['xyz', 'abc', 42],
      ['bar', 'foo', true],
    ],
  },
  { name: 'exclude wins over include', props: { include: 'abc,etc', exclude: 'etc' }, fields: [['abc', 'abc', 42]] },
  {
    name: 'renames only',
    props: { renames: 'dont:do' },
    fields: [
      ['do', 'dont', 'whatever'],
      ['abc', 'abc', 42],
      ['foo', 'foo', true],
      ['etc', 'etc', 'etc'],
    ],
  },
  {
    name: 'deprecated whitelist (Kafka Connect 3.x) is read as include',
    props: { whitelist: 'abc,foo', renames: 'abc:xyz,foo:bar' },
    fields: [
      ['xyz', 'abc', 42],
      ['bar', 'foo', true],
    ],
  },
  {
    name: 'deprecated blacklist (Kafka Connect 3.x) is read as exclude',
    props: { blacklist: 'dont', renames: 'abc:xyz,foo:bar' },
    fields: [
      ['xyz', 'abc', 42],
      ['bar', 'foo', true],
      ['etc', 'etc', 'etc'],
    ],
  },
  {
    name: 'include wins over a deprecated whitelist',
    props: { include: 'etc', whitelist: 'abc' },
    fields: [['etc', 'etc', 'etc']],
  },
];

describe('ReplaceField', () => {
  it.each(cases)('$name (schemaful)', ({ props, fields }) => {
    const input = sinkRecord({ valueSchema: schema, value: struct() });
    const b = SchemaBuilder.struct().name('row').version(2);
    for (const [name, from] of fields) b.field(name, schema.field(from)!.schema);
    const expectedSchema = b.build();
    const expected = new Struct(expectedSchema);
    for (const [name, , v] of fields) expected.put(name, v);
    expectRecord(transform('org.apache.kafka.connect.transforms.ReplaceField$Value', props).apply(input), input, {
      valueSchema: expectedSchema,
      value: expected,
    });
  });

  it.each(cases)('$name (schemaless)', ({ props, fields }) => {
    const input = sinkRecord({ value: map() });
    expectRecord(transform('org.apache.kafka.connect.transforms.ReplaceField$Value', props).apply(input), input, {
      value: Object.fromEntries(fields.map(([n, , v]) => [n, v])),
    });
  });

  it('works on keys ($Key)', () => {
    const input = sinkRecord({ keySchema: schema, key: struct(), value: 'v' });
    const keySchema = SchemaBuilder.struct().name('row').version(2).field('abc', Schemas.INT32).build();
    expectRecord(transform('ReplaceField$Key', { include: 'abc' }).apply(input), input, {
      keySchema,
      key: new Struct(keySchema).put('abc', 42),
    });
  });

  it.each([
    ['true', 7],
    ['false', null],
  ])('replace.null.with.default=%s', (flag, expected) => {
    const input = sinkRecord({ valueSchema: withDefault, value: new Struct(withDefault).put('a', null) });
    expectRecord(
      transform('ReplaceField$Value', { renames: 'a:b', 'replace.null.with.default': flag }).apply(input),
      input,
      {
        valueSchema: SchemaBuilder.struct()
          .field('b', SchemaBuilder.int32().optional().defaultValue(7).build())
          .build(),
        value: new Struct(
          SchemaBuilder.struct().field('b', SchemaBuilder.int32().optional().defaultValue(7).build()).build(),
        ).put('b', expected),
      },
    );
  });

  it.each([
    ['a tombstone', sinkRecord({ valueSchema: schema, value: null })],
    ['a null schemaless value', sinkRecord({ value: null })],
  ])('passes %s through', (_n, input) => {
    expect(transform('ReplaceField$Value', { exclude: 'dont' }).apply(input)).toBe(input);
  });

  it.each([
    [{ renames: 'a:b:c' }, 'Invalid value [a:b:c] for configuration renames: Invalid rename mapping: a:b:c'],
    [{ renames: 'abc:xyz,foo' }, 'Invalid value [abc:xyz, foo] for configuration renames: Invalid rename mapping: foo'],
  ])('config %j fails', (props, message) => {
    expect(() => transform('ReplaceField$Value', props)).toThrow(message);
  });

  it('requires a map or a struct', () => {
    expect(() => transform('ReplaceField$Value', { exclude: 'a' }).apply(sinkRecord({ value: [1, 2] }))).toThrow(
      'Only Map objects supported in absence of schema for [field replacement], found: java.util.ArrayList',
    );
  });
});
