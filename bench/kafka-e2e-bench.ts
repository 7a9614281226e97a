/**
 * End to end against the peer: PostgreSQL → Kafka by Debezium's embedded engine with Kafka's Java
 * producer (bench/java/DebeziumToKafka.java) next to Tributary (a standalone worker process with
 * bootstrap.servers set), both with JsonConverter schemas on for keys and values, on the same table
 * and the same WAL:
 *  - snapshot: `snapshot.mode=initial` of an N-row table, each into its own topic;
 *  - streaming: two slots made before M inserts (committed 1,000 per transaction), then each reader
 *    starts with `snapshot.mode=no_data` on its slot and catches up.
 * Each runs in a process of its own, one after the other, so CPU seconds and peak RSS (VmHWM) are its
 * own. records/s counts from the first record in the topic to the last (start-up excluded); the rate
 * from launch is reported too. Uses the test setup's PostgreSQL and Kafka (started if needed).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { ensureKafka } from '../test/setup/kafka.ts';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { startWorkerProcess } from '../test/helpers/worker-process.ts';
import { debeziumClasspath, startDebezium, DEBEZIUM_POSTGRES_VERSION } from './kafka-e2e/debezium-harness.ts';
import { cpuSeconds, load1, peakRssMiB } from './kafka-e2e/process-stats.ts';

const DDL = 'id bigint PRIMARY KEY, qty integer NOT NULL, total bigint NOT NULL, ratio double precision NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price numeric(12,2) NOT NULL, updated timestamp NOT NULL, day date NOT NULL';
const ROW_EXPRS = `g, g % 1000, g * 1000003, g / 7.0, 'C' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'label ' || g END, g % 2 = 0, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365)::int`;
/** Inserts ids a..b, committing every 1,000 rows inside the server (no client round trip per transaction). */
const FILL_PROCEDURE = `CREATE PROCEDURE public.fill(a bigint, b bigint) LANGUAGE plpgsql AS $$ DECLARE i bigint := a; BEGIN WHILE i <= b LOOP INSERT INTO public.rows SELECT ${ROW_EXPRS} FROM generate_series(i, LEAST(i + 999, b)) g; COMMIT; i := i + 1000; END LOOP; END $$`;

interface Run {
  records: number;
  recordsPerSec: number;
  recordsPerSecFromLaunch: number;
  firstRecordAfterSec: number;
  secondsFirstToLast: number;
  cpuSeconds: number;
  cpuPercentOfOneCore: number;
  peakRssMiB: number;
  load1AtStart: number;
  load1AtEnd: number;
}

async function endOffset(admin: Admin, topic: string): Promise<number> {
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
  } catch {
    return 0;
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

async function stop(child: ChildProcess): Promise<void> {
  const gone = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await gone;
  clearTimeout(timer);
}

/** Waits until `topic` holds `n` records, timing from `launchedAt`; `failure()` names a failed run early. */
async function measure(admin: Admin, child: ChildProcess, topic: string, n: number, launchedAt: number, failure: () => Promise<string | null>, load1AtStart: number): Promise<Run> {
  const deadline = launchedAt + 60 * 60_000;
  let first = 0;
  let lastCheck = 0;
  for (;;) {
    const have = await endOffset(admin, topic);
    const now = Date.now();
    if (have > 0 && !first) first = now;
    if (have >= n) break;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the process writing ${topic} exited (${child.exitCode ?? child.signalCode}) with ${have}/${n} records`);
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
    records: n, recordsPerSec: Math.round(n / firstToLast), recordsPerSecFromLaunch: Math.round(n / ((done - launchedAt) / 1000)),
    firstRecordAfterSec: (first - launchedAt) / 1000, secondsFirstToLast: firstToLast, cpuSeconds: cpu,
    cpuPercentOfOneCore: Math.round((cpu / ((done - launchedAt) / 1000)) * 100), peakRssMiB: rss, load1AtStart, load1AtEnd: load1(),
  };
}

const freePort = (): Promise<number> => new Promise((resolve, reject) => {
  const srv = net.createServer();
  srv.once('error', reject);
  srv.listen(0, '127.0.0.1', () => {
    const port = (srv.address() as net.AddressInfo).port;
    srv.close(() => resolve(port));
  });
});

export async function runKafkaE2eBench(opts: { rows?: number; changes?: number } = {}): Promise<object> {
  const rows = opts.rows ?? 1_000_000;
  const changes = opts.changes ?? 1_000_000;
  const brokers = process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? (await ensureKafka());
  const base = new URL(process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres()));
  const classpath = debeziumClasspath('postgres');
  const db = `bench_e2e_${randomBytes(3).toString('hex')}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-e2e-'));
  const pgAdmin = new pg.Client({ connectionString: base.toString() });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE DATABASE ${db}`);
  const dbUrl = new URL(base.toString());
  dbUrl.pathname = `/${db}`;
  const client = new pg.Client({ connectionString: dbUrl.toString() });
  await client.connect();
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const children: ChildProcess[] = [];
  const common = {
    'database.hostname': base.hostname, 'database.port': base.port, 'database.user': decodeURIComponent(base.username), 'database.password': decodeURIComponent(base.password),
    'database.dbname': db, 'publication.name': `${db}_pub`, 'publication.autocreate.mode': 'disabled', 'plugin.name': 'pgoutput', 'table.include.list': 'public.rows',
  };

  const debezium = async (name: string, slot: string, mode: string, n: number): Promise<Run> => {
    const at = load1();
    const launchedAt = Date.now();
    const child = startDebezium(classpath, {
      name, 'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'offset.storage': 'org.apache.kafka.connect.storage.MemoryOffsetBackingStore', 'offset.flush.interval.ms': '1000',
      ...common, 'topic.prefix': name, 'slot.name': slot, 'snapshot.mode': mode,
      'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true',
    }, brokers, dir);
    children.push(child);
    try {
      return await measure(admin, child, `${name}.public.rows`, n, launchedAt, async () => null, at);
    } catch (err) {
      const logTail = fs.existsSync(path.join(dir, `${name}.log`)) ? fs.readFileSync(path.join(dir, `${name}.log`), 'utf8').slice(-3000) : '';
      throw new Error(`Debezium ${name}: ${(err as Error).message}\n${logTail}`);
    } finally {
      await stop(child);
    }
  };

  const tributary = async (name: string, slot: string, mode: string, n: number): Promise<Run> => {
    const workDir = path.join(dir, name);
    fs.mkdirSync(workDir);
    const port = await freePort();
    fs.writeFileSync(path.join(workDir, 'worker.properties'), [`listeners=http://127.0.0.1:${port}`, `bootstrap.servers=${brokers}`, `tributary.data.dir=${path.join(workDir, 'data')}`, 'offset.flush.interval.ms=1000', 'tributary.log.level=warn', ''].join('\n'));
    fs.writeFileSync(path.join(workDir, 'source.json'), JSON.stringify({ name, config: {
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector', ...common, 'topic.prefix': name, 'slot.name': slot, 'snapshot.mode': mode,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true',
    } }));
    const at = load1();
    const launchedAt = Date.now();
    const child = startWorkerProcess(workDir, ['source.json']);
    children.push(child);
    const failure = async (): Promise<string | null> => {
      const res = await fetch(`http://127.0.0.1:${port}/connectors/${name}/status`).catch(() => null);
      if (!res || res.status !== 200) return null;
      const status = (await res.json()) as { connector: { state: string; trace?: string }; tasks: { state: string; trace?: string }[] };
      const failed = [status.connector, ...status.tasks].find((s) => s.state === 'FAILED');
      return failed ? `FAILED: ${(failed.trace ?? '').split('\n')[0]}` : null;
    };
    try {
      return await measure(admin, child, `${name}.public.rows`, n, launchedAt, failure, at);
    } catch (err) {
      const logTail = fs.existsSync(path.join(workDir, 'worker.log')) ? fs.readFileSync(path.join(workDir, 'worker.log'), 'utf8').slice(-3000) : '';
      throw new Error(`Tributary ${name}: ${(err as Error).message}\n${logTail}`);
    } finally {
      await stop(child);
    }
  };

  const attempt = async (fn: () => Promise<Run>): Promise<Run | { error: string }> => {
    try {
      return await fn();
    } catch (err) {
      process.stderr.write(`${(err as Error).message}\n`);
      return { error: (err as Error).message.split('\n')[0] };
    }
  };
  const dropSlot = (slot: string) => client.query('SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1', [slot]);

  try {
    await client.query(`CREATE TABLE public.rows (${DDL})`);
    await client.query(FILL_PROCEDURE);
    await client.query(`CREATE PUBLICATION ${db}_pub FOR TABLE public.rows`);
    await client.query(`INSERT INTO public.rows SELECT ${ROW_EXPRS} FROM generate_series(1::bigint, ${rows}::bigint) g`);
    await client.query('VACUUM ANALYZE public.rows');

    const snapDbz = await attempt(() => debezium(`${db}_dbz_snap`, `${db}_dbz_snap`, 'initial', rows));
    await dropSlot(`${db}_dbz_snap`);
    const snapTrib = await attempt(() => tributary(`${db}_trib_snap`, `${db}_trib_snap`, 'initial', rows));
    await dropSlot(`${db}_trib_snap`);

    for (const slot of [`${db}_dbz_str`, `${db}_trib_str`]) await client.query("SELECT pg_create_logical_replication_slot($1, 'pgoutput')", [slot]);
    await client.query('CALL public.fill($1, $2)', [rows + 1, rows + changes]);
    const streamDbz = await attempt(() => debezium(`${db}_dbz_str`, `${db}_dbz_str`, 'no_data', changes));
    await dropSlot(`${db}_dbz_str`);
    const streamTrib = await attempt(() => tributary(`${db}_trib_str`, `${db}_trib_str`, 'no_data', changes));
    await dropSlot(`${db}_trib_str`);

    const ratio = (t: Run | { error: string }, d: Run | { error: string }, key: 'recordsPerSec' | 'recordsPerSecFromLaunch') => ('error' in t || 'error' in d ? null : Number((t[key] / d[key]).toFixed(3)));
    const result = {
      rows, changes, columns: 10, converter: 'JsonConverter, schemas on (key and value)', acks: 'all', idempotent: true,
      debezium: `debezium-embedded + debezium-connector-postgres ${DEBEZIUM_POSTGRES_VERSION}, Kafka Java producer (Connect worker defaults: max.in.flight=1), JVM defaults`,
      snapshot: { debezium: snapDbz, tributary: snapTrib, ratio: ratio(snapTrib, snapDbz, 'recordsPerSec'), ratioFromLaunch: ratio(snapTrib, snapDbz, 'recordsPerSecFromLaunch') },
      streaming: { debezium: streamDbz, tributary: streamTrib, ratio: ratio(streamTrib, streamDbz, 'recordsPerSec'), ratioFromLaunch: ratio(streamTrib, streamDbz, 'recordsPerSecFromLaunch') },
      machine: { cpus: os.cpus().length, load1AtEnd: load1() },
    };
    const line = (what: string, t: Run | { error: string }, d: Run | { error: string }, r: number | null) =>
      `kafka-e2e ${what}: tributary ${'error' in t ? `FAILED (${t.error})` : `${t.recordsPerSec.toLocaleString()} rec/s, ${t.peakRssMiB} MiB peak RSS`} vs debezium ${'error' in d ? `FAILED (${d.error})` : `${d.recordsPerSec.toLocaleString()} rec/s, ${d.peakRssMiB} MiB peak RSS`}; ratio ${r ?? 'n/a'}\n`;
    process.stderr.write(line(`snapshot ${rows}`, snapTrib, snapDbz, result.snapshot.ratio));
    process.stderr.write(line(`streaming ${changes}`, streamTrib, streamDbz, result.streaming.ratio));
    const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, 'kafka-e2e.json'), JSON.stringify(result, null, 2) + '\n');
    return result;
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) await stop(child);
    await admin.disconnect();
    await client.end();
    await pgAdmin.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = $1 AND NOT active`, [db]).catch(() => undefined);
    await pgAdmin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await pgAdmin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runKafkaE2eBench({ rows: process.argv[2] ? Number(process.argv[2]) : undefined, changes: process.argv[3] ? Number(process.argv[3]) : undefined });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
