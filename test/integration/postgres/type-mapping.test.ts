/**
 * Type mapping over many built-in types, compared with Debezium's PostgreSQL mapping: the same
 * values read by the snapshot and by streaming give identical payloads, rendered through
 * JsonConverter; then decimal/binary/time/interval handling modes.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import { createPgTestDb, startDirectTask, uniqueName, type PgTestDb } from './helpers.ts';

let db: PgTestDb;

const COLUMNS = `
  id int PRIMARY KEY,
  i2 smallint, i4 int, i8 bigint, f4 real, f8 double precision,
  n102 numeric(10,2), nvar numeric, m money, b boolean,
  vc varchar(20), c3 char(3), t text, ba bytea,
  d date, tm3 time(3), tm time, ts3 timestamp(3), ts timestamp, tstz timestamptz, ttz timetz, iv interval,
  u uuid, j json, jb jsonb, x xml, mood mood, ia int[], ta text[],
  ip inet, cidr4 cidr, mac macaddr, b1 bit(1), b10 bit(10), vb varbit(5), r int4range, pt point, pos positive_int, tv tsvector`;

const VALUES = `
  1, 9007199254740993, 1.5, 2.25,
  1234.56, 3.14159, 12.34, true,
  'hello', 'ab', 'text value', '\\x0102',
  '2018-06-20', '10:15:30.123', '10:15:30.123456', '2018-06-20 06:37:03.123', '2018-06-20 06:37:03.123456',
  '2018-06-20 13:37:03.5+02', '10:15:30+02', '1 year 2 mons 3 days 04:05:06.5',
  'a8098c1a-f86e-11da-bd1a-00112444be1e', '{"a": [1, 2]}', '{"b":1,  "a": [1, 2]}', '<a>1</a>', 'happy', '{1,2,NULL}', '{a,"b c"}',
  '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', B'1', B'1000000001', B'101', '[1,5)', '(1.5,2.5)', 5, 'a b'`;

const EXPECTED = {
  i2: 1,
  i8: 9007199254740993n,
  f4: 1.5,
  f8: 2.25,
  n102: 'AeJA',
  nvar: { scale: 5, value: 'BMsv' },
  m: 'BNI=',
  b: true,
  vc: 'hello',
  c3: 'ab ',
  t: 'text value',
  ba: 'AQI=',
  d: 17702,
  tm3: 36930123,
  tm: 36930123456,
  ts3: 1529476623123,
  ts: 1529476623123456,
  tstz: '2018-06-20T11:37:03.500000Z',
  ttz: '08:15:30Z',
  iv: 37091106500000,
  u: 'a8098c1a-f86e-11da-bd1a-00112444be1e',
  j: '{"a": [1, 2]}',
  jb: '{"a": [1, 2], "b": 1}',
  x: '<a>1</a>',
  mood: 'happy',
  ia: [1, 2, null],
  ta: ['a', 'b c'],
  ip: '192.168.0.1/24',
  cidr4: '10.0.0.0/8',
  mac: '08:00:2b:01:02:03',
  b1: true,
  b10: 'AQI=',
  vb: 'BQ==',
  r: '[1,5)',
  pt: { x: 1.5, y: 2.5, wkb: 'AQEAAAAAAAAAAAD4PwAAAAAAAARA', srid: null },
  pos: 5,
  tv: "'a' 'b'",
};

beforeAll(async () => {
  db = await createPgTestDb('pgtypes');
  await db.query("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
  await db.query('CREATE DOMAIN positive_int AS int CHECK (VALUE > 0)');
  await db.query(`CREATE TABLE public.types (${COLUMNS})`);
  await db.query(
    `INSERT INTO public.types (id, i2, i8, f4, f8, n102, nvar, m, b, vc, c3, t, ba, d, tm3, tm, ts3, ts, tstz, ttz, iv, u, j, jb, x, mood, ia, ta, ip, cidr4, mac, b1, b10, vb, r, pt, pos, tv) VALUES (1, ${VALUES})`,
  );
});

afterAll(async () => {
  await db?.drop();
});

const json = new JsonConverter();
json.configure({}, false);

/** The `after` payload and field schemas of a record, as JsonConverter writes them. */
function rendered(r: SourceRecord): { after: Record<string, unknown>; fields: Map<string, string> } {
  const text = json.fromConnectData(r.topic, r.valueSchema, r.value)!.toString();
  const parsed = JSON.parse(text.replace(/"i8":(\d{16,})/g, '"i8":"$1n"')) as {
    payload: { after: Record<string, unknown> };
    schema: { fields: Array<{ field: string; fields: Array<Record<string, unknown>> }> };
  };
  const after = parsed.payload.after;
  if (typeof after.i8 === 'string') after.i8 = BigInt((after.i8 as string).slice(0, -1));
  const fields = new Map(
    parsed.schema.fields.find((f) => f.field === 'after')!.fields.map((f) => [f.field as string, JSON.stringify(f)]),
  );
  return { after, fields };
}

describe('PostgreSQL type mapping', () => {
  it('maps every column as Debezium does, identically in snapshot and streaming', async () => {
    const slot = uniqueName('types');
    const config = db.connectorConfig({ 'slot.name': slot });
    const task = await startDirectTask(config, null);
    try {
      const [snap] = await task.pollUntil(1);
      await db.query(
        `INSERT INTO public.types (id, i2, i8, f4, f8, n102, nvar, m, b, vc, c3, t, ba, d, tm3, tm, ts3, ts, tstz, ttz, iv, u, j, jb, x, mood, ia, ta, ip, cidr4, mac, b1, b10, vb, r, pt, pos, tv) VALUES (2, ${VALUES})`,
      );
      const [streamed] = await task.pollUntil(1);
      const a = rendered(snap);
      const b = rendered(streamed);
      expect(a.after).toEqual({ id: 1, i4: null, ...EXPECTED });
      expect(b.after).toEqual({ id: 2, i4: null, ...EXPECTED });
      expect([...b.fields]).toEqual([...a.fields]);
      const f = a.fields;
      expect(f.get('mood')).toBe(
        '{"type":"string","optional":true,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"},"field":"mood"}',
      );
      expect(f.get('b10')).toBe(
        '{"type":"bytes","optional":true,"name":"io.debezium.data.Bits","version":1,"parameters":{"length":"10"},"field":"b10"}',
      );
      expect(f.get('ia')).toBe(
        '{"type":"array","items":{"type":"int32","optional":true},"optional":true,"field":"ia"}',
      );
      expect(f.get('nvar')).toBe(
        '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"scale"},{"type":"bytes","optional":false,"field":"value"}],"optional":true,"name":"io.debezium.data.VariableScaleDecimal","version":1,"doc":"Variable scaled decimal","field":"nvar"}',
      );
      expect(f.get('m')).toBe(
        '{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"m"}',
      );
      expect(f.get('tstz')).toBe(
        '{"type":"string","optional":true,"name":"io.debezium.time.ZonedTimestamp","version":1,"field":"tstz"}',
      );
      expect(f.get('ttz')).toBe(
        '{"type":"string","optional":true,"name":"io.debezium.time.ZonedTime","version":1,"field":"ttz"}',
      );
      expect(f.get('tm3')).toBe(
        '{"type":"int32","optional":true,"name":"io.debezium.time.Time","version":1,"field":"tm3"}',
      );
      expect(f.get('ts')).toBe(
        '{"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1,"field":"ts"}',
      );
      expect(f.get('iv')).toBe(
        '{"type":"int64","optional":true,"name":"io.debezium.time.MicroDuration","version":1,"field":"iv"}',
      );
      expect(f.get('pt')).toBe(
        '{"type":"struct","fields":[{"type":"double","optional":false,"field":"x"},{"type":"double","optional":false,"field":"y"},{"type":"bytes","optional":true,"field":"wkb"},{"type":"int32","optional":true,"field":"srid"}],"optional":true,"name":"io.debezium.data.geometry.Point","version":1,"doc":"Geometry (POINT)","field":"pt"}',
      );
      expect(f.get('f4')).toBe('{"type":"float","optional":true,"field":"f4"}');
      expect(f.get('b1')).toBe('{"type":"boolean","optional":true,"field":"b1"}');
    } finally {
      await task.stop();
    }
  });

  it('applies decimal.handling.mode=string, binary.handling.mode=hex, time.precision.mode=connect, interval.handling.mode=string', async () => {
    const config = db.connectorConfig({
      'slot.name': uniqueName('modes'),
      'snapshot.mode': 'initial_only',
      'table.include.list': 'public.types',
      'decimal.handling.mode': 'string',
      'binary.handling.mode': 'hex',
      'time.precision.mode': 'connect',
      'interval.handling.mode': 'string',
      'column.mask.with.4.chars': 'public\\.types\\.vc',
      'column.truncate.to.2.chars': 'public\\.types\\.t',
      'column.mask.hash.v2.SHA-256.with.salt.pepper': 'public\\.types\\.c3',
    });
    const task = await startDirectTask(config, null);
    try {
      const [snap] = await task.pollUntil(1);
      const { after, fields } = rendered(snap);
      const hash = createHash('sha256').update('pepper').update('ab ').digest('hex').slice(0, 3);
      expect(after).toMatchObject({ vc: '****', t: 'te', c3: hash });
      expect(after).toMatchObject({
        n102: '1234.56',
        nvar: '3.14159',
        m: '12.34',
        ba: '0102',
        d: 17702,
        tm3: 36930123,
        tm: 36930123,
        ts3: 1529476623123,
        ts: 1529476623123,
        iv: 'P1Y2M3DT4H5M6.5S',
      });
      expect(fields.get('d')).toBe(
        '{"type":"int32","optional":true,"name":"org.apache.kafka.connect.data.Date","version":1,"field":"d"}',
      );
      expect(fields.get('ts')).toBe(
        '{"type":"int64","optional":true,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"}',
      );
      expect(fields.get('iv')).toBe(
        '{"type":"string","optional":true,"name":"io.debezium.time.Interval","version":1,"field":"iv"}',
      );
    } finally {
      await task.stop();
    }
  });

  it('maps extension types: hstore (json and map modes), ltree, citext', async () => {
    for (const ext of ['hstore', 'ltree', 'citext']) await db.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
    await db.query('CREATE TABLE public.ext (id int PRIMARY KEY, h hstore, l ltree, c citext)');
    await db.query(`INSERT INTO public.ext VALUES (1, 'a=>1, b=>NULL', 'top.science.astro', 'MiXeD')`);
    for (const [mode, expected, fieldSchema] of [
      [
        'json',
        '{"a":"1","b":null}',
        '{"type":"string","optional":true,"name":"io.debezium.data.Json","version":1,"field":"h"}',
      ],
      [
        'map',
        { a: '1', b: null },
        '{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"string","optional":true},"optional":true,"field":"h"}',
      ],
    ] as const) {
      const task = await startDirectTask(
        db.connectorConfig({
          'slot.name': uniqueName('ext'),
          'snapshot.mode': 'initial_only',
          'table.include.list': 'public\\.ext',
          'hstore.handling.mode': mode,
        }),
        null,
      );
      try {
        const [snap] = await task.pollUntil(1);
        const { after, fields } = rendered(snap);
        expect(after).toEqual({ id: 1, h: expected, l: 'top.science.astro', c: 'MiXeD' });
        expect(fields.get('h')).toBe(fieldSchema);
        expect(fields.get('l')).toBe(
          '{"type":"string","optional":true,"name":"io.debezium.data.Ltree","version":1,"field":"l"}',
        );
      } finally {
        await task.stop();
      }
    }
  });
});
