/**
 * Volume with exactly-once sources (a distributed worker with exactly.once.source.support=enabled)
 * on the test broker with its default limits: a PostgreSQL snapshot and a MariaDB binlog stream of
 * TRIBUTARY_VOLUME_ROWS (default 200,000) rows each, JsonConverter schemas on, every transaction
 * within max.request.size and max.message.bytes; Kafka's Java consumer (read_committed) sees each
 * row exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mysql2/promise';
import { startDistributedWorker, type RunningDistributedWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { readCommittedSummary, type TopicSummary } from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { connectorConfig as mariaConfig, createDatabase } from '../mysql/helpers.ts';
import { deleteTopics, report, topicEnd, volumeRows, volumeTimeoutMs } from './volume-helpers.ts';

const rows = volumeRows();
const brokers = testKafkaBrokers();
let worker: RunningDistributedWorker;
let pgDb: PgTestDb;
let maria: { db: string; conn: Connection };
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-volume-eos-'));
  const id = randomUUID().slice(0, 8);
  worker = await startDistributedWorker(
    {
      'bootstrap.servers': brokers.join(','),
      listeners: 'http://127.0.0.1:0',
      'group.id': `voleos-${id}`,
      'config.storage.topic': `voleos-${id}-configs`,
      'offset.storage.topic': `voleos-${id}-offsets`,
      'status.storage.topic': `voleos-${id}-status`,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      'offset.storage.partitions': '1',
      'status.storage.partitions': '1',
      'offset.flush.interval.ms': '1000',
      'exactly.once.source.support': 'enabled',
      'file.allowed.paths': dir,
    },
    { logger: silentLogger },
  );
  await waitFor(() => worker.view()?.members.length === 1, { timeoutMs: 60_000, what: 'the worker in its group' });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await deleteTopics(brokers, [
    ...(pgDb ? [`${pgDb.name}.public.orders`] : []),
    ...(maria ? [`voleos.${maria.db}.events`] : []),
  ]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await pgDb?.drop();
  await maria?.conn.query(`DROP DATABASE IF EXISTS \`${maria.db}\``).catch(() => undefined);
  await maria?.conn.end();
}, 120_000);

async function api(method: string, p: string, body?: unknown) {
  const res = await fetch(worker.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function create(name: string, config: Record<string, string>): Promise<void> {
  await waitFor(
    async () => {
      const res = await api('POST', '/connectors', { name, config });
      if (res.status === 400) throw new Error(`${name} refused: ${res.body?.message}`);
      return res.status === 201;
    },
    { timeoutMs: 60_000, what: `${name} created` },
  );
}

async function notFailed(name: string): Promise<void> {
  const tasks = ((await api('GET', `/connectors/${name}/status`)).body?.tasks ?? []) as Array<{
    state: string;
    trace?: string;
  }>;
  const failed = tasks.find((t) => t.state === 'FAILED');
  if (failed) throw new Error(`${name} failed: ${failed.trace}`);
}

/** Waits until the topic's end covers `expected` records (it also holds one marker per transaction), then until read_committed sees them all. */
async function committedSummary(name: string, topic: string, expected: number): Promise<TopicSummary> {
  await waitFor(
    async () => {
      await notFailed(name);
      return (await topicEnd(brokers, topic)) >= expected;
    },
    { timeoutMs: volumeTimeoutMs(expected), intervalMs: 1000, what: `${expected} records in ${topic}` },
  );
  return waitFor(
    async () => {
      await notFailed(name);
      const s = await readCommittedSummary(brokers, topic);
      return s.count >= expected ? s : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2000, what: `${expected} committed records in ${topic}` },
  );
}

describe(`exactly-once sources at volume (${rows} rows)`, () => {
  it(
    'a PostgreSQL snapshot: every row exactly once in read_committed',
    async () => {
      pgDb = await createPgTestDb('voleospg');
      await pgDb.query(
        'CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, created timestamptz NOT NULL, note text)',
      );
      await pgDb.query(
        `INSERT INTO orders SELECT g, 'customer-' || (g % 997), (g % 100000) / 100.0, timestamptz '2026-01-01' + g * interval '1 second', repeat(md5(g::text), 3) FROM generate_series(1, ${rows}) g`,
      );
      const name = `voleos-pg-${pgDb.name}`;
      const t0 = Date.now();
      await create(
        name,
        pgDb.connectorConfig({
          'table.include.list': 'public.orders',
          'topic.creation.default.partitions': '1',
          'topic.creation.default.replication.factor': '1',
        }),
      );
      const summary = await committedSummary(name, `${pgDb.name}.public.orders`, rows);
      report('PostgreSQL snapshot → Kafka, exactly-once (read_committed)', rows, Date.now() - t0);
      expect(summary.count).toBe(rows);
      expect(summary.distinctKeys).toBe(rows);
    },
    volumeTimeoutMs(rows) + 300_000,
  );

  it(
    'a MariaDB binlog stream: every change exactly once in read_committed',
    async () => {
      maria = await createDatabase('voleosmaria');
      await maria.conn.query(
        'CREATE TABLE events (id BIGINT PRIMARY KEY, kind VARCHAR(32) NOT NULL, amount DECIMAL(12,2) NOT NULL, created DATETIME(3) NOT NULL, note VARCHAR(255))',
      );
      await maria.conn.query("INSERT INTO events VALUES (0, 'seed', 0, '2026-01-01 00:00:00', NULL)");
      const name = `voleos-maria-${maria.db}`;
      const topic = `voleos.${maria.db}.events`;
      await create(
        name,
        mariaConfig(maria.db, dir, {
          'topic.prefix': 'voleos',
          'topic.creation.default.partitions': '1',
          'topic.creation.default.replication.factor': '1',
        }),
      );
      await waitFor(
        async () => {
          await notFailed(name);
          return (await topicEnd(brokers, topic)) >= 1;
        },
        { timeoutMs: 120_000, intervalMs: 500, what: 'the snapshot row' },
      );
      const t0 = Date.now();
      for (let from = 1; from <= rows; from += 5000) {
        const values: unknown[] = [];
        for (let i = from; i <= Math.min(rows, from + 4999); i++)
          values.push([
            i,
            `kind-${i % 17}`,
            (i % 100000) / 100,
            new Date(Date.UTC(2026, 0, 1) + i * 1000),
            `note ${i} ${'n'.repeat(i % 50)}`,
          ]);
        await maria.conn.query('INSERT INTO events VALUES ?', [values]);
      }
      const summary = await committedSummary(name, topic, rows + 1);
      report('MariaDB binlog → Kafka, exactly-once (read_committed)', rows, Date.now() - t0);
      expect(summary.count).toBe(rows + 1);
      expect(summary.distinctKeys).toBe(rows + 1);
    },
    volumeTimeoutMs(rows) + 300_000,
  );
});
