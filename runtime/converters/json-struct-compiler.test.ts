/**
 * The generated struct writers (json-struct-compiler.ts) against the general text path
 * (JsonValueWriter.valueToJson, itself checked against Kafka's JsonConverter in
 * test/compat/json-converter.test.ts) and the field-loop writer, on random schemas (every type,
 * nested structs, arrays, maps, logical types, optional fields and defaults) and random values
 * (int64 extremes as numbers and bigints, NaN/±Infinity/-0 doubles, Decimals of any size or the
 * wrong scale, control/non-ASCII/surrogate text, nulls in required fields, values of the wrong
 * type): the same bytes, or the same error. Also: structs wider than a generated function takes,
 * and output room (slabs filled, values larger than a slab).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes } from './json-bytes.ts';
import { JsonValueWriter } from './json-value-writer.ts';
import { SchemaBuilder, Schemas, type Schema } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../data/logical.ts';
import { seededRandom as prng } from '../../test/helpers/seeded-random.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, min: number, max: number) => min + Math.floor(r() * (max - min + 1));

const SCALAR_KINDS = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
  'bytes',
  'decimal',
  'date',
  'time',
  'timestamp',
  'array',
  'map',
  'intmap',
] as const;

const NAMES = ['id', 'a', 'name with space', 'quo"te', 'back\\slash', 'é', 'ctl\u0001', '😀', 'ts_ns', 'x'];

/** A random field schema: a scalar or container kind, or (depth permitting) a nested struct. */
function randomFieldSchema(r: Rand, depth: number): Schema {
  if (depth > 0 && r() < 0.15) return randomStruct(r, depth - 1);
  const kind = pick(r, SCALAR_KINDS);
  let b: SchemaBuilder;
  let dflt: unknown;
  switch (kind) {
    case 'int8':
      b = SchemaBuilder.int8();
      dflt = -5;
      break;
    case 'int16':
      b = SchemaBuilder.int16();
      dflt = 300;
      break;
    case 'int32':
      b = SchemaBuilder.int32();
      dflt = 42;
      break;
    case 'int64':
      b = SchemaBuilder.int64();
      dflt = r() < 0.5 ? -7n : 2 ** 40;
      break;
    case 'float32':
      b = SchemaBuilder.float32();
      dflt = 1.5;
      break;
    case 'float64':
      b = SchemaBuilder.float64();
      dflt = 0.1;
      break;
    case 'boolean':
      b = SchemaBuilder.bool();
      dflt = true;
      break;
    case 'string':
      b = SchemaBuilder.string();
      dflt = 'dflt';
      break;
    case 'bytes':
      b = SchemaBuilder.bytes();
      dflt = new Uint8Array([1, 2, 3]);
      break;
    case 'decimal': {
      const scale = int(r, 0, 4);
      b = Decimal.builder(scale);
      dflt = new BigDecimal(12345n, scale);
      break;
    }
    case 'date':
      b = ConnectDate.builder();
      dflt = new Date(Date.UTC(2024, 0, 2));
      break;
    case 'time':
      b = ConnectTime.builder();
      dflt = new Date(3_600_000);
      break;
    case 'timestamp':
      b = ConnectTimestamp.builder();
      dflt = new Date(1_700_000_000_123);
      break;
    case 'array':
      b = SchemaBuilder.array(r() < 0.5 ? Schemas.INT32 : Schemas.OPTIONAL_STRING);
      dflt = undefined;
      break;
    case 'map':
      b = SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_INT64);
      dflt = undefined;
      break;
    default:
      b = SchemaBuilder.map(Schemas.INT32, Schemas.STRING);
      dflt = undefined;
  }
  if (r() < 0.5) b = b.optional();
  if (dflt !== undefined && r() < 0.25) b = b.defaultValue(dflt);
  return b.build();
}

function randomStruct(r: Rand, depth: number): Schema {
  let b = SchemaBuilder.struct().name(`s${depth}`);
  const n = int(r, 0, 8);
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let name = pick(r, NAMES);
    while (used.has(name)) name += '_';
    used.add(name);
    b = b.field(name, randomFieldSchema(r, depth));
  }
  if (r() < 0.4) b = b.optional();
  return b.build();
}

const TEXT_UNITS = [
  'a',
  'Z',
  '0',
  ' ',
  '"',
  '\\',
  '\b',
  '\t',
  '\n',
  '\f',
  '\r',
  '\u0000',
  '\u001f',
  '\u007f',
  'é',
  '€',
  '😀',
  '\ud800',
  '\udc00',
];

function randomText(r: Rand): string {
  const n = r() < 0.05 ? int(r, 200, 3000) : int(r, 0, 12);
  let s = '';
  for (let i = 0; i < n; i++) s += r() < 0.7 ? String.fromCharCode(int(r, 0x20, 0x7e)) : pick(r, TEXT_UNITS);
  return s;
}

const INT64_EDGES = [0, -0, 1, -1, 2 ** 53 - 1, -(2 ** 53) + 1, 1e8, 1e8 - 1, 1e15, 1e16, 1e21, 2 ** 63];
const BIGINT_EDGES = [
  0n,
  -1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
  10n ** 18n,
  1796640548278966000n,
  -(10n ** 17n),
  2n ** 70n,
];
const DOUBLE_EDGES = [
  0,
  -0,
  NaN,
  Infinity,
  -Infinity,
  5e-324,
  1e-3,
  9.99e-4,
  1e7,
  1e7 - 1,
  0.1,
  1 / 3,
  -2.5,
  1e21,
  1e300,
  123456789.125,
];

/** A random value for a schema: usually valid, sometimes null or of the wrong type. */
function randomValue(r: Rand, s: Schema): unknown {
  const roll = r();
  if (roll < 0.12) return null;
  if (roll < 0.14) return pick(r, ['text', 7, true, 2n, [1]]);
  switch (s.name) {
    case Decimal.LOGICAL_NAME: {
      const scale = Number(s.parameters!.scale);
      const unscaled =
        r() < 0.7
          ? BigInt(int(r, -1_000_000, 1_000_000)) * (r() < 0.3 ? 1_000_000n : 1n)
          : pick(r, [
              2n ** 47n,
              2n ** 47n - 1n,
              -(2n ** 47n),
              -(2n ** 47n) - 1n,
              10n ** 30n,
              -(10n ** 25n),
              127n,
              128n,
              -129n,
            ]);
      return new BigDecimal(unscaled, r() < 0.05 ? scale + 1 : scale);
    }
    case ConnectDate.LOGICAL_NAME:
      return new Date(Date.UTC(2000 + int(r, 0, 40), int(r, 0, 11), int(r, 1, 28)));
    case ConnectTime.LOGICAL_NAME:
      return new Date(int(r, 0, 86_399_999));
    case ConnectTimestamp.LOGICAL_NAME:
      return new Date(int(r, -1e12, 4e12));
  }
  switch (s.type) {
    case 'int8':
      return int(r, -128, 127);
    case 'int16':
      return int(r, -32768, 32767);
    case 'int32':
      return r() < 0.2
        ? pick(r, [-(2 ** 31), 2 ** 31 - 1, 0, 99_999_999, 100_000_000])
        : int(r, -(2 ** 31), 2 ** 31 - 1);
    case 'int64': {
      const k = r();
      if (k < 0.3) return pick(r, INT64_EDGES);
      if (k < 0.55) return pick(r, BIGINT_EDGES);
      if (k < 0.75) return BigInt(int(r, -(2 ** 31), 2 ** 31)) * 4294967296n + BigInt(int(r, 0, 2 ** 32 - 1));
      return int(r, -(2 ** 52), 2 ** 52);
    }
    case 'float32':
      return Math.fround(r() < 0.3 ? pick(r, DOUBLE_EDGES) : (r() - 0.5) * 10 ** int(r, -40, 40));
    case 'float64': {
      if (r() < 0.3) return pick(r, DOUBLE_EDGES);
      const v = new DataView(new ArrayBuffer(8));
      v.setUint32(0, Math.floor(r() * 2 ** 32));
      v.setUint32(4, Math.floor(r() * 2 ** 32));
      const d = v.getFloat64(0);
      return r() < 0.5 ? d : (r() - 0.5) * 10 ** int(r, -5, 9);
    }
    case 'boolean':
      return r() < 0.5;
    case 'string':
      return randomText(r);
    case 'bytes':
      return Uint8Array.from({ length: int(r, 0, 10) }, () => int(r, 0, 255));
    case 'array':
      return Array.from({ length: int(r, 0, 4) }, () =>
        s.valueSchema!.type === 'int32' ? int(r, -100, 100) : r() < 0.2 ? null : randomText(r),
      );
    case 'map':
      return s.keySchema!.type === 'string'
        ? new Map(
            Array.from({ length: int(r, 0, 3) }, (_, i) => [
              `${randomText(r)}${i}`,
              r() < 0.2 ? null : pick(r, BIGINT_EDGES),
            ]),
          )
        : new Map(Array.from({ length: int(r, 0, 3) }, (_, i) => [i * 7, randomText(r)]));
    case 'struct':
      return randomStructValue(r, s);
  }
  throw new Error(`no value for ${s.type}`);
}

/** A struct with random raw values (put's validation bypassed, as code that fills a Struct without it would). */
function randomStructValue(r: Rand, s: Schema): Struct {
  const struct = new Struct(s);
  const values = (struct as unknown as { values: unknown[] }).values;
  for (const f of s.fields) {
    const v = randomValue(r, f.schema);
    if (v !== null) values[f.index] = v;
  }
  return struct;
}

function attempt(write: () => string): string {
  try {
    return write();
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

function written(out: JsonBytes, writer: (v: unknown, path: string, o: JsonBytes) => void, value: unknown): string {
  out.begin();
  try {
    writer(value, 'value', out);
  } catch (err) {
    out.abandon();
    throw err;
  }
  return out.finish().toString('utf8');
}

describe('generated struct writers', () => {
  for (const decimalNumeric of [false, true])
    for (const replaceNullWithDefault of [false, true])
      it(`write what the general path and the field loop write (decimal numeric ${decimalNumeric}, replace.null.with.default ${replaceNullWithDefault})`, () => {
        const out = new JsonBytes();
        fc.assert(
          fc.property(fc.integer(), (seed) => {
            const r = prng(seed);
            const writer = new JsonValueWriter(decimalNumeric, replaceNullWithDefault, 0);
            const schema = randomStruct(r, 2);
            const generated = writer.writerFor(schema);
            const loop = writer.structWriter(schema);
            for (let k = 0; k < 5; k++) {
              const value = randomStructValue(r, schema);
              const fast = attempt(() => written(out, generated, value));
              expect(fast).toBe(attempt(() => written(out, loop, value)));
              if (!fast.startsWith('error: ')) expect(fast).toBe(writer.valueToJson(schema, value, 'value'));
            }
          }),
          { numRuns: RUNS },
        );
      });

  it('a struct wider than one generated function is written by the field loop, the same bytes, also nested', () => {
    let b = SchemaBuilder.struct().name('wide');
    for (let i = 0; i < 320; i++) b = b.field(`f${i}`, i % 2 ? Schemas.OPTIONAL_STRING : Schemas.INT64);
    const wide = b.build();
    const outer = SchemaBuilder.struct()
      .field('n', Schemas.INT32)
      .field('wide', wide)
      .field('m', SchemaBuilder.struct().optional().field('x', Schemas.STRING).build())
      .build();
    const writer = new JsonValueWriter(false, true, 0);
    const inner = new Struct(wide);
    wide.fields.forEach((f, i) => inner.put(f, i % 2 ? (i % 3 ? `t${i}` : null) : BigInt(i) * 10n ** 16n));
    const value = new Struct(outer).put('n', 1).put('wide', inner);
    const out = new JsonBytes();
    expect(written(out, writer.writerFor(wide), inner)).toBe(writer.valueToJson(wide, inner, 'value'));
    expect(written(out, writer.writerFor(outer), value)).toBe(writer.valueToJson(outer, value, 'value'));
  });

  it('a schema is written by the field loop, then by its generated function, the same bytes', () => {
    const writer = new JsonValueWriter(false, true, 3);
    const out = new JsonBytes();
    const r = prng(11);
    const schema = SchemaBuilder.struct()
      .field('s', Schemas.STRING)
      .field('n', SchemaBuilder.struct().optional().field('i', Schemas.INT64).build())
      .build();
    for (let k = 0; k < 10; k++) {
      const value = new Struct(schema)
        .put('s', randomText(r))
        .put('n', k % 3 ? new Struct(schema.field('n')!.schema).put('i', BigInt(k) << 59n) : null);
      expect(written(out, writer.writerFor(schema), value)).toBe(writer.valueToJson(schema, value, 'value'));
    }
  });

  it('fills slabs and writes values larger than a slab', () => {
    const schema = SchemaBuilder.struct()
      .field('i', Schemas.INT64)
      .field('s', Schemas.STRING)
      .field('n', SchemaBuilder.struct().field('t', Schemas.STRING).field('d', Schemas.FLOAT64).build())
      .build();
    const writer = new JsonValueWriter(false, true, 0);
    const out = new JsonBytes();
    const write = writer.writerFor(schema);
    const sizes = [10, 100_000, 3, 1_500_000, 70_000, 0, 2_100_000];
    for (let k = 0; k < 14; k++) {
      const text = (k % 3 === 0 ? 'é' : k % 3 === 1 ? '"' : 'a').repeat(sizes[k % sizes.length]);
      const value = new Struct(schema)
        .put('i', BigInt(k) * 10n ** 17n)
        .put('s', text)
        .put('n', new Struct(schema.field('n')!.schema).put('t', text.slice(0, 1000)).put('d', k / 3));
      expect(written(out, write, value) === writer.valueToJson(schema, value, 'value')).toBe(true);
    }
  });
});

describe('small Decimals as base64', () => {
  it('write the fewest two’s complement bytes at every width boundary, as the general path', () => {
    const schema = SchemaBuilder.struct().field('d', Decimal.builder(3).build()).build();
    const writer = new JsonValueWriter(false, true, 0);
    const out = new JsonBytes();
    const edges: bigint[] = [0n, 1n, -1n];
    for (let bits = 7; bits <= 48; bits += 8)
      for (const e of [2n ** BigInt(bits), -(2n ** BigInt(bits))]) edges.push(e - 1n, e, e + 1n);
    for (const unscaled of edges) {
      const value = new Struct(schema).put('d', new BigDecimal(unscaled, 3));
      expect(written(out, writer.writerFor(schema), value)).toBe(writer.valueToJson(schema, value, 'value'));
    }
  });
});
