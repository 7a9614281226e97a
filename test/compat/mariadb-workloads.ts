/**
 * Workloads of the MariaDB differential: every MariaDB 10.11 column type with NULLs, extremes,
 * defaults and zero dates, read by the snapshot and again by streaming, then updates, primary-key
 * changes, deletes (with and without a primary key), DDL mid-stream and multi-table transactions.
 */
import type { Scenario } from './mariadb-differential.ts';

const ALL_TYPES = `id INT PRIMARY KEY,
 ti TINYINT, ti1 TINYINT(1), bo BOOLEAN, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
 i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, f FLOAT, fps FLOAT(7,3), fp30 FLOAT(30), d DOUBLE, dps DOUBLE(10,4),
 dec1 DECIMAL(10,2), dec2 DECIMAL(38,10), dec0 DECIMAL(20), decu DECIMAL(5,2) UNSIGNED,
 b1 BIT(1), b10 BIT(10), b64 BIT(64), c CHAR(5), vc VARCHAR(20), bn BINARY(4), vb VARBINARY(10),
 tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB,
 en ENUM('a','b','c'), st SET('x','y','z'), dt DATE, tm TIME, tm6 TIME(6), dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6),
 ts TIMESTAMP NULL, ts6 TIMESTAMP(6) NULL, yr YEAR, js JSON,
 geo GEOMETRY, pt POINT, ls LINESTRING, pg POLYGON, mpt MULTIPOINT, mls MULTILINESTRING, mpg MULTIPOLYGON, gc GEOMETRYCOLLECTION`;
const ALL_TYPES_COLUMNS = 57;

/** Highest values (and 'ä€𝄞' multi-byte text) for every column. */
const maxRow = (
  id: number,
) => `(${id}, 127, 1, 1, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
 3.4028234e38, 9999.999, 1.7976931348623157e308, 1.7976931348623157e308, 999999.9999, 99999999.99, 9999999999999999999999999999.9999999999, 99999999999999999999, 999.99,
 1, b'1111111111', b'1111111111111111111111111111111111111111111111111111111111111111', 'ä€𝄞ab', 'héllo € 𝄞', x'ffffffff', x'00ff00',
 'tiny', 'text', 'medium', 'long', x'00', x'deadbeef', x'cafe', x'0102030405',
 'c', 'x,y,z', '9999-12-31', '838:59:59', '838:59:59.000000', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999', '9999-12-31 23:59:59.999999',
 '2038-01-19 03:14:07', '2038-01-19 03:14:07.999999', 2155, '{"a":[1,2.5,null,"x",{"b":true}],"big":12345678901234567890}',
 ST_GeomFromText('POINT(1 2)', 4326), ST_GeomFromText('POINT(3.5 -4)'), ST_GeomFromText('LINESTRING(0 0,1 1,2 0)'),
 ST_GeomFromText('POLYGON((0 0,4 0,4 4,0 4,0 0))'), ST_GeomFromText('MULTIPOINT(1 1,2 2)'), ST_GeomFromText('MULTILINESTRING((0 0,1 1),(2 2,3 3))'),
 ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'), ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))'))`;

/** Lowest values (and the smallest dates each type takes, pre-1970 fractions included). */
const minRow = (id: number) => `(${id}, -128, 0, 0, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
 -1.175494e-38, -9999.999, -2.2250738585072014e-308, -999999.9999, -999999.9999, -99999999.99, -9999999999999999999999999999.9999999999, -99999999999999999999, 0.01,
 0, b'0000000001', b'1000000000000000000000000000000000000000000000000000000000000000', '', '', x'00', x'',
 '', '', '', '', x'', x'', x'', x'',
 'a', '', '1000-01-01', '-838:59:59', '-838:59:58.999999', '1000-01-01 00:00:00', '1000-01-01 00:00:00.001', '1969-12-31 23:59:59.999999',
 '1970-01-01 00:00:01', '1970-01-01 00:00:01.000001', 1901, '[]',
 ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(-180 -90)'), ST_GeomFromText('LINESTRING(0 0,0 0)'),
 ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))'), ST_GeomFromText('MULTIPOINT(0 0)'), ST_GeomFromText('MULTILINESTRING((0 0,1 1))'),
 ST_GeomFromText('MULTIPOLYGON(((0 0,1 0,1 1,0 0)))'), ST_GeomFromText('GEOMETRYCOLLECTION(POINT(0 0))'))`;

const nullRow = (id: number) => `(${id}${', NULL'.repeat(ALL_TYPES_COLUMNS - 1)})`;

/** Zero dates as a permissive sql_mode lets them in (YEAR 0 only while streaming: Debezium 3.5's snapshot fails on it). */
const ZERO_DATES = `id INT PRIMARY KEY, dt DATE NULL, dtn DATE NOT NULL DEFAULT '2000-01-01', dtm DATETIME NULL, dtm6n DATETIME(6) NOT NULL DEFAULT '2000-01-01',
 ts TIMESTAMP NULL, tsn TIMESTAMP(3) NOT NULL DEFAULT '2000-01-01 00:00:00', yr YEAR NULL, yrn YEAR NOT NULL DEFAULT 2000`;

const DEFAULTS = `id INT PRIMARY KEY, b1 BIT(1) DEFAULT b'1', b8 BIT(8) DEFAULT b'10100101', b12 BIT(12) NOT NULL DEFAULT b'100000000001',
 biu BIGINT UNSIGNED DEFAULT 18446744073709551615, biu2 BIGINT UNSIGNED DEFAULT 9007199254740993, bi BIGINT NOT NULL DEFAULT -9223372036854775808, iu INT UNSIGNED DEFAULT 4294967295,
 ti TINYINT DEFAULT -5, bo BOOLEAN NOT NULL DEFAULT TRUE, f FLOAT DEFAULT 1.5, fps FLOAT(7,3) DEFAULT 3.25, d DOUBLE DEFAULT -2.5e10,
 dec1 DECIMAL(10,3) DEFAULT 1.5, vc VARCHAR(10) DEFAULT 'it''s', c CHAR(3) NOT NULL DEFAULT 'x', bn BINARY(3) DEFAULT 'ab', vb VARBINARY(4) DEFAULT 'q',
 en ENUM('s','m','l') NOT NULL DEFAULT 'm', st SET('p','q') DEFAULT 'p,q', dt DATE DEFAULT '2024-02-29', tm TIME(3) DEFAULT '-01:02:03.400',
 dtm6 DATETIME(6) DEFAULT '9999-12-31 23:59:59.999999', ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, tsv TIMESTAMP(6) NULL DEFAULT '2001-02-03 04:05:06.789', ts5 TIMESTAMP(6) NULL DEFAULT '2001-02-03 04:05:06.5',
 yr YEAR DEFAULT 1999, js JSON DEFAULT '{}', esc VARCHAR(10) DEFAULT 'a\\'b', bsn VARCHAR(10) NOT NULL DEFAULT '\\\\n', bz CHAR(3) DEFAULT 'a\\0'`;

/** Types beyond the classic set: UUID (v4 and v1), unsigned floats, DECIMAL(65,30), charsets, generated columns, ON UPDATE. */
const MORE_TYPES = `id INT PRIMARY KEY, u UUID, u2 UUID NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001', du DOUBLE UNSIGNED, fu FLOAT UNSIGNED,
 d65 DECIMAL(65,30), nc NATIONAL CHAR(3), l1 VARCHAR(10) CHARACTER SET latin1, lt TEXT CHARACTER SET latin1, cb CHAR(4) CHARACTER SET binary,
 vbin VARCHAR(6) CHARACTER SET binary, en ENUM('x','y') NOT NULL DEFAULT 'y', st SET('a','b') NOT NULL DEFAULT '',
 tsu TIMESTAMP(3) NOT NULL DEFAULT '2001-01-01 00:00:00.000' ON UPDATE CURRENT_TIMESTAMP(3), gv INT AS (id * 2) VIRTUAL, gs VARCHAR(20) AS (CONCAT('g', id)) PERSISTENT,
 b64d BIT(64) DEFAULT b'1000000000000000000000000000000000000000000000000000000000000001', dsmall DECIMAL(3,3) DEFAULT 0.5, mi MEDIUMINT UNSIGNED DEFAULT 16777215,
 ser BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`;
const moreRow = (
  id: number,
  uuid: string,
) => `(${id}, '${uuid}', DEFAULT, 1.7976931348623157e308, 3.4e38, 12345678901234567890123456789012345.123456789012345678901234567891,
 'ñé', 'caf\\xe9', 'crème', x'01', x'0203', 'x', 'a,b', '2020-02-02 02:02:02.200', DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT, DEFAULT)`;
const UUID_V4 = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';
const UUID_V1 = '6ccd780c-baba-1026-9564-5b8c656024db';

/** The type workload: snapshot rows, the same rows again through the binlog, updates to NULL and back, deletes. */
export function typesScenario(name: string, options: Record<string, string>): Scenario {
  return {
    name,
    options,
    setup: [
      `CREATE TABLE all_types (${ALL_TYPES})`,
      `INSERT INTO all_types VALUES ${maxRow(1)}, ${minRow(2)}, ${nullRow(3)}`,
      `CREATE TABLE defaults_t (${DEFAULTS})`,
      'INSERT INTO defaults_t (id) VALUES (1)',
      "INSERT INTO defaults_t SET id = 2, b1 = NULL, biu = NULL, iu = NULL, ti = NULL, f = NULL, dec1 = NULL, vc = NULL, bn = NULL, dt = NULL, dtm6 = NULL, tsv = NULL, yr = NULL, js = NULL, ts = '2020-01-01 00:00:00'",
      `CREATE TABLE more_types (${MORE_TYPES})`,
      `INSERT INTO more_types VALUES ${moreRow(1, UUID_V4)}, ${moreRow(5, UUID_V1)}`,
      'INSERT INTO more_types (id) VALUES (2)',
      `SET SESSION sql_mode = ''; CREATE TABLE zero_dates (${ZERO_DATES}); INSERT INTO zero_dates VALUES (1, '0000-00-00', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', NULL, 2000), (2, '2020-00-10', '2020-05-00', NULL, '2000-01-01', NULL, '2000-01-01', NULL, 1999)`,
    ],
    streaming: [
      `INSERT INTO all_types VALUES ${maxRow(11)}, ${minRow(12)}, ${nullRow(13)}`,
      "UPDATE all_types SET ti = NULL, bn = x'01', js = '{\"k\":\"v\"}', dtm6 = '2000-02-29 12:00:00.5' WHERE id = 11",
      `UPDATE all_types SET ${[...ALL_TYPES.matchAll(/(?:^|,)\s*([a-z0-9_]+) [A-Z]/g)]
        .slice(1)
        .map((m) => `${m[1]} = NULL`)
        .join(', ')} WHERE id = 12`,
      'DELETE FROM all_types WHERE id IN (2, 13)',
      'INSERT INTO defaults_t (id) VALUES (3)',
      "UPDATE defaults_t SET b12 = b'111111111111', biu = 1 WHERE id = 1",
      `SET SESSION sql_mode = ''; INSERT INTO zero_dates VALUES (3, '0000-00-00', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, 0), (4, '2020-00-10', '2020-05-00', NULL, '2000-01-01', NULL, '2000-01-01', '0000', '0')`,
      'UPDATE zero_dates SET yr = 2155 WHERE id = 3',
      `INSERT INTO more_types VALUES ${moreRow(3, UUID_V4)}, ${moreRow(6, UUID_V1)}`,
      'INSERT INTO more_types (id) VALUES (4)',
      "UPDATE more_types SET l1 = 'x', u = NULL WHERE id = 1",
      'UPDATE more_types SET id = id + 10 WHERE id IN (2, 4)',
      'DELETE FROM more_types WHERE id = 3',
    ],
  };
}

/**
 * The change workload: PK changes, tables without a key, DDL between changes, multi-table
 * transactions, and DDL of a database and a table not captured (table.exclude.list: {db}.skipped).
 */
export function changesScenario(name: string, options: Record<string, string>): Scenario {
  return {
    name,
    options: { 'table.exclude.list': '{db}\\.skipped', ...options },
    setup: [
      'CREATE TABLE orders (id INT PRIMARY KEY, customer VARCHAR(20) NOT NULL, total DECIMAL(9,2), flag TINYINT(1) DEFAULT 0)',
      'CREATE TABLE lines_nopk (order_id INT, sku VARCHAR(10), qty SMALLINT)',
      'CREATE TABLE pair_key (a INT, b VARCHAR(5), note TEXT, PRIMARY KEY (a, b))',
      "INSERT INTO orders VALUES (1, 'ann', 10.50, 1), (2, 'bob', NULL, 0)",
      "INSERT INTO lines_nopk VALUES (1, 'x', 2), (1, 'y', NULL)",
      "INSERT INTO pair_key VALUES (1, 'a', 'first')",
    ],
    streaming: [
      "INSERT INTO orders VALUES (3, 'cy', 0.01, NULL)",
      'UPDATE orders SET id = 30 WHERE id = 3',
      "UPDATE pair_key SET b = 'b', note = 'moved' WHERE a = 1",
      "DELETE FROM lines_nopk WHERE sku = 'x'",
      "UPDATE lines_nopk SET qty = 7 WHERE sku = 'y'",
      "START TRANSACTION; INSERT INTO orders VALUES (4, 'dee', 4.00, 1); INSERT INTO lines_nopk VALUES (4, 'z', 1); UPDATE orders SET total = 99.99 WHERE id = 1; DELETE FROM pair_key WHERE a = 1; COMMIT",
      "ALTER TABLE orders ADD COLUMN status VARCHAR(8) NOT NULL DEFAULT 'new', ADD COLUMN paid BOOLEAN DEFAULT FALSE, ADD COLUMN big BIGINT UNSIGNED DEFAULT 18446744073709551615",
      "INSERT INTO orders (id, customer) VALUES (5, 'eve')",
      "UPDATE orders SET status = 'done' WHERE id = 1",
      "CREATE TABLE late (id BIGINT UNSIGNED PRIMARY KEY, flag BOOLEAN, t TINYINT(1), bits BIT(3) DEFAULT b'101', doc JSON, at DATETIME(6) DEFAULT '1970-01-01 00:00:00.000001')",
      "INSERT INTO late VALUES (18446744073709551615, TRUE, 1, b'011', '[1]', '9999-12-31 23:59:59.999999')",
      'ALTER TABLE orders DROP COLUMN flag, MODIFY total DECIMAL(12,4)',
      "INSERT INTO orders (id, customer, total) VALUES (6, 'fay', 1.2345)",
      'START TRANSACTION; DELETE FROM orders WHERE id = 30; DELETE FROM late; COMMIT',
      'TRUNCATE TABLE lines_nopk',
      "INSERT INTO lines_nopk VALUES (9, 'after', 1)",
      // DDL outside the captured tables: another database, and an excluded table of this one.
      'CREATE DATABASE {other} CHARACTER SET latin1',
      "CREATE TABLE {other}.ext (id INT PRIMARY KEY, v VARCHAR(5) DEFAULT 'd')",
      "INSERT INTO {other}.ext VALUES (1, 'a')",
      'ALTER TABLE {other}.ext ADD COLUMN w INT NOT NULL DEFAULT 3',
      'CREATE TABLE {other}.ext2 (id INT)',
      'RENAME TABLE {other}.ext TO {other}.ext_r, {other}.ext2 TO {other}.ext2_r',
      'CREATE INDEX ix ON {other}.ext_r (v)',
      'CREATE TABLE skipped (id INT PRIMARY KEY, s VARCHAR(3))',
      "INSERT INTO skipped VALUES (1, 'x')",
      'ALTER TABLE skipped ADD COLUMN n INT',
      'DROP TABLE {other}.ext_r, {other}.ext2_r, skipped',
      'DROP DATABASE {other}',
      "INSERT INTO orders (id, customer) VALUES (7, 'gus')",
      // A transaction across a second boundary: each row event keeps its own time (not the GTID event's, written at commit).
      "START TRANSACTION; INSERT INTO orders (id, customer) VALUES (8, 'hal'); DO SLEEP(1.2); UPDATE orders SET total = 8 WHERE id = 8; COMMIT",
    ],
  };
}
