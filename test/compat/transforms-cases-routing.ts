/**
 * Transforms differential cases: routing and headers (RegexRouter, TimestampRouter, Filter,
 * DropHeaders, InsertHeader, HeaderFrom) and the three predicates, plain and negated, in chains.
 */
import {
  chain,
  decimal,
  kc,
  opt,
  rec,
  sl,
  struct,
  T,
  type HeaderDesc,
  type RecordDesc,
  type TransformCase,
} from './transforms-case.ts';
import { KEY, ROW, ROW_VALUE, withRow } from './transforms-cases-fields.ts';

const HEADERS: HeaderDesc[] = [
  { key: 'h-int', schema: T.int32, value: 5 },
  { key: 'h-str', schema: T.string, value: 'text' },
  { key: 'h-dup', schema: T.string, value: 'first' },
  { key: 'h-dup', schema: T.int64, value: '9007199254740993' },
  { key: 'h-null', schema: opt(T.string), value: null },
  { key: 'h-struct', schema: struct({ id: T.int32, name: opt(T.string) }), value: { id: 100, name: 'n' } },
  { key: 'h-map', schema: { type: 'map', keys: T.string, values: T.int32 }, value: [['a', 1]] },
  { key: 'h-list', schema: { type: 'array', items: T.string }, value: ['x', 'y'] },
  { key: 'h-bool', schema: T.boolean, value: true },
  { key: 'h-dec', schema: decimal(2), value: '3.10' },
  { key: 'h-ts', schema: { type: 'timestamp' }, value: '1700000000123' },
  { key: 'h-date', schema: { type: 'date' }, value: '1641600000000' },
  { key: 'h-f64', schema: T.float64, value: '1.0E7' },
  { key: 'h-bytes', schema: T.bytes, value: 'AQID' },
  { key: 'h-quote', schema: T.string, value: 'say "hi"\n' },
];
const withHeaders = (r: RecordDesc = withRow('value', true)): RecordDesc => ({ ...r, headers: HEADERS });

function routers(): TransformCase[] {
  const topics = ['test', 'orders.public.items', 'db-server1', 'Ünïcode.topic', ''];
  const out: TransformCase[] = [];
  for (const topic of topics) {
    out.push(
      kc(
        `RegexRouter ${JSON.stringify(topic)} prefix`,
        'RegexRouter',
        { regex: '(.*)', replacement: 'prefix-$1' },
        rec({ topic }),
      ),
    );
    out.push(
      kc(
        `RegexRouter ${JSON.stringify(topic)} last segment`,
        'RegexRouter',
        { regex: '([^.]+)\\.([^.]+)\\.([^.]+)', replacement: '$3' },
        rec({ topic }),
      ),
    );
    out.push(kc(`TimestampRouter ${JSON.stringify(topic)} default`, 'TimestampRouter', {}, rec({ topic })));
  }
  return out.concat([
    kc('RegexRouter no match keeps topic', 'RegexRouter', { regex: 'nomatch', replacement: 'x' }, rec()),
    kc('RegexRouter partial match does not route', 'RegexRouter', { regex: 'tes', replacement: 'x' }, rec()),
    kc('RegexRouter escaped dollar', 'RegexRouter', { regex: '(.*)', replacement: '\\$$1' }, rec()),
    kc('RegexRouter group reference beyond groups', 'RegexRouter', { regex: '(t)est', replacement: '$2' }, rec()),
    kc('RegexRouter invalid regex', 'RegexRouter', { regex: '(', replacement: 'x' }, rec()),
    kc('RegexRouter case-insensitive flag', 'RegexRouter', { regex: '(?i)TEST', replacement: 'lower' }, rec()),
    kc(
      'TimestampRouter custom format',
      'TimestampRouter',
      { 'topic.format': '${timestamp}/${topic}/${topic}', 'timestamp.format': 'yyyy-MM-dd-HH-mm-ss-SSS' },
      rec(),
    ),
    kc('TimestampRouter week fields', 'TimestampRouter', { 'timestamp.format': "YYYY'W'ww-u-EEE-MMM" }, rec()),
    kc(
      'TimestampRouter before 1970',
      'TimestampRouter',
      { 'timestamp.format': 'yyyyMMdd' },
      rec({ timestamp: '-86400001' }),
    ),
    kc('TimestampRouter null timestamp', 'TimestampRouter', {}, rec({ timestamp: null })),
    kc('TimestampRouter no timestamp placeholder', 'TimestampRouter', { 'topic.format': 'fixed' }, rec()),
  ]);
}

function headers(): TransformCase[] {
  const literals = [
    '1.5e3',
    '1',
    '-129',
    '32768',
    '2147483648',
    '9223372036854775808',
    '1.5',
    '0.1',
    '3.4028235E38',
    '1e400',
    'true',
    'FALSE',
    'null',
    '',
    '  7  ',
    '[1,2,3]',
    '[1,"a"]',
    '{"a":1,"b":2}',
    '{"a":{"b":1}}',
    '[]',
    '{}',
    '2024-02-29',
    '12:34:56.789Z',
    '2024-02-29T12:34:56.789Z',
    'plain text',
    '"quoted"',
    '[1, 2.5]',
    '{1:2}',
    '-0',
    '0x10',
    '1_000',
    '3.141592653589793',
    '1e300',
    '[1,null]',
    '[null]',
    '{"a":null}',
    '["x","2024-02-29"]',
    'true}',
    '"2024-02-29"',
    '[1,[2]]',
    '1e-50',
    '99999999999999999999',
    '+5',
  ];
  const out = literals.map((literal) =>
    kc(
      `InsertHeader literal ${JSON.stringify(literal)}`,
      'InsertHeader',
      { header: 'h', 'value.literal': literal },
      rec(),
    ),
  );
  return out.concat([
    kc(
      'InsertHeader appends to existing headers',
      'InsertHeader',
      { header: 'h-int', 'value.literal': '6' },
      withHeaders(),
    ),
    kc('DropHeaders some', 'DropHeaders', { headers: 'h-int,h-dup,absent' }, withHeaders()),
    kc('DropHeaders all', 'DropHeaders', { headers: HEADERS.map((h) => h.key).join(',') }, withHeaders()),
    kc('headers pass through unchanged', 'InsertHeader', { header: 'z', 'value.literal': 'z' }, withHeaders()),
    ...(['Key', 'Value'] as const).flatMap((side) =>
      [true, false].flatMap((s) => {
        const r = { ...withRow(side === 'Key' ? 'key' : 'value', s), headers: [HEADERS[0]] };
        const fields = s ? 'id,name,nested,price,tags,created,attrs' : 'id,name,nested,big,tags';
        return [
          kc(
            `HeaderFrom ${side} ${s ? 'schema' : 'schemaless'} copy`,
            `HeaderFrom$${side}`,
            {
              fields,
              headers: fields
                .split(',')
                .map((f) => `hdr-${f}`)
                .join(','),
              operation: 'copy',
            },
            r,
          ),
          kc(
            `HeaderFrom ${side} ${s ? 'schema' : 'schemaless'} move`,
            `HeaderFrom$${side}`,
            { fields: 'id,name', headers: 'h-int,h-name', operation: 'move' },
            r,
          ),
        ];
      }),
    ),
    kc(
      'HeaderFrom missing field (schema)',
      'HeaderFrom$Value',
      { fields: 'nope', headers: 'h', operation: 'copy' },
      withRow('value', true),
    ),
    kc(
      'HeaderFrom missing field (schemaless)',
      'HeaderFrom$Value',
      { fields: 'nope', headers: 'h', operation: 'move' },
      withRow('value', false),
    ),
    kc(
      'HeaderFrom mismatched list lengths',
      'HeaderFrom$Value',
      { fields: 'id,name', headers: 'h', operation: 'copy' },
      withRow('value', true),
    ),
    kc(
      'HeaderFrom bad operation',
      'HeaderFrom$Value',
      { fields: 'id', headers: 'h', operation: 'steal' },
      withRow('value', true),
    ),
    kc(
      'HeaderFrom tombstone',
      'HeaderFrom$Value',
      { fields: 'id', headers: 'h', operation: 'copy' },
      rec({ valueSchema: opt(ROW), value: null }),
    ),
    kc(
      'HeaderFrom defaulted null field',
      'HeaderFrom$Value',
      { fields: 'd', headers: 'h', operation: 'copy' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 3 }) }), value: {} }),
    ),
    kc(
      'HeaderFrom defaulted null field, replace.null.with.default=false',
      'HeaderFrom$Value',
      { fields: 'd', headers: 'h', operation: 'move', 'replace.null.with.default': 'false' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 3 }) }), value: {} }),
    ),
  ]);
}

type PredicateSpec = { type: string; props?: Record<string, string> };

function predicates(): TransformCase[] {
  const specs: Array<[string, PredicateSpec]> = [
    ['TopicNameMatches test.*', { type: 'TopicNameMatches', props: { pattern: 'test.*' } }],
    ['TopicNameMatches other', { type: 'TopicNameMatches', props: { pattern: 'other|x' } }],
    ['TopicNameMatches partial', { type: 'TopicNameMatches', props: { pattern: 'es' } }],
    ['HasHeaderKey h-int', { type: 'HasHeaderKey', props: { name: 'h-int' } }],
    ['HasHeaderKey absent', { type: 'HasHeaderKey', props: { name: 'absent' } }],
    ['RecordIsTombstone', { type: 'RecordIsTombstone' }],
  ];
  const records: Array<[string, RecordDesc]> = [
    ['row', withHeaders()],
    ['tombstone', rec({ topic: 'other', keySchema: KEY, key: { id: '1' }, valueSchema: opt(ROW), value: null })],
    ['schemaless tombstone', rec({ key: sl('k'), value: null, headers: [HEADERS[0]] })],
  ];
  const out: TransformCase[] = [];
  for (const [pl, spec] of specs) {
    for (const [rl, r] of records) {
      for (const negate of [undefined, false, true]) {
        const n = negate === undefined ? '' : ` negate=${negate}`;
        out.push({
          id: `Filter if ${pl}${n} on ${rl}`,
          oracle: 'kafka',
          config: chain([{ type: 'Filter', predicate: 'p', negate }], { p: spec }),
          record: r,
        });
        if (rl === 'row')
          out.push({
            id: `InsertField if ${pl}${n}`,
            oracle: 'kafka',
            config: chain(
              [
                {
                  type: 'InsertField$Value',
                  props: { 'static.field': 'hit', 'static.value': 'yes' },
                  predicate: 'p',
                  negate,
                },
              ],
              { p: spec },
            ),
            record: r,
          });
      }
    }
  }
  return out.concat([
    {
      id: 'Filter without predicate drops everything',
      oracle: 'kafka',
      config: chain([{ type: 'Filter' }]),
      record: withHeaders(),
    },
    {
      id: 'chain: route, then filter on the new topic',
      oracle: 'kafka',
      config: chain(
        [
          { type: 'RegexRouter', props: { regex: 'te(.*)', replacement: 'other$1' } },
          { type: 'Filter', predicate: 'p' },
        ],
        { p: { type: 'TopicNameMatches', props: { pattern: 'other.*' } } },
      ),
      record: withHeaders(),
    },
    {
      id: 'chain: one predicate shared by two stages',
      oracle: 'kafka',
      config: chain(
        [
          { type: 'InsertHeader', props: { header: 'a', 'value.literal': '1' }, predicate: 'p' },
          { type: 'InsertHeader', props: { header: 'b', 'value.literal': '2' }, predicate: 'p', negate: true },
        ],
        { p: { type: 'HasHeaderKey', props: { name: 'h-int' } } },
      ),
      record: withHeaders(),
    },
    {
      id: 'chain: five transforms',
      oracle: 'kafka',
      config: chain([
        { type: 'ValueToKey', props: { fields: 'id,name' } },
        { type: 'ExtractField$Key', props: { field: 'id' } },
        { type: 'Cast$Key', props: { spec: 'string' } },
        { type: 'HoistField$Value', props: { field: 'row' } },
        { type: 'Flatten$Value', props: { delimiter: '_' } },
      ]),
      record: rec({ valueSchema: ROW, value: ROW_VALUE }),
    },
    {
      id: 'chain: header round trip',
      oracle: 'kafka',
      config: chain([
        { type: 'HeaderFrom$Value', props: { fields: 'nested', headers: 'n', operation: 'move' } },
        { type: 'DropHeaders', props: { headers: 'h-int' } },
        { type: 'InsertHeader', props: { header: 'h-int', 'value.literal': '[1,2]' } },
      ]),
      record: withHeaders(),
    },
    {
      id: 'predicate: TopicNameMatches invalid pattern',
      oracle: 'kafka',
      config: chain([{ type: 'Filter', predicate: 'p' }], { p: { type: 'TopicNameMatches', props: { pattern: '[' } } }),
      record: rec(),
    },
    {
      id: 'predicate: HasHeaderKey without name',
      oracle: 'kafka',
      config: chain([{ type: 'Filter', predicate: 'p' }], { p: { type: 'HasHeaderKey' } }),
      record: rec(),
    },
  ]);
}

export function routingCases(): TransformCase[] {
  return [...routers(), ...headers(), ...predicates()];
}
