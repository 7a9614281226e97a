/**
 * JDBC sink: rows/s upserting 10-column rows into PostgreSQL and MariaDB through JdbcSinkTask
 * (insert pass into an empty table, then an update pass over the same keys), next to the
 * database's own bulk load of the same rows in the same run: COPY FROM STDIN on PostgreSQL,
 * LOAD DATA LOCAL INFILE on MariaDB. Uses the test setup's servers (started if needed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import copyStreams from 'pg-copy-streams';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { ensureMariadb } from '../test/setup/mariadb.ts';
import { SchemaBuilder, Schemas, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { SinkRecord } from '../runtime/data/records.ts';
import { BigDecimal, ConnectDate, ConnectTimestamp, Decimal } from '../runtime/data/logical.ts';
import { silentLogger } from '../runtime/logging.ts';
import { JdbcSinkTask } from '../connectors/jdbc/jdbc-sink-task.ts';
import type { SinkTaskContext } from '../runtime/spi/sink.ts';

const VALUE: Schema = SchemaBuilder.struct()
  .name('bench.Row')
  .field('id', Schemas.INT64)
  .field('qty', Schemas.INT32)
  .field('total', Schemas.INT64)
  .field('ratio', Schemas.FLOAT64)
  .field('code', Schemas.STRING)
  .field('label', Schemas.OPTIONAL_STRING)
  .field('active', Schemas.BOOLEAN)
  .field('price', Decimal.builder(2).parameter('connect.decimal.precision', '12').build())
  .field('updated', ConnectTimestamp.schema())
  .field('day', ConnectDate.schema())
  .build();

const DDL = {
  postgresql:
    'id bigint PRIMARY KEY, qty integer NOT NULL, total bigint NOT NULL, ratio double precision NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price numeric(12,2) NOT NULL, updated timestamp NOT NULL, day date NOT NULL',
  mariadb:
    'id bigint PRIMARY KEY, qty int NOT NULL, total bigint NOT NULL, ratio double NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price decimal(12,2) NOT NULL, updated datetime(3) NOT NULL, day date NOT NULL',
};

interface Row {
  id: number;
  qty: number;
  total: bigint;
  ratio: number;
  code: string;
  label: string | null;
  active: boolean;
  price: BigDecimal;
  updated: Date;
  day: Date;
}

function makeRow(i: number, pass: number): Row {
  const ts = Date.UTC(2024, 0, 1) + i * 1000 + pass;
  return {
    id: i,
    qty: (i * 7 + pass) % 1000,
    total: BigInt(i) * 1_000_003n + BigInt(pass),
    ratio: i / 7,
    code: `C${i.toString(36)}-${pass}`,
    label: i % 10 === 0 ? null : `label ${i} pass ${pass}`,
    active: i % 2 === 0,
    price: new BigDecimal(BigInt(i % 100_000) * 100n + BigInt(pass), 2),
    updated: new Date(ts),
    day: new Date(Date.UTC(2024, 0, 1) + (i % 365) * 86_400_000),
  };
}

const isoTs = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
/** Tab-separated text line, as both COPY (text format) and LOAD DATA read it; no value here needs escaping. */
function textLine(r: Row, nullToken: string, bool: (b: boolean) => string): string {
  return `${r.id}\t${r.qty}\t${r.total}\t${r.ratio}\t${r.code}\t${r.label ?? nullToken}\t${bool(r.active)}\t${r.price.toString()}\t${isoTs(r.updated)}\t${isoDay(r.day)}\n`;
}

/** The rows as text in 1 MiB chunks, built before the clock starts (as the sink's records are). */
function textChunks(rows: number, nullToken: string, bool: (b: boolean) => string): Buffer[] {
  const chunks: Buffer[] = [];
  let part: string[] = [];
  let size = 0;
  for (let i = 0; i < rows; i++) {
    const line = textLine(makeRow(i, 0), nullToken, bool);
    part.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      chunks.push(Buffer.from(part.join('')));
      part = [];
      size = 0;
    }
  }
  if (part.length) chunks.push(Buffer.from(part.join('')));
  return chunks;
}

function toRecord(r: Row, offset: number): SinkRecord {
  const s = new Struct(VALUE);
  s.put('id', BigInt(r.id))
    .put('qty', r.qty)
    .put('total', r.total)
    .put('ratio', r.ratio)
    .put('code', r.code)
    .put('label', r.label)
    .put('active', r.active)
    .put('price', r.price)
    .put('updated', r.updated)
    .put('day', r.day);
  return new SinkRecord({ topic: 'bench_rows', kafkaPartition: 0, kafkaOffset: offset, valueSchema: VALUE, value: s });
}

const context: SinkTaskContext = {
  connectorName: 'jdbc-bench',
  taskId: 0,
  logger: silentLogger,
  signal: new AbortController().signal,
  configs: () => ({}),
  assignment: () => [],
  offset: () => undefined,
  timeout: () => undefined,
  pause: () => undefined,
  resume: () => undefined,
  requestCommit: () => undefined,
  errantRecordReporter: () => null,
};

interface Timed {
  seconds: number;
  cpuSeconds: number;
}

async function timeSink(
  jdbcUrl: string,
  user: string,
  password: string,
  batches: Iterable<SinkRecord[]>,
  extra: Record<string, string> = JSON.parse(process.env.BENCH_JDBC_SINK_PROPS ?? '{}') as Record<string, string>,
): Promise<Timed> {
  const task = new JdbcSinkTask();
  task.initialize(context);
  await task.start({
    'connection.url': jdbcUrl,
    'connection.user': user,
    'connection.password': password,
    'insert.mode': 'upsert',
    'pk.mode': 'record_value',
    'pk.fields': 'id',
    'auto.create': 'false',
    'table.name.format': 'bench_rows',
    ...extra,
  });
  // Only put() is timed: each batch's records are built before its put (as a worker's converter
  // would), so the process does not hold every record of the pass at once.
  let ms = 0;
  let cpuMicros = 0;
  for (const b of batches) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await task.put(b);
    const c = process.cpuUsage(c0);
    ms += performance.now() - t0;
    cpuMicros += c.user + c.system;
  }
  await task.stop();
  return { seconds: ms / 1000, cpuSeconds: cpuMicros / 1e6 };
}

function* recordBatches(rows: number, pass: number, batchSize: number): Generator<SinkRecord[]> {
  for (let i = 0; i < rows; i += batchSize)
    yield Array.from({ length: Math.min(batchSize, rows - i) }, (_x, j) =>
      toRecord(makeRow(i + j, pass), pass * rows + i + j),
    );
}

interface Side {
  rowsPerSec: number;
  seconds: number;
  /** CPU of this process (the sink; the database's own CPU is not counted) per row. */
  cpuMicrosPerRow?: number;
}
const side = (rows: number, secs: number): Side => ({ rowsPerSec: Math.round(rows / secs), seconds: +secs.toFixed(2) });
const sinkSide = (rows: number, t: Timed): Side => ({
  ...side(rows, t.seconds),
  cpuMicrosPerRow: +((t.cpuSeconds * 1e6) / rows).toFixed(1),
});

async function benchPostgres(rows: number, batchSize: number) {
  const base = process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres());
  const dbName = `bench_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(base);
  url.pathname = `/${dbName}`;
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await c.query(`CREATE TABLE bench_copy (${DDL.postgresql}); CREATE TABLE bench_rows (${DDL.postgresql})`);
    const text = textChunks(rows, '\\N', (b) => (b ? 't' : 'f'));
    const t0 = performance.now();
    const stream = c.query(copyStreams.from('COPY bench_copy FROM STDIN'));
    await pipeline(Readable.from(text), stream);
    const copySecs = (performance.now() - t0) / 1000;
    const jdbcUrl = `jdbc:postgresql://${url.hostname}:${url.port}/${dbName}`;
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    const insert = await timeSink(jdbcUrl, user, password, recordBatches(rows, 0, batchSize));
    const update = await timeSink(jdbcUrl, user, password, recordBatches(rows, 1, batchSize));
    // put() batches of 500 records: what a worker hands the sink with consumer.max.poll.records=500.
    const update500 = await timeSink(jdbcUrl, user, password, recordBatches(rows, 2, 500));
    const check = await c.query('SELECT count(*)::int AS n, sum(qty)::bigint AS q FROM bench_rows');
    if (check.rows[0].n !== rows) throw new Error(`PostgreSQL bench: expected ${rows} rows, found ${check.rows[0].n}`);
    return {
      reference: { name: 'COPY FROM STDIN', ...side(rows, copySecs) },
      upsertInsert: sinkSide(rows, insert),
      upsertUpdate: sinkSide(rows, update),
      upsertUpdateBatches500: sinkSide(rows, update500),
      ratioInsertToCopy: +(copySecs / insert.seconds).toFixed(3),
      ratioUpdateToCopy: +(copySecs / update.seconds).toFixed(3),
      ratioUpdate500ToCopy: +(copySecs / update500.seconds).toFixed(3),
    };
  } finally {
    await c.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

async function benchMariadb(rows: number, batchSize: number) {
  const base = new URL(process.env.TRIBUTARY_TEST_MYSQL_URL ?? (await ensureMariadb()));
  const dbName = `bench_${randomBytes(3).toString('hex')}`;
  const file = path.join(os.tmpdir(), `${dbName}.tsv`);
  const conn = {
    host: base.hostname,
    port: Number(base.port),
    user: decodeURIComponent(base.username),
    password: decodeURIComponent(base.password),
  };
  const c = await mysql.createConnection({ ...conn, infileStreamFactory: (p: string) => fs.createReadStream(p) });
  try {
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.query(`USE ${dbName}`);
    await c.query(`CREATE TABLE bench_load (${DDL.mariadb})`);
    await c.query(`CREATE TABLE bench_rows (${DDL.mariadb})`);
    fs.writeFileSync(file, Buffer.concat(textChunks(rows, '\\N', (b) => (b ? '1' : '0'))));
    const t0 = performance.now();
    await c.query({
      sql: `LOAD DATA LOCAL INFILE ? INTO TABLE bench_load FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n'`,
      values: [file],
    });
    const loadSecs = (performance.now() - t0) / 1000;
    const jdbcUrl = `jdbc:mariadb://${base.hostname}:${base.port}/${dbName}`;
    const insert = await timeSink(jdbcUrl, conn.user, conn.password, recordBatches(rows, 0, batchSize));
    const update = await timeSink(jdbcUrl, conn.user, conn.password, recordBatches(rows, 1, batchSize));
    const update500 = await timeSink(jdbcUrl, conn.user, conn.password, recordBatches(rows, 2, 500));
    const [check] = (await c.query('SELECT count(*) AS n FROM bench_rows')) as unknown as [Array<{ n: number }>];
    if (Number(check[0].n) !== rows) throw new Error(`MariaDB bench: expected ${rows} rows, found ${check[0].n}`);
    return {
      reference: { name: 'LOAD DATA LOCAL INFILE', ...side(rows, loadSecs) },
      upsertInsert: sinkSide(rows, insert),
      upsertUpdate: sinkSide(rows, update),
      upsertUpdateBatches500: sinkSide(rows, update500),
      ratioInsertToLoadData: +(loadSecs / insert.seconds).toFixed(3),
      ratioUpdateToLoadData: +(loadSecs / update.seconds).toFixed(3),
      ratioUpdate500ToLoadData: +(loadSecs / update500.seconds).toFixed(3),
    };
  } finally {
    fs.rmSync(file, { force: true });
    await c.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await c.end();
  }
}

const rate = (s: Side) => `${s.rowsPerSec.toLocaleString()} rows/s at ${s.cpuMicrosPerRow} CPU µs/row`;

/**
 * BENCH_JDBC_DATABASES (postgresql,mariadb by default) picks the direct runs' databases.
 * BENCH_JDBC_ONLY=direct skips the side by side with Debezium's JDBC sink through Kafka
 * (bench/jdbc-peer-bench.ts), =peer runs only that. BENCH_JDBC_SINK_PROPS (a JSON object) adds
 * sink settings to the direct runs, e.g. {"tributary.postgres.copy.min.rows":"0"}.
 */
export async function runJdbcBench(
  opts: { rows?: number; batchSize?: number; peerRecords?: number } = {},
): Promise<object> {
  const rows = opts.rows ?? 1_000_000;
  const batchSize = opts.batchSize ?? 10_000;
  const only = process.env.BENCH_JDBC_ONLY;
  const out: Record<string, unknown> = { rows, columns: 10, batchSize };
  if (only !== 'peer') {
    const databases = (process.env.BENCH_JDBC_DATABASES ?? 'postgresql,mariadb').split(',');
    if (databases.includes('postgresql')) {
      const postgresql = await benchPostgres(rows, batchSize);
      process.stderr.write(
        `jdbc postgresql: upsert ${rate(postgresql.upsertInsert)} (insert pass), ${rate(postgresql.upsertUpdate)} (update pass), ${rate(postgresql.upsertUpdateBatches500)} (update, puts of 500) vs COPY ${postgresql.reference.rowsPerSec.toLocaleString()} rows/s (ratio ${postgresql.ratioInsertToCopy} / ${postgresql.ratioUpdateToCopy} / ${postgresql.ratioUpdate500ToCopy})\n`,
      );
      out.postgresql = postgresql;
    }
    if (databases.includes('mariadb')) {
      const mariadb = await benchMariadb(rows, batchSize);
      process.stderr.write(
        `jdbc mariadb: upsert ${rate(mariadb.upsertInsert)} (insert pass), ${rate(mariadb.upsertUpdate)} (update pass), ${rate(mariadb.upsertUpdateBatches500)} (update, puts of 500) vs LOAD DATA ${mariadb.reference.rowsPerSec.toLocaleString()} rows/s (ratio ${mariadb.ratioInsertToLoadData} / ${mariadb.ratioUpdateToLoadData} / ${mariadb.ratioUpdate500ToLoadData})\n`,
      );
      out.mariadb = mariadb;
    }
  }
  if (only !== 'direct') {
    const { runJdbcPeerBench } = await import('./jdbc-peer-bench.ts');
    out.debeziumJdbcSink = await runJdbcPeerBench({ records: opts.peerRecords ?? 300_000 });
  }
  return out;
}
