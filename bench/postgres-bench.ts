/**
 * PostgreSQL source: changes/s streamed through a worker into the embedded log (JsonConverter,
 * schemas on) for one N-row `INSERT … SELECT` of 10 mixed-type columns and for N single-row
 * transactions (the connector paused during the load, then catching up), each next to pg_recvlogical
 * reading the same WAL range with pgoutput in the same run; and snapshot rows/s of the N-row table
 * next to `COPY (SELECT …) TO STDOUT` to a null sink, twice: the connector's snapshot reader alone
 * (table rows to SourceRecords, no converter or log) and the whole worker. CPU µs are this process's.
 * Peak RSS of this process is reported. Uses the test setup's PostgreSQL (started if needed).
 * `npx tsx bench/postgres-bench.ts [rows]` runs it alone; BENCH_PG_ONLY=snapshot skips streaming.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { startStandaloneWorker, type RunningWorker } from '../app/workers.ts';
import { silentLogger } from '../runtime/logging.ts';
import { parseSettings } from '../connectors/postgres/config.ts';
import { openSqlClient } from '../connectors/postgres/connection.ts';
import { TypeRegistry } from '../connectors/postgres/type-registry.ts';
import { Snapshotter } from '../connectors/postgres/snapshotter.ts';

const DDL =
  'id bigint PRIMARY KEY, qty integer NOT NULL, total bigint NOT NULL, ratio double precision NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price numeric(12,2) NOT NULL, updated timestamp NOT NULL, day date NOT NULL';
const ROW_EXPRS = `g, g % 1000, g * 1000003, g / 7.0, 'C' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'label ' || g END, g % 2 = 0, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365)::int`;
/** One transaction per row, committed inside a procedure (no client round trip per row). */
const SINGLE_ROW_PROCEDURE = `CREATE PROCEDURE public.fill_single(a bigint, b bigint) LANGUAGE plpgsql AS $$ BEGIN FOR i IN a..b LOOP INSERT INTO public.rows1 SELECT ${ROW_EXPRS} FROM generate_series(i::bigint, i::bigint) g; COMMIT; END LOOP; END $$`;
const FILL = (from: number, to: number): string =>
  `INSERT INTO public.rows SELECT g, g % 1000, g * 1000003, g / 7.0, 'C' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'label ' || g END, g % 2 = 0, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365)::int FROM generate_series(${from}::bigint, ${to}::bigint) g`;

interface Rate {
  rows: number;
  seconds: number;
  rowsPerSec: number;
  cpuMicrosPerRow?: number;
}
const rate = (rows: number, ms: number, cpu?: NodeJS.CpuUsage): Rate => ({
  rows,
  seconds: ms / 1000,
  rowsPerSec: Math.round(rows / (ms / 1000)),
  ...(cpu ? { cpuMicrosPerRow: Number(((cpu.user + cpu.system) / rows).toFixed(1)) } : {}),
});

let peakRss = 0;
let atPeak: NodeJS.MemoryUsage | null = null;
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  if (m.rss > peakRss) {
    peakRss = m.rss;
    atPeak = m;
  }
}, 100);
sampler.unref();

async function waitForRecords(worker: RunningWorker, topic: string, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (worker.embedded.log.endOffset({ topic, partition: 0 }) < n) {
    if (Date.now() > deadline)
      throw new Error(`timed out: ${worker.embedded.log.endOffset({ topic, partition: 0 })}/${n} records on ${topic}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function connectorConfig(
  url: URL,
  db: string,
  slot: string,
  extra: Record<string, string>,
): Promise<Record<string, string>> {
  return {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': url.hostname,
    'database.port': url.port,
    'database.user': decodeURIComponent(url.username),
    'database.password': decodeURIComponent(url.password),
    'database.dbname': db,
    'topic.prefix': db,
    'slot.name': slot,
    'publication.name': `${db}_pub`,
    'slot.drop.on.stop': 'true',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': process.env.BENCH_SCHEMAS ?? 'true',
    'value.converter.schemas.enable': process.env.BENCH_SCHEMAS ?? 'true',
    ...extra,
  };
}

async function post(worker: RunningWorker, name: string, config: Record<string, string>): Promise<void> {
  const res = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, config }),
  });
  if (res.status !== 201) throw new Error(`POST /connectors: ${res.status} ${await res.text()}`);
}

function recvlogical(url: URL, db: string, slot: string, publication: string, endpos: string): Promise<number> {
  const u = new URL(url.toString());
  u.pathname = `/${db}`;
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      'pg_recvlogical',
      [
        '-d',
        u.toString(),
        '--slot',
        slot,
        '--start',
        '-o',
        'proto_version=1',
        '-o',
        `publication_names=${publication}`,
        '--endpos',
        endpos,
        '-f',
        '/dev/null',
        '--no-loop',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(Date.now() - t0) : reject(new Error(`pg_recvlogical exited ${code}: ${err}`)),
    );
  });
}

/** `COPY (SELECT * FROM public.rows) TO STDOUT` into a null sink: the server's and the wire's rate. */
async function copyToNull(client: pg.Client, rows: number): Promise<{ rate: Rate; bytes: number }> {
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  await pipeline(
    client.query(copyStreams.to('COPY (SELECT * FROM public.rows) TO STDOUT')),
    new Writable({
      write(chunk: Buffer, _e, cb) {
        bytes += chunk.length;
        cb();
      },
    }),
  );
  return { rate: rate(rows, Date.now() - t0, process.cpuUsage(cpu0)), bytes };
}

/** The connector's snapshot reader alone: every row of the database to a SourceRecord, records dropped. */
async function snapshotReaderOnly(config: Record<string, string>, rows: number): Promise<Rate> {
  const settings = parseSettings(config);
  const sql = await openSqlClient(settings);
  try {
    const types = new TypeRegistry();
    await types.load(sql);
    const snapshotter = new Snapshotter(sql, settings, types);
    const t0 = Date.now();
    const cpu0 = process.cpuUsage();
    await snapshotter.begin(null);
    let n = 0;
    for (let batch = await snapshotter.next(2048); batch !== null; batch = await snapshotter.next(2048))
      n += batch.length;
    const r = rate(n, Date.now() - t0, process.cpuUsage(cpu0));
    if (n < rows) throw new Error(`snapshot reader returned ${n} of ${rows} rows`);
    return r;
  } finally {
    await sql.end();
  }
}

async function streamingRuns(
  worker: RunningWorker,
  base: URL,
  client: pg.Client,
  db: string,
  topic: string,
  rows: number,
): Promise<object> {
  // Streaming: slots exist before the load, so both readers decode the same WAL.
  await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [`${db}_ref`]);
  await post(
    worker,
    'pg-stream',
    await connectorConfig(base, db, `${db}_trib`, {
      'snapshot.mode': 'no_data',
      'publication.autocreate.mode': 'disabled',
    }),
  );
  await new Promise((r) => setTimeout(r, 1000));
  await client.query(FILL(1, rows));
  const endpos = (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  await waitForRecords(worker, topic, rows, 30 * 60_000);
  const streaming = rate(rows, Date.now() - t0, process.cpuUsage(cpu0));
  const refMs = await recvlogical(base, db, `${db}_ref`, `${db}_pub`, endpos);
  const recv = rate(rows, refMs);
  process.stderr.write(
    `postgres streaming: ${streaming.rowsPerSec.toLocaleString()} changes/s (${streaming.cpuMicrosPerRow} CPU µs each) vs pg_recvlogical ${recv.rowsPerSec.toLocaleString()} changes/s\n`,
  );
  await fetch(`${worker.url}/connectors/pg-stream`, { method: 'DELETE' });
  await client.query('SELECT pg_drop_replication_slot($1)', [`${db}_ref`]);

  // Streaming single-row transactions: the connector is paused during the load, then both readers catch up on the same WAL.
  await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [`${db}_ref1`]);
  await post(
    worker,
    'pg-stream1',
    await connectorConfig(base, db, `${db}_trib1`, {
      'snapshot.mode': 'no_data',
      'publication.autocreate.mode': 'disabled',
      'topic.prefix': `${db}_1`,
    }),
  );
  await new Promise((r) => setTimeout(r, 1000));
  await fetch(`${worker.url}/connectors/pg-stream1/pause`, { method: 'PUT' });
  await new Promise((r) => setTimeout(r, 500));
  await client.query('CALL public.fill_single(1, $1)', [rows]);
  const endpos1 = (await client.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;
  const t01 = Date.now();
  const cpu01 = process.cpuUsage();
  await fetch(`${worker.url}/connectors/pg-stream1/resume`, { method: 'PUT' });
  await waitForRecords(worker, `${db}_1.public.rows1`, rows, 30 * 60_000);
  const singleRow = rate(rows, Date.now() - t01, process.cpuUsage(cpu01));
  const recv1 = rate(rows, await recvlogical(base, db, `${db}_ref1`, `${db}_pub`, endpos1));
  process.stderr.write(
    `postgres streaming, single-row transactions: ${singleRow.rowsPerSec.toLocaleString()} changes/s (${singleRow.cpuMicrosPerRow} CPU µs each) vs pg_recvlogical ${recv1.rowsPerSec.toLocaleString()} changes/s\n`,
  );
  await fetch(`${worker.url}/connectors/pg-stream1`, { method: 'DELETE' });
  await client.query('SELECT pg_drop_replication_slot($1)', [`${db}_ref1`]);

  return {
    streaming: {
      tributary: streaming,
      pgRecvlogical: recv,
      ratio: Number((streaming.rowsPerSec / recv.rowsPerSec).toFixed(3)),
    },
    streamingSingleRowTransactions: {
      tributary: singleRow,
      pgRecvlogical: recv1,
      ratio: Number((singleRow.rowsPerSec / recv1.rowsPerSec).toFixed(3)),
    },
  };
}

export async function runPostgresBench(opts: { rows?: number } = {}): Promise<object> {
  const rows = opts.rows ?? 1_000_000;
  const base = new URL(process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres()));
  const db = `bench_pg_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const u = new URL(base.toString());
  u.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-pg-bench-'));
  let worker: RunningWorker | null = null;
  try {
    await client.query(`CREATE TABLE public.rows (${DDL})`);
    await client.query(`CREATE TABLE public.rows1 (${DDL})`);
    await client.query(SINGLE_ROW_PROCEDURE);
    await client.query(`CREATE PUBLICATION ${db}_pub FOR ALL TABLES`);
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'tributary.data.dir': dataDir,
        'offset.flush.interval.ms': '1000',
        'tributary.log.sync': 'os',
      },
      { logger: silentLogger },
    );
    const topic = `${db}.public.rows`;

    let streamingResults: object = {};
    if (process.env.BENCH_PG_ONLY === 'snapshot') await client.query(FILL(1, rows));
    else streamingResults = await streamingRuns(worker, base, client, db, topic, rows);
    await client.query('VACUUM ANALYZE public.rows');

    // Snapshot of the same table: COPY to a null sink, the reader alone, then the whole worker into another topic prefix.
    const copy = await copyToNull(client, rows);
    const snapConfig = await connectorConfig(base, db, `${db}_snap`, {
      'snapshot.mode': 'initial_only',
      'publication.autocreate.mode': 'disabled',
      'topic.prefix': `${db}_s`,
      'table.include.list': 'public.rows',
    });
    const reader = await snapshotReaderOnly(snapConfig, rows);
    const t1 = Date.now();
    const cpu1 = process.cpuUsage();
    await post(worker, 'pg-snap', snapConfig);
    await waitForRecords(worker, `${db}_s.public.rows`, rows, 30 * 60_000);
    const snapshot = rate(rows, Date.now() - t1, process.cpuUsage(cpu1));
    const copyAgain = await copyToNull(client, rows);
    const copyRate = copy.rate.rowsPerSec > copyAgain.rate.rowsPerSec ? copy.rate : copyAgain.rate;
    process.stderr.write(
      `postgres snapshot: reader ${reader.rowsPerSec.toLocaleString()} rows/s (${reader.cpuMicrosPerRow} CPU µs each), worker ${snapshot.rowsPerSec.toLocaleString()} rows/s (${snapshot.cpuMicrosPerRow} CPU µs each) vs COPY ${copyRate.rowsPerSec.toLocaleString()} rows/s (${(copy.bytes / 2 ** 20).toFixed(1)} MiB, ${copyRate.cpuMicrosPerRow} CPU µs each on this side)\n`,
    );
    await fetch(`${worker.url}/connectors/pg-snap`, { method: 'DELETE' });
    return {
      rows,
      columns: 10,
      ...streamingResults,
      snapshot: {
        tributary: snapshot,
        copy: copyRate,
        ratio: Number((snapshot.rowsPerSec / copyRate.rowsPerSec).toFixed(3)),
        reader,
        readerRatio: Number((reader.rowsPerSec / copyRate.rowsPerSec).toFixed(3)),
      },
      peakRssMiB: Math.round(peakRss / 2 ** 20),
      atPeakMiB: atPeak
        ? Object.fromEntries(Object.entries(atPeak as NodeJS.MemoryUsage).map(([k, v]) => [k, Math.round(v / 2 ** 20)]))
        : null,
    };
  } finally {
    await worker?.stop();
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runPostgresBench({ rows: process.argv[2] ? Number(process.argv[2]) : undefined });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
