/**
 * Transforms differential cases: Kafka Connect's type and shape transforms (Cast,
 * TimestampConverter, Flatten, SetSchemaMetadata).
 */
import { decimal, kc, opt, rec, sl, struct, T, type TransformCase } from './transforms-case.ts';
import type { SchemaDesc } from './json-converter-cases.ts';
import { KEY, ROW_NULLS, withRow } from './transforms-cases-fields.ts';

const PRIMS: Array<[string, SchemaDesc, unknown]> = [
  ['int8 -5', T.int8, -5],
  ['int16 300', T.int16, 300],
  ['int32 70000', T.int32, 70000],
  ['int32 -1', T.int32, -1],
  ['int64 beyond 2^53', T.int64, '9007199254740993'],
  ['int64 min', T.int64, '-9223372036854775808'],
  ['int64 3000000000', T.int64, '3000000000'],
  ['float32 1.5', T.float32, '1.5'],
  ['float32 0.1', T.float32, '0.1'],
  ['float64 -2.75', T.float64, '-2.75'],
  ['float64 1e20', T.float64, '1e20'],
  ['float64 NaN', T.float64, 'NaN'],
  ['boolean true', T.boolean, true],
  ['string 42', T.string, '42'],
  ['string -7.9', T.string, '-7.9'],
  ['string true', T.string, 'true'],
  ['string abc', T.string, 'abc'],
];
const TARGETS = ['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string'];

function cast(): TransformCase[] {
  const whole: TransformCase[] = [];
  for (const [label, schema, value] of PRIMS) {
    for (const target of TARGETS) {
      // A spread of pairs, not the full product: each source type to a few targets.
      if ((label.length + target.length) % 3 !== 0 && target !== 'string') continue;
      whole.push(
        kc(
          `Cast Value whole ${label} -> ${target}`,
          'Cast$Value',
          { spec: target },
          rec({ valueSchema: schema, value }),
        ),
      );
    }
  }
  const mixed = struct(
    {
      i8: T.int8,
      i64: T.int64,
      f64: T.float64,
      s: T.string,
      b: T.boolean,
      d: decimal(2),
      ts: { type: 'timestamp' },
      bs: opt(T.bytes),
      o: opt(T.int32, { default: 9 }),
      n: opt(T.string),
    },
    { name: 'mixed', version: 2, doc: 'a doc' },
  );
  const mv = {
    i8: 100,
    i64: '1234567890123',
    f64: '3.99',
    s: '12',
    b: false,
    d: '-1.05',
    ts: '1700000000123',
    bs: 'AAEC',
    o: null,
    n: null,
  };
  const r = rec({ keySchema: KEY, key: { id: '1' }, valueSchema: mixed, value: mv });
  return [
    ...whole,
    kc(
      'Cast Value fields to string',
      'Cast$Value',
      { spec: 'i8:string,i64:string,f64:string,b:string,d:string,ts:string,bs:string' },
      r,
    ),
    kc(
      'Cast Value fields to numbers',
      'Cast$Value',
      { spec: 'i8:int64,i64:int32,f64:int16,s:float32,b:int8,d:float64' },
      r,
    ),
    kc('Cast Value decimal to int32', 'Cast$Value', { spec: 'd:int32' }, r),
    kc('Cast Value string to boolean', 'Cast$Value', { spec: 's:boolean' }, r),
    kc('Cast Value timestamp to int64', 'Cast$Value', { spec: 'ts:int64' }, r),
    kc('Cast Value optional null and defaulted', 'Cast$Value', { spec: 'o:string,n:int32' }, r),
    kc(
      'Cast Value optional defaulted, replace.null.with.default=false',
      'Cast$Value',
      { spec: 'o:string', 'replace.null.with.default': 'false' },
      r,
    ),
    kc('Cast Value unknown field', 'Cast$Value', { spec: 'zz:string' }, r),
    kc('Cast Value bad type', 'Cast$Value', { spec: 'i8:date' }, r),
    kc('Cast Value bad spec', 'Cast$Value', { spec: 'i8:' }, r),
    kc(
      'Cast Value string field not a number',
      'Cast$Value',
      { spec: 'n:int32,s:int8' },
      rec({ valueSchema: mixed, value: { ...mv, s: 'x' } }),
    ),
    kc('Cast Key struct field', 'Cast$Key', { spec: 'id:string' }, r),
    kc(
      'Cast Value schemaless fields',
      'Cast$Value',
      { spec: 'id:string,score:int32,active:int8,name:string' },
      withRow('value', false),
    ),
    kc('Cast Value schemaless whole int', 'Cast$Value', { spec: 'float64' }, rec({ value: sl(7) })),
    kc('Cast Value schemaless whole string', 'Cast$Value', { spec: 'int32' }, rec({ value: sl('55') })),
    kc('Cast Value schemaless null', 'Cast$Value', { spec: 'int32' }, rec({ value: null })),
    kc(
      'Cast Value tombstone with schema',
      'Cast$Value',
      { spec: 'i8:string' },
      rec({ valueSchema: opt(mixed), value: null }),
    ),
    kc('Cast Value struct with a nested struct field', 'Cast$Value', { spec: 'id:string' }, withRow('value', true)),
  ];
}

const TS = struct(
  {
    id: T.int32,
    at: opt({ type: 'timestamp' }),
    s: opt(T.string),
    n: opt(T.int64),
    d: opt({ type: 'date' }),
    t: opt({ type: 'time' }),
  },
  { name: 'ts.row' },
);
const TSV = {
  id: 1,
  at: '1700000000123',
  s: '2023-11-14 22:13:20.123',
  n: '1700000000123',
  d: '1699920000000',
  t: '80000123',
};

function timestampConverter(): TransformCase[] {
  const r = rec({ valueSchema: TS, value: TSV });
  const out: TransformCase[] = [];
  for (const target of ['string', 'unix', 'Date', 'Time', 'Timestamp']) {
    out.push(
      kc(
        `TimestampConverter Timestamp field -> ${target}`,
        'TimestampConverter$Value',
        { field: 'at', 'target.type': target, format: 'yyyy-MM-dd HH:mm:ss.SSS' },
        r,
      ),
    );
    out.push(
      kc(
        `TimestampConverter unix field -> ${target}`,
        'TimestampConverter$Value',
        { field: 'n', 'target.type': target, format: "yyyy-MM-dd'T'HH:mm:ss" },
        r,
      ),
    );
    out.push(
      kc(
        `TimestampConverter string field -> ${target}`,
        'TimestampConverter$Value',
        { field: 's', 'target.type': target, format: 'yyyy-MM-dd HH:mm:ss.SSS' },
        r,
      ),
    );
    out.push(
      kc(
        `TimestampConverter null field -> ${target}`,
        'TimestampConverter$Value',
        { field: 'at', 'target.type': target, format: 'yyyy' },
        rec({ valueSchema: TS, value: { id: 2 } }),
      ),
    );
  }
  for (const precision of ['seconds', 'milliseconds', 'microseconds', 'nanoseconds']) {
    out.push(
      kc(
        `TimestampConverter unix ${precision} -> Timestamp`,
        'TimestampConverter$Value',
        { field: 'n', 'target.type': 'Timestamp', 'unix.precision': precision },
        r,
      ),
    );
    out.push(
      kc(
        `TimestampConverter Timestamp -> unix ${precision}`,
        'TimestampConverter$Value',
        { field: 'at', 'target.type': 'unix', 'unix.precision': precision },
        r,
      ),
    );
  }
  return out.concat([
    kc(
      'TimestampConverter Date field -> string',
      'TimestampConverter$Value',
      { field: 'd', 'target.type': 'string', format: 'EEE, d MMM yyyy' },
      r,
    ),
    kc('TimestampConverter Time field -> unix', 'TimestampConverter$Value', { field: 't', 'target.type': 'unix' }, r),
    kc(
      'TimestampConverter string without format',
      'TimestampConverter$Value',
      { field: 's', 'target.type': 'Timestamp' },
      r,
    ),
    kc(
      'TimestampConverter unparseable string',
      'TimestampConverter$Value',
      { field: 's', 'target.type': 'Timestamp', format: 'yyyy-MM-dd' },
      rec({ valueSchema: TS, value: { ...TSV, s: 'nope' } }),
    ),
    kc(
      'TimestampConverter whole value int64 -> string',
      'TimestampConverter$Value',
      { 'target.type': 'string', format: 'yyyy-MM-dd HH:mm:ss.SSS' },
      rec({ valueSchema: T.int64, value: '-62135596800000' }),
    ),
    ...['-62135596800000', '-12219292800001', '-12219292800000', '-30610224000000', '-2208988800000'].map((ms) =>
      kc(
        `TimestampConverter Julian/Gregorian ${ms} -> string`,
        'TimestampConverter$Value',
        { 'target.type': 'string', format: 'yyyy-MM-dd D E w HH:mm:ss.SSS' },
        rec({ valueSchema: { type: 'timestamp' }, value: ms }),
      ),
    ),
    ...['0001-01-01', '1582-10-04', '1582-10-15', '1000-02-29', '0100-03-01'].map((text) =>
      kc(
        `TimestampConverter parse ${text} -> unix`,
        'TimestampConverter$Value',
        { 'target.type': 'unix', format: 'yyyy-MM-dd' },
        rec({ valueSchema: T.string, value: text }),
      ),
    ),
    kc(
      'Cast Value timestamp before 1582 to string',
      'Cast$Value',
      { spec: 'string' },
      rec({ valueSchema: { type: 'timestamp' }, value: '-62135596800001' }),
    ),
    kc(
      'TimestampConverter whole key Timestamp -> Date',
      'TimestampConverter$Key',
      { 'target.type': 'Date' },
      rec({ keySchema: { type: 'timestamp' }, key: '1700000000123' }),
    ),
    kc(
      'TimestampConverter schemaless field -> string',
      'TimestampConverter$Value',
      { field: 'at', 'target.type': 'string', format: 'dd/MM/yyyy HH:mm' },
      rec({ value: sl({ id: 1, at: 1700000000123 }) }),
    ),
    kc(
      'TimestampConverter schemaless string -> unix',
      'TimestampConverter$Value',
      { field: 'at', 'target.type': 'unix', format: 'yyyy-MM-dd' },
      rec({ value: sl({ at: '2024-02-29' }) }),
    ),
    kc(
      'TimestampConverter schemaless missing field',
      'TimestampConverter$Value',
      { field: 'zz', 'target.type': 'unix' },
      rec({ value: sl({ at: 1 }) }),
    ),
    kc('TimestampConverter bad target', 'TimestampConverter$Value', { field: 'at', 'target.type': 'Instant' }, r),
    kc(
      'TimestampConverter string target needs format',
      'TimestampConverter$Value',
      { field: 'at', 'target.type': 'string' },
      r,
    ),
    kc(
      'TimestampConverter tombstone',
      'TimestampConverter$Value',
      { field: 'at', 'target.type': 'unix' },
      rec({ valueSchema: opt(TS), value: null }),
    ),
  ]);
}

function flatten(): TransformCase[] {
  const deep = struct(
    {
      id: T.int32,
      a: struct(
        { b: struct({ c: T.string, d: opt(T.int64, { default: '5' }) }), e: opt(T.boolean) },
        { optional: true, name: 'A' },
      ),
      arr: opt({ type: 'array', items: struct({ x: T.int32 }) }),
      m: opt({ type: 'map', keys: T.string, values: T.string }),
      req: struct({ v: T.float64 }, { doc: 'required parent' }),
    },
    { name: 'deep', version: 4 },
  );
  const dv = { id: 1, a: { b: { c: 'see', d: '7' }, e: true }, arr: [{ x: 1 }], m: [['k', 'v']], req: { v: '0.5' } };
  return [
    kc('Flatten Value default delimiter', 'Flatten$Value', {}, rec({ valueSchema: deep, value: dv })),
    kc('Flatten Value delimiter _', 'Flatten$Value', { delimiter: '_' }, rec({ valueSchema: deep, value: dv })),
    kc(
      'Flatten Value null optional parent',
      'Flatten$Value',
      { delimiter: '__' },
      rec({ valueSchema: deep, value: { id: 2, req: { v: '1' } } }),
    ),
    kc('Flatten Key', 'Flatten$Key', {}, rec({ keySchema: deep, key: dv })),
    kc('Flatten Value row', 'Flatten$Value', {}, withRow('value', true)),
    kc('Flatten Value row with nulls', 'Flatten$Value', {}, withRow('value', true, ROW_NULLS)),
    kc('Flatten Value schemaless', 'Flatten$Value', { delimiter: '-' }, withRow('value', false)),
    kc(
      'Flatten Value schemaless deep',
      'Flatten$Value',
      {},
      rec({ value: sl({ a: { b: { c: 1, d: [1, { e: 2 }] } }, f: null, g: {} }) }),
    ),
    kc('Flatten Key schemaless', 'Flatten$Key', {}, withRow('key', false)),
    kc('Flatten Value tombstone', 'Flatten$Value', {}, rec({ valueSchema: opt(deep), value: null })),
    kc('Flatten Value primitive', 'Flatten$Value', {}, rec({ valueSchema: T.string, value: 'x' })),
    kc('Flatten Value empty struct', 'Flatten$Value', {}, rec({ valueSchema: struct({}), value: {} })),
  ];
}

function setSchemaMetadata(): TransformCase[] {
  const SM = 'SetSchemaMetadata$Value';
  const out: TransformCase[] = [];
  const targets: Array<[string, SchemaDesc, unknown]> = [
    [
      'struct',
      struct({ id: T.int32, n: opt(T.string) }, { name: 'old', version: 1, doc: 'doc', parameters: { p: 'q' } }),
      { id: 3, n: 'x' },
    ],
    ['int64', T.int64, '9007199254740993'],
    ['optional string', opt(T.string), 'text'],
    ['optional string null', opt(T.string), null],
    ['Decimal', decimal(2), '1.25'],
    ['Timestamp', { type: 'timestamp' }, '1700000000123'],
    ['array', { type: 'array', items: T.int32 }, [1, 2]],
    ['map', { type: 'map', keys: T.string, values: T.int32 }, [['a', 1]]],
    ['struct with default', struct({ d: opt(T.int32, { default: 4 }) }), {}],
  ];
  for (const [label, schema, value] of targets) {
    const r = rec({ valueSchema: schema, value });
    out.push(
      kc(`SetSchemaMetadata ${label} name+version`, SM, { 'schema.name': 'new.name', 'schema.version': '7' }, r),
    );
    out.push(kc(`SetSchemaMetadata ${label} name only`, SM, { 'schema.name': 'only.name' }, r));
    out.push(kc(`SetSchemaMetadata ${label} version only`, SM, { 'schema.version': '3' }, r));
  }
  return out.concat([
    kc(
      'SetSchemaMetadata Key struct',
      'SetSchemaMetadata$Key',
      { 'schema.name': 'k', 'schema.version': '2' },
      rec({ keySchema: KEY, key: { id: '1' } }),
    ),
    kc('SetSchemaMetadata schemaless', SM, { 'schema.name': 'x' }, withRow('value', false)),
    kc('SetSchemaMetadata nothing configured', SM, {}, withRow('value', true)),
    kc(
      'SetSchemaMetadata struct null value',
      SM,
      { 'schema.name': 'x' },
      rec({ valueSchema: opt(struct({ a: T.int32 })), value: null }),
    ),
    kc(
      'SetSchemaMetadata struct default kept, replace.null.with.default=false',
      SM,
      { 'schema.name': 'x', 'replace.null.with.default': 'false' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 4 }) }), value: {} }),
    ),
  ]);
}

export function convertCases(): TransformCase[] {
  return [...cast(), ...timestampConverter(), ...flatten(), ...setSchemaMetadata()];
}
