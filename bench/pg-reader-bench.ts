/**
 * The PostgreSQL connector's own hot paths, isolated from the worker: CPU µs per change of the
 * streaming decoder (pgoutput frames → SourceRecords through ChangeStreamer, on a pgoutput stream
 * captured once with pg_logical_slot_peek_binary_changes and replayed from memory) and per row of
 * the snapshot reader (Snapshotter driven directly: COPY text → SourceRecords; this one includes
 * the client side of the COPY wire). No converter, no log. Same 10-column table as
 * bench/postgres-bench.ts.
 *
 * `npx tsx bench/pg-reader-bench.ts [changes] [passes]` (defaults 100000 and 5); the fastest pass
 * is reported next to the median. BENCH_PG_READER_ONLY=streaming or =snapshot runs one of the two. Add `--cpu-prof --cpu-prof-dir bench/results` to node to profile.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { silentLogger } from '../runtime/logging.ts';
import type { SourceRecord } from '../runtime/data/records.ts';
import { parseSettings } from '../connectors/postgres/config.ts';
import { openSqlClient } from '../connectors/postgres/connection.ts';
import { TypeRegistry } from '../connectors/postgres/type-registry.ts';
import { Snapshotter } from '../connectors/postgres/snapshotter.ts';
import { ChangeStreamer } from '../connectors/postgres/streamer.ts';
import { parseLsn } from '../connectors/postgres/protocol/lsn.ts';
import type { ReplicationFrame } from '../connectors/postgres/protocol/replication-frames.ts';

const DDL =
  'id bigint PRIMARY KEY, qty integer NOT NULL, total bigint NOT NULL, ratio double precision NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price numeric(12,2) NOT NULL, updated timestamp NOT NULL, day date NOT NULL';
const FILL = (table: string, from: number, to: number): string =>
  `INSERT INTO public.${table} SELECT g, g % 1000, g * 1000003, g / 7.0, 'C' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'label ' || g END, g % 2 = 0, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365)::int FROM generate_series(${from}::bigint, ${to}::bigint) g`;

interface PassFigures {
  medianCpuMicros: number;
  bestCpuMicros: number;
  medianPerSec: number;
}

function summarize(cpuMicros: number[], wallMs: number[], n: number): PassFigures {
  if (cpuMicros.length === 0) return { medianCpuMicros: 0, bestCpuMicros: 0, medianPerSec: 0 };
  const sorted = [...cpuMicros].sort((a, b) => a - b);
  const walls = [...wallMs].sort((a, b) => a - b);
  return {
    medianCpuMicros: Number((sorted[sorted.length >> 1] / n).toFixed(2)),
    bestCpuMicros: Number((sorted[0] / n).toFixed(2)),
    medianPerSec: Math.round(n / (walls[walls.length >> 1] / 1000)),
  };
}

async function captureFrames(client: pg.Client, slot: string, publication: string): Promise<ReplicationFrame[]> {
  const r = await client.query<{ lsn: string; data: Buffer }>(
    `SELECT lsn::text AS lsn, data FROM pg_logical_slot_peek_binary_changes($1, NULL, NULL, 'proto_version', '1', 'publication_names', $2)`,
    [slot, publication],
  );
  return r.rows.map((row) => {
    const lsn = parseLsn(row.lsn);
    return { type: 'xlogdata', startLsn: lsn, walEnd: lsn, sendTimeMicros: 0n, data: row.data };
  });
}

/** One pass: a fresh streamer (a replayed stream is otherwise skipped as already emitted) over every frame. */
async function streamPass(
  sql: pg.Client,
  settings: ReturnType<typeof parseSettings>,
  types: TypeRegistry,
  frames: ReplicationFrame[],
): Promise<{ records: number; cpu: number; wall: number }> {
  const streamer = new ChangeStreamer(sql, settings, types, silentLogger, {
    lsnCommit: 0n,
    lsn: 0n,
    txId: null,
    txEventsEmitted: 0,
    tsUsec: 0n,
    messageType: null,
  });
  let records = 0;
  let out: SourceRecord[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const f of frames) {
    const p = streamer.handle(f, out);
    if (p) await p;
    if (out.length >= 2048) {
      records += out.length;
      out = [];
    }
  }
  records += out.length;
  const cpu = process.cpuUsage(cpu0);
  return { records, cpu: cpu.user + cpu.system, wall: performance.now() - t0 };
}

async function snapshotPass(
  settings: ReturnType<typeof parseSettings>,
): Promise<{ records: number; cpu: number; wall: number }> {
  const sql = await openSqlClient(settings);
  try {
    const types = new TypeRegistry();
    await types.load(sql);
    const snapshotter = new Snapshotter(sql, settings, types);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await snapshotter.begin(null);
    let records = 0;
    for (let batch = await snapshotter.next(2048); batch !== null; batch = await snapshotter.next(2048))
      records += batch.length;
    const cpu = process.cpuUsage(cpu0);
    return { records, cpu: cpu.user + cpu.system, wall: performance.now() - t0 };
  } finally {
    await sql.end();
  }
}

export async function runPgReaderBench(opts: { changes?: number; passes?: number } = {}): Promise<object> {
  const changes = opts.changes ?? 100_000;
  const passes = opts.passes ?? 5;
  const base = new URL(process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres()));
  const db = `bench_pgr_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  const u = new URL(base.toString());
  u.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await client.query(`CREATE TABLE public.rows (${DDL})`);
    await client.query(`CREATE PUBLICATION ${db}_pub FOR ALL TABLES`);
    await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [`${db}_slot`]);
    // The test server runs synchronous_commit=off: the SQL decoding functions read only flushed WAL.
    await client.query('SET synchronous_commit = on');
    await client.query(FILL('rows', 1, changes));
    const frames = await captureFrames(client, `${db}_slot`, `${db}_pub`);
    if (frames.length < changes) throw new Error(`captured ${frames.length} pgoutput messages for ${changes} changes`);
    await client.query('SELECT pg_drop_replication_slot($1)', [`${db}_slot`]);
    await client.query('VACUUM ANALYZE public.rows');

    const settings = parseSettings({
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': u.hostname,
      'database.port': u.port,
      'database.user': decodeURIComponent(u.username),
      'database.password': decodeURIComponent(u.password),
      'database.dbname': db,
      'topic.prefix': db,
      'slot.name': `${db}_slot`,
      'publication.name': `${db}_pub`,
      'table.include.list': 'public.rows',
    });
    const sql = await openSqlClient(settings);
    const types = new TypeRegistry();
    await types.load(sql);
    const sCpu: number[] = [];
    const sWall: number[] = [];
    const only = process.env.BENCH_PG_READER_ONLY;
    for (let i = 0; i < (only === 'snapshot' ? 0 : passes); i++) {
      const p = await streamPass(sql, settings, types, frames);
      if (p.records !== changes) throw new Error(`streaming pass produced ${p.records} of ${changes} records`);
      sCpu.push(p.cpu);
      sWall.push(p.wall);
    }
    await sql.end();
    const nCpu: number[] = [];
    const nWall: number[] = [];
    for (let i = 0; i < (only === 'streaming' ? 0 : passes); i++) {
      const p = await snapshotPass(settings);
      if (p.records !== changes) throw new Error(`snapshot pass produced ${p.records} of ${changes} records`);
      nCpu.push(p.cpu);
      nWall.push(p.wall);
    }
    const streaming = summarize(sCpu, sWall, changes);
    const snapshot = summarize(nCpu, nWall, changes);
    process.stderr.write(
      `postgres reader, ${changes} changes × ${passes} passes: streaming decoder ${streaming.medianCpuMicros} CPU µs/change (best ${streaming.bestCpuMicros}), snapshot reader ${snapshot.medianCpuMicros} CPU µs/row (best ${snapshot.bestCpuMicros})\n`,
    );
    return { changes, passes, frames: frames.length, streaming, snapshot };
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runPgReaderBench({
    changes: process.argv[2] ? Number(process.argv[2]) : undefined,
    passes: process.argv[3] ? Number(process.argv[3]) : undefined,
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
