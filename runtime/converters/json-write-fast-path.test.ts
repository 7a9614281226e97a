/**
 * The JSON write fast paths against the general text path they bypass: a struct writer's inline
 * field kinds (integers digit by digit, int64 numbers and bigints, floats, booleans, strings, small
 * Decimals as base64 without a Buffer, nulls and defaults) against JsonValueWriter.valueToJson on
 * random structs, with and without replace.null.with.default and for both decimal formats; and
 * JsonBytes.integer / string / base64String against String(), jacksonQuote and Buffer's base64.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes, jacksonQuote } from './json-bytes.ts';
import { JsonValueWriter } from './json-value-writer.ts';
import { SchemaBuilder, Schemas, type Schema } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, Decimal } from '../data/logical.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const int64 = fc.oneof(
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.maxSafeInteger(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(0, -0, 2 ** 53 - 1, -(2 ** 53) + 1, 10 ** 15, 10 ** 15 - 1, 9_999_999_999_999_999n),
);
const unscaled = fc.oneof(
  fc.bigInt({ min: -(2n ** 48n), max: 2n ** 48n }),
  fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
  fc.constantFrom(0n, -1n, 127n, 128n, -128n, -129n, 2n ** 47n - 1n, 2n ** 47n, -(2n ** 47n), -(2n ** 47n) - 1n),
);

/** Each field type the struct writer inlines, optional or not, some with defaults; plus a nested struct and bytes. */
function rowSchema(): Schema {
  const nested = SchemaBuilder.struct().name('n').optional().field('x', Schemas.INT32).build();
  return SchemaBuilder.struct()
    .name('row')
    .field('i8', Schemas.INT8)
    .field('i32', Schemas.OPTIONAL_INT32)
    .field('i32d', SchemaBuilder.int32().optional().defaultValue(42).build())
    .field('i64', Schemas.OPTIONAL_INT64)
    .field('i64d', SchemaBuilder.int64().optional().defaultValue(-7n).build())
    .field('f32', Schemas.OPTIONAL_FLOAT32)
    .field('f64', Schemas.OPTIONAL_FLOAT64)
    .field('b', Schemas.OPTIONAL_BOOLEAN)
    .field('s', Schemas.OPTIONAL_STRING)
    .field('sd', SchemaBuilder.string().optional().defaultValue('dflt').build())
    .field('dec', Decimal.builder(2).optional().build())
    .field('dec0', Decimal.builder(0).optional().build())
    .field('bytes', Schemas.OPTIONAL_BYTES)
    .field('nested', nested)
    .build();
}

const ROW = rowSchema();

const rowValue = fc.record({
  i8: fc.integer({ min: -128, max: 127 }),
  i32: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  i32d: fc.option(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  i64: fc.option(int64),
  i64d: fc.option(int64),
  f32: fc.option(fc.float()),
  f64: fc.option(fc.double()),
  b: fc.option(fc.boolean()),
  s: fc.option(fc.string({ unit: 'binary' })),
  sd: fc.option(fc.string()),
  dec: fc.option(unscaled),
  dec0: fc.option(unscaled),
  bytes: fc.option(fc.uint8Array({ maxLength: 20 })),
  nested: fc.option(fc.integer()),
});

function struct(v: typeof rowValue extends fc.Arbitrary<infer T> ? T : never): Struct {
  const s = new Struct(ROW);
  for (const [k, x] of Object.entries(v)) {
    if (x === null) {
      s.put(k, null);
      continue;
    }
    if (k === 'dec') s.put(k, new BigDecimal(x as bigint, 2));
    else if (k === 'dec0') s.put(k, new BigDecimal(x as bigint, 0));
    else if (k === 'nested') s.put(k, new Struct(ROW.field('nested')!.schema).put('x', x));
    else s.put(k, x);
  }
  return s;
}

function written(writer: JsonValueWriter, schema: Schema, value: unknown): string {
  const out = new JsonBytes();
  out.begin();
  writer.writerFor(schema)(value, 'value', out);
  return out.finish().toString('utf8');
}

describe('JSON write fast paths', () => {
  for (const decimalNumeric of [false, true])
    for (const replaceNullWithDefault of [false, true])
      it(`struct writer = general path (decimal numeric ${decimalNumeric}, replace.null.with.default ${replaceNullWithDefault})`, () => {
        const writer = new JsonValueWriter(decimalNumeric, replaceNullWithDefault);
        fc.assert(
          fc.property(rowValue, (v) => {
            const s = struct(v);
            expect(written(writer, ROW, s)).toBe(writer.valueToJson(ROW, s, 'value'));
          }),
          { numRuns: RUNS },
        );
      });

  it('an int64 bigint written again, or after another, is written anew', () => {
    const writer = new JsonValueWriter(false, true);
    const texts = [2n ** 62n, 2n ** 62n, -(2n ** 62n), 5n, 5n, 2n ** 62n].map((i64) =>
      written(writer, ROW, new Struct(ROW).put('i8', 0).put('i64', i64)),
    );
    expect(texts.map((t) => /"i64":(-?\d+)/.exec(t)?.[1])).toEqual([
      '4611686018427387904',
      '4611686018427387904',
      '-4611686018427387904',
      '5',
      '5',
      '4611686018427387904',
    ]);
  });

  it('a Decimal of another scale or type fails as on the general path', () => {
    const writer = new JsonValueWriter(false, true);
    const s = new Struct(ROW).put('i8', 1);
    // Bypasses put's validation, as a Struct filled by code that skips it would.
    (s as unknown as { values: unknown[] }).values[ROW.field('dec')!.index] = new BigDecimal(5n, 3);
    expect(() => written(writer, ROW, s)).toThrow(/mismatching scale value for given Decimal schema: 3 != 2/);
    (s as unknown as { values: unknown[] }).values[ROW.field('dec')!.index] = 5;
    expect(() => written(writer, ROW, s)).toThrow(/Invalid type for Decimal at "dec"/);
  });

  it('a required field left null fails naming it', () => {
    const writer = new JsonValueWriter(false, true);
    expect(() => written(writer, ROW, new Struct(ROW))).toThrow(
      'Conversion error: null value for field that is required and has no default value: "i8"',
    );
  });

  it('JsonBytes.integer writes what String() writes', () => {
    const out = new JsonBytes();
    fc.assert(
      fc.property(
        fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.double(), fc.constantFrom(-0, 1e15, 1e16, 1e21, 2 ** 53)),
        (n) => {
          out.begin();
          out.integer(n);
          expect(out.finish().toString('latin1')).toBe(String(n));
        },
      ),
      { numRuns: RUNS * 10 },
    );
  });

  it('JsonBytes.string writes what jacksonQuote writes', () => {
    const out = new JsonBytes();
    const unit = fc.oneof(
      fc.constantFrom('"', '\\', '\b', '\t', '\n', '\f', '\r', '\u0000', '\u001f', '\u007f', 'é', '😀', '\ud800'),
      fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
        const s = parts.join('');
        out.begin();
        out.string(s);
        expect(out.finish().toString('hex')).toBe(Buffer.from(jacksonQuote(s), 'utf8').toString('hex'));
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it('JsonBytes.base64String writes a quoted Buffer base64', () => {
    const out = new JsonBytes();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        out.begin();
        out.base64String(b, b.length);
        expect(out.finish().toString('latin1')).toBe(`"${Buffer.from(b).toString('base64')}"`);
      }),
      { numRuns: RUNS },
    );
  });
});
