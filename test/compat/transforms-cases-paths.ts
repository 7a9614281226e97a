/**
 * Transforms differential cases: nested field paths (`field.syntax.version=V2`, KIP-821) on every
 * transform that takes field names, dotted names under V1, and replace.null.with.default on the
 * field transforms.
 */
import { kc, opt, rec, sl, struct, T, type RecordDesc, type TransformCase } from './transforms-case.ts';
import type { SchemaDesc } from './json-converter-cases.ts';

const INNER = struct(
  { a: T.int32, b: opt(T.string), ts: opt({ type: 'timestamp' }), d: opt(T.int32, { default: 7 }) },
  { optional: true, name: 'Inner' },
);
const OUTER: SchemaDesc = struct(
  { id: T.int64, inner: INNER, 'dotted.name': opt(T.string), deep: struct({ inner: INNER }, { optional: true }) },
  { name: 'Outer' },
);
const VALUE = {
  id: '5',
  inner: { a: 1, b: 'x', ts: '1700000000123', d: null },
  'dotted.name': 'dn',
  deep: { inner: { a: 2, b: null, ts: null, d: 3 } },
};
const schemaful = (): RecordDesc => rec({ valueSchema: OUTER, value: VALUE });
const schemaless = (): RecordDesc =>
  rec({
    value: sl({
      id: 5,
      inner: { a: 1, b: 'x', ts: 1700000000123 },
      'dotted.name': 'dn',
      deep: { inner: { a: 2, b: null } },
    }),
  });

const V2 = { 'field.syntax.version': 'V2' };
const RECORDS: Array<[string, () => RecordDesc]> = [
  ['schema', schemaful],
  ['schemaless', schemaless],
];

export function pathCases(): TransformCase[] {
  const out: TransformCase[] = [];
  for (const [rl, r] of RECORDS) {
    for (const [syntax, extra] of [
      ['V1', {}],
      ['V2', V2],
    ] as const) {
      const tag = `${syntax} ${rl}`;
      out.push(
        kc(`ExtractField ${tag} inner.a`, 'ExtractField$Value', { field: 'inner.a', ...extra }, r()),
        kc(`ExtractField ${tag} deep.inner.b`, 'ExtractField$Value', { field: 'deep.inner.b', ...extra }, r()),
        kc(`ExtractField ${tag} dotted.name`, 'ExtractField$Value', { field: 'dotted.name', ...extra }, r()),
        kc(
          `ExtractField ${tag} backquoted dotted.name`,
          'ExtractField$Value',
          { field: '`dotted.name`', ...extra },
          r(),
        ),
        kc(`Cast ${tag} inner.a`, 'Cast$Value', { spec: 'inner.a:string,id:int32', ...extra }, r()),
        kc(
          `ReplaceField ${tag} exclude inner.b`,
          'ReplaceField$Value',
          { exclude: 'inner.b,dotted.name', ...extra },
          r(),
        ),
        kc(`ReplaceField ${tag} rename inner.a`, 'ReplaceField$Value', { renames: 'inner.a:alpha', ...extra }, r()),
        kc(`MaskField ${tag} inner.b`, 'MaskField$Value', { fields: 'inner.b,id', ...extra }, r()),
        kc(`ValueToKey ${tag} inner.a`, 'ValueToKey', { fields: 'id,inner.a', ...extra }, r()),
        kc(
          `HeaderFrom ${tag} inner.a`,
          'HeaderFrom$Value',
          { fields: 'inner.a,id', headers: 'ha,hid', operation: 'copy', ...extra },
          r(),
        ),
        kc(
          `TimestampConverter ${tag} inner.ts`,
          'TimestampConverter$Value',
          { field: 'inner.ts', 'target.type': 'unix', ...extra },
          r(),
        ),
        kc(
          `InsertField ${tag} static into inner`,
          'InsertField$Value',
          { 'static.field': 'inner.s', 'static.value': 'v', ...extra },
          r(),
        ),
      );
    }
  }
  return out.concat([
    kc('ExtractField V2 missing parent', 'ExtractField$Value', { field: 'nope.a', ...V2 }, schemaful()),
    kc(
      'ExtractField V2 through a null parent',
      'ExtractField$Value',
      { field: 'inner.a', ...V2 },
      rec({ valueSchema: OUTER, value: { id: '1' } }),
    ),
    kc('ExtractField V2 defaulted nested field', 'ExtractField$Value', { field: 'inner.d', ...V2 }, schemaful()),
    kc(
      'ExtractField V2 defaulted nested field, replace.null.with.default=false',
      'ExtractField$Value',
      { field: 'inner.d', 'replace.null.with.default': 'false', ...V2 },
      schemaful(),
    ),
    kc(
      'ExtractField invalid syntax version',
      'ExtractField$Value',
      { field: 'id', 'field.syntax.version': 'V3' },
      schemaful(),
    ),
    kc(
      'ReplaceField nested defaults kept, replace.null.with.default=false',
      'ReplaceField$Value',
      { exclude: 'id', 'replace.null.with.default': 'false' },
      schemaful(),
    ),
    kc('ReplaceField nested defaults applied', 'ReplaceField$Value', { exclude: 'id' }, schemaful()),
    kc(
      'ValueToKey defaulted field',
      'ValueToKey',
      { fields: 'd' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 2 }) }), value: {} }),
    ),
    kc(
      'ValueToKey defaulted field, replace.null.with.default=false',
      'ValueToKey',
      { fields: 'd', 'replace.null.with.default': 'false' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 2 }) }), value: {} }),
    ),
    kc(
      'InsertField defaulted fields kept, replace.null.with.default=false',
      'InsertField$Value',
      { 'static.field': 's', 'static.value': 'v', 'replace.null.with.default': 'false' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 2 }) }), value: {} }),
    ),
    kc(
      'MaskField defaulted field, replace.null.with.default=false',
      'MaskField$Value',
      { fields: 'e', 'replace.null.with.default': 'false' },
      rec({ valueSchema: struct({ d: opt(T.int32, { default: 2 }), e: T.string }), value: { e: 'x' } }),
    ),
    kc(
      'Flatten name collision',
      'Flatten$Value',
      { delimiter: '_' },
      rec({ valueSchema: struct({ a_b: T.int32, a: struct({ b: T.int32 }) }), value: { a_b: 1, a: { b: 2 } } }),
    ),
    kc(
      'Flatten schemaless name collision',
      'Flatten$Value',
      { delimiter: '_' },
      rec({ value: sl({ a_b: 1, a: { b: 2 } }) }),
    ),
  ]);
}
