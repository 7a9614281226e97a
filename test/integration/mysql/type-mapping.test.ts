/**
 * Type mapping over many column types, against Debezium's documented MySQL mapping: the same row
 * read by the snapshot (text protocol) and from the binlog (row images) must give identical values.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import { connectorConfig, createDatabase, pollUntil, startTask } from './helpers.ts';

let conn: Connection | undefined;
afterAll(async () => {
  await conn?.end();
});

const DDL = `CREATE TABLE t (
  id INT NOT NULL PRIMARY KEY,
  ti TINYINT, tiu TINYINT UNSIGNED, si SMALLINT, siu SMALLINT UNSIGNED, mi MEDIUMINT, miu MEDIUMINT UNSIGNED,
  i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED,
  f FLOAT, d DOUBLE, dec1 DECIMAL(10,2), dec2 DECIMAL(30,10), dec3 DECIMAL(5,0),
  b1 BIT(1), b10 BIT(10),
  c CHAR(5), vc VARCHAR(50), tx TEXT, lat VARCHAR(10) CHARACTER SET latin1,
  bin BINARY(4), vb VARBINARY(10), bl BLOB,
  e ENUM('x','y','z'), st SET('a','b','c'),
  y YEAR, dt DATE, tm TIME, tm6 TIME(6), dtm DATETIME, dtm6 DATETIME(6), ts TIMESTAMP(3) NULL,
  j JSON, g GEOMETRY, p POINT
)`;

const INSERT = `INSERT INTO t VALUES (
  1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
  1.5, 2.25, 1234.56, -12345678901234567890.1234567890, 99999,
  b'1', b'1000000001',
  'ab', 'héllo wörld', 'long text', 'café',
  0x01020304, 0xCAFE, 0x00FF,
  'y', 'a,c',
  2024, '2018-06-20', '-10:15:30', '10:15:30.123456', '2018-06-20 06:37:03', '2018-06-20 06:37:03.123456', '2018-06-20 13:37:03.120',
  '{"k": [1, 2.5, "s"], "n": null}', ST_GeomFromText('LINESTRING(0 0, 1 1)'), ST_GeomFromText('POINT(1 2)')
)`;

const EXPECTED_AFTER = {
  id: 1,
  ti: -128,
  tiu: 255,
  si: -32768,
  siu: 65535,
  mi: -8388608,
  miu: 16777215,
  i: -2147483648,
  iu: 4294967295,
  bi: -9223372036854775808n,
  biu: -1,
  f: 1.5,
  d: 2.25,
  dec1: 'AeJA',
  dec2: '/nEW8Ak8jB8RscD1Lg==',
  dec3: 'AYaf',
  b1: true,
  b10: 'AQI=',
  c: 'ab',
  vc: 'héllo wörld',
  tx: 'long text',
  lat: 'café',
  bin: 'AQIDBA==',
  vb: 'yv4=',
  bl: 'AP8=',
  e: 'y',
  st: 'a,c',
  y: 2024,
  dt: 17702,
  tm: -36930000000,
  tm6: 36930123456,
  dtm: 1529476623000,
  dtm6: 1529476623123456,
  ts: '2018-06-20T13:37:03.120Z',
};

function jsonOf(rec: SourceRecord): Record<string, unknown> {
  const conv = new JsonConverter();
  conv.configure({ 'schemas.enable': 'true' }, false);
  const text = conv.fromConnectData(rec.topic, rec.valueSchema, rec.value)!.toString('utf8');
  return JSON.parse(text.replace(/:(-?\d{19,})/g, ':"$1"')) as Record<string, unknown>;
}

describe('MySQL source: type mapping', () => {
  it('maps every column type as Debezium does, identically from the snapshot and the binlog', async () => {
    const created = await createDatabase('types');
    conn = created.conn;
    await conn.query(DDL);
    await conn.query(INSERT);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-types-'));
    const { task, abort } = await startTask(connectorConfig(created.db, dir), null, 'types');
    const topic = `dbserver1.${created.db}.t`;
    const snap = (await pollUntil(task, (all) => all.some((r) => r.topic === topic))).filter((r) => r.topic === topic);
    await conn.query(INSERT.replace('(\n  1,', '(\n  2,'));
    const streamed = (await pollUntil(task, (all) => all.some((r) => r.topic === topic))).filter(
      (r) => r.topic === topic,
    );
    task.stop();
    abort.abort();

    const s = jsonOf(snap[0]) as {
      schema: { fields: Array<{ fields: Array<Record<string, unknown>> }> };
      payload: { after: Record<string, unknown> };
    };
    const b = jsonOf(streamed[0]) as typeof s;
    const expected = { ...EXPECTED_AFTER, bi: '-9223372036854775808' };
    const { j: sj, g: sg, p: sp, ...sAfter } = s.payload.after;
    const { j: bj, g: bg, p: bp, ...bAfter } = b.payload.after;
    expect(sAfter).toEqual(expected);
    expect(bAfter).toEqual({ ...expected, id: 2 });
    expect(JSON.parse(sj as string)).toEqual({ k: [1, 2.5, 's'], n: null });
    expect(JSON.parse(bj as string)).toEqual({ k: [1, 2.5, 's'], n: null });
    expect(sg).toEqual(bg);
    expect(sp).toEqual(bp);
    // SRID 0 is none: null, as Debezium's MySqlGeometry (checked by test/compat/mariadb.test.ts).
    expect(bp).toMatchObject({ x: 1, y: 2, srid: null });
    expect((bg as { srid: number | null }).srid).toBeNull();
    expect(Buffer.from((bg as { wkb: string }).wkb, 'base64').readUInt32LE(1)).toBe(2); // WKB LineString

    const fields = Object.fromEntries(s.schema.fields[1].fields.map((f) => [f.field, f]));
    const pick = (n: string) => {
      const { field: _f, ...rest } = fields[n];
      return rest;
    };
    // Debezium's MySQL DDL parser resolves TINYINT to Types.SMALLINT (as its MariaDB parser, checked by test/compat/mariadb.test.ts).
    expect(pick('ti')).toEqual({ type: 'int16', optional: true });
    expect(pick('tiu')).toEqual({ type: 'int16', optional: true });
    expect(pick('siu')).toEqual({ type: 'int32', optional: true });
    expect(pick('iu')).toEqual({ type: 'int64', optional: true });
    expect(pick('biu')).toEqual({ type: 'int64', optional: true });
    expect(pick('f')).toEqual({ type: 'float', optional: true });
    expect(pick('d')).toEqual({ type: 'double', optional: true });
    expect(pick('dec2')).toEqual({
      type: 'bytes',
      optional: true,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '10', 'connect.decimal.precision': '30' },
    });
    expect(pick('b1')).toEqual({ type: 'boolean', optional: true });
    expect(pick('b10')).toEqual({
      type: 'bytes',
      optional: true,
      name: 'io.debezium.data.Bits',
      version: 1,
      parameters: { length: '10' },
    });
    expect(pick('e')).toEqual({
      type: 'string',
      optional: true,
      name: 'io.debezium.data.Enum',
      version: 1,
      parameters: { allowed: 'x,y,z' },
    });
    expect(pick('st')).toEqual({
      type: 'string',
      optional: true,
      name: 'io.debezium.data.EnumSet',
      version: 1,
      parameters: { allowed: 'a,b,c' },
    });
    expect(pick('y')).toEqual({ type: 'int32', optional: true, name: 'io.debezium.time.Year', version: 1 });
    expect(pick('dt')).toEqual({ type: 'int32', optional: true, name: 'io.debezium.time.Date', version: 1 });
    expect(pick('tm6')).toEqual({ type: 'int64', optional: true, name: 'io.debezium.time.MicroTime', version: 1 });
    expect(pick('dtm')).toEqual({ type: 'int64', optional: true, name: 'io.debezium.time.Timestamp', version: 1 });
    expect(pick('dtm6')).toEqual({
      type: 'int64',
      optional: true,
      name: 'io.debezium.time.MicroTimestamp',
      version: 1,
    });
    expect(pick('ts')).toEqual({ type: 'string', optional: true, name: 'io.debezium.time.ZonedTimestamp', version: 1 });
    expect(pick('j')).toEqual({ type: 'string', optional: true, name: 'io.debezium.data.Json', version: 1 });
    expect(pick('bin')).toEqual({ type: 'bytes', optional: true });
    expect(pick('g')).toMatchObject({ type: 'struct', name: 'io.debezium.data.geometry.Geometry', optional: true });
    expect(pick('p')).toMatchObject({ type: 'struct', name: 'io.debezium.data.geometry.Point', optional: true });
  });

  it('honours decimal.handling.mode, bigint.unsigned.handling.mode, binary.handling.mode and time.precision.mode=connect', async () => {
    const created = await createDatabase('modes');
    const c = created.conn;
    await c.query(
      'CREATE TABLE m (id INT PRIMARY KEY, dec1 DECIMAL(10,2), biu BIGINT UNSIGNED, vb VARBINARY(10), dtm6 DATETIME(6), tm TIME(3))',
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-modes-'));
    const { task, abort } = await startTask(
      connectorConfig(created.db, dir, {
        'decimal.handling.mode': 'string',
        'bigint.unsigned.handling.mode': 'precise',
        'binary.handling.mode': 'hex',
        'time.precision.mode': 'connect',
        'snapshot.mode': 'no_data',
      }),
      null,
      'modes',
    );
    await pollUntil(task, (all) => all.some((r) => r.topic === 'dbserver1'));
    await c.query(
      `INSERT INTO m VALUES (1, -1234.50, 18446744073709551615, 0xCAFE, '2018-06-20 06:37:03.123456', '10:15:30.5')`,
    );
    const topic = `dbserver1.${created.db}.m`;
    const rec = (await pollUntil(task, (all) => all.some((r) => r.topic === topic))).find((r) => r.topic === topic)!;
    task.stop();
    abort.abort();
    const j = jsonOf(rec) as {
      schema: { fields: Array<{ fields: Array<Record<string, unknown>> }> };
      payload: { after: Record<string, unknown> };
    };
    expect(j.payload.after).toEqual({
      id: 1,
      dec1: '-1234.50',
      biu: 'AP//////////',
      vb: 'cafe',
      dtm6: 1529476623123,
      tm: 36930500,
    });
    const fields = Object.fromEntries(j.schema.fields[1].fields.map((f) => [f.field, f]));
    expect(fields.biu).toMatchObject({
      type: 'bytes',
      name: 'org.apache.kafka.connect.data.Decimal',
      parameters: { scale: '0', 'connect.decimal.precision': '20' },
    });
    expect(fields.dtm6).toMatchObject({ type: 'int64', name: 'org.apache.kafka.connect.data.Timestamp' });
    expect(fields.tm).toMatchObject({ type: 'int32', name: 'org.apache.kafka.connect.data.Time' });
    expect(fields.vb).toMatchObject({ type: 'string' });
    await c.end();
  });
});
