/**
 * Transforms differential cases for Debezium's transforms (debezium-connect-plugins):
 * ExtractNewRecordState, ByLogicalTableRouter and the outbox EventRouter, on PostgreSQL-shaped
 * change events (envelope, source block, transaction block, tombstones, truncate, non-envelope records).
 */
import { chain, decimal, opt, rec, struct, T, type RecordDesc, type TransformCase } from './transforms-case.ts';
import type { SchemaDesc } from './json-converter-cases.ts';

const SERVER = 'server1';
const SOURCE: SchemaDesc = struct(
  {
    version: T.string,
    connector: T.string,
    name: T.string,
    ts_ms: T.int64,
    snapshot: opt(T.string, {
      name: 'io.debezium.data.Enum',
      version: 1,
      parameters: { allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental' },
      default: 'false',
    }),
    db: T.string,
    sequence: opt(T.string),
    ts_us: opt(T.int64),
    ts_ns: opt(T.int64),
    schema: T.string,
    table: T.string,
    txId: opt(T.int64),
    lsn: opt(T.int64),
    xmin: opt(T.int64),
  },
  { name: 'io.debezium.connector.postgresql.Source' },
);
const TX: SchemaDesc = struct(
  { id: T.string, total_order: T.int64, data_collection_order: T.int64 },
  { optional: true, name: 'event.block', version: 1 },
);

function rowSchema(table: string): SchemaDesc {
  return struct(
    {
      id: T.int32,
      name: opt(T.string),
      price: opt(decimal(2, { parameters: { scale: '2', 'connect.decimal.precision': '10' } })),
      qty: opt(T.int32, { default: 0 }),
      updated: opt(T.int64, { name: 'io.debezium.time.MicroTimestamp', version: 1 }),
      tags: opt({ type: 'array', items: opt(T.string) }),
    },
    { optional: true, name: `${SERVER}.public.${table}.Value` },
  );
}
const keySchema = (table: string): SchemaDesc => struct({ id: T.int32 }, { name: `${SERVER}.public.${table}.Key` });
function envelope(table: string): SchemaDesc {
  const row = rowSchema(table);
  return struct(
    {
      before: row,
      after: row,
      source: SOURCE,
      transaction: TX,
      op: T.string,
      ts_ms: opt(T.int64),
      ts_us: opt(T.int64),
      ts_ns: opt(T.int64),
    },
    { name: `${SERVER}.public.${table}.Envelope`, version: 2 },
  );
}

const ROW1 = { id: 1, name: 'Ann', price: '12.50', qty: 3, updated: '1700000000123456', tags: ['a', null] };
const ROW2 = { id: 1, name: 'Ann B', price: '13.00', qty: 4, updated: '1700000001123456', tags: [] };
const source = (table: string, snapshot = 'false') => ({
  version: '3.6.1.Final',
  connector: 'postgresql',
  name: SERVER,
  ts_ms: '1700000000100',
  snapshot,
  db: 'shop',
  sequence: '["100","200"]',
  ts_us: '1700000000100000',
  ts_ns: '1700000000100000000',
  schema: 'public',
  table,
  txId: '777',
  lsn: '33554432',
  xmin: null,
});

type Op = 'c' | 'u' | 'd' | 'r' | 't';
export function changeEvent(
  op: Op,
  table = 'orders',
  opts: { topic?: string; tx?: boolean; headers?: RecordDesc['headers'] } = {},
): RecordDesc {
  const before = op === 'u' || op === 'd' ? ROW1 : null;
  const after = op === 'c' || op === 'r' ? ROW1 : op === 'u' ? ROW2 : null;
  const value = {
    before,
    after,
    source: source(table, op === 'r' ? 'true' : 'false'),
    transaction: opts.tx ? { id: '777:33554432', total_order: '3', data_collection_order: '2' } : null,
    op,
    ts_ms: '1700000000200',
    ts_us: '1700000000200000',
    ts_ns: '1700000000200000000',
  };
  return rec({
    topic: opts.topic ?? `${SERVER}.public.${table}`,
    keySchema: op === 't' ? null : keySchema(table),
    key: op === 't' ? null : { id: 1 },
    valueSchema: envelope(table),
    value,
    headers: opts.headers ?? [],
  });
}
export const tombstone = (table = 'orders'): RecordDesc =>
  rec({
    topic: `${SERVER}.public.${table}`,
    keySchema: keySchema(table),
    key: { id: 1 },
    valueSchema: null,
    value: null,
  });
const heartbeat = (): RecordDesc =>
  rec({
    topic: '__debezium-heartbeat.server1',
    keySchema: struct({ serverName: T.string }, { name: 'io.debezium.connector.common.ServerNameKey' }),
    key: { serverName: SERVER },
    valueSchema: struct({ ts_ms: T.int64 }, { name: 'io.debezium.connector.common.Heartbeat' }),
    value: { ts_ms: '1700000000000' },
  });
const schemaless = (): RecordDesc =>
  rec({
    topic: 'plain',
    value: {
      t: 'map',
      v: [
        [
          { t: 'string', v: 'a' },
          { t: 'int32', v: 1 },
        ],
      ],
    },
  });

const ENRS = 'io.debezium.transforms.ExtractNewRecordState';
const dbz = (id: string, type: string, props: Record<string, string>, record: RecordDesc): TransformCase => ({
  id,
  oracle: 'debezium',
  config: chain([{ type, props }]),
  record,
});

const RECORDS: Array<[string, () => RecordDesc]> = [
  ['create', () => changeEvent('c')],
  ['update', () => changeEvent('u', 'orders', { tx: true })],
  ['delete', () => changeEvent('d')],
  ['read', () => changeEvent('r')],
  ['tombstone', () => tombstone()],
  ['truncate', () => changeEvent('t')],
  ['heartbeat', heartbeat],
  ['schemaless', schemaless],
];

function extractNewRecordState(): TransformCase[] {
  const configs: Array<[string, Record<string, string>]> = [
    ['default', {}],
    ['drop', { 'delete.tombstone.handling.mode': 'drop' }],
    ['rewrite', { 'delete.tombstone.handling.mode': 'rewrite' }],
    ['rewrite-with-tombstone', { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' }],
    ['delete-to-tombstone', { 'delete.tombstone.handling.mode': 'delete-to-tombstone' }],
    [
      'add.fields',
      {
        'add.fields': 'op,table,lsn,source.ts_ms,ts_ms,transaction.id,db:DB',
        'delete.tombstone.handling.mode': 'rewrite',
      },
    ],
    ['add.fields prefix', { 'add.fields': 'op,source.ts_ns', 'add.fields.prefix': 'cdc_' }],
    [
      'add.headers',
      { 'add.headers': 'op,db,source.ts_ms,transaction.total_order,ts_us:when', 'add.headers.prefix': 'x_' },
    ],
    ['route.by.field', { 'route.by.field': 'name' }],
    ['removed 3.x keys', { 'delete.handling.mode': 'rewrite', 'drop.tombstones': 'false' }],
    ['replace.null.with.default=false', { 'replace.null.with.default': 'false', 'add.fields': 'op' }],
  ];
  const out: TransformCase[] = [];
  for (const [cl, props] of configs)
    for (const [rl, r] of RECORDS) out.push(dbz(`ExtractNewRecordState ${cl} on ${rl}`, ENRS, props, r()));
  const withDropHeader = (fields: string): RecordDesc => ({
    ...changeEvent('u'),
    headers: [{ key: 'drop', schema: { type: 'array', items: T.string }, value: fields.split(',') }],
  });
  const nulls = {
    ...changeEvent('c'),
    value: {
      ...(changeEvent('c').value as object),
      after: { id: 2, name: null, price: null, qty: null, updated: null, tags: null },
    },
  };
  return out.concat([
    dbz(
      'ExtractNewRecordState drop.fields.header.name',
      ENRS,
      { 'drop.fields.header.name': 'drop' },
      withDropHeader('name,price'),
    ),
    dbz(
      'ExtractNewRecordState drop.fields not schema compatible',
      ENRS,
      { 'drop.fields.header.name': 'drop', 'drop.fields.keep.schema.compatible': 'false' },
      withDropHeader('name,qty'),
    ),
    dbz(
      'ExtractNewRecordState drop.fields.from.key',
      ENRS,
      {
        'drop.fields.header.name': 'drop',
        'drop.fields.from.key': 'true',
        'drop.fields.keep.schema.compatible': 'false',
      },
      withDropHeader('id,name'),
    ),
    dbz('ExtractNewRecordState nulls replaced with the default', ENRS, {}, nulls),
    dbz(
      'ExtractNewRecordState nulls kept, replace.null.with.default=false',
      ENRS,
      { 'replace.null.with.default': 'false' },
      nulls,
    ),
    // A primary-key change: the connector's __debezium.oldkey/newkey headers carry the key Struct (SimpleHeaderConverter: {"id":100}).
    dbz(
      'ExtractNewRecordState key-change headers',
      ENRS,
      {},
      changeEvent('u', 'orders', {
        headers: [{ key: '__debezium.oldkey', schema: keySchema('orders'), value: { id: 100 } }],
      }),
    ),
    dbz(
      'ExtractNewRecordState key-change tombstone headers',
      ENRS,
      { 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' },
      { ...tombstone(), headers: [{ key: '__debezium.newkey', schema: keySchema('orders'), value: { id: 101 } }] },
    ),
    dbz(
      'ExtractNewRecordState removed key with a value 3.x never knew',
      ENRS,
      { 'delete.handling.mode': 'keep' },
      changeEvent('d'),
    ),
    dbz(
      'ExtractNewRecordState removed key drop.tombstones not a boolean',
      ENRS,
      { 'drop.tombstones': 'maybe' },
      changeEvent('c'),
    ),
    dbz(
      'ExtractNewRecordState mode in upper case',
      ENRS,
      { 'delete.tombstone.handling.mode': 'REWRITE' },
      changeEvent('d'),
    ),
    dbz('ExtractNewRecordState invalid mode', ENRS, { 'delete.tombstone.handling.mode': 'explode' }, changeEvent('d')),
    dbz(
      'ExtractNewRecordState add.fields, transaction on a create without one',
      ENRS,
      { 'add.fields': 'id,total_order' },
      changeEvent('c'),
    ),
    dbz('ExtractNewRecordState add.fields unknown', ENRS, { 'add.fields': 'nope' }, changeEvent('c')),
    dbz(
      'ExtractNewRecordState add.headers on delete rewrite',
      ENRS,
      { 'add.headers': 'op,table', 'delete.tombstone.handling.mode': 'rewrite' },
      changeEvent('d'),
    ),
  ]);
}

const BLTR = 'io.debezium.transforms.ByLogicalTableRouter';
function byLogicalTableRouter(): TransformCase[] {
  const shard = (op: Op, n: number): RecordDesc => changeEvent(op, `orders_shard${n}`);
  const base = { 'topic.regex': '(.*)orders_shard(\\d+)', 'topic.replacement': '$1orders_all' };
  return [
    ...(['c', 'u', 'd', 'r'] as const).map((op) => dbz(`ByLogicalTableRouter ${op}`, BLTR, base, shard(op, 1))),
    dbz('ByLogicalTableRouter tombstone', BLTR, base, tombstone('orders_shard2')),
    dbz('ByLogicalTableRouter truncate', BLTR, base, shard('t', 3)),
    dbz('ByLogicalTableRouter no match', BLTR, base, changeEvent('c')),
    dbz(
      'ByLogicalTableRouter key.enforce.uniqueness=false',
      BLTR,
      { ...base, 'key.enforce.uniqueness': 'false' },
      shard('u', 1),
    ),
    dbz('ByLogicalTableRouter key.field.name', BLTR, { ...base, 'key.field.name': 'shard' }, shard('c', 4)),
    dbz(
      'ByLogicalTableRouter key.field.regex',
      BLTR,
      { ...base, 'key.field.regex': '(.*)orders_shard(\\d+)', 'key.field.replacement': '$2' },
      shard('c', 5),
    ),
    dbz(
      'ByLogicalTableRouter invalid names adjusted (avro)',
      BLTR,
      {
        'topic.regex': '(.*)orders_shard(\\d+)',
        'topic.replacement': '$1orders-all!',
        'schema.name.adjustment.mode': 'avro',
      },
      shard('c', 1),
    ),
    dbz(
      'ByLogicalTableRouter invalid names kept (none)',
      BLTR,
      {
        'topic.regex': '(.*)orders_shard(\\d+)',
        'topic.replacement': '$1orders-all!',
        'schema.name.adjustment.mode': 'none',
      },
      shard('c', 1),
    ),
    dbz(
      'ByLogicalTableRouter heartbeat',
      BLTR,
      { 'topic.regex': '(.*)heartbeat(.*)', 'topic.replacement': 'hb' },
      heartbeat(),
    ),
    dbz('ByLogicalTableRouter missing regex', BLTR, { 'topic.replacement': 'x' }, shard('c', 1)),
  ];
}

const ROUTER = 'io.debezium.transforms.outbox.EventRouter';
const OUTBOX_ROW = (payloadSchema: SchemaDesc): SchemaDesc =>
  struct(
    {
      id: T.string,
      aggregatetype: T.string,
      aggregateid: T.string,
      type: T.string,
      payload: payloadSchema,
      version: opt(T.int32),
      tenant: opt(T.string),
    },
    { optional: true, name: `${SERVER}.public.outbox.Value` },
  );
function outboxEvent(
  op: Op,
  payload: unknown,
  payloadSchema: SchemaDesc = opt(T.string),
  extra: Partial<Record<string, unknown>> = {},
): RecordDesc {
  const row = OUTBOX_ROW(payloadSchema);
  const schema = struct(
    { before: row, after: row, source: SOURCE, transaction: TX, op: T.string, ts_ms: opt(T.int64) },
    { name: `${SERVER}.public.outbox.Envelope`, version: 2 },
  );
  const data = {
    id: '5b5c4b3e-8d1f-4c1e-9d1a-111111111111',
    aggregatetype: 'Order',
    aggregateid: '42',
    type: 'OrderCreated',
    payload,
    version: 3,
    tenant: 'acme',
    ...extra,
  };
  return rec({
    topic: `${SERVER}.public.outbox`,
    keySchema: struct({ id: T.string }, { name: `${SERVER}.public.outbox.Key` }),
    key: { id: data.id },
    valueSchema: schema,
    value: {
      before: op === 'c' || op === 'r' ? null : data,
      after: op === 'd' ? null : data,
      source: source('outbox', op === 'r' ? 'true' : 'false'),
      transaction: null,
      op,
      ts_ms: '1700000000200',
    },
  });
}

function eventRouter(): TransformCase[] {
  const json = '{"orderId":42,"lines":[{"sku":"a","qty":2}],"note":null,"total":12.5}';
  return [
    dbz('EventRouter default on create', ROUTER, {}, outboxEvent('c', json)),
    dbz('EventRouter default on read', ROUTER, {}, outboxEvent('r', json)),
    dbz('EventRouter update warns and drops', ROUTER, {}, outboxEvent('u', json)),
    dbz(
      'EventRouter update with op.invalid.behavior=error',
      ROUTER,
      { 'table.op.invalid.behavior': 'error' },
      outboxEvent('u', json),
    ),
    dbz('EventRouter delete', ROUTER, {}, outboxEvent('d', json)),
    dbz('EventRouter tombstone', ROUTER, {}, tombstone('outbox')),
    dbz(
      'EventRouter route.topic.replacement',
      ROUTER,
      { 'route.topic.replacement': 'events.${routedByValue}.v1' },
      outboxEvent('c', json),
    ),
    dbz('EventRouter route.by.field type', ROUTER, { 'route.by.field': 'type' }, outboxEvent('c', json)),
    dbz(
      'EventRouter route.topic.regex',
      ROUTER,
      { 'route.topic.regex': '(?<routedByValue>Ord)er', 'route.topic.replacement': 'x-${routedByValue}' },
      outboxEvent('c', json),
    ),
    dbz(
      'EventRouter additional placement',
      ROUTER,
      {
        'table.fields.additional.placement':
          'type:header:eventType,aggregateid:envelope:aggId,version:header,tenant:envelope',
      },
      outboxEvent('c', json),
    ),
    dbz(
      'EventRouter additional placement partition',
      ROUTER,
      { 'table.fields.additional.placement': 'version:partition' },
      outboxEvent('c', json),
    ),
    dbz(
      'EventRouter additional field missing',
      ROUTER,
      { 'table.fields.additional.placement': 'nope:header' },
      outboxEvent('c', json),
    ),
    dbz(
      'EventRouter additional field missing, no error',
      ROUTER,
      { 'table.fields.additional.placement': 'nope:header', 'table.fields.additional.error.on.missing': 'false' },
      outboxEvent('c', json),
    ),
    dbz('EventRouter event.key field', ROUTER, { 'table.field.event.key': 'tenant' }, outboxEvent('c', json)),
    dbz(
      'EventRouter schema version field',
      ROUTER,
      { 'table.field.event.schema.version': 'version' },
      outboxEvent('c', json),
    ),
    dbz(
      'EventRouter custom id and payload fields',
      ROUTER,
      { 'table.field.event.id': 'aggregateid', 'table.field.event.payload': 'type' },
      outboxEvent('c', json),
    ),
    dbz('EventRouter null payload', ROUTER, {}, outboxEvent('c', null)),
    dbz(
      'EventRouter null payload, tombstone on empty',
      ROUTER,
      { 'route.tombstone.on.empty.payload': 'true' },
      outboxEvent('c', null),
    ),
    dbz(
      'EventRouter bytes payload',
      ROUTER,
      {},
      outboxEvent('c', Buffer.from('raw bytes').toString('base64'), opt(T.bytes)),
    ),
    dbz('EventRouter expand json payload', ROUTER, { 'table.expand.json.payload': 'true' }, outboxEvent('c', json)),
    dbz(
      'EventRouter expand json array payload',
      ROUTER,
      { 'table.expand.json.payload': 'true' },
      outboxEvent('c', '[1,2,3]'),
    ),
    dbz(
      'EventRouter expand json with null field, ignore',
      ROUTER,
      { 'table.expand.json.payload': 'true', 'table.json.payload.null.behavior': 'ignore' },
      outboxEvent('c', '{"a":null,"b":"x"}'),
    ),
    dbz(
      'EventRouter expand json with null field, optional bytes',
      ROUTER,
      { 'table.expand.json.payload': 'true', 'table.json.payload.null.behavior': 'optional_bytes' },
      outboxEvent('c', '{"a":null,"b":"x"}'),
    ),
    dbz(
      'EventRouter expand invalid json',
      ROUTER,
      { 'table.expand.json.payload': 'true' },
      outboxEvent('c', 'not json'),
    ),
    ...[
      '{"big":9007199254740993,"long":3000000000,"neg":-1,"exp":1e3,"frac":0.5,"s":"é😀\\n","t":true,"f":false}',
      '{"arr":[1,2,3],"strs":["a",null,"b"],"empty":[],"nested":{"deep":{"x":1}},"objs":[{"a":1},{"a":2,"b":"x"}]}',
      '{"mixed":[1,"a"]}',
      '{"nums":[1,3000000000]}',
      '{"dup":1,"dup":2}',
      '{}',
      '42',
      '"text"',
      'null',
      '[{"a":1}]',
      '{"objs":[{"a":null},{"a":"x"}]}',
      '{"a":{"b":null}}',
      ' {"padded": 1} ',
      '{"a":1}x',
      '{"n":-0.0,"e":1E+2}',
    ].flatMap((text, i) => [
      dbz(
        `EventRouter expand json #${i} ${text}`,
        ROUTER,
        { 'table.expand.json.payload': 'true' },
        outboxEvent('c', text),
      ),
      dbz(
        `EventRouter expand json #${i} optional_bytes, envelope placement`,
        ROUTER,
        {
          'table.expand.json.payload': 'true',
          'table.json.payload.null.behavior': 'optional_bytes',
          'table.fields.additional.placement': 'type:envelope:eventType',
        },
        outboxEvent('c', text),
      ),
    ]),
    dbz(
      'EventRouter expand json, custom payload field',
      ROUTER,
      { 'table.expand.json.payload': 'true', 'table.field.event.payload': 'tenant' },
      outboxEvent('c', 'x', undefined, { tenant: '{"t":{"u":1}}' }),
    ),
    dbz('EventRouter heartbeat passes', ROUTER, {}, heartbeat()),
    dbz('EventRouter missing route field', ROUTER, { 'route.by.field': 'nope' }, outboxEvent('c', json)),
  ];
}

export function debeziumCases(): TransformCase[] {
  return [...extractNewRecordState(), ...byLogicalTableRouter(), ...eventRouter()];
}
