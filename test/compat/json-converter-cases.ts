/**
 * Connect schema+value cases for the JsonConverter differential test, as JSON descriptors that
 * both Kafka's harness (JsonConverterHarness.java) and Tributary build into Connect data. Numbers
 * JSON cannot carry exactly (int64, floats, decimals, timestamps) are decimal strings.
 */
import { SchemaBuilder, type Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../runtime/data/logical.ts';
import { seededRandom as seeded } from '../helpers/seeded-random.ts';

export interface SchemaDesc {
  type: string;
  optional?: boolean;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  default?: unknown;
  scale?: number;
  fields?: Array<{ name: string; schema: SchemaDesc }>;
  items?: SchemaDesc;
  keys?: SchemaDesc;
  values?: SchemaDesc;
}
export interface SchemalessDesc {
  t: string;
  v: unknown;
}
export interface CaseDesc {
  id: string;
  schema: SchemaDesc | null;
  value: unknown;
}

const DOUBLES = [
  '0.0',
  '-0.0',
  '1.0',
  '-1.0',
  '0.1',
  '0.5',
  '1.5',
  '100.0',
  '99.99',
  '123456.789',
  '1e7',
  '-1e7',
  '9999999.0',
  '12345678.9',
  '1e21',
  '1e22',
  '1e-3',
  '1e-4',
  '0.001',
  '0.0001',
  '1.7976931348623157E308',
  '-1.7976931348623157E308',
  '4.9E-324',
  '-4.9E-324',
  '2.2250738585072014E-308',
  '2.225073858507201E-308',
  '1e-300',
  '1e300',
  '3.141592653589793',
  '2.718281828459045',
  '9007199254740993',
  '9.007199254740992E15',
  '1.0E-5',
  '123e-20',
  '5e-324',
  'NaN',
  'Infinity',
  '-Infinity',
  '0.30000000000000004',
  '1e16',
  '1e100',
  '6.02214076e23',
];
const FLOATS = [
  '0.0',
  '-0.0',
  '1.0',
  '0.1',
  '1.1',
  '0.33333334',
  '3.4028235E38',
  '-3.4028235E38',
  '1.4E-45',
  '-1.4E-45',
  '1.17549435E-38',
  '1.0E7',
  '1.6777216E7',
  '16777217',
  '1e-3',
  '1e-4',
  '123456.79',
  '1e10',
  '1e-10',
  '3.1415927',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e39',
  '-1e39',
  '1e-46',
  '100.0',
  '9999999.0',
  '2.5',
  '7.0E-45',
];
const INT8 = ['-128', '-1', '0', '1', '127'];
const INT16 = ['-32768', '0', '255', '32767'];
const INT32 = ['-2147483648', '-1', '0', '1', '2147483647'];
const INT64 = [
  '-9223372036854775808',
  '-9007199254740993',
  '-9007199254740992',
  '-1',
  '0',
  '1',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '123456789012345678',
  '9223372036854775807',
];
const STRINGS = [
  '',
  'plain',
  'quote " backslash \\ slash /',
  'tab\tnewline\ncr\rbs\bff\f',
  '\u0000\u0001\u001f\u007f\u0080',
  'é ü ß € 中文',
  '😀 𝄞 non-BMP 🇪🇺',
  '\u2028\u2029',
  '<script>&amp;</script>',
  "it's",
  'ctrl\u000b\u000e',
  'lone \ud800 high',
  'lone \udfff low',
];
const BYTES = ['', 'AA==', '/w==', 'AAECAwQFBgcICQ==', Buffer.from('hello world, bytes').toString('base64')];
const DECIMALS: Array<[number, string[]]> = [
  [0, ['0', '1', '-1', '127', '128', '-129', '123456789012345678901234567890']],
  [2, ['0.00', '2.21', '-2.21', '1.50', '99999999999999999.99', '0.01']],
  [10, ['0.0000000001', '-0.0000000001', '1.0000000000', '0E-10']],
  [7, ['0.0000001', '0.0000010', '123.4567890']],
  [3, ['1.500', '-0.001']],
];
const DATES = ['0', '-1', '19000', '2932896', '-719528'];
const TIMES = ['0', '1', '43200000', '86399999'];
const TIMESTAMPS = ['0', '-1', '1700000000123', '-62135596800000', '253402300799999'];

const bitsView = new DataView(new ArrayBuffer(8));
function randomBits(rnd: () => number, highMask = 0xffffffff): number {
  bitsView.setUint32(0, Math.floor(rnd() * 2 ** 32) & highMask);
  bitsView.setUint32(4, Math.floor(rnd() * 2 ** 32));
  const d = bitsView.getFloat64(0);
  return Number.isFinite(d) ? d : 0.5;
}

/** Value distributions for the float64/float32 sweeps: every exponent, decimal-like, integers, subnormals. */
const RANDOM_KINDS: Array<[string, (rnd: () => number) => number]> = [
  ['random bits', (rnd) => randomBits(rnd)],
  ['log-uniform 1e-20..1e20', (rnd) => (rnd() < 0.5 ? -1 : 1) * 10 ** (rnd() * 40 - 20)],
  ['decimal-like', (rnd) => Math.round(rnd() * 1e6) / 10 ** Math.floor(rnd() * 8)],
  ['integers', (rnd) => Math.floor(rnd() * 2 ** Math.floor(rnd() * 70))],
  ['subnormal', (rnd) => randomBits(rnd, 0x000fffff)],
  ['powers of two', (rnd) => 2 ** (Math.floor(rnd() * 2098) - 1074)],
];

function prim(type: string, values: string[] | unknown[], extra: Partial<SchemaDesc> = {}): CaseDesc[] {
  return values.map((v, i) => ({
    id: `${type}${extra.scale !== undefined ? `(${extra.scale})` : ''}#${i}:${String(v)}`,
    schema: { type, ...extra },
    value: v,
  }));
}

export function jsonConverterCases(): CaseDesc[] {
  const cases: CaseDesc[] = [
    ...prim('int8', INT8.map(Number)),
    ...prim('int16', INT16.map(Number)),
    ...prim('int32', INT32.map(Number)),
    ...prim('int64', INT64),
    ...prim('float64', DOUBLES),
    ...prim('float32', FLOATS),
    ...prim('boolean', [true, false]),
    ...prim('string', STRINGS),
    ...prim('bytes', BYTES),
    ...DECIMALS.flatMap(([scale, values]) => prim('decimal', values, { scale })),
    ...prim(
      'date',
      DATES.map((d) => String(Number(d) * 86_400_000)),
    ),
    ...prim('time', TIMES),
    ...prim('timestamp', TIMESTAMPS),
  ];
  const optionals: Array<[string, unknown]> = [
    ['int32', 7],
    ['int64', '9007199254740993'],
    ['float64', '1.0'],
    ['float32', '1.5'],
    ['string', 'd'],
    ['boolean', true],
    ['bytes', 'AQI='],
    ['int8', -5],
    ['int16', 300],
  ];
  for (const [type, def] of optionals) {
    cases.push({ id: `optional null ${type}`, schema: { type, optional: true }, value: null });
    cases.push({ id: `default ${type} (null value)`, schema: { type, optional: true, default: def }, value: null });
    cases.push({ id: `default ${type} (value set)`, schema: { type, optional: true, default: def }, value: def });
  }
  cases.push({
    id: 'default decimal',
    schema: { type: 'decimal', scale: 10, optional: true, default: '1E-10' },
    value: null,
  });
  cases.push({ id: 'default double NaN', schema: { type: 'float64', optional: true, default: 'NaN' }, value: null });
  cases.push({
    id: 'default timestamp',
    schema: { type: 'timestamp', optional: true, default: '1700000000000' },
    value: null,
  });
  cases.push({
    id: 'schema metadata',
    schema: {
      type: 'string',
      name: 'my.Name "q"\u0001',
      version: 3,
      doc: 'doc 😀 \n',
      parameters: { a: '1', 'b\t': 'x"y' },
    },
    value: 'v',
  });
  const everyField: SchemaDesc = {
    type: 'struct',
    name: 'x.Value',
    fields: [
      { name: 'i8', schema: { type: 'int8' } },
      { name: 'i64', schema: { type: 'int64' } },
      { name: 'f', schema: { type: 'float32' } },
      { name: 'd', schema: { type: 'float64' } },
      { name: 'dec', schema: { type: 'decimal', scale: 2, optional: true } },
      { name: 's', schema: { type: 'string', optional: true } },
      { name: 'b', schema: { type: 'bytes', optional: true } },
      { name: 'ts', schema: { type: 'timestamp', optional: true } },
      { name: 'def', schema: { type: 'string', optional: true, default: 'dflt' } },
      {
        name: 'nested',
        schema: {
          type: 'struct',
          optional: true,
          fields: [
            { name: 'x', schema: { type: 'float64', optional: true } },
            { name: 'y 😀', schema: { type: 'array', items: { type: 'int64' } } },
          ],
        },
      },
    ],
  };
  cases.push({
    id: 'struct all set',
    schema: everyField,
    value: {
      i8: -128,
      i64: '-9223372036854775808',
      f: '1.4E-45',
      d: 'NaN',
      dec: '-2.21',
      s: '\u0000😀',
      b: 'AQ==',
      ts: '-1',
      def: 'set',
      nested: { x: '-0.0', 'y 😀': ['9223372036854775807', '0'] },
    },
  });
  cases.push({
    id: 'struct nulls',
    schema: everyField,
    value: { i8: 0, i64: '0', f: 'Infinity', d: '1e21', nested: null },
  });
  cases.push({
    id: 'struct nested nulls',
    schema: everyField,
    value: { i8: 1, i64: '1', f: '0.1', d: '0.1', nested: { 'y 😀': [] } },
  });
  cases.push({ id: 'struct empty', schema: { type: 'struct', fields: [] }, value: {} });
  cases.push({ id: 'array float64', schema: { type: 'array', items: { type: 'float64' } }, value: DOUBLES });
  cases.push({ id: 'array float32', schema: { type: 'array', items: { type: 'float32' } }, value: FLOATS });
  cases.push({
    id: 'array optional strings',
    schema: { type: 'array', items: { type: 'string', optional: true } },
    value: ['a', null, '😀'],
  });
  cases.push({
    id: 'array decimals',
    schema: { type: 'array', items: { type: 'decimal', scale: 10 } },
    value: ['0.0000000001', '12.3456789012'],
  });
  cases.push({ id: 'array empty', schema: { type: 'array', items: { type: 'int32' } }, value: [] });
  cases.push({
    id: 'map string keys',
    schema: { type: 'map', keys: { type: 'string' }, values: { type: 'float64' } },
    value: [
      ['a', '1.0'],
      ['\n😀', 'NaN'],
      ['', '-0.0'],
    ],
  });
  cases.push({
    id: 'map int64 keys',
    schema: { type: 'map', keys: { type: 'int64' }, values: { type: 'string' } },
    value: [
      ['9223372036854775807', 'max'],
      ['-1', 'neg'],
    ],
  });
  cases.push({
    id: 'map float keys',
    schema: { type: 'map', keys: { type: 'float32' }, values: { type: 'boolean' } },
    value: [
      ['NaN', true],
      ['0.1', false],
    ],
  });
  cases.push({
    id: 'map struct values',
    schema: {
      type: 'map',
      keys: { type: 'int32' },
      values: { type: 'struct', fields: [{ name: 'a', schema: { type: 'float64' } }] },
    },
    value: [[1, { a: '1e7' }]],
  });
  cases.push({
    id: 'map decimal keys',
    schema: { type: 'map', keys: { type: 'decimal', scale: 2 }, values: { type: 'int32' } },
    value: [['1.00', 1]],
  });
  cases.push({
    id: 'map empty',
    schema: { type: 'map', keys: { type: 'string' }, values: { type: 'int32' } },
    value: [],
  });
  cases.push({
    id: 'map optional values',
    schema: { type: 'map', keys: { type: 'string' }, values: { type: 'int32', optional: true } },
    value: [['a', null]],
  });
  for (const [kind, make] of RANDOM_KINDS) {
    const rnd = seeded(kind.length * 7919);
    const doubles = Array.from({ length: 400 }, () => make(rnd));
    cases.push({
      id: `random float64 (${kind})`,
      schema: { type: 'array', items: { type: 'float64' } },
      value: doubles.map((d) => String(d)),
    });
    cases.push({
      id: `random float32 (${kind})`,
      schema: { type: 'array', items: { type: 'float32' } },
      value: doubles.map((d) => String(Math.fround(d))),
    });
  }
  // Schemaless: JavaScript numbers carry no int/double distinction, so integral safe values are integers, the rest doubles.
  const schemaless: Array<[string, SchemalessDesc]> = [
    ...[
      '1.5',
      '0.1',
      '1e21',
      '-1e21',
      '1.7976931348623157E308',
      '4.9E-324',
      '1e-7',
      'NaN',
      'Infinity',
      '-Infinity',
      '-0.0',
      '1e300',
      '123456.789',
    ].map((v): [string, SchemalessDesc] => [v, { t: 'float64', v }]),
    ...['0', '-1', '2147483647', '9007199254740991'].map((v): [string, SchemalessDesc] => [v, { t: 'int64', v }]),
    ['bigint', { t: 'int64', v: '9223372036854775807' }],
    ['string', { t: 'string', v: '\u0001😀"' }],
    ['bool', { t: 'boolean', v: true }],
    ['bytes', { t: 'bytes', v: 'AQID' }],
    ['decimal', { t: 'decimal', v: '0.0000000001' }],
    ['decimal2', { t: 'decimal', v: '-12.50' }],
    ['array', { t: 'array', v: [{ t: 'float64', v: '0.5' }, { t: 'string', v: 'x' }, null] }],
    [
      'map',
      {
        t: 'map',
        v: [
          [
            { t: 'string', v: 'k' },
            { t: 'float64', v: '1e-9' },
          ],
          [{ t: 'string', v: 'n' }, null],
        ],
      },
    ],
    [
      'map int keys',
      {
        t: 'map',
        v: [
          [
            { t: 'int32', v: 1 },
            { t: 'string', v: 'one' },
          ],
        ],
      },
    ],
  ];
  for (const [name, v] of schemaless) cases.push({ id: `schemaless ${name}`, schema: null, value: v });
  cases.push({ id: 'schemaless null', schema: null, value: null });
  cases.push({
    id: 'optional struct null',
    schema: { type: 'struct', optional: true, fields: [{ name: 'a', schema: { type: 'int32' } }] },
    value: null,
  });
  cases.push({
    id: 'struct with defaulted null fields',
    schema: {
      type: 'struct',
      fields: [
        { name: 'a', schema: { type: 'int32', optional: true, default: 5 } },
        { name: 'b', schema: { type: 'decimal', scale: 2, optional: true, default: '1.50' } },
        { name: 'c', schema: { type: 'array', optional: true, items: { type: 'string' } } },
      ],
    },
    value: {},
  });
  return cases;
}

// ---- Tributary's side: the same descriptors built into Connect data -----------------------------

export function buildSchema(d: SchemaDesc): Schema {
  let b: SchemaBuilder;
  switch (d.type) {
    case 'decimal':
      b = Decimal.builder(d.scale!);
      break;
    case 'date':
      b = ConnectDate.builder();
      break;
    case 'time':
      b = ConnectTime.builder();
      break;
    case 'timestamp':
      b = ConnectTimestamp.builder();
      break;
    case 'array':
      b = SchemaBuilder.array(buildSchema(d.items!));
      break;
    case 'map':
      b = SchemaBuilder.map(buildSchema(d.keys!), buildSchema(d.values!));
      break;
    case 'struct':
      b = SchemaBuilder.struct();
      for (const f of d.fields!) b.field(f.name, buildSchema(f.schema));
      break;
    default:
      b = new SchemaBuilder(d.type as Schema['type']);
  }
  if (d.optional) b.optional();
  if (d.name !== undefined) b.name(d.name);
  if (d.version !== undefined) b.version(d.version);
  if (d.doc !== undefined) b.doc(d.doc);
  if (d.parameters) b.parameters(d.parameters);
  if (d.default !== undefined) b.defaultValue(buildValue(b.build(), d.default));
  return b.build();
}

export function buildValue(s: Schema, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (s.name) {
    case Decimal.LOGICAL_NAME:
      return BigDecimal.parse(String(v));
    case ConnectDate.LOGICAL_NAME:
    case ConnectTime.LOGICAL_NAME:
    case ConnectTimestamp.LOGICAL_NAME:
      return new Date(Number(v));
  }
  switch (s.type) {
    case 'int64':
      return int64(String(v));
    // Not rounded to float32 here: the converter must round as Java's (float) does.
    case 'float32':
      return Number(v);
    case 'float64':
      return Number(v);
    case 'bytes':
      return Buffer.from(String(v), 'base64');
    case 'array':
      return (v as unknown[]).map((e) => buildValue(s.valueSchema!, e));
    case 'map':
      return new Map(
        (v as Array<[unknown, unknown]>).map(([k, e]) => [buildValue(s.keySchema!, k), buildValue(s.valueSchema!, e)]),
      );
    case 'struct': {
      const st = new Struct(s);
      const o = v as Record<string, unknown>;
      for (const f of s.fields)
        if (o[f.name] !== undefined && o[f.name] !== null) st.put(f.name, buildValue(f.schema, o[f.name]));
      return st;
    }
    default:
      return v;
  }
}

export function buildSchemaless(d: SchemalessDesc | null): unknown {
  if (d === null) return null;
  switch (d.t) {
    case 'int32':
      return d.v;
    case 'int64':
      return int64(String(d.v));
    case 'float64':
      return Number(d.v);
    case 'bytes':
      return Buffer.from(String(d.v), 'base64');
    case 'decimal':
      return BigDecimal.parse(String(d.v));
    case 'array':
      return (d.v as Array<SchemalessDesc | null>).map(buildSchemaless);
    case 'map':
      return new Map(
        (d.v as Array<[SchemalessDesc | null, SchemalessDesc | null]>).map(([k, e]) => [
          buildSchemaless(k),
          buildSchemaless(e),
        ]),
      );
    default:
      return d.v;
  }
}

function int64(text: string): number | bigint {
  const b = BigInt(text);
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}
