/**
 * A PostgreSQL snapshot of TRIBUTARY_VOLUME_ROWS rows (default 200,000) to a Kafka broker of the
 * test's own, interrupted midway: once by the broker killed (SIGKILL) and started again, once by
 * a network cut (a TCP proxy in front of the broker resets every connection and refuses new ones
 * for a while). Nothing may be lost: Kafka's Java consumer finds every row's key (at-least-once,
 * so duplicates are allowed and counted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { PrivateKafkaCluster } from '../../helpers/private-kafka-cluster.ts';
import { readCommittedSummary } from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { report, topicEnd, volumeRows, volumeTimeoutMs } from './volume-helpers.ts';

const rows = volumeRows();
let cluster: PrivateKafkaCluster;
let worker: RunningWorker;
let db: PgTestDb;

beforeAll(async () => {
  cluster = await PrivateKafkaCluster.start({ nodes: 1, proxied: true });
  db = await createPgTestDb('volfail');
  await db.query(
    'CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, created timestamptz NOT NULL, note text)',
  );
  await db.query(
    `INSERT INTO orders SELECT g, 'customer-' || (g % 997), (g % 100000) / 100.0, timestamptz '2026-01-01' + g * interval '1 second', repeat(md5(g::text), 3) FROM generate_series(1, ${rows}) g`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-volume-fail-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'bootstrap.servers': cluster.brokers.join(','),
      'tributary.data.dir': path.join(dir, 'data'),
      'offset.flush.interval.ms': '1000',
      'tributary.log.sync': 'os',
    },
    { logger: silentLogger },
  );
}, 240_000);

afterAll(async () => {
  await worker?.stop();
  await db?.drop();
  await cluster?.close();
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

/** Snapshots the table under a new slot and topic prefix, runs `interrupt` once a quarter of the rows arrived, and checks every row reached the topic. */
async function snapshotThrough(label: string, interrupt: () => Promise<void>): Promise<void> {
  const prefix = `${db.name}_${label}`;
  const name = `volfail-${prefix}`;
  const topic = `${prefix}.public.orders`;
  const t0 = Date.now();
  expect(
    (
      await api('POST', '/connectors', {
        name,
        config: db.connectorConfig({
          'topic.prefix': prefix,
          'slot.name': prefix,
          'publication.name': `${prefix}_pub`,
          'table.include.list': 'public.orders',
          'topic.creation.default.partitions': '1',
          'topic.creation.default.replication.factor': '1',
        }),
      })
    ).status,
  ).toBe(201);
  await waitFor(
    async () => {
      await notFailed(name);
      return (await topicEnd(cluster.brokers, topic)) >= rows / 4;
    },
    { timeoutMs: volumeTimeoutMs(rows), intervalMs: 250, what: `a quarter of the rows in ${topic}` },
  );
  const before = await topicEnd(cluster.brokers, topic);
  await interrupt();
  await waitFor(
    async () => {
      await notFailed(name);
      return (await topicEnd(cluster.brokers, topic)) >= rows;
    },
    { timeoutMs: volumeTimeoutMs(rows), intervalMs: 1000, what: `${rows} records in ${topic}` },
  );
  const summary = await waitFor(
    async () => {
      await notFailed(name);
      const s = await readCommittedSummary(cluster.brokers, topic);
      return s.distinctKeys >= rows ? s : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 2000, what: `every row's key in ${topic}` },
  );
  report(
    `PostgreSQL snapshot → Kafka through a ${label} after ${before} records (${summary.count - rows} duplicates)`,
    rows,
    Date.now() - t0,
  );
  expect(summary.distinctKeys).toBe(rows);
  expect(summary.count).toBeGreaterThanOrEqual(rows);
  await api('DELETE', `/connectors/${name}`);
}

describe(`a ${rows}-row snapshot to Kafka interrupted midway loses nothing`, () => {
  it(
    'through a broker restart (SIGKILL, then started again)',
    async () => {
      await snapshotThrough('restart', async () => {
        await cluster.stop(0, 'kill');
        await cluster.start(0);
      });
    },
    volumeTimeoutMs(rows) * 2 + 240_000,
  );

  it(
    'through a network cut of 10 s',
    async () => {
      await snapshotThrough('netcut', async () => {
        cluster.cutNetwork();
        // The outage's length is the scenario, not a wait for a condition (nothing reaches the broker meanwhile).
        await new Promise((resolve) => setTimeout(resolve, 10_000));
        cluster.restoreNetwork();
      });
    },
    volumeTimeoutMs(rows) * 2 + 240_000,
  );
});
