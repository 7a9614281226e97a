/**
 * The JSON read fast paths against the character-by-character parser they replace: parseJsonPrecise
 * (placeholders for long numbers, then JSON.parse) against parseJsonWithTextParser on random texts
 * with int64 extremes, long decimals and digit runs inside strings; and JsonConverter.toConnectData
 * with the envelope schema cache against a converter without it, on random Debezium-like envelopes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonConverter } from './json-converter.ts';
import { JsonNumberText, parseJsonPrecise, parseJsonWithTextParser } from './json-text.ts';
import { SchemaBuilder, type Schema } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal } from '../data/logical.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** A parse result with every type visible (bigint vs number, -0, JsonNumberText). */
function typed(v: unknown): unknown {
  if (typeof v === 'bigint') return { bigint: String(v) };
  if (typeof v === 'number') return { number: Object.is(v, -0) ? '-0' : String(v) };
  if (v instanceof JsonNumberText) return { numberText: v.text };
  if (v instanceof Struct) return { struct: v.schema.fields.map((f) => [f.name, typed(v.getWithoutDefault(f.name))]) };
  if (v instanceof BigDecimal) return { decimal: v.toString() };
  if (Buffer.isBuffer(v)) return { bytes: v.toString('base64') };
  if (v instanceof Map) return { map: [...v.entries()].map(([k, e]) => [typed(k), typed(e)]) };
  if (Array.isArray(v)) return v.map(typed);
  if (v !== null && typeof v === 'object')
    return {
      object: Object.entries(v).map(([k, e]) => [k, typed(e)]),
      proto: Object.getPrototypeOf(v) === Object.prototype,
    };
  return v;
}

function outcome(parse: (text: string) => unknown, text: string): unknown {
  try {
    return { value: typed(parse(text)) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const INT64_EXTREMES = [
  '9223372036854775807',
  '-9223372036854775808',
  '9223372036854775808',
  '-9223372036854775809',
  '9007199254740991',
  '-9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '18446744073709551615',
  '1701234567890123456',
  '1234567890123456',
  '0',
  '-0',
];
const integerToken = fc.oneof(
  fc.constantFrom(...INT64_EXTREMES),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.integer().map(String),
);
const decimalToken = fc
  .tuple(
    fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
    fc.stringMatching(/^[0-9]{1,24}$/),
    fc.option(fc.integer({ min: -400, max: 400 }), { nil: undefined }),
  )
  .map(([i, frac, exp]) => `${i}.${frac}${exp === undefined ? '' : `e${exp}`}`);
// Strings full of digit runs, quotes and backslashes: a long number inside a string is not a number.
const stringToken = fc
  .oneof(
    fc.string(),
    fc.stringMatching(/^[0-9."\\:,{}[\]e-]{0,40}$/),
    fc.constantFrom('\\', '\\"', '12345678901234567890', 'a\\"1234567890123456789"'),
  )
  .map((s) => JSON.stringify(s));
const leaf = fc.oneof(integerToken, decimalToken, stringToken, fc.constantFrom('true', 'false', 'null'));
const ws = fc.constantFrom('', '', '', ' ', '\n\t ');

const { json } = fc.letrec<{ json: string }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.array(tie('json'), { maxLength: 5 }), ws).map(([items, w]) => `[${w}${items.join(`${w},`)}]`),
    fc
      .tuple(fc.array(fc.tuple(stringToken, tie('json')), { maxLength: 5 }), ws)
      .map(([entries, w]) => `{${entries.map(([k, v]) => `${w}${k}${w}:${v}`).join(',')}${w}}`),
  ),
}));

describe('parseJsonPrecise (placeholders + JSON.parse) against the text parser', () => {
  it('gives the same values on random JSON with int64 extremes, long decimals and digits in strings', () => {
    fc.assert(
      fc.property(json, (text) => {
        expect(outcome(parseJsonPrecise, text)).toEqual(outcome(parseJsonWithTextParser, text));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('gives the same values or the same error on damaged texts', () => {
    const damaged = fc
      .tuple(json, fc.nat(), fc.constantFrom('', '"', '\\', '1', '}', ',', '0', '-', '.', 'e'))
      .map(([text, at, ch]) => {
        const i = text.length === 0 ? 0 : at % text.length;
        return text.slice(0, i) + ch + text.slice(i + 1);
      });
    fc.assert(
      fc.property(damaged, (text) => {
        expect(outcome(parseJsonPrecise, text)).toEqual(outcome(parseJsonWithTextParser, text));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('keeps the edge cases the placeholders cannot mirror on the text parser', () => {
    for (const text of [
      '{"__proto__":{"a":1},"b":12345678901234567}',
      '["\\u0000x",12345678901234567]',
      `[${'1'.repeat(401)}]`,
      '[012345678901234567]',
      '[1.5e99999999999999999]',
      '12345678901234567890',
    ]) {
      expect(outcome(parseJsonPrecise, text), text).toEqual(outcome(parseJsonWithTextParser, text));
    }
    expect(parseJsonPrecise('{"ts_ns":1701234567890123456,"s":"1701234567890123456"}')).toEqual({
      ts_ns: 1701234567890123456n,
      s: '1701234567890123456',
    });
  });
});

// ---- envelopes -------------------------------------------------------------------------------

interface Column {
  name: string;
  type: 'int64' | 'int32' | 'string' | 'float64' | 'boolean';
  optional: boolean;
}

const INT64_VALUES = [
  2n ** 63n - 1n,
  -(2n ** 63n),
  2n ** 53n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 1n,
  1701234567890123456n,
  0n,
  9007199254740991n,
];
const column = fc.record({
  name: fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/),
  type: fc.constantFrom('int64', 'int64', 'int32', 'string', 'float64', 'boolean'),
  optional: fc.boolean(),
}) as fc.Arbitrary<Column>;
const table = fc.uniqueArray(column, { minLength: 1, maxLength: 6, selector: (c) => c.name });

function rowSchema(cols: Column[], name: string): Schema {
  const b = SchemaBuilder.struct().name(name).optional();
  for (const c of cols) {
    const f =
      c.type === 'int64'
        ? SchemaBuilder.int64()
        : c.type === 'int32'
          ? SchemaBuilder.int32()
          : c.type === 'string'
            ? SchemaBuilder.string()
            : c.type === 'float64'
              ? SchemaBuilder.float64()
              : SchemaBuilder.bool();
    if (c.optional) f.optional();
    b.field(c.name, f.build());
  }
  return b.build();
}

function envelopeSchema(row: Schema, name: string): Schema {
  const source = SchemaBuilder.struct()
    .name('io.debezium.connector.postgresql.Source')
    .field('version', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().build())
    .field('ts_ns', SchemaBuilder.int64().optional().build())
    .build();
  return SchemaBuilder.struct()
    .name(`${name}.Envelope`)
    .version(2)
    .field('before', row)
    .field('after', row)
    .field('source', source)
    .field('op', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().optional().build())
    .field('ts_us', SchemaBuilder.int64().optional().build())
    .field('ts_ns', SchemaBuilder.int64().optional().build())
    .build();
}

const int64Value = fc
  .oneof(fc.constantFrom(...INT64_VALUES), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }))
  .map((v) => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v));
function cellValue(c: Column): fc.Arbitrary<unknown> {
  const v: fc.Arbitrary<unknown> =
    c.type === 'int64'
      ? int64Value
      : c.type === 'int32'
        ? fc.integer()
        : c.type === 'string'
          ? fc.oneof(fc.string(), fc.constant('12345678901234567890'))
          : c.type === 'float64'
            ? fc
                .double({ noNaN: true, noDefaultInfinity: true })
                .filter((d) => !Object.is(d, -0)) /* read back as 0.0, as Jackson */
            : fc.boolean();
  return c.optional ? fc.option(v, { nil: null }) : v;
}

const envelopes = fc
  .array(fc.tuple(table, fc.constantFrom('db.public.a', 'db.public.b')), { minLength: 1, maxLength: 3 })
  .chain((tables) => {
    const schemas = tables.map(([cols, name]) => ({
      cols,
      env: envelopeSchema(rowSchema(cols, `${name}.Value`), name),
    }));
    const record = fc.nat({ max: schemas.length - 1 }).chain((i) => {
      const { cols, env } = schemas[i];
      const row = fc.tuple(...cols.map(cellValue)).map((values) => {
        const s = new Struct(env.field('after')!.schema);
        cols.forEach((c, j) => s.put(c.name, values[j]));
        return s;
      });
      return fc
        .record({
          before: fc.option(row, { nil: null }),
          after: row,
          tsNs: int64Value,
          op: fc.constantFrom('c', 'u', 'd', 'r'),
          spaced: fc.boolean(),
        })
        .map((r) => {
          const source = new Struct(env.field('source')!.schema)
            .put('version', '3.6.1')
            .put('ts_ms', 1701234567890)
            .put('ts_ns', r.tsNs);
          const value = new Struct(env)
            .put('before', r.before)
            .put('after', r.after)
            .put('source', source)
            .put('op', r.op)
            .put('ts_ms', 1701234567891)
            .put('ts_us', 1701234567891234)
            .put('ts_ns', r.tsNs);
          return { env, value, spaced: r.spaced };
        });
    });
    return fc.array(record, { minLength: 1, maxLength: 12 });
  });

describe('JsonConverter.toConnectData with the envelope schema cache', () => {
  it('reads random Debezium envelopes (int64 extremes) as a converter without the cache, exactly', () => {
    fc.assert(
      fc.property(envelopes, (records) => {
        const writer = new JsonConverter();
        writer.configure({}, false);
        const cached = new JsonConverter();
        cached.configure({}, false);
        for (const { env, value, spaced } of records) {
          let bytes = writer.fromConnectData('t', env, value)!;
          if (spaced) bytes = Buffer.from(bytes.toString('utf8').replace(',"payload":', ',"payload": \n'));
          const text = bytes.toString('utf8');
          expect(outcome(parseJsonPrecise, text)).toEqual(outcome(parseJsonWithTextParser, text));
          const reference = new JsonConverter();
          reference.configure({ 'schemas.cache.size': '0' }, false);
          const expected = reference.toConnectData('t', bytes);
          const actual = cached.toConnectData('t', bytes);
          expect(actual.schema).toEqual(expected.schema);
          expect(typed(actual.value)).toEqual(typed(expected.value));
          // And the values are the ones written: int64 exact beyond 2^53.
          expect(typed(actual.value)).toEqual(typed(value));
        }
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });

  it('serves a cached schema only for a message whose schema bytes match, and takes the full path for the rest', () => {
    const conv = new JsonConverter();
    conv.configure({}, false);
    const schema =
      '{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false,"name":"a"}';
    const first = conv.toConnectData('t', Buffer.from(`{"schema":${schema},"payload":{"id":9223372036854775807}}`));
    const again = conv.toConnectData('t', Buffer.from(`{"schema":${schema},"payload":{"id":-9223372036854775808}}`));
    expect(again.schema).toBe(first.schema);
    expect((again.value as Struct).get('id')).toBe(-9223372036854775808n);
    // A parameter named "payload" inside the schema: the first `,"payload":` is not the separator.
    const withParam = '{"type":"int64","optional":false,"parameters":{"a":"1","payload":"2"}}';
    for (let i = 0; i < 2; i++)
      expect(conv.toConnectData('t', Buffer.from(`{"schema":${withParam},"payload":12345678901234567}`)).value).toBe(
        12345678901234567n,
      );
    // Same schema, broken envelopes: the full path's errors.
    expect(() => conv.toConnectData('t', Buffer.from(`{"schema":${schema},"payload":{"id":1},"x":2}`))).toThrow(
      /requires "schema" and "payload" fields/,
    );
    expect(() => conv.toConnectData('t', Buffer.from(`{"schema":${schema},"payload":{"id":1}`))).toThrow(
      /serialization error/,
    );
    expect(() => conv.toConnectData('t', Buffer.from(`{"schema":${schema},"payload":{"id":"x"}}`))).toThrow(
      /Invalid type for INT64/,
    );
  });
});
