/**
 * Issue 22 in distributed mode: two worker processes run a MariaDB source → Kafka → JDBC sink
 * (PostgreSQL) under an insert load. SIGTERM to one worker stops its tasks within the graceful
 * timeout and exits 0 (the group rebalances its work to the other); SIGTERM to the other exits 0 as
 * well; a restarted worker then delivers every row.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Connection } from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import { testKafkaBrokers } from '../../setup/env.ts';
import { waitFor } from '../../helpers/wait.ts';
import { signalAndWait } from '../../helpers/worker-process.ts';
import { connectorConfig, createDatabase } from '../mysql/helpers.ts';
import { createTestDb, type TestDb } from '../jdbc/helpers.ts';
import { GRACEFUL_TIMEOUT_MS } from './sigterm-scenario.ts';
import { freePort } from '../../helpers/free-port.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Leaving the group and the Kafka clients' shutdown come on top of the tasks' own stop. */
const MARGIN_MS = 15_000;
const children: ChildProcess[] = [];
let source: { db: string; conn: Connection } | undefined;
let target: TestDb | undefined;
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (source) {
    await source.conn.query(`DROP DATABASE IF EXISTS \`${source.db}\``).catch(() => undefined);
    await source.conn.end();
  }
  await target?.drop();
});

function startWorker(dir: string, id: string, port: number): ChildProcess {
  const file = path.join(dir, `worker-${port}.properties`);
  fs.writeFileSync(
    file,
    [
      `bootstrap.servers=${testKafkaBrokers().join(',')}`,
      `listeners=http://127.0.0.1:${port}`,
      `group.id=tributary-sigterm-${id}`,
      `config.storage.topic=sigterm-${id}-configs`,
      `offset.storage.topic=sigterm-${id}-offsets`,
      `status.storage.topic=sigterm-${id}-status`,
      'config.storage.replication.factor=1',
      'offset.storage.replication.factor=1',
      'status.storage.replication.factor=1',
      'scheduled.rebalance.max.delay.ms=0',
      'offset.flush.interval.ms=500',
      `task.shutdown.graceful.timeout.ms=${GRACEFUL_TIMEOUT_MS}`,
      'tributary.log.level=info',
      `tributary.data.dir=${path.join(dir, `data-${port}`)}`,
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [path.join(ROOT, 'cli/bin.js'), 'distributed', file], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d) => fs.appendFileSync(path.join(dir, `worker-${port}.log`), d));
  children.push(child);
  return child;
}

/**
 * The internal topics exist (with leaders) before the workers start: a worker that creates them
 * itself can die on NOT_LEADER_FOR_PARTITION reading them right after (kafka-backed-store readToEnd),
 * which is not what this test is about.
 */
async function createInternalTopics(id: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'sigterm-test',
    brokers: testKafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const compact = [{ name: 'cleanup.policy', value: 'compact' }];
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: `sigterm-${id}-configs`, numPartitions: 1, replicationFactor: 1, configEntries: compact },
        { topic: `sigterm-${id}-offsets`, numPartitions: 25, replicationFactor: 1, configEntries: compact },
        { topic: `sigterm-${id}-status`, numPartitions: 5, replicationFactor: 1, configEntries: compact },
      ],
    });
    await waitFor(
      async () => {
        for (const t of ['configs', 'offsets', 'status']) await admin.fetchTopicOffsets(`sigterm-${id}-${t}`);
        return true;
      },
      { timeoutMs: 30_000, what: 'leaders of the internal topics' },
    );
  } finally {
    await admin.disconnect();
  }
}

async function api(
  port: number,
  method: string,
  p: string,
  body?: unknown,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function sigterm(dir: string, port: number, child: ChildProcess): Promise<void> {
  const ended = await signalAndWait(child, 'SIGTERM', GRACEFUL_TIMEOUT_MS + MARGIN_MS + 20_000);
  const log = fs.readFileSync(path.join(dir, `worker-${port}.log`), 'utf8');
  expect(ended, `worker ${port} outlived SIGTERM:\n${log.slice(-3000)}`).not.toBeNull();
  expect(ended!.code, log.slice(-3000)).toBe(0);
  expect(ended!.ms).toBeLessThan(GRACEFUL_TIMEOUT_MS + MARGIN_MS);
  expect(log).toContain('Worker stopped');
  expect(log).not.toContain('was still held open');
}

describe('SIGTERM in distributed mode', () => {
  it('each worker exits 0 in time while the other takes over, and nothing is lost', async () => {
    const id = randomUUID().slice(0, 8);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-sigterm-dist-'));
    source = await createDatabase('sigtdist');
    target = await createTestDb('postgresql', 'sigtdist');
    await source.conn.query('CREATE TABLE items (id INT PRIMARY KEY, v VARCHAR(40) NOT NULL)');
    const ports = [await freePort(), await freePort()];
    await createInternalTopics(id);
    const workers = new Map<number, ChildProcess>();
    for (const p of ports) {
      workers.set(p, startWorker(dir, id, p));
      await waitFor(async () => (await api(p, 'GET', '/health').catch(() => ({ status: 0 }))).status === 200, {
        timeoutMs: 90_000,
        what: `worker ${p} up`,
      });
    }

    const t = target;
    const topic = `${source.db}.${source.db}.items`;
    const connectors = [
      {
        name: 'mariadb-source',
        config: connectorConfig(source.db, dir, {
          'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
          'topic.prefix': source.db,
          'table.include.list': `${source.db}.items`,
        }),
      },
      {
        name: 'pg-sink',
        config: {
          'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
          topics: topic,
          'connection.url': t.jdbcUrl,
          'connection.username': t.user,
          'connection.password': t.password,
          'insert.mode': 'upsert',
          'primary.key.mode': 'record_key',
          'schema.evolution': 'basic',
          'table.name.format': 'items',
        },
      },
    ];
    for (const c of connectors) {
      await waitFor(
        async () =>
          [201, 409].includes((await api(ports[0], 'POST', '/connectors', c)).status) &&
          (await api(ports[0], 'GET', `/connectors/${c.name}`)).status === 200,
        { timeoutMs: 60_000, what: `${c.name} created` },
      );
    }
    const delivered = async () =>
      Number((await t.query('SELECT count(DISTINCT id) AS n FROM items').catch(() => [{ n: 0 }]))[0].n);

    let next = 1;
    let running = true;
    const load = (async () => {
      while (running) {
        await source!.conn.query(
          `INSERT INTO items VALUES ${Array.from({ length: 20 }, (_x, i) => `(${next + i}, 'row ${next + i}')`).join(',')}`,
        );
        next += 20;
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    await waitFor(async () => (await delivered()) >= 100, {
      timeoutMs: 180_000,
      intervalMs: 500,
      what: 'rows through the pipeline',
    });

    // SIGTERM the worker running the source: its tasks stop in time and move to the other worker.
    const status = (await api(ports[1], 'GET', '/connectors/mariadb-source/status')).body as {
      tasks: Array<{ worker_id: string }>;
    };
    const first = ports.find((p) => status.tasks[0]?.worker_id.endsWith(`:${p}`)) ?? ports[0];
    const other = ports.find((p) => p !== first)!;
    await sigterm(dir, first, workers.get(first)!);
    const before = await delivered();
    await waitFor(async () => (await delivered()) > before + 100, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'the other worker to carry on after the rebalance',
    });

    await sigterm(dir, other, workers.get(other)!);
    running = false;
    await load;
    const written = next - 1;

    // A restarted worker delivers everything.
    const port = await freePort();
    startWorker(dir, id, port);
    await waitFor(async () => (await delivered()) === written, {
      timeoutMs: 180_000,
      intervalMs: 1000,
      what: `all ${written} rows after the restart`,
    });
  }, 480_000);
});
