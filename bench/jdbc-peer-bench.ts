/**
 * The JDBC sink side by side with Debezium's JDBC sink: the same topic of Debezium PostgreSQL change
 * events (JsonConverter, schemas on, as a Debezium source writes them) sunk by each, alone, into its
 * own table of the same PostgreSQL database in upsert mode, both with default batch sizes. Debezium's
 * sink (test/setup/debezium-jdbc-sink.ts, as the differential runs it) in Kafka Connect's
 * ConnectStandalone, Tributary's in `tributary standalone`, each a child process whose CPU time is
 * read from /proc while its group's committed offset is polled.
 *
 * Two rates per side: from the process start to the last offset committed (the catch-up, with start-up
 * and the JVM's warm-up), and the warm rate from the first committed offset at or past 20% of the
 * records to the end (records/s and CPU µs per record over that span).
 * BENCH_JDBC_PROFILE=1 runs Tributary's side under `--cpu-prof` into bench/results/.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import pg from 'pg';
import { bigintToTwosComplement } from '../runtime/data/logical.ts';
import { ensureKafka } from '../test/setup/kafka.ts';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { debeziumJdbcSinkLibs, DEBEZIUM_JDBC_VERSION } from '../test/setup/debezium-jdbc-sink.ts';
import { cpuSeconds, load1, peakRssMiB } from './kafka-e2e/process-stats.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const field = (f: string, type: string, optional: boolean, extra = '') =>
  `{"type":"${type}","optional":${optional},${extra}"field":"${f}"}`;
const ROW_FIELDS = [
  field('id', 'int64', false),
  field('qty', 'int32', false),
  field('total', 'int64', false),
  field('ratio', 'double', false),
  field('code', 'string', false),
  field('label', 'string', true),
  field('active', 'boolean', false),
  field(
    'price',
    'bytes',
    false,
    '"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"12"},',
  ),
  field('updated', 'int64', false, '"name":"io.debezium.time.MicroTimestamp","version":1,'),
  field('day', 'int32', false, '"name":"io.debezium.time.Date","version":1,'),
].join(',');
const rowSchema = (topic: string, f: string) =>
  `{"type":"struct","fields":[${ROW_FIELDS}],"optional":true,"name":"${topic}.Value","field":"${f}"}`;
const SOURCE_FIELDS = [
  field('version', 'string', false),
  field('connector', 'string', false),
  field('name', 'string', false),
  field('ts_ms', 'int64', false),
  field(
    'snapshot',
    'string',
    true,
    '"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental"},"default":"false",',
  ),
  field('db', 'string', false),
  field('sequence', 'string', true),
  field('ts_us', 'int64', true),
  field('ts_ns', 'int64', true),
  field('schema', 'string', false),
  field('table', 'string', false),
  field('txId', 'int64', true),
  field('lsn', 'int64', true),
  field('xmin', 'int64', true),
].join(',');
const envelopeSchema = (topic: string) =>
  `{"type":"struct","fields":[${rowSchema(topic, 'before')},${rowSchema(topic, 'after')},{"type":"struct","fields":[${SOURCE_FIELDS}],"optional":false,"name":"io.debezium.connector.postgresql.Source","field":"source"},{"type":"struct","fields":[${field('id', 'string', false)},${field('total_order', 'int64', false)},${field('data_collection_order', 'int64', false)}],"optional":true,"name":"event.block","version":1,"field":"transaction"},${field('op', 'string', false)},${field('ts_ms', 'int64', true)},${field('ts_us', 'int64', true)},${field('ts_ns', 'int64', true)}],"optional":false,"name":"${topic}.Envelope","version":2}`;

/** Key and value bytes of the i-th change (an insert; pass > 0 updates the same keys). */
function message(topic: string, schemas: { key: string; value: string }, i: number, pass: number) {
  const ms = 1_733_000_000_000 + i;
  const us = BigInt(Date.UTC(2024, 0, 1) + i * 1000 + pass) * 1000n;
  const price = bigintToTwosComplement(BigInt(i % 100_000) * 100n + BigInt(pass)).toString('base64');
  const label = i % 10 === 0 ? 'null' : `"label ${i} pass ${pass}"`;
  const row = `{"id":${i},"qty":${(i * 7 + pass) % 1000},"total":${BigInt(i) * 1_000_003n + BigInt(pass)},"ratio":${i / 7},"code":"C${i.toString(36)}-${pass}","label":${label},"active":${i % 2 === 0},"price":"${price}","updated":${us},"day":${19_723 + (i % 365)}}`;
  const [, schema, table] = topic.split('.');
  const tsNs = `${ms}000${String(i % 1000).padStart(3, '0')}`;
  const source = `{"version":"3.6.1.Final","connector":"postgresql","name":"bench","ts_ms":${ms},"snapshot":"false","db":"bench","sequence":"[\\"${i * 64}\\",\\"${i * 64 + 32}\\"]","ts_us":${ms}000,"ts_ns":${tsNs},"schema":"${schema}","table":"${table}","txId":${1000 + i},"lsn":${i * 64 + 32},"xmin":null}`;
  return {
    key: `{"schema":${schemas.key},"payload":{"id":${i}}}`,
    value: `{"schema":${schemas.value},"payload":{"before":null,"after":${row},"source":${source},"transaction":null,"op":"${pass ? 'u' : 'c'}","ts_ms":${ms + 3},"ts_us":${ms + 3}000,"ts_ns":${ms + 3}000123}}`,
  };
}

async function produce(kafka: Kafka, topic: string, records: number): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const schemas = {
    key: `{"type":"struct","fields":[${field('id', 'int64', false)}],"optional":false,"name":"${topic}.Key"}`,
    value: envelopeSchema(topic),
  };
  let bytes = 0;
  for (let i = 0; i < records; i += 200) {
    const messages = [];
    for (let j = i; j < Math.min(records, i + 200); j++) {
      const m = message(topic, schemas, j, 0);
      bytes += m.key.length + m.value.length;
      messages.push(m);
    }
    await producer.send({ topic, acks: -1, messages });
  }
  await producer.disconnect();
  return Math.round(bytes / records);
}

const props = (entries: Record<string, string>) =>
  Object.entries(entries)
    .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
    .join('\n') + '\n';

async function committed(admin: Admin, group: string, topic: string): Promise<number> {
  const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] }).catch(() => []);
  return Math.max(0, Number(offsets[0]?.partitions[0]?.offset ?? 0));
}

export interface PeerSide {
  records: number;
  /** From the process start to the last offset committed. */
  catchUp: { seconds: number; recordsPerSec: number; cpuSeconds: number; cpuMicrosPerRecord: number };
  /** From the first commit at or past 20% of the records to the last. */
  warm: { records: number; seconds: number; recordsPerSec: number; cpuMicrosPerRecord: number; cores: number };
  peakRssMiB: number;
  rows: number;
}

/** Runs one side's process until its group committed every record, then stops it (SIGTERM). */
async function runSide(
  label: string,
  admin: Admin,
  group: string,
  topic: string,
  records: number,
  start: () => ReturnType<typeof spawn>,
  logFile: string,
): Promise<Omit<PeerSide, 'rows'>> {
  const t0 = performance.now();
  const child = start();
  let exited: string | null = null;
  child.once('exit', (code, signal) => {
    exited = `${label} exited (${code ?? signal}); log ${logFile}`;
  });
  const pid = child.pid!;
  let warmFrom: { t: number; cpu: number; at: number } | null = null;
  let rss = 0;
  const deadline = Date.now() + 30 * 60_000;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, 200));
      if (exited) throw new Error(exited);
      const cpu = cpuSeconds(pid);
      const t = performance.now();
      rss = peakRssMiB(pid);
      const at = await committed(admin, group, topic);
      if (!warmFrom && at >= records * 0.2) warmFrom = { t, cpu, at };
      if (at >= records) {
        const seconds = (t - t0) / 1000;
        const w = warmFrom!;
        const warmRecords = records - w.at;
        const warmSecs = (t - w.t) / 1000;
        return {
          records,
          catchUp: {
            seconds: +seconds.toFixed(2),
            recordsPerSec: Math.round(records / seconds),
            cpuSeconds: +cpu.toFixed(2),
            cpuMicrosPerRecord: +((cpu * 1e6) / records).toFixed(1),
          },
          warm: {
            records: warmRecords,
            seconds: +warmSecs.toFixed(2),
            recordsPerSec: warmSecs > 0 ? Math.round(warmRecords / warmSecs) : 0,
            cpuMicrosPerRecord: warmRecords > 0 ? +(((cpu - w.cpu) * 1e6) / warmRecords).toFixed(1) : 0,
            cores: warmSecs > 0 ? +((cpu - w.cpu) / warmSecs).toFixed(2) : 0,
          },
          peakRssMiB: rss,
        };
      }
      if (Date.now() > deadline) throw new Error(`${label}: ${at} of ${records} records committed after 30 min`);
    }
  } finally {
    if (!exited) {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await gone;
      clearTimeout(kill);
    }
  }
}

export async function runJdbcPeerBench(opts: { records?: number } = {}): Promise<object> {
  const records = opts.records ?? 300_000;
  const brokers = process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? (await ensureKafka());
  const base = process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres());
  const libs = debeziumJdbcSinkLibs();
  const run = randomBytes(3).toString('hex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jdbc-peer-bench-'));
  const topic = `benchjdbc${run}.public.rows`;
  const kafka = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const dbName = `bench_peer_${run}`;
  const pgAdmin = new pg.Client({ connectionString: base });
  await pgAdmin.connect();
  await pgAdmin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(base);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const bytesPerRecord = await produce(kafka, topic, records);
    const connector = (name: string, table: string): Record<string, string> => ({
      name,
      topics: topic,
      'tasks.max': '1',
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'connection.url': `jdbc:postgresql://${url.hostname}:${url.port}/${dbName}`,
      'connection.username': decodeURIComponent(url.username),
      'connection.password': decodeURIComponent(url.password),
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_key',
      'schema.evolution': 'basic',
      'table.name.format': table,
    });
    const worker = (port: number): Record<string, string> => ({
      'bootstrap.servers': brokers,
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'true',
      'value.converter.schemas.enable': 'true',
      'offset.flush.interval.ms': '1000',
      listeners: `http://127.0.0.1:${port}`,
    });
    const out = (f: string) => fs.openSync(path.join(dir, f), 'w');
    const count = async (table: string) =>
      Number((await pgConn(base, dbName, (c) => c.query(`SELECT count(*)::int AS n FROM ${table}`))).rows[0].n);

    const dbzName = `dbz-bench-${run}`;
    fs.writeFileSync(
      path.join(dir, 'dbz-worker.properties'),
      props({
        ...worker(18000 + Math.floor(Math.random() * 2000)),
        'offset.storage.file.filename': path.join(dir, 'connect.offsets'),
        'plugin.discovery': 'only_scan',
      }),
    );
    fs.writeFileSync(path.join(dir, 'dbz.properties'), props(connector(dbzName, 'rows_dbz')));
    const skipDebezium = process.env.BENCH_JDBC_SIDES === 'tributary';
    const debezium = skipDebezium
      ? null
      : await runSide(
          'Debezium JDBC sink',
          admin,
          `connect-${dbzName}`,
          topic,
          records,
          () =>
            spawn(
              'java',
              [
                '-Duser.timezone=UTC',
                '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
                '-cp',
                `${libs}/*`,
                'org.apache.kafka.connect.cli.ConnectStandalone',
                path.join(dir, 'dbz-worker.properties'),
                path.join(dir, 'dbz.properties'),
              ],
              { stdio: ['ignore', out('dbz.log'), out('dbz.err')] },
            ),
          path.join(dir, 'dbz.log'),
        );
    const dbzRows = skipDebezium ? records : await count('rows_dbz');

    const tribName = `trib-bench-${run}`;
    fs.writeFileSync(
      path.join(dir, 'trib-worker.properties'),
      props({ ...worker(0), 'tributary.data.dir': path.join(dir, 'trib-data') }),
    );
    fs.writeFileSync(path.join(dir, 'trib.json'), JSON.stringify(connector(tribName, 'rows_trib')));
    const profile = process.env.BENCH_JDBC_PROFILE === '1';
    const profDir = path.join(ROOT, 'bench', 'results');
    const tributary = await runSide(
      'Tributary JDBC sink',
      admin,
      `connect-${tribName}`,
      topic,
      records,
      () =>
        spawn(
          process.execPath,
          [
            ...(profile
              ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`, `--cpu-prof-name=jdbc-sink-from-kafka-${run}.cpuprofile`]
              : []),
            path.join(ROOT, 'cli', 'bin.js'),
            'standalone',
            path.join(dir, 'trib-worker.properties'),
            path.join(dir, 'trib.json'),
          ],
          { stdio: ['ignore', out('trib.log'), out('trib.err')], env: { ...process.env } },
        ),
      path.join(dir, 'trib.log'),
    );
    const tribRows = await count('rows_trib');
    if (dbzRows !== records || tribRows !== records)
      throw new Error(`JDBC peer bench: expected ${records} rows, Debezium wrote ${dbzRows}, Tributary ${tribRows}`);
    const result = {
      records,
      bytesPerRecord,
      topic: 'one partition, Debezium PostgreSQL envelopes (JsonConverter, schemas on), inserts of a 10-column row',
      debezium: debezium && { version: DEBEZIUM_JDBC_VERSION, ...debezium, rows: dbzRows },
      tributary: { ...tributary, rows: tribRows },
      /** The figure of issue 18's target table: the warm rates' ratio. */
      ratio: debezium && +(tributary.warm.recordsPerSec / debezium.warm.recordsPerSec).toFixed(2),
      ratioCatchUp: debezium && +(tributary.catchUp.recordsPerSec / debezium.catchUp.recordsPerSec).toFixed(2),
      ratioWarm: debezium && +(tributary.warm.recordsPerSec / debezium.warm.recordsPerSec).toFixed(2),
      cpuRatioWarm: debezium && +(tributary.warm.cpuMicrosPerRecord / debezium.warm.cpuMicrosPerRecord).toFixed(2),
      load1: load1(),
      ...(profile ? { profile: `bench/results/jdbc-sink-from-kafka-${run}.cpuprofile` } : {}),
    };
    process.stderr.write(
      `jdbc from kafka: tributary ${tributary.warm.recordsPerSec.toLocaleString()}/s warm at ${tributary.warm.cpuMicrosPerRecord} µs CPU (catch-up ${tributary.catchUp.recordsPerSec.toLocaleString()}/s), debezium ${debezium ? `${debezium.warm.recordsPerSec.toLocaleString()}/s warm at ${debezium.warm.cpuMicrosPerRecord} µs CPU (catch-up ${debezium.catchUp.recordsPerSec.toLocaleString()}/s)` : 'not run'}; ratio warm ${result.ratioWarm}, catch-up ${result.ratioCatchUp}\n`,
    );
    return result;
  } finally {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await pgAdmin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await pgAdmin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function pgConn<T>(base: string, db: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const u = new URL(base);
  u.pathname = `/${db}`;
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const records = Number(process.argv[2] ?? 100_000);
  console.log(JSON.stringify(await runJdbcPeerBench({ records }), null, 2));
}
