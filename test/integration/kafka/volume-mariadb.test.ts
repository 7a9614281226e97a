/**
 * Volume against the test broker with its default limits: TRIBUTARY_VOLUME_ROWS (default 200,000)
 * changes streamed from MariaDB's binlog with JsonConverter schemas on reach Kafka completely
 * (count, distinct keys read by Kafka's Java consumer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { readCommittedSummary } from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';
import { connectorConfig, createDatabase } from '../mysql/helpers.ts';
import { deleteTopics, report, topicEnd, volumeRows, volumeTimeoutMs } from './volume-helpers.ts';

const rows = volumeRows();
const brokers = testKafkaBrokers();
let worker: RunningWorker;
let conn: Connection;
let db: string;
let dir: string;

beforeAll(async () => {
  ({ db, conn } = await createDatabase('volmaria'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-volume-maria-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'bootstrap.servers': brokers.join(','),
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'offset.flush.interval.ms': '1000',
      'tributary.log.sync': 'os',
    },
    { logger: silentLogger },
  );
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  if (db) await deleteTopics(brokers, [`dbserver1.${db}.events`]);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  await conn?.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined);
  await conn?.end();
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

async function notFailed(name: string): Promise<void> {
  const tasks = ((await api('GET', `/connectors/${name}/status`)).body?.tasks ?? []) as Array<{
    state: string;
    trace?: string;
  }>;
  const failed = tasks.find((t) => t.state === 'FAILED');
  if (failed) throw new Error(`${name} failed: ${failed.trace}`);
}

describe(`MariaDB binlog → Kafka at volume (${rows} changes)`, () => {
  it(
    "streams every change to Kafka, checked by Kafka's Java consumer",
    async () => {
      await conn.query(
        'CREATE TABLE events (id BIGINT PRIMARY KEY, kind VARCHAR(32) NOT NULL, amount DECIMAL(12,2) NOT NULL, created DATETIME(3) NOT NULL, note VARCHAR(255))',
      );
      await conn.query("INSERT INTO events VALUES (0, 'seed', 0, '2026-01-01 00:00:00', NULL)");
      const name = `volmaria-${db}`;
      const topic = `dbserver1.${db}.events`;
      expect(
        (
          await api('POST', '/connectors', {
            name,
            config: connectorConfig(db, dir, {
              'topic.prefix': 'dbserver1',
              'topic.creation.default.partitions': '1',
              'topic.creation.default.replication.factor': '1',
            }),
          })
        ).status,
      ).toBe(201);
      // The snapshot's one row marks the switch to the binlog.
      await waitFor(
        async () => {
          await notFailed(name);
          return (await topicEnd(brokers, topic)) >= 1;
        },
        { timeoutMs: 120_000, intervalMs: 500, what: 'the snapshot row' },
      );

      const t0 = Date.now();
      const chunk = 5000;
      for (let from = 1; from <= rows; from += chunk) {
        const values: unknown[] = [];
        const to = Math.min(rows, from + chunk - 1);
        for (let i = from; i <= to; i++)
          values.push([
            i,
            `kind-${i % 17}`,
            (i % 100000) / 100,
            new Date(Date.UTC(2026, 0, 1) + i * 1000),
            `note ${i} ${'n'.repeat(i % 50)}`,
          ]);
        await conn.query('INSERT INTO events VALUES ?', [values]);
      }
      const insertedMs = Date.now() - t0;
      await waitFor(
        async () => {
          await notFailed(name);
          return (await topicEnd(brokers, topic)) >= rows + 1;
        },
        { timeoutMs: volumeTimeoutMs(rows), intervalMs: 1000, what: `${rows} changes in ${topic}` },
      );
      report(
        `MariaDB binlog → Kafka (JsonConverter, schemas on; inserts took ${(insertedMs / 1000).toFixed(1)} s)`,
        rows,
        Date.now() - t0,
      );

      const summary = await readCommittedSummary(brokers, topic);
      expect(summary.count).toBe(rows + 1);
      expect(summary.distinctKeys).toBe(rows + 1);
    },
    volumeTimeoutMs(rows) + 240_000,
  );
});
