/**
 * Transforms differential cases: Kafka Connect's field transforms (InsertField, ReplaceField,
 * MaskField, ValueToKey, ExtractField, HoistField) on keys and values, with and without schemas.
 */
import { decimal, kc, opt, rec, sl, struct, T, type RecordDesc, type TransformCase } from './transforms-case.ts';
import type { SchemaDesc } from './json-converter-cases.ts';

export const NESTED = struct({ a: T.int32, b: opt(T.string) }, { optional: true, name: 'row.Nested' });
export const ROW: SchemaDesc = struct(
  {
    id: T.int64,
    name: opt(T.string),
    price: decimal(2),
    active: T.boolean,
    score: opt(T.float64),
    small: opt(T.int16),
    tags: opt({ type: 'array', items: T.string }),
    created: { type: 'timestamp' },
    day: opt({ type: 'date' }),
    blob: opt(T.bytes),
    attrs: opt({ type: 'map', keys: T.string, values: T.int32 }),
    nested: NESTED,
  },
  { name: 'db.row', version: 1 },
);
export const ROW_VALUE = {
  id: '9007199254740993',
  name: 'Ann',
  price: '12.50',
  active: true,
  score: '1.5',
  small: 7,
  tags: ['a', 'b'],
  created: '1700000000123',
  day: '1641600000000',
  blob: 'AAEC/w==',
  attrs: [['x', 1]],
  nested: { a: 7, b: 'x' },
};
export const ROW_NULLS = { id: '-1', price: '0.00', active: false, created: '0' };
export const KEY: SchemaDesc = struct({ id: T.int64 }, { name: 'db.key' });
export const PLAIN = {
  id: 42,
  name: 'Ann',
  active: true,
  score: 1.5,
  big: 9007199254740993n,
  tags: ['a', 'b'],
  nested: { a: 7, b: 'x' },
  none: null,
};

/** A record with the row in the value (or key) position, with or without schema. */
export function withRow(
  side: 'key' | 'value',
  schemaful: boolean,
  value: unknown = schemaful ? ROW_VALUE : PLAIN,
): RecordDesc {
  const schema = schemaful ? ROW : null;
  const v = schemaful ? value : sl(value);
  return side === 'value'
    ? rec({ keySchema: KEY, key: { id: '1' }, valueSchema: schema, value: v })
    : rec({ keySchema: schema, key: v, valueSchema: T.string, value: 'v' });
}

function both(make: (side: 'Key' | 'Value', schemaful: boolean) => TransformCase[]): TransformCase[] {
  return (['Key', 'Value'] as const).flatMap((side) => [true, false].flatMap((schemaful) => make(side, schemaful)));
}

const tag = (side: string, schemaful: boolean): string => `${side} ${schemaful ? 'schema' : 'schemaless'}`;
const lower = (side: 'Key' | 'Value'): 'key' | 'value' => (side === 'Key' ? 'key' : 'value');

function insertField(): TransformCase[] {
  const sink = (r: RecordDesc): RecordDesc => ({ ...r, kind: 'sink', offset: '4294967296000', partition: 3 });
  return [
    ...both((side, s) => {
      const t = `InsertField$${side}`;
      const r = withRow(lower(side), s);
      return [
        kc(
          `InsertField ${tag(side, s)} topic/partition/timestamp`,
          t,
          { 'topic.field': 'tp', 'partition.field': 'pt', 'timestamp.field': 'ts' },
          r,
        ),
        kc(`InsertField ${tag(side, s)} required topic!`, t, { 'topic.field': 'tp!' }, r),
        kc(`InsertField ${tag(side, s)} optional static?`, t, { 'static.field': 'src?', 'static.value': 'here' }, r),
        kc(`InsertField ${tag(side, s)} static`, t, { 'static.field': 'src', 'static.value': '' }, r),
        kc(
          `InsertField ${tag(side, s)} offset on a sink record`,
          t,
          { 'offset.field': 'off', 'partition.field': 'pt!' },
          sink(r),
        ),
        kc(`InsertField ${tag(side, s)} offset on a source record`, t, { 'offset.field': 'off' }, r),
        kc(`InsertField ${tag(side, s)} null timestamp`, t, { 'timestamp.field': 'ts' }, { ...r, timestamp: null }),
        kc(`InsertField ${tag(side, s)} null partition`, t, { 'partition.field': 'pt' }, { ...r, partition: null }),
        kc(
          `InsertField ${tag(side, s)} existing field name`,
          t,
          { 'static.field': 'name', 'static.value': 'again' },
          r,
        ),
      ];
    }),
    kc(
      'InsertField Value tombstone passes',
      'InsertField$Value',
      { 'topic.field': 'tp' },
      rec({ valueSchema: opt(ROW), value: null }),
    ),
    kc('InsertField Value schemaless null passes', 'InsertField$Value', { 'topic.field': 'tp' }, rec({ value: null })),
    kc(
      'InsertField Value on a string value',
      'InsertField$Value',
      { 'topic.field': 'tp' },
      rec({ valueSchema: T.string, value: 'x' }),
    ),
    kc(
      'InsertField Value on a schemaless list',
      'InsertField$Value',
      { 'topic.field': 'tp' },
      rec({ value: sl([1, 2]) }),
    ),
    kc(
      'InsertField Value nulls in optional fields',
      'InsertField$Value',
      { 'static.field': 'src', 'static.value': 'v' },
      withRow('value', true, ROW_NULLS),
    ),
    kc('InsertField Value no fields configured', 'InsertField$Value', {}, withRow('value', true)),
  ];
}

function replaceField(): TransformCase[] {
  return both((side, s) => {
    const t = `ReplaceField$${side}`;
    const r = withRow(lower(side), s);
    return [
      kc(`ReplaceField ${tag(side, s)} exclude`, t, { exclude: 'name,score' }, r),
      kc(`ReplaceField ${tag(side, s)} include`, t, { include: 'id,nested,tags' }, r),
      kc(`ReplaceField ${tag(side, s)} renames`, t, { renames: 'id:key_id,nested:n' }, r),
      kc(`ReplaceField ${tag(side, s)} include+renames`, t, { include: 'id,name', renames: 'name:who' }, r),
      kc(
        `ReplaceField ${tag(side, s)} exclude everything but id`,
        t,
        { exclude: 'name,price,active,score,small,tags,created,day,blob,attrs,nested,big,none' },
        r,
      ),
      kc(`ReplaceField ${tag(side, s)} unknown names`, t, { exclude: 'nope', renames: 'nothing:here' }, r),
      kc(
        `ReplaceField ${tag(side, s)} legacy whitelist/blacklist`,
        t,
        { whitelist: 'id,name,score', blacklist: 'score' },
        r,
      ),
      kc(`ReplaceField ${tag(side, s)} bad renames`, t, { renames: 'id' }, r),
    ];
  }).concat([
    kc(
      'ReplaceField Value tombstone passes',
      'ReplaceField$Value',
      { exclude: 'id' },
      rec({ valueSchema: opt(ROW), value: null }),
    ),
    kc(
      'ReplaceField Value rename onto an existing name',
      'ReplaceField$Value',
      { renames: 'name:id' },
      withRow('value', true),
    ),
  ]);
}

function maskField(): TransformCase[] {
  const numeric = struct({
    i8: T.int8,
    i16: T.int16,
    i32: T.int32,
    i64: T.int64,
    f32: T.float32,
    f64: T.float64,
    d: decimal(3),
    b: T.boolean,
    s: T.string,
    on: opt(T.string),
    bs: opt(T.bytes),
  });
  const nv = {
    i8: -5,
    i16: 300,
    i32: 70000,
    i64: '9007199254740993',
    f32: '1.5',
    f64: '2.5',
    d: '-12.345',
    b: true,
    s: 'secret',
    on: null,
    bs: 'AQI=',
  };
  const r = rec({ valueSchema: numeric, value: nv });
  const all = 'i8,i16,i32,i64,f32,f64,d,b,s,on';
  return [
    ...both((side, s) => [
      kc(
        `MaskField ${tag(side, s)} default masks`,
        `MaskField$${side}`,
        { fields: 'name,active,score,tags,attrs,id' },
        withRow(lower(side), s),
      ),
      kc(
        `MaskField ${tag(side, s)} a struct field`,
        `MaskField$${side}`,
        { fields: 'nested' },
        withRow(lower(side), s),
      ),
      kc(
        `MaskField ${tag(side, s)} replacement on a string`,
        `MaskField$${side}`,
        { fields: 'name', replacement: '***' },
        withRow(lower(side), s),
      ),
    ]),
    kc('MaskField Value every primitive, default', 'MaskField$Value', { fields: all }, r),
    kc(
      'MaskField Value numeric replacement 0',
      'MaskField$Value',
      { fields: 'i8,i16,i32,i64,f32,f64,d', replacement: '0' },
      r,
    ),
    kc(
      'MaskField Value numeric replacement 1.5e3',
      'MaskField$Value',
      { fields: 'i16,i32,i64,f64,d', replacement: '1.5e3' },
      r,
    ),
    kc('MaskField Value int8 replacement out of range', 'MaskField$Value', { fields: 'i8', replacement: '300' }, r),
    kc('MaskField Value Decimal replacement', 'MaskField$Value', { fields: 'd', replacement: '99.999' }, r),
    kc(
      'MaskField Value Decimal replacement, more digits than the scale',
      'MaskField$Value',
      { fields: 'd', replacement: '1.23456' },
      r,
    ),
    kc('MaskField Value Decimal replacement not a number', 'MaskField$Value', { fields: 'd', replacement: 'x' }, r),
    kc('MaskField Value numeric replacement not a number', 'MaskField$Value', { fields: 'i32', replacement: 'abc' }, r),
    kc('MaskField Value boolean replacement', 'MaskField$Value', { fields: 'b', replacement: 'true' }, r),
    kc('MaskField Value bytes field', 'MaskField$Value', { fields: 'bs' }, r),
    kc('MaskField Value bytes with replacement', 'MaskField$Value', { fields: 'bs', replacement: 'x' }, r),
    kc('MaskField Value timestamp and date', 'MaskField$Value', { fields: 'created,day' }, withRow('value', true)),
    kc(
      'MaskField Value null optional field',
      'MaskField$Value',
      { fields: 'name,score' },
      withRow('value', true, ROW_NULLS),
    ),
    kc(
      'MaskField Value schemaless numbers and big',
      'MaskField$Value',
      { fields: 'id,score,big,none' },
      withRow('value', false),
    ),
    kc(
      'MaskField Value schemaless replacement 0',
      'MaskField$Value',
      { fields: 'id,score,big', replacement: '0' },
      withRow('value', false),
    ),
    kc(
      'MaskField Value schemaless decimal',
      'MaskField$Value',
      { fields: 'd' },
      rec({ value: sl({ d: { t: 'decimal', v: '1.50' } }) }),
    ),
    kc('MaskField Value tombstone', 'MaskField$Value', { fields: 'name' }, rec({ valueSchema: opt(ROW), value: null })),
  ];
}

function valueToKey(): TransformCase[] {
  return [
    kc('ValueToKey schema one field', 'ValueToKey', { fields: 'id' }, withRow('value', true)),
    kc('ValueToKey schema several fields', 'ValueToKey', { fields: 'nested,name,id,price' }, withRow('value', true)),
    kc('ValueToKey schemaless', 'ValueToKey', { fields: 'id,name,nested' }, withRow('value', false)),
    kc('ValueToKey missing field (schema)', 'ValueToKey', { fields: 'nope' }, withRow('value', true)),
    kc('ValueToKey missing field (schemaless)', 'ValueToKey', { fields: 'nope' }, withRow('value', false)),
    kc('ValueToKey null optional field', 'ValueToKey', { fields: 'name,score' }, withRow('value', true, ROW_NULLS)),
    kc('ValueToKey tombstone', 'ValueToKey', { fields: 'id' }, rec({ valueSchema: opt(ROW), value: null })),
  ];
}

function extractField(): TransformCase[] {
  return both((side, s) => [
    kc(`ExtractField ${tag(side, s)} id`, `ExtractField$${side}`, { field: 'id' }, withRow(lower(side), s)),
    kc(`ExtractField ${tag(side, s)} struct`, `ExtractField$${side}`, { field: 'nested' }, withRow(lower(side), s)),
    kc(
      `ExtractField ${tag(side, s)} nested path`,
      `ExtractField$${side}`,
      { field: 'nested.a', 'field.syntax.version': 'V2' },
      withRow(lower(side), s),
    ),
    kc(`ExtractField ${tag(side, s)} missing`, `ExtractField$${side}`, { field: 'nope' }, withRow(lower(side), s)),
    kc(
      `ExtractField ${tag(side, s)} null field`,
      `ExtractField$${side}`,
      { field: 'name' },
      withRow(lower(side), s, s ? ROW_NULLS : { id: 1, name: null }),
    ),
  ]).concat([
    kc('ExtractField Value dotted name V1', 'ExtractField$Value', { field: 'nested.a' }, withRow('value', true)),
    kc(
      'ExtractField Value tombstone',
      'ExtractField$Value',
      { field: 'id' },
      rec({ valueSchema: opt(ROW), value: null }),
    ),
    kc(
      'ExtractField Value defaulted field',
      'ExtractField$Value',
      { field: 'd' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 5 }) }), value: {} }),
    ),
    kc(
      'ExtractField Value defaulted field, replace.null.with.default=false',
      'ExtractField$Value',
      { field: 'd', 'replace.null.with.default': 'false' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 5 }) }), value: {} }),
    ),
  ]);
}

function hoistField(): TransformCase[] {
  return both((side, s) => [
    kc(`HoistField ${tag(side, s)} row`, `HoistField$${side}`, { field: 'wrapped' }, withRow(lower(side), s)),
  ]).concat([
    kc('HoistField Value string', 'HoistField$Value', { field: 'line' }, rec({ valueSchema: T.string, value: 'text' })),
    kc(
      'HoistField Value optional int64 null',
      'HoistField$Value',
      { field: 'n' },
      rec({ valueSchema: opt(T.int64), value: null }),
    ),
    kc('HoistField Value schemaless null', 'HoistField$Value', { field: 'n' }, rec({ value: null })),
    kc('HoistField Value schemaless int', 'HoistField$Value', { field: 'n' }, rec({ value: sl(5) })),
    kc(
      'HoistField Key int64 with schema name',
      'HoistField$Key',
      { field: 'k' },
      rec({ keySchema: { type: 'int64', name: 'named', version: 3, doc: 'd' }, key: '-9223372036854775808' }),
    ),
  ]);
}

export function fieldCases(): TransformCase[] {
  return [...insertField(), ...replaceField(), ...maskField(), ...valueToKey(), ...extractField(), ...hoistField()];
}
