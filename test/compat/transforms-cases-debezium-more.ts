/**
 * More Debezium transforms differential cases: MySQL-shaped events, PostgreSQL logical decoding
 * messages and schema-change records through ExtractNewRecordState, the usual production chains
 * (unwrap with a tombstone predicate, router then unwrap), and ByLogicalTableRouter on key-less and
 * schemaless records.
 */
import { chain, opt, rec, struct, T, type RecordDesc, type TransformCase } from './transforms-case.ts';
import type { SchemaDesc } from './json-converter-cases.ts';
import { changeEvent, tombstone } from './transforms-cases-debezium.ts';

const ENRS = 'io.debezium.transforms.ExtractNewRecordState';
const BLTR = 'io.debezium.transforms.ByLogicalTableRouter';

const MYSQL_SOURCE: SchemaDesc = struct(
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
    table: opt(T.string),
    server_id: T.int64,
    gtid: opt(T.string),
    file: T.string,
    pos: T.int64,
    row: T.int32,
    thread: opt(T.int64),
    query: opt(T.string),
  },
  { name: 'io.debezium.connector.mysql.Source' },
);
const MYSQL_ROW: SchemaDesc = struct(
  {
    id: T.int64,
    flag: opt(T.int16),
    at: opt(T.int64, { name: 'io.debezium.time.Timestamp', version: 1 }),
    doc: opt(T.string, { name: 'io.debezium.data.Json', version: 1 }),
  },
  { optional: true, name: 'mysql1.shop.items.Value' },
);

function mysqlEvent(op: 'c' | 'u' | 'd'): RecordDesc {
  const row1 = { id: '9007199254740993', flag: 1, at: '1700000000000', doc: '{"a":1}' };
  const row2 = { ...row1, flag: null };
  const env = struct(
    {
      before: MYSQL_ROW,
      after: MYSQL_ROW,
      source: MYSQL_SOURCE,
      transaction: opt(struct({ id: T.string, total_order: T.int64, data_collection_order: T.int64 }), {
        name: 'event.block',
        version: 1,
      }),
      op: T.string,
      ts_ms: opt(T.int64),
      ts_us: opt(T.int64),
      ts_ns: opt(T.int64),
    },
    { name: 'mysql1.shop.items.Envelope', version: 2 },
  );
  const source = {
    version: '3.6.1.Final',
    connector: 'mysql',
    name: 'mysql1',
    ts_ms: '1700000000000',
    snapshot: 'false',
    db: 'shop',
    ts_us: '1700000000000000',
    ts_ns: '1700000000000000000',
    table: 'items',
    server_id: '223344',
    gtid: null,
    file: 'mysql-bin.000003',
    pos: '154',
    row: 0,
    thread: '7',
    query: null,
  };
  return rec({
    topic: 'mysql1.shop.items',
    keySchema: struct({ id: T.int64 }, { name: 'mysql1.shop.items.Key' }),
    key: { id: '9007199254740993' },
    valueSchema: env,
    value: {
      before: op === 'c' ? null : row1,
      after: op === 'd' ? null : op === 'u' ? row2 : row1,
      source,
      transaction: null,
      op,
      ts_ms: '1700000000500',
      ts_us: '1700000000500000',
      ts_ns: '1700000000500000000',
    },
  });
}

function pgMessage(): RecordDesc {
  const msg = struct({ prefix: T.string, content: opt(T.bytes) }, { name: 'io.debezium.connector.postgresql.Message' });
  const source = struct(
    { version: T.string, connector: T.string, name: T.string, ts_ms: T.int64, db: T.string, lsn: opt(T.int64) },
    { name: 'io.debezium.connector.postgresql.Source' },
  );
  const env = struct(
    { op: T.string, ts_ms: opt(T.int64), source, message: msg },
    { name: 'io.debezium.connector.postgresql.MessageValue' },
  );
  return rec({
    topic: 'server1.message',
    keySchema: struct({ prefix: T.string }, { name: 'io.debezium.connector.postgresql.MessageKey' }),
    key: { prefix: 'audit' },
    valueSchema: env,
    value: {
      op: 'm',
      ts_ms: '1700000000000',
      source: {
        version: '3.6.1.Final',
        connector: 'postgresql',
        name: 'server1',
        ts_ms: '1700000000000',
        db: 'shop',
        lsn: '123',
      },
      message: { prefix: 'audit', content: 'aGk=' },
    },
  });
}

function schemaChange(): RecordDesc {
  const source = struct(
    {
      version: T.string,
      connector: T.string,
      name: T.string,
      ts_ms: T.int64,
      db: T.string,
      file: T.string,
      pos: T.int64,
    },
    { name: 'io.debezium.connector.mysql.Source' },
  );
  const value = struct(
    {
      source,
      ts_ms: T.int64,
      databaseName: opt(T.string),
      schemaName: opt(T.string),
      ddl: opt(T.string),
      tableChanges: {
        type: 'array',
        items: struct({ type: T.string, id: T.string }, { name: 'io.debezium.connector.schema.Change' }),
      },
    },
    { name: 'io.debezium.connector.mysql.SchemaChangeValue', version: 1 },
  );
  return rec({
    topic: 'mysql1',
    keySchema: struct({ databaseName: T.string }, { name: 'io.debezium.connector.mysql.SchemaChangeKey', version: 1 }),
    key: { databaseName: 'shop' },
    valueSchema: value,
    value: {
      source: {
        version: '3.6.1.Final',
        connector: 'mysql',
        name: 'mysql1',
        ts_ms: '1',
        db: 'shop',
        file: 'f',
        pos: '4',
      },
      ts_ms: '2',
      databaseName: 'shop',
      schemaName: null,
      ddl: 'ALTER TABLE items ADD c INT',
      tableChanges: [{ type: 'ALTER', id: '"shop"."items"' }],
    },
  });
}

const one = (id: string, type: string, props: Record<string, string>, record: RecordDesc): TransformCase => ({
  id,
  oracle: 'debezium',
  config: chain([{ type, props }]),
  record,
});

export function moreDebeziumCases(): TransformCase[] {
  const out: TransformCase[] = [];
  for (const op of ['c', 'u', 'd'] as const) {
    out.push(one(`ExtractNewRecordState MySQL ${op}`, ENRS, {}, mysqlEvent(op)));
    out.push(
      one(
        `ExtractNewRecordState MySQL ${op} add.fields file,pos,gtid,ts_us`,
        ENRS,
        { 'add.fields': 'file,pos,gtid,source.ts_us,ts_us', 'delete.tombstone.handling.mode': 'rewrite' },
        mysqlEvent(op),
      ),
    );
    out.push(
      one(
        `ExtractNewRecordState MySQL ${op} add.headers`,
        ENRS,
        { 'add.headers': 'server_id,row,query,db' },
        mysqlEvent(op),
      ),
    );
  }
  const unwrapUnlessTombstone = chain(
    [{ type: ENRS, props: { 'delete.tombstone.handling.mode': 'rewrite' }, predicate: 'tomb', negate: true }],
    { tomb: { type: 'RecordIsTombstone' } },
  );
  const routeThenUnwrap = chain([
    { type: BLTR, props: { 'topic.regex': '(.*)\\.public\\.(.*)', 'topic.replacement': 'all.$2' } },
    { type: ENRS, props: { 'add.fields': 'table,op' } },
  ]);
  const unwrapThenRoute = chain([
    { type: ENRS, props: {} },
    { type: 'RegexRouter', props: { regex: 'server1\\.public\\.(.*)', replacement: 'flat.$1' } },
  ]);
  for (const [label, r] of [
    ['update', changeEvent('u')],
    ['delete', changeEvent('d')],
    ['tombstone', tombstone()],
  ] as const) {
    out.push({
      id: `chain: unwrap unless tombstone (negated predicate) on ${label}`,
      oracle: 'debezium',
      config: unwrapUnlessTombstone,
      record: r,
    });
    out.push({
      id: `chain: ByLogicalTableRouter then unwrap on ${label}`,
      oracle: 'debezium',
      config: routeThenUnwrap,
      record: r,
    });
    out.push({
      id: `chain: unwrap then RegexRouter on ${label}`,
      oracle: 'debezium',
      config: unwrapThenRoute,
      record: r,
    });
  }
  return out.concat([
    one('ExtractNewRecordState PostgreSQL message passes', ENRS, { 'add.headers': 'op' }, pgMessage()),
    one('ExtractNewRecordState schema change passes', ENRS, { 'add.fields': 'op' }, schemaChange()),
    one(
      'ByLogicalTableRouter schema change topic',
      BLTR,
      { 'topic.regex': 'mysql1', 'topic.replacement': 'schemas' },
      schemaChange(),
    ),
    one(
      'ByLogicalTableRouter MySQL event',
      BLTR,
      { 'topic.regex': '(.*)\\.items', 'topic.replacement': '$1.all_items' },
      mysqlEvent('u'),
    ),
    one(
      'ByLogicalTableRouter key-less truncate',
      BLTR,
      { 'topic.regex': '(.*)orders', 'topic.replacement': '$1all' },
      changeEvent('t'),
    ),
    one(
      'ByLogicalTableRouter schemaless value',
      BLTR,
      { 'topic.regex': 'plain', 'topic.replacement': 'x' },
      rec({ topic: 'plain', value: { t: 'map', v: [] } }),
    ),
    one(
      'ByLogicalTableRouter message',
      BLTR,
      { 'topic.regex': 'server1\\.(.*)', 'topic.replacement': 'm.$1' },
      pgMessage(),
    ),
  ]);
}
