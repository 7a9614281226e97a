/**
 * io.debezium.transforms.ExtractNewRecordState — cases from Debezium's ExtractNewRecordStateTest and
 * the event-flattening documentation, each asserting the exact output record.
 */
import { describe, expect, it } from 'vitest';
import { SchemaBuilder, Schemas, type Schema, Struct, SourceRecord } from '../../sdk/data.ts';
import { expectRecord, headers, transform, type ExpectedRecord } from '../testing.ts';

const CLS = 'io.debezium.transforms.ExtractNewRecordState';
const idSchema = SchemaBuilder.int8().parameters({ __debezium_source_column_name: 'id' }).build();
const row = SchemaBuilder.struct()
  .name('dummy.Value')
  .field('id', idSchema)
  .field('name', SchemaBuilder.string().optional().defaultValue('default_str').build())
  .optional()
  .build();
const source = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('lsn', Schemas.INT32)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .field('db', Schemas.OPTIONAL_STRING)
  .field('table', Schemas.OPTIONAL_STRING)
  .build();
const tx = SchemaBuilder.struct()
  .name('event.block')
  .version(1)
  .field('id', Schemas.STRING)
  .field('total_order', Schemas.INT64)
  .field('data_collection_order', Schemas.INT64)
  .optional()
  .build();
const envelope = SchemaBuilder.struct()
  .name('dummy.Envelope')
  .field('before', row)
  .field('after', row)
  .field('source', source)
  .field('transaction', tx)
  .field('op', Schemas.STRING)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .build();
const keySchema = SchemaBuilder.struct().name('dummy.Key').field('id', Schemas.INT8).build();

const myRecord = () => new Struct(row).put('id', 1).put('name', 'myRecord');
const updatedRecord = () => new Struct(row).put('id', 1).put('name', 'updatedRecord');

function event(
  op: 'c' | 'u' | 'd' | 'r' | 't',
  before: Struct | null,
  after: Struct | null,
  withTx = false,
): SourceRecord {
  const v = new Struct(envelope)
    .put('before', before)
    .put('after', after)
    .put('op', op)
    .put('ts_ms', 1_700_000_000_000)
    .put(
      'source',
      new Struct(source)
        .put('lsn', 1234)
        .put('ts_ms', 1_699_999_999_000)
        .put('db', 'test_db')
        .put('table', 'test_table'),
    )
    .put(
      'transaction',
      withTx ? new Struct(tx).put('id', '571').put('total_order', 42).put('data_collection_order', 42) : null,
    );
  return new SourceRecord({
    topic: 'dummy',
    keySchema,
    key: new Struct(keySchema).put('id', 1),
    valueSchema: envelope,
    value: v,
    headers: headers(['h', 'v', Schemas.STRING]),
  });
}
const create = () => event('c', null, myRecord());
const update = () => event('u', myRecord(), updatedRecord(), true);
const del = () => event('d', myRecord(), null);
const tombstone = () =>
  new SourceRecord({ topic: 'dummy', keySchema, key: new Struct(keySchema).put('id', 1), value: null });

/** The row schema with added fields (and `__deleted`): name kept, not optional, as Debezium builds it. */
function extended(fields: Array<[string, Schema]>): Schema {
  const b = SchemaBuilder.struct()
    .name('dummy.Value')
    .field('id', idSchema)
    .field('name', SchemaBuilder.string().optional().defaultValue('default_str').build());
  for (const [n, s] of fields) b.field(n, s);
  return b.build();
}
function rowValue(schema: Schema, base: Struct, extra: Record<string, unknown>): Struct {
  const s = new Struct(schema).put('id', base.get('id')).put('name', base.getWithoutDefault('name'));
  for (const [k, v] of Object.entries(extra)) s.put(k, v);
  return s;
}
const H = (k: string, v: unknown, s: Schema | null = Schemas.STRING): [string, unknown, Schema | null] => [k, v, s];
const rewritten = extended([['__deleted', Schemas.OPTIONAL_STRING]]);
/** Debezium 3.6 emits an unwrapped row under a required copy of the row schema. */
const required = extended([]);
const plain = (base: Struct) => rowValue(required, base, {});

type Expectation = ExpectedRecord | null | 'same';
const cases: Array<[string, Record<string, string>, () => SourceRecord, Expectation]> = [
  // inserts / updates
  [
    'unwraps a create to its after row (required schema, headers kept)',
    {},
    create,
    { valueSchema: required, value: plain(myRecord()) },
  ],
  [
    'unwraps an update to its after row',
    { 'delete.tombstone.handling.mode': 'tombstone' },
    update,
    { valueSchema: required, value: plain(updatedRecord()) },
  ],
  [
    'unwraps a snapshot read',
    {},
    () => event('r', null, myRecord()),
    { valueSchema: required, value: plain(myRecord()) },
  ],
  [
    'rewrite adds __deleted=false to creates',
    { 'delete.tombstone.handling.mode': 'rewrite' },
    create,
    { valueSchema: rewritten, value: rowValue(rewritten, myRecord(), { __deleted: 'false' }) },
  ],
  [
    'rewrite applies column defaults (replace.null.with.default)',
    { 'delete.tombstone.handling.mode': 'rewrite' },
    () => event('c', null, new Struct(row).put('id', 1).put('name', null)),
    {
      valueSchema: rewritten,
      value: rowValue(rewritten, new Struct(row).put('id', 1).put('name', 'default_str'), { __deleted: 'false' }),
    },
  ],
  [
    'rewrite keeps nulls with replace.null.with.default=false',
    { 'delete.tombstone.handling.mode': 'rewrite', 'replace.null.with.default': 'false' },
    () => event('c', null, new Struct(row).put('id', 1).put('name', null)),
    {
      valueSchema: rewritten,
      value: rowValue(rewritten, new Struct(row).put('id', 1).put('name', null), { __deleted: 'false' }),
    },
  ],
  // add.fields / add.headers
  [
    'add.fields=op',
    { 'add.fields': 'op' },
    create,
    {
      valueSchema: extended([['__op', Schemas.OPTIONAL_STRING]]),
      value: rowValue(extended([['__op', Schemas.OPTIONAL_STRING]]), myRecord(), { __op: 'c' }),
    },
  ],
  [
    'add.fields with prefix, source and transaction fields (id → transaction.id)',
    { 'add.fields': 'op , lsn,id', 'add.fields.prefix': 'prefix.' },
    update,
    {
      valueSchema: extended([
        ['prefix.op', Schemas.OPTIONAL_STRING],
        ['prefix.lsn', Schemas.OPTIONAL_INT32],
        ['prefix.id', Schemas.OPTIONAL_STRING],
      ]),
      value: rowValue(
        extended([
          ['prefix.op', Schemas.OPTIONAL_STRING],
          ['prefix.lsn', Schemas.OPTIONAL_INT32],
          ['prefix.id', Schemas.OPTIONAL_STRING],
        ]),
        updatedRecord(),
        { 'prefix.op': 'u', 'prefix.lsn': 1234, 'prefix.id': '571' },
      ),
    },
  ],
  [
    'add.fields with struct-qualified names',
    { 'add.fields': 'op,source.lsn,transaction.id,transaction.total_order,ts_ms,source.ts_ms' },
    update,
    {
      valueSchema: extended([
        ['__op', Schemas.OPTIONAL_STRING],
        ['__source_lsn', Schemas.OPTIONAL_INT32],
        ['__transaction_id', Schemas.OPTIONAL_STRING],
        ['__transaction_total_order', Schemas.OPTIONAL_INT64],
        ['__ts_ms', Schemas.OPTIONAL_INT64],
        ['__source_ts_ms', Schemas.OPTIONAL_INT64],
      ]),
      value: rowValue(
        extended([
          ['__op', Schemas.OPTIONAL_STRING],
          ['__source_lsn', Schemas.OPTIONAL_INT32],
          ['__transaction_id', Schemas.OPTIONAL_STRING],
          ['__transaction_total_order', Schemas.OPTIONAL_INT64],
          ['__ts_ms', Schemas.OPTIONAL_INT64],
          ['__source_ts_ms', Schemas.OPTIONAL_INT64],
        ]),
        updatedRecord(),
        {
          __op: 'u',
          __source_lsn: 1234,
          __transaction_id: '571',
          __transaction_total_order: 42,
          __ts_ms: 1_700_000_000_000,
          __source_ts_ms: 1_699_999_999_000,
        },
      ),
    },
  ],
  [
    'add.fields renames with field:NEW and no prefix',
    {
      'add.fields': 'op:OP, lsn:LSN, source.lsn:source_lsn, transaction.total_order:TOTAL_ORDER',
      'add.fields.prefix': '',
    },
    update,
    {
      valueSchema: extended([
        ['OP', Schemas.OPTIONAL_STRING],
        ['LSN', Schemas.OPTIONAL_INT32],
        ['source_lsn', Schemas.OPTIONAL_INT32],
        ['TOTAL_ORDER', Schemas.OPTIONAL_INT64],
      ]),
      value: rowValue(
        extended([
          ['OP', Schemas.OPTIONAL_STRING],
          ['LSN', Schemas.OPTIONAL_INT32],
          ['source_lsn', Schemas.OPTIONAL_INT32],
          ['TOTAL_ORDER', Schemas.OPTIONAL_INT64],
        ]),
        updatedRecord(),
        { OP: 'u', LSN: 1234, source_lsn: 1234, TOTAL_ORDER: 42 },
      ),
    },
  ],
  [
    'add.fields: a missing transaction gives null, an unknown field is skipped',
    { 'add.fields': 'op,lsn,id,nonexistent' },
    create,
    {
      valueSchema: extended([
        ['__op', Schemas.OPTIONAL_STRING],
        ['__lsn', Schemas.OPTIONAL_INT32],
        ['__id', Schemas.OPTIONAL_STRING],
      ]),
      value: rowValue(
        extended([
          ['__op', Schemas.OPTIONAL_STRING],
          ['__lsn', Schemas.OPTIONAL_INT32],
          ['__id', Schemas.OPTIONAL_STRING],
        ]),
        myRecord(),
        { __op: 'c', __lsn: 1234, __id: null },
      ),
    },
  ],
  [
    'add.headers=op',
    { 'add.headers': 'op' },
    create,
    {
      valueSchema: required,
      value: plain(myRecord()),
      headers: [H('h', 'v'), H('__op', 'c', Schemas.OPTIONAL_STRING)],
    },
  ],
  [
    'add.headers with struct-qualified names and a prefix',
    { 'add.headers': 'op,source.lsn,transaction.id,transaction.total_order', 'add.headers.prefix': 'prefix.' },
    update,
    {
      valueSchema: required,
      value: plain(updatedRecord()),
      headers: [
        H('h', 'v'),
        H('prefix.op', 'u', Schemas.OPTIONAL_STRING),
        H('prefix.source_lsn', 1234, Schemas.OPTIONAL_INT32),
        H('prefix.transaction_id', '571', Schemas.OPTIONAL_STRING),
        H('prefix.transaction_total_order', 42, Schemas.OPTIONAL_INT64),
      ],
    },
  ],
  [
    'add.headers for a missing transaction gives a null header',
    { 'add.headers': 'op,lsn,id' },
    create,
    {
      valueSchema: required,
      value: plain(myRecord()),
      headers: [
        H('h', 'v'),
        H('__op', 'c', Schemas.OPTIONAL_STRING),
        H('__lsn', 1234, Schemas.OPTIONAL_INT32),
        H('__id', null, Schemas.OPTIONAL_STRING),
      ],
    },
  ],
  [
    'rewrite + add.fields: row, __deleted, then the added fields',
    { 'delete.tombstone.handling.mode': 'rewrite', 'add.fields': 'op,table' },
    create,
    {
      valueSchema: extended([
        ['__deleted', Schemas.OPTIONAL_STRING],
        ['__op', Schemas.OPTIONAL_STRING],
        ['__table', Schemas.OPTIONAL_STRING],
      ]),
      value: rowValue(
        extended([
          ['__deleted', Schemas.OPTIONAL_STRING],
          ['__op', Schemas.OPTIONAL_STRING],
          ['__table', Schemas.OPTIONAL_STRING],
        ]),
        myRecord(),
        { __op: 'c', __table: 'test_table', __deleted: 'false' },
      ),
    },
  ],
  // route.by.field
  [
    'route.by.field takes the topic from the after row',
    { 'route.by.field': 'name' },
    create,
    { topic: 'myRecord', valueSchema: required, value: plain(myRecord()) },
  ],
  [
    'route.by.field on updates',
    { 'route.by.field': 'name' },
    update,
    { topic: 'updatedRecord', valueSchema: required, value: plain(updatedRecord()) },
  ],
  [
    "route.by.field takes a delete's topic from the before row",
    { 'route.by.field': 'name' },
    del,
    { topic: 'myRecord', valueSchema: row, value: null },
  ],
  // deletes
  [
    'tombstone (default): a delete becomes a null value with the row schema',
    {},
    del,
    { valueSchema: row, value: null },
  ],
  ['drop: deletes are dropped', { 'delete.tombstone.handling.mode': 'drop' }, del, null],
  [
    'rewrite: a delete becomes the before row with __deleted=true',
    { 'delete.tombstone.handling.mode': 'rewrite' },
    del,
    { valueSchema: rewritten, value: rowValue(rewritten, myRecord(), { __deleted: 'true' }) },
  ],
  [
    'rewrite-with-tombstone + add.fields on a delete',
    { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone', 'add.fields': 'op,lsn' },
    del,
    {
      valueSchema: extended([
        ['__deleted', Schemas.OPTIONAL_STRING],
        ['__op', Schemas.OPTIONAL_STRING],
        ['__lsn', Schemas.OPTIONAL_INT32],
      ]),
      value: rowValue(
        extended([
          ['__deleted', Schemas.OPTIONAL_STRING],
          ['__op', Schemas.OPTIONAL_STRING],
          ['__lsn', Schemas.OPTIONAL_INT32],
        ]),
        myRecord(),
        { __op: 'd', __lsn: 1234, __deleted: 'true' },
      ),
    },
  ],
  [
    'rewrite-with-tombstone + add.headers on a delete',
    { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone', 'add.headers': 'op,source.lsn' },
    del,
    {
      valueSchema: rewritten,
      value: rowValue(rewritten, myRecord(), { __deleted: 'true' }),
      headers: [H('h', 'v'), H('__op', 'd', Schemas.OPTIONAL_STRING), H('__source_lsn', 1234, Schemas.OPTIONAL_INT32)],
    },
  ],
  [
    'delete-to-tombstone: a delete becomes a real tombstone',
    { 'delete.tombstone.handling.mode': 'delete-to-tombstone' },
    del,
    { valueSchema: null, value: null },
  ],
  // tombstones
  ['tombstone mode drops the incoming tombstone', { 'delete.tombstone.handling.mode': 'tombstone' }, tombstone, null],
  ['drop mode drops the incoming tombstone', { 'delete.tombstone.handling.mode': 'drop' }, tombstone, null],
  ['rewrite drops the incoming tombstone', { 'delete.tombstone.handling.mode': 'rewrite' }, tombstone, null],
  [
    'delete-to-tombstone drops the incoming tombstone',
    { 'delete.tombstone.handling.mode': 'delete-to-tombstone' },
    tombstone,
    null,
  ],
  [
    'rewrite-with-tombstone keeps the tombstone',
    { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' },
    tombstone,
    'same',
  ],
  [
    'rewrite-with-tombstone + add.headers=op marks the tombstone with op=d',
    { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone', 'add.headers': 'op,source.lsn' },
    tombstone,
    { headers: [H('__op', 'd')] },
  ],
  ['the mode is case-insensitive', { 'delete.tombstone.handling.mode': 'DROP' }, del, null],
  // keys removed in Debezium 3.x: ignored (with a warning), as Debezium 3.6 does
  [
    'removed drop.tombstones=true: a delete still becomes a null value',
    { 'drop.tombstones': 'true' },
    del,
    { valueSchema: row, value: null },
  ],
  ['removed delete.handling.mode=none: tombstones still dropped', { 'delete.handling.mode': 'none' }, tombstone, null],
  ['removed drop.tombstones=false: tombstones still dropped', { 'drop.tombstones': 'false' }, tombstone, null],
  [
    'removed delete.handling.mode=none: a null value with the row schema',
    { 'delete.handling.mode': 'none' },
    del,
    { valueSchema: row, value: null },
  ],
  [
    'removed delete.handling.mode=rewrite: no rewrite',
    { 'delete.handling.mode': 'rewrite', 'drop.tombstones': 'false' },
    del,
    { valueSchema: row, value: null },
  ],
  [
    'removed delete.handling.mode=rewrite: creates unmarked',
    { 'delete.handling.mode': 'rewrite' },
    create,
    { valueSchema: required, value: plain(myRecord()) },
  ],
  [
    'delete.tombstone.handling.mode wins over the legacy keys',
    { 'delete.tombstone.handling.mode': 'rewrite', 'delete.handling.mode': 'drop' },
    del,
    { valueSchema: rewritten, value: rowValue(rewritten, myRecord(), { __deleted: 'true' }) },
  ],
  // other events
  ['truncate events are dropped', {}, () => event('t', null, null), null],
  [
    'a record whose value is not an envelope passes unchanged',
    { 'add.headers': 'op' },
    () =>
      new SourceRecord({
        topic: 'dummy',
        valueSchema: SchemaBuilder.struct().name('unknown').field('id', Schemas.INT8).build(),
        value: new Struct(SchemaBuilder.struct().name('unknown').field('id', Schemas.INT8).build()).put('id', 1),
      }),
    'same',
  ],
  [
    'a heartbeat passes unchanged',
    {},
    () =>
      new SourceRecord({
        topic: '__debezium-heartbeat.dummy',
        valueSchema: SchemaBuilder.struct()
          .name('io.debezium.connector.common.Heartbeat')
          .field('ts_ms', Schemas.INT64)
          .build(),
        value: new Struct(
          SchemaBuilder.struct().name('io.debezium.connector.common.Heartbeat').field('ts_ms', Schemas.INT64).build(),
        ).put('ts_ms', 1),
      }),
    'same',
  ],
  [
    'a schemaless value passes unchanged',
    {},
    () => new SourceRecord({ topic: 'dummy', value: { before: null, after: { id: 1 }, op: 'c' } }),
    'same',
  ],
];

describe('ExtractNewRecordState', () => {
  it.each(cases)('%s', (_n, props, make, expected) => {
    const input = make();
    const out = transform(CLS, props).apply(input);
    if (expected === null) expect(out).toBeNull();
    else if (expected === 'same') expect(out).toBe(input);
    else expectRecord(out, input, expected, { validate: !(expected.value === null && expected.valueSchema) });
  });

  it('recognises an envelope renamed by another transform by its shape', () => {
    const renamed = SchemaBuilder.struct()
      .name('renamed')
      .field('before', row)
      .field('after', row)
      .field('source', source)
      .field('op', Schemas.STRING)
      .build();
    const input = new SourceRecord({
      topic: 't',
      valueSchema: renamed,
      value: new Struct(renamed)
        .put('after', myRecord())
        .put('op', 'c')
        .put('source', new Struct(source).put('lsn', 1)),
    });
    expectRecord(transform(CLS).apply(input), input, { valueSchema: required, value: plain(myRecord()) });
  });

  it('caches the extended row schema', () => {
    const t = transform(CLS, { 'add.fields': 'op' });
    expect(t.apply(create())!.valueSchema).toBe(t.apply(update())!.valueSchema);
  });

  describe('drop.fields.header.name', () => {
    const optionalSchema = SchemaBuilder.struct()
      .field('id', Schemas.INT8)
      .field('name', SchemaBuilder.string().optional().defaultValue('default_str').build())
      .optional()
      .build();
    const env = SchemaBuilder.struct()
      .name('dummy.Envelope')
      .field('before', optionalSchema)
      .field('after', optionalSchema)
      .field('source', source)
      .field('op', Schemas.STRING)
      .build();
    const key = SchemaBuilder.struct().field('id', Schemas.INT8).field('name', Schemas.OPTIONAL_STRING).build();
    const make = () =>
      new SourceRecord({
        topic: 'dummy',
        keySchema: key,
        key: new Struct(key).put('id', 1).put('name', 'k'),
        valueSchema: env,
        value: new Struct(env)
          .put('after', new Struct(optionalSchema).put('id', 1).put('name', null))
          .put('op', 'c')
          .put('source', new Struct(source).put('lsn', 1)),
        headers: headers(['drop-fields', ['id', 'name'], SchemaBuilder.array(Schemas.STRING).build()]),
      });
    const onlyId = SchemaBuilder.struct().field('id', Schemas.INT8).build();

    it.each([
      [
        'drops only optional value fields by default',
        {},
        { valueSchema: onlyId, value: new Struct(onlyId).put('id', 1) },
      ],
      [
        'drops optional key fields too with drop.fields.from.key',
        { 'drop.fields.from.key': 'true' },
        {
          keySchema: onlyId,
          key: new Struct(onlyId).put('id', 1),
          valueSchema: onlyId,
          value: new Struct(onlyId).put('id', 1),
        },
      ],
      [
        'drops required fields with drop.fields.keep.schema.compatible=false',
        { 'drop.fields.keep.schema.compatible': 'false' },
        { valueSchema: SchemaBuilder.struct().build(), value: new Struct(SchemaBuilder.struct().build()) },
      ],
    ])('%s', (_n, props, expected) => {
      const input = make();
      expectRecord(
        transform(CLS, { 'drop.fields.header.name': 'drop-fields', ...props }).apply(input),
        input,
        expected,
      );
    });
  });

  it.each([
    [
      { 'delete.tombstone.handling.mode': 'explode' },
      'Invalid value explode for configuration delete.tombstone.handling.mode: String must be one of (case insensitive): drop, tombstone, rewrite, rewrite-with-tombstone, delete-to-tombstone',
    ],
    [{ 'add.fields': 'op:a:b' }, 'Invalid value op:a:b for configuration add.fields: Unexpected field name: op:a:b'],
  ])('config %j fails', (props, message) => {
    expect(() => transform(CLS, props)).toThrow(message);
  });

  it('fails when route.by.field names no column', () => {
    expect(() => transform(CLS, { 'route.by.field': 'nope' }).apply(create())).toThrow(
      'route.by.field: nope is not a valid field name (row fields: id, name)',
    );
  });
});
