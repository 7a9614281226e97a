/**
 * The scenarios of the JDBC sink differential: per scenario a topic of Debezium PostgreSQL change
 * events and the sink options users set most. Both sinks get the same options (only the
 * connection differs), as a user switching sinks would keep them.
 */
import { S, TableEvents, V, type Column, type Row } from './jdbc-sink-events.ts';
import type { TargetKind } from './jdbc-sink-targets.ts';

export interface Scenario {
  /** Short id: connector names and the topic's table part. */
  id: string;
  /** Connector options besides connection and topics. */
  config: Record<string, string>;
  events: TableEvents;
  /** The table both sinks write (after table naming), in the connection's default schema. */
  table: string;
  /**
   * The database error both sinks must fail with (its first match in each failure, a zero
   * fraction dropped, must be equal), for values the target cannot store.
   */
  failsWith?: RegExp;
  /** SQL run on both targets before the sinks start (update mode needs existing rows). */
  seed?: (table: string, kind: TargetKind) => string[];
}

const ID: Column = { name: 'id', schema: S.req('int32') };

const TYPE_COLUMNS: Column[] = [
  { name: 'c_smallint', schema: S.int16 },
  { name: 'c_int', schema: S.int32 },
  { name: 'c_bigint', schema: S.int64 },
  { name: 'c_real', schema: S.float32 },
  { name: 'c_double', schema: S.float64 },
  { name: 'c_bool', schema: S.boolean },
  { name: 'c_text', schema: S.string },
  { name: 'c_bytea', schema: S.bytes },
  { name: 'c_numeric', schema: S.decimal(2, 10) },
  { name: 'c_numeric_wide', schema: S.decimal(5, 38) },
  { name: 'c_vnumeric', schema: S.variableDecimal },
  { name: 'c_date', schema: S.date },
  { name: 'c_time_ms', schema: S.time },
  { name: 'c_time', schema: S.microTime },
  { name: 'c_ts_ms', schema: S.timestamp },
  { name: 'c_ts', schema: S.microTimestamp },
  { name: 'c_ts_ns', schema: S.nanoTimestamp },
  { name: 'c_tstz', schema: S.zonedTimestamp },
  { name: 'c_timetz', schema: S.zonedTime },
  { name: 'c_interval', schema: S.microDuration },
  { name: 'c_json', schema: S.json },
  { name: 'c_uuid', schema: S.uuid },
  { name: 'c_xml', schema: S.xml },
  { name: 'c_enum', schema: S.enumOf('red,green,blue') },
  { name: 'c_bits', schema: S.bits(10) },
  { name: 'c_int_arr', schema: S.arrayOf(S.opt('int32')) },
  { name: 'c_text_arr', schema: S.arrayOf(S.opt('string')) },
  { name: 'c_cdate', schema: S.connectDate },
  { name: 'c_ctime', schema: S.connectTime },
  { name: 'c_cts', schema: S.connectTimestamp },
  { name: 'c_cdecimal', schema: S.decimal(3) },
  { name: 'c_required', schema: S.req('string', { default: 'dflt' }) },
  { name: 'c_int_default', schema: S.opt('int32', { default: 42 }) },
];

function typesRow(id: number, variant: number): Row {
  const r: Row = {
    id,
    c_smallint: variant ? -32768 : 32767,
    c_int: variant ? -2147483648 : 2147483647,
    c_bigint: variant ? -9223372036854775808n : 9007199254740993n,
    c_real: variant ? -1.5 : 3.25,
    c_double: variant ? 1.0e300 : -0.000123456789,
    c_bool: variant === 0,
    c_text: variant ? 'ünïcödé \u{1F600} "q" \\ back\nline\ttab' : 'plain',
    c_bytea: V.bytes(variant ? '00ff10' : 'deadbeef'),
    c_numeric: V.decimal(variant ? -1234567890n : 12345n),
    c_numeric_wide: V.decimal(variant ? 123456789012345678901234567890123n : -1n),
    c_vnumeric: variant ? V.variableDecimal(31415926535n, 10) : V.variableDecimal(-5n, 0),
    c_date: V.days(variant ? '1969-07-20' : '2024-02-29'),
    c_time_ms: variant ? 0 : 45_296_789,
    c_time: variant ? 86_399_999_999n : 45_296_789_012n,
    c_ts_ms: variant ? -1n : 1_709_210_096_789n,
    c_ts: variant ? V.micros('1960-01-01T12:00:00.000001Z') : V.micros('2024-02-29T12:34:56.123456Z'),
    c_ts_ns: variant ? -1_500n : 1_709_210_096_123_456_789n,
    c_tstz: variant ? '1999-12-31T23:59:59.999999Z' : '2024-02-29T12:34:56.5Z',
    c_timetz: variant ? '23:59:59.999999Z' : '12:34:56.789Z',
    c_interval: variant ? -3_600_000_000n : 90_061_000_001n,
    c_json: variant ? '{"a": [1, 2.5, null], "b": {"c": "d"}}' : '[]',
    c_uuid: variant ? '00000000-0000-0000-0000-000000000000' : 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    c_xml: variant ? '<a x="1">t</a>' : '<r/>',
    c_enum: variant ? 'blue' : 'red',
    c_bits: V.bytes(variant ? 'ff03' : '0500'),
    c_int_arr: variant ? [1, null, -3] : [],
    c_text_arr: variant ? ['a', 'b,c', '"q"'] : ['x'],
    c_cdate: V.days(variant ? '0001-01-01' : '2024-02-29'),
    c_ctime: variant ? 86_399_999 : 1,
    c_cts: variant ? -62_135_596_800_000n : 1_709_210_096_789n,
    c_cdecimal: V.decimal(variant ? -1n : 123456789n),
    c_required: variant ? 'x' : 'dflt',
    c_int_default: variant ? null : 7,
  };
  return r;
}

const NULL_ROW = (id: number): Row => ({ id, c_required: 'only required' });

/**
 * Every column type, then updates, a delete with its tombstone and a primary key change. Arrays
 * only for PostgreSQL: MariaDB has no array type (both sinks refuse them there). No ZonedTime on
 * MariaDB: Debezium's sink declares it `time with time zone` there, which MariaDB refuses, so its
 * CREATE TABLE fails (Tributary's declares TIME(6), the UTC time).
 */
function typesScenario(server: string, kind: TargetKind): TableEvents {
  const columns =
    kind === 'postgresql'
      ? TYPE_COLUMNS
      : TYPE_COLUMNS.filter((c) => c.schema.type !== 'array' && c.schema.name !== 'io.debezium.time.ZonedTime');
  const t = new TableEvents({ topic: `${server}.public.types`, keyColumns: [ID], columns });
  t.snapshot(typesRow(1, 0))
    .snapshot(typesRow(2, 1))
    .insert(NULL_ROW(3))
    .insert(typesRow(4, 0))
    .insert(typesRow(5, 1))
    .update(null, { ...typesRow(1, 1), id: 1 })
    .update(typesRow(2, 1), NULL_ROW(2))
    .delete(typesRow(5, 1))
    .changeKey(typesRow(4, 0), { ...typesRow(4, 0), id: 104, c_text: 'moved' })
    .insert(typesRow(6, 0))
    .update(null, { ...typesRow(6, 0), c_text: 'updated' });
  return t;
}

const ITEM: Column[] = [
  { name: 'name', schema: S.string },
  { name: 'qty', schema: S.req('int32') },
  { name: 'price', schema: S.decimal(2, 8) },
];
const item = (id: number, name: string, qty: number, cents: bigint): Row => ({
  id,
  name,
  qty,
  price: V.decimal(cents),
});

function itemEvents(topic: string): TableEvents {
  return new TableEvents({ topic, keyColumns: [ID], columns: ITEM })
    .insert(item(1, 'one', 1, 100n))
    .insert(item(2, 'two', 2, 200n))
    .update(null, item(1, 'one v2', 10, 150n))
    .delete(item(2, 'two', 2, 200n))
    .insert(item(3, 'three', 3, 300n))
    .update(null, item(3, 'three v2', 30, 350n));
}

/** Composite primary key read from the value (primary.key.mode=record_value). */
function byValueEvents(topic: string): TableEvents {
  const cols: Column[] = [
    { name: 'code', schema: S.req('string') },
    { name: 'region', schema: S.req('int16') },
    { name: 'amount', schema: S.decimal(4, 12) },
    { name: 'at', schema: S.microTimestamp },
  ];
  const r = (id: number, code: string, region: number, amount: bigint): Row => ({
    id,
    code,
    region,
    amount: V.decimal(amount),
    at: V.micros('2024-05-06T07:08:09.000010Z') + BigInt(id),
  });
  return new TableEvents({ topic, keyColumns: [ID], columns: cols })
    .insert(r(1, 'A', 1, 10000n))
    .insert(r(2, 'A', 2, 20000n))
    .insert(r(3, 'B', 1, 30000n))
    .update(null, r(1, 'A', 1, 11111n))
    .update(null, r(4, 'A', 2, 22222n))
    .delete(r(3, 'B', 1, 30000n));
}

/** Columns added mid-stream: optional, optional with a default, required with a default. */
function evolveEvents(topic: string): TableEvents {
  const v1: Column[] = [{ name: 'name', schema: S.string }];
  const v2: Column[] = [
    ...v1,
    { name: 'note', schema: S.string },
    { name: 'score', schema: S.opt('int32', { default: 5 }) },
    { name: 'status', schema: S.req('string', { default: 'new' }) },
    { name: 'ratio', schema: S.opt('double', { default: 0.5 }) },
    { name: 'flag', schema: S.opt('boolean', { default: true }) },
  ];
  return new TableEvents({ topic, keyColumns: [ID], columns: v1 })
    .insert({ id: 1, name: 'before the change' })
    .insert({ id: 2, name: 'kept' })
    .alter(v2)
    .insert({ id: 3, name: 'after', note: 'n', score: 9, status: 'open', ratio: 1.25, flag: false })
    .update(null, { id: 2, name: 'kept v2', note: null, score: null, status: 'closed', ratio: null, flag: null });
}

function truncateEvents(topic: string): TableEvents {
  return new TableEvents({ topic, keyColumns: [ID], columns: ITEM })
    .insert(item(1, 'gone', 1, 1n))
    .insert(item(2, 'gone too', 2, 2n))
    .truncate()
    .insert(item(3, 'after truncate', 3, 3n));
}

/**
 * Connect Date/Timestamp values beyond a JavaScript Date: PostgreSQL's ±infinity as Debezium's
 * PostgreSQL connector writes them under time.precision.mode=connect (pgjdbc's sentinel epoch
 * milliseconds for timestamps; Integer.MAX/MIN_VALUE days, as Tributary's source gives dates).
 */
function infinityEvents(topic: string, column: Column, values: unknown[]): TableEvents {
  const t = new TableEvents({ topic, keyColumns: [ID], columns: [column] });
  values.forEach((v, i) => t.insert({ id: i + 1, [column.name]: v }));
  return t;
}

const UPSERT = {
  'insert.mode': 'upsert',
  'primary.key.mode': 'record_key',
  'delete.enabled': 'true',
  'schema.evolution': 'basic',
};

/** The table Debezium's default naming gives a topic (dots replaced by underscores). */
const tableOf = (topic: string) => topic.replaceAll('.', '_');

/** The scenarios for one target kind; `server` (the topic prefix) must differ per kind. */
export function scenarios(server: string, kind: TargetKind): Scenario[] {
  const topic = (id: string) => `${server}.public.${id}`;
  return [
    { id: 'types', config: UPSERT, events: typesScenario(server, kind), table: tableOf(topic('types')) },
    {
      id: 'insert_nopk',
      config: { 'insert.mode': 'insert', 'primary.key.mode': 'none', 'schema.evolution': 'basic' },
      events: itemEvents(topic('insert_nopk')),
      table: tableOf(topic('insert_nopk')),
    },
    {
      id: 'upsert_nodelete',
      config: { ...UPSERT, 'delete.enabled': 'false' },
      events: itemEvents(topic('upsert_nodelete')),
      table: tableOf(topic('upsert_nodelete')),
    },
    {
      id: 'by_value',
      // delete.enabled=true needs record_key in both sinks
      config: {
        ...UPSERT,
        'primary.key.mode': 'record_value',
        'primary.key.fields': 'code,region',
        'delete.enabled': 'false',
      },
      events: byValueEvents(topic('by_value')),
      table: tableOf(topic('by_value')),
    },
    {
      id: 'update_mode',
      config: { ...UPSERT, 'insert.mode': 'update', 'delete.enabled': 'false' },
      events: itemEvents(topic('update_mode')),
      table: tableOf(topic('update_mode')),
      seed: (t, kind) => {
        const q = kind === 'postgresql' ? `"${t}"` : `\`${t}\``;
        return [
          `CREATE TABLE ${q} (id integer NOT NULL, name ${kind === 'postgresql' ? 'text' : 'longtext'}, qty integer NOT NULL, price decimal(8,2), PRIMARY KEY(id))`,
          `INSERT INTO ${q} VALUES (1, 'seed one', 0, 0.00), (3, 'seed three', 0, 0.00), (9, 'untouched', 9, 9.99)`,
        ];
      },
    },
    { id: 'evolve', config: UPSERT, events: evolveEvents(topic('evolve')), table: tableOf(topic('evolve')) },
    {
      id: 'named',
      config: { ...UPSERT, 'collection.name.format': 'archive_${topic}' },
      events: itemEvents(topic('named')),
      table: `archive_${tableOf(topic('named'))}`,
    },
    {
      id: 'truncate',
      config: { ...UPSERT, 'truncate.enabled': 'true' },
      events: truncateEvents(topic('truncate')),
      table: tableOf(topic('truncate')),
    },
    {
      id: 'infinity_ts',
      config: UPSERT,
      events: infinityEvents(topic('infinity_ts'), { name: 'ts', schema: S.connectTimestamp }, [
        9223372036825200000n,
        -9223372036832400000n,
        0n,
      ]),
      table: tableOf(topic('infinity_ts')),
      failsWith: /timestamp out of range: "[^"]*"|Incorrect datetime value: '[^']*'/,
    },
    {
      id: 'infinity_date',
      config: UPSERT,
      events: infinityEvents(
        topic('infinity_date'),
        { name: 'd', schema: S.connectDate },
        [2147483647, -2147483648, 0],
      ),
      table: tableOf(topic('infinity_date')),
      failsWith: /date out of range: "[^"]*"|Incorrect date value: '[^']*'/,
    },
  ];
}
