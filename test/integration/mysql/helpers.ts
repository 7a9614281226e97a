/** Shared pieces of the MySQL connector integration tests: a unique database, a worker on the embedded log, topic reads. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql, { type Connection } from 'mysql2/promise';
import { silentLogger } from '../../../runtime/logging.ts';
import { readWholePartition } from '../../helpers/read-partition.ts';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { testMysqlUrl } from '../../setup/env.ts';
import { afterFile } from '../../setup/file-cleanup.ts';

export async function adminConnection(): Promise<Connection> {
  return mysql.createConnection({ uri: testMysqlUrl(), multipleStatements: true, charset: 'utf8mb4', timezone: 'Z' });
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** A new database (dropped once the test file is done) and a connection using it. */
export async function createDatabase(prefix: string): Promise<{ db: string; conn: Connection }> {
  const db = uniqueName(prefix);
  const conn = await adminConnection();
  await conn.query(`CREATE DATABASE \`${db}\``);
  afterFile(async () => {
    const admin = await adminConnection();
    try {
      await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    } finally {
      await admin.end();
    }
  });
  await conn.query(`USE \`${db}\``);
  return { db, conn };
}

export function mysqlServer(): { host: string; port: string; user: string; password: string } {
  const u = new URL(testMysqlUrl());
  return {
    host: u.hostname,
    port: u.port || '3306',
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

export async function startWorker(dir?: string): Promise<{ worker: RunningWorker; dir: string }> {
  const d = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mysql-'));
  const worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(d, 'data'),
      'offset.flush.interval.ms': '0',
      'tributary.log.sync': 'os',
      'file.allowed.paths': os.tmpdir(),
    },
    { logger: silentLogger },
  );
  return { worker, dir: d };
}

export function connectorConfig(db: string, dir: string, extra: Record<string, string> = {}): Record<string, string> {
  const s = mysqlServer();
  return {
    'connector.class': 'io.debezium.connector.mysql.MySqlConnector',
    'database.hostname': s.host,
    'database.port': s.port,
    'database.user': s.user,
    'database.password': s.password,
    'database.server.id': String(10000 + Math.floor(Math.random() * 50000)),
    'topic.prefix': 'dbserver1',
    'database.include.list': db,
    'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
    'schema.history.internal.file.filename': path.join(dir, 'schema-history.jsonl'),
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'poll.interval.ms': '100',
    ...extra,
  };
}

export async function createConnector(
  worker: RunningWorker,
  name: string,
  config: Record<string, string>,
): Promise<void> {
  const res = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, config }),
  });
  if (res.status !== 201) throw new Error(`create connector: ${res.status} ${await res.text()}`);
}

export async function connectorStatus(
  worker: RunningWorker,
  name: string,
): Promise<{ connector: { state: string }; tasks: Array<{ state: string; trace?: string }> }> {
  return (await fetch(`${worker.url}/connectors/${name}/status`)).json() as Promise<{
    connector: { state: string };
    tasks: Array<{ state: string; trace?: string }>;
  }>;
}

export interface TopicRecord {
  key: any;
  value: any;
  rawKey: string | null;
  rawValue: string | null;
  headers: Record<string, string | undefined>;
}

/** Every record of a topic (partition 0) with key and value parsed from JSON. */
export function readTopic(worker: RunningWorker, topic: string): TopicRecord[] {
  const log = worker.embedded.log;
  if (!log.listTopics().some((t: { name: string }) => t.name === topic)) return [];
  return readWholePartition(log, { topic, partition: 0 }).map(
    (r: { key: Buffer | null; value: Buffer | null; headers: Array<{ key: string; value: Buffer | null }> }) => ({
      rawKey: r.key?.toString('utf8') ?? null,
      rawValue: r.value?.toString('utf8') ?? null,
      key: r.key ? JSON.parse(r.key.toString('utf8')) : null,
      value: r.value ? JSON.parse(r.value.toString('utf8')) : null,
      headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value?.toString('utf8')])),
    }),
  );
}

import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { SourceTaskContext } from '../../../runtime/spi/source.ts';
import { MysqlSourceTask } from '../../../connectors/mysql/mysql-source-task.ts';

/** A task driven directly, with an in-memory offset store (the last record's offset is what a worker would commit). */
export async function startTask(
  config: Record<string, string>,
  offset: Record<string, unknown> | null,
  name = 'direct',
): Promise<{ task: MysqlSourceTask; abort: AbortController }> {
  const abort = new AbortController();
  const ctx: SourceTaskContext = {
    connectorName: name,
    taskId: 0,
    logger: silentLogger,
    signal: abort.signal,
    offsetStorageReader: { offset: () => offset, offsets: (ps) => new Map(ps.map((p) => [p, offset])) },
    configs: () => config,
  };
  const task = new MysqlSourceTask();
  task.initialize(ctx);
  await task.start(config);
  return { task, abort };
}

/** Polls until `until` holds for the collected records (or the timeout passes). */
export async function pollUntil(
  task: MysqlSourceTask,
  until: (all: SourceRecord[]) => boolean,
  timeoutMs = 30_000,
): Promise<SourceRecord[]> {
  const all: SourceRecord[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!until(all)) {
    if (Date.now() > deadline) throw new Error(`pollUntil timed out with ${all.length} records`);
    const batch = await task.poll();
    if (batch) all.push(...batch);
  }
  return all;
}
