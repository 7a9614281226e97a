/**
 * The PostgreSQL differential's workload: tables covering PostgreSQL 15's column types (NULLs,
 * extremes, defaults), rows present before the snapshot, then a streaming workload of inserts,
 * updates, primary-key changes, deletes, TOAST, TRUNCATE, multi-table transactions and logical
 * decoding messages; rows and an execute-snapshot signal for an incremental snapshot; and a
 * sentinel message both engines must reach.
 */

export const END_PREFIX = 'diff-end';

/** Every column of `types_all`: name, type, DEFAULT expression (or null). */
const COLUMNS: Array<[string, string, string | null]> = [
  ['c_int2', 'smallint', '7'],
  ['c_int4', 'integer', '-1'],
  ['c_int8', 'bigint', '9223372036854775807'],
  ['c_num', 'numeric(10,3)', '1.5'],
  ['c_numv', 'numeric', '2.50'],
  ['c_num0', 'numeric(5,0)', null],
  ['c_real', 'real', '1.5'],
  ['c_dbl', 'double precision', '3.25'],
  ['c_money', 'money', '12.34'],
  ['c_bool', 'boolean', 'true'],
  ['c_char', 'char(5)', "'ab'"],
  ['c_varchar', 'varchar(20)', "'hello'"],
  ['c_text', 'text', "'x'"],
  ['c_bytea', 'bytea', "'\\x0102'"],
  ['c_bit1', 'bit(1)', "B'1'"],
  ['c_bit', 'bit(10)', "B'1010101010'"],
  ['c_varbit', 'varbit(20)', "B'101'"],
  ['c_date', 'date', "'2020-01-02'"],
  ['c_time', 'time', "'12:34:56.789'"],
  ['c_time3', 'time(3)', null],
  ['c_time0', 'time(0)', null],
  ['c_timetz', 'timetz', "'12:00:00+02'"],
  ['c_ts', 'timestamp', "'2020-01-02 03:04:05.123456'"],
  ['c_ts3', 'timestamp(3)', null],
  ['c_ts0', 'timestamp(0)', null],
  ['c_tstz', 'timestamptz', "'2020-01-02 03:04:05+00'"],
  ['c_tstz3', 'timestamptz(3)', null],
  ['c_interval', 'interval', "'1 day'"],
  ['c_uuid', 'uuid', "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"],
  ['c_json', 'json', `'{"a":1}'`],
  ['c_jsonb', 'jsonb', null],
  ['c_xml', 'xml', null],
  ['c_inet', 'inet', null],
  ['c_cidr', 'cidr', null],
  ['c_macaddr', 'macaddr', null],
  ['c_macaddr8', 'macaddr8', null],
  ['c_point', 'point', null],
  ['c_int4range', 'int4range', null],
  ['c_int8range', 'int8range', null],
  ['c_numrange', 'numrange', null],
  ['c_tsrange', 'tsrange', null],
  ['c_tstzrange', 'tstzrange', null],
  ['c_daterange', 'daterange', null],
  ['c_tsvector', 'tsvector', null],
  ['c_enum', 'diff_mood', "'happy'"],
  ['c_domain', 'diff_posint', null],
  ['c_int_arr', 'integer[]', null],
  ['c_text_arr', 'text[]', null],
  ['c_citext', 'citext', null],
  ['c_ltree', 'ltree', null],
  ['c_hstore', 'hstore', null],
  ['c_oid', 'oid', null],
  ['c_num_arr', 'numeric(5,2)[]', null],
  ['c_date_arr', 'date[]', null],
  ['c_uuid_arr', 'uuid[]', null],
  ['c_ts_arr', 'timestamp[]', null],
  ['c_bool_arr', 'boolean[]', null],
  ['c_int8_arr', 'bigint[]', null],
  ['c_float_arr', 'float8[]', null],
  ['c_varchar_arr', 'varchar(5)[]', null],
  ['c_jsonb_arr', 'jsonb[]', null],
  ['c_char1', '"char"', null],
  ['c_name', 'name', null],
  ['c_box', 'box', null],
  ['c_circle', 'circle', null],
  ['c_line', 'line', null],
  ['c_lseg', 'lseg', null],
  ['c_path', 'path', null],
  ['c_polygon', 'polygon', null],
  ['c_tsquery', 'tsquery', null],
  ['c_pg_lsn', 'pg_lsn', null],
  ['c_time6', 'time(6)', "'00:00:01'"],
  ['c_ts6', 'timestamp(6)', "'1970-01-01 00:00:00'"],
  ['c_date0', 'date', "'1900-01-01'"],
  ['c_num_def', 'numeric(8,4)', "'-12.5'"],
  ['c_int_notnull', 'integer NOT NULL', '0'],
  ['c_text_notnull', 'text NOT NULL', "'nn'"],
];

/** Value rows (column → SQL literal); absent columns take their DEFAULT. */
const ROWS: Array<Record<string, string>> = [
  // all NULL
  Object.fromEntries(COLUMNS.filter(([, t]) => !t.endsWith('NOT NULL')).map(([c]) => [c, 'NULL'])),
  // defaults only
  {},
  // maxima / positive extremes
  {
    c_int2: '32767',
    c_int4: '2147483647',
    c_int8: '9223372036854775807',
    c_num: '9999999.999',
    c_numv: '123456789012345678901234567890.123456789000',
    c_num0: '99999',
    c_real: '3.4028235e38',
    c_dbl: '1.7976931348623157e308',
    c_money: '92233720368547758.07',
    c_bool: 'false',
    c_char: "'abcde'",
    c_varchar: "'😀 non-BMP \t tab'",
    c_text: 'E\'line\\nbreak \\u0001 ctl "q" \\\\ back\'',
    c_bytea: "'\\x00ff10'",
    c_bit1: "B'0'",
    c_bit: "B'1000000001'",
    c_varbit: "B'00000000000000000001'",
    c_date: "'9999-12-31'",
    c_time: "'24:00:00'",
    c_time3: "'23:59:59.999'",
    c_time0: "'23:59:59'",
    c_timetz: "'23:59:59.999999-12'",
    c_ts: "'9999-12-31 23:59:59.999999'",
    c_ts3: "'9999-12-31 23:59:59.999'",
    c_ts0: "'9999-12-31 23:59:59'",
    c_tstz: "'9999-12-31 23:59:59.999999+00'",
    c_tstz3: "'2262-04-11 23:47:16.854+00'",
    c_interval: "'178000000 years 11 mons 30 days 23:59:59.999999'",
    c_uuid: "'ffffffff-ffff-ffff-ffff-ffffffffffff'",
    c_json: `'{"k":[1,2.50,"😀"],"n":null}'`,
    c_jsonb: `'{"b":{"c":1e3},"a":true}'`,
    c_xml: '\'<a x="1">t</a>\'',
    c_inet: "'2001:db8::1/128'",
    c_cidr: "'10.0.0.0/8'",
    c_macaddr: "'ff:ff:ff:ff:ff:ff'",
    c_macaddr8: "'08:00:2b:01:02:03:04:05'",
    c_point: "'(1.5,-2.25)'",
    c_int4range: "'[1,10)'",
    c_int8range: "'(,9223372036854775806]'",
    c_numrange: "'[1.50,2.5]'",
    c_tsrange: "'[2020-01-01 00:00:00,infinity)'",
    c_tstzrange: "'[2020-01-01 00:00:00+00,2021-01-01 00:00:00+00)'",
    c_daterange: "'[2020-01-01,2020-02-01)'",
    c_tsvector: "'a fat cat'",
    c_enum: "'sad'",
    c_domain: '2147483647',
    c_int_arr: "'{1,NULL,3}'",
    c_text_arr: `'{"a b",NULL,"😀"}'`,
    c_citext: "'MiXeD'",
    c_ltree: "'a.b.c'",
    c_hstore: `'a=>1, b=>NULL'`,
    c_oid: '4294967295',
    c_num_arr: "'{1.5,NULL,-999.99}'",
    c_date_arr: "'{2020-01-01,1969-12-31}'",
    c_uuid_arr: "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'",
    c_ts_arr: '\'{"2020-01-01 00:00:00.5"}\'',
    c_bool_arr: "'{t,f,NULL}'",
    c_int8_arr: "'{9223372036854775807,-1}'",
    c_float_arr: "'{1.5,NaN,-Infinity,1e308}'",
    c_varchar_arr: `'{"a,b","c\\"d"}'`,
    c_jsonb_arr: `ARRAY['{"a":1}'::jsonb, 'null'::jsonb]`,
    c_char1: "'x'",
    c_name: "'a_name'",
    c_box: "'((1,2),(3,4))'",
    c_circle: "'<(1,2),3>'",
    c_line: "'{1,2,3}'",
    c_lseg: "'[(1,2),(3,4)]'",
    c_path: "'((1,2),(3,4))'",
    c_polygon: "'((0,0),(1,1),(1,0))'",
    c_tsquery: "'fat & rat'",
    c_pg_lsn: "'16/B374D848'",
    c_time6: "'23:59:59.999999'",
    c_ts6: "'2262-04-11 23:47:16.854775'",
    c_date0: "'1970-01-01'",
    c_num_def: '9999.9999',
  },
  // minima / negative extremes / special values
  {
    c_int2: '-32768',
    c_int4: '-2147483648',
    c_int8: '-9223372036854775808',
    c_num: "'NaN'",
    c_numv: "'Infinity'",
    c_num0: '-99999',
    c_real: "'-Infinity'",
    c_dbl: "'NaN'",
    c_money: '-92233720368547758.08',
    c_char: "''",
    c_varchar: "''",
    c_text: "''",
    c_bytea: "'\\x'",
    c_bit: "B'0000000000'",
    c_varbit: "B''",
    c_date: "'0001-01-01'",
    c_time: "'00:00:00'",
    c_time3: "'00:00:00.001'",
    c_time0: "'00:00:00'",
    c_timetz: "'00:00:00+14'",
    c_ts: "'1969-12-31 23:59:59.999500'",
    c_ts3: "'1900-01-01 00:00:00.001'",
    c_ts0: "'0001-01-01 00:00:00'",
    c_tstz: "'1969-12-31 23:59:59.999999+00'",
    c_tstz3: "'0001-01-01 00:00:00+00'",
    c_interval: "'-1 year -2 mons +3 days -04:05:06.789'",
    c_uuid: "'00000000-0000-0000-0000-000000000000'",
    c_json: "'[]'",
    c_jsonb: "'null'",
    c_inet: "'0.0.0.0'",
    c_cidr: "'::/0'",
    c_macaddr: "'00:00:00:00:00:00'",
    c_point: "'(0,0)'",
    c_int4range: "'empty'",
    c_numrange: "'(,)'",
    c_enum: "'ok'",
    c_domain: '1',
    c_int_arr: "'{}'",
    c_text_arr: "'{}'",
    c_oid: '0',
  },
  // ordinary values, fractions, pre-1970 sub-millisecond timestamps
  {
    c_int2: '0',
    c_int4: '0',
    c_int8: '0',
    c_num: '-0.5',
    c_numv: '1.000',
    c_num0: '0',
    c_real: '0.1',
    c_dbl: "'-0'",
    c_money: '0',
    c_bool: 'true',
    c_bit: "B'0000000001'",
    c_varbit: "B'11111111111'",
    c_date: "'1969-07-20'",
    c_time: "'01:02:03.456789'",
    c_time3: "'12:00:00.5'",
    c_ts: "'1969-12-31 23:59:59.000001'",
    c_ts3: "'1950-06-15 12:30:45.1234'",
    c_ts0: "'1960-01-01 00:00:00.6'",
    c_tstz: "'1900-01-01 00:00:00.000500+01'",
    c_tstz3: "'1969-12-31 23:59:59.9995+00'",
    c_interval: "'0'",
  },
];

const SETUP = `
CREATE EXTENSION IF NOT EXISTS hstore;
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS ltree;
CREATE TYPE diff_mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN diff_posint AS integer CHECK (VALUE > 0);
CREATE TABLE types_all (id integer PRIMARY KEY, ${COLUMNS.map(([c, t, d]) => `${c} ${t}${d === null ? '' : ` DEFAULT ${d}`}`).join(', ')});
CREATE TABLE keyed (id integer PRIMARY KEY, region text NOT NULL DEFAULT 'eu', v numeric(6,2) DEFAULT 1.500, note varchar(10));
CREATE TABLE composite (a integer, b text, v text, PRIMARY KEY (a, b));
CREATE TABLE nokey_full (a integer, b text);
ALTER TABLE nokey_full REPLICA IDENTITY FULL;
CREATE TABLE ts_infinity (id integer PRIMARY KEY, ts timestamp, ts0 timestamp(0), ts3 timestamp(3), tstz timestamptz, d date);
CREATE TABLE toasty (id integer PRIMARY KEY, big text, n integer);
CREATE TABLE diff_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));
ALTER TABLE toasty ALTER COLUMN big SET STORAGE EXTERNAL;
`;

function insertRow(id: number, row: Record<string, string>): string {
  const cols = COLUMNS.map(([c]) => c).filter((c) => row[c] !== undefined);
  if (cols.length === 0) return `INSERT INTO types_all (id) VALUES (${id});`;
  return `INSERT INTO types_all (id, ${cols.join(', ')}) VALUES (${id}, ${cols.map((c) => row[c]).join(', ')});`;
}

const BIG = "repeat(md5('x'), 200)";

/** ±infinity timestamps and dates: kept in their own table (the connectinf option set captures only it). */
export const INFINITY_TABLE = 'public.ts_infinity';
const INFINITY_ROWS = [
  "INSERT INTO ts_infinity VALUES (1, 'infinity', '-infinity', 'infinity', '-infinity', 'infinity');",
  "INSERT INTO ts_infinity VALUES (2, '-infinity', 'infinity', '-infinity', 'infinity', '-infinity');",
];

/** Creates the tables and the rows the snapshot reads. */
export function setupSql(): string {
  return [
    SETUP,
    ...ROWS.map((r, i) => insertRow(i + 1, r)),
    "INSERT INTO keyed (id, note) VALUES (1, 'one'), (2, 'two');",
    "INSERT INTO keyed VALUES (3, 'us', 3.14159, NULL);",
    "INSERT INTO composite VALUES (1, 'x', 'v1'), (2, 'y', NULL);",
    "INSERT INTO nokey_full VALUES (1, 'a'), (NULL, NULL);",
    `INSERT INTO toasty VALUES (1, ${BIG}, 1);`,
    ...INFINITY_ROWS,
  ].join('\n');
}

/** Streaming statements, each run as its own statement batch (one or more transactions). */
export function streamingSql(): string[] {
  return [
    ...ROWS.map((r, i) => insertRow(i + 11, r)),
    "UPDATE types_all SET c_text = 'updated', c_int4 = 42, c_ts = '1969-12-31 23:59:59.999999' WHERE id = 11;",
    'UPDATE types_all SET c_int2 = NULL WHERE id = 13;',
    'UPDATE types_all SET c_numv = 100.00, c_num = 0 WHERE id = 15;',
    "UPDATE types_all SET c_numv = 0.000, c_varbit = B'0010' WHERE id = 11;",
    'UPDATE types_all SET id = 100 WHERE id = 12;',
    'DELETE FROM types_all WHERE id = 14;',
    `BEGIN; INSERT INTO keyed (id, note) VALUES (10, 'ten'); UPDATE keyed SET v = 2.5 WHERE id = 1; INSERT INTO composite VALUES (3, 'z', 'v3');
     UPDATE composite SET b = 'q' WHERE a = 1; SELECT pg_logical_emit_message(true, 'diff', 'in-tx'); DELETE FROM keyed WHERE id = 2;
     INSERT INTO nokey_full VALUES (2, 'b'); UPDATE nokey_full SET b = 'c' WHERE a = 2; DELETE FROM nokey_full WHERE a = 1; COMMIT;`,
    "SELECT pg_logical_emit_message(false, 'diff', 'non-tx ' || chr(10) || '😀');",
    "SELECT pg_logical_emit_message(true, 'diff-bin', '\\x00ff'::bytea);",
    'UPDATE toasty SET n = 2 WHERE id = 1;',
    `INSERT INTO toasty VALUES (2, ${BIG}, 1);`,
    'UPDATE keyed SET id = 20 WHERE id = 10;',
    "ALTER TABLE keyed ADD COLUMN extra integer NOT NULL DEFAULT 5, ADD COLUMN label varchar(8) DEFAULT 'new';",
    "INSERT INTO keyed (id, note, label) VALUES (30, 'after ddl', NULL);",
    'ALTER TABLE keyed DROP COLUMN note;',
    'UPDATE keyed SET extra = 6 WHERE id = 30;',
    'ALTER TABLE composite ALTER COLUMN v TYPE varchar(20);',
    "UPDATE composite SET v = 'typed' WHERE a = 3;",
    'TRUNCATE keyed;',
    'BEGIN; TRUNCATE composite, nokey_full; COMMIT;',
    'INSERT INTO keyed (id) VALUES (5);',
    'BEGIN; INSERT INTO keyed (id) VALUES (6); TRUNCATE toasty; UPDATE keyed SET v = NULL WHERE id = 5; COMMIT;',
    'DELETE FROM types_all;',
    "INSERT INTO ts_infinity VALUES (3, 'infinity', '-infinity', NULL, 'infinity', 'infinity');",
    "INSERT INTO ts_infinity VALUES (4, '-infinity', 'infinity', '-infinity', '-infinity', '-infinity');",
  ];
}

/** The signal table engines given `signal.data.collection` read execute-snapshot signals from. */
export const SIGNAL_TABLE = 'public.diff_signal';
/** Tables the incremental snapshot reads (filled first: the streaming workload truncated them). */
export const INCREMENTAL_TABLES = ['public.keyed', 'public.composite'];

/** Rows for the incremental snapshot, then its execute-snapshot signal (run after streamingSql, before END_SQL). */
export function incrementalSnapshotSql(): string[] {
  return [
    "INSERT INTO keyed (id, region, v, extra, label) SELECT g, 'r' || (g % 3), g / 7.0, g, CASE WHEN g % 2 = 0 THEN 'l' || g END FROM generate_series(100, 140) g;",
    "INSERT INTO composite SELECT g % 4, 'k' || g, CASE WHEN g % 3 = 0 THEN 'v' || g END FROM generate_series(1, 20) g;",
    `INSERT INTO diff_signal VALUES ('incr-1', 'execute-snapshot', '{"data-collections": ${JSON.stringify(INCREMENTAL_TABLES)}, "type": "incremental"}');`,
  ];
}

/** The sentinel message every engine must reach last. */
export const END_SQL = `SELECT pg_logical_emit_message(true, '${END_PREFIX}', 'done');`;
