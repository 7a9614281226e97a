/**
 * MariaDB crashes (SIGKILL) and restarts while the connector streams from its binlog: a private
 * server of this test's own. The connector reconnects and resumes: every committed row reaches
 * the topic, none that was not committed does.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection } from 'mysql2/promise';
import { PrivateMariadb } from '../../helpers/private-mariadb.ts';
import { waitFor } from '../../helpers/wait.ts';
import { connectorStatus, createConnector, readTopic, startWorker } from './helpers.ts';
import type { RunningWorker } from '../../../app/workers.ts';

let server: PrivateMariadb | undefined;
let worker: RunningWorker | undefined;
afterAll(async () => {
  await worker?.stop();
  await server?.destroy();
});

describe('MariaDB server crash mid-stream', () => {
  it('reconnects and resumes without losing a committed change', async () => {
    server = await PrivateMariadb.start();
    const run = async (sql: string) => {
      let c: Connection | undefined;
      try {
        c = await server!.connection();
        c.on('error', () => undefined);
        await c.query(sql);
      } finally {
        await c?.end().catch(() => undefined);
      }
    };
    await run('CREATE DATABASE crashdb');
    await run('CREATE TABLE crashdb.r (id INT PRIMARY KEY)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mysql-crash-'));
    ({ worker } = await startWorker(dir));
    await createConnector(worker, 'mariadb-crash', {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'database.hostname': '127.0.0.1',
      'database.port': String(server.port),
      'database.user': 'root',
      'database.password': 'tributary',
      'database.server.id': '4242',
      'topic.prefix': 'crash',
      'database.include.list': 'crashdb',
      'snapshot.mode': 'no_data',
      'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
      'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
      'connect.keep.alive.interval.ms': '200',
      'poll.interval.ms': '100',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    await waitFor(async () => (await connectorStatus(worker!, 'mariadb-crash')).tasks[0]?.state === 'RUNNING', {
      what: 'task running',
    });
    const ids = () =>
      readTopic(worker!, 'crash.crashdb.r')
        .filter((r) => r.value)
        .map((r) => (r.value as { after: { id: number } }).after.id);
    const insert = (from: number, to: number) =>
      run(`INSERT IGNORE INTO crashdb.r SELECT seq FROM crashdb.seq_${from}_to_${to}`);
    for (let b = 0; b < 10; b++) await insert(b * 100 + 1, b * 100 + 100);
    await waitFor(() => new Set(ids()).size === 1000, { timeoutMs: 30_000, what: 'the first 1000 changes' });

    const writes = (async () => {
      for (let b = 10; b < 30; b++) await insert(b * 100 + 1, b * 100 + 100).catch(() => undefined);
    })();
    await new Promise((r) => setTimeout(r, 50));
    await server.crash();
    await writes;
    await new Promise((r) => setTimeout(r, 1000));
    await server.start();
    for (let b = 30; b < 40; b++)
      await waitFor(
        async () => {
          await insert(b * 100 + 1, b * 100 + 100);
          return true;
        },
        { timeoutMs: 30_000, what: 'inserts after the restart' },
      );

    const c = await server.connection();
    const [rows] = (await c.query('SELECT id FROM crashdb.r ORDER BY id')) as unknown as [Array<{ id: number }>];
    await c.end();
    const committed = rows.map((r) => r.id);
    expect(committed.length).toBeGreaterThanOrEqual(2000);
    await waitFor(() => new Set(ids()).size >= committed.length, {
      timeoutMs: 60_000,
      what: `all ${committed.length} committed changes in the topic`,
    });
    expect([...new Set(ids())].sort((a, b) => a - b)).toEqual(committed);
    expect((await connectorStatus(worker, 'mariadb-crash')).tasks[0].state).toBe('RUNNING');
  }, 120_000);
});
