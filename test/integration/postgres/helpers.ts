/** Shared pieces of the PostgreSQL source integration tests: a database per test file, connector configs, topic reads. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { testPgUrl } from '../../setup/env.ts';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { readWholePartition } from '../../helpers/read-partition.ts';

export interface PgTestDb {
  name: string;
  client: pg.Client;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  connectorConfig(overrides?: Record<string, string>): Record<string, string>;
  /** confirmed_flush_lsn of a slot as a bigint (null when the slot is missing). */
  confirmedFlush(slot: string): Promise<bigint | null>;
  drop(): Promise<void>;
}

export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(4).toString('hex')}`;

export async function createPgTestDb(prefix: string): Promise<PgTestDb> {
  const name = uniqueName(prefix);
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(testPgUrl());
  u.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  const base = new URL(testPgUrl());
  return {
    name,
    client,
    query: async (sql, params) => (await client.query(sql, params)).rows,
    connectorConfig: (overrides = {}) => ({
      'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
      'database.hostname': base.hostname,
      'database.port': base.port || '5432',
      'database.user': decodeURIComponent(base.username),
      'database.password': decodeURIComponent(base.password),
      'database.dbname': name,
      'topic.prefix': name,
      'slot.name': name,
      'publication.name': `${name}_pub`,
      'plugin.name': 'pgoutput',
      ...overrides,
    }),
    confirmedFlush: async (slot) => {
      const r = await client.query<{ v: string | null }>(
        "SELECT (confirmed_flush_lsn - '0/0')::text AS v FROM pg_replication_slots WHERE slot_name = $1",
        [slot],
      );
      return r.rows.length === 0 || r.rows[0].v === null ? null : BigInt(r.rows[0].v);
    },
    drop: async () => {
      await client.end().catch(() => undefined);
      const d = new pg.Client({ connectionString: testPgUrl() });
      await d.connect();
      // A slot outlives its database's drop and keeps its WAL for ever: wait for its walsender to end
      // (5 s), then end it, and drop the slots before the database.
      for (let i = 0; i < 60; i++) {
        const slots = await d.query<{ slot_name: string; active: boolean; active_pid: number | null }>(
          'SELECT slot_name, active, active_pid FROM pg_replication_slots WHERE database = $1',
          [name],
        );
        if (slots.rows.every((s) => !s.active)) {
          for (const s of slots.rows) await d.query('SELECT pg_drop_replication_slot($1)', [s.slot_name]);
          break;
        }
        if (i >= 50)
          for (const s of slots.rows)
            if (s.active_pid !== null) await d.query('SELECT pg_terminate_backend($1)', [s.active_pid]);
        await new Promise((r) => setTimeout(r, 100));
      }
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

export async function startWorker(dir?: string): Promise<{ worker: RunningWorker; dir: string }> {
  const dataDir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'trib-pg-'));
  const worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': dataDir,
      'offset.flush.interval.ms': '100',
      'tributary.log.sync': 'os',
    },
    { logger: silentLogger },
  );
  return { worker, dir: dataDir };
}

export async function createConnector(
  worker: RunningWorker,
  name: string,
  config: Record<string, string>,
): Promise<void> {
  const res = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      config: {
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'key.converter.schemas.enable': 'true',
        'value.converter.schemas.enable': 'true',
        ...config,
      },
    }),
  });
  if (res.status !== 201) throw new Error(`POST /connectors: ${res.status} ${await res.text()}`);
}

export async function connectorStatus(
  worker: RunningWorker,
  name: string,
): Promise<{ connector: { state: string }; tasks: Array<{ state: string; trace?: string }> }> {
  const res = await fetch(`${worker.url}/connectors/${name}/status`);
  return (await res.json()) as { connector: { state: string }; tasks: Array<{ state: string; trace?: string }> };
}

export interface TopicRecord {
  key: string | null;
  value: string | null;
  headers: Record<string, string | undefined>;
}

/** Every record of a topic (partition 0). */
export function readTopic(worker: RunningWorker, topic: string): TopicRecord[] {
  const log = worker.embedded.log;
  return readWholePartition(log, { topic, partition: 0 }).map((r) => ({
    key: r.key?.toString('utf8') ?? null,
    value: r.value?.toString('utf8') ?? null,
    headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value?.toString('utf8')])),
  }));
}

import { PostgresSourceTask } from '../../../connectors/postgres/postgres-source-task.ts';
import type { SourceRecord, SourceOffset } from '../../../runtime/data/records.ts';

/** A task driven directly (no worker): the test decides which offsets are "durable" and when commit() runs. */
export interface DirectTask {
  task: PostgresSourceTask;
  /** Polls until `n` records (including tombstones) arrived or the timeout passes. */
  pollUntil(n: number, timeoutMs?: number): Promise<SourceRecord[]>;
  stop(): Promise<void>;
}

export async function startDirectTask(
  config: Record<string, string>,
  storedOffset: SourceOffset | null,
): Promise<DirectTask> {
  const task = new PostgresSourceTask();
  const abort = new AbortController();
  task.initialize({
    connectorName: 'direct',
    taskId: 0,
    logger: silentLogger,
    signal: abort.signal,
    configs: () => config,
    offsetStorageReader: {
      offset: () => storedOffset,
      offsets: (ps) => new Map(ps.map((p) => [p, storedOffset])),
    },
  });
  await task.start(config);
  return {
    task,
    async pollUntil(n, timeoutMs = 20_000) {
      const out: SourceRecord[] = [];
      const deadline = Date.now() + timeoutMs;
      while (out.length < n && Date.now() < deadline) {
        const batch = await task.poll();
        if (batch) out.push(...batch);
      }
      return out;
    },
    async stop() {
      abort.abort();
      await task.stop();
    },
  };
}
