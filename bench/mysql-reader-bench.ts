/**
 * The MySQL/MariaDB connector's own hot paths, isolated from the worker: CPU µs per change of
 * MysqlSourceTask.poll() (binlog client, event parsing, rows to SourceRecords) over N single-row
 * insert transactions and one N-row transaction written before the task starts, and per row of
 * the snapshot; records are dropped (no converter, no log). Same 10-column table as
 * bench/mysql-bench.ts. Each pass is a fresh task reading the same binlog range.
 *
 * `npx tsx bench/mysql-reader-bench.ts [changes] [passes]` (defaults 50000 and 3); BENCH_MYSQL_READER_ONLY=single
 * runs the single-row transactions alone, =streaming both streaming scenarios without the snapshot.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { ensureMariadb } from '../test/setup/mariadb.ts';
import { silentLogger } from '../runtime/logging.ts';
import type { SourceTaskContext } from '../runtime/spi/source.ts';
import { MysqlSourceTask } from '../connectors/mysql/mysql-source-task.ts';

const DDL = `CREATE TABLE t (id BIGINT PRIMARY KEY, qty INT NOT NULL, total BIGINT NOT NULL, ratio DOUBLE NOT NULL, code VARCHAR(40) NOT NULL,
  label VARCHAR(100), active TINYINT(1) NOT NULL, price DECIMAL(12,2) NOT NULL, updated DATETIME(3) NOT NULL, day DATE NOT NULL)`;

function rowSql(i: number): string {
  return `(${i}, ${i % 1000}, ${i * 1003}, ${i / 7}, 'C${i.toString(36)}', ${i % 10 === 0 ? 'NULL' : `'label ${i}'`}, ${i % 2}, ${(i % 100000) + 0.25}, '2024-01-01 00:00:00.123', '2024-03-0${(i % 9) + 1}')`;
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

/** Polls until `counter.n` reaches `target` (cumulative: a batch may straddle two scenarios); CPU µs per record. */
async function drain(
  task: MysqlSourceTask,
  topic: string,
  counter: { n: number },
  target: number,
  records: number,
): Promise<number> {
  const cpu0 = process.cpuUsage();
  const deadline = Date.now() + 20 * 60_000;
  while (counter.n < target) {
    if (Date.now() > deadline) throw new Error(`timed out after ${counter.n} of ${target} records on ${topic}`);
    const batch = await task.poll();
    if (batch) for (const r of batch) if (r.topic === topic) counter.n++;
  }
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / records;
}

/** Polls past the schema snapshot's records (the schema change topic) to the first data record. */
async function skipSchemaRecords(task: MysqlSourceTask, topic: string, counter: { n: number }): Promise<void> {
  while (counter.n === 0) {
    const batch = await task.poll();
    if (batch) for (const r of batch) if (r.topic === topic) counter.n++;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const round = (x: number): number => Number(x.toFixed(2));

export async function runMysqlReaderBench(opts: { changes?: number; passes?: number } = {}): Promise<object> {
  const n = opts.changes ?? 50_000;
  const passes = opts.passes ?? 3;
  const urlText = process.env.TRIBUTARY_TEST_MYSQL_URL ?? (await ensureMariadb());
  const url = new URL(urlText);
  const admin = await mysql.createConnection({ uri: urlText, multipleStatements: true });
  const db = `benchr_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${db}; USE ${db}; ${DDL}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mysql-reader-bench-'));
  const base: Record<string, string> = {
    'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
    'database.hostname': url.hostname,
    'database.port': url.port,
    'database.user': decodeURIComponent(url.username),
    'database.password': decodeURIComponent(url.password),
    'topic.prefix': 'bench',
    'database.include.list': db,
    'max.batch.size': '4096',
    'max.queue.size': '16384',
    'poll.interval.ms': '50',
  };
  const topic = `bench.${db}.t`;
  try {
    const [[start]] = (await admin.query('SHOW MASTER STATUS')) as unknown as [
      Array<{ File: string; Position: number }>,
    ];
    for (let i = 0; i < n; i += 2000) {
      const stmts: string[] = [];
      for (let k = i; k < Math.min(n, i + 2000); k++) stmts.push(`INSERT INTO t VALUES ${rowSql(k)}`);
      await admin.query(stmts.join(';'));
    }
    await admin.query('START TRANSACTION');
    for (let i = 0; i < n; i += 10_000) {
      const rows: string[] = [];
      for (let k = i; k < Math.min(n, i + 10_000); k++) rows.push(rowSql(n + k));
      await admin.query(`INSERT INTO t VALUES ${rows.join(',')}`);
    }
    await admin.query('COMMIT');
    process.stderr.write(`mysql reader bench: wrote ${2 * n} changes\n`);

    const single: number[] = [];
    const multi: number[] = [];
    const snapshot: number[] = [];
    const only = process.env.BENCH_MYSQL_READER_ONLY; // 'single': that scenario alone; 'streaming': no snapshot
    for (let p = 0; p < passes; p++) {
      const config = {
        ...base,
        'database.server.id': String(7800 + p),
        'schema.history.internal.file.filename': path.join(dir, `history-${p}.jsonl`),
        'snapshot.mode': 'no_data',
      };
      const abort = new AbortController();
      const task = new MysqlSourceTask();
      task.initialize(context(config, abort.signal));
      await task.start(config);
      // The no_data snapshot's position is "now": point the stream at the rows written above instead.
      (task as unknown as { resumeFrom: object }).resumeFrom = { file: start.File, pos: start.Position };
      const counter = { n: 0 };
      await skipSchemaRecords(task, topic, counter);
      single.push(await drain(task, topic, counter, n, n - counter.n));
      if (only !== 'single') multi.push(await drain(task, topic, counter, 2 * n, n));
      task.stop();
      abort.abort();

      if (only) continue;
      const snapConfig = {
        ...base,
        'database.server.id': String(7900 + p),
        'schema.history.internal.file.filename': path.join(dir, `history-s${p}.jsonl`),
        'snapshot.mode': 'initial_only',
      };
      const snapAbort = new AbortController();
      const snapTask = new MysqlSourceTask();
      snapTask.initialize(context(snapConfig, snapAbort.signal));
      await snapTask.start(snapConfig);
      const snapCounter = { n: 0 };
      await skipSchemaRecords(snapTask, topic, snapCounter);
      snapshot.push(await drain(snapTask, topic, snapCounter, 2 * n, 2 * n - snapCounter.n));
      snapTask.stop();
      snapAbort.abort();
    }
    const figures = (xs: number[]) =>
      xs.length === 0 ? null : { medianCpuMicros: round(median(xs)), bestCpuMicros: round(Math.min(...xs)) };
    const result = {
      changes: n,
      passes,
      singleRowTransactions: figures(single),
      multiRowTransaction: figures(multi),
      snapshot: figures(snapshot),
    };
    process.stderr.write(
      `mysql reader, ${n} changes × ${passes} passes (CPU µs per record, median/best): single-row transactions ${result.singleRowTransactions?.medianCpuMicros}/${result.singleRowTransactions?.bestCpuMicros}, one transaction ${result.multiRowTransaction?.medianCpuMicros}/${result.multiRowTransaction?.bestCpuMicros}, snapshot ${result.snapshot?.medianCpuMicros}/${result.snapshot?.bestCpuMicros}\n`,
    );
    return result;
  } finally {
    await admin.query(`DROP DATABASE ${db}`);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await runMysqlReaderBench({
    changes: process.argv[2] ? Number(process.argv[2]) : undefined,
    passes: process.argv[3] ? Number(process.argv[3]) : undefined,
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}
