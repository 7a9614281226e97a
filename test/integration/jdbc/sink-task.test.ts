/**
 * JdbcSinkTask against the real PostgreSQL and MariaDB: Debezium envelopes and flat records,
 * every mapped type, insert/upsert/update modes, deletes, tombstones, truncates, auto.create and
 * auto.evolve, last-change-per-key, idempotent redelivery, hostile identifiers, bad records and
 * a connection killed mid-stream.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { SchemaBuilder, Schemas } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import {
  BigDecimal,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  bigintToTwosComplement,
} from '../../../runtime/data/logical.ts';
import { RetriableException } from '../../../runtime/errors.ts';
import { JdbcSinkTask } from '../../../connectors/jdbc/jdbc-sink-task.ts';
import {
  createTestDb,
  envelope,
  envelopeSchema,
  record,
  row,
  sinkProps,
  TestContext,
  type Target,
  type TestDb,
} from './helpers.ts';

async function startTask(db: TestDb, props: Record<string, string>, ctx = new TestContext()) {
  const task = new JdbcSinkTask();
  task.initialize(ctx);
  await task.start(sinkProps(db, props));
  return { task, ctx };
}

const KEY = SchemaBuilder.struct().name('k.Key').field('id', Schemas.INT32).build();
const key = (id: number) => new Struct(KEY).put('id', id);

describe.each<Target>(['postgresql', 'mariadb'])('JDBC sink task on %s', (target) => {
  let db: TestDb;
  const tasks: JdbcSinkTask[] = [];
  beforeAll(async () => {
    db = await createTestDb(target, 'jdbcsink');
  });
  afterAll(async () => {
    for (const t of tasks) await t.stop();
    await db.drop();
  });
  const start = async (props: Record<string, string>, ctx?: TestContext) => {
    const r = await startTask(db, props, ctx);
    tasks.push(r.task);
    return r;
  };
  const debezium = {
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    'insert.mode': 'upsert',
    'primary.key.mode': 'record_key',
    'delete.enabled': 'true',
    'schema.evolution': 'basic',
  };

  it('round-trips every Connect and Debezium type without precision loss', async () => {
    let b = SchemaBuilder.struct()
      .name('types.Value')
      .field('id', Schemas.INT32)
      .field('i8', Schemas.OPTIONAL_INT8)
      .field('i16', Schemas.OPTIONAL_INT16)
      .field('i64', Schemas.OPTIONAL_INT64)
      .field('f32', Schemas.OPTIONAL_FLOAT32)
      .field('f64', Schemas.OPTIONAL_FLOAT64)
      .field('b', Schemas.OPTIONAL_BOOLEAN)
      .field('s', Schemas.OPTIONAL_STRING)
      .field('bin', Schemas.OPTIONAL_BYTES)
      .field('dec', Decimal.builder(4).parameter('connect.decimal.precision', '20').optional())
      .field(
        'vdec',
        SchemaBuilder.struct()
          .name('io.debezium.data.VariableScaleDecimal')
          .field('scale', Schemas.INT32)
          .field('value', Schemas.BYTES)
          .optional(),
      )
      .field('d', ConnectDate.builder().optional())
      .field('dd', SchemaBuilder.int32().name('io.debezium.time.Date').optional())
      .field('t', ConnectTime.builder().optional())
      .field('mt', SchemaBuilder.int64().name('io.debezium.time.MicroTime').optional())
      .field('ts', ConnectTimestamp.builder().optional())
      .field('mts', SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').optional())
      .field('nts', SchemaBuilder.int64().name('io.debezium.time.NanoTimestamp').optional())
      .field('zts', SchemaBuilder.string().name('io.debezium.time.ZonedTimestamp').optional())
      .field('js', SchemaBuilder.string().name('io.debezium.data.Json').optional())
      .field('u', SchemaBuilder.string().name('io.debezium.data.Uuid').optional())
      .field('en', SchemaBuilder.string().name('io.debezium.data.Enum').parameter('allowed', 'a,b').optional());
    if (target === 'postgresql') b = b.field('arr', SchemaBuilder.array(Schemas.OPTIONAL_INT32).optional());
    const rowSchema = b.build();
    const env = envelopeSchema(rowSchema);
    const vdec = new Struct(rowSchema.field('vdec')!.schema)
      .put('scale', 20)
      .put('value', bigintToTwosComplement(314159265358979323846n));
    const text = 'it\'s "quoted"\t\\ tab\nnew line – ünïcødé 🚀';
    const values: Record<string, unknown> = {
      id: 1,
      i8: -128,
      i16: 32767,
      i64: 9007199254740993n,
      f32: 0.5,
      f64: 0.1 + 0.2,
      b: true,
      s: text,
      bin: Buffer.from([0, 1, 254, 255]),
      dec: BigDecimal.parse('12345678901234.5678'),
      vdec,
      d: new Date(Date.UTC(2024, 1, 29)),
      dd: 19782,
      t: new Date(49530123),
      mt: 49530123456,
      ts: new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 123)),
      mts: 1709214330123456,
      nts: 1709214330123456789n,
      zts: '2024-02-29T13:45:30.123456+02:00',
      js: '{"a": [1, 2]}',
      u: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
      en: 'b',
    };
    if (target === 'postgresql') values.arr = [1, null, 3];
    const { task } = await start({ ...debezium, 'tributary.postgres.copy.min.rows': '0' });
    await task.put([record('srv.public.types', KEY, key(1), env, envelope(env, 'c', row(rowSchema, values)))]);
    const cols = Object.keys(values).filter((c) => c !== 'bin');
    const sel =
      target === 'postgresql'
        ? cols.map((c) => `"${c}"::text AS "${c}"`).join(',') + ", encode(bin, 'hex') AS bin"
        : cols.map((c) => `CAST(\`${c}\` AS CHAR) AS \`${c}\``).join(',') + ', HEX(bin) AS bin';
    const [got] = await db.query(
      `SELECT ${sel} FROM ${target === 'postgresql' ? '"srv_public_types"' : 'srv_public_types'}`,
    );
    const pgExpected: Record<string, string> = {
      id: '1',
      i8: '-128',
      i16: '32767',
      i64: '9007199254740993',
      f32: '0.5',
      f64: '0.30000000000000004',
      b: 'true',
      s: text,
      bin: '0001feff',
      dec: '12345678901234.5678',
      vdec: '3.14159265358979323846',
      d: '2024-02-29',
      dd: '2024-02-29',
      t: '13:45:30.123',
      mt: '13:45:30.123456',
      ts: '2024-02-29 13:45:30.123',
      mts: '2024-02-29 13:45:30.123456',
      // rounded to the nearest microsecond, as pgjdbc rounds the nanos Debezium's sink binds
      nts: '2024-02-29 13:45:30.123457',
      zts: '2024-02-29 11:45:30.123456+00',
      js: '{"a": [1, 2]}',
      u: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
      en: 'b',
      arr: '{1,NULL,3}',
    };
    const myExpected: Record<string, string> = {
      ...pgExpected,
      b: '1',
      bin: '0001FEFF',
      vdec: '3.141592653589793238460000000000',
      // every TIME/DATETIME with 6 fraction digits, as Debezium's sink declares them
      t: '13:45:30.123000',
      ts: '2024-02-29 13:45:30.123000',
      nts: '2024-02-29 13:45:30.123456',
      zts: '2024-02-29 11:45:30.123456',
    };
    delete myExpected.arr;
    expect(got).toEqual(target === 'postgresql' ? pgExpected : myExpected);
  });

  it('applies c/u/d envelopes with the last change per key winning, deletes, tombstones and truncates', async () => {
    const rs = SchemaBuilder.struct()
      .name('v.Value')
      .field('id', Schemas.INT32)
      .field('name', Schemas.OPTIONAL_STRING)
      .build();
    const env = envelopeSchema(rs);
    const topic = 'srv.public.people';
    const ev = (op: 'c' | 'u' | 'd', id: number, name?: string) =>
      record(topic, KEY, key(id), env, envelope(env, op, row(rs, { id, name: name ?? null })));
    const { task } = await start({ ...debezium, 'truncate.enabled': 'true' });
    const batch = [
      ev('c', 1, 'a'),
      ev('c', 2, 'b'),
      ev('u', 1, 'a2'),
      ev('c', 3, 'c'),
      ev('d', 2),
      ev('u', 3, 'c2'),
      ev('c', 2, 'b-again'),
      ev('u', 1, 'a3'),
      ev('c', 4, 'd'),
      ev('d', 4),
    ];
    await task.put(batch);
    const q = `SELECT id, name FROM srv_public_people ORDER BY id`.replace(
      'srv_public_people',
      target === 'postgresql' ? '"srv_public_people"' : 'srv_public_people',
    );
    const expected = [
      { id: 1, name: 'a3' },
      { id: 2, name: 'b-again' },
      { id: 3, name: 'c2' },
    ];
    expect(await db.query(q)).toEqual(expected);
    // Redelivery of the same batch (a crash before the offsets were committed) leaves the same state.
    await task.put(batch);
    expect(await db.query(q)).toEqual(expected);
    // A tombstone deletes by key; Debezium's truncate clears the table.
    await task.put([record(topic, KEY, key(1), null, null)]);
    expect(await db.query(q)).toEqual(expected.slice(1));
    await task.put([record(topic, KEY, key(9), env, envelope(env, 't', null)), ev('c', 7, 'after-truncate')]);
    expect(await db.query(q)).toEqual([{ id: 7, name: 'after-truncate' }]);
  });

  it('creates the table, then adds a column that appears mid-stream (auto.evolve)', async () => {
    const v1 = SchemaBuilder.struct().name('e.Value').field('id', Schemas.INT32).field('a', Schemas.STRING).build();
    const v2 = SchemaBuilder.struct()
      .name('e.Value')
      .field('id', Schemas.INT32)
      .field('a', Schemas.STRING)
      .field('added', Schemas.OPTIONAL_INT64)
      .build();
    const { task } = await start({
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'auto.evolve': 'true',
    });
    await task.put([
      record('evolve', null, null, v1, row(v1, { id: 1, a: 'x' })),
      record('evolve', null, null, v2, row(v2, { id: 2, a: 'y', added: 42n })),
      record('evolve', null, null, v1, row(v1, { id: 3, a: 'z' })),
    ]);
    const rows = await db.query('SELECT id, a, added FROM evolve ORDER BY id');
    expect(rows.map((r) => [r.id, r.a, r.added === null ? null : String(r.added)])).toEqual([
      [1, 'x', null],
      [2, 'y', '42'],
      [3, 'z', null],
    ]);
  });

  it('supports insert and update modes and kafka coordinates as key', async () => {
    const v = SchemaBuilder.struct().field('id', Schemas.INT32).field('n', Schemas.INT32).build();
    const { task: ins } = await start({
      'insert.mode': 'insert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
    });
    await ins.put([
      record('modes', null, null, v, row(v, { id: 1, n: 1 })),
      record('modes', null, null, v, row(v, { id: 2, n: 2 })),
    ]);
    const { task: upd } = await start({ 'insert.mode': 'update', 'pk.mode': 'record_value', 'pk.fields': 'id' });
    await upd.put([
      record('modes', null, null, v, row(v, { id: 2, n: 20 })),
      record('modes', null, null, v, row(v, { id: 3, n: 30 })),
    ]);
    expect(await db.query('SELECT id, n FROM modes ORDER BY id')).toEqual([
      { id: 1, n: 1 },
      { id: 2, n: 20 },
    ]);
    const { task: kafka } = await start({
      'insert.mode': 'upsert',
      'pk.mode': 'kafka',
      'auto.create': 'true',
      'table.name.format': 'kafka_${topic}',
    });
    const r = record('coords', null, null, v, row(v, { id: 5, n: 5 }));
    await kafka.put([r, r]);
    const got = await db.query(
      'SELECT __connect_topic AS t, __connect_partition AS p, __connect_offset AS o, id FROM kafka_coords',
    );
    expect(got.map((x) => [x.t, x.p, String(x.o), x.id])).toEqual([['coords', 0, String(r.kafkaOffset), 5]]);
  });

  it('keeps hostile table and column names inert', async () => {
    const evil = 'x"; DROP TABLE victim; -- `';
    const v = SchemaBuilder.struct()
      .field('id', Schemas.INT32)
      .field('select', Schemas.OPTIONAL_STRING)
      .field('with space', Schemas.OPTIONAL_STRING)
      .field(evil, Schemas.OPTIONAL_STRING)
      .build();
    await db.query('CREATE TABLE victim (id int)');
    const { task } = await start({
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'table.name.format': 'Order "${topic}" `x`',
    });
    await task.put([
      record(
        't',
        null,
        null,
        v,
        row(v, { id: 1, select: "'; DELETE FROM victim; --", 'with space': 'ok', [evil]: evil }),
      ),
    ]);
    const tbl = target === 'postgresql' ? '"Order ""t"" `x`"' : '`Order "t" ``x```';
    const col = target === 'postgresql' ? `"${evil.replaceAll('"', '""')}"` : `\`${evil.replaceAll('`', '``')}\``;
    const rows = await db.query(`SELECT ${col} AS e FROM ${tbl}`);
    expect(rows).toEqual([{ e: evil }]);
    expect(await db.query('SELECT count(*) AS n FROM victim')).toHaveLength(1);
  });

  it('sends unwritable records to the errant record reporter with topic, partition, offset and the fix', async () => {
    const v = SchemaBuilder.struct()
      .field('id', Schemas.INT32)
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).optional())
      .build();
    const ok = SchemaBuilder.struct().field('id', Schemas.INT32).field('n', Schemas.INT16).build();
    const ctx = new TestContext(true);
    const { task } = await start(
      { 'insert.mode': 'upsert', 'pk.mode': 'record_value', 'pk.fields': 'id', 'auto.create': 'true' },
      ctx,
    );
    await db.query(
      target === 'postgresql'
        ? 'CREATE TABLE checked (id int primary key, n smallint CHECK (n < 100))'
        : 'CREATE TABLE checked (id int primary key, n smallint CHECK (n < 100))',
    );
    const bad = record('bad', null, null, v, row(v, { id: 1, m: new Map([['a', 'b']]) }));
    const good = record('checked', null, null, ok, row(ok, { id: 1, n: 5 }));
    const violating = record('checked', null, null, ok, row(ok, { id: 2, n: 500 }));
    await task.put([bad, good, violating]);
    expect(ctx.reported.map((r) => r.record.kafkaOffset)).toEqual([bad.kafkaOffset, violating.kafkaOffset]);
    expect(ctx.reported[0].error.message).toMatch(
      new RegExp(`topic=bad partition=0 offset=${bad.kafkaOffset}: field "m" has type MAP.*Flatten`),
    );
    expect(ctx.reported[1].error.message).toMatch(/offset=\d+: .*(check|CONSTRAINT)/i);
    expect(await db.query('SELECT id, n FROM checked')).toEqual([{ id: 1, n: 5 }]);
    // Without a reporter a record with a null key fails the task, naming the record.
    const { task: strict } = await start({ 'insert.mode': 'upsert', 'pk.mode': 'record_key', 'auto.create': 'true' });
    await expect(strict.put([record('nokey', KEY, null, ok, row(ok, { id: 1, n: 1 }))])).rejects.toThrow(
      /topic=nokey partition=0 offset=\d+: the record key is null/,
    );
  });

  it('retries a batch after the connection is killed and loses nothing', async () => {
    const v = SchemaBuilder.struct().field('id', Schemas.INT32).field('n', Schemas.INT32).build();
    const ctx = new TestContext();
    const { task } = await start(
      {
        'insert.mode': 'upsert',
        'pk.mode': 'record_value',
        'pk.fields': 'id',
        'auto.create': 'true',
        'retry.backoff.ms': '10',
      },
      ctx,
    );
    const batch = (from: number) =>
      Array.from({ length: 100 }, (_x, i) => record('killed', null, null, v, row(v, { id: from + i, n: i })));
    await task.put(batch(0));
    if (target === 'postgresql')
      await db.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tributary-jdbc-sink' AND datname = current_database()",
      );
    else {
      const procs = await db.query(
        'SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND id <> CONNECTION_ID()',
      );
      for (const p of procs) await db.query(`KILL ${Number(p.id)}`);
    }
    const second = batch(100);
    let attempts = 0;
    for (;;) {
      try {
        attempts++;
        await task.put(second);
        break;
      } catch (err) {
        expect(err).toBeInstanceOf(RetriableException);
        expect(ctx.timeoutMs).toBe(10);
        if (attempts > 5) throw err;
      }
    }
    expect(attempts).toBe(2);
    expect(Number((await db.query('SELECT count(*) AS n FROM killed'))[0].n)).toBe(200);
  });

  it('upserts large batches correctly through the COPY path on PostgreSQL and multi-row statements elsewhere', async () => {
    const v = SchemaBuilder.struct()
      .field('id', Schemas.INT64)
      .field('s', Schemas.OPTIONAL_STRING)
      .field('bin', Schemas.OPTIONAL_BYTES)
      .field('dec', Decimal.builder(2).optional())
      .build();
    const { task } = await start({
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'tributary.postgres.copy.min.rows': '100',
      'batch.size': '333',
    });
    const mk = (i: number, tag: string) =>
      record(
        'big',
        null,
        null,
        v,
        row(v, {
          id: i,
          s: i % 7 === 0 ? null : `${tag}\t${i}\\n`,
          bin: Buffer.from([i % 256]),
          dec: new BigDecimal(BigInt(i) * 101n, 2),
        }),
      );
    await task.put(Array.from({ length: 1000 }, (_x, i) => mk(i, 'a')));
    await task.put([
      ...Array.from({ length: 1000 }, (_x, i) => mk(i, 'b')),
      ...Array.from({ length: 500 }, (_x, i) => mk(i, 'c')),
    ]);
    const dec = target === 'postgresql' ? '"dec"' : '`dec`'; // DEC is a reserved word on MariaDB
    const rows = await db.query(`SELECT id, s, ${dec} FROM big WHERE id IN (0, 1, 700, 999) ORDER BY id`);
    expect(rows.map((r) => [String(r.id), r.s, String(r.dec)])).toEqual([
      ['0', null, '0.00'],
      ['1', 'c\t1\\n', '1.01'],
      ['700', null, '707.00'],
      ['999', 'b\t999\\n', '1008.99'],
    ]);
    expect(Number((await db.query('SELECT count(*) AS n FROM big'))[0].n)).toBe(1000);
  });

  if (target === 'mariadb') {
    const flat = SchemaBuilder.struct()
      .field('id', Schemas.INT64)
      .field('s', Schemas.OPTIONAL_STRING)
      .field('f64', Schemas.OPTIONAL_FLOAT64)
      .field('f32', Schemas.OPTIONAL_FLOAT32)
      .field('big', Schemas.OPTIONAL_INT64)
      .field('b', Schemas.OPTIONAL_BOOLEAN)
      .field('dec', Decimal.builder(3).parameter('connect.decimal.precision', '20').optional())
      .field('ts', ConnectTimestamp.builder().optional())
      .field('mts', SchemaBuilder.int64().name('io.debezium.time.MicroTimestamp').optional())
      .field('d', ConnectDate.builder().optional())
      .field('t', ConnectTime.builder().optional())
      .field('js', SchemaBuilder.string().name('io.debezium.data.Json').optional())
      .field('en', SchemaBuilder.string().name('io.debezium.data.Enum').parameter('allowed', 'x,y').optional())
      .build();
    const TRICKY = [
      '',
      '\\N',
      'NULL',
      'a\tb',
      'line\nbreak\r\n',
      'back\\slash\\',
      'nul\u0000x',
      ' padded ',
      'ünï©ødé 😀',
      'quote\'"',
      '\\t',
    ];
    const flatRow = (i: number) =>
      row(flat, {
        id: BigInt(i),
        s: i % 13 === 0 ? null : `${TRICKY[i % TRICKY.length]}${i}`,
        f64: i % 11 === 0 ? null : i / 7 + 1e-9 * i,
        f32: Math.fround(i / 3),
        big: 9_007_199_254_740_993n + BigInt(i) * 1_000_003n,
        b: i % 2 === 0,
        dec: new BigDecimal(BigInt(i) * 12_345n - 600_000n, 3),
        ts: new Date(Date.UTC(2024, 1, 29, 13, 45, 30, i % 1000)),
        mts: 1_709_214_330_000_000 + i * 1001,
        d: new Date(Date.UTC(2024, 0, 1) + (i % 400) * 86_400_000),
        t: new Date((i * 1_234_567) % 86_400_000),
        js: i % 5 === 0 ? null : JSON.stringify({ i, s: 'a\tb' }),
        en: i % 2 ? 'x' : 'y',
      });
    const comLoad = async () => Number((await db.query("SHOW GLOBAL STATUS LIKE 'Com_load'"))[0].Value as string);
    const flatProps = (minRows: string, table: string) => ({
      'insert.mode': 'upsert',
      'pk.mode': 'record_value',
      'pk.fields': 'id',
      'auto.create': 'true',
      'table.name.format': table,
      'tributary.mysql.load.data.min.rows': minRows,
    });

    it('writes batches through LOAD DATA LOCAL with the values INSERT statements write', async () => {
      const ids = Array.from({ length: 1200 }, (_x, i) => i);
      const loads = await comLoad();
      const { task: viaLoad } = await start(flatProps('1', 'ld_load'));
      await viaLoad.put(ids.map((i) => record('flat', null, null, flat, flatRow(i))));
      // an update pass over half the keys and new keys, through the staging table's ON DUPLICATE KEY UPDATE
      await viaLoad.put(
        ids
          .slice(600)
          .map((i) => record('flat', null, null, flat, flatRow(i + 300)))
          .concat(ids.slice(0, 300).map((i) => record('flat', null, null, flat, flatRow(i + 5000)))),
      );
      expect(await comLoad()).toBeGreaterThanOrEqual(loads + 2);
      const { task: viaInsert } = await start(flatProps('0', 'ld_insert'));
      await viaInsert.put(ids.map((i) => record('flat', null, null, flat, flatRow(i))));
      await viaInsert.put(
        ids
          .slice(600)
          .map((i) => record('flat', null, null, flat, flatRow(i + 300)))
          .concat(ids.slice(0, 300).map((i) => record('flat', null, null, flat, flatRow(i + 5000)))),
      );
      const cols = ['id', 's', 'f64', 'f32', 'big', 'b', 'dec', 'ts', 'mts', 'd', 't', 'js', 'en'];
      const image = (t: string) =>
        db.query(
          `SELECT ${cols.map((c) => `CAST(\`${c}\` AS CHAR) AS \`${c}\`, HEX(\`${c}\`) AS \`h_${c}\``).join(',')} FROM ${t} ORDER BY id`,
        );
      const viaLoadRows = await image('ld_load');
      expect(viaLoadRows.length).toBe(1800);
      expect(viaLoadRows).toEqual(await image('ld_insert'));
      // spot checks against the written values, so both paths cannot agree on a wrong value
      const one = viaLoadRows.find((r) => r.id === '5004')!;
      expect(one.s).toBe(`${TRICKY[5004 % TRICKY.length]}5004`);
      expect(one.big).toBe(String(9_007_199_254_740_993n + 5004n * 1_000_003n));
      expect(viaLoadRows.find((r) => r.id === '3')!.s).toBe('a\tb3');
    });

    it('writes through INSERT statements when the user may not create temporary tables', async () => {
      const user = `ld_${db.name.slice(-6)}`;
      await db.query(`CREATE USER '${user}'@'127.0.0.1' IDENTIFIED BY 'pw'`);
      try {
        await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER ON ${db.name}.* TO '${user}'@'127.0.0.1'`);
        const task = new JdbcSinkTask();
        task.initialize(new TestContext());
        await task.start({
          ...sinkProps(db, flatProps('1', 'ld_noperm')),
          'connection.user': user,
          'connection.password': 'pw',
        });
        tasks.push(task);
        await task.put([1, 2, 3].map((i) => record('flat', null, null, flat, flatRow(i))));
        await task.put([3, 4].map((i) => record('flat', null, null, flat, flatRow(i + 10))));
        const ids = await db.query('SELECT CAST(id AS CHAR) AS id FROM ld_noperm ORDER BY id');
        expect(ids.map((r) => r.id)).toEqual(['1', '13', '14', '2', '3']);
      } finally {
        await db.query(`DROP USER '${user}'@'127.0.0.1'`);
      }
    });

    it('writes a batch LOAD DATA would convert with a warning through INSERT statements, which refuse it', async () => {
      await db.query('CREATE TABLE ld_short (id BIGINT PRIMARY KEY, s VARCHAR(3) NOT NULL)');
      const short = SchemaBuilder.struct().field('id', Schemas.INT64).field('s', Schemas.STRING).build();
      const { task } = await start({ ...flatProps('1', 'ld_short'), 'auto.create': 'false', 'max.retries': '0' });
      const rec = (i: number, v: string) => record('short', null, null, short, row(short, { id: BigInt(i), s: v }));
      // LOAD DATA LOCAL would store 'abc' with a warning; INSERT under strict mode fails
      await expect(task.put([rec(1, 'ok'), rec(2, 'abcdef'), rec(3, 'ok')])).rejects.toThrow(
        /Data too long for column 's'/,
      );
      expect(await db.query('SELECT * FROM ld_short')).toEqual([]);
      await task.put([rec(1, 'ok'), rec(2, 'abc')]);
      expect(await db.query('SELECT id, s FROM ld_short ORDER BY id')).toEqual([
        { id: '1', s: 'ok' },
        { id: '2', s: 'abc' },
      ]);
    });
  }
});
