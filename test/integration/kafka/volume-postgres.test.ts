/**
 * Volume against the test broker with its default limits (message.max.bytes 1048588): a
 * PostgreSQL snapshot of TRIBUTARY_VOLUME_ROWS rows (default 200,000) with JsonConverter schemas
 * on goes to Kafka completely (count, distinct keys and digest read by Kafka's Java consumer), and
 * a FileStreamSink reads every record back (its lines digest to the same values); then 2 MB rows
 * with a raised producer.override.max.request.size and the topic's max.message.bytes raised
 * through topic.creation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { readCommittedSummary } from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import {
  countLines,
  deleteTopics,
  fileLinesDigest,
  report,
  topicEnd,
  volumeRows,
  volumeTimeoutMs,
} from './volume-helpers.ts';

const rows = volumeRows();
const brokers = testKafkaBrokers();
let db: PgTestDb;
let worker: RunningWorker;
let dir: string;

beforeAll(async () => {
  db = await createPgTestDb('volpg');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-volume-pg-'));
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
  if (db) await deleteTopics(brokers, [`${db.name}.public.orders`, `${db.name}.public.blobs`]);
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
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

/** Fails the wait at once, with the trace, when a task of the connector failed. */
async function notFailed(name: string): Promise<void> {
  const tasks = ((await api('GET', `/connectors/${name}/status`)).body?.tasks ?? []) as Array<{
    state: string;
    trace?: string;
  }>;
  const failed = tasks.find((t) => t.state === 'FAILED');
  if (failed) throw new Error(`${name} failed: ${failed.trace}`);
}

describe(`PostgreSQL → Kafka at volume (${rows} rows)`, () => {
  it(
    "snapshots every row to Kafka (checked by Kafka's Java consumer) and a file sink reads them all back",
    async () => {
      await db.query(
        'CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12,2) NOT NULL, created timestamptz NOT NULL, note text)',
      );
      await db.query(
        `INSERT INTO orders SELECT g, 'customer-' || (g % 997), (g % 100000) / 100.0, timestamptz '2026-01-01' + g * interval '1 second', repeat(md5(g::text), 3) FROM generate_series(1, ${rows}) g`,
      );
      const name = `volpg-${db.name}`;
      const topic = `${db.name}.public.orders`;
      const t0 = Date.now();
      expect(
        (
          await api('POST', '/connectors', {
            name,
            config: db.connectorConfig({
              'snapshot.mode': 'initial',
              'table.include.list': 'public.orders',
              'topic.creation.default.partitions': '1',
              'topic.creation.default.replication.factor': '1',
            }),
          })
        ).status,
      ).toBe(201);
      const timeout = volumeTimeoutMs(rows);
      await waitFor(
        async () => {
          await notFailed(name);
          return (await topicEnd(brokers, topic)) >= rows;
        },
        { timeoutMs: timeout, intervalMs: 1000, what: `${rows} records in ${topic}` },
      );
      const snapshotMs = Date.now() - t0;
      report('PostgreSQL snapshot → Kafka (JsonConverter, schemas on)', rows, snapshotMs);

      const summary = await readCommittedSummary(brokers, topic);
      expect(summary.count).toBe(rows);
      expect(summary.distinctKeys).toBe(rows);

      const out = path.join(dir, 'sink.txt');
      const sink = `volpg-sink-${db.name}`;
      const t1 = Date.now();
      expect(
        (
          await api('POST', '/connectors', {
            name: sink,
            config: {
              'connector.class': 'FileStreamSink',
              topics: topic,
              file: out,
              'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
              'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
            },
          })
        ).status,
      ).toBe(201);
      await waitFor(
        async () => {
          await notFailed(sink);
          return countLines(out) >= rows;
        },
        { timeoutMs: timeout, intervalMs: 1000, what: `${rows} lines from the file sink` },
      );
      report('Kafka → FileStreamSink', rows, Date.now() - t1);
      const lines = await fileLinesDigest(out);
      expect(lines.count).toBe(rows);
      expect(lines.digest).toBe(summary.valueDigest);
      const first = JSON.parse(lines.first) as {
        schema: { name: string };
        payload: { op: string; after: { id: number } };
      };
      expect(first.schema.name).toBe(`${db.name}.public.orders.Envelope`);
      expect(first.payload.op).toBe('r');
    },
    volumeTimeoutMs(rows) * 2 + 120_000,
  );

  it("2 MB rows with a raised producer.override.max.request.size and the topic's max.message.bytes raised through topic.creation", async () => {
    const count = 12;
    await db.query('CREATE TABLE blobs (id int PRIMARY KEY, body text NOT NULL)');
    await db.query(
      `INSERT INTO blobs SELECT g, repeat(chr(65 + g % 26), 2 * 1024 * 1024) FROM generate_series(1, ${count}) g`,
    );
    const name = `volpg-2mb-${db.name}`;
    const topic = `${db.name}.public.blobs`;
    expect(
      (
        await api('POST', '/connectors', {
          name,
          config: db.connectorConfig({
            'slot.name': `${db.name}_2mb`,
            'publication.name': `${db.name}_2mb_pub`,
            'table.include.list': 'public.blobs',
            'producer.override.max.request.size': '8388608',
            'topic.creation.default.partitions': '1',
            'topic.creation.default.replication.factor': '1',
            'topic.creation.default.max.message.bytes': '8388608',
          }),
        })
      ).status,
    ).toBe(201);
    await waitFor(
      async () => {
        await notFailed(name);
        return (await topicEnd(brokers, topic)) >= count;
      },
      { timeoutMs: 120_000, intervalMs: 1000, what: `${count} 2 MB records` },
    );
    const summary = await readCommittedSummary(brokers, topic);
    expect(summary).toMatchObject({ count, distinctKeys: count });
  }, 240_000);
});
