/**
 * End to end against the peer: Debezium's embedded engine writing to Kafka with Kafka's Java producer
 * (bench/java/DebeziumToKafka.java) next to Tributary (a standalone worker process with
 * bootstrap.servers set), both with JsonConverter schemas on for keys and values, on the same table
 * (10 mixed-type columns) and the same changes, one after the other:
 *  - PostgreSQL (Debezium 3.6.1.Final): snapshot, `snapshot.mode=initial` of an N-row table; streaming,
 *    two slots made before M inserts (1,000 per transaction), then each peer starts with
 *    `snapshot.mode=no_data` on its slot and catches up;
 *  - MariaDB (Debezium 3.5.0.Final): snapshot as above; each peer is then stopped, the M inserts
 *    are made, and each restarts from its stored binlog position and catches up.
 * Each peer runs in a process of its own, so CPU seconds and peak RSS (VmHWM) are its own.
 * records/s counts from the first record in the topic to the last (start-up excluded); the rate from
 * launch is reported too. Uses the test setup's PostgreSQL, MariaDB and Kafka (started if needed).
 * `npx tsx bench/kafka-e2e-bench.ts [rows] [changes] [postgres|mariadb…]` runs it alone.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import mysql from 'mysql2/promise';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureKafka } from '../test/setup/kafka.ts';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { ensureMariadb } from '../test/setup/mariadb.ts';
import { startWorkerProcess } from '../test/helpers/worker-process.ts';
import { debeziumClasspath, startDebezium, DEBEZIUM_VERSIONS } from './kafka-e2e/debezium-harness.ts';
import { cpuSeconds, load1, peakRssMiB } from './kafka-e2e/process-stats.ts';
import { threeConnectorsRss } from './kafka-e2e/three-connectors.ts';
import { distState } from '../cli/dist-freshness.js';
import { freePort } from '../test/helpers/free-port.ts';

const DDL =
  'id bigint PRIMARY KEY, qty integer NOT NULL, total bigint NOT NULL, ratio double precision NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price numeric(12,2) NOT NULL, updated timestamp NOT NULL, day date NOT NULL';
const ROW_EXPRS = `g, g % 1000, g * 1000003, g / 7.0, 'C' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'label ' || g END, g % 2 = 0, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365)::int`;
/** Inserts ids a..b, committing every 1,000 rows inside the server (no client round trip per transaction). */
const FILL_PROCEDURE = `CREATE PROCEDURE public.fill(a bigint, b bigint) LANGUAGE plpgsql AS $$ DECLARE i bigint := a; BEGIN WHILE i <= b LOOP INSERT INTO public.rows SELECT ${ROW_EXPRS} FROM generate_series(i, LEAST(i + 999, b)) g; COMMIT; i := i + 1000; END LOOP; END $$`;

interface Run {
  records: number;
  recordsPerSec: number;
  recordsPerSecFromLaunch: number;
  /** The rate over the second half of the records: the JVM (and V8) warmed up. */
  warmRecordsPerSec: number;
  /** The process's CPU per record over the second half of the records (start-up and warm-up excluded). */
  warmCpuMicrosPerRecord: number;
  firstRecordAfterSec: number;
  secondsFirstToLast: number;
  cpuSeconds: number;
  cpuPercentOfOneCore: number;
  peakRssMiB: number;
  load1AtStart: number;
  load1AtEnd: number;
}

/**
 * Counts a topic's records. kafkajs's admin refreshes the metadata of every topic it has read;
 * once one of them is deleted (a topic of an earlier run removed by hand) every request fails with
 * "This server does not host this topic-partition": the admin is then replaced by a new one.
 */
interface RecordCounter {
  /** Records delivered so far; null while they cannot be read (`lastError` says why). */
  count(topic: string): Promise<number | null>;
  lastError: string;
}

class TopicCounter implements RecordCounter {
  admin: Admin;
  lastError = '';
  constructor(private readonly kafka: Kafka) {
    this.admin = kafka.admin();
  }

  /** The topic's record count; null while it cannot be read (not created yet, or an error: `lastError`). */
  async count(topic: string): Promise<number | null> {
    try {
      return (await this.admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
    } catch (err) {
      this.lastError = (err as Error).message;
      if (/does not host this topic-partition/.test(this.lastError)) {
        await this.admin.disconnect().catch(() => undefined);
        this.admin = this.kafka.admin();
        await this.admin.connect();
      }
      return null;
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );
}

async function stop(child: ChildProcess): Promise<void> {
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await gone;
  clearTimeout(timer);
}

/** Waits until `topic` holds `from + n` records, timing from `launchedAt`; `failure()` names a failed run early. */
async function measure(
  counter: RecordCounter,
  child: ChildProcess,
  topic: string,
  from: number,
  n: number,
  launchedAt: number,
  failure: () => Promise<string | null>,
  load1AtStart: number,
): Promise<Run> {
  const deadline = launchedAt + 60 * 60_000;
  let first = 0;
  let half = 0;
  let cpuAtHalf = 0;
  let haveAtHalf = 0;
  let lastCheck = 0;
  let lastRead = Date.now();
  for (;;) {
    const count = await counter.count(topic);
    const now = Date.now();
    if (count !== null) lastRead = now;
    else if (now - lastRead > 300_000)
      throw new Error(`cannot read the end offset of ${topic} for 5 minutes: ${counter.lastError}`);
    const have = (count ?? 0) - from;
    if (have > 0 && !first) first = now;
    if (have >= n / 2 && !half) {
      half = now;
      haveAtHalf = have;
      cpuAtHalf = cpuSeconds(child.pid!);
    }
    if (have >= n) break;
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `the process writing ${topic} exited (${child.exitCode ?? child.signalCode}) with ${have}/${n} records`,
      );
    if (now - lastCheck > 2000) {
      lastCheck = now;
      const why = await failure();
      if (why) throw new Error(`${topic}: ${why} (${have}/${n} records delivered)`);
    }
    if (now > deadline) throw new Error(`timed out: ${have}/${n} records on ${topic}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const done = Date.now();
  const cpu = cpuSeconds(child.pid!);
  const rss = peakRssMiB(child.pid!);
  const firstToLast = Math.max((done - first) / 1000, 0.001);
  return {
    records: n,
    recordsPerSec: Math.round(n / firstToLast),
    recordsPerSecFromLaunch: Math.round(n / ((done - launchedAt) / 1000)),
    warmRecordsPerSec: Math.round((n - haveAtHalf) / Math.max((done - half) / 1000, 0.001)),
    warmCpuMicrosPerRecord: Number((((cpu - cpuAtHalf) * 1e6) / Math.max(n - haveAtHalf, 1)).toFixed(1)),
    firstRecordAfterSec: (first - launchedAt) / 1000,
    secondsFirstToLast: firstToLast,
    cpuSeconds: cpu,
    cpuPercentOfOneCore: Math.round((cpu / ((done - launchedAt) / 1000)) * 100),
    peakRssMiB: rss,
    load1AtStart,
    load1AtEnd: load1(),
  };
}

type Outcome = Run | { error: string };

/**
 * Where the peers write: Kafka (records counted in the topic), or "null": Debezium's engine hands
 * its batches to a null sink (records counted by the harness) and Tributary writes to its embedded
 * log (records counted by the task's source-record-write-total metric).
 */
type Sink = { kind: 'kafka'; brokers: string; counter: TopicCounter } | { kind: 'null' };

/** Counts what one process delivered since it started, on top of the `from` records delivered before. */
class ProcessCounter implements RecordCounter {
  lastError = '';
  constructor(
    private readonly from: number,
    private readonly read: () => Promise<number>,
  ) {}
  async count(): Promise<number | null> {
    try {
      return this.from + (await this.read());
    } catch (err) {
      this.lastError = (err as Error).message;
      return null;
    }
  }
}

/** The records task 0 of `connector` has written, from the worker's Jolokia view of its metrics. */
async function sourceRecordsWritten(port: number, connector: string): Promise<number> {
  const mbean = `kafka.connect:type=source-task-metrics,connector=${connector},task=0`;
  const res = await fetch(`http://127.0.0.1:${port}/jolokia/read/${mbean}/source-record-write-total`);
  const body = (await res.json()) as { status: number; value?: number; error?: string };
  if (body.status !== 200) throw new Error(`${mbean}: ${body.error ?? body.status}`);
  return body.value ?? 0;
}

/** Starts Debezium or a Tributary worker, measures until the records are delivered, stops it (SIGTERM: offsets flushed). */
class Peers {
  readonly children: ChildProcess[] = [];
  constructor(
    private readonly sink: Sink,
    readonly dir: string,
  ) {}

  async debezium(
    classpath: string,
    props: Record<string, string>,
    topic: string,
    from: number,
    n: number,
  ): Promise<Outcome> {
    // KAFKA_E2E_TRIBUTARY_ONLY=1: a diagnostic run of Tributary alone (no ratio).
    if (process.env.KAFKA_E2E_TRIBUTARY_ONLY === '1') return { error: 'not run (KAFKA_E2E_TRIBUTARY_ONLY=1)' };
    const at = load1();
    const launchedAt = Date.now();
    let seen = 0;
    const child = startDebezium(
      classpath,
      {
        'key.converter.schemas.enable': 'true',
        'value.converter.schemas.enable': 'true',
        'offset.flush.interval.ms': '1000',
        ...props,
      },
      this.sink.kind === 'kafka' ? this.sink.brokers : 'none',
      this.dir,
      this.sink.kind === 'null' ? (records) => (seen = records) : undefined,
    );
    this.children.push(child);
    const counter = this.sink.kind === 'kafka' ? this.sink.counter : new ProcessCounter(from, async () => seen);
    try {
      return await measure(counter, child, topic, from, n, launchedAt, async () => null, at);
    } catch (err) {
      const log = path.join(this.dir, `${props.name}.log`);
      return failed(
        `Debezium ${props.name}: ${(err as Error).message}`,
        fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-3000) : '',
      );
    } finally {
      await stop(child);
    }
  }

  /** A worker process in `workDir` (kept, so a second run resumes from its offsets) with one source connector. */
  async tributary(
    workDir: string,
    name: string,
    config: Record<string, string>,
    topic: string,
    from: number,
    n: number,
  ): Promise<Outcome> {
    fs.mkdirSync(workDir, { recursive: true });
    const port = await freePort();
    // KAFKA_E2E_TRIBUTARY_PRODUCER: extra worker producer.* settings, e.g. "max.in.flight.requests.per.connection=1,batch.size=65536".
    const producer = (process.env.KAFKA_E2E_TRIBUTARY_PRODUCER ?? '')
      .split(',')
      .filter((kv) => kv.includes('='))
      .map((kv) => `producer.${kv.trim()}`);
    fs.writeFileSync(
      path.join(workDir, 'worker.properties'),
      [
        `listeners=http://127.0.0.1:${port}`,
        ...(this.sink.kind === 'kafka' ? [`bootstrap.servers=${this.sink.brokers}`] : []),
        `tributary.data.dir=${path.join(workDir, 'data')}`,
        'offset.flush.interval.ms=1000',
        'tributary.log.level=warn',
        ...producer,
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(workDir, 'source.json'),
      JSON.stringify({
        name,
        config: {
          'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'key.converter.schemas.enable': 'true',
          'value.converter.schemas.enable': 'true',
          ...config,
          // KAFKA_E2E_TRIBUTARY_CONNECTOR: extra connector settings, e.g. "max.queue.size=2048,max.batch.size=512".
          ...Object.fromEntries(
            (process.env.KAFKA_E2E_TRIBUTARY_CONNECTOR ?? '')
              .split(',')
              .filter((kv) => kv.includes('='))
              .map((kv) => [kv.slice(0, kv.indexOf('=')).trim(), kv.slice(kv.indexOf('=') + 1).trim()]),
          ),
        },
      }),
    );
    const at = load1();
    const launchedAt = Date.now();
    const child = withNodeOptions(process.env.KAFKA_E2E_TRIBUTARY_NODE_OPTIONS, () =>
      startWorkerProcess(workDir, ['source.json']),
    );
    this.children.push(child);
    const failure = async (): Promise<string | null> => {
      const res = await fetch(`http://127.0.0.1:${port}/connectors/${name}/status`).catch(() => null);
      if (!res || res.status !== 200) return null;
      const status = (await res.json()) as {
        connector: { state: string; trace?: string };
        tasks: { state: string; trace?: string }[];
      };
      const bad = [status.connector, ...status.tasks].find((x) => x.state === 'FAILED');
      return bad ? `FAILED: ${(bad.trace ?? '').split('\n')[0]}` : null;
    };
    const counter =
      this.sink.kind === 'kafka' ? this.sink.counter : new ProcessCounter(from, () => sourceRecordsWritten(port, name));
    try {
      return await measure(counter, child, topic, from, n, launchedAt, failure, at);
    } catch (err) {
      const log = path.join(workDir, 'worker.log');
      return failed(
        `Tributary ${name}: ${(err as Error).message}`,
        fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-3000) : '',
      );
    } finally {
      await stop(child);
    }
  }

  async stopAll(): Promise<void> {
    for (const child of this.children) if (child.exitCode === null && child.signalCode === null) await stop(child);
  }
}

/** Runs `start` (a synchronous spawn) with NODE_OPTIONS extended by `extra` (KAFKA_E2E_TRIBUTARY_NODE_OPTIONS: V8 flags for the worker). */
function withNodeOptions<T>(extra: string | undefined, start: () => T): T {
  if (!extra) return start();
  const before = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = [before, extra].filter(Boolean).join(' ');
  try {
    return start();
  } finally {
    if (before === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = before;
  }
}

function failed(message: string, logTail: string): { error: string } {
  process.stderr.write(`${message}\n${logTail}\n`);
  return { error: message };
}

const ratio = (t: Outcome, d: Outcome, key: 'recordsPerSec' | 'recordsPerSecFromLaunch' | 'warmRecordsPerSec') =>
  'error' in t || 'error' in d ? null : Number((t[key] / d[key]).toFixed(3));
const compare = (debezium: Outcome, tributary: Outcome) => ({
  debezium,
  tributary,
  ratio: ratio(tributary, debezium, 'recordsPerSec'),
  ratioFromLaunch: ratio(tributary, debezium, 'recordsPerSecFromLaunch'),
  ratioWarm: ratio(tributary, debezium, 'warmRecordsPerSec'),
  cpuPerRecordRatio:
    'error' in tributary || 'error' in debezium
      ? null
      : Number((tributary.cpuSeconds / debezium.cpuSeconds).toFixed(3)),
});
const describe = (o: Outcome) =>
  'error' in o
    ? `FAILED (${o.error})`
    : `${o.recordsPerSec.toLocaleString('en-US')} rec/s (warm ${o.warmRecordsPerSec.toLocaleString('en-US')}), ${((o.cpuSeconds * 1e6) / o.records).toFixed(1)} CPU µs/record from launch (warm ${o.warmCpuMicrosPerRecord}), ${o.peakRssMiB} MiB peak RSS`;
function report(what: string, c: ReturnType<typeof compare>): void {
  process.stderr.write(
    `e2e ${what}: tributary ${describe(c.tributary)} vs debezium ${describe(c.debezium)}; ratio ${c.ratio ?? 'n/a'}, warm ${c.ratioWarm ?? 'n/a'}\n`,
  );
}

/** PostgreSQL: snapshot with snapshot.mode=initial; streaming from slots made before the changes, snapshot.mode=no_data. */
async function postgresScenario(peers: Peers, rows: number, changes: number, runs: string[]): Promise<object> {
  const base = new URL(process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres()));
  const classpath = debeziumClasspath('postgres');
  const db = `bench_e2e_${randomBytes(3).toString('hex')}`;
  runs.push(db);
  const pgAdmin = new pg.Client({ connectionString: base.toString() });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE DATABASE ${db}`);
  const dbUrl = new URL(base.toString());
  dbUrl.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  const common = {
    'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
    'database.hostname': base.hostname,
    'database.port': base.port,
    'database.user': decodeURIComponent(base.username),
    'database.password': decodeURIComponent(base.password),
    'database.dbname': db,
    'publication.name': `${db}_pub`,
    'publication.autocreate.mode': 'disabled',
    'plugin.name': 'pgoutput',
    'table.include.list': 'public.rows',
  };
  const dbzProps = (name: string, mode: string) => ({
    name,
    'offset.storage': 'org.apache.kafka.connect.storage.MemoryOffsetBackingStore',
    ...common,
    'topic.prefix': name,
    'slot.name': name,
    'snapshot.mode': mode,
  });
  const tribConfig = (name: string, mode: string) => ({
    ...common,
    'topic.prefix': name,
    'slot.name': name,
    'snapshot.mode': mode,
  });
  const dropSlot = (slot: string) =>
    client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);
  try {
    await client.query(`CREATE TABLE public.rows (${DDL})`);
    await client.query(FILL_PROCEDURE);
    await client.query(`CREATE PUBLICATION ${db}_pub FOR TABLE public.rows`);
    await client.query(
      `INSERT INTO public.rows SELECT ${ROW_EXPRS} FROM generate_series(1::bigint, ${rows}::bigint) g`,
    );
    await client.query('VACUUM ANALYZE public.rows');

    const [ds, ts] = [`${db}_dbz_snap`, `${db}_trib_snap`];
    const snapDbz = await peers.debezium(classpath, dbzProps(ds, 'initial'), `${ds}.public.rows`, 0, rows);
    await dropSlot(ds);
    const snapTrib = await peers.tributary(
      path.join(peers.dir, ts),
      ts,
      tribConfig(ts, 'initial'),
      `${ts}.public.rows`,
      0,
      rows,
    );
    await dropSlot(ts);
    // The snapshot's reference in the same run: PostgreSQL's own COPY of the same table, read by
    // this process and dropped (pg-copy-streams, no parsing).
    const copyStart = performance.now();
    await pipeline(
      client.query(copyStreams.to('COPY (SELECT * FROM public.rows) TO STDOUT')),
      new Writable({ write: (_chunk, _enc, done) => done() }),
    );
    const copySeconds = (performance.now() - copyStart) / 1000;
    const copy = { rows, seconds: +copySeconds.toFixed(3), rowsPerSec: Math.round(rows / copySeconds) };
    process.stderr.write(`e2e postgres COPY of the snapshot's table: ${copy.rowsPerSec.toLocaleString()} rows/s\n`);

    const [dst, tst] = [`${db}_dbz_str`, `${db}_trib_str`];
    for (const slot of [dst, tst])
      await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
    await client.query('CALL public.fill($1, $2)', [rows + 1, rows + changes]);
    const streamDbz = await peers.debezium(classpath, dbzProps(dst, 'no_data'), `${dst}.public.rows`, 0, changes);
    await dropSlot(dst);
    const streamTrib = await peers.tributary(
      path.join(peers.dir, tst),
      tst,
      tribConfig(tst, 'no_data'),
      `${tst}.public.rows`,
      0,
      changes,
    );
    await dropSlot(tst);
    const result = {
      debezium: `debezium-embedded + debezium-connector-postgres ${DEBEZIUM_VERSIONS.postgres}`,
      snapshot: compare(snapDbz, snapTrib),
      snapshotCopy: copy,
      streaming: compare(streamDbz, streamTrib),
    };
    report(`postgres snapshot ${rows}`, result.snapshot);
    report(`postgres streaming ${changes}`, result.streaming);
    return result;
  } finally {
    await peers.stopAll();
    await client.end();
    await pgAdmin
      .query(
        'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active',
        [db],
      )
      .catch(() => undefined);
    await pgAdmin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await pgAdmin.end();
  }
}

const MARIADB_DDL =
  'id BIGINT PRIMARY KEY, qty INT NOT NULL, total BIGINT NOT NULL, ratio DOUBLE NOT NULL, code VARCHAR(40) NOT NULL, label VARCHAR(100), active TINYINT(1) NOT NULL, price DECIMAL(12,2) NOT NULL, updated DATETIME(3) NOT NULL, day DATE NOT NULL';
const MARIADB_ROWS = (from: number, to: number) =>
  `INSERT INTO \`rows\` SELECT seq, seq % 1000, seq * 1003, seq / 7, CONCAT('C', seq), IF(seq % 10 = 0, NULL, CONCAT('label ', seq)), seq % 2, (seq % 100000) + 0.25, TIMESTAMP'2024-01-01 00:00:00.123' + INTERVAL seq SECOND, DATE'2024-01-01' + INTERVAL (seq % 365) DAY FROM seq_${from}_to_${to}`;

/**
 * MariaDB: snapshot with snapshot.mode=initial; each peer is then stopped (offsets and schema
 * history kept in files), the changes are made, and each restarts and catches up from its binlog position.
 */
async function mariadbScenario(peers: Peers, rows: number, changes: number, runs: string[]): Promise<object> {
  const url = new URL(process.env.TRIBUTARY_TEST_MYSQL_URL ?? (await ensureMariadb()));
  const classpath = debeziumClasspath('mariadb');
  const db = `bench_e2e_${randomBytes(3).toString('hex')}`;
  runs.push(db);
  const conn = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  const common = {
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'database.hostname': url.hostname,
    'database.port': url.port,
    'database.user': decodeURIComponent(url.username),
    'database.password': decodeURIComponent(url.password),
    'database.include.list': db,
    'table.include.list': `${db}.rows`,
    'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
  };
  const props = (name: string, serverId: number) => ({
    ...common,
    'topic.prefix': name,
    'database.server.id': String(serverId),
    'snapshot.mode': 'initial',
    'schema.history.internal.file.filename': path.join(peers.dir, `${name}-history.dat`),
  });
  const dbz = (name: string) => ({
    name,
    ...props(name, 20001),
    'offset.storage': 'org.apache.kafka.connect.storage.FileOffsetBackingStore',
    'offset.storage.file.filename': path.join(peers.dir, `${name}-offsets.dat`),
    // The binlog is the whole server's: DDL that other sessions run on the shared test server and
    // Debezium's grammar cannot parse (seen: ALTER TABLE … ADD SYSTEM VERSIONING) would stop its
    // streaming; the bench's own table is plain.
    'schema.history.internal.skip.unparseable.ddl': 'true',
  });
  try {
    await conn.query(`CREATE DATABASE ${db}`);
    await conn.query(`USE ${db}`);
    await conn.query(`CREATE TABLE \`rows\` (${MARIADB_DDL})`);
    for (let from = 1; from <= rows; from += 100_000)
      await conn.query(MARIADB_ROWS(from, Math.min(from + 99_999, rows)));

    const [d, t] = [`${db}_dbz`, `${db}_trib`];
    const snapDbz = await peers.debezium(classpath, dbz(d), `${d}.${db}.rows`, 0, rows);
    const snapTrib = await peers.tributary(path.join(peers.dir, t), t, props(t, 20002), `${t}.${db}.rows`, 0, rows);
    for (let from = rows + 1; from <= rows + changes; from += 1000)
      await conn.query(MARIADB_ROWS(from, Math.min(from + 999, rows + changes)));
    const streamDbz =
      'error' in snapDbz && process.env.KAFKA_E2E_TRIBUTARY_ONLY !== '1'
        ? snapDbz
        : await peers.debezium(classpath, dbz(d), `${d}.${db}.rows`, rows, changes);
    const streamTrib =
      'error' in snapTrib
        ? snapTrib
        : await peers.tributary(path.join(peers.dir, t), t, props(t, 20002), `${t}.${db}.rows`, rows, changes);
    const result = {
      debezium: `debezium-embedded + debezium-connector-mariadb ${DEBEZIUM_VERSIONS.mariadb}`,
      snapshot: compare(snapDbz, snapTrib),
      streaming: compare(streamDbz, streamTrib),
    };
    report(`mariadb snapshot ${rows}`, result.snapshot);
    report(`mariadb streaming ${changes}`, result.streaming);
    return result;
  } finally {
    await peers.stopAll();
    await conn.query(`DROP DATABASE IF EXISTS ${db}`).catch(() => undefined);
    await conn.end();
  }
}

/**
 * `sink: 'null'` (the `peers` benchmark) runs the same scenarios without Kafka: Debezium's engine
 * into a null sink, Tributary into its embedded log; results in bench/results/peers.json.
 */
export async function runKafkaE2eBench(
  opts: { rows?: number; changes?: number; databases?: Array<'postgres' | 'mariadb'>; sink?: 'kafka' | 'null' } = {},
): Promise<object> {
  const rows = opts.rows ?? 1_000_000;
  const changes = opts.changes ?? 1_000_000;
  const databases = opts.databases ?? ['postgres', 'mariadb'];
  let sink: Sink = { kind: 'null' };
  let counter: TopicCounter | null = null;
  if (opts.sink !== 'null') {
    const brokers = process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? (await ensureKafka());
    counter = new TopicCounter(new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }));
    await counter.admin.connect();
    sink = { kind: 'kafka', brokers, counter };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-e2e-'));
  /** The databases made by this run: their topics are deleted at the end. */
  const runs: string[] = [];
  try {
    const result: Record<string, unknown> = {
      date: new Date().toISOString(),
      rows,
      changes,
      columns: 10,
      converter: 'JsonConverter, schemas on (key and value)',
      sink:
        sink.kind === 'kafka'
          ? 'Kafka (the test broker)'
          : "null: Debezium's engine hands each batch to a sink that drops it; Tributary writes to its embedded log (durable, with checksums), as a single-machine install does",
      producers:
        "Debezium: Kafka Java producer (kafka-clients of the Debezium release) with Kafka Connect worker overrides (acks=all, max.in.flight=1, delivery.timeout unbounded) and idempotence, the client's defaults otherwise (batch.size 16384, linger.ms 5 in kafka-clients 4.x), JVM defaults; Tributary: the worker's Kafka transport defaults (batch.size 16384, linger.ms 0, idempotent, max.in.flight 5, buffer.memory 32 MiB)",
      producerVariants: {
        debeziumMaxInFlight: process.env.KAFKA_E2E_DEBEZIUM_MAX_IN_FLIGHT ?? '1',
        tributaryProducer: process.env.KAFKA_E2E_TRIBUTARY_PRODUCER ?? '',
        tributaryConnector: process.env.KAFKA_E2E_TRIBUTARY_CONNECTOR ?? '',
        tributaryNodeOptions: process.env.KAFKA_E2E_TRIBUTARY_NODE_OPTIONS ?? '',
      },
      // cli/bin.js runs the compiled dist/ only when it was built from the current sources.
      tributaryCode:
        distState() === 'fresh' ? 'dist/ (compiled)' : 'TypeScript sources through tsx (dist/ stale or absent)',
      machine: { cpus: os.cpus().length, load1AtStart: load1() },
    };
    const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
    fs.mkdirSync(out, { recursive: true });
    for (const database of databases) {
      result[database] =
        database === 'postgres'
          ? await postgresScenario(new Peers(sink, fs.mkdtempSync(path.join(dir, 'pg-'))), rows, changes, runs)
          : await mariadbScenario(new Peers(sink, fs.mkdtempSync(path.join(dir, 'mariadb-'))), rows, changes, runs);
      (result.machine as Record<string, number>).load1AtEnd = load1();
      // Written after each database, so a long run keeps what it measured so far.
      fs.writeFileSync(
        path.join(out, sink.kind === 'kafka' ? 'kafka-e2e.json' : 'peers.json'),
        JSON.stringify(result, null, 2) + '\n',
      );
    }
    if (sink.kind === 'null' && !process.env.BENCH_SKIP_RSS) {
      result.threeConnectors = await threeConnectorsRss({
        pgUrl: new URL(process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres())),
        mariadbUrl: new URL(process.env.TRIBUTARY_TEST_MYSQL_URL ?? (await ensureMariadb())),
        dir,
      }).catch((err: Error) => ({ error: err.message }));
      process.stderr.write(`e2e three connectors: ${JSON.stringify(result.threeConnectors)}\n`);
      fs.writeFileSync(path.join(out, 'peers.json'), JSON.stringify(result, null, 2) + '\n');
    }
    return result;
  } finally {
    if (counter) {
      const admin = counter.admin;
      const topics = (await admin.listTopics().catch(() => [] as string[])).filter((t) =>
        runs.some((db) => t.startsWith(`${db}_`)),
      );
      if (topics.length) await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dbs = process.argv.slice(4).filter((a): a is 'postgres' | 'mariadb' => a === 'postgres' || a === 'mariadb');
  const result = await runKafkaE2eBench({
    rows: process.argv[2] ? Number(process.argv[2]) : undefined,
    changes: process.argv[3] ? Number(process.argv[3]) : undefined,
    databases: dbs.length ? dbs : undefined,
    sink: process.argv.includes('--null-sink') ? 'null' : 'kafka',
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
