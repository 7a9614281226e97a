/**
 * Failover to a replica by GTID: a private MariaDB primary and a GTID replica of it
 * (log_slave_updates, so the replica's binlog carries the primary's GTIDs). The connector streams
 * from the primary; the primary dies; the connector is pointed at the promoted replica (the
 * Debezium way: database.hostname/port changed in the connector config) and resumes from its
 * stored GTID position there — its binlog file names and positions differ. Every committed row
 * reaches the topic exactly once, in order.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PrivateMariadb } from '../../helpers/private-mariadb.ts';
import { waitFor } from '../../helpers/wait.ts';
import { connectorStatus, createConnector, readTopic, startWorker } from './helpers.ts';
import type { RunningWorker } from '../../../app/workers.ts';

let primary: PrivateMariadb | undefined;
let replica: PrivateMariadb | undefined;
let worker: RunningWorker | undefined;
afterAll(async () => {
  await worker?.stop();
  await primary?.destroy();
  await replica?.destroy();
});

async function run(server: PrivateMariadb, sql: string): Promise<unknown> {
  const c = await server.connection();
  c.on('error', () => undefined);
  try {
    return (await c.query(sql))[0];
  } finally {
    await c.end().catch(() => undefined);
  }
}

describe('MariaDB replica failover by GTID', () => {
  it('resumes on the promoted replica from the stored GTID position, losing and repeating nothing', async () => {
    [primary, replica] = await Promise.all([
      PrivateMariadb.start({ serverId: 7 }),
      PrivateMariadb.start({ serverId: 8, extra: ['log_slave_updates = ON'] }),
    ]);
    await run(
      replica,
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_PASSWORD='tributary', MASTER_USE_GTID=slave_pos`,
    );
    await run(replica, 'START SLAVE');
    await run(primary, 'CREATE DATABASE fodb');
    await run(primary, 'CREATE TABLE fodb.r (id INT PRIMARY KEY, v VARCHAR(20))');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mysql-failover-'));
    ({ worker } = await startWorker(dir));
    const config = (server: PrivateMariadb): Record<string, string> => ({
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      'database.hostname': '127.0.0.1',
      'database.port': String(server.port),
      'database.user': 'root',
      'database.password': 'tributary',
      'database.server.id': '4343',
      'topic.prefix': 'fo',
      'database.include.list': 'fodb',
      'snapshot.mode': 'no_data',
      'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
      'schema.history.internal.file.filename': path.join(dir, 'history.jsonl'),
      'poll.interval.ms': '100',
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    await createConnector(worker, 'failover', config(primary));
    await waitFor(async () => (await connectorStatus(worker!, 'failover')).tasks[0]?.state === 'RUNNING', {
      what: 'task running on the primary',
    });
    const ids = (): number[] =>
      readTopic(worker!, 'fo.fodb.r')
        .filter((r) => r.value)
        .map((r) => (r.value as { after: { id: number } }).after.id);

    for (let i = 1; i <= 100; i++) await run(primary, `INSERT INTO fodb.r VALUES (${i}, 'p${i}')`);
    await waitFor(() => ids().length >= 100, { timeoutMs: 30_000, what: '100 rows from the primary' });
    // More rows the connector may or may not see before the primary dies; the replica has them all.
    for (let i = 101; i <= 150; i++) await run(primary, `INSERT INTO fodb.r VALUES (${i}, 'p${i}')`);
    await waitFor(
      async () => ((await run(replica!, 'SELECT COUNT(*) AS n FROM fodb.r')) as Array<{ n: number }>)[0].n === 150,
      { timeoutMs: 30_000, what: 'replica caught up' },
    );
    await primary.crash();

    // Promote the replica and point the connector at it.
    await run(replica, 'STOP SLAVE');
    await run(replica, 'RESET SLAVE ALL');
    const replicaFiles = (await run(replica, 'SHOW BINARY LOGS')) as Array<{ Log_name: string }>;
    expect(replicaFiles.length).toBeGreaterThan(0);
    const put = await fetch(`${worker.url}/connectors/failover/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(config(replica)),
    });
    expect(put.status).toBe(200);
    for (let i = 151; i <= 200; i++) await run(replica, `INSERT INTO fodb.r VALUES (${i}, 'r${i}')`);
    await waitFor(() => ids().length >= 200, { timeoutMs: 60_000, what: 'all 200 rows after the failover' });
    await new Promise((r) => setTimeout(r, 500));
    expect(ids()).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect((await connectorStatus(worker, 'failover')).tasks[0].state).toBe('RUNNING');
  }, 180_000);
});
