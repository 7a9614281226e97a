/**
 * MySQL/MariaDB source: changes/s from the binlog to the embedded log (MysqlSourceTask → JsonConverter
 * → EmbeddedLog) for N single-row insert transactions and for one N-row multi-row insert, over a
 * 10-column mixed-type table, next to `mysqlbinlog --read-from-remote-server` reading the same binlog
 * range in the same run; and snapshot rows/s of the N-row table. Peak RSS is reported.
 * Uses the test setup's MariaDB (started if needed).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { ensureMariadb } from '../test/setup/mariadb.ts';
import { EmbeddedLog } from '../runtime/log/embedded-log.ts';
import { EmbeddedTransport } from '../runtime/transport/embedded-transport.ts';
import { JsonConverter } from '../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../runtime/data/records.ts';
import { silentLogger } from '../runtime/logging.ts';
import type { SourceTaskContext } from '../runtime/spi/source.ts';
import { MysqlSourceTask } from '../connectors/mysql/mysql-source-task.ts';

const DDL = `CREATE TABLE t (id BIGINT PRIMARY KEY, qty INT NOT NULL, total BIGINT NOT NULL, ratio DOUBLE NOT NULL, code VARCHAR(40) NOT NULL,
  label VARCHAR(100), active TINYINT(1) NOT NULL, price DECIMAL(12,2) NOT NULL, updated DATETIME(3) NOT NULL, day DATE NOT NULL)`;

function rowSql(i: number): string {
  return `(${i}, ${i % 1000}, ${i * 1003}, ${i / 7}, 'C${i.toString(36)}', ${i % 10 === 0 ? 'NULL' : `'label ${i}'`}, ${i % 2}, ${(i % 100000) + 0.25}, '2024-01-01 00:00:00.123', '2024-03-0${(i % 9) + 1}')`;
}

let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};

/** Polls until `counter.n` reaches `target` (cumulative: a batch may straddle two scenarios). */
async function drain(
  task: MysqlSourceTask,
  target: number,
  topic: string,
  log: EmbeddedTransport,
  counter: { n: number },
): Promise<number> {
  const key = new JsonConverter();
  key.configure({}, true);
  const value = new JsonConverter();
  value.configure({}, false);
  const sender = log.createSender('bench');
  const t0 = process.hrtime.bigint();
  while (counter.n < target) {
    const batch: SourceRecord[] | null = await task.poll();
    if (!batch) continue;
    const out = batch
      .filter((r) => r.topic === topic)
      .map((r) => ({
        topic: r.topic,
        partition: 0,
        key: key.fromConnectData(r.topic, r.keySchema, r.key),
        value: value.fromConnectData(r.topic, r.valueSchema, r.value),
        timestamp: r.timestamp ?? Date.now(),
        headers: [],
      }));
    counter.n += out.length;
    if (out.length) await sender.send(out);
    sampleRss();
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function context(config: Record<string, string>, signal: AbortSignal): SourceTaskContext {
  return {
    connectorName: 'bench',
    taskId: 0,
    logger: silentLogger,
    signal,
    offsetStorageReader: { offset: () => null, offsets: (ps) => new Map(ps.map((p) => [p, null])) },
    configs: () => config,
  };
}

function mysqlbinlogSeconds(url: URL, file: string, start: number): number | null {
  const bin = ['mariadb-binlog', 'mysqlbinlog'].find((b) => spawnSync(b, ['--version']).status === 0);
  if (!bin) return null;
  const t0 = process.hrtime.bigint();
  const args = [
    '--read-from-remote-server',
    `--host=${url.hostname}`,
    `--port=${url.port}`,
    `--user=${decodeURIComponent(url.username)}`,
    `--password=${decodeURIComponent(url.password)}`,
    `--start-position=${start}`,
    '--base64-output=decode-rows',
    '-v',
    '--to-last-log',
    file,
  ];
  const r = spawnSync(bin, args, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${bin} failed: ${r.stderr.toString()}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function runMysqlBench(opts: { changes?: number } = {}): Promise<object> {
  const n = opts.changes ?? 1_000_000;
  const urlText = process.env.TRIBUTARY_TEST_MYSQL_URL ?? (await ensureMariadb());
  const url = new URL(urlText);
  const admin = await mysql.createConnection({ uri: urlText, multipleStatements: true });
  const db = `bench_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${db}; USE ${db}; ${DDL}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mysql-bench-'));
  const config: Record<string, string> = {
    'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
    'database.hostname': url.hostname,
    'database.port': url.port,
    'database.user': decodeURIComponent(url.username),
    'database.password': decodeURIComponent(url.password),
    'database.server.id': '7777',
    'topic.prefix': 'bench',
    'database.include.list': db,
    'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
    'snapshot.mode': 'no_data',
    'max.batch.size': '4096',
    'max.queue.size': '16384',
    'poll.interval.ms': '200',
  };
  const log = new EmbeddedTransport(await EmbeddedLog.open({ dir: path.join(dir, 'log'), sync: 'os' }));
  const topic = `bench.${db}.t`;
  const results: Record<string, unknown> = { changes: n };
  try {
    const [[start]] = (await admin.query('SHOW MASTER STATUS')) as unknown as [
      Array<{ File: string; Position: number }>,
    ];
    // Scenario 1: N single-row insert transactions (written before the reader starts).
    const chunk = 2000;
    for (let i = 0; i < n; i += chunk) {
      const stmts: string[] = [];
      for (let k = i; k < Math.min(n, i + chunk); k++) stmts.push(`INSERT INTO t VALUES ${rowSql(k)}`);
      await admin.query(stmts.join(';'));
    }
    // Scenario 2: one N-row multi-row insert transaction (chunked statements inside one transaction).
    await admin.query('START TRANSACTION');
    for (let i = 0; i < n; i += 10_000) {
      const rows: string[] = [];
      for (let k = i; k < Math.min(n, i + 10_000); k++) rows.push(rowSql(n + k));
      await admin.query(`INSERT INTO t VALUES ${rows.join(',')}`);
    }
    await admin.query('COMMIT');

    process.stderr.write(`mysql bench: wrote ${2 * n} changes\n`);
    const abort = new AbortController();
    const task = new MysqlSourceTask();
    task.initialize(context(config, abort.signal));
    await task.start(config);
    // The no_data snapshot's position is "now": point the stream at the scenario's start instead.
    (task as unknown as { resumeFrom: object }).resumeFrom = { file: start.File, pos: start.Position };
    const counter = { n: 0 };
    const singleSeconds = await drain(task, n, topic, log, counter);
    const multiSeconds = await drain(task, 2 * n, topic, log, counter);
    task.stop();
    abort.abort();
    process.stderr.write(`mysql bench: streamed in ${singleSeconds + multiSeconds}s\n`);
    results.singleRowTransactions = { seconds: singleSeconds, changesPerSecond: Math.round(n / singleSeconds) };
    results.multiRowTransaction = { seconds: multiSeconds, changesPerSecond: Math.round(n / multiSeconds) };
    const mb = mysqlbinlogSeconds(url, start.File, start.Position);
    results.mysqlbinlog =
      mb === null
        ? 'not installed'
        : {
            seconds: mb,
            changesPerSecond: Math.round((2 * n) / mb),
            note: 'reads to the end of the last log with -v --base64-output=decode-rows, output discarded',
          };

    // Snapshot of the 2N-row table.
    const snapAbort = new AbortController();
    const snapTask = new MysqlSourceTask();
    const snapConfig = {
      ...config,
      'snapshot.mode': 'initial_only',
      'database.server.id': '7778',
      'schema.history.internal.file.filename': path.join(dir, 'history2.jsonl'),
    };
    snapTask.initialize(context(snapConfig, snapAbort.signal));
    await snapTask.start(snapConfig);
    const snapSeconds = await drain(snapTask, 2 * n, topic, log, { n: 0 });
    snapTask.stop();
    snapAbort.abort();
    results.snapshot = { rows: 2 * n, seconds: snapSeconds, rowsPerSecond: Math.round((2 * n) / snapSeconds) };
    results.peakRssMiB = Math.round(peakRss / 2 ** 20);
  } finally {
    await admin.query(`DROP DATABASE ${db}`);
    await admin.end();
    await log.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? process.env.BENCH_CHANGES ?? 1_000_000);
  runMysqlBench({ changes: n }).then(
    (r) => {
      console.log(JSON.stringify(r, null, 2));
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
