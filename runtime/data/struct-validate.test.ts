/**
 * Struct.validate skips values `put` already checked but still catches what can go wrong after a
 * put (unset required fields, nested structs, mutated arrays and maps); BigDecimal.parse's plain
 * fast path gives what its general parser gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passesTypeCheck, SchemaBuilder, Schemas, typeCheckOf, validateValue } from './schema.ts';
import { Struct } from './struct.ts';
import { BigDecimal, ConnectTimestamp, Decimal } from './logical.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe('Struct.validate', () => {
  const inner = SchemaBuilder.struct().name('inner').optional().field('a', Schemas.INT32).build();
  const outer = SchemaBuilder.struct()
    .name('outer')
    .field('id', Schemas.INT64)
    .field('label', Schemas.OPTIONAL_STRING)
    .field('count', SchemaBuilder.int32().defaultValue(0).build())
    .field('list', SchemaBuilder.array(Schemas.INT32).optional().build())
    .field('map', SchemaBuilder.map(Schemas.STRING, Schemas.INT32).optional().build())
    .field('inner', inner)
    .build();

  it('fails on an unset required field with the message of validateValue', () => {
    expect(() => new Struct(outer).validate()).toThrow(
      'Invalid value: null used for required field: "id", schema type: INT64',
    );
    expect(() => new Struct(outer).put('id', 1n).validate()).not.toThrow();
  });

  it('counts each required field once, however often it is put', () => {
    const two = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).build();
    expect(() => new Struct(two).put('a', 1).put('a', 2).validate()).toThrow(/required field: "b"/);
    expect(() => new Struct(two).put('a', 1).put('b', 2).put('b', 3).validate()).not.toThrow();
    const optional = SchemaBuilder.struct().field('a', Schemas.OPTIONAL_INT32).field('b', Schemas.INT32).build();
    expect(() => new Struct(optional).put('a', 1).put('a', null).validate()).toThrow(/required field: "b"/);
  });

  it('counts a required field on its own schema when put through a Field of another schema', () => {
    const own = SchemaBuilder.struct().field('a', Schemas.OPTIONAL_INT32).field('b', Schemas.INT32).build();
    const other = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.INT32).build();
    expect(() => new Struct(own).put(other.field('a')!, 1).validate()).toThrow(/required field: "b"/);
  });

  it('fails on a nested struct left incomplete', () => {
    const emptyInner = new Struct(inner);
    expect(() => new Struct(outer).put('id', 1).put('inner', emptyInner)).toThrow(/required field: "a"/);
  });

  it('fails on an array or map changed after put', () => {
    const list = [1, 2];
    const map = new Map<string, unknown>([['k', 1]]);
    const s = new Struct(outer).put('id', 1).put('list', list).put('map', map);
    expect(() => s.validate()).not.toThrow();
    list.push('three' as unknown as number);
    expect(() => s.validate()).toThrow(/field: "list\[2\]"/);
    list.pop();
    map.set('k', 'one');
    expect(() => s.validate()).toThrow(/field: "map\[k\]"/);
  });
});

describe('Struct.copy and putKnownValid', () => {
  const schema = SchemaBuilder.struct()
    .field('id', Schemas.INT64)
    .field('name', Schemas.STRING)
    .field('note', Schemas.OPTIONAL_STRING)
    .field('list', SchemaBuilder.array(Schemas.INT32).optional().build())
    .build();

  it('copies values and required-field state; the copy and the original change independently', () => {
    const list = [1];
    const original = new Struct(schema).put('id', 1).put('list', list);
    const copy = original.copy();
    expect(() => copy.validate()).toThrow(/required field: "name"/);
    copy.put('name', 'a').put('id', 2);
    expect(copy.get('id')).toBe(2);
    expect(original.get('id')).toBe(1);
    expect(original.get('name')).toBeNull();
    expect(() => copy.validate()).not.toThrow();
    // Arrays are shared (not deep), and a copy still re-checks them as the original does.
    list.push('x' as unknown as number);
    expect(() => copy.validate()).toThrow(/field: "list\[1\]"/);
  });

  it('putKnownValid stores without validating but counts required fields as put does', () => {
    const s = new Struct(schema).putKnownValid(schema.field('id')!, 7);
    expect(() => s.validate()).toThrow(/required field: "name"/);
    s.putKnownValid(schema.field('name')!, 'n');
    expect(() => s.validate()).not.toThrow();
    expect(s.get('name')).toBe('n');
    expect(s.equals(new Struct(schema).put('id', 7).put('name', 'n'))).toBe(true);
  });
});

describe('typeCheckOf / passesTypeCheck', () => {
  const schemas = [
    Schemas.INT8,
    Schemas.INT16,
    Schemas.INT32,
    Schemas.INT64,
    Schemas.FLOAT32,
    Schemas.FLOAT64,
    Schemas.BOOLEAN,
    Schemas.STRING,
    Schemas.BYTES,
    SchemaBuilder.int32().name('io.debezium.time.Date').build(),
    SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').build(),
    Decimal.schema(2),
    ConnectTimestamp.schema(),
    SchemaBuilder.array(Schemas.INT32).build(),
  ];
  const value = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, NaN, -0),
    fc.bigInt(),
    fc.string({ maxLength: 3 }),
    fc.boolean(),
    fc.constant(new Uint8Array(1)),
    fc.constant(new Date(0)),
    fc.constant(new BigDecimal(1n, 2)),
    fc.constant([1]),
  );

  it('accepts a value only when validateValue accepts it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...schemas), value, (schema, v) => {
        if (!passesTypeCheck(typeCheckOf(schema), v)) return;
        expect(() => validateValue(schema, v)).not.toThrow();
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('defers logical types, ranges, bytes and containers to validateValue', () => {
    expect(schemas.map((s) => typeCheckOf(s))).toEqual([
      null,
      null,
      'int32',
      'int64',
      'number',
      'number',
      'boolean',
      'string',
      null,
      'int32',
      'int64',
      null,
      null,
      null,
    ]);
  });
});

describe('BigDecimal.parse', () => {
  const general = (text: string): unknown => {
    try {
      const d = (BigDecimal as unknown as { parseGeneral(t: string): BigDecimal }).parseGeneral(text);
      return [String(d.unscaled), d.scale];
    } catch (err) {
      return (err as Error).message;
    }
  };
  const parsed = (text: string): unknown => {
    try {
      const d = BigDecimal.parse(text);
      return [String(d.unscaled), d.scale];
    } catch (err) {
      return (err as Error).message;
    }
  };

  it('gives what the general parser gives', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 18 });
    const text = fc.oneof(
      fc
        .tuple(
          fc.constantFrom('', '-', '+', ' '),
          digits,
          fc.constantFrom('', '.'),
          digits,
          fc.constantFrom('', 'e3', ' '),
        )
        .map((p) => p.join('')),
      fc.double().map(String),
      fc.string({ maxLength: 8 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        expect(parsed(t)).toEqual(general(t));
      }),
      { numRuns: RUNS * 10 },
    );
  });
});
